"""stadshart.html.clean_html: one allow-list, only http/https/mailto links, harmless styles only."""

import pytest
from bs4 import BeautifulSoup

from stadshart.html import ALLOWED_ATTRIBUTES, ALLOWED_CSS_PROPERTIES, ALLOWED_TAGS, clean_html, strip_html
from tests.xss_corpus import XSS_CORPUS


def assert_harmless(cleaned: str) -> None:
    soup = BeautifulSoup(cleaned, "html.parser")
    for tag in soup.find_all(True):
        assert tag.name in ALLOWED_TAGS, cleaned
        for attribute, value in tag.attrs.items():
            assert attribute in ALLOWED_ATTRIBUTES.get(tag.name, []), cleaned
            if attribute == "href":
                assert value.split(":", 1)[0].lower() in {"http", "https", "mailto"}, cleaned
            if attribute == "style":
                properties = {part.split(":", 1)[0].strip() for part in value.split(";") if part.strip()}
                assert properties <= ALLOWED_CSS_PROPERTIES, cleaned
    lowered = cleaned.lower()
    for needle in ("<script", "javascript:", "vbscript:", "onerror=", "onload=", "<iframe", "expression("):
        assert needle not in lowered, cleaned


@pytest.mark.parametrize("payload", XSS_CORPUS)
def test_hostile_html_comes_out_harmless(payload):
    assert_harmless(clean_html(payload))
    assert_harmless(clean_html(f"<p>Tekst {payload} meer tekst</p>"))


@pytest.mark.parametrize("payload", XSS_CORPUS)
def test_plain_text_keeps_no_markup_at_all(payload):
    text = strip_html(payload)
    assert "<script" not in text.lower() and "<img" not in text.lower() and "<svg" not in text.lower()
    assert "alert(1)</" not in text


def test_rich_text_from_the_editor_passes_unchanged():
    html = (
        "<h2>Koopzondag</h2><p>Op <strong>zondag</strong> is het <em>gezellig</em>. "
        '<a href="https://veldhaven.example/agenda">Agenda</a> of '
        '<a href="mailto:info@veldhaven.example">mail ons</a>.</p><ul><li>Muziek</li><li>Markt</li></ul>'
    )
    assert clean_html(html) == html


def test_allowed_styles_stay_and_others_go():
    assert (
        clean_html('<p style="text-align: center; color: red">x</p>')
        == '<p style="text-align: center;">x</p>'
    )


def test_text_is_escaped_not_dropped():
    assert clean_html("5 < 6 & 7 > 3") == "5 &lt; 6 &amp; 7 &gt; 3"
    assert strip_html("5 &lt; 6 &amp; <b>vet</b>") == "5 < 6 & vet"
