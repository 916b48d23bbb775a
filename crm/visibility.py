"""Who reads which text of the CRM: one table, per text field and per staff role.

What staff write about a contact (what was said in a visit, a signal's note, a follow-up's task,
a contact's subject) is personal and sometimes sensitive. Every page and path that shows such text
asks `readable_by(user)` and leaves out what the user's roles may not read: the organisation and
person pages and their timelines, My work and its calendar feed, the history of changes, the admin
views of these models. Paths that show no CRM text at all (search, exports, the stakeholder map,
the AI editor's sources, the visit form's lookup) are held to that by tests/crm/test_visibility.py,
which checks every role against every one of these pages.

A user reads a text when one of their roles is listed for it; a superuser reads everything. The
member portal never shows staff text (a member's own data download has none; the full access
request under the AVG is handled by staff, see crm.privacy).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from stadshart.roles import ACCOUNTMANAGER, BEHEERDER, CENTRUMMANAGER, FACILITAIR

# The texts, named as staff know them.
SUBJECT = "subject"  # Interaction.subject: the line above a contact ("Gesprek over de kerstverlichting")
NOTES = "notes"  # Interaction.notes: what was said in a visit, call, email or meeting; a member's report
SIGNAL_NOTES = "signal_notes"  # Signal.note: what was noticed
FOLLOW_UPS = "follow_ups"  # FollowUp.description: what has to be done
RELATION_NOTES = "relation_notes"  # Relation.note: how two organisations are bound
PREMISES_NOTES = "premises_notes"  # Premises.notes: what staff know about a building

LABELS = {
    SUBJECT: _("subjects of contacts"),
    NOTES: _("notes of visits, calls, emails, meetings and reports"),
    SIGNAL_NOTES: _("notes of signals"),
    FOLLOW_UPS: _("texts of follow-ups"),
    RELATION_NOTES: _("notes of relations"),
    PREMISES_NOTES: _("notes of premises"),
}

# Those who work with the partners read what was written about them. Communicatie writes for
# everyone and needs to know *that* a business was contacted, never what was said; the board
# (Bestuur) reads statistics only.
_FIELD_WORK = frozenset({BEHEERDER, CENTRUMMANAGER, ACCOUNTMANAGER, FACILITAIR})

#: The table: per text, the roles that read it. Roles not named (Communicatie, Bestuur, any new
#: role) read none of it.
WHO_READS: dict[str, frozenset[str]] = {
    SUBJECT: _FIELD_WORK,
    NOTES: _FIELD_WORK,
    SIGNAL_NOTES: _FIELD_WORK,
    FOLLOW_UPS: _FIELD_WORK,
    RELATION_NOTES: _FIELD_WORK,
    PREMISES_NOTES: _FIELD_WORK,
}

#: The model field that holds each text, as (model name, field name): for the history of changes,
#: which shows fields by name.
FIELDS: dict[tuple[str, str], str] = {
    ("interaction", "subject"): SUBJECT,
    ("interaction", "notes"): NOTES,
    ("signal", "note"): SIGNAL_NOTES,
    ("followup", "description"): FOLLOW_UPS,
    ("relation", "note"): RELATION_NOTES,
    ("premises", "notes"): PREMISES_NOTES,
}

#: Records whose name (str()) is itself one of the texts: a follow-up is called by its task.
NAMED_BY: dict[str, str] = {"followup": FOLLOW_UPS}


@dataclass(frozen=True)
class Readable:
    """The CRM texts one user may read; templates ask `reads.notes`, `reads.follow_ups`, …"""

    texts: frozenset[str]

    def __contains__(self, text: str) -> bool:
        return text in self.texts

    @property
    def subject(self) -> bool:
        return SUBJECT in self.texts

    @property
    def notes(self) -> bool:
        return NOTES in self.texts

    @property
    def signal_notes(self) -> bool:
        return SIGNAL_NOTES in self.texts

    @property
    def follow_ups(self) -> bool:
        return FOLLOW_UPS in self.texts

    @property
    def relation_notes(self) -> bool:
        return RELATION_NOTES in self.texts

    @property
    def premises_notes(self) -> bool:
        return PREMISES_NOTES in self.texts

    def field(self, model_name: str, field_name: str) -> bool:
        """May the user read this model field? Fields that hold no CRM text always."""
        text = FIELDS.get((model_name, field_name))
        return text is None or text in self.texts

    def record_name(self, model_name: str) -> bool:
        """May the user read the name of a record of this model (a follow-up is named by its task)?"""
        text = NAMED_BY.get(model_name)
        return text is None or text in self.texts

    def task(self, follow_up) -> str:
        """A follow-up's own words for those who read them, else only what it is ("Follow-up")."""
        return follow_up.description if self.follow_ups else gettext("Follow-up")


EVERYTHING = Readable(frozenset(WHO_READS))
NOTHING = Readable(frozenset())


def texts_for_roles(roles) -> Readable:
    roles = set(roles)
    return Readable(frozenset(text for text, readers in WHO_READS.items() if readers & roles))


def readable_by(user) -> Readable:
    """The texts `user` may read, from their roles (one query, then remembered on the user object)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser:
        return EVERYTHING
    cached = getattr(user, "_crm_readable", None)
    if cached is None:
        cached = texts_for_roles(user.groups.values_list("name", flat=True))
        user._crm_readable = cached
    return cached
