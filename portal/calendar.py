"""Calendar files (ICS, RFC 5545) of the portal's events, built with the icalendar library."""

import datetime as dt

from icalendar import Calendar, Event

from stadshart.sites import public_host


def event_ics(event_page, request) -> bytes:
    """One event as a calendar file a phone or mail program can add (times in UTC, so no time zone table)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Stadshart//Agenda//NL")
    calendar.add("version", "2.0")
    event = Event()
    # Stable whatever host name the file was fetched through: the same event is one event in a calendar.
    event.add("uid", f"event-{event_page.pk}@{public_host()[0]}")
    event.add("summary", event_page.title)
    event.add("dtstart", event_page.start.astimezone(dt.UTC))
    event.add("dtend", (event_page.end or event_page.start + dt.timedelta(hours=1)).astimezone(dt.UTC))
    event.add("dtstamp", (event_page.last_published_at or event_page.start).astimezone(dt.UTC))
    if event_page.location:
        event.add("location", event_page.location)
    if event_page.intro:
        event.add("description", event_page.intro)
    event.add("url", event_page.get_full_url())  # the public address (SITE_URL), not the request's
    calendar.add_component(event)
    return calendar.to_ical()
