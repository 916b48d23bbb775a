"""`manage.py seed_demo`: the demo centre, deterministic and safe to ask for twice."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from portal.models import HomePage, Organisation


@pytest.mark.django_db
def test_the_demo_centre_has_staff_in_every_role_and_a_published_home_page(demo_centre):
    User = get_user_model()
    roles = set(User.objects.filter(is_staff=True).values_list("groups__name", flat=True))
    assert roles == {"Centrummanager", "Accountmanager", "Communicatie", "Facilitair", "Bestuur"}
    assert User.objects.filter(groups__name="Accountmanager").count() >= 2
    # Demo colleagues have no password until the administrator gives them one.
    assert not any(user.has_usable_password() for user in User.objects.filter(is_staff=True))

    home = HomePage.objects.get()
    assert home.live and home.title == "Binnenstad Veldhaven"
    assert Organisation.objects.get().name == "Centrummanagement Veldhaven"


@pytest.mark.django_db
def test_seed_demo_if_empty_leaves_a_loaded_centre_alone(demo_centre):
    users_before = get_user_model().objects.count()
    out = io.StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert "already loaded" in out.getvalue()
    assert get_user_model().objects.count() == users_before


@pytest.mark.django_db
def test_seed_demo_is_deterministic_for_a_seed():
    first, second = io.StringIO(), io.StringIO()
    call_command("seed_demo", "--seed", "7", stdout=first)
    snapshot = sorted(get_user_model().objects.values_list("username", "first_name", "email"))
    call_command("seed_demo", "--seed", "7", stdout=second)
    assert sorted(get_user_model().objects.values_list("username", "first_name", "email")) == snapshot
    assert first.getvalue().splitlines()[:-1] == second.getvalue().splitlines()[:-1]


@pytest.mark.django_db
def test_seed_demo_rejects_a_scale_below_one():
    with pytest.raises(CommandError, match="--scale"):
        call_command("seed_demo", "--scale", "0")
