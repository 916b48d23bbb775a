"""The audit trail of one CRM record, made readable: who changed what when, with field labels,
choice labels, dates and the names of related records instead of raw values."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, QuerySet
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from crm.models import Person
from crm.privacy import person_log_entries
from crm.visibility import NOTHING, Readable

# Derived or bookkeeping fields: their changes say nothing a person wants to read.
HIDDEN_FIELDS = {"search_text", "name_text", "updated_at", "created_at", "id"}
EMPTY = "—"
HIDDEN = _("(hidden)")

ACTIONS = {
    LogEntry.Action.CREATE: _("Created"),
    LogEntry.Action.UPDATE: _("Changed"),
    LogEntry.Action.DELETE: _("Deleted"),
    LogEntry.Action.ACCESS: _("Viewed"),
}
EVENTS = {
    "erased": _("Personal data erased (AVG)"),
    "merged": _("Merged with a duplicate"),
    "exported": _("Personal data exported (AVG request of access)"),
    "access_requested": _("Request of access received (AVG); answer due within one month"),
    "own_data": _("Own data downloaded in the member portal"),
}
MOVED = {
    "roles": _("roles"),
    "interactions": _("contacts"),
    "signals": _("signals"),
    "follow_ups": _("follow-ups"),
    "occupancies": _("occupancies"),
    "premises": _("premises"),
    "position_changes": _("position changes"),
    "relations": _("relations"),
    "interests": _("interests"),
    "imported_records": _("imported records"),
    "emails": _("email addresses"),
    "phones": _("phone numbers"),
    "consents": _("consents"),
}


def history_models() -> dict[str, type[Model]]:
    """The CRM models with an audit trail, by their URL name ("organisation", "person", …)."""
    return {
        model._meta.model_name: model
        for model in apps.get_app_config("crm").get_models()
        if auditlog.contains(model)
    }


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class HistoryRow:
    entry: LogEntry
    action: str
    record: str
    event: str = ""
    detail: str = ""
    changes: list[Change] = field(default_factory=list)


def record_entries(model: type[Model], pk: int, record: Model | None) -> QuerySet[LogEntry]:
    """The audit entries of one record, newest first; a person's also cover their emails, phones,
    roles and consents."""
    if model is Person and record is not None:
        entries = LogEntry.objects.filter(person_log_entries(person=record))
    else:
        content_type = ContentType.objects.get_for_model(model)
        entries = LogEntry.objects.filter(content_type=content_type, object_id=pk)
    return entries.select_related("actor", "content_type").order_by("-timestamp", "-pk")


def describe_entries(entries: list[LogEntry], *, reads: Readable = NOTHING) -> list[HistoryRow]:
    """Turn audit entries into readable rows: field labels, choice labels, dates, related names.

    CRM texts the reader may not read (crm.visibility) show as "(hidden)", also in a record's name.

    Related records named in the changes are fetched in one query per related model for the page.
    """
    wanted: dict[type[Model], set] = defaultdict(set)
    for entry in entries:
        model = entry.content_type.model_class()
        for name, values in (entry.changes or {}).items():
            model_field = _field(model, name)
            if model_field is not None and model_field.many_to_one and isinstance(values, list):
                wanted[model_field.related_model].update(v for v in values if v and str(v).isdigit())
    related = {model: model._base_manager.in_bulk(ids) for model, ids in wanted.items()}

    rows = []
    for entry in entries:
        model = entry.content_type.model_class()
        data = entry.additional_data or {}
        model_name = entry.content_type.model
        name = entry.object_repr if reads.record_name(model_name) else str(HIDDEN)
        row = HistoryRow(
            entry=entry,
            action=ACTIONS.get(entry.action, ""),
            record=f"{model._meta.verbose_name.capitalize() if model else model_name}: {name}",
            event=EVENTS.get(data.get("event"), ""),
            detail=_event_detail(data),
        )
        for name, values in (entry.changes or {}).items():
            if name in HIDDEN_FIELDS:
                continue
            if _is_reverse_relation(model, name):
                continue  # auditlog lists reverse relations as "crm.Role.None": nothing to read
            model_field = _field(model, name)
            label = _label(model_field, name)
            if isinstance(values, dict):  # many-to-many
                objects = ", ".join(str(value) for value in values.get("objects", []))
                if values.get("operation") == "delete":
                    row.changes.append(Change(label, objects, EMPTY))
                else:
                    row.changes.append(Change(label, EMPTY, objects))
                continue
            if not isinstance(values, list) or len(values) != 2:
                continue
            old, new = (_display(model_field, value, related) for value in values)
            if not reads.field(model_name, name):
                old, new = (value if value == EMPTY else HIDDEN for value in (old, new))
            if entry.action == LogEntry.Action.CREATE and new == EMPTY:
                continue  # a new record's empty fields say nothing
            row.changes.append(Change(label, old, new))
        rows.append(row)
    return rows


def _field(model, name):
    if model is None:
        return None
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    # Reverse relations (auditlog may name one after a delete cascades) have no verbose name.
    return model_field if hasattr(model_field, "verbose_name") else None


def _is_reverse_relation(model, name: str) -> bool:
    if model is None:
        return False
    try:
        return not model._meta.get_field(name).concrete and not model._meta.get_field(name).many_to_many
    except FieldDoesNotExist:
        return False


def _label(model_field, name: str) -> str:
    if model_field is None:
        return name.replace("_", " ").capitalize()
    label = str(model_field.verbose_name)
    # A foreign key without a verbose name of its own ("person"): the related model's name is translated.
    if model_field.many_to_one and label == model_field.name.replace("_", " "):
        label = str(model_field.related_model._meta.verbose_name)
    return label[:1].upper() + label[1:]


def _display(model_field, value, related) -> str:
    if value in (None, "None", ""):
        return EMPTY
    value = str(value)
    if model_field is None or value == "***":
        return value
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    internal = model_field.get_internal_type()
    if internal == "BooleanField":
        return gettext("yes") if value == "True" else gettext("no")
    if internal == "DateTimeField":
        parsed = parse_datetime(value)
        if parsed is None:
            return value
        if timezone.is_naive(parsed):  # auditlog stores date-times as naive UTC
            parsed = parsed.replace(tzinfo=dt.UTC)
        return formats.date_format(timezone.localtime(parsed), "d-m-Y H:i")
    if internal == "DateField":
        parsed = parse_date(value)
        return formats.date_format(parsed, "d-m-Y") if parsed else value
    if model_field.many_to_one:
        target = related.get(model_field.related_model, {}).get(int(value)) if value.isdigit() else None
        return str(target) if target is not None else f"#{value}"
    return value


def _event_detail(data: dict) -> str:
    if data.get("event") == "merged":
        moved = ", ".join(
            f"{MOVED.get(name, name)}: {count}" for name, count in data.get("moved", {}).items()
        )
        text = gettext("Duplicate #%(id)s “%(name)s” merged into this record.") % {
            "id": data.get("duplicate_id"),
            "name": data.get("duplicate_name", ""),
        }
        moved_label = gettext("Moved")
        return f"{text} {moved_label}: {moved}." if moved else text
    if data.get("event") == "erased":
        counts = data.get("counts", {})
        return gettext(
            "Deleted %(emails)s email address(es) and %(phones)s phone number(s); "
            "%(interactions)s contact(s) kept, anonymised."
        ) % {
            "emails": counts.get("emails", 0),
            "phones": counts.get("phones", 0),
            "interactions": counts.get("interactions", 0),
        }
    return ""
