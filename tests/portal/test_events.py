"""The agenda: coming events first, each with a calendar file to download."""

import pytest
from django.core.exceptions import ValidationError
from icalendar import Calendar

from tests.builders import make_event

pytestmark = pytest.mark.django_db


def test_agenda_lists_coming_events_soonest_first_then_past_ones(client, portal):
    make_event(portal.agenda, "Braderie", days=30)
    make_event(portal.agenda, "Kerstmarkt", days=3)
    make_event(portal.agenda, "Zomerfestival", days=-90)

    html = client.get("/agenda/").content.decode()

    assert html.index("Kerstmarkt") < html.index("Braderie") < html.index("Eerdere activiteiten")
    assert html.index("Eerdere activiteiten") < html.index("Zomerfestival")


def test_an_event_shows_date_and_place_with_a_calendar_download(client, portal):
    event = make_event(portal.agenda, "Kerstmarkt", days=3, location="Kerkplein en Marktstraat")

    html = client.get(event.url).content.decode()

    assert "Kerkplein en Marktstraat" in html
    assert f'href="{event.url}ics/"' in html


def test_the_calendar_file_is_valid_ics_with_the_events_facts(client, portal):
    event = make_event(portal.agenda, "Kerstmarkt", days=3, location="Kerkplein")

    response = client.get(f"{event.url}ics/")

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert 'filename="kerstmarkt.ics"' in response["Content-Disposition"]
    calendar = Calendar.from_ical(response.content)
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Kerstmarkt"
    assert str(vevent["LOCATION"]) == "Kerkplein"
    assert vevent.decoded("DTSTART") == event.start
    assert vevent.decoded("DTEND") == event.end
    assert str(vevent["URL"]) == event.full_url


def test_an_event_cannot_end_before_it_starts(portal):
    event = make_event(portal.agenda, "Kerstmarkt", days=3)
    event.end = event.start.replace(year=event.start.year - 1)
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "end" in error.value.message_dict
