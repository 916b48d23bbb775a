"""The members' part of the portal (inside i18n_patterns, before Wagtail's catch-all).

Dutch paths that no page slug of the portal uses.
"""

from django.contrib.auth import views as auth_views
from django.urls import path

from portal.members import views

app_name = "members"
urlpatterns = [
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("uitloggen/", views.logout_view, name="logout"),
    path("wachtwoord-vergeten/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "wachtwoord-vergeten/verstuurd/",
        auth_views.PasswordResetDoneView.as_view(template_name="members/password_reset_sent.html"),
        name="password_reset_sent",
    ),
    path(
        "wachtwoord-herstellen/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord-herstellen/klaar/",
        auth_views.PasswordResetCompleteView.as_view(template_name="members/password_reset_done.html"),
        name="password_reset_done",
    ),
    path("uitnodiging/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("aanmelden/", views.signup, name="signup"),
    path("aanmelden/verstuurd/", views.signup_sent, name="signup_sent"),
    path("welkom/", views.onboarding, name="onboarding"),
    path("welkom/<str:step>/", views.onboarding_step, name="onboarding_step"),
    path("mijn-bedrijf/", views.home, name="home"),
    path("mijn-bedrijf/collegas/", views.colleagues, name="colleagues"),
    path("mijn-bedrijf/mijn-gegevens.json", views.download_data, name="download_data"),
    path("mijn-bedrijf/inzageverzoek/", views.request_access, name="request_access"),
    path("mijn-bedrijf/account-opheffen/", views.close_account, name="close_account"),
    path("mijn-bedrijf/<str:part>/", views.edit_profile, name="edit_profile"),
    path("meldingen/", views.reports, name="reports"),
    path("meldingen/nieuw/", views.new_report, name="new_report"),
    path("meldingen/<int:pk>/", views.report, name="report"),
    path("meldingen/<int:pk>/foto/", views.report_photo, name="report_photo"),
]
