"""Private files: uploads that hold personal data (report photos, import files) never sit under
MEDIA_ROOT, which a web server or Django's development server hands to anyone who knows the name.

They go to the storage alias "private" (settings.STORAGES: a folder under the var directory, or a
private S3 bucket) and are served only by views that check who asks. Logos and page images stay in
the public media storage.
"""

from django.core.files.storage import FileSystemStorage, storages


class PrivateFileSystemStorage(FileSystemStorage):
    """A folder with no public address: asking a private file for its URL is a programming error."""

    def url(self, name):
        raise ValueError(f"{name!r} is a private file: serve it through a view that checks access.")


def private_storage():
    """The private storage (a callable, so that models and migrations name it, not a folder)."""
    return storages["private"]
