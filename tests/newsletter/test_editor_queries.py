"""The newsletter list and the newsletter editor read a fixed number of queries, however many
newsletters, blocks and segments there are (issue 15: "Speed people feel"; bench/screens.py times them)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.builders import draft_newsletter, make_segment, newsletter_index, published_newsletter, rich_body


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_newsletter_list_reads_as_many_queries_for_many_newsletters_as_for_few(client, lotte):
    client.force_login(lotte)
    draft_newsletter("Nieuwsbrief januari", owner=lotte)
    published_newsletter()
    url = f"/admin/pages/{newsletter_index().pk}/"
    queries_of(client, url)  # warm the session and the menu
    few = queries_of(client, url)
    for month in ("februari", "maart", "april", "mei", "juni"):
        draft_newsletter(f"Nieuwsbrief {month}", owner=lotte)
        published_newsletter(segments=[make_segment(street=f"Straat {month}")])
    assert queries_of(client, url) == few


def test_the_editor_reads_as_many_queries_for_a_long_newsletter_as_for_a_short_one(client, lotte):
    client.force_login(lotte)
    segments = [make_segment(f"Segment {n}", street=f"Straat {n}") for n in range(8)]
    short = draft_newsletter("Kort", owner=lotte, body=rich_body()[:2])
    short.segments.set(segments[:1])
    short.excluded_segments.set(segments[7:])
    long = draft_newsletter("Lang", owner=lotte, body=rich_body() * 4)
    long.segments.set(segments[:5])
    long.excluded_segments.set(segments[5:])
    for page in (short, long):
        page.save_revision(user=lotte)
        queries_of(client, f"/admin/pages/{page.pk}/edit/")  # warm the session, the menu, the page
    assert queries_of(client, f"/admin/pages/{long.pk}/edit/") == queries_of(
        client, f"/admin/pages/{short.pk}/edit/"
    )
