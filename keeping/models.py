"""What the platform did to keep its data: each backup it made, and each retention run.

A BackupRun row is written *before* the database is dumped, so every backup carries the row of its
own making (state "running"). After a restore, that row tells when the restored data was taken,
which is what `keeping.restore.after_restore` needs to hold sends that were in progress then.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BackupRun(models.Model):
    """One backup: the database and the media folder, written together, with a manifest."""

    class State(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.RUNNING)
    name = models.CharField(_("name"), max_length=100, unique=True)
    # Where the files went: a folder or an S3 bucket (from the settings at the time).
    destination = models.CharField(_("stored in"), max_length=300, blank=True)
    files = models.JSONField(_("files"), default=list, blank=True)  # [{name, bytes, sha256}]
    compressed = models.BooleanField(_("compressed"), default=True)
    encrypted = models.BooleanField(_("encrypted"), default=False)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("backup")
        verbose_name_plural = _("backups")

    def __str__(self):
        return self.name

    @property
    def size(self) -> int:
        return sum(item.get("bytes", 0) for item in self.files)


class RestoreRun(models.Model):
    """A restore from a backup, and what it held back so that nothing is sent twice."""

    restored_at = models.DateTimeField(_("restored"))
    backup_name = models.CharField(_("backup"), max_length=100)
    backup_taken_at = models.DateTimeField(_("backup taken"), null=True, blank=True)
    held_sends = models.JSONField(_("sends held"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-restored_at"]
        verbose_name = _("restore")
        verbose_name_plural = _("restores")

    def __str__(self):
        return f"{self.backup_name} → {self.restored_at:%Y-%m-%d %H:%M}"


class RetentionRun(models.Model):
    """One application of the retention periods: per kind of data, what was removed or anonymised."""

    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    dry_run = models.BooleanField(_("trial run"), default=False)
    # {kind: {"removed": n, "anonymised": n, "period": "…", "before": iso}}
    results = models.JSONField(_("results"), default=dict, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M}"

    @property
    def total(self) -> int:
        return sum(item.get("removed", 0) + item.get("anonymised", 0) for item in self.results.values())
