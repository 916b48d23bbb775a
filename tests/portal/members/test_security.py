"""Security: rate-limited logins, a member sees only their own business, CSP and headers, CSRF."""

import pytest
from django.test import Client
from django.urls import reverse

from portal.members import services
from tests.builders import MEMBER_PASSWORD, make_member

pytestmark = pytest.mark.django_db


def test_a_member_logs_in_with_the_email_address_in_any_case(client, fatima):
    response = client.post(
        reverse("members:login"), {"username": "Fatima@Korenschoof.example", "password": MEMBER_PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("members:onboarding")


def test_a_wrong_password_says_so_in_dutch(client, fatima):
    response = client.post(
        reverse("members:login"), {"username": "fatima@korenschoof.example", "password": "x"}
    )
    assert response.status_code == 200
    assert "juiste" in response.content.decode()


def test_logins_are_rate_limited_after_five_wrong_passwords(client, fatima):
    url = reverse("members:login")
    for _attempt in range(5):
        client.post(url, {"username": "fatima@korenschoof.example", "password": "verkeerd"})
    locked = client.post(url, {"username": "fatima@korenschoof.example", "password": MEMBER_PASSWORD})
    assert locked.status_code == 429
    assert "Te veel pogingen" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_admin_login_is_rate_limited_too(client, sanne):
    url = reverse("wagtailadmin_login")
    for _attempt in range(5):
        client.post(url, {"username": "sanne", "password": "verkeerd"})
    locked = client.post(url, {"username": "sanne", "password": "een-lang-wachtwoord-42"})
    assert locked.status_code == 429


def test_a_member_gets_404_for_another_business_report_and_photo(bakery, florist, fatima, client):
    other = make_member(florist, "Eva", "Bloem", "eva@flora.example")
    theirs = services.submit_report(
        membership=other,
        draft=services.ReportDraft(category="overlast", description="Geheim", location="Kerkstraat"),
    )
    client.force_login(fatima.user)
    assert client.get(reverse("members:report", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("members:report_photo", args=[theirs.pk])).status_code == 404
    assert "Kerkstraat" not in client.get(reverse("members:reports")).content.decode()


def test_my_data_is_only_my_own(bakery, florist, fatima, client):
    make_member(florist, "Eva", "Bloem", "eva@flora.example")
    client.force_login(fatima.user)
    data = client.get(reverse("members:download_data")).content.decode()
    assert "eva@flora.example" not in data and "Bloem" not in data


def test_members_cannot_enter_the_admin(member_client):
    response = member_client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_the_portal_sends_a_strict_content_security_policy_and_headers(member_client):
    response = member_client.get(reverse("members:home"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'self'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_the_admin_keeps_its_inline_scripts_without_the_portal_policy(client, sanne):
    client.force_login(sanne)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response


def test_forms_refuse_a_post_without_the_csrf_token(fatima):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(fatima.user)
    response = csrf_client.post(
        reverse("members:new_report"), {"category": "schoon", "description": "x", "location": "y"}
    )
    assert response.status_code == 403
    anonymous = Client(enforce_csrf_checks=True)
    assert (
        anonymous.post(reverse("members:login"), {"username": "a@b.nl", "password": "x"}).status_code == 403
    )


def test_a_password_reset_link_works_once(client, fatima, django_capture_on_commit_callbacks):
    from django.core import mail

    client.post(reverse("members:password_reset"), {"email": "fatima@korenschoof.example"})
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "wachtwoord" in mail.outbox[0].subject.lower()
    link = next(line for line in body.splitlines() if "/wachtwoord-herstellen/" in line).strip()
    path = link.split("testserver")[1]
    form_page = client.get(path, follow=True)
    assert "Kies een nieuw wachtwoord" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    new = "Nieuw-brood-wachtwoord-77"
    done = client.post(set_url, {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    fatima.user.refresh_from_db()
    assert fatima.user.check_password(new)
    client.logout()
    again = client.get(path, follow=True)
    assert "al gebruikt of verlopen" in again.content.decode()


def test_logging_out_takes_a_post_so_a_link_elsewhere_cannot_log_a_member_out(member_client):
    assert member_client.get(reverse("members:logout")).status_code == 405
    assert member_client.get(reverse("members:home")).status_code == 200
    member_client.post(reverse("members:logout"))
    assert member_client.get(reverse("members:home")).status_code == 302
