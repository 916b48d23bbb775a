"""The AI editor in the admin: job polling URLs under /admin/drafting/ (admin login required)."""

from django.urls import include, path
from wagtail import hooks

from drafting import urls


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("drafting/", include((urls.urlpatterns, "drafting"), namespace="drafting"))]
