"""iCalendar (RFC 5545) for invitations, updates, cancellations and the personal calendar feed.

Times are written in UTC (the `Z` form), which every calendar program reads without a VTIMEZONE and
shows in the reader's own zone, so summer and winter time need nothing special here."""

from dataclasses import dataclass, field
from datetime import datetime

from icalendar import Calendar, Event, vCalAddress, vText

from .models.base import utcnow

PRODID = "-//Op Koers//Doorbraaktafel//NL"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    sequence: int
    starts_at: datetime
    ends_at: datetime
    summary: str
    location: str = ""
    description: str = ""
    url: str = ""
    cancelled: bool = False
    organizer: tuple[str, str] | None = None  # (name, e-mail)
    attendees: list[tuple[str, str]] = field(default_factory=list)  # (name, e-mail)


def _address(name: str, email: str, role: str | None = None) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["cn"] = vText(name)
    if role:
        address.params["role"] = vText(role)
        address.params["partstat"] = vText("NEEDS-ACTION")
        address.params["rsvp"] = vText("FALSE")
    return address


def _event(item: CalendarEvent, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", item.uid)
    event.add("sequence", item.sequence)
    event.add("dtstamp", stamp)
    event.add("dtstart", item.starts_at)
    event.add("dtend", item.ends_at)
    event.add("summary", item.summary)
    event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
    if item.location:
        event.add("location", item.location)
    if item.description:
        event.add("description", item.description)
    if item.url:
        event.add("url", item.url)
    if item.organizer:
        event.add("organizer", _address(*item.organizer))
    for name, email in item.attendees:
        event.add("attendee", _address(name, email, "REQ-PARTICIPANT"), encode=0)
    return event


def _calendar(method: str | None, events: list[CalendarEvent], name: str = "") -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    stamp = utcnow()
    for item in events:
        calendar.add_component(_event(item, stamp))
    return calendar.to_ical()


def invitation(item: CalendarEvent) -> bytes:
    """An invitation or update (METHOD:REQUEST), or a cancellation (METHOD:CANCEL)."""
    return _calendar("CANCEL" if item.cancelled else "REQUEST", [item])


def publish(item: CalendarEvent) -> bytes:
    """One meeting to put in one's own calendar (METHOD:PUBLISH: no reply expected)."""
    return _calendar("PUBLISH", [item])


def feed(events: list[CalendarEvent], name: str) -> bytes:
    """A subscribable calendar with the given meetings (no METHOD: it is published, not sent)."""
    return _calendar(None, events, name)
