"""The year plan: projects with a traffic-light status and the history of every change of it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """The board's traffic lights (green, orange, red, grey): the colour names are what staff say."""

    GREEN = "groen", _("Green: on schedule")
    ORANGE = "oranje", _("Orange: problems threaten")
    RED = "rood", _("Red: intervention needed")
    GREY = "grijs", _("Grey: finished and handed over")


class Project(models.Model):
    """A project of the year plan, as reported to the board and, when public, shown on the portal."""

    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year plan"), db_index=True)
    # The CRM's managed list of themes (the interests a partner can have), so projects and partners share
    # one vocabulary and a project can later be matched to the partners who care about its theme.
    theme = models.ForeignKey(
        "crm.Interest",
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("project lead"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_projects",
    )
    summary = models.TextField(_("summary"), max_length=1000, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.GREEN)
    is_public = models.BooleanField(
        _("shown on the portal"), default=False, help_text=_("Public projects are listed on the website.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self):
        return f"{self.name} ({self.year})"


class ProjectStatusChange(models.Model):
    """One change of a project's traffic light: from what, to what, why, by whom and when."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=10, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=10, choices=Status.choices)
    note = models.TextField(_("remark"), max_length=1000, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed"), db_index=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self):
        return f"{self.project.name}: {self.from_status or '-'} → {self.to_status}"
