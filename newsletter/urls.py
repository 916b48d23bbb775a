"""Public newsletter addresses that mails link to (unsubscribe, preferences, sign-up, web version).

Outside i18n_patterns: a link in a mail must keep working whatever language the reader's browser asks for.
"""

from django.urls import path

from newsletter.views import preferences, subscribe, unsubscribe

app_name = "newsletter"
urlpatterns = [
    # Sending: the footer's unsubscribe page and the RFC 8058 one-click address.
    path("afmelden/<str:token>/", unsubscribe.unsubscribe, name="unsubscribe"),
    path("afmelden/<str:token>/direct/", unsubscribe.one_click_unsubscribe, name="one_click_unsubscribe"),
    # Tracking: sign-up with double opt-in, and the preference page every mail links to.
    path("aanmelden/", subscribe.subscribe, name="subscribe"),
    path("aanmelden/verstuurd/", subscribe.subscribe_sent, name="subscribe_sent"),
    path("aanmelden/bevestigen/<str:token>/", subscribe.subscribe_confirm, name="subscribe_confirm"),
    path("voorkeuren/<str:token>/", preferences.preferences, name="preferences"),
]
