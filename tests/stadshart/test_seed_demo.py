"""`manage.py seed_demo`: the demo centre, deterministic and safe to ask for twice."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Q

from crm.models import FollowUp, Interaction, Organisation, Person, Premises, Signal
from portal.models import HomePage
from stadshart.models import CentreSettings
from tests.builders import seed_demo_people
from tests.services import database_url, missing_service


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
    assert CentreSettings.objects.get().name == "Centrummanagement Veldhaven"


@pytest.mark.django_db
def test_seed_demo_if_empty_leaves_a_loaded_centre_alone(demo_centre):
    users_before = get_user_model().objects.count()
    out = io.StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert "already loaded" in out.getvalue()
    assert get_user_model().objects.count() == users_before


def load_and_describe(seed: int, *, people_only: bool = False) -> tuple:
    """Load the centre (or only its people) in a transaction that is rolled back, and describe it."""
    with transaction.atomic():
        if people_only:
            seed_demo_people(seed)
        else:
            call_command("seed_demo", "--seed", str(seed), stdout=io.StringIO())
        description = (
            sorted(get_user_model().objects.values_list("username", "first_name", "email")),
            list(
                Organisation.objects.order_by("kvk_number", "name").values_list(
                    "name", "kvk_number", "street"
                )
            ),
            list(
                Person.objects.order_by("last_name", "first_name").values_list("first_name", "last_name")[
                    :500
                ]
            ),
            Interaction.objects.count(),
            Signal.objects.count(),
        )
        transaction.set_rollback(True)
    return description


@pytest.mark.django_db
def test_seed_demo_is_deterministic_for_a_seed():
    first = load_and_describe(7)
    assert load_and_describe(7) == first
    # Another seed, another centre: its businesses and people (the first units) differ already.
    people = slice(1, 3)
    assert load_and_describe(7, people_only=True)[people] == first[people]
    assert load_and_describe(8, people_only=True)[people] != first[people]


def test_a_loaded_demo_keeps_no_lock_that_another_databases_analyze_waits_for(demo_centre):
    """The tests that read the demo keep its transaction open for minutes. A bare ANALYZE in
    seed_demo locked the catalogs every database shares until then, so the other test worker's
    seed (and any ANALYZE on the server) waited for the whole group to finish."""
    if connection.vendor != "postgresql":
        missing_service("PostgreSQL (its catalogs shared by all databases)")
    import psycopg

    other = {**connection.settings_dict, "NAME": "postgres"}
    with psycopg.connect(database_url(other), autocommit=True) as elsewhere:
        elsewhere.execute("SET lock_timeout = '2s'")
        elsewhere.execute("ANALYZE pg_catalog.pg_database")  # raised LockNotAvailable before


@pytest.mark.django_db
def test_seed_demo_refuses_to_load_the_centre_twice(demo_centre):
    with pytest.raises(CommandError, match="already loaded"):
        call_command("seed_demo")


@pytest.mark.django_db
def test_the_demo_centre_has_a_year_of_crm_history(demo_centre):
    from django.db.models import Count

    assert Organisation.objects.filter(kind="ondernemer").count() == 300
    assert Organisation.objects.values("kind").distinct().count() >= 8
    assert Person.objects.count() > 600
    assert Interaction.objects.count() > 5000
    assert Signal.objects.exists() and FollowUp.objects.filter(done_at__isnull=True).exists()
    # Some premises stand empty: their only occupancy has ended.
    empty = Premises.objects.annotate(
        current=Count("occupancies", filter=Q(occupancies__ended_on__isnull=True))
    )
    assert empty.filter(current=0).count() >= 30
    assert Organisation.objects.exclude(attitude="").count() == Organisation.objects.count()


@pytest.mark.django_db
def test_seed_demo_rejects_a_scale_below_one():
    with pytest.raises(CommandError, match="--scale"):
        call_command("seed_demo", "--scale", "0")


@pytest.mark.django_db
def test_the_demo_segments_are_valid_and_find_someone(demo_centre):
    from crm.models import Segment
    from crm.queries import segments

    for segment in Segment.objects.all():
        assert segments.count(segment.filters)["organisations"] > 0, segment.name
