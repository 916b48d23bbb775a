"""The municipality's levy list: matched on KvK, every row not taken reported, dry run, undo."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from crm.importing import ImportFileError
from funding.levy import import_levy_list, undo_levy_import
from funding.models import Contribution, LevyImport
from tests.funding.conftest import business, contribution


@pytest.fixture
def known(db):
    return {
        "bakery": business("Bakkerij De Korenschoof", kvk_number="12345678"),
        "cafe": business("Café Één", kvk_number="23456789"),
        "books": business("Boekhandel Het Hoekje", kvk_number="34567890"),
        "chain_a": business("Drogist Keten Markt", kvk_number="45678901", branch_number="456789010001"),
        "chain_b": business("Drogist Keten Kerk", kvk_number="45678901", branch_number="456789010002"),
    }


LIST = (
    "KvK-nummer;Vestigingsnummer;Naam;Bedrag aanslag;Aanslagdatum;Betaald\n"
    "12345678;;Bakkerij De Korenschoof;€ 1.250,50;01-03-2026;1.250,50\n"  # 2: taken
    "2345 6789;;Café Één;300;01-03-2026;\n"  # 3: taken (spaces in the KvK number)
    "1234567;;Te Kort;100;;\n"  # 4: KvK of 7 digits
    "99999999;;Onbekend BV;100;;\n"  # 5: not in the CRM
    "34567890;;Boekhandel Het Hoekje;-50;;\n"  # 6: negative
    "45678901;;Drogist Keten;200;;\n"  # 7: two branches, no vestigingsnummer
    "45678901;456789010002;Drogist Keten Kerk;200;;\n"  # 8: taken by branch
    "12345678;;Bakkerij De Korenschoof;100;;\n"  # 9: twice in the file
    "34567890;;Boekhandel Het Hoekje;;;\n"  # 10: no amount
    "34567890;;Boekhandel Het Hoekje;abc;;\n"  # 11: not an amount
)


def reasons(levy_import) -> dict[int, str]:
    return {row["line"]: row["reason"] for row in levy_import.rejected_rows}


def test_a_dry_run_reports_every_row_and_writes_nothing(known, marloes):
    with translation.override("nl"):
        levy_import, plan = import_levy_list(
            data=LIST.encode("cp1252"),
            filename="biz-2026.csv",
            year=2026,
            kind="biz",
            user=marloes,
            dry_run=True,
        )
    assert levy_import.pk is None and not LevyImport.objects.exists()
    assert not Contribution.objects.exists()
    assert (levy_import.total_rows, levy_import.created_count, levy_import.rejected_count) == (10, 3, 7)
    why = reasons(levy_import)
    assert set(why) == {4, 5, 6, 7, 9, 10, 11}
    assert "8 cijfers" in why[4]
    assert "99999999" in why[5]
    assert "negatief" in why[6]
    assert "vestigingsnummer" in why[7]
    assert "regel 2" in why[9]
    assert [name for _line, name, _amount in plan.sample] == [
        "Bakkerij De Korenschoof",
        "Café Één",
        "Drogist Keten Kerk",
    ]


def test_the_import_adds_the_lines_and_undo_takes_them_all_away(known, marloes):
    contribution(known["books"], 2025)  # another year: untouched by the undo
    levy_import, _plan = import_levy_list(
        data=LIST.encode(), filename="biz.csv", year=2026, kind="biz", user=marloes
    )
    bakery = Contribution.objects.get(organisation=known["bakery"], year=2026)
    assert (bakery.amount, bakery.paid_amount, bakery.invoiced_on.isoformat()) == (
        Decimal("1250.50"),
        Decimal("1250.50"),
        "2026-03-01",
    )
    assert Contribution.objects.filter(levy_import=levy_import).count() == 3
    assert undo_levy_import(levy_import=levy_import, user=marloes) == 3
    assert list(Contribution.objects.values_list("year", flat=True)) == [2025]
    levy_import.refresh_from_db()
    assert levy_import.status == LevyImport.Status.UNDONE
    with pytest.raises(Exception, match="(?i)teruggedraaid|undone"):
        undo_levy_import(levy_import=levy_import, user=marloes)


def test_an_organisation_billed_already_is_not_billed_twice(known, marloes):
    contribution(known["cafe"], 2026, "275.00")
    with translation.override("nl"):
        levy_import, _plan = import_levy_list(
            data=LIST.encode(), filename="biz.csv", year=2026, kind="biz", user=marloes, dry_run=True
        )
    assert "Café Één" in reasons(levy_import)[3]


def test_a_row_of_another_year_is_not_taken(known, marloes):
    data = b"KvK;Bedrag;Jaar\n12345678;100;2025\n23456789;100;2026\n"
    levy_import, _plan = import_levy_list(data=data, filename="l.csv", year=2026, kind="biz", user=marloes)
    assert list(reasons(levy_import)) == [2]
    assert Contribution.objects.get().organisation == known["cafe"]


def test_an_xlsx_list_is_read_too(known, marloes):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["KvK nummer", "Bedrag"])
    sheet.append([12345678, 480.25])
    buffer = io.BytesIO()
    workbook.save(buffer)
    import_levy_list(
        data=buffer.getvalue(), filename="lijst.xlsx", year=2026, kind="ondernemersfonds", user=marloes
    )
    line = Contribution.objects.get()
    assert (line.organisation, line.kind, line.amount) == (
        known["bakery"],
        "ondernemersfonds",
        Decimal("480.25"),
    )


def test_a_file_without_kvk_column_is_refused_as_a_whole(known, marloes):
    with translation.override("nl"), pytest.raises(ImportFileError, match="KvK"):
        import_levy_list(data=b"Naam;Bedrag\nX;1\n", filename="l.csv", year=2026, kind="biz", user=marloes)


# Through the screen ---------------------------------------------------------------------------


def upload(client, content: bytes, *, dry_run: bool, name="heffing.csv"):
    data = {"file": SimpleUploadedFile(name, content), "year": "2026", "kind": "biz"}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(reverse("funding_levy:upload"), data)


def test_the_screens_dry_run_is_read_by_the_worker_and_imports_the_same_file(
    client, known, marloes, django_capture_on_commit_callbacks
):
    from funding.levy import stored_path
    from funding.tasks import check_levy_list
    from stadshart.celery import app
    from stadshart.storage import private_storage

    client.force_login(marloes)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = upload(client, LIST.encode(), dry_run=True)
    # The request only stored the file: no worker has run, nothing was read or written.
    levy_import = LevyImport.objects.get()
    assert response.url == reverse("funding_levy:report", args=[levy_import.pk])
    assert (levy_import.status, levy_import.dry_run_report, levy_import.total_rows) == ("controle", None, 0)
    assert len(callbacks) == 1 and not Contribution.objects.exists()
    assert private_storage().exists(stored_path(levy_import))
    waiting = client.get(response.url).content.decode()
    assert "Het bestand wordt gelezen en gecontroleerd" in waiting and "99999999" not in waiting

    check_levy_list(levy_import.pk)  # what the worker does after the commit
    check_levy_list(levy_import.pk)  # a second delivery changes nothing
    report = client.get(response.url).content.decode()
    assert "Proefrun: er is niets veranderd" in report
    assert "99999999" in report and "Drogist Keten Kerk" in report
    assert not Contribution.objects.exists()

    app.conf.task_always_eager = True  # the import reads the stored file: no second upload
    try:
        with django_capture_on_commit_callbacks(execute=True):
            client.post(response.url, {"action": "import"})
            client.post(response.url, {"action": "import"})  # clicked twice: imported once
    finally:
        app.conf.task_always_eager = False
    levy_import.refresh_from_db()
    assert (levy_import.status, levy_import.created_count) == ("klaar", 3)
    assert Contribution.objects.count() == 3
    assert not private_storage().exists(stored_path(levy_import))


def test_the_screen_imports_and_undoes(client, known, marloes, django_capture_on_commit_callbacks):
    from stadshart.celery import app

    client.force_login(marloes)
    app.conf.task_always_eager = True  # the worker reads and imports once the upload has committed
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = upload(client, LIST.encode(), dry_run=False)
    finally:
        app.conf.task_always_eager = False
    levy_import = LevyImport.objects.get()
    assert response.url == reverse("funding_levy:report", args=[levy_import.pk])
    assert levy_import.status == LevyImport.Status.DONE
    assert Contribution.objects.count() == 3
    report = client.get(response.url).content.decode()
    assert "99999999" in report
    client.post(response.url)
    assert not Contribution.objects.exists()


def test_a_list_goes_to_the_worker_after_commit(
    client, known, marloes, django_capture_on_commit_callbacks, settings
):
    from stadshart.celery import app

    rows = "".join(f"{10000000 + number};100\n" for number in range(400))
    client.force_login(marloes)
    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            upload(client, f"KvK;Bedrag\n12345678;100\n{rows}".encode(), dry_run=False)
        levy_import = LevyImport.objects.get()
        assert levy_import.status == LevyImport.Status.RUNNING  # nothing done in the request
        assert len(callbacks) == 1
        callbacks[0]()
    finally:
        app.conf.task_always_eager = False
    levy_import.refresh_from_db()
    assert (levy_import.status, levy_import.created_count, levy_import.rejected_count) == ("klaar", 1, 400)


def test_an_unreadable_file_keeps_the_form_with_the_reason(client, known, marloes):
    client.force_login(marloes)
    response = upload(client, b"", dry_run=False)
    assert response.status_code == 200
    assert "leeg" in response.content.decode()
    assert not LevyImport.objects.exists()


def test_a_zip_bomb_is_refused_by_the_worker_and_the_dry_run_alike(client, known, marloes):
    from funding.tasks import check_levy_list, run_levy_import
    from tests.crm.test_import_limits import zip_bomb

    client.force_login(marloes)
    bomb = zip_bomb()
    dry = upload(client, bomb, dry_run=True, name="heffing.xlsx")
    checked = LevyImport.objects.get()
    assert checked.status == "controle"  # the request did not open the file
    check_levy_list(checked.pk)
    refused = client.get(dry.url).content.decode()
    assert "pakt uit tot meer dan 100 MB" in refused and "Mislukt" in refused
    checked.delete()

    response = upload(client, bomb, dry_run=False, name="heffing.xlsx")
    levy_import = LevyImport.objects.get()
    assert levy_import.status == LevyImport.Status.RUNNING  # the request only stored the file
    run_levy_import(levy_import.pk)  # what the worker does after the commit
    report = client.get(response.url).content.decode()
    assert "pakt uit tot meer dan 100 MB" in report
    assert not Contribution.objects.exists()
