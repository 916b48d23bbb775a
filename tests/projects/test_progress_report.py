"""The progress report, written the way the centre manager writes it by hand (projects, lead, light,
remark, successes, decisions, finances, risks): its content, its PDF and XLSX, and the frozen copy
the board keeps once it is sent."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader
from wagtail.models import Site

from crm.models import Organisation as Business
from funding.models import Contribution
from projects import queries, report, services
from projects.models import BasicTask, DecisionRequest, Milestone, ProgressReport, Status
from stadshart.models import CentreSettings
from tests.builders import make_organisation
from tests.projects.conftest import new_project, year_plan

pytestmark = pytest.mark.django_db

Q1 = {"start": dt.date(2026, 1, 1), "end": dt.date(2026, 3, 31)}
PERIOD = "1-1-2026 t/m 31-3-2026"


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


@pytest.fixture
def world(marloes, sanne):
    organisation = CentreSettings.for_site(Site.objects.get(is_default_site=True))
    organisation.name = "Centrummanagement Veldhaven"
    organisation.save()
    plan = year_plan(2026)
    BasicTask.objects.create(
        year_plan=plan, kind=BasicTask.Kind.CLEAN, description="Extra veegrondes.", budget=42000, lead=marloes
    )
    lights = new_project(
        marloes,
        name="Kerstverlichting binnenstad",
        lead=sanne,
        goal="Een sfeervolle binnenstad.",
        budget_planned=Decimal("48000"),
        budget_spent=Decimal("12500.50"),
        progress="Lichtlijnen besteld; levering in week 44.",
        went_well="92% van de ondernemers doet mee.",
        risks="Levering is krap.",
        at=at("2026-01-10T10:00"),
    )
    services.change_status(
        project=lights,
        status=Status.ORANGE,
        note="Levering vertraagd.",
        user=marloes,
        at=at("2026-02-15T10:00"),
    )
    # After the period: the Q1 report still shows orange.
    services.change_status(
        project=lights,
        status=Status.RED,
        note="Leverancier failliet.",
        user=marloes,
        at=at("2026-05-01T10:00"),
    )
    vacancy = new_project(
        marloes,
        name="Aanpak leegstand Marktstraat",
        lead=marloes,
        budget_planned=Decimal("25000"),
        budget_spent=Decimal("30000"),
        note="Gesprekken met vijf eigenaren gestart.",
        at=at("2026-01-20T10:00"),
    )
    new_project(marloes, name="Zomerfestival 2025", year=2025, budget_planned=Decimal("99999"))
    Milestone.objects.create(
        project=lights, title="Leverancier gekozen", due_date=dt.date(2026, 2, 1), is_done=True
    )
    Milestone.objects.create(project=lights, title="Verlichting hangt", due_date=dt.date(2026, 6, 1))
    DecisionRequest.objects.create(
        project=lights,
        question="Akkoord op leverancier LichtWerk?",
        meeting_date=dt.date(2026, 3, 10),
        meeting_name="Bestuursvergadering maart",
        answer="akkoord",
        answer_text="Met dank.",
        answered_on=dt.date(2026, 3, 10),
    )
    DecisionRequest.objects.create(
        project=vacancy, question="Huurkorting uit het fonds?", meeting_date=dt.date(2025, 12, 1)
    )
    DecisionRequest.objects.create(
        project=lights,
        question="Oude vraag",
        meeting_date=dt.date(2025, 11, 1),
        answer="akkoord",
        answered_on=dt.date(2025, 11, 1),
    )
    DecisionRequest.objects.create(
        project=vacancy, question="Vraag voor mei", meeting_date=dt.date(2026, 5, 1)
    )
    bakery, cafe = make_organisation("Bakkerij De Korenschoof"), make_organisation("Café De Zon")
    Contribution.objects.create(
        organisation=bakery, year=2026, kind="biz", amount=Decimal("450"), paid_on=dt.date(2026, 2, 1)
    )
    Contribution.objects.create(
        organisation=cafe,
        year=2026,
        kind="vrijwillig",
        amount=Decimal("250"),
        paid_amount=Decimal("100"),
        paid_on=dt.date(2026, 3, 31),
    )
    Contribution.objects.create(
        organisation=cafe, year=2026, kind="subsidie", amount=Decimal("5000"), paid_on=dt.date(2026, 4, 1)
    )
    Contribution.objects.create(
        organisation=bakery, year=2026, kind="ondernemersfonds", amount=Decimal("300")
    )
    return {"lights": lights, "vacancy": vacancy}


def test_the_report_says_what_the_hand_written_one_says(world):
    data = queries.progress_report(**Q1, introduction="Een goed kwartaal.")

    assert data["organisation"] == "Centrummanagement Veldhaven"
    assert data["title"] == f"Voortgangsrapportage {PERIOD}"
    assert [(p["name"], p["lead"], p["status"], p["remark"]) for p in data["projects"]] == [
        ("Aanpak leegstand Marktstraat", "Marloes Bakker", "groen", "Gesprekken met vijf eigenaren gestart."),
        (
            "Kerstverlichting binnenstad",
            "Sanne de Vries",
            "oranje",
            "Lichtlijnen besteld; levering in week 44.",
        ),
    ]
    assert data["projects"][1]["milestones"] == [
        {"title": "Leverancier gekozen", "date": "2026-02-01", "done": True}
    ]
    assert data["successes"] == [
        {"project": "Kerstverlichting binnenstad", "text": "92% van de ondernemers doet mee."}
    ]
    assert data["risks"] == [{"project": "Kerstverlichting binnenstad", "text": "Levering is krap."}]
    assert [(d["question"], d["answer"]) for d in data["decisions"]] == [
        ("Huurkorting uit het fonds?", ""),
        ("Akkoord op leverancier LichtWerk?", "akkoord"),
    ]
    assert data["finances"]["planned"] == "73000.00" and data["finances"]["spent"] == "42500.50"
    received = {c["kind"]: c["amount"] for c in data["finances"]["contributions"]}
    assert (
        received["biz"] == "450.00" and received["vrijwillig"] == "100.00" and received["subsidie"] == "0.00"
    )
    assert data["finances"]["contributions_total"] == "550.00"
    assert data["basic_tasks"] == [
        {"kind": "schoon", "description": "Extra veegrondes.", "budget": "42000.00", "lead": "Marloes Bakker"}
    ]

    html = report.render_html(data)
    for text in (
        "Rapportageperiode",
        "1. Successen",
        "2. Gevraagde besluiten",
        "3. Financiën",
        "en aandachtspunten",
        "Een goed kwartaal.",
        "Oranje: dreigende problemen",
        "Antwoord van het bestuur: Akkoord",
        "Wacht op het antwoord van het bestuur.",
        "€&nbsp;48.000,00",
        "€&nbsp;-5.000,00",
        "€&nbsp;550,00",
        "Schoon",
    ):
        assert text in html, text
    assert "Zomerfestival 2025" not in html and "Oude vraag" not in html and "Vraag voor mei" not in html


def test_the_report_reads_in_a_fixed_number_of_queries(world, marloes, django_assert_num_queries):
    with django_assert_num_queries(8):
        queries.progress_report(**Q1)
    for number in range(5):
        project = new_project(marloes, name=f"Project {number}", lead=marloes, progress="Loopt.")
        Milestone.objects.create(project=project, title="Stap", due_date=dt.date(2026, 2, 1))
        DecisionRequest.objects.create(project=project, question="Akkoord?", meeting_date=dt.date(2026, 2, 1))
    with django_assert_num_queries(8):
        data = queries.progress_report(**Q1)
    assert len(data["projects"]) == 7


def test_a_period_that_ends_before_it_starts_is_refused_on_screen_and_nothing_typed_is_lost(
    client, marloes, world
):
    client.force_login(marloes)
    response = client.get(
        reverse("progress_reports:add"),
        {"start": "2026-03-31", "end": "2026-01-01", "introduction": "Mijn inleiding"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "De periode eindigt voordat hij begint." in html
    assert "Mijn inleiding" in html and "2026-03-31" in html


def test_the_pdf_is_a4_with_the_organisation_and_period_on_every_page(world):
    pdf = report.render_pdf(queries.progress_report(**Q1))

    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (595, 842)  # A4 in points
        text = page.extract_text()
        assert "Centrummanagement Veldhaven" in text
        assert PERIOD in text
    everything = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Kerstverlichting binnenstad" in everything and "Sanne de Vries" in everything


def test_the_spreadsheet_has_numbers_as_numbers_and_amounts_in_euros(world):
    world["lights"].progress = '=HYPERLINK("http://example.invalid")'
    world["lights"].save()
    book = load_workbook(io.BytesIO(report.render_xlsx(queries.progress_report(**Q1))))

    sheet = book["Projecten"]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=4) if row[0].value}
    lights = rows["Kerstverlichting binnenstad"]
    assert (
        lights[1].value == 2026
        and lights[2].value == "Sanne de Vries"
        and lights[3].value == "Oranje: dreigende problemen"
    )
    # Text, never a formula, and shown as typed (no quote in front: XLSX string cells cannot run).
    assert lights[4].data_type == "s" and lights[4].value == '=HYPERLINK("http://example.invalid")'
    assert lights[5].value is None or isinstance(lights[5].value, dt.datetime)
    planned, spent, left = lights[7], lights[8], lights[9]
    assert (planned.value, spent.value, left.value) == (48000, 12500.5, 35499.5)
    assert all(
        isinstance(cell.value, (int, float)) and "€" in cell.number_format for cell in (planned, spent, left)
    )
    total = rows["Totaal"]
    assert (total[7].value, total[8].value) == (73000, 42500.5)

    decisions = book["Gevraagde besluiten"]
    assert decisions["B2"].value == "Huurkorting uit het fonds?" and decisions["E2"].value == "Open"
    assert isinstance(decisions["D2"].value, dt.datetime) and decisions["D2"].number_format == "DD-MM-YYYY"

    money = book["Bijdragen"]
    assert money.cell(row=money.max_row, column=1).value == "Totaal"
    assert money.cell(row=money.max_row, column=2).value == 550
    assert "€" in money.cell(row=money.max_row, column=2).number_format


def test_the_centre_manager_downloads_the_report_before_sending(client, marloes, world):
    client.force_login(marloes)
    query = {"start": "2026-01-01", "end": "2026-03-31"}

    page = client.get(reverse("progress_reports:add"), query)
    pdf = client.get(reverse("progress_reports:add"), {**query, "format": "pdf"})
    xlsx = client.get(reverse("progress_reports:add"), {**query, "format": "xlsx"})

    assert "Kerstverlichting binnenstad" in page.content.decode()
    assert "Versturen naar het bestuur" in page.content.decode()
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert not ProgressReport.objects.exists()  # looking and downloading send nothing


def test_a_sent_report_stays_what_the_board_was_told(client, marloes, pieter, world):
    client.force_login(marloes)
    response = client.post(
        reverse("progress_reports:add"),
        {"start": "2026-01-01", "end": "2026-03-31", "introduction": "Zoals besproken."},
    )
    sent = ProgressReport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "progress_reports:inspect", args=[sent.pk]
    )
    assert (sent.sent_by, sent.period_start, sent.period_end) == (marloes, Q1["start"], Q1["end"])

    # Afterwards everything changes: names, lights, money, answers.
    lights = world["lights"]
    lights.name = "Lichtplan 2.0"
    lights.budget_planned = Decimal("99000")
    lights.save()
    services.change_status(
        project=lights, status=Status.GREY, note="Afgerond.", user=marloes, at=at("2026-03-30T10:00")
    )
    services.answer_decision(
        decision=DecisionRequest.objects.get(question="Huurkorting uit het fonds?"),
        answer="akkoord",
        answered_on=dt.date(2026, 4, 2),
        user=pieter,
    )

    client.force_login(pieter)
    html = client.get(reverse("progress_reports:inspect", args=[sent.pk])).content.decode()
    assert "Kerstverlichting binnenstad" in html and "Lichtplan 2.0" not in html
    assert "Oranje: dreigende problemen" in html and "€&nbsp;48.000,00" in html
    assert "Wacht op het antwoord van het bestuur." in html and "Zoals besproken." in html
    assert "Marloes Bakker" in html  # who sent it

    pdf = client.get(reverse("progress_reports:pdf", args=[sent.pk]))
    assert pdf.content == bytes(sent.pdf)
    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf.content)).pages
    )
    assert "Kerstverlichting binnenstad" in text and "Lichtplan 2.0" not in text

    book = load_workbook(io.BytesIO(client.get(reverse("progress_reports:xlsx", args=[sent.pk])).content))
    names = [row[0] for row in book["Projecten"].iter_rows(min_row=4, values_only=True)]
    assert "Kerstverlichting binnenstad" in names and "Lichtplan 2.0" not in names
    assert 48000 in [row[7] for row in book["Projecten"].iter_rows(min_row=4, values_only=True)]

    # Today's report does show the change: the frozen copy is not a coincidence.
    assert "Lichtplan 2.0" in report.render_html(queries.progress_report(**Q1))
    assert Business.objects.count() == 2
