"""anymail's webhook URLs: each request's events stored together, in one database transaction.

ESPs that batch their events (SparkPost, SendGrid, Mailjet) post hundreds per request. anymail's
view checks the signature or basic auth and sends one `tracking` signal per event; while the view
runs, newsletter.tracking collects them, and they are then stored with one INSERT … ON CONFLICT
DO NOTHING, in one transaction: one commit per request instead of one per event. A failure makes
the ESP retry the whole batch, whose stored events are then skipped as duplicates. Importing this
module also connects the signal's receiver, so the webhooks never run without it.
"""

import functools

from anymail import urls as anymail_urls
from django.urls import URLPattern

from newsletter import tracking


def collected(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        token = tracking.collecting.set([])
        try:
            response = view(request, *args, **kwargs)
            events = tracking.collecting.get()
        finally:
            tracking.collecting.reset(token)
        if events and response.status_code == 200:
            # One transaction for the request's events and their consequences (record_events
            # opens it only when there is more to do than the one INSERT, which is atomic itself).
            tracking.record_events(events)
        return response

    return wrapper


app_name = anymail_urls.app_name
urlpatterns = [
    URLPattern(pattern.pattern, collected(pattern.callback), pattern.default_args, pattern.name)
    for pattern in anymail_urls.urlpatterns
]
