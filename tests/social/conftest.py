"""Named people of the centre office (one per role) and posts to work with."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from social import services
from social.channels import Channel
from stadshart import roles

PASSWORD = "een-lang-wachtwoord-42"


def make_staff(username: str, role: str | None, first_name: str = "", last_name: str = ""):
    user = get_user_model().objects.create_user(
        username=username,
        password=PASSWORD,
        is_staff=True,
        email=f"{username}@veldhaven.example",
        first_name=first_name,
        last_name=last_name,
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def lotte(db):
    return make_staff("l.kok", roles.COMMUNICATIE, "Lotte", "Kok")


@pytest.fixture
def ruben(db):
    return make_staff("r.visser", roles.COMMUNICATIE, "Ruben", "Visser")


@pytest.fixture
def marloes(db):
    return make_staff("m.bakker", roles.CENTRUMMANAGER, "Marloes", "Bakker")


@pytest.fixture
def staff_by_role(db):
    """One login per role, plus a member of no group."""
    people = {role: make_staff(f"user-{role.lower()}", role) for role in roles.ROLES}
    people["none"] = make_staff("user-none", None)
    return people


def make_post(
    user, *, channel=Channel.FACEBOOK, text="Zondag 20 december: koopzondag in de binnenstad.", **kw
):
    kw.setdefault("planned_at", timezone.now() + dt.timedelta(days=1))
    return services.create_post(channel=channel, text=text, user=user, **kw)


def submit(post, user):
    post.get_workflow().start(post, user)
    post.refresh_from_db()
    return post


# Personal data that must never be in a drafting request.
PERSONAL = ["Fatima Bouzid", "fatima@bakkerij.example", "06-12345678", "Hendrik Vos", "Bouzid"]


@pytest.fixture
def material(db):
    """A news item, an event, a project and a newsletter, with personal data where staff write it."""
    from crm.models import Person
    from tests.builders import ai_sources
    from tests.builders import draft_newsletter as make_newsletter

    Person.objects.create(first_name="Fatima", last_name="Bouzid")
    sources = ai_sources(
        news_days_ago=0,
        news_body=[
            ("heading", {"text": "Betaald uit het BIZ-fonds"}),
            (
                "paragraph",
                "<p>De ondernemers betalen mee: 12.500 euro. Vragen? Fatima Bouzid, "
                "fatima@bakkerij.example of 06-12345678.</p>",
            ),
        ],
        project_summary="Extra schoonmaakrondes en camera's in de stegen; Hendrik Vos coördineert.",
    )
    news, event, project = sources["news"], sources["event"], sources["project"]
    newsletter = make_newsletter("Nieuwsbrief december", slug="nb-december")
    return {"news": news, "event": event, "project": project, "newsletter": newsletter}
