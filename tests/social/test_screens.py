"""Every social screen for every role: Communicatie and Centrummanager write, Beheerder all, Bestuur
reads, the others see nothing. And the list and the week take a fixed number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from social.channels import Channel
from social.models import PostState
from stadshart import roles
from tests.social.conftest import PASSWORD, make_post, submit

pytestmark = pytest.mark.django_db

WRITERS = {roles.BEHEERDER, roles.CENTRUMMANAGER, roles.COMMUNICATIE}
READERS = WRITERS | {roles.BESTUUR}


def allowed(response) -> bool:
    if response.status_code == 200:
        return True
    # Wagtail answers a refusal with a redirect (to the dashboard or the login) or a 403.
    assert response.status_code in (302, 403), response.status_code
    return False


@pytest.fixture
def post(staff_by_role):
    return make_post(staff_by_role[roles.COMMUNICATIE])


def screens(post):
    return {
        "list": (reverse("social_posts:list"), READERS),
        "inspect": (reverse("social_posts:inspect", args=[post.pk]), READERS),
        "calendar": (reverse("social:calendar"), READERS),
        "posting": (reverse("social:posting", args=[post.pk]), READERS),
        "add": (reverse("social_posts:add"), WRITERS),
        "edit": (reverse("social_posts:edit", args=[post.pk]), WRITERS),
        "draft": (reverse("social:draft"), WRITERS),
    }


@pytest.mark.parametrize("role", [*roles.ROLES, "none"])
def test_each_role_sees_only_its_screens(client, staff_by_role, post, role):
    client.login(username=staff_by_role[role].username, password=PASSWORD)
    for name, (url, who) in screens(post).items():
        assert allowed(client.get(url)) == (role in who), (role, name)


@pytest.mark.parametrize("role", [roles.BESTUUR, roles.ACCOUNTMANAGER, roles.FACILITAIR, "none"])
def test_who_may_not_write_cannot_record_plan_or_draft(client, staff_by_role, post, role):
    client.login(username=staff_by_role[role].username, password=PASSWORD)
    url = reverse("social:posting", args=[post.pk])
    assert not allowed(client.post(url, {"posted_url": "https://x.com/a/status/1"}))
    assert not allowed(client.post(url, {"planned_at": "2026-12-20 10:00"}))
    assert not allowed(client.post(reverse("social:draft"), {"source": "project:1", "channels": ["x"]}))
    post.refresh_from_db()
    assert post.posted_url == "" and post.state == PostState.CONCEPT


def test_the_board_reads_the_list_but_gets_no_add_button(client, staff_by_role, post):
    client.login(username=staff_by_role[roles.BESTUUR].username, password=PASSWORD)
    page = client.get(reverse("social_posts:list")).content.decode()
    assert reverse("social_posts:add") not in page
    calendar = client.get(reverse("social:calendar")).content.decode()
    assert reverse("social:draft") not in calendar


def make_many(user, count, start):
    for n in range(count):
        make_post(
            user,
            channel=list(Channel)[n % 6],
            text=f"Bericht {n} over de binnenstad.",
            planned_at=start + dt.timedelta(hours=n * 5),
        )


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url_name", ["social_posts:list", "social:calendar"])
def test_list_and_week_take_the_same_queries_for_3_or_30_posts(client, lotte, url_name):
    monday = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())
    start = timezone.make_aware(dt.datetime.combine(monday, dt.time(8, 0)))
    make_many(lotte, 3, start)
    client.login(username=lotte.username, password=PASSWORD)
    url = reverse(url_name)
    client.get(url)  # warm caches (site, permissions)
    few = count_queries(client, url)
    make_many(lotte, 27, start)
    # A post in review and an approved one add workflow states to show.
    submit(make_post(lotte, planned_at=start), lotte)
    many = count_queries(client, url)
    assert many == few, (few, many)
    assert few <= 30


def test_the_week_shows_each_post_on_its_day_with_its_state_and_filters(client, lotte, ruben):
    monday = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())
    tuesday_10 = timezone.make_aware(dt.datetime.combine(monday + dt.timedelta(days=1), dt.time(10, 0)))
    x_post = make_post(lotte, channel=Channel.X, text="Koopzondag op X", planned_at=tuesday_10)
    submit(
        make_post(lotte, channel=Channel.LINKEDIN, text="Koopzondag op LinkedIn", planned_at=tuesday_10),
        lotte,
    )
    make_post(
        lotte,
        channel=Channel.FACEBOOK,
        text="Bericht voor later",
        planned_at=tuesday_10 + dt.timedelta(days=7),
    )
    make_post(lotte, channel=Channel.MASTODON, text="Nog niet gepland", planned_at=None)
    client.login(username=ruben.username, password=PASSWORD)
    page = client.get(reverse("social:calendar"), {"week": monday.isoformat()}).content.decode()
    assert "Koopzondag op X" in page and "Koopzondag op LinkedIn" in page and "Nog niet gepland" in page
    assert "Bericht voor later" not in page
    assert 'data-state="review"' in page and 'data-state="concept"' in page
    filtered = client.get(
        reverse("social:calendar"), {"week": monday.isoformat(), "channel": "x"}
    ).content.decode()
    assert "Koopzondag op X" in filtered and "LinkedIn</span>" not in filtered
    by_state = client.get(
        reverse("social:calendar"), {"week": monday.isoformat(), "state": "review"}
    ).content.decode()
    assert "Koopzondag op LinkedIn" in by_state and "Koopzondag op X" not in by_state
    assert reverse("social_posts:edit", args=[x_post.pk]) in page
    # A week that is not a date is this week, not an error.
    assert client.get(reverse("social:calendar"), {"week": "geen-datum"}).status_code == 200


def test_the_posting_screen_copies_the_approved_text_and_records_the_address(client, lotte, ruben):
    post = submit(
        make_post(lotte, channel=Channel.X, link="https://veldhaven.example/agenda", hashtags="kerst"), lotte
    )
    post.current_workflow_task.on_action(post.current_workflow_task_state, ruben, "approve")
    client.login(username=lotte.username, password=PASSWORD)
    url = reverse("social:posting", args=[post.pk])
    page = client.get(url).content.decode()
    assert "https://veldhaven.example/agenda" in page and "#kerst" in page
    assert 'data-copy-target="social-composed"' in page
    bad = client.post(url, {"posted_url": "geen adres"})
    assert bad.status_code == 200 and "geen adres" in bad.content.decode()
    good = client.post(url, {"posted_url": "https://x.com/veldhaven/status/42"})
    assert good.status_code == 302
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHED and post.posted_by == lotte
    planned = client.post(url, {"planned_at": "2026-12-20 10:00"})
    assert planned.status_code == 302
    post.refresh_from_db()
    assert timezone.localtime(post.planned_at).strftime("%Y-%m-%d %H:%M") == "2026-12-20 10:00"


def test_a_draft_has_no_copy_button_yet(client, lotte):
    post = make_post(lotte)
    client.login(username=lotte.username, password=PASSWORD)
    page = client.get(reverse("social:posting", args=[post.pk])).content.decode()
    assert "data-copy-target" not in page
    refused = client.post(reverse("social:posting", args=[post.pk]), {"posted_url": "https://x.com/a/1"})
    assert refused.status_code == 200
    assert "goedgekeurd" in refused.content.decode() or "approved" in refused.content.decode()
    post.refresh_from_db()
    assert post.state == PostState.CONCEPT and post.posted_url == ""


def test_a_newsletter_offers_make_social_media_posts_to_writers_only(client, staff_by_role):
    from tests.builders import draft_newsletter as make_newsletter

    newsletter = make_newsletter("Nieuwsbrief december")
    link = f"{reverse('social:draft')}?page={newsletter.pk}"
    client.login(username=staff_by_role[roles.COMMUNICATIE].username, password=PASSWORD)
    page = client.get(reverse("wagtailadmin_pages:edit", args=[newsletter.pk])).content.decode()
    assert link in page and "Maak socialemediaberichten" in page
    client.login(username=staff_by_role[roles.FACILITAIR].username, password=PASSWORD)
    page = client.get(reverse("wagtailadmin_pages:edit", args=[newsletter.pk])).content.decode()
    assert link not in page


def test_the_list_leads_to_the_week_and_to_drafting(client, lotte):
    client.login(username=lotte.username, password=PASSWORD)
    page = client.get(reverse("social_posts:list")).content.decode()
    assert reverse("social:calendar") in page and reverse("social:draft") in page
