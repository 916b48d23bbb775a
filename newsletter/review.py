"""Which revision of a newsletter may be sent: only one a reviewer approved, and only if unchanged since."""

from newsletter.models import NewsletterApproval


def approved_revision(page):
    """The page's latest revision if a reviewer approved exactly that revision, else None.

    An edit after approval makes a newer revision, which needs approval again.
    """
    latest = page.get_latest_revision()
    if latest is None:
        return None
    if NewsletterApproval.objects.filter(revision=latest).exists():
        return latest
    return None
