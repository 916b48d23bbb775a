"""Every role against every screen of the year plan: who reads, who changes, who answers, who reports.

Project leads change their own projects only; the centre manager changes everything; the board
reads everything and records its answers to requested decisions, and nothing else.
"""

import datetime as dt

import pytest
from django.urls import reverse

from projects import queries, report
from projects.models import DecisionRequest, ProgressReport, Project, Status
from tests.projects.conftest import new_project, project_form_data, year_plan

pytestmark = pytest.mark.django_db

ROLES = ["marloes", "beheerder", "pieter", "sanne", "youssef", "hanneke", "lotte"]
EVERYONE = set(ROLES)
KEEPERS = {"marloes", "beheerder"}
BOARD = KEEPERS | {"pieter"}


@pytest.fixture
def year_plan_world(marloes, sanne):
    own = new_project(marloes, name="Fietsparkeren Stationsweg", lead=sanne)
    other = new_project(marloes, name="Aanpak leegstand Marktstraat", lead=marloes)
    decision = DecisionRequest.objects.create(
        project=own, question="Akkoord op de aanbesteding?", meeting_date=dt.date(2026, 3, 10)
    )
    data = queries.progress_report(start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31))
    sent = ProgressReport.objects.create(
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 3, 31),
        title=data["title"],
        data=data,
        html=report.render_html(data),
        pdf=b"%PDF-1.7 frozen",
        sent_at=dt.datetime(2026, 4, 7, 10, tzinfo=dt.UTC),
        sent_by=marloes,
    )
    return {"own": own, "other": other, "decision": decision, "sent": sent, "plan": year_plan(2026)}


# (screen, url builder, roles that may open it)
SCREENS = [
    ("project list", lambda w: reverse("projects:index"), EVERYONE),
    ("project page", lambda w: reverse("projects:inspect", args=[w["own"].pk]), EVERYONE),
    ("edit own project", lambda w: reverse("projects:edit", args=[w["own"].pk]), KEEPERS | {"sanne"}),
    ("edit someone else's project", lambda w: reverse("projects:edit", args=[w["other"].pk]), KEEPERS),
    ("new project", lambda w: reverse("projects:add"), KEEPERS),
    ("delete project", lambda w: reverse("projects:delete", args=[w["own"].pk]), KEEPERS),
    ("year plans", lambda w: reverse("year_plans:index"), EVERYONE),
    ("edit year plan", lambda w: reverse("year_plans:edit", args=[w["plan"].pk]), KEEPERS),
    ("requested decisions", lambda w: reverse("project_decisions:index"), BOARD),
    ("record an answer", lambda w: reverse("project_decisions:edit", args=[w["decision"].pk]), BOARD),
    ("sent reports", lambda w: reverse("progress_reports:index"), BOARD),
    ("compose a report", lambda w: reverse("progress_reports:add"), KEEPERS),
    ("a sent report", lambda w: reverse("progress_reports:inspect", args=[w["sent"].pk]), BOARD),
    ("a sent report's PDF", lambda w: reverse("progress_reports:pdf", args=[w["sent"].pk]), BOARD),
    ("a sent report's XLSX", lambda w: reverse("progress_reports:xlsx", args=[w["sent"].pk]), BOARD),
    ("change a sent report", lambda w: reverse("progress_reports:edit", args=[w["sent"].pk]), set()),
    ("delete a sent report", lambda w: reverse("progress_reports:delete", args=[w["sent"].pk]), set()),
]


@pytest.mark.parametrize(("screen", "url", "allowed"), SCREENS, ids=[screen[0] for screen in SCREENS])
def test_every_role_on_every_screen(request, client, year_plan_world, screen, url, allowed):
    address = url(year_plan_world)
    outcome = {}
    for role in ROLES:
        client.force_login(request.getfixturevalue(role))
        outcome[role] = client.get(address).status_code
        client.logout()
    opened = {role for role, status in outcome.items() if status == 200}
    refused = {role for role, status in outcome.items() if status in (302, 403)}
    assert opened == allowed, outcome
    assert refused == EVERYONE - allowed, outcome
    assert client.get(address).status_code == 302  # anonymous: to the login page


def test_a_lead_sees_an_edit_link_for_their_own_project_only(client, sanne, year_plan_world):
    client.force_login(sanne)
    html = client.get(reverse("projects:index")).content.decode()
    assert reverse("projects:edit", args=[year_plan_world["own"].pk]) in html
    assert reverse("projects:edit", args=[year_plan_world["other"].pk]) not in html


def test_a_lead_updates_their_project_but_cannot_hand_it_over_or_move_it(
    client, sanne, youssef, year_plan_world
):
    own = year_plan_world["own"]
    elsewhere = year_plan(2027)
    client.force_login(sanne)

    response = client.post(
        reverse("projects:edit", args=[own.pk]),
        project_form_data(
            own,
            status="oranje",
            status_note="Aannemer later beschikbaar.",
            progress="Start uitgesteld naar mei.",
            budget_spent="1250.00",
            lead=str(youssef.pk),
            year_plan=str(elsewhere.pk),
        ),
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    own.refresh_from_db()
    assert (own.status, own.progress, str(own.budget_spent)) == (
        "oranje",
        "Start uitgesteld naar mei.",
        "1250.00",
    )
    assert (own.lead, own.year_plan.year) == (sanne, 2026)
    assert own.status_changes.first().changed_by == sanne


def test_a_lead_cannot_change_someone_elses_project(client, sanne, year_plan_world):
    other = year_plan_world["other"]
    client.force_login(sanne)

    response = client.post(
        reverse("projects:edit", args=[other.pk]), project_form_data(other, status="rood", name="Gekaapt")
    )

    assert response.status_code in (302, 403)
    other.refresh_from_db()
    assert (other.name, other.status) == ("Aanpak leegstand Marktstraat", Status.GREEN)


def test_the_board_records_an_answer_and_cannot_change_the_question(client, pieter, year_plan_world):
    decision = year_plan_world["decision"]
    client.force_login(pieter)

    response = client.post(
        reverse("project_decisions:edit", args=[decision.pk]),
        {
            "answer": "niet_akkoord",
            "answer_text": "Eerst een tweede offerte.",
            "answered_on": "2026-03-10",
            "question": "Iets anders",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    decision.refresh_from_db()
    assert (decision.answer, decision.answer_text, decision.answered_by) == (
        "niet_akkoord",
        "Eerst een tweede offerte.",
        pieter,
    )
    assert decision.question == "Akkoord op de aanbesteding?"


def test_an_answer_without_a_choice_is_refused_and_the_text_kept(client, pieter, year_plan_world):
    decision = year_plan_world["decision"]
    client.force_login(pieter)

    response = client.post(
        reverse("project_decisions:edit", args=[decision.pk]),
        {"answer": "", "answer_text": "Mijn toelichting", "answered_on": "2026-03-10"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Dit is een verplicht veld." in html and "Mijn toelichting" in html
    decision.refresh_from_db()
    assert decision.answer == ""


def test_the_board_cannot_change_a_project_nor_send_a_report(client, pieter, year_plan_world):
    own = year_plan_world["own"]
    client.force_login(pieter)

    edit = client.post(reverse("projects:edit", args=[own.pk]), project_form_data(own, status="rood"))
    send = client.post(reverse("progress_reports:add"), {"start": "2026-01-01", "end": "2026-03-31"})

    assert edit.status_code in (302, 403) and send.status_code in (302, 403)
    own.refresh_from_db()
    assert own.status == Status.GREEN
    assert ProgressReport.objects.count() == 1


def test_a_lead_in_any_role_may_change_their_project(client, marloes, lotte):
    project = new_project(marloes, name="Zomerfestival", lead=lotte)
    client.force_login(lotte)
    assert client.get(reverse("projects:edit", args=[project.pk])).status_code == 200
    assert Project.objects.filter(lead=lotte).count() == 1


@pytest.mark.parametrize("change", ["question", "delete"])
def test_an_answered_question_stays_as_the_board_answered_it(client, sanne, pieter, year_plan_world, change):
    from wagtail.test.utils.form_data import inline_formset

    from projects import services

    own, decision = year_plan_world["own"], year_plan_world["decision"]
    services.answer_decision(
        decision=decision, answer="akkoord", answered_on=dt.date(2026, 3, 10), user=pieter
    )
    row = {
        "id": str(decision.pk),
        "question": decision.question,
        "meeting_date": "2026-03-10",
        "meeting_name": "",
    }
    if change == "question":
        row["question"] = "Een andere vraag"
    else:
        row["DELETE"] = "1"
    client.force_login(sanne)

    response = client.post(
        reverse("projects:edit", args=[own.pk]),
        project_form_data(own, progress="Nieuwe stand", decisions=inline_formset([row], initial=1)),
    )

    assert response.status_code == 200
    assert "Het bestuur heeft deze vraag beantwoord" in response.content.decode()
    decision.refresh_from_db()
    assert (decision.question, decision.answer) == ("Akkoord op de aanbesteding?", "akkoord")
    own.refresh_from_db()
    assert own.progress == ""
