"""The AI editor in the admin: job polling URLs under /admin/drafting/ (admin login required) and
the "AI-assistent" screen under Settings for the roles that use it."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from drafting import urls
from drafting.admin_views import PERMISSION


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("drafting/", include((urls.urlpatterns, "drafting"), namespace="drafting"))]


class _AISettingsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


@hooks.register("register_settings_menu_item")
def register_ai_settings_menu_item():
    return _AISettingsMenuItem(
        _("AI assistant"), reverse("drafting:settings"), icon_name="cogs", name="ai-assistant", order=900
    )
