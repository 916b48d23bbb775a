"""The year plan's parts: basic tasks, the project's new fields, milestones, requested decisions and
the board's answers; and the migration that moved the existing projects into year plans."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset

from projects import services
from projects.models import BasicTask, DecisionRequest, Milestone
from tests.builders import make_organisation
from tests.projects.conftest import new_project, project_form_data, year_plan

pytestmark = pytest.mark.django_db


def test_a_year_plan_has_one_basic_task_of_each_kind():
    plan = year_plan(2026)
    BasicTask.objects.create(year_plan=plan, kind=BasicTask.Kind.CLEAN, description="Veegrondes.")
    with pytest.raises(IntegrityError), transaction.atomic():
        BasicTask.objects.create(year_plan=plan, kind=BasicTask.Kind.CLEAN, description="Nog eens.")
    BasicTask.objects.create(
        year_plan=year_plan(2027), kind=BasicTask.Kind.CLEAN, description="Volgend jaar."
    )
    assert BasicTask.objects.count() == 2


def test_a_project_cannot_end_before_it_starts(marloes):
    with pytest.raises(ValidationError) as error:
        new_project(marloes, start_date=dt.date(2026, 5, 1), end_date=dt.date(2026, 4, 1))
    assert "Het einde ligt vóór het begin." in error.value.message_dict["end_date"]


def test_a_budget_cannot_be_negative(marloes):
    with pytest.raises(ValidationError):
        new_project(marloes, budget_planned=Decimal("-1"))


def test_the_centre_manager_saves_milestones_decisions_and_partners_with_the_project(client, marloes):
    project = new_project(marloes)
    bakery = make_organisation("Bakkerij De Korenschoof")
    make_organisation("Café De Zon")
    client.force_login(marloes)

    data = project_form_data(
        project,
        goal="Een sfeervolle binnenstad.",
        budget_planned="48000.00",
        budget_spent="12500.50",
        start_date="2026-01-15",
        end_date="2026-12-31",
        organisations=[str(bakery.pk)],
        milestones=inline_formset(
            [{"title": "Leverancier gekozen", "due_date": "2026-03-01", "is_done": True}]
        ),
        decisions=inline_formset(
            [
                {
                    "question": "Akkoord op leverancier LichtWerk?",
                    "meeting_date": "2026-03-10",
                    "meeting_name": "Bestuur",
                }
            ]
        ),
    )
    response = client.post(reverse("projects:edit", args=[project.pk]), data)

    assert response.status_code == 302, response.content.decode()[:3000]
    project.refresh_from_db()
    assert (project.goal, project.budget_planned, project.budget_spent) == (
        "Een sfeervolle binnenstad.",
        Decimal("48000.00"),
        Decimal("12500.50"),
    )
    assert list(project.organisations.all()) == [bakery]
    assert list(project.milestones.values_list("title", "due_date", "is_done")) == [
        ("Leverancier gekozen", dt.date(2026, 3, 1), True)
    ]
    (decision,) = project.decisions.all()
    assert (decision.question, decision.meeting_date, decision.answer) == (
        "Akkoord op leverancier LichtWerk?",
        dt.date(2026, 3, 10),
        "",
    )


def test_a_form_with_an_end_before_the_start_keeps_what_was_typed(client, marloes):
    project = new_project(marloes)
    client.force_login(marloes)

    data = project_form_data(project, goal="Niet kwijtraken", start_date="2026-05-01", end_date="2026-04-01")
    response = client.post(reverse("projects:edit", args=[project.pk]), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Het einde ligt vóór het begin." in html
    assert "Niet kwijtraken" in html


def test_the_board_records_its_answer_with_who_and_when(marloes, pieter):
    project = new_project(marloes)
    decision = DecisionRequest.objects.create(
        project=project, question="Akkoord?", meeting_date=dt.date(2026, 3, 10)
    )

    services.answer_decision(
        decision=decision,
        answer=DecisionRequest.Answer.DEFERRED,
        text="Eerst met de gemeente.",
        answered_on=dt.date(2026, 3, 10),
        user=pieter,
    )

    decision.refresh_from_db()
    assert (decision.answer, decision.answer_text, decision.answered_on, decision.answered_by) == (
        "aangehouden",
        "Eerst met de gemeente.",
        dt.date(2026, 3, 10),
        pieter,
    )


@pytest.mark.parametrize(
    ("answer", "days", "message"),
    [
        ("misschien", 0, "Kies akkoord, niet akkoord of aangehouden."),
        ("akkoord", 1, "Het bestuur kan niet in de toekomst hebben geantwoord."),
    ],
)
def test_an_impossible_answer_is_refused_and_nothing_is_recorded(marloes, pieter, answer, days, message):
    project = new_project(marloes)
    decision = DecisionRequest.objects.create(
        project=project, question="Akkoord?", meeting_date=dt.date(2026, 3, 10)
    )

    with pytest.raises(ValidationError) as error:
        services.answer_decision(
            decision=decision,
            answer=answer,
            answered_on=timezone.localdate() + dt.timedelta(days=days),
            user=pieter,
        )

    assert message in str(error.value)
    decision.refresh_from_db()
    assert decision.answer == "" and decision.answered_by is None


def test_milestones_come_in_date_order(marloes):
    project = new_project(marloes)
    Milestone.objects.create(project=project, title="Later", due_date=dt.date(2026, 9, 1))
    Milestone.objects.create(project=project, title="Eerst", due_date=dt.date(2026, 2, 1), is_done=True)
    assert [m.title for m in project.milestones.all()] == ["Eerst", "Later"]


# --- The migration: nothing lost ----------------------------------------------------------------

BEFORE = [("projects", "0002_role_permissions")]
AFTER = [("projects", "0005_project_year_from_year_plan")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_projects_move_into_the_year_plan_of_their_year_and_back():
    apps = migrate(BEFORE)
    Project = apps.get_model("projects", "Project")
    Change = apps.get_model("projects", "ProjectStatusChange")
    old = {
        Project.objects.create(name="Zomerfestival", year=2025, status="grijs", summary="Drie weekenden.").pk,
        Project.objects.create(name="Kerstverlichting", year=2026, status="oranje").pk,
        Project.objects.create(name="Leegstand", year=2026, status="rood", is_public=True).pk,
    }
    Change.objects.create(
        project_id=min(old), from_status="", to_status="grijs", note="Afgerond.", changed_at=timezone.now()
    )

    apps = migrate(AFTER)
    Project = apps.get_model("projects", "Project")
    rows = {
        p.name: (p.year_plan.year, p.status, p.summary, p.is_public)
        for p in Project.objects.select_related("year_plan")
    }
    assert rows == {
        "Zomerfestival": (2025, "grijs", "Drie weekenden.", False),
        "Kerstverlichting": (2026, "oranje", "", False),
        "Leegstand": (2026, "rood", "", True),
    }
    assert set(Project.objects.values_list("pk", flat=True)) == old
    assert sorted(apps.get_model("projects", "YearPlan").objects.values_list("year", flat=True)) == [
        2025,
        2026,
    ]
    assert apps.get_model("projects", "ProjectStatusChange").objects.get().note == "Afgerond."

    apps = migrate(BEFORE)
    assert dict(apps.get_model("projects", "Project").objects.values_list("name", "year")) == {
        "Zomerfestival": 2025,
        "Kerstverlichting": 2026,
        "Leegstand": 2026,
    }

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
