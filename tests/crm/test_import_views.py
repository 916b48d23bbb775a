"""The import screens as staff use them: upload, map and preview, run, report, undo."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from crm.importing import MAX_FILE_SIZE
from crm.models import ImportBatch, Organisation, Person
from stadshart.celery import app
from tests.builders import make_organisation
from tests.crm.test_import import HEADER, csv_bytes, shop, xlsx_bytes


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def eager_celery():
    """Tasks run in the test's process when enqueued; enqueueing waits for the commit as in production."""
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture(autouse=True)
def worker_at_once(eager_celery):
    """The worker's tasks (reading the file, importing) run at once, after the request's commit."""


def upload(client, data: bytes, name="leden.csv"):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("crm_import:upload"), {"file": SimpleUploadedFile(name, data)})


def post_mapping(client, url, data):
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, data)
    return client.get(response.url) if response.status_code == 302 else response


def test_the_board_may_not_import_nor_see_the_menu_item(client, pieter, marloes):
    batch = ImportBatch.objects.create(filename="x.csv", created_by=marloes)
    client.force_login(pieter)

    for url in (
        reverse("crm_import:upload"),
        reverse("crm_import:mapping", args=[batch.pk]),
        reverse("crm_import:report", args=[batch.pk]),
        reverse("crm_import:undo", args=[batch.pk]),
    ):
        assert client.get(url).status_code in (302, 403), url
    assert client.post(reverse("crm_import:undo", args=[batch.pk])).status_code in (302, 403)
    assert reverse("crm_import:upload") not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_centre_manager_finds_import_in_the_relations_menu(client, marloes):
    client.force_login(marloes)

    home = client.get(reverse("wagtailadmin_home")).content.decode()

    assert reverse("crm_import:upload") in home and "Importeren" in home


def test_upload_map_preview_and_import_a_file(
    client, marloes, eager_celery, django_capture_on_commit_callbacks
):
    make_organisation("Winkel 1", kvk_number="40000001")
    rows = [shop(1), shop(2), shop(3, **{"KvK-nummer": "123"}), shop(4, **{"Postcode": "AB 1234"})]
    client.force_login(marloes)

    response = upload(client, csv_bytes(rows, encoding="cp1252"))
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    mapping_page = client.get(response.url).content.decode()

    assert "4 rijen" in mapping_page
    assert "Importeren als" in mapping_page and "Voorbeeld" in mapping_page
    assert "Rijen die niet worden overgenomen" in mapping_page
    assert (
        "KvK-nummer “123” klopt niet: het moet precies 8 cijfers hebben en mag niet met 00 beginnen."
        in mapping_page
    )
    assert "Postcode “AB 1234” is geen Nederlandse postcode (zoals 1234 AB)." in mapping_page
    assert Organisation.objects.count() == 1  # the preview wrote nothing

    with django_capture_on_commit_callbacks(execute=True):
        form = {f"column_{index}": batch.column_mapping.get(str(index), "") for index in range(len(HEADER))}
        response = client.post(reverse("crm_import:mapping", args=[batch.pk]), {**form, "action": "start"})
    assert response.url == reverse("crm_import:report", args=[batch.pk])

    report = client.get(response.url).content.decode()
    batch.refresh_from_db()
    assert (batch.status, batch.created_count, batch.matched_count, batch.rejected_count) == (
        "klaar",
        1,
        1,
        2,
    )
    assert "Niet overgenomen rijen" in report and "Deze import ongedaan maken" in report
    assert "precies 8 cijfers" in report
    assert set(Organisation.objects.values_list("name", flat=True)) == {"Winkel 1", "Winkel 2"}
    assert Organisation.objects.get(name="Winkel 2").created_at  # created by the task, through the service


def test_the_user_maps_a_column_the_importer_does_not_know(client, marloes):
    data = csv_bytes([{"Zaak": "Slagerij Kok", "Adresregel": "Kerkstraat"}], header=["Zaak", "Adresregel"])
    client.force_login(marloes)
    response = upload(client, data)
    batch = ImportBatch.objects.get()

    page = client.get(response.url).content.decode()
    assert "Geen kolom bevat de naam van de organisatie" in page
    assert "Import starten" not in page

    page = post_mapping(
        client, response.url, {"column_0": "name", "column_1": "street", "action": "preview"}
    ).content.decode()
    batch.refresh_from_db()
    assert batch.column_mapping == {"0": "name", "1": "street"}
    assert "Import starten" in page and "Slagerij Kok" in page


def test_two_columns_mapped_to_one_field_are_refused(client, marloes):
    client.force_login(marloes)
    response = upload(client, csv_bytes([shop(1)]))

    page = client.post(response.url, {"column_0": "name", "column_2": "name", "action": "preview"})

    assert "Meer dan één kolom is gekoppeld aan: Naam." in page.content.decode()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "leeg.csv", "leeg"),
        (b"\xd0\xcf\x11\xe0oud", "oud.xls", "Upload een .csv- of .xlsx-bestand."),
        (b"naam;kvk\r\n" + b"x" * (MAX_FILE_SIZE + 1), "groot.csv", "groter dan 20 MB"),
    ],
)
def test_a_file_refused_by_its_name_or_size_gets_a_clear_message_at_once(
    client, marloes, data, name, message
):
    client.force_login(marloes)

    response = upload(client, data, name=name)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b" \r\n", "leeg.csv", "Het bestand is leeg."),
        (b"naam;kvk\r\n", "kop.csv", "geen rijen eronder"),
        (b"PK\x03\x04kapot", "kapot.xlsx", "geen leesbare Excel-werkmap"),
    ],
)
def test_a_file_the_worker_cannot_read_says_why_on_its_page(client, marloes, data, name, message):
    client.force_login(marloes)

    response = upload(client, data, name=name)
    page = client.get(response.url, follow=True).content.decode()

    assert message in page
    assert ImportBatch.objects.get().status == ImportBatch.Status.FAILED


def test_the_request_only_stores_the_file_and_the_worker_refuses_a_zip_bomb(client, marloes, eager_celery):
    from crm.tasks import read_import
    from tests.crm.test_import_limits import zip_bomb

    client.force_login(marloes)
    app.conf.task_always_eager = False  # no worker yet: the request must not read the file itself
    response = client.post(reverse("crm_import:upload"), {"file": SimpleUploadedFile("bom.xlsx", zip_bomb())})
    batch = ImportBatch.objects.get()
    waiting = client.get(response.url).content.decode()
    assert batch.status == ImportBatch.Status.READING
    assert "Het bestand wordt gelezen en gecontroleerd" in waiting

    read_import(batch.pk)  # what the worker does once the upload's transaction has committed

    page = client.get(response.url, follow=True).content.decode()
    assert "De werkmap pakt uit tot meer dan 100 MB" in page
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED


def test_an_xlsx_upload_is_previewed(client, marloes):
    client.force_login(marloes)
    data = xlsx_bytes([["Naam", "Plaats"], ["Boekhandel Plantage", "Veldhaven"]])

    response = upload(client, data, name="lijst.xlsx")

    assert "Boekhandel Plantage" in client.get(response.url).content.decode()


def test_progress_is_reported_while_an_import_runs(client, marloes):
    batch = ImportBatch.objects.create(
        filename="groot.csv", status=ImportBatch.Status.RUNNING, total_rows=10000, processed_rows=2500
    )
    client.force_login(marloes)

    page = client.get(reverse("crm_import:report", args=[batch.pk])).content.decode()
    progress = json.loads(client.get(reverse("crm_import:progress", args=[batch.pk])).content)

    assert "De import loopt" in page and 'value="2500"' in page
    assert progress == {"status": "bezig", "processed_rows": 2500, "total_rows": 10000}


def test_the_task_runs_an_import_only_once(client, marloes):
    from crm.importing import store_upload
    from crm.tasks import run_import

    data = csv_bytes([shop(1)])
    client.force_login(marloes)
    upload(client, data)
    batch = ImportBatch.objects.get()
    store_upload(batch=batch, data=data)

    run_import(batch.pk)
    run_import(batch.pk)  # delivered twice

    batch.refresh_from_db()
    assert (batch.status, batch.created_count) == ("klaar", 1)
    assert Organisation.objects.count() == 1


def test_the_task_reports_a_lost_upload_on_the_batch(client, marloes):
    from crm.tasks import run_import

    batch = ImportBatch.objects.create(
        filename="kwijt.csv", file_sha256="0" * 64, status=ImportBatch.Status.RUNNING, created_by=marloes
    )
    client.force_login(marloes)

    run_import(batch.pk)

    report = client.get(reverse("crm_import:report", args=[batch.pk])).content.decode()
    assert "Het geüploade bestand is er niet meer; upload het opnieuw." in report
    assert "De import is mislukt en heeft niets opgeslagen." in report


def test_undo_from_the_report_page(client, marloes):
    from crm.importing import import_organisations

    batch = import_organisations(file=csv_bytes([shop(1), shop(2)]), filename="x.csv", user=marloes)
    client.force_login(marloes)

    confirm = client.get(reverse("crm_import:undo", args=[batch.pk])).content.decode()
    assert "Ja, maak deze import ongedaan" in confirm
    response = client.post(reverse("crm_import:undo", args=[batch.pk]), follow=True)

    assert (
        "De import is ongedaan gemaakt: 2 nieuwe organisaties zijn verwijderd." in response.content.decode()
    )
    assert not Organisation.objects.exists() and not Person.objects.exists()
    batch.refresh_from_db()
    assert batch.status == "teruggedraaid"
