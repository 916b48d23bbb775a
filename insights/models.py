from django.db import models
from django.utils.translation import gettext_lazy as _


class Insights(models.Model):
    """No table: the holder of the permission to read the board's dashboard (Inzichten).

    The figures are read from each app's own tables (see insights.queries); only reach is kept per
    send (ReachTally), and checked against its inputs before every read.
    """

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_dashboard", _("Can read the board's dashboard"))]
        verbose_name = _("statistics")
        verbose_name_plural = _("statistics")

    def __str__(self):
        return str(self._meta.verbose_name)


class ReachTally(models.Model):
    """One newsletter send's results among one segment's recipients, kept so the dashboard need not
    join every message and ESP event of a period to the recipients' businesses (insights.tallies).

    `shape` says which of street, sector and kind the row is about (bits 1, 2, 4; the others are "");
    shape 0 is every recipient, also those without a business. Street is kept in lower case (the
    filter matches it case-insensitively)."""

    STREET, SECTOR, KIND = 1, 2, 4

    send = models.ForeignKey("newsletter.Send", on_delete=models.CASCADE, related_name="+")
    shape = models.PositiveSmallIntegerField()
    street = models.CharField(max_length=120, blank=True)
    sector = models.CharField(max_length=30, blank=True)
    kind = models.CharField(max_length=30, blank=True)
    # People (for the small-group rule) and messages, as newsletter.queries.stats counts them.
    people = models.PositiveIntegerField(default=0)
    sent = models.PositiveIntegerField(default=0)
    delivered = models.PositiveIntegerField(default=0)
    bounced = models.PositiveIntegerField(default=0)
    hard_bounced = models.PositiveIntegerField(default=0)
    unique_opens = models.PositiveIntegerField(default=0)
    machine_opens = models.PositiveIntegerField(default=0)
    unique_clicks = models.PositiveIntegerField(default=0)
    machine_clicks = models.PositiveIntegerField(default=0)
    unsubscribes = models.PositiveIntegerField(default=0)
    complaints = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["send", "shape", "street", "sector", "kind"], name="reach_tally_once_per_segment"
            )
        ]
        indexes = [models.Index(fields=["shape", "send"], name="reach_tally_shape")]

    def __str__(self):
        return f"{self.send_id} {self.shape} {self.street}/{self.sector}/{self.kind}"


class ReachTallyBasis(models.Model):
    """What a send's ReachTally rows of one shape were derived from; used only while it still holds."""

    send = models.ForeignKey("newsletter.Send", on_delete=models.CASCADE, related_name="+")
    shape = models.PositiveSmallIntegerField()
    inputs = models.CharField(max_length=300)
    derived_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["send", "shape"], name="reach_tally_basis_once")]

    def __str__(self):
        return f"{self.send_id}/{self.shape}: {self.inputs}"
