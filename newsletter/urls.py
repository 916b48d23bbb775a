"""Public newsletter addresses that mails link to (unsubscribe, preferences, sign-up, web version).

Outside i18n_patterns: a link in a mail must keep working whatever language the reader's browser asks for.
"""

from django.urls import path

from newsletter import tracking  # noqa: F401  (connects anymail's tracking signal to record_event)
from newsletter.views import unsubscribe

app_name = "newsletter"
urlpatterns = [
    # Sending: the footer's unsubscribe page and the RFC 8058 one-click address.
    path("afmelden/<str:token>/", unsubscribe.unsubscribe, name="unsubscribe"),
    path("afmelden/<str:token>/direct/", unsubscribe.one_click_unsubscribe, name="one_click_unsubscribe"),
]
