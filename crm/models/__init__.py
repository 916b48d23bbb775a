"""The CRM's records: the import surface of the crm app's models."""

from crm.models.imports import ImportBatch, ImportedRecord
from crm.models.interactions import FollowUp, Interaction, Signal
from crm.models.merges import MergeRecord, NotADuplicate
from crm.models.organisations import Interest, Organisation, Relation, StakeholderPositionChange
from crm.models.people import Consent, EmailAddress, Person, PhoneNumber, Role
from crm.models.premises import Occupancy, Premises
from crm.models.privacy import AccessRequest
from crm.models.segments import Segment
from crm.models.tallies import ContactSpan, ContactTally

__all__ = [
    "AccessRequest",
    "Consent",
    "ContactSpan",
    "ContactTally",
    "EmailAddress",
    "FollowUp",
    "ImportBatch",
    "ImportedRecord",
    "Interaction",
    "Interest",
    "MergeRecord",
    "NotADuplicate",
    "Occupancy",
    "Organisation",
    "Person",
    "PhoneNumber",
    "Premises",
    "Relation",
    "Role",
    "Segment",
    "Signal",
    "StakeholderPositionChange",
]
