"""The leaving archive: all of the organisation's data in open formats, to take to another system.

`manage.py export_archive FOLDER` writes one JSON Lines file per kind of record (one JSON object per
line, every field by its name, links to other records as their ids) and a README.md describing every
file and field, generated from the models themselves so it is always true. What goes in:

- the whole CRM (organisations, people, addresses, roles, interests, relations, premises, contact
  moments, signals, follow-ups, stakeholder positions, segments, consents and their history);
- members and their problem reports, invitations and applications;
- the year plan and every other app that keeps business records (see APPS);
- newsletters (each page's content as Wagtail stores it), their sends with per-send totals, and
  the blocked addresses (so the next system keeps honouring unsubscribes); never per-reader events;
- the portal's pages with their content.

Files of the media folder (logos, images, report photos) are in the media backup, not here; records
name them by their path in that folder.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.apps import apps
from django.db import models
from django.db.models import Count
from django.utils import timezone
from wagtail.models import Page

# Apps whose every model is part of the archive, as they are.
APPS = ("crm", "members", "projects", "funding", "social")
# Per-reader and internal records left out on purpose (the README says so).
LEFT_OUT = {"crm.importbatch", "crm.importrow"}
VERSION = 1


def _value(value):
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if hasattr(value, "name") and hasattr(value, "storage"):  # a FieldFile
        return value.name or ""
    if hasattr(value, "raw_data"):  # a StreamValue
        return list(value.raw_data)
    return value


def _fields(model) -> list[models.Field]:
    return [field for field in model._meta.concrete_fields]


def _record(obj, fields, m2m) -> dict:
    row = {field.attname: _value(getattr(obj, field.attname)) for field in fields}
    for field in m2m:
        row[field.name] = sorted(item.pk for item in getattr(obj, field.name).all())
    return row


def _rows(model) -> Iterator[dict]:
    fields = _fields(model)
    m2m = list(model._meta.many_to_many)
    queryset = model._default_manager.order_by("pk")
    if m2m:
        queryset = queryset.prefetch_related(*(field.name for field in m2m))
    for obj in queryset.iterator(chunk_size=2000):
        yield _record(obj, fields, m2m)


def _write(folder: Path, name: str, rows: Iterable[dict]) -> int:
    count = 0
    with open(folder / f"{name}.jsonl", "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False, default=str))
            handle.write("\n")
            count += 1
    return count


def _page_rows(page_model) -> Iterator[dict]:
    base = {field.attname for field in _fields(Page)} - {"id", "title", "slug", "url_path"}
    fields = [field for field in _fields(page_model) if field.attname not in base or field.attname == "id"]
    keep = ("first_published_at", "last_published_at", "live", "seo_title", "search_description")
    for page in page_model.objects.order_by("path").iterator(chunk_size=500):
        row = _record(page, fields, [])
        row.update({name: _value(getattr(page, name)) for name in keep})
        row["parent_id"] = page.get_parent().pk if page.depth > 1 else None
        yield row


def _send_rows() -> Iterator[dict]:
    from newsletter.models import Delivery, Send
    from newsletter.queries.stats import freeze_results

    statuses = {
        row["send_id"]: row
        for row in Delivery.objects.values("send_id").annotate(
            recipients=Count("pk"),
            **{s: Count("pk", filter=models.Q(status=s)) for s in Delivery.Status.values},
        )
    }
    for send in Send.objects.order_by("pk").iterator():
        row = _record(send, [f for f in _fields(Send) if f.attname != "results_summary"], [])
        row["deliveries"] = {k: v for k, v in statuses.get(send.pk, {}).items() if k != "send_id"}
        row["results"] = send.results_summary or freeze_results(send)
        yield row


def _describe_model(model, name: str, count: int) -> list[str]:
    lines = [f"### {name}.jsonl ({count} records)", ""]
    doc = (model.__doc__ or "").strip().splitlines()[0] if model.__doc__ else ""
    if doc and not doc.startswith(model.__name__ + "("):
        lines += [doc, ""]
    lines += ["| field | meaning | type |", "| --- | --- | --- |"]
    for field in _fields(model):
        kind = field.get_internal_type()
        if field.is_relation and field.related_model is not None:
            kind = f"id of {field.related_model._meta.label_lower}"
        meaning = str(field.verbose_name)
        if field.choices:
            meaning += " (" + ", ".join(f"`{value}` {label}" for value, label in field.flatchoices) + ")"
        lines.append(f"| {field.attname} | {meaning} | {kind} |")
    for field in model._meta.many_to_many:
        lines.append(
            f"| {field.name} | {field.verbose_name} | "
            f"list of ids of {field.related_model._meta.label_lower} |"
        )
    return [*lines, ""]


def export_archive(folder: Path) -> dict[str, int]:
    """Write the archive into `folder` (created; must be empty); returns the records per file."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if any(folder.iterdir()):
        raise FileExistsError(f"{folder} is not empty")
    counts: dict[str, int] = {}
    readme = [
        "# Stadshart: archive of all data",
        "",
        f"Written {timezone.localtime():%Y-%m-%d %H:%M} (format version {VERSION}). One JSON object per "
        "line; dates and times in ISO 8601 (times with their UTC offset); amounts as decimal strings; "
        "a field ending in `_id` holds the id of a record in the file named in its type. Media "
        "files (logos, images, photos) are not here: fields name their path in the media backup.",
        "",
        "Left out on purpose: per-reader newsletter events and deliveries (only totals per send), "
        "import batches, sessions and logins, the audit trail.",
        "",
    ]
    for app_label in APPS:
        try:
            config = apps.get_app_config(app_label)
        except LookupError:
            continue
        readme += [f"## {config.verbose_name}", ""]
        for model in config.get_models():
            if model._meta.label_lower in LEFT_OUT or model._meta.proxy:
                continue
            name = model._meta.label_lower.replace(".", "-")
            counts[name] = _write(folder, name, _rows(model))
            readme += _describe_model(model, name, counts[name])

    from newsletter.models import Send, Suppression

    readme += ["## Newsletters", ""]
    counts["newsletter-send"] = _write(folder, "newsletter-send", _send_rows())
    readme += _describe_model(Send, "newsletter-send", counts["newsletter-send"])[:-1]
    readme += [
        "| deliveries | messages per state (queued, sent, failed, skipped, cancelled, …) | object |",
        "| results | delivered, bounced, unique opens and clicks (people, machines left out), "
        "unsubscribes, complaints, clicks per link, timeline | object |",
        "",
    ]
    counts["newsletter-suppression"] = _write(folder, "newsletter-suppression", _rows(Suppression))
    readme += _describe_model(Suppression, "newsletter-suppression", counts["newsletter-suppression"])

    readme += ["## Pages of the portal and the newsletters", ""]
    for model in apps.get_models():
        if issubclass(model, Page) and model is not Page and not model._meta.abstract:
            name = "page-" + model._meta.label_lower.replace(".", "-")
            counts[name] = _write(folder, name, _page_rows(model))
            if counts[name]:
                readme += _describe_model(model, name, counts[name])[:-1]
                readme += ["| parent_id | the page above this one | id of a page in any page file |", ""]
            else:
                (folder / f"{name}.jsonl").unlink()
                del counts[name]

    (folder / "manifest.json").write_text(
        json.dumps({"version": VERSION, "written_at": timezone.now().isoformat(), "files": counts}, indent=2)
    )
    (folder / "README.md").write_text("\n".join(readme), encoding="utf-8")
    return counts
