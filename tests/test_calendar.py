"""`aoi calendar` (issue 15 §1): an RFC 5545 file parsed back with icalendar;
neutral titles whatever was typed (canaries in every field), names and places
only when the setting says so; UIDs that stay from one export to the next;
cancelled and erased sessions as STATUS:CANCELLED with their UID; a session
across the autumn change in Europe/Paris; the paths an export must refuse."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from aoi_tui.domain.models import Agreement, Engagement
from aoi_tui.domain.planning import CancelledBy, PlannedSession, plan
from aoi_tui.domain.vocabulary import SessionKind
from aoi_tui.exports.calendar_file import build_calendar, calendar_events, initials
from aoi_tui.store.store import Store
from tests.cli_support import aoi, cli_error
from tests.test_exports import add_session, shared_note

CANARIES = {
    "coachee": "Zorglub Canarycoachee",
    "sponsor": "Canarysponsor Vexin",
    "coach": "Moreaucanary Claire",
    "organisation": "Canaryorg Industries",
    "place": "Canaryplace salle 7",
    "note": "Canarynote secret",
    "expectations": "Canaryexpect",
    "email": "canary@mail.example",
}


def stuffed(store: Store) -> tuple[str, list[PlannedSession]]:
    ef = store.create_engagement(
        Engagement(
            coachee=CANARIES["coachee"],
            sponsor=CANARIES["sponsor"],
            coach=CANARIES["coach"],
            organisation=CANARIES["organisation"],
            coachee_expectations=CANARIES["expectations"],
            agreement=Agreement(consent_date=date(2026, 1, 5)),
        )
    )
    add_session(ef)
    shared_note(ef, 1, CANARIES["note"])
    engagement = ef.engagement()
    engagement.one_participant.email = CANARIES["email"]
    ef.save_engagement(engagement)
    made = [
        plan(
            "2026-12-03 14:00",
            "Europe/Paris",
            minutes=120,
            kind=SessionKind.AOI,
            place=CANARIES["place"],
        ),
        plan("2026-10-25 01:30", "Europe/Paris", minutes=120, place=CANARIES["place"]),
    ]
    for p in made:
        ef.insert(p)
    return ef.id, made


def parsed(data: bytes) -> icalendar.Calendar:
    cal = icalendar.Calendar.from_ical(data)
    assert cal["VERSION"] == "2.0" and cal["PRODID"]
    return cal


def events(cal: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_the_calendar_parses_back_with_zones_reminders_and_neutral_titles(store: Store) -> None:
    _, made = stuffed(store)
    data = build_calendar(calendar_events(store, names=False, lang="en"), "en")
    cal = parsed(data)
    assert [str(z["TZID"]) for z in cal.walk("VTIMEZONE")] == ["Europe/Paris"]
    found = events(cal)
    assert set(found) == {f"{p.id}@aoi.invalid" for p in made}
    dec = found[f"{made[0].id}@aoi.invalid"]
    assert dec.decoded("DTSTART") == datetime(2026, 12, 3, 14, 0, tzinfo=ZoneInfo("Europe/Paris"))
    assert dec["DTSTART"].params["TZID"] == "Europe/Paris"
    assert dec.decoded("DURATION") == timedelta(hours=2)
    assert str(dec["SUMMARY"]) == "AOI session · Z.C."
    assert str(dec["STATUS"]) == "CONFIRMED" and "LOCATION" not in dec
    [alarm] = dec.walk("VALARM")
    assert alarm.decoded("TRIGGER") == timedelta(minutes=-30) and str(alarm["ACTION"]) == "DISPLAY"
    # across the autumn change: it ends two real hours later, 02:30 CET
    oct25 = found[f"{made[1].id}@aoi.invalid"]
    start = oct25.decoded("DTSTART")
    end = (start.astimezone(UTC) + oct25.decoded("DURATION")).astimezone(ZoneInfo("Europe/Paris"))
    assert (end.hour, end.minute, end.utcoffset()) == (2, 30, timedelta(hours=1))


def test_no_canary_reaches_a_neutral_calendar_whatever_the_field(store: Store) -> None:
    stuffed(store)
    text = build_calendar(calendar_events(store, names=False), None).decode("utf-8")
    unfolded = text.replace("\r\n ", "")
    for field, canary in CANARIES.items():
        for word in canary.split():
            if len(word) > 3 and word.lower() not in ("salle", "secret"):
                assert word not in unfolded, (field, word)
    assert "DESCRIPTION:Coaching session (aoi)" in unfolded  # the alarm's only text


def test_names_and_places_only_when_the_setting_says_so(store: Store) -> None:
    _, made = stuffed(store)
    cal = parsed(build_calendar(calendar_events(store, names=True, lang="en"), "en"))
    dec = events(cal)[f"{made[0].id}@aoi.invalid"]
    assert str(dec["SUMMARY"]) == f"AOI session · {CANARIES['coachee']}"
    assert str(dec["LOCATION"]) == CANARIES["place"]
    text = cal.to_ical().decode()
    # never the sponsor, the organisation, a note, an e-mail, even with names on
    for field in ("sponsor", "organisation", "note", "email", "coach", "expectations"):
        assert CANARIES[field].split()[0] not in text.replace("\r\n ", ""), field


def test_uids_stay_and_a_cancelled_or_erased_session_is_cancelled(store: Store) -> None:
    eid, made = stuffed(store)
    first = events(parsed(build_calendar(calendar_events(store, names=False))))
    ef = store.engagement(eid)
    cancelled = ef.get(PlannedSession, made[0].id)
    cancelled.cancel(CancelledBy.COACHEE, date(2026, 11, 30))
    ef.update(cancelled)
    second = events(parsed(build_calendar(calendar_events(store, names=False))))
    assert set(first) == set(second)
    assert str(second[f"{made[0].id}@aoi.invalid"]["STATUS"]) == "CANCELLED"
    assert int(second[f"{made[0].id}@aoi.invalid"]["SEQUENCE"]) == 1
    assert str(second[f"{made[1].id}@aoi.invalid"]["STATUS"]) == "CONFIRMED"
    store.erase(eid)
    third = events(parsed(build_calendar(calendar_events(store, names=False))))
    assert set(third) == set(first)  # the same UIDs, now all cancelled
    assert {str(e["STATUS"]) for e in third.values()} == {"CANCELLED"}
    assert {str(e["SUMMARY"]) for e in third.values()} == {"aoi"}
    assert third[f"{made[0].id}@aoi.invalid"].decoded("DTSTART") == datetime(
        2026, 12, 3, 14, 0, tzinfo=ZoneInfo("Europe/Paris")
    )
    # the file that keeps them names no one
    raw = (store.root / "after_erasure.db").read_bytes()
    assert b"Zorglub" not in raw and eid.encode() not in raw


def test_a_day_without_an_hour_is_an_all_day_event(store: Store) -> None:
    eid, _ = stuffed(store)
    ef = store.engagement(eid)
    day = PlannedSession(on=date(2026, 12, 10), zone="Europe/Paris")
    ef.insert(day)
    ev = events(parsed(build_calendar(calendar_events(store, names=False))))[
        f"{day.id}@aoi.invalid"
    ]
    assert ev.decoded("DTSTART") == date(2026, 12, 10)
    assert ev.decoded("DTEND") == date(2026, 12, 11)


def test_initials_say_no_name() -> None:
    assert initials("Camille Lefèvre (démo)") == "C.L."
    assert initials("Équipe ligne 2") == "É.L.2."
    assert initials("") == ""


def test_the_cli_writes_the_file_and_refuses_what_it_must(
    store: Store, cli_env: dict[str, str], tmp_path: Path
) -> None:
    stuffed(store)
    target = tmp_path / "agenda.ics"
    made = aoi(cli_env, "calendar", "-o", str(target))
    assert made.returncode == 0, made.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert len(events(parsed(target.read_bytes()))) == 2
    out = aoi(cli_env, "calendar", "-o", "-")
    assert out.returncode == 0 and out.stdout.startswith("BEGIN:VCALENDAR")
    # a folder takes the default name inside it
    folder = tmp_path / "folder"
    folder.mkdir()
    assert aoi(cli_env, "calendar", "-o", str(folder)).returncode == 0
    assert (folder / "aoi.ics").is_file()
    # the data folder, however spelled
    for inside in (store.root / "x.ics", store.root / ".." / store.root.name / "keys.json"):
        assert "data folder" in cli_error(aoi(cli_env, "calendar", "-o", str(inside)))
    # a FIFO nobody reads is refused at once, never waited on
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    said = cli_error(aoi(cli_env, "calendar", "-o", str(fifo), timeout=30))
    assert "fifo" in said.lower() or "reader" in said.lower() or "nobody" in said.lower()


def test_icalendar_loads_only_for_the_calendar(cli_env: dict[str, str]) -> None:
    code = (
        "import sys; from aoi_tui.cli.parser import build_parser; build_parser();"
        "import aoi_tui.cli.agenda; print('icalendar' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=cli_env)
    assert out.stdout.strip() == "False", out.stderr


@pytest.mark.parametrize("zone", ["Europe/Paris", "America/New_York", "UTC"])
def test_each_zone_used_has_its_vtimezone(store: Store, zone: str) -> None:
    eid, _ = stuffed(store)
    store.engagement(eid).insert(plan("2026-07-01 09:00", zone))
    cal = parsed(build_calendar(calendar_events(store, names=False)))
    zones = {str(z["TZID"]) for z in cal.walk("VTIMEZONE")}
    assert "Europe/Paris" in zones and (zone in zones or zone == "UTC")


WORD = st.from_regex(r"Qz[a-zà-ÿ]{4,10}", fullmatch=True)


@given(
    coachee=st.tuples(WORD, WORD),
    sponsor=WORD,
    organisation=WORD,
    place=WORD,
    group=st.booleans(),
)
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_a_neutral_calendar_names_no_one_whatever_the_names(
    store: Store,
    coachee: tuple[str, str],
    sponsor: str,
    organisation: str,
    place: str,
    group: bool,
) -> None:
    """Whatever the names (hypothesis draws them), a neutral calendar holds none of
    them, nor the organisation or the place: only initials."""
    from aoi_tui.domain.models import Form, Participant

    name = " ".join(coachee)
    if group:
        engagement = Engagement(
            form=Form.TEAM,
            coachee=name,
            sponsor=sponsor,
            organisation=organisation,
            participants=[Participant(name=sponsor[::-1]), Participant(name=place[::-1])],
        )
    else:
        engagement = Engagement(
            coachee=name, sponsor=sponsor, organisation=organisation, agreement=Agreement()
        )
    ef = store.create_engagement(engagement)
    ef.insert(plan("2026-12-03 14:00", "Europe/Paris", place=place))
    try:
        text = build_calendar(calendar_events(store, names=False)).decode().replace("\r\n ", "")
        for word in (*coachee, sponsor, organisation, place):
            assert word not in text
        assert f"· {coachee[0][0]}.{coachee[1][0]}." in text
    finally:
        store.erase(ef.id)


def test_the_doctor_restores_what_erased_engagements_left(store: Store) -> None:
    from aoi_tui.store.after_erasure import FILE
    from aoi_tui.store.doctor import run_doctor

    eid, made = stuffed(store)
    store.erase(eid)
    (store.root / FILE).write_bytes(b"damaged")
    store.cache.drop(store.root / FILE)
    report = run_doctor(store.root, lambda: store, repair=True)
    assert any(f.path == store.root / FILE and f.repaired for f in report.findings), report.human()
    store.cache.drop(store.root / FILE)
    found = events(parsed(build_calendar(calendar_events(store, names=False))))
    assert set(found) == {f"{p.id}@aoi.invalid" for p in made}


def test_the_cli_counts_the_events_in_the_coachs_language(
    store: Store, cli_env: dict[str, str], tmp_path: Path
) -> None:
    """'1 event', French '1 événement' (it said '1 events', '1 événements')."""
    ef = store.create_engagement(Engagement(coachee="Ana Ruiz", sponsor="Marc"))
    ef.insert(plan("2026-12-03 14:00", "Europe/Paris"))
    said = aoi(cli_env, "--lang", "fr", "calendar", "-o", str(tmp_path / "a.ics")).stderr
    assert said.rstrip().endswith("(1 événement)"), said
    said = aoi(cli_env, "calendar", "-o", str(tmp_path / "b.ics")).stderr
    assert said.rstrip().endswith("(1 event)"), said


def test_the_demo_engagements_stay_out_of_the_calendar(store: Store) -> None:
    """`aoi demo`'s fictional sessions would ring on the coach's phone: the
    calendar, as the hours log, leaves them out."""
    from aoi_tui.demo import create_demo, find_demo
    from aoi_tui.store.agenda import add_planned

    create_demo(store)
    demo = find_demo(store)
    assert demo is not None
    add_planned(store, demo, plan("2026-12-04 10:00", "Europe/Paris"))
    _, made = stuffed(store)
    assert {e.uid for e in calendar_events(store, names=False)} == {p.id for p in made}
