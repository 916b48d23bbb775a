"""The year plan in the admin (its view set is in projects.viewsets)."""

from wagtail import hooks

from projects.viewsets import project_viewset


@hooks.register("register_admin_viewset")
def register_project_viewset():
    return project_viewset
