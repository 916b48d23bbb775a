"""Logging a contact: the service an accountmanager's save calls, and the screen they use."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from crm import services
from crm.models import FollowUp, Interaction, Organisation, Signal, StakeholderPositionChange
from tests.builders import make_organisation, make_person


@pytest.mark.django_db
def test_a_visit_with_a_signal_follow_up_and_change_of_attitude(sanne, themes):
    bakery = make_organisation(attitude="neutraal")
    logged = services.log_interaction(
        staff=sanne,
        organisations=[bakery],
        notes="Wil meedoen aan de koopzondag.",
        topics=[themes["evenementen"]],
        attitude="voorstander",
        signals=[services.SignalDraft("idee_evenement", "Proeverij op de Vismarkt")],
        follow_ups=[services.FollowUpDraft("Uitnodiging sturen", dt.date.today() + dt.timedelta(days=7))],
    )
    bakery.refresh_from_db()
    assert logged.interaction.staff == sanne
    assert list(logged.interaction.topics.all()) == [themes["evenementen"]]
    assert Signal.objects.get().organisation == bakery
    assert FollowUp.objects.get().assigned_to == sanne
    assert bakery.attitude == "voorstander"
    assert StakeholderPositionChange.objects.get(organisation=bakery).interaction == logged.interaction
    assert bakery.last_contact_at == logged.interaction.occurred_at


@pytest.mark.django_db
def test_a_contact_in_the_future_or_without_an_organisation_is_refused(sanne):
    with pytest.raises(ValidationError):
        services.log_interaction(staff=sanne, organisations=[], notes="x")
    with pytest.raises(ValidationError):
        services.log_interaction(
            staff=sanne,
            organisations=[make_organisation()],
            notes="x",
            occurred_at=timezone.now() + dt.timedelta(days=2),
        )
    assert not Interaction.objects.exists()


@pytest.mark.django_db
def test_an_older_contact_does_not_move_last_contact_back(sanne):
    shop = make_organisation()
    recent = services.log_interaction(staff=sanne, organisations=[shop], notes="nu").interaction
    services.log_interaction(
        staff=sanne,
        organisations=[shop],
        notes="vorige maand",
        occurred_at=timezone.now() - dt.timedelta(days=30),
    )
    shop.refresh_from_db()
    assert shop.last_contact_at == recent.occurred_at


@pytest.mark.django_db
def test_the_accountmanager_logs_a_visit_through_the_form(client, sanne, themes):
    bakery = make_organisation()
    owner = make_person(organisation=bakery, email="fatima@korenschoof.example")
    client.force_login(sanne)
    page = client.get(f"/admin/crm/log-visit/?organisation={bakery.pk}")
    assert page.status_code == 200
    assert "Bezoek vastleggen" in page.text
    assert "Fatima Bouzid" in page.text

    response = client.post(
        "/admin/crm/log-visit/",
        {
            "organisation": bakery.pk,
            "kind": "bezoek",
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "topics": [themes["schoon-heel-veilig"].pk],
            "attendees": [owner.pk],
            "notes": "Afval naast de container.",
            "signal_kind": "klacht_schoon",
            "follow_up": "Melding doorzetten naar de gemeente",
            "follow_up_due": (dt.date.today() + dt.timedelta(days=3)).isoformat(),
        },
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["url"] == f"/admin/crm/organisations/{bakery.pk}/"
    visit = Interaction.objects.get()
    assert list(visit.attendees.all()) == [owner]
    assert visit.signals.get().kind == "klacht_schoon"

    detail = client.get(response.json()["url"])
    assert "Afval naast de container." in detail.text
    assert "Melding doorzetten naar de gemeente" in detail.text


@pytest.mark.django_db
def test_an_incomplete_visit_is_refused_with_reasons_and_nothing_is_stored(client, sanne):
    client.force_login(sanne)
    response = client.post(
        "/admin/crm/log-visit/",
        {"kind": "bezoek", "occurred_at": "2026-01-01T10:00", "follow_up": "Bellen"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["organisation"][0]["message"] == "Kies het bedrijf dat u sprak."
    assert "follow_up_due" in errors
    assert not Interaction.objects.exists()


@pytest.mark.django_db
def test_notes_and_names_are_shown_escaped(client, sanne):
    shop = make_organisation(name="<script>alert('naam')</script>")
    services.log_interaction(staff=sanne, organisations=[shop], notes="<img src=x onerror=alert(1)>")
    client.force_login(sanne)
    page = client.get(f"/admin/crm/organisations/{shop.pk}/").text
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


@pytest.mark.django_db
def test_finding_a_business_in_a_few_keystrokes(client, sanne):
    make_organisation("Café De Zwaan", street="Vismarkt", kvk_number="12345678")
    make_organisation("Bakkerij Jansen", street="Marktstraat")
    make_organisation("Oud Café", street="Kerkplein", lifecycle=Organisation.Lifecycle.LEFT)
    client.force_login(sanne)

    def names(query):
        return [
            row["name"]
            for row in client.get("/admin/crm/lookup/organisations/", {"q": query}).json()["results"]
        ]

    assert names("cafe zw") == ["Café De Zwaan"]  # accents need not be typed
    assert names("vismarkt") == ["Café De Zwaan"]
    assert names("1234567") == ["Café De Zwaan"]
    assert names("c") == []
    assert "Oud Café" not in names("cafe")  # closed businesses are not offered


@pytest.mark.django_db
def test_the_board_cannot_log_visits_or_read_organisations(client, pieter):
    shop = make_organisation()
    client.force_login(pieter)
    assert client.get("/admin/crm/log-visit/").status_code in (302, 403)
    assert client.get(f"/admin/crm/organisations/{shop.pk}/").status_code in (302, 403)
