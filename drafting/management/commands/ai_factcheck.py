"""manage.py ai_factcheck --sources FILE... --text FILE [--brief FILE] [--own-host HOST...]"""

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from drafting.factcheck import check
from drafting.types import Source


def read_source(path: Path) -> list[Source]:
    """A .json file holds a source object or a list of them ({"kind", "title", "text", "url", "date"});
    any other file is one source of kind "page" whose title is the file name."""
    content = path.read_text(encoding="utf-8")
    if path.suffix.lower() != ".json":
        return [Source(kind="page", title=path.stem, text=content)]
    data = json.loads(content)
    items = data if isinstance(data, list) else [data]
    return [
        Source(
            kind=item.get("kind", "page"),
            title=item.get("title", ""),
            text=item.get("text", ""),
            url=item.get("url", ""),
            date=datetime.date.fromisoformat(item["date"]) if item.get("date") else None,
        )
        for item in items
    ]


class Command(BaseCommand):
    help = (
        "Check a text against its sources: print every date, time, amount, percentage, link, e-mail "
        "address, phone number and proper name in the text that the sources (and brief) do not support, "
        "and every link to another host, one per line as KIND<TAB>TEXT. Exits with 1 when there is any. "
        "Sources are text files, or JSON files with a source object or a list of them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sources", nargs="+", required=True, metavar="FILE")
        parser.add_argument("--text", required=True, metavar="FILE", help="the text to check (plain or HTML)")
        parser.add_argument("--brief", metavar="FILE", help="the brief, which counts as a source")
        parser.add_argument(
            "--own-host", action="append", default=[], help="a host of our own (default: SITE_URL's host)"
        )

    def handle(self, *args, **options):
        try:
            sources = [source for name in options["sources"] for source in read_source(Path(name))]
            text = Path(options["text"]).read_text(encoding="utf-8")
            brief = Path(options["brief"]).read_text(encoding="utf-8") if options["brief"] else ""
        except (OSError, ValueError, KeyError, AttributeError) as error:
            raise CommandError(f"Cannot read the files: {error}") from None
        own_hosts = options["own_host"] or [settings.SITE_URL.split("//", 1)[-1].split("/")[0].split(":")[0]]
        claims = check(text, brief=brief, sources=sources, own_hosts=own_hosts)
        for claim in claims:
            self.stdout.write(f"{claim.kind}\t{claim.text}")
        if claims:
            raise SystemExit(1)
