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
