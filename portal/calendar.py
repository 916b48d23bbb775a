"""Calendar files (ICS, RFC 5545) of the portal's events, built with the icalendar library."""

import datetime as dt

from icalendar import Calendar, Event


def event_ics(event_page, request) -> bytes:
    """One event as a calendar file a phone or mail program can add (times in UTC, so no time zone table)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Stadshart//Agenda//NL")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"event-{event_page.pk}@{request.get_host().split(':')[0] or 'stadshart'}")
    event.add("summary", event_page.title)
    event.add("dtstart", event_page.start.astimezone(dt.UTC))
    event.add("dtend", (event_page.end or event_page.start + dt.timedelta(hours=1)).astimezone(dt.UTC))
    event.add("dtstamp", (event_page.last_published_at or event_page.start).astimezone(dt.UTC))
    if event_page.location:
        event.add("location", event_page.location)
    if event_page.intro:
        event.add("description", event_page.intro)
    event.add("url", event_page.get_full_url(request))
    calendar.add_component(event)
    return calendar.to_ical()
