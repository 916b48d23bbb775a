"""The headers receivers and mail programs read, on the real message newsletter/sending builds."""

from datetime import datetime
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

import pytest

from newsletter.rendering import render_newsletter
from newsletter.sending.mail import build_message
from stadshart.models import CentreSettings
from tests.builders import draft_newsletter

pytestmark = pytest.mark.django_db


def message_of(newsletter, settings):
    rendered = render_newsletter(
        newsletter.get_latest_revision_as_object(), base_url="https://centrumveldhaven.nl"
    )
    message = build_message(
        rendered,
        to_email="fatima@korenschoof.example",
        first_name="Fatima",
        delivery_id=7,
        from_email="Centrum Veldhaven <nieuws@centrumveldhaven.nl>",
        message_id_domain="centrumveldhaven.nl",
    )
    return message.message()


@pytest.fixture
def veldhaven(db):
    from wagtail.models import Site

    centre = CentreSettings.for_site(Site.objects.get(is_default_site=True))
    centre.name = "Centrum Veldhaven"
    centre.save()
    return centre


def test_each_kind_is_its_own_list_named_after_the_centre(veldhaven, settings):
    service = message_of(draft_newsletter(kind="service"), settings)
    marketing = message_of(draft_newsletter("Acties", kind="marketing"), settings)
    assert (
        service["List-Id"]
        == "Centrum Veldhaven Servicebericht <service.centrum-veldhaven.centrumveldhaven.nl>"
    )
    assert (
        marketing["List-Id"]
        == "Centrum Veldhaven Marketing <marketing.centrum-veldhaven.centrumveldhaven.nl>"
    )


def test_the_date_is_dutch_local_time_not_minus_zero(veldhaven, settings):
    message = message_of(draft_newsletter(), settings)
    assert not message["Date"].endswith("-0000")
    sent = parsedate_to_datetime(message["Date"])
    amsterdam = datetime.now(ZoneInfo("Europe/Amsterdam")).utcoffset()
    assert sent.utcoffset() == amsterdam, message["Date"]


def test_one_click_unsubscribe_and_mailto_only_when_someone_reads_that_mailbox(veldhaven, settings):
    settings.NEWSLETTER_UNSUBSCRIBE_MAILTO = ""
    message = message_of(draft_newsletter(), settings)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Unsubscribe"].startswith("<http") and "mailto:" not in message["List-Unsubscribe"]
    settings.NEWSLETTER_UNSUBSCRIBE_MAILTO = "afmelden@centrumveldhaven.nl"
    message = message_of(draft_newsletter("Tweede"), settings)
    assert message["List-Unsubscribe"].endswith(", <mailto:afmelden@centrumveldhaven.nl?subject=unsubscribe>")


def test_the_charset_comes_first_in_the_head_and_the_preheader_has_no_hiding_colour(veldhaven, settings):
    message = message_of(draft_newsletter(), settings)
    html = next(part for part in message.walk() if part.get_content_type() == "text/html").get_payload(
        decode=True
    )
    html = html.decode()
    assert html.split("<head>", 1)[1].startswith('<meta charset="utf-8">')
    preheader = html.split('class="preheader"', 1)[1].split(">", 1)[0]
    assert "display: none" in preheader and "color" not in preheader
