"""My work: follow-ups, quiet businesses in my streets, recent signals, and the calendar feed."""

import datetime as dt

import pytest
from django.utils import timezone
from icalendar import Calendar

from crm import services
from crm.models import FollowUp
from crm.views import work as work_views
from crm.views.work import feed_token
from tests.builders import make_organisation


@pytest.fixture
def sannes_street(sanne):
    visited = make_organisation("Bezocht", account_manager=sanne)
    quiet = make_organisation("Stil", street="Marktstraat", house_number="9")
    services.log_interaction(
        staff=sanne,
        organisations=[visited],
        notes="ok",
        signals=[services.SignalDraft("leegstand_dreigt", "Huur opgezegd")],
        follow_ups=[
            services.FollowUpDraft("Te laat", dt.date.today() - dt.timedelta(days=2)),
            services.FollowUpDraft("Volgende week", dt.date.today() + dt.timedelta(days=7)),
        ],
    )
    return visited, quiet


@pytest.mark.django_db
def test_my_work_shows_overdue_and_upcoming_follow_ups_quiet_businesses_and_signals(
    client, sanne, sannes_street
):
    client.force_login(sanne)
    page = client.get("/admin/crm/my-work/").text
    assert page.index("Te laat") < page.index("Volgende week")
    assert "1 te laat" in page
    assert "Stil" in page and "nooit bezocht" in page
    assert "Leegstand dreigt" in page and "Huur opgezegd" in page


@pytest.mark.django_db
def test_marking_a_follow_up_done_takes_it_off_the_list(client, sanne, sannes_street):
    client.force_login(sanne)
    late = FollowUp.objects.get(description="Te laat")
    response = client.post(f"/admin/crm/follow-ups/{late.pk}/done/", follow=True)
    page = response.content.decode()
    assert "Gedaan: Te laat" in page
    assert f"/admin/crm/follow-ups/{late.pk}/done/" not in page
    assert "1 te laat" not in page
    late.refresh_from_db()
    assert late.done_at is not None


@pytest.mark.django_db
def test_nobody_else_can_tick_off_my_follow_up(client, marloes, sanne, sannes_street):
    client.force_login(marloes)
    late = FollowUp.objects.get(description="Te laat")
    assert client.post(f"/admin/crm/follow-ups/{late.pk}/done/").status_code == 404
    late.refresh_from_db()
    assert late.done_at is None


@pytest.mark.django_db
def test_the_calendar_feed_lists_my_open_follow_ups_without_a_login(client, sanne, sannes_street):
    response = client.get(f"/crm/feeds/follow-ups/{feed_token(sanne)}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert sorted(str(event["SUMMARY"]) for event in events) == ["Te laat", "Volgende week"]
    assert {event.decoded("DTSTART") for event in events} == {
        dt.date.today() - dt.timedelta(days=2),
        dt.date.today() + dt.timedelta(days=7),
    }


@pytest.mark.django_db
def test_a_forged_or_revoked_feed_address_shows_nothing(client, sanne, sannes_street):
    token = feed_token(sanne)
    assert client.get(f"/crm/feeds/follow-ups/{token[:-2]}xx.ics").status_code == 404
    sanne.set_password("een-nieuw-wachtwoord-77")
    sanne.save()
    assert client.get(f"/crm/feeds/follow-ups/{token}.ics").status_code == 404


@pytest.mark.django_db
def test_my_work_queries_do_not_grow_with_the_number_of_follow_ups(
    client, sanne, django_assert_max_num_queries
):
    shop = make_organisation(account_manager=sanne)
    for day in range(30):
        services.log_interaction(
            staff=sanne,
            organisations=[shop],
            notes="x",
            occurred_at=timezone.now() - dt.timedelta(days=day + 1),
            follow_ups=[services.FollowUpDraft(f"Actie {day}", dt.date.today())],
            signals=[services.SignalDraft("overig")],
        )
    client.force_login(sanne)
    with django_assert_max_num_queries(25):
        assert client.get("/admin/crm/my-work/").status_code == 200


@pytest.mark.django_db
def test_the_dashboard_tells_the_accountmanager_what_is_due(client, sanne, sannes_street):
    client.force_login(sanne)
    page = client.get("/admin/").text
    assert "1 vervolgactie te laat" in page and "0 vervolgacties deze week" in page
    assert "/admin/crm/log-visit/" in page


@pytest.mark.django_db
def test_the_board_sees_no_crm_panel_on_the_dashboard(client, pieter):
    client.force_login(pieter)
    assert "crm-home-panel" not in client.get("/admin/").text


@pytest.mark.django_db
def test_the_relations_menu_offers_each_role_its_own_screens(client, sanne, pieter, marloes):
    client.force_login(sanne)
    menu = client.get("/admin/").text
    assert "Bezoek vastleggen" in menu and "Mijn werk" in menu and "Stakeholderkaart" in menu
    assert "/admin/crm/import/" not in menu  # importing is for the centre manager
    client.force_login(marloes)
    assert "/admin/crm/import/" in client.get("/admin/").text
    client.force_login(pieter)
    board = client.get("/admin/").text
    assert "Bezoek vastleggen" not in board and "/admin/crm/merge/" not in board


@pytest.mark.django_db
def test_my_work_counts_every_open_follow_up_but_lists_only_the_most_urgent(client, sanne, monkeypatch):
    monkeypatch.setattr(work_views, "SHOWN", 2)
    today = dt.date.today()
    services.log_interaction(
        staff=sanne,
        organisations=[make_organisation(account_manager=sanne)],
        notes="x",
        follow_ups=[services.FollowUpDraft(f"Achter {n}", today - dt.timedelta(days=n + 1)) for n in range(3)]
        + [services.FollowUpDraft(f"Straks {n}", today + dt.timedelta(days=n + 1)) for n in range(3)],
    )
    client.force_login(sanne)
    page = client.get("/admin/crm/my-work/").text
    assert "3 te laat" in page
    assert "Achter 2" in page and "Achter 1" in page and "Achter 0" not in page
    assert "Straks 0" in page and "Straks 1" in page and "Straks 2" not in page
    assert "Alleen de eerstvolgende 2 van 3 staan hier." in page
