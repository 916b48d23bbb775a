import pytest
from dbbackup import settings as dbbackup_settings


@pytest.fixture
def backup_folder(tmp_path, monkeypatch, settings):
    """Backups to a folder of this test's own, media and private files in others (as in production)."""
    folder = tmp_path / "backups"
    folder.mkdir()
    # django-dbbackup reads its storage options when it is imported: point that dict here too.
    monkeypatch.setitem(dbbackup_settings.STORAGE_OPTIONS, "location", str(folder))
    settings.STORAGES = {
        **settings.STORAGES,
        "dbbackup": {**settings.STORAGES["dbbackup"], "OPTIONS": {"location": str(folder)}},
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": str(tmp_path / "private")}},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(dbbackup_settings, "MEDIA_PATH", str(tmp_path / "media"))
    return folder
