"""The newsletter as mail: tables, inlined styles, a text part, UTM tags, absolute addresses, escaping."""

import re

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Site

from newsletter.models import NewsletterSettings
from newsletter.rendering import RenderedNewsletter, render_newsletter
from newsletter.senders import sender_for
from stadshart.models import CentreSettings
from tests.builders import draft_newsletter, make_image, rich_body

pytestmark = pytest.mark.django_db

BASE = "http://testserver"
PERSONAL = {
    "first_name": "Fatima",
    "unsubscribe_url": "http://testserver/nieuwsbrief/afmelden/TOKEN-A/",
    "preferences_url": "http://testserver/nieuwsbrief/voorkeuren/TOKEN-P/",
    "web_url": "http://testserver/nieuwsbrief/december/",
}


@pytest.fixture
def newsletter():
    return draft_newsletter(body=rich_body(make_image()), slug="december-2026")


def test_the_mail_is_laid_out_in_tables_600_wide_with_styles_inlined(newsletter):
    html, _text = render_newsletter(newsletter, base_url=BASE).personalise(**PERSONAL)
    soup = BeautifulSoup(html, "html.parser")
    container = soup.find("table", class_="container")
    assert container["width"] == "600"
    assert all(table.get("role") == "presentation" for table in soup.find_all("table"))
    # css-inline put the rules on the elements; the phone and dark-mode rules stay in <style>.
    assert "background-color: #8a1c2b" in soup.find("td", class_="button-cell")["style"]
    assert "font-size: 22px" in soup.find("h2")["style"]
    style = soup.find("style").string
    assert "@media only screen and (max-width: 620px)" in style
    assert "prefers-color-scheme: dark" in style
    assert "<!--[if mso]>" in html
    assert not soup.find("script")


def test_the_preheader_and_subject_come_from_the_page(newsletter):
    rendered = render_newsletter(newsletter, base_url=BASE)
    assert rendered.subject == "Nieuwsbrief december"
    soup = BeautifulSoup(rendered.personalise(**PERSONAL)[0], "html.parser")
    assert soup.find(class_="preheader").get_text().startswith("Koopzondag, kerstmarkt en parkeren")


def test_the_greeting_names_the_recipient_and_falls_back_without_a_name(newsletter):
    rendered = render_newsletter(newsletter, base_url=BASE)
    html, text = rendered.personalise(**PERSONAL)
    assert "Beste Fatima," in html and "Beste Fatima," in text
    html, text = rendered.personalise(**{**PERSONAL, "first_name": ""})
    assert "Beste ondernemer," in html and "Beste ondernemer," in text


def test_a_hostile_first_name_is_escaped_in_html_and_plain_in_text(newsletter):
    rendered = render_newsletter(newsletter, base_url=BASE)
    html, text = rendered.personalise(**{**PERSONAL, "first_name": '<script>alert("x")</script>'})
    assert "<script>" not in html
    assert "Beste &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;," in html
    assert 'Beste <script>alert("x")</script>,' in text


def test_links_to_our_site_carry_utm_tags_but_personal_links_do_not(newsletter):
    html, _text = render_newsletter(newsletter, base_url=BASE).personalise(**PERSONAL)
    hrefs = [a["href"] for a in BeautifulSoup(html, "html.parser").find_all("a")]
    ours = next(href for href in hrefs if href.startswith("http://testserver/evenementen/"))
    assert ours == (
        "http://testserver/evenementen/?utm_source=nieuwsbrief&utm_medium=email&utm_campaign=december-2026"
    )
    button = next(href for href in hrefs if "/aanmelden/" in href)
    assert button.startswith("http://testserver/aanmelden/?bron=mail&utm_source=nieuwsbrief")
    assert "https://www.veldhaven.example/agenda" in hrefs  # someone else's site: left as written
    for personal in ("unsubscribe_url", "preferences_url", "web_url"):
        assert PERSONAL[personal] in hrefs
    assert not any("utm_" in href and "TOKEN" in href for href in hrefs)
    assert html.count("utm_source=nieuwsbrief") == 2


def test_images_have_absolute_addresses_and_alt_text(newsletter):
    html, _text = render_newsletter(newsletter, base_url=BASE).personalise(**PERSONAL)
    image = BeautifulSoup(html, "html.parser").find("img")
    assert image["src"].startswith("http://testserver/media/images/")
    assert image["alt"] == "De Markt"
    assert image["width"] == "552"


def test_the_text_part_reads_well(newsletter):
    _html, text = render_newsletter(newsletter, base_url=BASE).personalise(**PERSONAL)
    assert "<" not in text.replace("<script>", "")
    assert "Koopzondag in december\n----------------------" in text
    assert "- Markt\n- Kerstverlichting" in text
    assert "de agenda (https://www.veldhaven.example/agenda)" in text
    assert "Meld je aan (http://testserver/aanmelden/?bron=mail&utm_source=nieuwsbrief" in text
    assert "Afmelden: http://testserver/nieuwsbrief/afmelden/TOKEN-A/" in text
    assert "Uw voorkeuren: http://testserver/nieuwsbrief/voorkeuren/TOKEN-P/" in text
    assert not re.search(r"\n{3,}", text)


def test_personalising_leaves_no_placeholder_behind(newsletter):
    rendered = render_newsletter(newsletter, base_url=BASE)
    assert "%%first_name%%" in rendered.html and "%%unsubscribe_url%%" in rendered.text
    html, text = rendered.personalise(**PERSONAL)
    assert "%%" not in html and "%%" not in text


def test_a_rendering_made_elsewhere_is_personalised_too():
    """newsletter-sending builds RenderedNewsletter itself (ESP merge fields): the contract holds."""
    rendered = RenderedNewsletter("Onderwerp", "", "<p>Hoi %%first_name%%</p>", "Hoi %%first_name%%")
    assert rendered.personalise(first_name="Bas") == ("<p>Hoi Bas</p>", "Hoi Bas")


def test_the_sender_comes_from_the_newsletter_settings_of_its_kind(newsletter):
    settings = NewsletterSettings.for_site(Site.objects.get(is_default_site=True))
    settings.service_from_name = "Centrummanagement Veldhaven"
    settings.service_from_email = "leden@veldhaven.example"
    settings.marketing_from_name = "Beleef Veldhaven"
    settings.marketing_from_email = "uitjes@veldhaven.example"
    settings.reply_to = "redactie@veldhaven.example"
    settings.save()
    assert sender_for(newsletter) == (
        "Centrummanagement Veldhaven <leden@veldhaven.example>",
        "redactie@veldhaven.example",
    )
    newsletter.kind = "marketing"
    assert sender_for(newsletter)[0] == "Beleef Veldhaven <uitjes@veldhaven.example>"


def test_the_sender_falls_back_to_the_organisation_then_the_default(newsletter, settings):
    settings.DEFAULT_FROM_EMAIL = "Stadshart <nieuws@stadshart.example>"
    assert sender_for(newsletter) == ("Stadshart <nieuws@stadshart.example>", "")
    organisation = CentreSettings.for_site(Site.objects.get(is_default_site=True))
    organisation.name = "Centrummanagement Veldhaven"
    organisation.email = "info@veldhaven.example"
    organisation.save()
    assert sender_for(newsletter) == (
        "Centrummanagement Veldhaven <info@veldhaven.example>",
        "info@veldhaven.example",
    )


def test_news_and_events_blocks_read_the_portal_at_render_time():
    import datetime as dt

    from django.utils import timezone
    from wagtail.models import Page

    from portal.models import EventIndexPage, EventPage, NewsIndexPage, NewsPage

    home = Page.objects.get(depth=2, slug="home")
    news_index = NewsIndexPage.objects.first() or home.add_child(
        instance=NewsIndexPage(title="Nieuws", slug="nieuws")
    )
    agenda = EventIndexPage.objects.first() or home.add_child(
        instance=EventIndexPage(title="Agenda", slug="agenda")
    )
    for day, title in (
        (1, "Nieuwe bankjes op de Markt"),
        (2, "Parkeren tijdens de kerst"),
        (9, "Oud bericht"),
    ):
        news_index.add_child(
            instance=NewsPage(title=title, intro=f"Over {title.lower()}.", date=dt.date(2026, 11, 20 - day))
        )
    soon = timezone.now() + dt.timedelta(days=3)
    agenda.add_child(
        instance=EventPage(title="Kerstmarkt", start=soon, location="Grote Markt", intro="Gezellig.")
    )
    agenda.add_child(instance=EventPage(title="Voorbij", start=timezone.now() - dt.timedelta(days=3)))
    page = draft_newsletter(
        body=[
            ("news", {"heading": "Nieuws", "count": 2}),
            ("events", {"heading": "Agenda", "count": 3}),
        ],
        slug="met-nieuws",
    )
    html, text = render_newsletter(page, base_url=BASE).personalise(**PERSONAL)
    soup = BeautifulSoup(html, "html.parser")
    titles = [p.get_text() for p in soup.find_all("p", class_="teaser-title")]
    assert titles == ["Nieuwe bankjes op de Markt", "Parkeren tijdens de kerst", "Kerstmarkt"]
    link = soup.find("a", string="Kerstmarkt")["href"]
    assert link.startswith("http") and "utm_campaign=met-nieuws" in link
    assert "Grote Markt" in html
    assert "Over nieuwe bankjes op de markt." in text


def test_a_link_to_a_portal_page_in_the_text_becomes_absolute_and_tagged():
    from wagtail.models import Page

    home = Page.objects.get(depth=2, slug="home")
    page = draft_newsletter(
        body=[("paragraph", f'<p>Zie <a linktype="page" id="{home.pk}">de voorpagina</a>.</p>')], slug="link"
    )
    html, text = render_newsletter(page, base_url=BASE).personalise(**PERSONAL)
    href = BeautifulSoup(html, "html.parser").find("a", string="de voorpagina")["href"]
    assert href.startswith("http") and "utm_campaign=link" in href
    assert f"de voorpagina ({href})" in text
