"""The onboarding wizard: each step saves into the CRM as the member's change, and progress is kept."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from crm.models import Consent, Interest
from portal.members.models import Membership

pytestmark = pytest.mark.django_db

BUSINESS = {
    "name": "Bakkerij De Korenschoof",
    "street": "Marktstraat",
    "house_number": "12",
    "house_number_addition": "",
    "postcode": "4811ab",
    "town": "Veldhaven",
    "kvk_number": "1234 5678",
    "opening_hours": "di–za 7.00–17.00",
    "website": "https://korenschoof.example",
    "instagram": "",
    "facebook": "",
    "linkedin": "",
    "description": "Ambachtelijk brood sinds 1952.",
}


def test_a_new_member_starts_at_the_first_step(member_client):
    response = member_client.get(reverse("members:onboarding"))
    assert response.url == reverse("members:onboarding_step", args=["bedrijf"])
    page = member_client.get(response.url).content.decode()
    assert "Stap 1 van 4" in page
    assert 'value="Bakkerij De Korenschoof"' in page


def test_the_business_step_writes_to_the_crm_as_the_members_change(member_client, fatima, client):
    response = member_client.post(reverse("members:onboarding_step", args=["bedrijf"]), BUSINESS)
    assert response.url == reverse("members:onboarding_step", args=["interesses"])
    organisation = fatima.organisation
    organisation.refresh_from_db()
    assert organisation.postcode == "4811 AB"
    assert organisation.house_number == "12"
    assert organisation.opening_hours == "di–za 7.00–17.00"
    entry = LogEntry.objects.get_for_object(organisation).filter(action=LogEntry.Action.UPDATE).latest("pk")
    assert entry.actor == fatima.user
    assert entry.changes["house_number"] == ["1", "12"]
    fatima.refresh_from_db()
    assert fatima.onboarding_step == Membership.Step.INTERESTS


def test_staff_see_the_members_change_in_the_history_labelled(member_client, fatima, sanne, client):
    member_client.post(reverse("members:onboarding_step", args=["bedrijf"]), BUSINESS)
    client.force_login(sanne)
    history = client.get(
        reverse("crm_history", args=["organisation", fatima.organisation.pk])
    ).content.decode()
    assert "Fatima Bouzid" in history
    assert "lid, via het portaal" in history
    assert "di–za 7.00–17.00" in history


def test_a_wrong_kvk_number_keeps_everything_typed_and_says_what_is_wrong(member_client, fatima):
    data = {**BUSINESS, "kvk_number": "1234", "description": "Mijn getypte tekst"}
    response = member_client.post(reverse("members:onboarding_step", args=["bedrijf"]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "precies 8 cijfers" in page
    assert "Mijn getypte tekst" in page
    fatima.organisation.refresh_from_db()
    assert fatima.organisation.description == ""
    fatima.refresh_from_db()
    assert fatima.onboarding_step == Membership.Step.BUSINESS


def test_a_logo_that_is_not_an_image_is_refused(member_client, fatima):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("logo.png", b"<?php echo 'hi'; ?>", content_type="image/png")
    response = member_client.post(
        reverse("members:onboarding_step", args=["bedrijf"]), {**BUSINESS, "new_logo": fake}
    )
    assert response.status_code == 200
    assert "Alleen foto" in response.content.decode()


def test_a_logo_becomes_the_businesss_logo(member_client, fatima):
    from tests.builders import image_upload

    member_client.post(
        reverse("members:onboarding_step", args=["bedrijf"]),
        {**BUSINESS, "new_logo": image_upload("logo.png", image_format="PNG")},
    )
    fatima.organisation.refresh_from_db()
    assert fatima.organisation.logo is not None
    assert fatima.organisation.logo.file.name.endswith(".png")


def test_the_whole_wizard_records_interests_consent_with_wording_and_the_directory_choice(
    member_client, fatima
):
    member_client.post(reverse("members:onboarding_step", args=["bedrijf"]), BUSINESS)
    themes = list(Interest.objects.filter(slug__in=["evenementen", "schoon-heel-veilig"]))
    member_client.post(
        reverse("members:onboarding_step", args=["interesses"]), {"interests": [t.pk for t in themes]}
    )
    # A refusal is an answer too: both newsletters are recorded, one yes and one no.
    member_client.post(reverse("members:onboarding_step", args=["nieuwsbrief"]), {"service": "on"})
    response = member_client.post(
        reverse("members:onboarding_step", args=["bedrijvengids"]), {"listed": "ja"}
    )
    assert response.url == reverse("members:home")

    organisation = fatima.organisation
    organisation.refresh_from_db()
    assert set(organisation.interests.all()) == set(themes)
    assert organisation.in_directory is True
    consents = {c.topic: c for c in Consent.objects.filter(person=fatima.person)}
    assert consents[Consent.Topic.SERVICE_NEWSLETTER].granted is True
    assert consents[Consent.Topic.MARKETING_NEWSLETTER].granted is False
    assert consents[Consent.Topic.DIRECTORY].granted is True
    assert all(c.source == Consent.Source.PORTAL and c.wording for c in consents.values())
    assert all(c.recorded_by == fatima.user for c in consents.values())
    fatima.refresh_from_db()
    assert fatima.onboarding_step == Membership.Step.DONE and fatima.onboarded_at is not None


def test_progress_is_kept_between_visits(member_client, fatima, client):
    member_client.post(reverse("members:onboarding_step", args=["bedrijf"]), BUSINESS)
    member_client.post(reverse("members:onboarding_step", args=["interesses"]), {})
    member_client.logout()
    client.force_login(fatima.user)
    response = client.get(reverse("members:onboarding"))
    assert response.url == reverse("members:onboarding_step", args=["nieuwsbrief"])


def test_a_later_step_is_not_open_before_the_earlier_ones(member_client):
    response = member_client.get(reverse("members:onboarding_step", args=["bedrijvengids"]))
    assert response.url == reverse("members:onboarding_step", args=["bedrijf"])


def test_the_directory_step_needs_an_answer(member_client, fatima):
    fatima.onboarding_step = Membership.Step.DIRECTORY
    fatima.save()
    response = member_client.post(reverse("members:onboarding_step", args=["bedrijvengids"]), {})
    assert response.status_code == 200
    assert "Dit is een verplicht veld" in response.content.decode()
