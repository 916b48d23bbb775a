from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "funding"
    verbose_name = _("Funding")

    def ready(self):
        from auditlog.registry import auditlog

        from funding.models import Ballot, BallotParty, Contribution

        # Money and votes: every change is in the audit trail, like the CRM's records.
        auditlog.register(Contribution)
        auditlog.register(Ballot)
        auditlog.register(BallotParty)
