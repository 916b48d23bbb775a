from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CrmConfig(AppConfig):
    """Organisations, people, premises, interests, relations and the history of contact with them."""

    name = "crm"
    verbose_name = _("Relations")

    def ready(self):
        from auditlog.registry import auditlog

        from crm import models

        # Every change to CRM data lands in the audit trail (who, when, what changed).
        for model in (
            models.Premises,
            models.Occupancy,
            models.Relation,
            models.Interaction,
            models.Signal,
            models.FollowUp,
            models.Segment,
            models.Role,
            models.EmailAddress,
            models.PhoneNumber,
            models.Consent,
            models.Interest,
        ):
            auditlog.register(model)
        auditlog.register(models.Organisation, m2m_fields={"interests"})
        auditlog.register(models.Person, m2m_fields={"interests"})

        # The dashboard's contact counts and coverage follow every change of contacts.
        from crm import tallies

        tallies.connect()

        # SQLite loses a table's triggers when a migration rebuilds it; the search index needs them.
        post_migrate.connect(_ensure_search_index, sender=self)


def _ensure_search_index(sender, using, **kwargs):
    from django.db import connections

    from crm import search_index

    search_index.ensure(connections[using])
