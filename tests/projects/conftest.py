"""The people of the year plan, one per role, and builders for plans and projects."""

import datetime as dt

import pytest

from projects import services
from projects.models import Project, Status, YearPlan
from tests.builders import make_staff


@pytest.fixture
def marloes(db):
    """Marloes Bakker, the centre manager who keeps the year plan and reports to the board."""
    return make_staff("marloes", "Centrummanager", first_name="Marloes", last_name="Bakker")


@pytest.fixture
def pieter(db):
    """Pieter van den Berg, board member: reads the year plan and records the board's answers."""
    return make_staff("pieter", "Bestuur", first_name="Pieter", last_name="van den Berg")


@pytest.fixture
def sanne(db):
    """Sanne de Vries, accountmanager and lead of some projects."""
    return make_staff("sanne", "Accountmanager", first_name="Sanne", last_name="de Vries")


@pytest.fixture
def youssef(db):
    """Youssef El Amrani, accountmanager who leads none of the projects in a test."""
    return make_staff("youssef", "Accountmanager", first_name="Youssef", last_name="El Amrani")


@pytest.fixture
def hanneke(db):
    """Hanneke Mulder, facilitair coordinator."""
    return make_staff("hanneke", "Facilitair", first_name="Hanneke", last_name="Mulder")


@pytest.fixture
def lotte(db):
    """Lotte Kok, communications."""
    return make_staff("lotte", "Communicatie", first_name="Lotte", last_name="Kok")


@pytest.fixture
def beheerder(db):
    return make_staff("beheer", "Beheerder", first_name="Bea", last_name="Heer")


def year_plan(year: int = 2026) -> YearPlan:
    return YearPlan.objects.get_or_create(year=year)[0]


def new_project(user, *, year: int = 2026, note: str = "Gestart.", at=None, **fields) -> Project:
    defaults = {
        "name": "Kerstverlichting binnenstad",
        "status": Status.GREEN,
        "is_public": True,
        "year_plan": year_plan(year),
    }
    defaults.update(fields)
    return services.save_project(project=Project(**defaults), user=user, note=note, at=at)


def project_form_data(project: Project, **changes) -> dict:
    """What the admin's project editor posts: the fields, and empty milestone and decision lists."""
    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    data = {
        "name": project.name,
        "year_plan": str(project.year_plan_id),
        "summary": project.summary,
        "status": project.status,
        "budget_planned": str(project.budget_planned),
        "budget_spent": str(project.budget_spent),
        "is_public": project.is_public,
        "milestones": inline_formset([]),
        "decisions": inline_formset([]),
    }
    if project.lead_id:
        data["lead"] = str(project.lead_id)
    organisations = changes.pop("organisations", None)
    data.update(changes)
    if not data["is_public"]:
        del data["is_public"]
    data = nested_form_data(data)
    if organisations is not None:
        data["organisations"] = organisations  # a multiple choice: one key, many values
    return data


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
