"""Calendar feeds for subscribers: a refresh interval for every feed, and reminders
(VALARM) at the person's own lead times in their personal feed (RFC 5545, RFC 7986)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

REFRESH = timedelta(hours=6)


def for_subscribers(ics: bytes, lead_days: Sequence[int] = ()) -> bytes:
    """The calendar with REFRESH-INTERVAL and X-PUBLISHED-TTL (calendar apps otherwise poll
    at their own whim, often daily or never), and a display alarm per lead time on each
    event: a deadline's event is its due day, a meeting's starts on its first day."""
    from icalendar import Alarm, Calendar, vDuration

    calendar = Calendar.from_ical(ics)
    calendar.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    for event in calendar.walk("VEVENT"):
        for days in sorted(set(lead_days), reverse=True):
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", event.get("summary", "NAP milestone"))
            alarm.add("trigger", -timedelta(days=days))
            event.add_component(alarm)
    ics_out: bytes = calendar.to_ical()
    return ics_out
