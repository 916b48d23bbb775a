from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportBatch(models.Model):
    """One import of a file into the CRM: what it did, what it refused, and whether it was undone."""

    class Status(models.TextChoices):
        READING = "lezen", _("Reading the file")
        PREVIEW = "voorbeeld", _("Preview")
        RUNNING = "bezig", _("Running")
        DONE = "klaar", _("Done")
        FAILED = "mislukt", _("Failed")
        UNDONE = "teruggedraaid", _("Undone")

    filename = models.CharField(_("file"), max_length=255)
    file_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PREVIEW)
    column_mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    # What the worker found reading the file, for the mapping screen (which never reads the file):
    # {"headers", "examples", "mapping", "error", "plan": {"created", "matched", "rejected",
    # "warnings", "sample"}}.
    preview = models.JSONField(_("preview"), default=dict, blank=True)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    matched_count = models.PositiveIntegerField(_("matched"), default=0)
    rejected_count = models.PositiveIntegerField(_("rejected"), default=0)
    # [{"line": 7, "reason": "..."}]: every row not taken, with its line number and why.
    rejected_rows = models.JSONField(_("rejected rows"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return f"{self.filename} ({self.created_at:%d-%m-%Y %H:%M})"


class ImportedRecord(models.Model):
    """A record an import created, so that the import can be undone as a whole."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="records")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")

    class Meta:
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.content_type.model} #{self.object_id}"
