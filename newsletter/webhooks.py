"""anymail's webhook URLs, each request in one database transaction.

ESPs that batch their events (SparkPost, SendGrid, Mailjet) post hundreds per request; recording
them in one transaction (a savepoint per event, see newsletter.tracking.record_event) costs one
commit per request instead of one per event, and a failure makes the ESP retry the whole batch,
whose stored events are then skipped as duplicates. Importing this module also connects the
tracking signal's receiver, so the webhooks never run without it.
"""

from anymail import urls as anymail_urls
from django.db import transaction
from django.urls import URLPattern

from newsletter import tracking  # noqa: F401  (connects anymail's tracking signal to record_event)

app_name = anymail_urls.app_name
urlpatterns = [
    URLPattern(pattern.pattern, transaction.atomic(pattern.callback), pattern.default_args, pattern.name)
    for pattern in anymail_urls.urlpatterns
]
