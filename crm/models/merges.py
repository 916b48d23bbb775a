from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MergeRecord(models.Model):
    """What one merge changed, kept so that it can be undone: the absorbed record is put back with its
    own id, every row that moved goes back to it, and the kept record gets its old values again.

    Holds the absorbed record's personal data, so it is deleted with an erasure of the kept person
    and is of no use after the undo period (crm.merging.UNDO_DAYS).
    """

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", _("Organisation")
        PERSON = "person", _("Person")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    kept_id = models.PositiveBigIntegerField(db_index=True)
    absorbed_id = models.PositiveBigIntegerField()
    kept_name = models.CharField(_("kept"), max_length=250)
    absorbed_name = models.CharField(_("merged into it"), max_length=250)
    # Serialised rows (Django's "python" serialisation made JSON-safe): the absorbed record, the kept
    # record before the merge, and rows the merge deleted or changed in place (merged roles, …).
    absorbed = models.JSONField(default=dict)
    kept_before = models.JSONField(default=dict)
    deleted_rows = models.JSONField(default=list)
    changed_rows = models.JSONField(default=list)
    # [{"model": "crm.signal", "field": "organisation", "ids": [..]}, …]: rows repointed to the kept record.
    moved = models.JSONField(default=list)
    # Many-to-many links of the absorbed record: {"interests": [ids]} and links dropped because the
    # kept record had them already ({"through": "crm.interaction_organisations", "field": …, "other": …}).
    links = models.JSONField(default=dict)
    merged_at = models.DateTimeField(_("merged"), auto_now_add=True, db_index=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-merged_at", "-pk"]
        verbose_name = _("merge")
        verbose_name_plural = _("merges")

    def __str__(self):
        return f"{self.absorbed_name} → {self.kept_name}"


class NotADuplicate(models.Model):
    """Two records someone looked at and judged different: never offered as likely duplicates again."""

    kind = models.CharField(max_length=20, choices=MergeRecord.Kind.choices)
    first_id = models.PositiveBigIntegerField()  # the lower id of the two
    second_id = models.PositiveBigIntegerField()
    decided_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("not a duplicate")
        verbose_name_plural = _("not duplicates")
        constraints = [
            models.UniqueConstraint(fields=["kind", "first_id", "second_id"], name="one_judgement_per_pair"),
        ]

    def __str__(self):
        return f"{self.kind} {self.first_id} ≠ {self.second_id}"
