"""AVG: exporting and erasing a person, through the services and through the admin screens."""

import datetime as dt
import json

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from crm.models import Consent, EmailAddress, FollowUp, Interaction, Person, PhoneNumber, Role
from crm.privacy import AlreadyErased, erase_person, export_person
from tests.builders import make_organisation, make_person

pytestmark = pytest.mark.django_db

WHEN = dt.datetime(2026, 3, 2, 10, 30, tzinfo=dt.UTC)


def make_visit(
    organisation, *attendees, subject="Bezoek winkel", notes="Wil meedoen aan de kerstmarkt.", days=0
):
    interaction = Interaction.objects.create(
        kind=Interaction.Kind.VISIT, occurred_at=WHEN + dt.timedelta(days=days), subject=subject, notes=notes
    )
    interaction.organisations.add(organisation)
    interaction.attendees.add(*attendees)
    return interaction


@pytest.fixture
def bakery(db):
    return make_organisation("Bakkerij De Korenschoof")


@pytest.fixture
def fatima(marloes, bakery, themes):
    """Fatima Bouzid, owner of the bakery: two addresses, a phone, consent given and withdrawn."""
    with set_actor(marloes):
        person = make_person("Fatima", "Bouzid", email="fatima@korenschoof.nl", organisation=bakery)
        EmailAddress.objects.create(person=person, email="f.bouzid@example.nl")
        PhoneNumber.objects.create(person=person, number="+31612345678")
        person.interests.add(themes["evenementen"])
        for granted, days in ((True, 0), (False, 10), (True, 20)):
            Consent.objects.create(
                person=person,
                topic=Consent.Topic.SERVICE_NEWSLETTER,
                granted=granted,
                recorded_at=WHEN + dt.timedelta(days=days),
                source=Consent.Source.STAFF,
                wording="Ja, ik wil de nieuwsbrief ontvangen.",
            )
        person.first_name = "Fatiha"  # a typo fixed later: the old value is in the audit trail
        person.save()
        person.first_name = "Fatima"
        person.save()
        person.refresh_search_text()
    return person


def all_audit_text() -> str:
    return json.dumps(
        [
            [
                entry.object_repr,
                entry.changes,
                entry.changes_text,
                entry.serialized_data,
                entry.additional_data,
            ]
            for entry in LogEntry.objects.all()
        ]
    )


# Export ---------------------------------------------------------------------------------------


def test_export_holds_everything_stored_about_the_person(fatima, bakery, marloes):
    interaction = make_visit(bakery, fatima)
    FollowUp.objects.create(
        interaction=interaction, organisation=bakery, description="Folder sturen", due_on=dt.date(2026, 3, 9)
    )

    data = export_person(person=fatima)

    assert data["first_name"] == "Fatima"
    assert data["last_name"] == "Bouzid"
    assert {address["email"] for address in data["email_addresses"]} == {
        "fatima@korenschoof.nl",
        "f.bouzid@example.nl",
    }
    assert data["phone_numbers"] == [{"number": "+31612345678", "kind": "mobiel"}]
    assert data["roles"][0]["organisation"] == "Bakkerij De Korenschoof"
    assert data["interests"] == ["Evenementen"]
    assert [consent["granted"] for consent in data["consents"]] == [True, False, True]
    [visit] = data["interactions"]
    assert visit["subject"] == "Bezoek winkel"
    assert visit["notes"] == "Wil meedoen aan de kerstmarkt."
    assert visit["organisations"] == ["Bakkerij De Korenschoof"]
    assert visit["follow_ups"][0]["description"] == "Folder sturen"
    records = {entry["record"] for entry in data["audit_trail"]}
    assert {"person", "emailaddress", "phonenumber", "role", "consent"} <= records
    assert any(entry["changes"].get("first_name") == ["Fatima", "Fatiha"] for entry in data["audit_trail"])
    json.dumps(data)  # JSON-ready as it is


def test_export_runs_the_same_number_of_queries_whatever_the_number_of_interactions(fatima, bakery):
    make_visit(bakery, fatima)
    with CaptureQueriesContext(connection) as one:
        export_person(person=fatima)
    for day in range(1, 8):
        interaction = make_visit(bakery, fatima, days=day)
        FollowUp.objects.create(
            interaction=interaction, organisation=bakery, description="Bellen", due_on=dt.date(2026, 4, 1)
        )
    with CaptureQueriesContext(connection) as many:
        data = export_person(person=fatima)

    assert len(data["interactions"]) == 8
    assert len(many.captured_queries) == len(one.captured_queries)


def test_export_view_downloads_json_named_after_the_person_and_the_date(client, marloes, fatima):
    client.force_login(marloes)

    response = client.get(reverse("crm_person_export", args=[fatima.pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    today = timezone.localdate().isoformat()
    assert f'filename="persoonsgegevens-{fatima.pk}-{today}.json"' in response["Content-Disposition"]
    assert json.loads(response.content)["last_name"] == "Bouzid"
    assert LogEntry.objects.filter(additional_data__event="exported", actor=marloes).count() == 1


@pytest.mark.parametrize("staff", ["sanne", "pieter"])
def test_export_view_is_refused_without_the_export_permission(client, request, staff, fatima):
    client.force_login(request.getfixturevalue(staff))

    response = client.get(reverse("crm_person_export", args=[fatima.pk]))

    assert response.status_code in (302, 403)
    assert "Bouzid" not in response.content.decode()


# Erase ----------------------------------------------------------------------------------------


def test_erase_leaves_the_name_and_addresses_nowhere(fatima, bakery, marloes):
    with set_actor(marloes):
        old = EmailAddress.objects.create(person=fatima, email="oud.adres@example.nl")
        old.delete()  # deleted before the erasure: still in the audit trail until now
    make_visit(bakery, fatima)
    interactions_before = bakery.interactions.count()

    erased = erase_person(person=fatima, user=marloes)

    assert sorted(erased) == ["f.bouzid@example.nl", "fatima@korenschoof.nl"]
    fatima.refresh_from_db()
    assert (fatima.first_name, fatima.last_name, fatima.search_text) == ("", "Verwijderd", "")
    assert fatima.erased_at is not None
    assert not fatima.interests.exists()
    assert not EmailAddress.objects.filter(person=fatima).exists()
    assert not PhoneNumber.objects.filter(person=fatima).exists()
    text = all_audit_text()
    for personal in ("Fatima", "Fatiha", "Bouzid", "korenschoof.nl", "oud.adres", "+31612345678"):
        assert personal not in text
    assert bakery.interactions.count() == interactions_before
    assert list(Interaction.objects.get().attendees.all()) == [fatima]


def test_erase_keeps_the_role_anonymous_and_the_consent_evidence(fatima, bakery, marloes):
    erase_person(person=fatima, user=marloes)

    role = Role.objects.get(organisation=bakery)
    assert role.person == fatima
    assert (role.title, role.is_primary_contact) == ("", False)
    assert str(role.person) == "Verwijderd"
    consents = list(Consent.objects.filter(person=fatima))
    assert len(consents) == 4  # three kept and a withdrawal, because the newest one granted
    assert consents[0].granted is False
    assert consents[1].wording == "Ja, ik wil de nieuwsbrief ontvangen."


def test_erase_writes_one_audit_entry_without_personal_data(fatima, marloes):
    erase_person(person=fatima, user=marloes)

    entry = LogEntry.objects.get(additional_data__event="erased")
    assert entry.actor == marloes
    assert entry.object_repr == "Verwijderd"
    assert entry.additional_data["counts"]["emails"] == 2
    assert "Fatima" not in json.dumps(entry.changes)


def test_erasing_twice_is_refused(fatima, marloes):
    erase_person(person=fatima, user=marloes)

    with pytest.raises(AlreadyErased, match="al verwijderd|already erased"):
        erase_person(person=fatima, user=marloes)


def test_erase_confirmation_says_in_dutch_what_will_happen(client, marloes, fatima):
    client.force_login(marloes)

    response = client.get(reverse("crm_person_erase", args=[fatima.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Persoonsgegevens verwijderen" in page
    assert "fatima@korenschoof.nl" in page
    assert "Ja, verwijderen" in page
    assert 'method="POST"' in page
    Person.objects.get(pk=fatima.pk, erased_at__isnull=True)  # a GET changes nothing


def test_erase_post_erases_and_shows_the_history(client, marloes, fatima, bakery):
    client.force_login(marloes)

    response = client.post(reverse("crm_person_erase", args=[fatima.pk]), follow=True)

    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("crm_history", args=["person", fatima.pk])
    assert "De persoonsgegevens zijn verwijderd." in page
    assert "Bouzid" not in page
    assert "korenschoof.nl" not in page
    # The history still shows that there were addresses, with their values redacted.
    assert "<dt>E-mailadres</dt>" in page
    assert "***" in page
    assert "Persoonsgegevens verwijderd (AVG)" in page
    assert Person.objects.get(pk=fatima.pk).erased_at is not None


def test_erase_post_a_second_time_says_it_was_already_done(client, marloes, fatima):
    erase_person(person=fatima, user=marloes)
    client.force_login(marloes)

    response = client.post(reverse("crm_person_erase", args=[fatima.pk]), follow=True)

    assert "is al verwijderd op" in response.content.decode()
    assert LogEntry.objects.filter(additional_data__event="erased").count() == 1


@pytest.mark.parametrize("staff", ["sanne", "pieter"])
def test_erase_is_refused_without_the_erase_permission(client, request, staff, fatima):
    client.force_login(request.getfixturevalue(staff))

    get = client.get(reverse("crm_person_erase", args=[fatima.pk]))
    post = client.post(reverse("crm_person_erase", args=[fatima.pk]))

    assert get.status_code in (302, 403)
    assert post.status_code in (302, 403)
    assert Person.objects.get(pk=fatima.pk).erased_at is None


def test_hostile_html_in_a_name_is_escaped_on_the_erase_screen(client, marloes, bakery):
    person = make_person("<script>alert(1)</script>", "<b>Kwaad</b>", email="kwaad@example.nl")
    client.force_login(marloes)

    page = client.get(reverse("crm_person_erase", args=[person.pk])).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "<b>Kwaad</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_erasure_also_reaches_the_trail_of_a_duplicate_merged_into_the_person(fatima, marloes):
    from crm.merging import merge_people

    with set_actor(marloes):
        duplicate = make_person("Fatima", "Bouzid-el Amrani", email="fba@example.nl")
    merge_people(keep=fatima, duplicate=duplicate, user=marloes)

    erased = erase_person(person=fatima, user=marloes)

    assert "fba@example.nl" in erased
    text = all_audit_text()
    for personal in ("Fatima", "Bouzid", "el Amrani", "fba@example.nl"):
        assert personal not in text
    merged = LogEntry.objects.get(additional_data__event="merged")
    assert merged.additional_data["duplicate_id"] == duplicate.pk
