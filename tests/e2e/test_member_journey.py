"""Members in a real browser: invite → account → onboarding → profile → report, and self sign-up →
staff approve → invitation; on a desktop and on a 360 px phone, under the portal's strict CSP."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from crm import services as crm_services
from portal.members.models import Application, Membership, Report
from portal.members.tasks import tell_reporter_resolved
from tests.builders import (
    MEMBER_PASSWORD,
    colleague,
    image_upload,
    make_organisation,
    make_person,
)
from tests.e2e.conftest import DESKTOP, PHONE, screenshot, staff_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _watch_csp(page) -> list[str]:
    """Collect the browser's complaints about the Content-Security-Policy."""
    problems = []
    page.on(
        "console",
        lambda message: problems.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return problems


def _link_in_last_mail(base_url) -> str:
    body = mail.outbox[-1].body
    match = re.search(r"https?://\S+/uitnodiging/[\w-]+/", body)
    assert match, body
    return base_url + "/uitnodiging/" + match[0].split("/uitnodiging/")[1]


def _new_context(browser, viewport):
    phone = viewport == PHONE
    return browser.new_context(viewport=viewport, locale="nl-NL", is_mobile=phone, has_touch=phone)


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_invite_onboarding_profile_and_report(browser, live_server, device, tmp_path):
    base = live_server.url
    viewport = DESKTOP if device == "desktop" else PHONE
    colleague("sanne")
    hanneke = colleague("hanneke")
    bakery = make_organisation("Bakkerij De Korenschoof", kvk_number="12345678")
    make_person("Fatima", "Bouzid", email="fatima@korenschoof.example", organisation=bakery)

    # Sanne invites Fatima from the bakery's page in the CRM (on her laptop).
    staff_context = _new_context(browser, DESKTOP)
    staff = staff_context.new_page()
    admin_csp = _watch_csp(staff)
    staff_login(staff, base, "sanne")
    staff.goto(f"{base}/admin/crm/organisations/{bakery.pk}/")
    staff.get_by_role("link", name="Uitnodigen voor het portaal").click()
    staff.get_by_label("Fatima Bouzid (fatima@korenschoof.example)").check()
    staff.get_by_role("button", name="Verstuur de uitnodiging").click()
    expect(staff.locator(".messages")).to_contain_text(
        "Uitnodiging verstuurd naar fatima@korenschoof.example"
    )
    assert admin_csp == []  # the admin is outside the portal's policy and its inline scripts run
    staff_context.close()

    # Fatima opens the link from the mail on her own device.
    context = _new_context(browser, viewport)
    page = context.new_page()
    csp = _watch_csp(page)
    response = page.goto(_link_in_last_mail(base))
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator("h1")).to_have_text("Maak uw account aan")
    page.get_by_label("Kies een wachtwoord").fill(MEMBER_PASSWORD)
    page.get_by_label("Typ het wachtwoord nog een keer").fill(MEMBER_PASSWORD)
    screenshot(page, f"member-accept-invitation-{device}")
    page.get_by_role("button", name="Maak mijn account aan").click()

    # Step 1: the business details; a wrong KvK number is explained and nothing typed is lost.
    expect(page.locator(".member-kicker")).to_have_text("Stap 1 van 4")
    page.get_by_label("openingstijden").fill("di–za 7.00–17.00")
    page.get_by_label("KvK-nummer").fill("1234")
    page.get_by_role("button", name="Opslaan en verder").click()
    expect(page.locator(".errorlist").first).to_contain_text("precies 8 cijfers")
    expect(page.get_by_label("openingstijden")).to_have_value("di–za 7.00–17.00")
    screenshot(page, f"member-onboarding-error-{device}")
    page.get_by_label("KvK-nummer").fill("1234 5678")
    page.get_by_label("korte beschrijving").fill("Ambachtelijk brood sinds 1952.")
    page.get_by_role("button", name="Opslaan en verder").click()

    # Fatima stops here and comes back later: she continues at step 2.
    page.goto(f"{base}/")
    page.goto(f"{base}/welkom/")
    expect(page.locator(".member-kicker")).to_have_text("Stap 2 van 4")
    page.get_by_label("Evenementen").check()
    page.get_by_label("Schoon, heel en veilig").check()
    screenshot(page, f"member-onboarding-interests-{device}")
    page.get_by_role("button", name="Opslaan en verder").click()
    page.get_by_label(re.compile("nieuwsbrief voor ondernemers")).check()
    page.get_by_role("button", name="Opslaan en verder").click()
    page.get_by_label("Ja, neem mijn bedrijf op").check()
    screenshot(page, f"member-onboarding-directory-{device}")
    page.get_by_role("button", name="Opslaan en afronden").click()

    # My business: the profile as entered; edit it.
    expect(page.locator(".member-message")).to_contain_text("Welkom!")
    expect(page.locator("h1")).to_have_text("Bakkerij De Korenschoof")
    screenshot(page, f"member-my-business-{device}")
    page.get_by_role("link", name="Gegevens wijzigen").click()
    page.get_by_label("Website").fill("https://korenschoof.example")
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.locator(".member-facts")).to_contain_text("https://korenschoof.example")

    # Report a problem with a photo.
    photo = tmp_path / "stoeptegel.jpg"
    photo.write_bytes(image_upload().read())
    page.get_by_role("link", name="Een probleem melden").first.click()
    page.get_by_label("Heel (kapotte bestrating, verlichting)").check()
    page.get_by_label("Wat is het probleem?").fill("Losse stoeptegel voor de deur")
    page.get_by_label("Waar?").fill("Marktstraat 1")
    page.get_by_label("Foto (niet verplicht)").set_input_files(str(photo))
    screenshot(page, f"member-report-form-{device}")
    page.get_by_role("button", name="Verstuur de melding").click()
    expect(page.locator(".member-status")).to_have_text("Nieuw")
    expect(page.locator("img.member-photo")).to_be_visible()
    screenshot(page, f"member-report-sent-{device}")

    # The facilitair coördinator resolves the follow-up in the CRM; Fatima sees it and gets a mail.
    report = Report.objects.get()
    crm_services.complete_follow_up(
        follow_up=report.follow_up, user=hanneke, outcome="De tegel ligt weer vast."
    )
    # The mail leaves once completing can no longer be undone (the queued task's countdown).
    Report.objects.filter(pk=report.pk).update(resolved_at=timezone.now() - dt.timedelta(hours=1))
    tell_reporter_resolved(report.pk)
    page.goto(f"{base}/meldingen/")
    expect(page.locator(".member-status").first).to_have_text("Opgelost")
    assert any("opgelost" in message.subject for message in mail.outbox)
    screenshot(page, f"member-reports-{device}")

    membership = Membership.objects.select_related("organisation").get()
    assert membership.onboarding_step == Membership.Step.DONE
    assert membership.organisation.website == "https://korenschoof.example"
    assert csp == []
    if device == "phone":
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], "the page scrolls sideways on a phone"
    context.close()


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_self_sign_up_staff_approve_and_the_invitation_arrives(browser, live_server, device):
    base = live_server.url
    viewport = DESKTOP if device == "desktop" else PHONE
    colleague("sanne")

    context = _new_context(browser, viewport)
    page = context.new_page()
    csp = _watch_csp(page)
    page.goto(f"{base}/aanmelden/")
    page.get_by_label("Bedrijfsnaam").fill("Koffiebar Bonen")
    page.get_by_label("KvK-nummer").fill("1122 334")
    page.get_by_label("Voornaam").fill("Daan")
    page.get_by_label("Achternaam").fill("de Wit")
    page.get_by_label("E-mailadres").fill("daan@bonen.example")
    page.get_by_role("button", name="Verstuur mijn aanmelding").click()
    expect(page.locator(".errorlist").first).to_contain_text("precies 8 cijfers")
    expect(page.get_by_label("Bedrijfsnaam")).to_have_value("Koffiebar Bonen")
    screenshot(page, f"member-signup-error-{device}")
    page.get_by_label("KvK-nummer").fill("1122 3344")
    page.get_by_role("button", name="Verstuur mijn aanmelding").click()
    expect(page.locator("h1")).to_have_text("Aanmelding ontvangen")
    screenshot(page, f"member-signup-sent-{device}")
    assert "ontvangen" in mail.outbox[-1].subject
    assert csp == []

    staff_context = _new_context(browser, DESKTOP)
    staff = staff_context.new_page()
    staff_login(staff, base, "sanne")
    staff.goto(f"{base}/admin/members/applications/")
    staff.get_by_role("link", name="Koffiebar Bonen").click()
    approve = staff.get_by_role("button", name="Goedkeuren en de uitnodiging versturen")
    expect(approve).to_be_visible()
    expect(staff.locator("main")).to_contain_text("nog niet in het CRM")
    screenshot(staff, f"member-application-decide-{device}")
    approve.click()
    expect(staff.locator(".messages")).to_contain_text("Goedgekeurd")
    staff_context.close()
    assert Application.objects.get().status == Application.Status.APPROVED

    page.goto(_link_in_last_mail(base))
    expect(page.locator("h1")).to_have_text("Maak uw account aan")
    expect(page.locator("main")).to_contain_text("Koffiebar Bonen")
    page.get_by_label("Kies een wachtwoord").fill(MEMBER_PASSWORD)
    page.get_by_label("Typ het wachtwoord nog een keer").fill(MEMBER_PASSWORD)
    page.get_by_role("button", name="Maak mijn account aan").click()
    expect(page.locator(".member-kicker")).to_have_text("Stap 1 van 4")
    expect(page.get_by_label("Bedrijfsnaam")).to_have_value("Koffiebar Bonen")
    screenshot(page, f"member-signup-onboarding-{device}")
    context.close()
