from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    """Newsletters and social posts: drafting, review, audiences, sending, tracking, unsubscribes."""

    name = "newsletter"
    verbose_name = _("Newsletters")

    def ready(self):
        # Registers the AI editor's handler that saves a finished draft as a revision (web and worker).
        import newsletter.drafting  # noqa: F401

        # Connects anymail's tracking signal to record_event, whatever the URL configuration loads,
        # and registers the deploy check of the webhooks' protection.
        from newsletter import checks, tracking  # noqa: F401
