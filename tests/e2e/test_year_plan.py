"""The year plan in a real browser: a project lead updates their project on a phone; the centre
manager composes the progress report, downloads the PDF and sends the report to the board."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader
from wagtail.models import Site

from projects.models import DecisionRequest, Milestone, ProgressReport, Status
from stadshart.models import CentreSettings
from tests.builders import make_staff
from tests.e2e.conftest import SCREENSHOTS, screenshot, staff_login
from tests.projects.conftest import new_project

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def log_in(page, base_url, username):
    staff_login(page, base_url, username)


@pytest.fixture
def year_plan(db):
    organisation = CentreSettings.for_site(Site.objects.get(is_default_site=True))
    organisation.name = "Centrummanagement Veldhaven"
    organisation.save()
    marloes = make_staff("marloes", "Centrummanager", first_name="Marloes", last_name="Bakker")
    sanne = make_staff("sanne", "Accountmanager", first_name="Sanne", last_name="de Vries")
    year = dt.date.today().year
    bikes = new_project(
        marloes,
        year=year,
        name="Fietsparkeren Stationsweg",
        lead=sanne,
        goal="Geen fietsen meer op de stoep.",
        budget_planned=Decimal("60000"),
        budget_spent=Decimal("18000"),
    )
    Milestone.objects.create(project=bikes, title="Aanbesteding gegund", due_date=dt.date(year, 1, 15))
    new_project(marloes, year=year, name="Aanpak leegstand Marktstraat", lead=marloes, status=Status.RED)
    DecisionRequest.objects.create(
        project=bikes, question="Akkoord op de gunning aan Stalling BV?", meeting_date=dt.date(year, 1, 20)
    )
    return bikes


def test_a_project_lead_updates_their_project_on_a_phone(phone, live_server, year_plan):
    log_in(phone, live_server.url, "sanne")
    phone.goto(f"{live_server.url}/admin/projects/")
    expect(phone.get_by_text("Fietsparkeren Stationsweg")).to_be_visible()
    screenshot(phone, "year-plan-projects-phone")

    phone.goto(f"{live_server.url}/admin/projects/edit/{year_plan.pk}/")
    phone.locator("#id_status").select_option("oranje")
    phone.locator("#id_status_note").fill("Aannemer pas in mei beschikbaar.")
    phone.locator("#id_progress").fill("Stalling schuift naar juni; rekken staan er al.")
    phone.locator("#id_budget_spent").fill("21500.00")
    phone.locator("#id_milestones-0-is_done").check()
    expect(phone.locator("#id_lead")).to_be_disabled()  # the project stays in her hands
    overflow = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    screenshot(phone, "year-plan-lead-edits-phone")
    phone.get_by_role("button", name="Opslaan").first.click()
    expect(phone.locator(".messages")).to_contain_text("Fietsparkeren Stationsweg")

    year_plan.refresh_from_db()
    assert (year_plan.status, year_plan.budget_spent) == ("oranje", Decimal("21500.00"))
    assert year_plan.progress == "Stalling schuift naar juni; rekken staan er al."
    assert year_plan.milestones.get().is_done
    change = year_plan.status_changes.first()
    assert (change.note, change.changed_by.username) == ("Aannemer pas in mei beschikbaar.", "sanne")


def test_the_centre_manager_composes_downloads_and_sends_the_report(page, live_server, year_plan):
    year = dt.date.today().year
    log_in(page, live_server.url, "marloes")
    page.goto(f"{live_server.url}/admin/progress_reports/new/")
    page.locator("#id_start").fill(f"{year}-01-01")
    page.locator("#id_end").fill(f"{year}-12-31")
    page.locator("#id_introduction").fill("Een drukke start van het jaar.")
    page.get_by_role("button", name="Rapportage tonen").click()
    report = page.locator(".progress-report")
    expect(report).to_contain_text("Fietsparkeren Stationsweg")
    expect(report).to_contain_text("Sanne de Vries")
    expect(report).to_contain_text("Akkoord op de gunning aan Stalling BV?")
    expect(report).to_contain_text("€ 60.000,00")
    screenshot(page, "year-plan-report-compose")

    with page.expect_download() as download:
        page.get_by_role("link", name="PDF (A4)").click()
    pdf = SCREENSHOTS / "year-plan-report.pdf"
    download.value.save_as(pdf)
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    assert "Centrummanagement Veldhaven" in text and "Fietsparkeren Stationsweg" in text

    page.get_by_role("button", name="Versturen naar het bestuur").click()
    page.wait_for_url(f"{live_server.url}/admin/progress_reports/inspect/*/")
    expect(page.locator(".messages")).to_contain_text("naar het bestuur verstuurd")
    expect(page.locator(".pr-sent")).to_contain_text("Marloes Bakker")
    screenshot(page, "year-plan-report-sent")
    sent = ProgressReport.objects.get()
    assert (sent.sent_by.username, sent.data["introduction"]) == ("marloes", "Een drukke start van het jaar.")


def test_the_board_records_its_answer_from_the_project_page(page, live_server, year_plan):
    make_staff("pieter", "Bestuur", first_name="Pieter", last_name="van den Berg")
    log_in(page, live_server.url, "pieter")
    page.goto(f"{live_server.url}/admin/projects/inspect/{year_plan.pk}/")
    expect(page.get_by_text("Wacht op het antwoord van het bestuur")).to_be_visible()
    page.get_by_role("link", name="Antwoord vastleggen").click()
    page.locator("#id_answer").select_option("aangehouden")
    page.locator("#id_answer_text").fill("Eerst een tweede offerte.")
    screenshot(page, "year-plan-board-answers")
    page.get_by_role("button", name="Opslaan").first.click()
    expect(page.locator(".messages .success")).to_be_visible()

    decision = year_plan.decisions.get()
    assert (decision.answer, decision.answer_text, decision.answered_by.username) == (
        "aangehouden",
        "Eerst een tweede offerte.",
        "pieter",
    )
    page.goto(f"{live_server.url}/admin/projects/inspect/{year_plan.pk}/")
    expect(page.get_by_text("Aangehouden")).to_be_visible()
    assert page.get_by_role("link", name="Wijzigen").count() == 0  # the board changes no project
