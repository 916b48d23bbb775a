"""Organisation and person pages: everything on one page, in a fixed number of queries."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from crm import services
from crm.models import Occupancy, Premises
from crm.queries.timeline import PAGE_SIZE
from tests.builders import make_organisation, make_person, make_staff


def log_visits(staff, organisation, person, count):
    for day in range(count):
        services.log_interaction(
            staff=staff,
            organisations=[organisation],
            attendees=[person],
            notes=f"Gesprek {day}",
            occurred_at=timezone.now() - dt.timedelta(days=day + 1),
            signals=[services.SignalDraft("klacht_schoon")],
            follow_ups=[services.FollowUpDraft(f"Actie {day}", dt.date.today())],
        )


@pytest.mark.django_db
def test_the_organisation_page_runs_the_same_queries_for_a_short_or_long_history(
    client, sanne, django_assert_max_num_queries
):
    client.force_login(sanne)
    short = make_organisation("Kort")
    long = make_organisation("Lang")
    log_visits(sanne, short, make_person(organisation=short), 2)
    log_visits(sanne, long, make_person(organisation=long, last_name="Visser"), 25)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/admin/crm/organisations/{short.pk}/").status_code == 200
    with CaptureQueriesContext(connection) as many:
        response = client.get(f"/admin/crm/organisations/{long.pk}/")
    assert len(many) == len(few)
    assert response.text.count("crm-timeline__entry--interaction") == 25


@pytest.mark.django_db
def test_the_timeline_is_newest_first_and_pages_back(client, sanne):
    client.force_login(sanne)
    shop = make_organisation()
    log_visits(sanne, shop, make_person(organisation=shop), PAGE_SIZE + 5)
    oldest = f"Gesprek {PAGE_SIZE + 4}<"
    first = client.get(f"/admin/crm/organisations/{shop.pk}/").text
    assert first.index("Gesprek 0<") < first.index("Gesprek 1<")
    assert oldest not in first and "Ouder" in first
    older = client.get(f"/admin/crm/organisations/{shop.pk}/", {"before": _oldest_shown(shop)}).text
    assert oldest in older and "Gesprek 0<" not in older


def _oldest_shown(shop):
    from crm.queries.timeline import organisation_timeline

    return organisation_timeline(shop)[-1].when.isoformat()


@pytest.mark.django_db
def test_communications_sees_the_history_without_the_notes(client, sanne):
    shop = make_organisation()
    services.log_interaction(staff=sanne, organisations=[shop], notes="Vertrouwelijk: huurachterstand")
    client.force_login(make_staff("lotte", "Communicatie"))
    page = client.get(f"/admin/crm/organisations/{shop.pk}/").text
    assert "Bezoek" in page
    assert "huurachterstand" not in page


@pytest.mark.django_db
def test_moving_in_and_out_of_premises_shows_on_the_timeline(client, sanne):
    shop = make_organisation()
    premises = Premises.objects.create(
        street="Marktstraat", house_number="3", postcode="4811 AB", town="Veldhaven"
    )
    Occupancy.objects.create(
        premises=premises, organisation=shop, started_on=dt.date(2020, 1, 1), ended_on=dt.date(2025, 6, 30)
    )
    client.force_login(sanne)
    page = client.get(f"/admin/crm/organisations/{shop.pk}/").text
    assert "Ingetrokken in" in page and "Vertrokken uit" in page


@pytest.mark.django_db
def test_the_person_page_shows_contacts_consent_and_visits(client, sanne):
    shop = make_organisation()
    person = make_person(organisation=shop, email="fatima@korenschoof.example")
    services.record_consent(
        person=person,
        topic="nieuwsbrief_dienst",
        granted=True,
        source="portaal",
        wording="Ja, stuur mij de nieuwsbrief.",
    )
    log_visits(sanne, shop, person, 1)
    client.force_login(sanne)
    page = client.get(f"/admin/crm/people/{person.pk}/").text
    assert "fatima@korenschoof.example" in page
    assert "Ja, stuur mij de nieuwsbrief." in page
    assert "Gesprek 0" in page


@pytest.mark.django_db
def test_the_premises_list_shows_who_is_in_and_what_stands_empty(
    client, marloes, django_assert_max_num_queries
):
    shop = make_organisation("Kaashuis Veldhaven")
    for number in range(12):
        premises = Premises.objects.create(street="Molenstraat", house_number=str(number), town="Veldhaven")
        Occupancy.objects.create(
            premises=premises,
            organisation=shop,
            started_on=dt.date(2020, 1, 1),
            ended_on=dt.date(2024, 1, 1) if number % 2 else None,
        )
    client.force_login(marloes)
    with django_assert_max_num_queries(30):
        page = client.get("/admin/crm/premises/").text
    assert page.count("Kaashuis Veldhaven") == 6


@pytest.mark.django_db
def test_record_pages_lead_to_history_merge_export_and_erase(client, marloes):
    shop = make_organisation()
    person = make_person(organisation=shop)
    client.force_login(marloes)
    organisation_page = client.get(f"/admin/crm/organisations/{shop.pk}/").text
    assert f"/admin/crm/history/organisation/{shop.pk}/" in organisation_page
    assert f"/admin/crm/merge/organisation/{shop.pk}/" in organisation_page
    person_page = client.get(f"/admin/crm/people/{person.pk}/").text
    for url in ("history/person", "privacy/person", "merge/person"):
        assert f"/admin/crm/{url}/{person.pk}/" in person_page


@pytest.mark.django_db
def test_the_organisation_list_offers_only_staff_as_account_managers(client, marloes, sanne):
    get_user_model().objects.create_user("lid@example.nl", first_name="Lid", last_name="Portaalaccount")
    client.force_login(marloes)
    page = client.get("/admin/crm/organisations/").text
    assert sanne.get_full_name() in page
    assert "Portaalaccount" not in page
