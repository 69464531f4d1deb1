"""`aoi calendar`: the planned sessions as an iCalendar file (RFC 5545), written
with the `icalendar` library (loaded here only), each time zone used in a
VTIMEZONE block, each event with a reminder.

Calendars are synced to phones and shared with assistants: an event says the
kind of session and the initials by default, never a name, an organisation, a
place, a description or anything typed in a note (`calendar_names = true` in
the settings adds the name and the place). An event's UID is its planned
session's id, the same from one export to the next; a cancelled session, and
every planned session of an erased engagement, is written with
`STATUS:CANCELLED` and its UID, so that a subscribed calendar drops it. A no-show
stays as it was planned (it took the coach's time)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from aoi_tui.config.i18n import t
from aoi_tui.domain import clock
from aoi_tui.domain.planning import DEFAULT_MINUTES, PlannedSession, PlanStatus
from aoi_tui.store.store import Store

UID_DOMAIN = "aoi.invalid"
"""The right-hand side of every UID: no host of the coach's is named."""
REMINDER_MINUTES = 30
"""The reminder, before a session with an hour; the day before at 18:00 for a day."""
PRODID = "-//aoi//planned sessions//EN"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    on: date
    at: time | None
    zone: str
    minutes: int | None
    cancelled: bool
    title: str
    place: str = ""


def initials(name: str) -> str:
    """ "Claire Dubois" -> "C.D."; "Équipe ligne 2" -> "É.L.2.": letters only, no name."""
    words = unicodedata.normalize("NFC", name).replace("-", " ").split()
    return "".join(w[0].upper() + "." for w in words if w[0].isalnum())[:12]


def calendar_events(store: Store, *, names: bool, lang: str | None = None) -> list[CalendarEvent]:
    """Every planned session of the store, and the cancelled UIDs of erased ones."""
    from aoi_tui.store.after_erasure import AfterErasure

    events: list[CalendarEvent] = []
    for summary in store.list_engagements():
        if summary.demo:
            continue  # the fictional engagements of `aoi demo` go to no one's phone
        ef = store.engagement(summary.id)
        engagement = ef.engagement()
        who = engagement.coachee
        for p in ef.all(PlannedSession):
            kind = (
                t(f"session.kind.{p.kind.value}", lang) if p.kind else t("calendar.session", lang)
            )
            title = f"{kind} · {who}" if names else f"{kind} · {initials(who)}"
            events.append(
                CalendarEvent(
                    uid=p.id,
                    on=p.on,
                    at=p.at,
                    zone=p.zone,
                    minutes=p.minutes,
                    cancelled=p.status is PlanStatus.CANCELLED,
                    title=title,
                    place=p.place if names else "",
                )
            )
    for c in AfterErasure(store).read()["cancelled"]:
        events.append(
            CalendarEvent(
                uid=c["uid"],
                on=date.fromisoformat(c["on"]),
                at=time.fromisoformat(c["at"]) if c.get("at") else None,
                zone=c.get("zone") or "UTC",
                minutes=c.get("minutes"),
                cancelled=True,
                title="aoi",
            )
        )
    return sorted(events, key=lambda e: (e.on, e.at or time(0), e.uid))


def build_calendar(events: list[CalendarEvent], lang: str | None = None) -> bytes:
    import icalendar

    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", t("calendar.name", lang))
    stamp = clock.now().astimezone(UTC).replace(microsecond=0)
    for e in events:
        ev = icalendar.Event()
        ev.add("uid", f"{e.uid}@{UID_DOMAIN}")
        ev.add("dtstamp", stamp)
        if e.at is None:
            ev.add("dtstart", e.on)  # VALUE=DATE: a day, no hour was ever given
            ev.add("dtend", e.on + timedelta(days=1))
            trigger = -timedelta(hours=6)  # 18:00 the day before
        else:
            ev.add("dtstart", datetime.combine(e.on, e.at, ZoneInfo(e.zone)))
            # a DURATION of hours and minutes is exact time (RFC 5545 3.3.6): across
            # a change of the clocks it ends when it ends, never an hour off
            ev.add("duration", timedelta(minutes=e.minutes or DEFAULT_MINUTES))
            trigger = -timedelta(minutes=REMINDER_MINUTES)
        ev.add("summary", e.title)
        if e.place:
            ev.add("location", e.place)
        ev.add("status", "CANCELLED" if e.cancelled else "CONFIRMED")
        ev.add("sequence", 1 if e.cancelled else 0)
        ev.add("transp", "TRANSPARENT" if e.cancelled else "OPAQUE")
        if not e.cancelled:
            alarm = icalendar.Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", t("calendar.reminder", lang))
            alarm.add("trigger", trigger)
            ev.add_component(alarm)
        cal.add_component(ev)
    cal.add_missing_timezones()
    data: bytes = cal.to_ical()
    return data


__all__ = ["CalendarEvent", "build_calendar", "calendar_events", "initials"]
