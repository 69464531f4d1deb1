"""Planned sessions (issue 15 §1): planned in the coach's time zone, cancelled (by
whom, when) or a no-show, proposed at the agreed cadence; an old `next_session`
upgrades into a planned session without loss; `aoi engagement plan|cancel|planned`
and the attacks (a day that does not exist, an hour the clocks skip, a zone that
does not exist, negative minutes)."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from aoi_tui.config.settings import SettingsError, load_settings
from aoi_tui.domain.planning import (
    CancelledBy,
    PlannedSession,
    PlanningError,
    PlanStatus,
    attendance,
    next_day,
    overdue,
    plan,
    proposed_day,
    week_of,
)
from aoi_tui.domain.vocabulary import SessionKind
from aoi_tui.secure.storage import decrypt_file
from aoi_tui.store import migrations
from aoi_tui.store.store import Store
from tests.cli_support import aoi, cli_error
from tests.test_exports import make_engagement
from tests.test_upgrade_before_13 import FIXTURE, MANIFEST, unlock

PARIS = "Europe/Paris"


def test_a_session_across_the_autumn_change_lasts_its_minutes() -> None:
    # 2026-10-25 in Paris: 03:00 CEST becomes 02:00 CET
    p = plan("2026-10-25 01:30", PARIS, minutes=120)
    start, end = p.starts(), p.ends()
    assert start is not None and end is not None
    assert (end.astimezone(UTC) - start.astimezone(UTC)) == timedelta(minutes=120)
    assert end.replace(tzinfo=None).time() == time(2, 30)  # wall clock: one hour "lost"
    assert end.utcoffset() == timedelta(hours=1)


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("2026-02-30 10:00", "not a day and an hour"),
        ("2026-13-01 10:00", "not a day and an hour"),
        ("2026-05-01 24:00", "not a day and an hour"),
        ("2026-05-01", "not a day and an hour"),
        ("2026-05-01 9:00", "not a day and an hour"),
        ("9999-12-31 10:00", "five years ahead"),
        ("2026-03-29 02:30", "does not exist on 2026-03-29 in Europe/Paris"),
        ("", "not a day and an hour"),
    ],
)
def test_what_cannot_be_planned_is_said(typed: str, said: str) -> None:
    with pytest.raises(PlanningError, match=said):
        plan(typed, PARIS)


@pytest.mark.parametrize("minutes", [-5, 0, 721, 100_000])
def test_minutes_out_of_range_are_refused(minutes: int) -> None:
    with pytest.raises(PlanningError, match="1 to 720 minutes"):
        plan("2026-05-01 10:00", PARIS, minutes=minutes)


@pytest.mark.parametrize("zone", ["Mars/Olympus", "../../etc/passwd", "Europe/Paris\n", ""])
def test_a_zone_that_does_not_exist_is_refused(zone: str) -> None:
    with pytest.raises(PlanningError, match="not a time zone this machine knows"):
        plan("2026-05-01 10:00", zone)


def test_a_zone_setting_that_does_not_exist_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "settings.toml").write_text('time_zone = "Europe/Atlantis"\n', "utf-8")
    with pytest.raises(SettingsError, match="time_zone: 'Europe/Atlantis' is not a time zone"):
        load_settings(tmp_path)
    (tmp_path / "settings.toml").write_text('hours_left_out = ["nowhere"]\n', "utf-8")
    with pytest.raises(SettingsError, match="hours_left_out: unknown phase"):
        load_settings(tmp_path)


def test_cancellations_and_no_shows_are_counted_as_such() -> None:
    a, b, c = (plan(f"2026-05-0{d} 10:00", PARIS) for d in (4, 5, 6))
    a.cancel(CancelledBy.COACHEE, date(2026, 5, 1))
    b.no_show()
    assert a.cancelled_on == date(2026, 5, 1) and a.status is PlanStatus.CANCELLED
    with pytest.raises(PlanningError, match="not planned any more"):
        a.cancel(CancelledBy.COACH)
    counted = attendance([a, b, c])
    assert (counted.cancelled_by_coachee, counted.no_shows, counted.cancelled_by_coach) == (1, 1, 0)
    # the nearest session still planned is c, not the cancelled a
    assert next_day([a, b, c], date(2026, 5, 1)) == date(2026, 5, 6)


def test_overdue_week_and_the_next_day_at_the_cadence() -> None:
    p = plan("2026-05-04 10:00", PARIS)
    assert overdue(p, held_days=[date(2026, 4, 20)], today=date(2026, 5, 6))
    assert not overdue(p, held_days=[date(2026, 5, 4)], today=date(2026, 5, 6))
    assert week_of(date(2026, 5, 6)) == (date(2026, 5, 4), date(2026, 5, 10))
    assert proposed_day(date(2026, 5, 4), 21, date(2026, 5, 6)) == date(2026, 5, 25)
    # a cadence already past proposes tomorrow, never a day gone by
    assert proposed_day(date(2026, 1, 4), 21, date(2026, 5, 6)) == date(2026, 5, 7)


def test_next_session_of_a_store_made_before_13_becomes_a_planned_day(tmp_path: Path) -> None:
    root = tmp_path / "old-store"
    shutil.copytree(FIXTURE / "store", root)
    store = unlock(root)
    days = {}
    for eid in store.keyfile.engagement_keys:
        before = decrypt_file(root / "engagements" / f"{eid}.db", store.engagement_key(eid), eid)
        [doc] = before["engagement"].values()
        days[eid] = doc.get("next_session")
    assert any(days.values()), "the fixture should hold a next_session"
    for eid, day in days.items():
        ef = store.engagement(eid)
        planned = ef.all(PlannedSession)
        assert ef.engagement().next_session == (date.fromisoformat(day) if day else None)
        if day is None:
            assert planned == []
            continue
        [p] = planned
        # the day, no hour and no duration invented; the calendar writes a day
        assert (p.on, p.at, p.minutes, p.status) == (
            date.fromisoformat(day),
            None,
            None,
            PlanStatus.PLANNED,
        )
        on_disk = decrypt_file(ef.path, store.engagement_key(eid), eid)
        assert migrations.file_version(on_disk) == migrations.FILE_VERSION
    # opened again: still one planned session each (the step ran once)
    again = unlock(root)
    for eid, day in days.items():
        assert len(again.engagement(eid).all(PlannedSession)) == (1 if day else 0)
    assert MANIFEST["engagements"]


def test_plan_cancel_and_list_from_the_cli(store: Store, cli_env: dict[str, str]) -> None:
    ef = make_engagement(store)
    (Path(cli_env["AOI_CONFIG_DIR"])).mkdir(parents=True, exist_ok=True)
    (Path(cli_env["AOI_CONFIG_DIR"]) / "settings.toml").write_text(
        f'time_zone = "{PARIS}"\n', "utf-8"
    )
    made = aoi(
        cli_env,
        "engagement",
        "plan",
        ef.id,
        "--at",
        "2026-12-03 14:00",
        "--minutes",
        "120",
        "--kind",
        "aoi",
        "--place",
        "Salle B",
    )
    assert made.returncode == 0, made.stderr
    pid = made.stdout.strip()
    assert len(pid) == 12 and "14:00 (Europe/Paris)" in made.stderr
    [p] = store.engagement(ef.id).all(PlannedSession)
    assert (p.id, p.on, p.at, p.zone, p.minutes, p.kind, p.place) == (
        pid,
        date(2026, 12, 3),
        time(14, 0),
        PARIS,
        120,
        SessionKind.AOI,
        "Salle B",
    )
    assert store.summary(ef.id).planned == ["2026-12-03 14:00"]
    assert store.engagement(ef.id).engagement().next_session == date(2026, 12, 3)
    assert "Planned" not in cli_error(
        aoi(cli_env, "engagement", "plan", ef.id, "--at", "2026-02-30 10:00")
    )
    for bad, said in (
        (["--at", "2026-02-30 10:00"], "a day that exists"),
        (["--at", "2026-03-29 02:15"], "does not exist on 2026-03-29"),
        (["--at", "2026-12-10 10:00", "--minutes", "-5"], "1 to 720 minutes"),
        (["--at", "2026-12-10 10:00", "--kind", "nap"], "not a kind of session"),
    ):
        assert said in cli_error(aoi(cli_env, "engagement", "plan", ef.id, *bad))
    cancelled = aoi(
        cli_env, "engagement", "cancel", ef.id, pid[:6], "--by", "sponsor", "--date", "2026-12-01"
    )
    assert cancelled.returncode == 0, cancelled.stderr
    [p] = store.engagement(ef.id).all(PlannedSession)
    assert (p.status, p.cancelled_by, p.cancelled_on) == (
        PlanStatus.CANCELLED,
        CancelledBy.SPONSOR,
        date(2026, 12, 1),
    )
    assert store.engagement(ef.id).engagement().next_session is None
    assert store.summary(ef.id).planned == []
    assert "not planned any more" in cli_error(
        aoi(cli_env, "engagement", "cancel", ef.id, pid, "--no-show")
    )
    assert "no planned session" in cli_error(
        aoi(cli_env, "engagement", "cancel", ef.id, "zzzz", "--by", "coach")
    )
    listed = aoi(cli_env, "engagement", "planned", ef.id)
    assert "cancelled by the N+1 on 2026-12-01" in listed.stdout
    data = json.loads(aoi(cli_env, "engagement", "planned", ef.id, "--json").stdout)
    assert data[0]["cancelled_by"] == "sponsor"


def test_the_zone_setting_that_does_not_exist_stops_the_cli(
    store: Store, cli_env: dict[str, str]
) -> None:
    ef = make_engagement(store)
    Path(cli_env["AOI_CONFIG_DIR"]).mkdir(parents=True, exist_ok=True)
    (Path(cli_env["AOI_CONFIG_DIR"]) / "settings.toml").write_text(
        'time_zone = "Europe/Lutece"\n', "utf-8"
    )
    said = cli_error(aoi(cli_env, "engagement", "plan", ef.id, "--at", "2026-12-03 14:00"))
    assert "Europe/Lutece" in said and "not a time zone" in said
    assert store.engagement(ef.id).all(PlannedSession) == []


def test_a_planned_session_keeps_its_zone_when_the_machine_changes() -> None:
    p = plan("2026-12-03 14:00", PARIS)
    start = p.starts()
    assert start is not None and start.tzinfo == ZoneInfo(PARIS)
    assert start.astimezone(UTC).hour == 13


def test_nothing_is_planned_for_a_withdrawn_coachee_nor_an_erased_engagement(
    store: Store, cli_env: dict[str, str]
) -> None:
    ef = make_engagement(store)
    assert aoi(cli_env, "engagement", "withdraw", ef.id).returncode == 0
    said = cli_error(aoi(cli_env, "engagement", "plan", ef.id, "--at", "2026-12-03 14:00"))
    assert "withdrew" in said
    assert store.engagement(ef.id).all(PlannedSession) == []
    other = make_engagement(store, coachee="Paul Durand")
    store.erase(other.id)
    said = cli_error(aoi(cli_env, "engagement", "plan", other.id, "--at", "2026-12-03 14:00"))
    assert "Traceback" not in said


def test_a_damaged_after_erasure_file_does_not_stop_an_erasure(store: Store) -> None:
    from aoi_tui.store.after_erasure import FILE

    ef = make_engagement(store)
    ef.insert(plan("2026-12-03 14:00", PARIS))
    (store.root / FILE).write_bytes(b"damaged")
    store.erase(ef.id)
    assert not (store.root / "engagements" / f"{ef.id}.db").exists()


def test_planned_sessions_are_in_the_confidential_json_only(store: Store) -> None:
    """Issue 15 §1: the confidential file (individual and a team's) holds every
    planned session, a cancelled one and a no-show included, as version 3; the
    N+1's report and the recap hold none (the agreement reports the dates of
    sessions held, not the coachee's agenda); an engagement whose only planned day
    is its old `next_session` keeps its version (the documents made before say
    the same)."""
    from aoi_tui.domain.models import Agreement, Audience, Engagement, Form, Participant
    from aoi_tui.exports.group_export import build_group_export
    from aoi_tui.exports.writing import build_export
    from aoi_tui.store.agenda import add_planned, mark_planned

    individual = make_engagement(store)
    individual.new_session(SessionKind.AOI)
    team = store.create_engagement(
        Engagement(
            form=Form.TEAM,
            group="Ligne 3",
            sponsor="Marc",
            participants=[
                Participant(name=n, agreement=Agreement(consent_date=date(2026, 11, 2)))
                for n in ("Claire", "Paul")
            ],
        )
    )
    team.new_session(SessionKind.TEAM_AOI)

    def confidential(eid: str) -> dict[str, object]:
        if store.engagement(eid).engagement().individual:
            made = build_export(store, eid, Audience.CONFIDENTIAL, "json", "en")
        else:
            made = build_group_export(store, eid, Audience.CONFIDENTIAL, "json", "en")
        body: dict[str, object] = json.loads(made.content)
        return body

    before = {eid: confidential(eid)["version"] for eid in (individual.id, team.id)}
    assert before == {individual.id: 1, team.id: 2}
    for ef in (individual, team):
        kept = add_planned(store, ef.id, plan("2026-12-03 10:00", PARIS, minutes=90, place="B12"))
        gone = add_planned(store, ef.id, plan("2026-12-10 10:00", PARIS))
        missed = add_planned(store, ef.id, plan("2026-12-17 10:00", PARIS))
        mark_planned(store, ef.id, gone.id, by=CancelledBy.SPONSOR, on=date(2026, 11, 20))
        mark_planned(store, ef.id, missed.id)
        body = confidential(ef.id)
        assert body["version"] == 3
        planned = body["planned"]
        assert isinstance(planned, list)
        assert [p["id"] for p in planned] == [kept.id, gone.id, missed.id]
        assert planned[0]["at"] == "10:00:00" and planned[0]["place"] == "B12"
        assert planned[0]["zone"] == PARIS and planned[0]["minutes"] == 90
        assert planned[1]["status"] == "cancelled" and planned[1]["cancelled_by"] == "sponsor"
        assert planned[2]["status"] == "no_show"
        # what the N+1 and the recap receive holds no planned day nor place
        for audience, session in ((Audience.SHARED, None), (Audience.RECAP, 1)):
            if ef.engagement().individual:
                made = build_export(store, ef.id, audience, "json", "en", session)
            else:
                made = build_group_export(store, ef.id, audience, "json", "en", session)
            assert "B12" not in made.content and "2026-12-10" not in made.content, audience
    # a store made before planned sessions: its next_session's day only, same version
    old = make_engagement(store)
    eng = old.engagement()
    eng.next_session = date(2026, 12, 3)
    old.update(eng)
    old.insert(PlannedSession(on=date(2026, 12, 3), zone=PARIS))
    assert confidential(old.id)["version"] == 1 and "planned" not in confidential(old.id)
