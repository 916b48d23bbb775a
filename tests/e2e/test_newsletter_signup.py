"""An entrepreneur signs up for the newsletter on her phone and confirms through the mail's link."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from crm.models import Consent, EmailAddress
from newsletter import tokens
from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_sign_up_and_confirm_on_a_phone(phone, live_server, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    phone.goto(f"{live_server.url}/nieuwsbrief/aanmelden/")
    expect(phone.get_by_role("heading", name="Aanmelden voor de nieuwsbrief")).to_be_visible()
    phone.get_by_role("button", name="Aanmelden").click()  # nothing filled in
    expect(phone.get_by_text("Vul uw e-mailadres in.")).to_be_visible()
    phone.get_by_label("Uw naam").fill("Noor de Wit")
    phone.get_by_label("E-mailadres").fill("noor@boekhandel-ginneken.nl")
    phone.get_by_label("Evenementen").check()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "newsletter-signup-phone")
    phone.get_by_role("button", name="Aanmelden").click()

    expect(phone.get_by_role("heading", name="Kijk in uw mailbox")).to_be_visible()
    link = re.search(r"https?://\S+/nieuwsbrief/aanmelden/bevestigen/\S+/", mail.outbox[0].body).group(0)
    phone.goto(live_server.url + link[link.index("/nieuwsbrief/") :])
    phone.get_by_role("button", name="Ja, meld mij aan").click()

    expect(phone.get_by_role("heading", name="U bent aangemeld")).to_be_visible()
    person = EmailAddress.objects.get(email="noor@boekhandel-ginneken.nl").person
    assert person.consents.get().source == Consent.Source.SIGN_UP
    screenshot(phone, "newsletter-signup-confirmed-phone")

    # Later, from the link in a newsletter: marketing too, and no themes after all.
    token = tokens.make_token(tokens.PREFERENCES, email="noor@boekhandel-ginneken.nl")
    phone.goto(f"{live_server.url}/nieuwsbrief/voorkeuren/{token}/")
    expect(phone.get_by_label("Evenementen")).to_be_checked()
    phone.get_by_label("Nieuwsbrief (marketing)").check()
    phone.get_by_label("Evenementen").uncheck()
    phone.get_by_role("button", name="Mijn keuze opslaan").click()
    expect(phone.get_by_role("status")).to_have_text("Uw keuze is opgeslagen.")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "newsletter-preferences-phone")
    assert person.consents.filter(topic=Consent.Topic.MARKETING_NEWSLETTER, granted=True).exists()
    assert not person.interests.exists()
