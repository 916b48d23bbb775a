"""Preview as the mail itself, personalised for a chosen recipient, and a test send to myself."""

import pytest
from bs4 import BeautifulSoup
from django.test import RequestFactory
from django.urls import reverse

from tests.builders import STAFF_PASSWORD, draft_newsletter, make_person, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def newsletter(lotte):
    return draft_newsletter(owner=lotte)


@pytest.fixture
def fatima(db):
    return make_person("Fatima", "Bouzid", email="fatima@bakkerij.example")


def login(client, user):
    assert client.login(username=user.username, password=STAFF_PASSWORD)


def test_the_preview_shows_the_mail_at_desktop_and_phone_width(client, lotte, newsletter):
    login(client, lotte)
    response = client.get(reverse("newsletter_compose_preview", args=[newsletter.pk]))
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    widths = sorted(int(frame["width"]) for frame in soup.find_all("iframe"))
    assert widths == [360, 640]
    assert "Nieuwsbrief december" in soup.get_text()
    assert "Deze versie is nog niet goedgekeurd" in soup.get_text()


def test_a_recipient_found_by_name_is_greeted_by_name(client, lotte, newsletter, fatima):
    login(client, lotte)
    response = client.get(reverse("newsletter_compose_preview", args=[newsletter.pk]), {"q": "fatima"})
    link = BeautifulSoup(response.content, "html.parser").find("a", href=f"?persoon={fatima.pk}")
    assert link is not None
    response = client.get(reverse("newsletter_compose_preview", args=[newsletter.pk]), {"persoon": fatima.pk})
    frame = BeautifulSoup(response.content, "html.parser").find("iframe")["src"]
    mail = client.get(frame).content.decode()
    assert "Beste Fatima," in mail
    assert "%%" not in mail
    # A preview carries no working unsubscribe link of somebody else.
    assert "afmelden/" not in mail


def test_without_a_chosen_recipient_the_greeting_falls_back(client, lotte, newsletter):
    login(client, lotte)
    mail = client.get(reverse("newsletter_compose_preview_mail", args=[newsletter.pk])).content.decode()
    assert "Beste ondernemer," in mail


def test_the_preview_is_for_writers_and_reviewers_only(client, newsletter, sanne):
    board = make_staff("anouk", "Bestuur")
    for user in (sanne, board):
        client.force_login(user)
        for name in ("newsletter_compose_preview", "newsletter_compose_preview_mail"):
            response = client.get(reverse(name, args=[newsletter.pk]))
            assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    client.logout()
    response = client.get(reverse("newsletter_compose_preview", args=[newsletter.pk]))
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_a_test_send_arrives_in_my_inbox_with_unsubscribe_headers(
    client, lotte, newsletter, fatima, mailoutbox
):
    login(client, lotte)
    url = reverse("newsletter_compose_test_send", args=[newsletter.pk])
    response = client.post(url, {"persoon": fatima.pk})
    assert response.status_code == 302
    assert response.url.endswith(f"?persoon={fatima.pk}")
    [message] = mailoutbox
    assert message.to == ["lotte@veldhaven.example"]
    assert message.subject == "[TEST] Nieuwsbrief december"
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = message.alternatives[0][0]
    assert "Beste Fatima," in html and "Beste Fatima," in message.body
    assert "utm_campaign=" in html


def test_a_test_send_needs_an_email_address(client, newsletter, mailoutbox):
    nomail = make_staff("zonder", "Communicatie")
    nomail.email = ""
    nomail.save()
    client.force_login(nomail)
    response = client.post(reverse("newsletter_compose_test_send", args=[newsletter.pk]), follow=True)
    assert mailoutbox == []
    assert "geen e-mailadres" in response.content.decode()


def test_a_test_send_is_refused_to_someone_who_may_not_compose(client, newsletter, sanne, mailoutbox):
    client.force_login(sanne)
    client.post(reverse("newsletter_compose_test_send", args=[newsletter.pk]))
    assert mailoutbox == []


def test_the_editor_links_to_the_preview_and_offers_review_instead_of_publish(client, lotte, newsletter):
    login(client, lotte)
    content = client.get(reverse("wagtailadmin_pages:edit", args=[newsletter.pk])).content.decode()
    assert reverse("newsletter_compose_preview", args=[newsletter.pk]) in content
    assert 'name="action-publish"' not in content
    assert 'name="action-submit"' in content


def test_wagtail_preview_modes_render_the_mail_for_desktop_and_phone(newsletter, lotte):
    assert [name for name, _label in newsletter.preview_modes] == ["", "phone"]
    request = RequestFactory().get("/")
    request.user = lotte
    desktop = newsletter.serve_preview(request, "").content.decode()
    phone = newsletter.serve_preview(request, "phone").content.decode()
    assert "Beste ondernemer," in desktop and "Beste ondernemer," in phone
    assert "@media only screen and (max-width: 620px)" in desktop
    # The phone mode applies the phone layout at any width: the columns are stacked outright.
    assert "@media only screen and (max-width: 620px)" not in phone
    column = BeautifulSoup(phone, "html.parser").find("td", class_="column-left")
    assert "display: block !important" in column["style"]
    column = BeautifulSoup(desktop, "html.parser").find("td", class_="column-left")
    assert "display: block" not in column["style"]
