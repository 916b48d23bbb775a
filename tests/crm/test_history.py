"""The "Geschiedenis" screen: who changed what when, from the audit trail."""

import datetime as dt

import pytest
from auditlog.context import set_actor
from django.urls import reverse

from crm.models import Consent, EmailAddress, Organisation
from crm.views.history import PAGE_SIZE
from tests.builders import make_organisation, make_person

pytestmark = pytest.mark.django_db


def history_url(model_name: str, pk: int) -> str:
    return reverse("crm_history", args=[model_name, pk])


@pytest.fixture
def bakery(marloes):
    with set_actor(marloes):
        organisation = make_organisation("Bakkerij De Korenschoof", kind=Organisation.Kind.ENTREPRENEUR)
        organisation.name = "Bakkerij Korenschoof"
        organisation.kind = Organisation.Kind.CULTURE
        organisation.portal_member = True
        organisation.save()
    return organisation


def test_history_lists_who_changed_which_field_from_what_to_what(client, marloes, bakery):
    client.force_login(marloes)

    response = client.get(history_url("organisation", bakery.pk))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Geschiedenis: Bakkerij Korenschoof" in page
    assert "Marloes Bakker" in page
    assert "Gewijzigd" in page and "Aangemaakt" in page
    # Human-readable field names and values: verbose names, choice labels, Dutch yes/no.
    assert "<dt>Naam</dt>" in page
    assert "<del>Bakkerij De Korenschoof</del> → Bakkerij Korenschoof" in page
    assert "<del>Ondernemer</del> → Cultuur" in page
    assert "<del>nee</del> → ja" in page
    assert "search_text" not in page
    # Newest first: the change comes before the creation.
    assert page.index("Gewijzigd") < page.index("Aangemaakt")


def test_history_is_paginated(client, marloes, bakery):
    with set_actor(marloes):
        for number in range(PAGE_SIZE + 5):
            bakery.phone = f"+3140123{number:04d}"
            bakery.save()
    client.force_login(marloes)

    first = client.get(history_url("organisation", bakery.pk)).content.decode()
    second = client.get(history_url("organisation", bakery.pk) + "?p=2").content.decode()

    assert first.count('class="crm-history__row"') == PAGE_SIZE
    assert "+31401230029" in first
    assert "Aangemaakt" in second


def test_person_history_includes_their_email_addresses(client, marloes):
    with set_actor(marloes):
        person = make_person("Fatima", "Bouzid", email="fatima@korenschoof.nl")
        EmailAddress.objects.create(person=person, email="f.bouzid@example.nl")
    client.force_login(marloes)

    page = client.get(history_url("person", person.pk)).content.decode()

    assert "f.bouzid@example.nl" in page
    assert "E-mailadres" in page


def test_accountmanager_may_read_the_history_of_an_organisation(client, sanne, bakery):
    client.force_login(sanne)

    assert client.get(history_url("organisation", bakery.pk)).status_code == 200


def test_history_is_refused_without_view_permission(client, pieter, bakery):
    client.force_login(pieter)

    response = client.get(history_url("organisation", bakery.pk))

    assert response.status_code in (302, 403)
    assert "Korenschoof" not in response.content.decode()


def test_history_of_an_unknown_model_or_record_is_not_found(client, marloes, bakery):
    client.force_login(marloes)

    assert client.get(history_url("user", 1)).status_code == 404
    assert client.get(history_url("organisation", bakery.pk + 1000)).status_code == 404


def test_history_of_a_deleted_record_is_still_readable(client, marloes, bakery):
    pk = bakery.pk
    with set_actor(marloes):
        bakery.delete()
    client.force_login(marloes)

    page = client.get(history_url("organisation", pk)).content.decode()

    assert "Verwijderd" in page
    assert "Bakkerij Korenschoof" in page


def test_hostile_html_is_escaped_in_the_history(client, marloes):
    with set_actor(marloes):
        organisation = make_organisation("Winkel")
        organisation.name = "<script>alert(1)</script>"
        organisation.save()
    client.force_login(marloes)

    page = client.get(history_url("organisation", organisation.pk)).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_person_history_offers_the_avg_actions_to_those_who_may_use_them(client, marloes, sanne):
    person = make_person("Fatima", "Bouzid")
    erase_url = reverse("crm_person_erase", args=[person.pk])
    export_url = reverse("crm_person_export", args=[person.pk])

    client.force_login(marloes)
    page = client.get(history_url("person", person.pk)).content.decode()
    assert erase_url in page and export_url in page
    assert "Persoonsgegevens verwijderen" in page

    client.force_login(sanne)
    page = client.get(history_url("person", person.pk)).content.decode()
    assert erase_url not in page and export_url not in page


def test_dates_in_the_history_are_shown_in_dutch_local_time(client, marloes):
    with set_actor(marloes):
        person = make_person("Fatima", "Bouzid")
        Consent.objects.create(
            person=person,
            topic=Consent.Topic.SERVICE_NEWSLETTER,
            granted=True,
            recorded_at=dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC),
            source=Consent.Source.STAFF,
        )
    client.force_login(marloes)

    page = client.get(history_url("person", person.pk)).content.decode()

    assert "01-03-2026 10:00" in page  # 09:00 UTC is 10:00 in Amsterdam in winter


def test_notes_of_a_contact_are_hidden_from_staff_who_may_not_read_notes(client, marloes, bakery):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    from crm.models import Interaction

    with set_actor(marloes):
        interaction = Interaction.objects.create(
            occurred_at=dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC), notes="Heeft schulden bij de bank."
        )
    viewer = get_user_model().objects.create_user(
        username="kijker", password="een-lang-wachtwoord-42", is_staff=True
    )
    viewer.user_permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="view_interaction")
    )

    client.force_login(viewer)
    hidden = client.get(history_url("interaction", interaction.pk)).content.decode()
    client.force_login(marloes)
    shown = client.get(history_url("interaction", interaction.pk)).content.decode()

    assert "Heeft schulden" not in hidden
    assert "(verborgen)" in hidden
    assert "Heeft schulden bij de bank." in shown
