from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    """The year plan: projects with their traffic-light status history, and the board report."""

    name = "projects"
    verbose_name = _("Projects")
