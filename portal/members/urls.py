"""The members' part of the portal (inside i18n_patterns, before Wagtail's catch-all)."""

app_name = "members"
urlpatterns = []
