"""The leaving archive: everything, readable by another system, described field by field."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from crm.models import Consent, Organisation, Person
from newsletter.models import Send, Suppression

pytestmark = pytest.mark.django_db


def read(folder, name):
    return [json.loads(line) for line in (folder / f"{name}.jsonl").read_text().splitlines()]


def test_the_archive_holds_the_whole_crm_newsletter_totals_and_pages(demo_centre, tmp_path):
    folder = tmp_path / "archief"
    out = io.StringIO()
    call_command("export_archive", str(folder), stdout=out)

    organisations = read(folder, "crm-organisation")
    assert len(organisations) == Organisation.objects.count()
    first = Organisation.objects.order_by("pk").first()
    assert organisations[0]["name"] == first.name and organisations[0]["kvk_number"] == first.kvk_number
    assert sorted(organisations[0]["interests"]) == sorted(first.interests.values_list("pk", flat=True))
    assert len(read(folder, "crm-person")) == Person.objects.count()
    consents = read(folder, "crm-consent")
    assert len(consents) == Consent.objects.count() and all("wording" in row for row in consents)

    sends = read(folder, "newsletter-send")
    assert len(sends) == Send.objects.count()
    sent = next(row for row in sends if row["status"] == "sent")
    assert sent["deliveries"]["sent"] > 0 and sent["results"]["delivered"] > 0
    assert "email" not in json.dumps(sent["deliveries"])  # totals only, never readers
    assert len(read(folder, "newsletter-suppression")) == Suppression.objects.count()
    assert any(
        name.startswith("page-portal-")
        for name in json.loads((folder / "manifest.json").read_text())["files"]
    )

    readme = (folder / "README.md").read_text()
    assert "### crm-organisation.jsonl" in readme and "| kvk_number |" in readme
    assert "per-reader newsletter events" in readme
    assert "records in" in out.getvalue()


def test_the_archive_refuses_a_folder_that_is_not_empty(db, tmp_path):
    (tmp_path / "iets.txt").write_text("al hier")
    with pytest.raises(CommandError, match="not empty"):
        call_command("export_archive", str(tmp_path))
