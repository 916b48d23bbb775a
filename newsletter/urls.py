"""Public newsletter addresses that mails link to (unsubscribe, preferences, sign-up, web version).

Outside i18n_patterns: a link in a mail must keep working whatever language the reader's browser asks for.
"""

app_name = "newsletter"
urlpatterns = []
