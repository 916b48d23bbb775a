"""Rich text is clean at every boundary: whatever path hostile HTML takes into the database, nothing
that runs script reaches the web page, the mail, the preview or the web version, and the page
editor opens the page.

The paths from code (the demo, a script, the AI drafter, a restore) all end in the project's rich
text field or block (stadshart.richtext), so these tests write through each kind of write the ORM
has (save, a revision, update(), bulk_create) and also straight into the table with SQL, which
only the cleaning on read can catch.
"""

import re

import pytest
from bs4 import BeautifulSoup
from django.db import connection

from newsletter.models import NewsletterPage
from newsletter.rendering import render_newsletter, render_web_body
from portal.models import HomePage, StandardPage
from stadshart.html import clean_url
from stadshart.richtext import CleanRichTextBlock
from tests.builders import draft_newsletter, make_staff
from tests.xss_corpus import XSS_CORPUS

pytestmark = pytest.mark.django_db

HOSTILE = "".join(f"<p>Tekst {payload} verder</p>" for payload in XSS_CORPUS)
_BAD_URL = re.compile(r"^[\s\x00-\x1f]*(javascript|vbscript|data):", re.IGNORECASE)


def assert_no_script_runs(html: str) -> None:
    """No payload of the corpus survives as something a browser or mail client would run."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            value = " ".join(value) if isinstance(value, list) else str(value)
            assert not name.lower().startswith("on"), str(tag)[:200]
            if name.lower() in ("href", "action", "formaction", "xlink:href", "background", "data"):
                assert not _BAD_URL.match(value), str(tag)[:200]
            if name.lower() == "src":
                assert not _BAD_URL.match(value) or value.startswith("data:image/"), str(tag)[:200]
        assert tag.name not in ("iframe", "object", "embed", "base", "svg", "math"), str(tag)[:200]
        if tag.name == "script":
            assert "alert" not in tag.get_text() and "evil.example" not in tag.get("src", ""), str(tag)[:200]
        if tag.name == "meta":
            assert tag.get("http-equiv", "").lower() != "refresh", str(tag)[:200]
        if tag.name in ("link", "form", "style"):
            assert "evil.example" not in str(tag), str(tag)[:200]
        if tag.get("style"):
            assert "expression(" not in tag["style"] and "javascript" not in tag["style"], str(tag)[:200]


def stored(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE page_ptr_id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def store_raw(table: str, column: str, pk: int, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE page_ptr_id = %s", [value, pk])  # noqa: S608


def test_every_orm_write_stores_clean_rich_text(portal):
    home = portal.home
    home.intro = HOSTILE
    home.save()
    intro = stored(HomePage._meta.db_table, "intro", home.pk)
    assert "<script" not in intro and "onerror" not in intro and "Tekst" in intro
    HomePage.objects.filter(pk=home.pk).update(intro='<a href="javascript:alert(1)">x</a>')
    assert stored(HomePage._meta.db_table, "intro", home.pk) == "<a>x</a>"

    page = portal.about
    button = {"text": "Klik", "page": None, "url": "javascript:alert(1)"}
    page.body = [("paragraph", HOSTILE), ("button", button)]
    page.save()
    body = stored(StandardPage._meta.db_table, "body", page.pk)
    assert "<script" not in body and "onerror" not in body and "javascript:" not in body

    revision = page.save_revision()
    assert "<script" not in str(revision.content) and "onerror" not in str(revision.content)


def test_hostile_html_from_code_or_sql_never_runs_on_the_portal_and_the_editor_opens_it(client, portal):
    page = portal.about
    page.body = [("paragraph", HOSTILE)]
    page.save_revision().publish()
    # Straight into the table: a path around every write (an old row, raw SQL, a foreign restore).
    store_raw(HomePage._meta.db_table, "intro", portal.home.pk, HOSTILE)
    body = f'[{{"type": "paragraph", "value": {_json(HOSTILE)}, "id": "x1"}}]'
    store_raw(StandardPage._meta.db_table, "body", page.pk, body)

    for url in (portal.home.url, page.url):
        response = client.get(url)
        assert response.status_code == 200
        assert "verder" in response.text  # the text is there, the payloads are not
        assert_no_script_runs(response.text)

    client.force_login(make_staff("lotte", "Communicatie"))
    editor = client.get(f"/admin/pages/{page.pk}/edit/")
    assert editor.status_code == 200
    assert "onerror=alert" not in editor.text and "<script>alert" not in editor.text


def _json(text: str) -> str:
    import json

    return json.dumps(text)


def test_hostile_html_never_runs_in_the_mail_the_preview_or_the_web_version(client):
    author = make_staff("lotte", "Communicatie")
    page = draft_newsletter(
        owner=author,
        body=[
            ("paragraph", HOSTILE),
            ("button", {"text": "Klik", "page": None, "url": " jav\tascript:alert(1)"}),
            ("columns", {"left": [("paragraph", HOSTILE)], "right": []}),
        ],
    )
    # And one revision written around the ORM, as a script or an old version might have left it.
    revision = page.get_latest_revision()
    revision.content["body"] = (
        f'[{{"type": "paragraph", "value": {_json(HOSTILE)}, "id": "r1"}},'
        '{"type": "button", "id": "r2",'
        ' "value": {"text": "Klik", "page": null, "url": "javascript:alert(1)"}}]'
    )
    type(revision).objects.filter(pk=revision.pk).update(content=revision.content)
    issue = NewsletterPage.objects.get(pk=page.pk).get_latest_revision_as_object()

    mail = render_newsletter(issue, base_url="http://testserver")
    assert "verder" in mail.html
    assert_no_script_runs(mail.html)
    assert_no_script_runs(render_web_body(issue, base_url="http://testserver"))

    client.force_login(author)
    preview = client.get(f"/admin/newsletters/preview/{page.pk}/mail/")
    assert preview.status_code == 200, preview.status_code
    assert_no_script_runs(preview.text)
    editor = client.get(f"/admin/pages/{page.pk}/edit/")
    assert editor.status_code == 200
    assert "onerror=alert" not in editor.text and "javascript:alert" not in editor.text


def test_the_block_and_the_url_clean_what_code_hands_them():
    block = CleanRichTextBlock()
    hostile = '<p onclick="x()">Hoi<script>alert(1)</script></p>'
    assert block.get_prep_value(block.normalize(hostile)) == "<p>Hoi</p>"
    assert block.to_python("<img src=x onerror=alert(1)>Hoi").source == "Hoi"
    # Wagtail's own stored form of a link to a page passes, so nothing written in the editor changes.
    kept = '<p data-block-key="a1b2c">Zie <a linktype="page" id="3">de agenda</a>.</p>'
    assert block.get_prep_value(block.to_python(kept)) == kept
    urls = ("https://veldhaven.example/", "mailto:a@b.nl", "data:x", "java\nscript:x")
    assert [clean_url(url) for url in urls] == [
        "https://veldhaven.example/",
        "mailto:a@b.nl",
        "",
        "",
    ]
