"""`aoi hours` (issue 15 §2): minutes from the phases' recorded starts and ends,
a planned duration where a phase was never ended or the session resumed another
day (marked), the phases the setting leaves out, a group once with its size,
paid or pro bono, anonymous rows for clients not named and for erased
engagements (no name, no contact), supervision in the totals, cancellations and
no-shows counted as such; CSV cells guarded against formulas; the paths an
export must refuse."""

from __future__ import annotations

import csv
import io
import os
import stat
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from markdown_it import MarkdownIt

from aoi_tui.domain.hours import session_minutes
from aoi_tui.domain.models import Agreement, Engagement, Form, Participant, Session
from aoi_tui.domain.planning import CancelledBy, plan
from aoi_tui.domain.supervision import SupervisionEntry
from aoi_tui.domain.vocabulary import SessionKind
from aoi_tui.exports.hours_log import FORMULA_STARTS, gather, guarded, render_csv, render_markdown
from aoi_tui.store.engagement_file import EngagementFile
from aoi_tui.store.store import Store
from aoi_tui.store.supervision_log import SupervisionLog
from tests.cli_support import aoi, cli_error

PARIS = datetime(2026, 11, 2).astimezone().tzinfo


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute).astimezone()


def held(
    ef: EngagementFile, day: int, kind: SessionKind = SessionKind.AOI, **kw: object
) -> Session:
    """A session held on 2026-11-`day` whose every phase ran its target, from 09:00."""
    session = ef.new_session(kind, **kw)  # type: ignore[arg-type]
    session.held_on = date(2026, 11, day)
    start = at(day, 9)
    for run in session.phases:
        run.started_at = start
        start = start + timedelta(minutes=run.target_minutes)
        run.ended_at = start
    session.started_at, session.ended_at = session.phases[0].started_at, start
    ef.update(session)
    return session


def individual(
    store: Store, name: str, listed: bool, email: str = "", **kw: object
) -> EngagementFile:
    ef = store.create_engagement(
        Engagement(
            coachee=name,
            sponsor="Marc Dubois",
            agreement=Agreement(consent_date=date(2026, 1, 5), listed_in_hours_log=listed),
            **kw,  # type: ignore[arg-type]
        )
    )
    engagement = ef.engagement()
    engagement.one_participant.email = email
    ef.save_engagement(engagement)
    return ef


def test_minutes_come_from_the_phases_and_the_field_is_left_out_by_default(store: Store) -> None:
    ef = individual(store, "Camille Martin", listed=True)
    s = held(ef, 2)
    # aoi: review 30, field 120, debrief 30, handover 15 -> 75 counted by default
    assert session_minutes(s, ("field", "team_field")) == (75, False)
    assert session_minutes(s, ()) == (195, False)
    # the debrief ran 10 minutes over: counted as it was
    s.phases[2].ended_at = s.phases[2].ended_at + timedelta(minutes=10)  # type: ignore[operator]
    assert session_minutes(s, ("field",)) == (85, False)


def test_a_phase_never_ended_or_a_session_resumed_another_day_uses_the_plan(store: Store) -> None:
    ef = individual(store, "Camille Martin", listed=True)
    s = held(ef, 2)
    s.phases[0].ended_at = None  # never ended: its 30 planned minutes
    s.phases[0].started_at = at(2, 9)
    assert session_minutes(s, ("field",)) == (75, True)
    resumed = held(ef, 3)
    resumed.ended_at = at(4, 11)  # resumed the next day: planned durations throughout
    resumed.phases[3].started_at = at(4, 10)
    resumed.phases[3].ended_at = at(4, 11)
    assert session_minutes(resumed, ("field",)) == (75, True)
    ef.update(s)
    ef.update(resumed)
    log = gather(store, None, None, None)
    [row] = log.rows
    assert row.estimated and row.minutes == 150
    assert "planned duration used" in render_markdown(log, None, "en")


def test_rows_totals_groups_pro_bono_anonymity_and_supervision(store: Store) -> None:
    named = individual(store, "Camille Martin", listed=True, email="camille@example.org")
    held(named, 2)
    hidden = individual(store, "Secret Person", listed=False, email="secret@example.org")
    hidden_engagement = hidden.engagement()
    hidden_engagement.pro_bono = True
    hidden.save_engagement(hidden_engagement)
    held(hidden, 3, SessionKind.COACHING)  # 10 + 50 + 20 + 10 = 90
    team = store.create_engagement(
        Engagement(
            form=Form.TEAM,
            coachee="Équipe ligne 2",
            sponsor="Marc Dubois",
            participants=[
                Participant(name="Ana Lima", agreement=Agreement(listed_in_hours_log=True)),
                Participant(name="Bob Ray"),
                Participant(name="Chloé Roy"),
            ],
        )
    )
    held(team, 4, SessionKind.TEAM_AOI)
    ana = team.engagement().participants[0]
    held(team, 5, SessionKind.AOI, participant=ana.id)  # one-to-one: individual hours
    p = plan("2026-11-20 10:00", "Europe/Paris")
    p.cancel(CancelledBy.COACHEE)
    q = plan("2026-11-21 10:00", "Europe/Paris")
    q.no_show()
    named.insert(p)
    named.insert(q)
    SupervisionLog(store).add(
        SupervisionEntry(on=date(2026, 11, 6), supervisor="Anne S", hours=Decimal("1.5"))
    )
    log = gather(store, None, None, None)
    by_start = {r.start.day: r for r in log.rows}
    assert by_start[2].name == "Camille Martin" and by_start[2].email == "camille@example.org"
    assert (by_start[2].cancelled, by_start[2].no_shows) == (1, 1)
    assert by_start[3].name == "" and by_start[3].email == "" and by_start[3].pro_bono
    assert by_start[4].group_size == 3 and by_start[4].name == "Ana Lima; +2"
    assert by_start[5].group_size == 1 and by_start[5].name == "Ana Lima"
    t = log.totals
    team_minutes = by_start[4].minutes
    assert t.pro_bono == 90 and t.group == team_minutes
    assert t.individual == 75 + 90 + 75 and t.overall == t.paid + t.pro_bono
    assert (t.supervision_hours, t.supervisions, t.cancelled, t.no_shows) == (
        Decimal("1.5"),
        1,
        1,
        1,
    )
    text = render_csv(log, None, "en")
    assert "Secret Person" not in text and "secret@example.org" not in text
    assert "(anonymous)" in text and "group of 3" in text and "pro bono" in text
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["Client", "E-mail", "Start"]
    assert ["Supervision hours (1)", "1.5"] in rows
    # a period: only what was held in it
    assert [
        r.start.day for r in gather(store, None, date(2026, 11, 4), date(2026, 11, 4)).rows
    ] == [4]


def test_erasing_keeps_an_anonymous_row(store: Store) -> None:
    ef = individual(store, "Zorglub Erased", listed=True, email="zorglub@example.org")
    held(ef, 2)
    before = gather(store, None, None, None)
    store.erase(ef.id)
    after = gather(store, None, None, None)
    [row] = after.rows
    assert row.erased and row.name == "" and row.email == ""
    assert row.minutes == before.rows[0].minutes and row.start == date(2026, 11, 2)
    for text in (render_csv(after, None, "en"), render_markdown(after, None, "fr")):
        assert "Zorglub" not in text and "zorglub@" not in text
    assert "(erased engagement)" in render_csv(after, None, "en")
    store.erase(ef.id)  # an erasure run again adds no second row
    assert len(gather(store, None, None, None).rows) == 1


@given(name=st.text(min_size=1, max_size=30).filter(lambda s: s.strip()))
@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_no_csv_cell_starts_a_formula(name: str) -> None:
    cell = guarded(name)
    assert not cell.startswith(FORMULA_STARTS)
    assert cell in (name, "'" + name)  # the text kept, a quote before it at most


def test_a_client_named_as_a_formula_is_text_in_the_csv(store: Store) -> None:
    ef = individual(store, '=HYPERLINK("http://x","y")', listed=True, email="@evil")
    held(ef, 2)
    rows = list(csv.reader(io.StringIO(render_csv(gather(store, None, None, None), None))))
    for row in rows:
        for value in row:
            assert not value.startswith(FORMULA_STARTS), value
    assert rows[1][0].startswith("'=HYPERLINK") and rows[1][1] == "'@evil"


def test_a_client_named_with_an_image_or_html_is_text_in_the_markdown(store: Store) -> None:
    """The hours log's Markdown table held a typed name as it was: a viewer
    fetched `![x](https://…)` on opening the file and ran `<img …>`."""
    ef = individual(
        store, "![x](https://tracker.example/p.png) <img src=https://t.example/q.png>", listed=True
    )
    held(ef, 2)
    text = render_markdown(gather(store, None, None, None), None, "en")
    parsed = MarkdownIt("commonmark", {"html": True}).enable("table").parse(text)
    kinds = {child.type for token in parsed for child in token.children or []}
    assert "image" not in kinds and "html_inline" not in kinds
    assert "tracker.example/p.png" in text  # still there, as text


def test_the_cli_formats_and_paths(store: Store, cli_env: dict[str, str], tmp_path: Path) -> None:
    ef = individual(store, "Camille Martin", listed=False)
    held(ef, 2)
    out = aoi(cli_env, "hours", "-o", "-")
    assert out.returncode == 0 and out.stdout.startswith("Client,")
    md = aoi(cli_env, "--lang", "fr", "hours", "--format", "md", "-o", "-")
    assert md.stdout.startswith("# Journal des heures") and "(anonyme)" in md.stdout
    target = tmp_path / "hours.csv"
    assert aoi(cli_env, "hours", "-o", str(target), "--from", "2026-11-01").returncode == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert "after --to" in cli_error(
        aoi(cli_env, "hours", "--from", "2026-12-01", "--to", "2026-11-01")
    )
    assert "2026-02-30" in cli_error(aoi(cli_env, "hours", "--from", "2026-02-30"))
    assert "data folder" in cli_error(aoi(cli_env, "hours", "-o", str(store.root / "h.csv")))
    # a character device made here: written into, never replaced
    device = tmp_path / "null"
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("mknod needs privileges here")
    assert aoi(cli_env, "hours", "-o", str(device)).returncode == 0
    assert stat.S_ISCHR(device.lstat().st_mode)
    # the listing flag from the CLI names the client
    assert (
        aoi(
            cli_env,
            "engagement",
            "hours-log",
            ef.id,
            "--listed",
            "yes",
            "--email",
            "c@example.org",
            "--pro-bono",
            "yes",
        ).returncode
        == 0
    )
    named = aoi(cli_env, "hours", "-o", "-").stdout
    assert "Camille Martin,c@example.org" in named and "pro bono" in named


def test_the_agreement_says_the_hours_stay_anonymous_after_an_erasure(store: Store) -> None:
    from aoi_tui.domain.models import Audience
    from aoi_tui.exports.writing import build_export

    named = individual(store, "Camille Martin", listed=True)
    other = individual(store, "Paul Durand", listed=False)
    said = "its hours stay in that log without a name or a contact"
    assert said in build_export(store, named.id, Audience.CONFIDENTIAL, "md", "en", None).content
    assert (
        "sans nom ni contact"
        in build_export(store, named.id, Audience.CONFIDENTIAL, "md", "fr", None).content
    )
    # not named: nothing said, the document keeps the shape it had
    assert (
        said not in build_export(store, other.id, Audience.CONFIDENTIAL, "md", "en", None).content
    )


def test_a_pro_bono_engagement_says_so_in_its_confidential_json(store: Store) -> None:
    import json

    from aoi_tui.domain.models import Audience
    from aoi_tui.exports.writing import build_export

    paid = individual(store, "Camille Martin", listed=False)
    free = individual(store, "Paul Durand", listed=False, pro_bono=True)
    before = json.loads(
        build_export(store, paid.id, Audience.CONFIDENTIAL, "json", "en", None).content
    )
    assert before["version"] == 1 and "pro_bono" not in before["engagement"]
    doc = json.loads(
        build_export(store, free.id, Audience.CONFIDENTIAL, "json", "en", None).content
    )
    assert doc["version"] == 2 and doc["engagement"]["pro_bono"] is True


def test_the_kickoff_counts_and_a_phase_left_out_by_the_setting_does_not(store: Store) -> None:
    ef = individual(store, "Camille Martin", listed=True)
    held(ef, 2, SessionKind.KICKOFF)  # expectations 30, objectives 45, agreement 15
    assert gather(store, None, None, None).rows[0].minutes == 90
    assert gather(store, ["agreement"], None, None).rows[0].minutes == 75
    text = render_markdown(gather(store, [], None, None), [], "en")
    assert "Phases counted: all" in text


def test_the_cli_refuses_in_the_coachs_language(store: Store, cli_env: dict[str, str]) -> None:
    """aoi --lang fr engagement hours-log / plan: their refusals in French (English
    whatever the language)."""
    ef = individual(store, "Camille Martin", listed=False)
    said = cli_error(aoi(cli_env, "--lang", "fr", "engagement", "hours-log", ef.id))
    assert "précisez --pro-bono" in said, said
    said = cli_error(
        aoi(
            cli_env,
            "--lang",
            "fr",
            "engagement",
            "plan",
            ef.id,
            "--at",
            "2026-12-01 10:00",
            "--kind",
            "brunch",
        )
    )
    assert "n'est pas un type de séance" in said, said
