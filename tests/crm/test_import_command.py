"""`manage.py import_crm`: the same import for operators and scripts."""

import io

import pytest
from django.core.management import CommandError, call_command

from crm.models import ImportBatch, Organisation
from tests.crm.test_import import csv_bytes, shop


def import_crm(*args) -> str:
    out = io.StringIO()
    call_command("import_crm", *args, stdout=out)
    return out.getvalue()


def test_the_command_imports_a_file_and_prints_progress_and_refusals(db, tmp_path, marloes):
    path = tmp_path / "leden.csv"
    path.write_bytes(csv_bytes([shop(n) for n in range(1, 600)] + [shop(700, **{"KvK-nummer": "x"})]))

    output = import_crm(str(path), "--user", "marloes")

    assert "500/600 rows checked" in output and "600/600 rows checked" in output
    assert "line 601: rejected: KvK-nummer “x” klopt niet" in output
    assert "599 new, 0 matched to existing records, 1 rejected" in output
    assert Organisation.objects.count() == 599
    assert ImportBatch.objects.get().created_by == marloes


def test_a_dry_run_prints_what_would_happen_and_writes_nothing(db, tmp_path):
    path = tmp_path / "leden.csv"
    path.write_bytes(csv_bytes([shop(1), shop(2)]))

    output = import_crm(str(path), "--dry-run")

    assert "Dry run, nothing written. 2 rows: 2 new" in output
    assert not Organisation.objects.exists() and not ImportBatch.objects.exists()


def test_a_file_that_cannot_be_imported_fails_with_its_reason(db, tmp_path):
    path = tmp_path / "leeg.csv"
    path.write_bytes(b"")

    with pytest.raises(CommandError, match="Het bestand is leeg."):
        import_crm(str(path))
    with pytest.raises(CommandError, match="No such file"):
        import_crm(str(tmp_path / "bestaat-niet.csv"))
