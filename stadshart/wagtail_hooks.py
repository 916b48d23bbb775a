"""The admin's part of the second factor (your own in the Account menu, the Beheerder's reset in
Users), and the editor's guard against a submit that overtakes an autosave."""

from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets.button import Button

from stadshart.mfa import views


@hooks.register("register_admin_urls")
def second_factor_urls():
    return [
        path("mfa/recovery-codes/", views.recovery_codes, name="stadshart_mfa_recovery_codes"),
        path("mfa/account/", views.account, name="stadshart_mfa_account"),
        path("mfa/reset/<int:user_id>/", views.reset, name="stadshart_mfa_reset"),
    ]


@hooks.register("register_account_menu_item")
def second_factor_account_item(request):
    return {
        "url": reverse("stadshart_mfa_account"),
        "label": _("Second factor"),
        "help_text": _("Your authenticator app and recovery codes."),
    }


@hooks.register("register_user_listing_buttons")
def second_factor_reset_button(user, request_user):
    if request_user.has_perm("auth.change_user"):
        yield Button(
            _("Reset second factor"),
            reverse("stadshart_mfa_reset", args=[user.pk]),
            icon_name="key",
            priority=60,
        )


@hooks.register("insert_editor_js")
def submit_after_autosave_js():
    return format_html('<script src="{}" defer></script>', static("stadshart/js/submit_after_autosave.js"))
