"""The preference page every newsletter links to: newsletters and themes, or none, without a login."""

import re

import pytest

from crm.models import Consent, Interest
from crm.services import record_consent
from newsletter import tokens
from tests.builders import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def fatima():
    person = make_person("Fatima", "Bouzid", email="fatima@bakkerij-korenschoof.nl")
    record_consent(
        person=person, topic=Consent.Topic.SERVICE_NEWSLETTER, granted=True, source=Consent.Source.STAFF
    )
    return person


@pytest.fixture
def themes():
    """The themes the CRM's migration creates (evenementen, bereikbaarheid-parkeren, …)."""
    return {interest.slug: interest for interest in Interest.objects.all()}


def url_for(email: str) -> str:
    return f"/nieuwsbrief/voorkeuren/{tokens.make_token(tokens.PREFERENCES, email=email, delivery_id=7)}/"


def newest(person, topic) -> Consent:
    return person.consents.filter(topic=topic).order_by("-recorded_at", "-pk").first()


def test_page_shows_the_current_choice(client, fatima, themes):
    response = client.get(url_for("fatima@bakkerij-korenschoof.nl"))

    assert response.status_code == 200
    assert "fatima@bakkerij-korenschoof.nl" in response.text
    assert re.search(r'value="nieuwsbrief_dienst"[^>]*checked', response.text)
    assert not re.search(r'value="nieuwsbrief_marketing"[^>]*checked', response.text)
    assert "Evenementen" in response.text


def test_choosing_marketing_and_a_theme_records_consent_from_the_portal(client, fatima, themes):
    response = client.post(
        url_for("fatima@bakkerij-korenschoof.nl"),
        {"topics": ["nieuwsbrief_dienst", "nieuwsbrief_marketing"], "interests": ["evenementen"]},
    )

    assert response.status_code == 200
    assert "opgeslagen" in response.text
    marketing = newest(fatima, Consent.Topic.MARKETING_NEWSLETTER)
    assert marketing.granted and marketing.source == Consent.Source.PORTAL
    assert (
        fatima.consents.filter(topic=Consent.Topic.SERVICE_NEWSLETTER).count() == 1
    )  # unchanged: no new row
    assert list(fatima.interests.values_list("slug", flat=True)) == ["evenementen"]


def test_no_newsletters_at_all_withdraws_every_consent(client, fatima, themes):
    fatima.interests.add(themes["bereikbaarheid-parkeren"])

    client.post(url_for("fatima@bakkerij-korenschoof.nl"), {"none": "1", "topics": ["nieuwsbrief_dienst"]})

    service = newest(fatima, Consent.Topic.SERVICE_NEWSLETTER)
    assert not service.granted and service.source == Consent.Source.UNSUBSCRIBE
    assert not fatima.consents.filter(topic=Consent.Topic.MARKETING_NEWSLETTER).exists()  # was never granted
    assert not fatima.interests.exists()


def test_a_forged_link_shows_a_clear_page_and_changes_nothing(client, fatima):
    forged = tokens.make_token(tokens.UNSUBSCRIBE, email="fatima@bakkerij-korenschoof.nl")  # another purpose

    response = client.post(f"/nieuwsbrief/voorkeuren/{forged}/", {"topics": []})

    assert response.status_code == 400
    assert "werkt niet" in response.text
    assert newest(fatima, Consent.Topic.SERVICE_NEWSLETTER).granted


def test_an_address_without_a_person_is_told_so(client):
    response = client.get(url_for("onbekend@example.nl"))

    assert response.status_code == 200
    assert "/nieuwsbrief/aanmelden/" in response.text
