from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    """The year plan: basic tasks, projects with their traffic-light history, and the board report."""

    name = "projects"
    verbose_name = _("Projects")

    def ready(self):
        from auditlog.registry import auditlog

        from projects import models, permissions

        permissions.register()

        # Who changed which part of the year plan, and when; the board's answers included.
        auditlog.register(models.YearPlan)
        auditlog.register(models.BasicTask)
        auditlog.register(models.Project, m2m_fields={"organisations"})
        auditlog.register(models.Milestone)
        auditlog.register(models.DecisionRequest)
        auditlog.register(models.ProgressReport, exclude_fields=["data", "html", "pdf"])
