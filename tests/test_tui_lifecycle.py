"""The engagement from framing to closing, as a coach lives it in the TUI: the
three-way kickoff typed without the mouse, FSAC levels across sessions and a
cold assessment, actions carried to the next session, the cadence alert under
a fixed clock, the closing review, withdrawal, erasure and retention. Plus
snapshots of the kickoff, FSAC and progress screens at 80×24.

Every test starts from its own data folder (the `store` fixture); the clock is
fixed at FIXED_NOW (`freeze`), and engagements other than the one framed in
the first test are made through the store, as `aoi engagement new` would."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from pytest_textual_snapshot import SVGImageExtension
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, TabbedContent, Tabs

from aoi_tui.config.settings import Settings
from aoi_tui.domain.clock import NOW_ENV
from aoi_tui.domain.models import (
    ActionStatus,
    Agreement,
    Area,
    Assessor,
    Competency,
    Engagement,
    Format,
    Level,
    Objective,
    ObjectiveStatus,
    SessionKind,
    Status,
    Timing,
)
from aoi_tui.screens.app import AoiApp
from aoi_tui.screens.closing import ClosingScreen
from aoi_tui.screens.debrief import DebriefScreen
from aoi_tui.screens.engagement import EngagementScreen, NewSessionScreen
from aoi_tui.screens.engagement_list import EngagementList
from aoi_tui.screens.engagements import EngagementsScreen
from aoi_tui.screens.follow_up import FollowUpScreen, LevelPicker
from aoi_tui.screens.framing import FramingScreen, LeaveFramingScreen
from aoi_tui.screens.resume import ConfirmScreen
from aoi_tui.screens.role_balance import RoleBalanceScreen
from aoi_tui.screens.session import SessionScreen
from aoi_tui.secure.keyfile import KeyFile
from aoi_tui.store.store import KEYS, IndexNotUpdated, NoSuchEngagement, Store, StoreBusy
from tests.support import FIXED_NOW
from tests.tui_support import (
    freeze,
    make_app,
    notifications,
    on_screen,
    paste,
    screen_text,
    start_session,
    text_of,
    wait_for,
)

# pytest-textual-snapshot 1.0 sets `_file_extension`; syrupy >= 5 reads `file_extension`.
SVGImageExtension.file_extension = "svg"

TODAY = datetime.fromisoformat(FIXED_NOW).date()
COACHEE = "Jean Martin"
SPONSOR = "Sophie Leroy"


@pytest.fixture(autouse=True)
def _frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch)


# -- helpers -------------------------------------------------------------------------


def on_disk(store: Store) -> Store:
    """The same data folder opened afresh: what is really on disk, no cache."""
    return Store(store.root, KeyFile.load(store.root / KEYS), store.master)


def rows(table: DataTable[Any]) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def engagement(
    store: Store,
    *,
    coachee: str = COACHEE,
    sessions_ago: tuple[int, ...] = (),
    cadence: int = 21,
    status: Status = Status.ACTIVE,
    closed_days_ago: int | None = None,
) -> str:
    """An engagement framed earlier (consent given), with one objective and one
    competency, and sessions held `sessions_ago` days before today."""
    e = Engagement(
        coachee=coachee,
        sponsor=SPONSOR,
        coach="Claire Moreau",
        status=status,
        cadence_days=cadence,
        agreement=Agreement(consent_date=TODAY - timedelta(days=90)),
        closed_on=TODAY - timedelta(days=closed_days_ago) if closed_days_ago else None,
    )
    ef = store.create_engagement(e)
    ef.insert(Objective(statement="Tenir le briefing chaque matin", area=Area.SAFETY))
    ef.insert(
        Competency(name="Animer le briefing", start_level=Level.NOT_ACQUIRED, target=Level.ACQUIRED)
    )
    for days in sessions_ago:
        session = ef.new_session(SessionKind.AOI)
        session.held_on = TODAY - timedelta(days=days)
        session.ended_at = datetime.combine(session.held_on, datetime.min.time()).astimezone()
        ef.update(session)
    store.refresh_summary(e.id)
    return e.id


async def go_to_tab(pilot: Pilot[Any], tabbed: str, tab: str) -> None:
    """To the tab strip with shift+tab, along it with the arrows, into the tab with tab."""
    screen = pilot.app.screen
    content = screen.query_one(f"#{tabbed}", TabbedContent)
    strip = content.query_one(Tabs)
    for _ in range(30):
        if screen.focused is strip:
            break
        await pilot.press("shift+tab")
    assert screen.focused is strip, "the tab strip is reachable with shift+tab"
    for _ in range(6):
        if content.active == tab:
            break
        await pilot.press("right")
    assert content.active == tab
    await pilot.press("tab")
    await pilot.pause()


async def tab_to(pilot: Pilot[Any], widget_id: str) -> None:
    """Tab until this widget has the focus (as a coach does, without the mouse)."""
    screen = pilot.app.screen
    for _ in range(30):
        if screen.focused is not None and screen.focused.id == widget_id:
            return
        await pilot.press("tab")
    raise AssertionError(f"tab never reached #{widget_id}")


async def pick(pilot: Pilot[Any], downs: int) -> None:
    """In a focused Select: open it, go down `downs` options, choose."""
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press(*["down"] * downs, "enter")
    await pilot.pause()


async def open_engagement(pilot: Pilot[Any], coachee: str = COACHEE) -> EngagementScreen:
    """From the list: the cursor to this coachee's row, Enter."""
    await pilot.pause()
    listed = pilot.app.screen.query_one(EngagementList)
    names = [r[0] for r in listed.texts()]
    listed.move_cursor(row=names.index(coachee))
    await pilot.press("enter")
    screen: EngagementScreen = await on_screen(pilot, EngagementScreen)
    return screen


async def end_session(pilot: Pilot[Any]) -> None:
    """F10, y: the session ends; Enter leaves the balance of roles."""
    await pilot.press("f10")
    await on_screen(pilot, ConfirmScreen, "end confirmation")
    await pilot.press("y")
    await on_screen(pilot, RoleBalanceScreen, "balance of roles")
    await pilot.press("enter")
    await pilot.pause()


def footer(pilot: Pilot[Any]) -> str:
    """The keys the footer offers now (its last line on the terminal)."""
    return screen_text(pilot).rstrip("\n").splitlines()[-1]


async def debrief(pilot: Pilot[Any]) -> DebriefScreen:
    await pilot.press("f9")
    screen: DebriefScreen = await on_screen(pilot, DebriefScreen, "debrief")
    return screen


# -- the kickoff ----------------------------------------------------------------------


async def test_a_new_engagement_is_framed_without_the_mouse(store: Store) -> None:
    app = make_app(store, demo=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, EngagementsScreen)
        await pilot.press("ctrl+n")
        screen = await on_screen(pilot, FramingScreen)
        assert app.sponsor_safe, "the N+1 is in the room: the sponsor-safe view is on"
        assert screen.focused is screen.query_one("#f-coachee")
        assert "f7" not in footer(pilot), "no F7/F8/F6 where they do nothing"

        # Frame: names (typed, or pasted: each key costs a test 60 ms), the format (the
        # planned sessions follow it), the cadence
        await pilot.press(*COACHEE, "tab")
        for text in (SPONSOR, "Claire Moreau", "Atelier Nord"):
            await paste(pilot, text)
            await pilot.press("tab")
        assert screen.focused is screen.query_one("#f-format")
        assert screen.query_one("#f-planned", Input).value == "8"
        await pick(pilot, 1)  # professional coaching
        assert screen.query_one("#f-format", Select).value == Format.COACHING.value
        assert screen.query_one("#f-planned", Input).value == "12"
        await tab_to(pilot, "f-cadence")
        await pilot.press(*"14")  # a proposed number (not saved text) is typed over
        assert screen.query_one("#f-cadence", Input).value == "14"

        # Expectations, each party's own
        await go_to_tab(pilot, "framing-tabs", "tab-expectations")
        assert screen.focused is screen.query_one("#f-coachee-exp")
        await paste(pilot, "Oser recadrer sans attendre la crise.")
        await pilot.press("tab")
        await paste(pilot, "Des prises de poste structurées.")

        # Roadmap: objectives with area, indicator and expected result, added with Enter
        await go_to_tab(pilot, "framing-tabs", "tab-objectives")
        await tab_to(pilot, "o-area")
        await pick(pilot, 1)  # the first area: Safety
        assert screen.query_one("#o-area", Select).value == Area.SAFETY.value
        await pilot.press("tab")
        await paste(pilot, "Faire un point sécurité à chaque prise de poste")
        await pilot.press("tab")
        await paste(pilot, "Points tenus / jours travaillés")
        await pilot.press("tab")
        await paste(pilot, "9 sur 10")
        await pilot.press("enter")
        assert screen.focused is screen.query_one("#o-statement"), "ready for the next one"
        assert screen.query_one("#o-area", Select).value is Select.NULL  # chosen anew
        await paste(pilot, "Déléguer le reporting du vendredi")
        await pilot.press("enter")
        objectives = screen.query_one("#objectives", DataTable)
        assert rows(objectives) == [
            ["Safety", "Faire un point sécurité à chaque prise de poste", "not started"],
            ["—", "Déléguer le reporting du vendredi", "not started"],
        ]
        await pilot.press("f7")  # the objective under the cursor: in progress
        assert rows(objectives)[0][2] == "in progress"
        assert "f7 Status" in footer(pilot) and "f8" not in footer(pilot)  # F8: competencies

        # Agreement: consent (dated today when left blank) and one reporting flag
        await go_to_tab(pilot, "framing-tabs", "tab-agreement")
        await tab_to(pilot, "a-consent")
        await pilot.press("space")
        await tab_to(pilot, "a-report_objective_status")
        await pilot.press("space")

        # Competencies: a whole referential, then one of our own; levels with F7/F8
        await go_to_tab(pilot, "framing-tabs", "tab-competencies")
        await tab_to(pilot, "c-referential")
        await pick(pilot, 1)  # first-line manager
        competencies = screen.query_one("#competencies", DataTable)
        assert competencies.row_count == 10
        await tab_to(pilot, "c-own")
        await paste(pilot, "Parler en public")
        await pilot.press("enter")
        assert rows(competencies)[-1] == ["Parler en public", "—", "acquired"]
        await tab_to(pilot, "competencies")
        await pilot.press("f7", "f7", "f8")  # start: in progress; target: mastered
        assert rows(competencies)[0] == [
            "Run the start-of-shift briefing",
            "in progress",
            "mastered",
        ]
        await pilot.press("down", "f6")  # not worked on: removed
        assert competencies.row_count == 10
        assert "Conduct a safety walk on the floor" not in str(rows(competencies))

        # the strategy grid: competence 2, motivation high; the strategy chosen
        await tab_to(pilot, "s-competence")
        await pick(pilot, 2)
        await tab_to(pilot, "s-motivation")
        await pick(pilot, 3)
        grid = text_of(screen, "#strategy-grid").splitlines()
        assert grid[1].split() == ["high", "[", "][", "X", "][", "][", "]"]
        await tab_to(pilot, "s-strategy")
        await paste(pilot, "Mises en situation, feedback serré")

        # Escape saves and goes to the engagement; the N+1 is in the room until F2
        await pilot.press("escape")
        opened = await on_screen(pilot, EngagementScreen)
        assert app.sponsor_safe
        await pilot.press("f2")
        assert not app.sponsor_safe
        eid = opened.engagement_id
        assert COACHEE in text_of(opened, "#summary") and "active" in text_of(opened, "#summary")
        await pilot.press("escape")
        listed = await on_screen(pilot, EngagementsScreen)
        assert listed.query_one(EngagementList).texts() == [
            [COACHEE, SPONSOR, "Coaching", "0/12", "—", "on time"]
        ]

    ef = on_disk(store).engagement(eid)
    e = ef.engagement()
    assert (e.coachee, e.sponsor, e.coach, e.organisation) == (
        COACHEE,
        SPONSOR,
        "Claire Moreau",
        "Atelier Nord",
    )
    assert (e.format, e.planned_sessions, e.cadence_days, e.status) == (
        Format.COACHING,
        12,
        14,
        Status.ACTIVE,
    )
    assert e.coachee_expectations == "Oser recadrer sans attendre la crise."
    assert e.sponsor_expectations == "Des prises de poste structurées."
    assert e.agreement.consent_date == TODAY
    assert e.agreement.report_objective_status and not e.agreement.report_competencies
    assert e.agreement.right_to_withdraw and e.agreement.confidentiality
    assert (e.strategy_competence, e.strategy_motivation) == (Level.IN_PROGRESS, "high")
    assert e.strategy == "Mises en situation, feedback serré"
    first, second = ef.objectives()
    assert (first.area, first.indicator, first.expected_result, first.status) == (
        Area.SAFETY,
        "Points tenus / jours travaillés",
        "9 sur 10",
        ObjectiveStatus.IN_PROGRESS,
    )
    assert (second.area, second.status) == (None, ObjectiveStatus.OPEN)
    saved = {c.name: c for c in ef.competencies()}
    assert len(saved) == 10 and "Conduct a safety walk on the floor" not in saved
    briefing = saved["Run the start-of-shift briefing"]
    assert (briefing.start_level, briefing.target) == (Level.IN_PROGRESS, Level.MASTERED)
    assert briefing.behaviours, "the referential's observable behaviours come along"
    assert saved["Parler en public"].target is Level.ACQUIRED
    raw = (store.root / "engagements" / f"{eid}.db").read_bytes()
    assert COACHEE.encode() not in raw and b"Atelier Nord" not in raw


async def new_framing(pilot: Pilot[Any]) -> FramingScreen:
    """From the list: ctrl+n, then the coachee and the N+1 named."""
    await pilot.pause()
    await pilot.press("ctrl+n")
    framing: FramingScreen = await on_screen(pilot, FramingScreen)
    framing.query_one("#f-coachee", Input).value = COACHEE
    framing.query_one("#f-sponsor", Input).value = SPONSOR
    return framing


async def test_a_framing_saved_while_the_list_could_not_be_updated_stays_one_engagement(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = Store.refresh_summary
    failures = [IndexNotUpdated(StoreBusy("the index is busy"))]

    def once_busy(self: Store, engagement_id: str) -> Any:
        if failures:
            raise failures.pop()
        return real(self, engagement_id)

    monkeypatch.setattr(Store, "refresh_summary", once_busy)
    app = make_app(store, demo=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await new_framing(pilot)
        await pilot.press("ctrl+o")  # created; only the list is behind: said
        await pilot.pause()
        assert notifications(pilot)[-1].startswith("Saved. The list of engagements")
        await pilot.press("ctrl+o")  # saved again: the same engagement, now listed
        await pilot.pause()
    assert len(KeyFile.load(store.root / KEYS).engagement_keys) == 1
    assert [s.coachee for s in on_disk(store).list_engagements()] == [COACHEE]


async def test_a_consent_date_typed_is_consent_given_and_said_on_every_tab(
    store: Store,
) -> None:
    app = make_app(store, demo=False)
    async with app.run_test(size=(100, 30)) as pilot:
        framing = await new_framing(pilot)
        framing.query_one("#a-consent-date", Input).value = "2026-11-20"  # box left unticked
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert notifications(pilot)[-1] == "Saved."
    [summary] = on_disk(store).list_engagements()
    e = on_disk(store).engagement(summary.id).engagement()
    assert e.agreement.consent_date == date(2026, 11, 20)
    assert e.status is Status.ACTIVE


async def test_framing_is_saved_as_typed_without_leaving(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(FramingScreen, "AUTOSAVE_S", 0.2)
    app = make_app(store, demo=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+n")
        framing = await on_screen(pilot, FramingScreen)
        framing.query_one("#f-coachee", Input).value = COACHEE
        await pilot.pause(0.5)
        assert on_disk(store).list_engagements() == [], "no N+1 yet: nothing to save"
        framing.query_one("#f-sponsor", Input).value = SPONSOR
        framing.query_one("#o-statement", Input).focus()
        await pilot.press(*"Tenir le briefing", "enter")  # an objective added
        await wait_for(pilot, lambda: bool(on_disk(store).list_engagements()), what="autosave")
        await pilot.pause(0.5)
        # the SSH link drops here: what was typed is on disk, never saved by hand
        [summary] = on_disk(store).list_engagements()
        ef = on_disk(store).engagement(summary.id)
        assert (ef.engagement().coachee, ef.engagement().sponsor) == (COACHEE, SPONSOR)
        assert [o.statement for o in ef.objectives()] == ["Tenir le briefing"]
        assert text_of(framing, "#framing-message") == "Saved as you type."
        assert not [n for n in notifications(pilot) if n == "Saved."], "quietly"


async def test_framing_turns_the_sponsor_safe_view_on_until_the_n1_leaves(store: Store) -> None:
    engagement(store)
    app = make_app(store, demo=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_engagement(pilot)
        assert not app.sponsor_safe
        await pilot.press("f")
        framing = await on_screen(pilot, FramingScreen)
        assert app.sponsor_safe and screen.has_class("-sponsor-safe")
        await pilot.press("f2")  # the coach may switch it off (the N+1 left the room)...
        assert not app.sponsor_safe
        await pilot.press("f2")  # ... and on again
        assert app.sponsor_safe
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, what="back on the engagement")
        assert app.sponsor_safe, "the N+1 is in the room until F2 says they left"

        # on already (the N+1 is in the room): leaving the framing keeps it on
        await pilot.press("f")
        framing = await on_screen(pilot, FramingScreen)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, what="back on the engagement")
        assert app.sponsor_safe, "the N+1 is still in the room"
        assert framing.engagement_id == screen.engagement_id

        # and so does the follow-up: no objective status, no FSAC level (not agreed)
        await pilot.press("p")
        follow = await on_screen(pilot, FollowUpScreen)
        assert "• Tenir le briefing chaque matin\n" in text_of(follow, "#progress")
        assert "not started" not in text_of(follow, "#progress")
        assert rows(follow.query_one("#fsac", DataTable)) == [
            ["Animer le briefing", "·", "·", "·", "·", ""]
        ]


async def test_framing_proposes_the_default_format_and_keeps_what_was_framed(
    store: Store,
) -> None:
    eid = engagement(store)
    ef = store.engagement(eid)
    e = ef.engagement()
    e.format, e.planned_sessions = Format.COACHING, 8  # fewer than usual, agreed so
    ef.save_engagement(e)
    app = AoiApp(store.root, store, Settings(default_format="short"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+n")
        framing = await on_screen(pilot, FramingScreen)
        assert framing.query_one("#f-format", Select).value == Format.SHORT.value
        assert framing.query_one("#f-planned", Input).value == "3"
        await pilot.press("escape")  # nothing typed: nothing created
        await on_screen(pilot, EngagementsScreen)
        assert app.sponsor_safe  # the N+1 came in for the framing: until F2
        await pilot.press("f2")
        assert len(store.list_engagements()) == 1

        await open_engagement(pilot)
        await pilot.press("f")
        framing = await on_screen(pilot, FramingScreen)
        assert framing.query_one("#f-format", Select).value == Format.COACHING.value
        assert framing.query_one("#f-planned", Input).value == "8"
        await pilot.press("escape")
        await on_screen(pilot, EngagementScreen)
    assert on_disk(store).engagement(eid).engagement().planned_sessions == 8


# -- FSAC across sessions, and a cold assessment -----------------------------------------


async def set_fsac(pilot: Pilot[Any], screen: DebriefScreen, by: str, cid: str, level: int) -> None:
    """In the debrief's FSAC tab: the level Select of this competency, by keyboard."""
    await tab_to(pilot, f"fsac-{by}-{cid}")
    select = screen.query_one(f"#fsac-{by}-{cid}", Select)
    downs = level if select.value is Select.NULL else level - int(str(select.value))
    await pick(pilot, downs)
    assert select.value == level


async def test_fsac_levels_of_two_sessions_make_a_history_and_a_cold_assessment_adds(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    eid = engagement(store)
    cid = store.engagement(eid).competencies()[0].id
    app = make_app(store, demo=False)
    app.settings = Settings(lock_minutes="off")  # weeks pass in one run: no lock (lock.py)
    async with app.run_test(size=(80, 24)) as pilot:
        for coach, self_ in ((1, 2), (2, 2)):
            await start_session(pilot)
            screen = await debrief(pilot)
            await go_to_tab(pilot, "tabs", "tab-fsac")
            await set_fsac(pilot, screen, "coach", cid, coach)
            await set_fsac(pilot, screen, "self", cid, self_)
            await pilot.press("escape")
            await on_screen(pilot, SessionScreen)
            await end_session(pilot)

        await open_engagement(pilot)
        await pilot.press("p")
        follow = await on_screen(pilot, FollowUpScreen)
        await go_to_tab(pilot, "follow-tabs", "tab-fsac")
        fsac = follow.query_one("#fsac", DataTable)
        assert follow.focused is fsac
        # start 1, coach now 2, self now 2, target 3; history coach ▂▄, self ▄▄
        assert rows(fsac) == [["Animer le briefing", "█▒▒░", "██▒░ 2", "██▒░ 2", "3", "▂▄ / ▄▄"]]

        # weeks later, the coach's cold assessment
        later = datetime.fromisoformat(FIXED_NOW) + timedelta(days=28)
        monkeypatch.setenv(NOW_ENV, later.isoformat())
        await pilot.press("f3")
        await on_screen(pilot, LevelPicker)
        await pilot.press("down", "down", "enter")  # from "1 not acquired" to "3 acquired"
        await wait_for(pilot, lambda: app.screen is follow, what="back on the FSAC")
        assert rows(fsac) == [["Animer le briefing", "█▒▒░", "███░ 3", "██▒░ 2", "3", "▂▄▆ / ▄▄"]]

    marks = on_disk(store).engagement(eid).all_assessments()
    assert [(m.by, m.level, m.timing, m.session) for m in marks] == [
        (Assessor.COACH, Level.NOT_ACQUIRED, Timing.HOT, 1),
        (Assessor.SELF, Level.IN_PROGRESS, Timing.HOT, 1),
        (Assessor.COACH, Level.IN_PROGRESS, Timing.HOT, 2),
        (Assessor.SELF, Level.IN_PROGRESS, Timing.HOT, 2),
        (Assessor.COACH, Level.ACQUIRED, Timing.COLD, None),
    ]
    assert marks[-1].on == later.date()


# -- actions carried over --------------------------------------------------------------


async def add_action(pilot: Pilot[Any], text: str) -> None:
    await tab_to(pilot, "action-text")
    await paste(pilot, text)
    await pilot.press("enter")


async def test_an_action_of_one_session_is_reviewed_in_the_next_and_its_status_changed(
    store: Store,
) -> None:
    eid = engagement(store)
    app = make_app(store, demo=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_session(pilot)  # session 1
        screen = await debrief(pilot)
        await go_to_tab(pilot, "tabs", "tab-actions")
        await add_action(pilot, "Déléguer le point sécurité du jeudi")
        await add_action(pilot, "Préparer l'entretien avec Julien")
        assert [r[0] for r in rows(screen.query_one("#actions", DataTable))] == ["open", "open"]
        await pilot.press("escape")
        await on_screen(pilot, SessionScreen)
        await end_session(pilot)

        session = await start_session(pilot)  # session 2: its review phase
        assert session.number == 2 and session.live.phase == "review"
        review = text_of(session, "#review-text")
        assert "Déléguer le point sécurité du jeudi (coachee)" in review
        assert "Préparer l'entretien avec Julien (coachee)" in review
        assert "Déléguer le point sécurité du jeudi" in screen_text(pilot)

        screen = await debrief(pilot)
        await go_to_tab(pilot, "tabs", "tab-actions")
        table = screen.query_one("#actions", DataTable)
        assert [r[-1] for r in rows(table)] == [
            "Déléguer le point sécurité du jeudi",
            "Préparer l'entretien avec Julien",
        ]
        await add_action(pilot, "Observer un briefing d'un pair")
        await add_action(pilot, "Relire la charte")
        await tab_to(pilot, "actions")
        assert table.cursor_row == 0
        await pilot.press("down", "down", "down", "f7", "f7")  # this session's last: dropped
        assert rows(table)[3][0] == "dropped"
        await pilot.press("up", "f7", "f7", "f7")  # the one before: moved (to later)
        assert rows(table)[2][0] == "moved"
        await pilot.press("up", "up", "f7")  # the one carried from session 1: done
        await pilot.pause()

    actions = {a.text: a for a in on_disk(store).engagement(eid).actions()}
    assert actions["Déléguer le point sécurité du jeudi"].status is ActionStatus.DONE
    assert actions["Préparer l'entretien avec Julien"].status is ActionStatus.OPEN
    assert actions["Relire la charte"].status is ActionStatus.DROPPED
    assert actions["Observer un briefing d'un pair"].status is ActionStatus.MOVED
    assert actions["Déléguer le point sécurité du jeudi"].session == 1


# -- the cadence alert ------------------------------------------------------------------


async def test_cadence_alert_on_the_list_and_in_progress(store: Store) -> None:
    engagement(store, sessions_ago=(51, 30), cadence=21)  # 30 days since, 21 agreed
    engagement(store, coachee="Léa Roux", sessions_ago=(10,))
    app = make_app(store, demo=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        listed = app.screen.query_one(EngagementList)
        assert [(r[0], r[-1]) for r in listed.texts()] == [
            (COACHEE, "OVERDUE +9 d"),
            ("Léa Roux", "on time"),
        ]
        shown = screen_text(pilot)
        assert "OVERDUE +9 d" in shown, "the alert is whole at 80 columns"

        screen = await open_engagement(pilot)
        assert "OVERDUE +9 d" in text_of(screen, "#summary")
        await pilot.press("p")
        follow = await on_screen(pilot, FollowUpScreen)
        progress = text_of(follow, "#progress")
        assert "Sessions held: 2 of 8" in progress
        assert "30 days since the last session (cadence: at most 21)  OVERDUE +9 d" in progress


# -- closing ----------------------------------------------------------------------------


async def test_closing_without_a_validated_review_says_so_first(store: Store) -> None:
    engagement(store, sessions_ago=(5,))
    app = make_app(store, demo=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_engagement(pilot)
        await pilot.press("c")
        await on_screen(pilot, ClosingScreen)
        await pilot.press("f10")
        confirm = await on_screen(pilot, ConfirmScreen, "close confirmation")
        assert "The closing review is not validated by the coachee" in confirm.question


async def test_the_closing_review_closes_and_a_follow_up_session_can_still_be_added(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    eid = engagement(store, sessions_ago=(20, 5))
    app = make_app(store, demo=False)
    app.settings = Settings(lock_minutes="off")  # weeks pass in one run: no lock (lock.py)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_engagement(pilot)
        await pilot.press("c")
        closing = await on_screen(pilot, ClosingScreen)
        assert app.sponsor_safe, "three-way: the N+1 is in the room"
        assert closing.focused is closing.query_one("#synthesis"), "ready to type"
        # the agreement does not report competency levels: not with the N+1 in the room
        before_after = closing.query_one("#before-after", DataTable)
        assert rows(before_after) == [["Animer le briefing", "·", "·", "·"]]

        await paste(pilot, "Le briefing est devenu un rendez-vous attendu.")
        await pilot.press("f4")
        await pilot.pause()
        assert "synthesis validated by the coachee" in text_of(closing, "#closing-state")
        await pilot.press("f7", "f7")  # the objective: in progress, then reached
        assert rows(closing.query_one("#closing-objectives", DataTable)) == [
            ["Tenir le briefing chaque matin", "reached"]
        ]
        await pilot.press("f10")
        confirm = await on_screen(pilot, ConfirmScreen, "close confirmation")
        assert confirm.question.startswith(f"Close the engagement with {COACHEE}?")
        assert "not validated" not in confirm.question
        await pilot.press("y")
        await wait_for(pilot, lambda: app.screen is closing, what="back on the closing")
        assert text_of(closing, "#closing-state").startswith("closed")

        # F10 again, weeks later: already closed, the date stays
        monkeypatch.setenv(
            NOW_ENV, (datetime.fromisoformat(FIXED_NOW) + timedelta(days=30)).isoformat()
        )
        await pilot.press("f10")
        await pilot.pause()
        assert app.screen is closing, "no question: nothing to close"
        monkeypatch.setenv(NOW_ENV, FIXED_NOW)

        await pilot.press("f2")  # the N+1 left: the levels come back
        assert rows(before_after)[0][1] == "█▒▒░"
        await pilot.press("f2", "escape")
        await wait_for(pilot, lambda: app.screen is screen, what="back on the engagement")
        assert app.sponsor_safe, "the N+1, back in, stays until F2"
        await pilot.press("f2")
        assert "closed" in text_of(screen, "#summary")

        # a follow-up session on request: still possible
        await pilot.press("n")
        await on_screen(pilot, NewSessionScreen)
        await pilot.press("enter")
        session = await on_screen(pilot, SessionScreen)
        assert session.number == 3

    e = on_disk(store).engagement(eid).engagement()
    assert e.status is Status.CLOSED and e.closed_on == TODAY
    assert e.closing_validated
    assert e.closing_synthesis == "Le briefing est devenu un rendez-vous attendu."
    ef = on_disk(store).engagement(eid)
    assert [o.status for o in ef.objectives()] == [ObjectiveStatus.REACHED]
    assert len(ef.sessions()) == 3


# -- withdrawal -------------------------------------------------------------------------


async def test_withdrawal_marks_the_engagement_and_no_session_starts(store: Store) -> None:
    eid = engagement(store, sessions_ago=(10,))
    app = make_app(store, demo=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_engagement(pilot)
        await pilot.press("w")
        confirm = await on_screen(pilot, ConfirmScreen, "withdrawal question")
        assert confirm.question.startswith(f"{COACHEE} stops the engagement now")
        await pilot.press("y")
        await wait_for(pilot, lambda: app.screen is screen, what="back on the engagement")
        assert "stopped at the coachee's request" in text_of(screen, "#summary")

        await pilot.press("n")
        await pilot.pause()
        assert app.screen is screen, "no new session"
        assert "no new session" in notifications(pilot)[-1]

        await pilot.press("escape")
        await on_screen(pilot, EngagementsScreen)
        await pilot.press("n")  # not from the list either
        await pilot.pause()
        assert isinstance(app.screen, EngagementsScreen)

    ef = on_disk(store).engagement(eid)
    e = ef.engagement()
    assert e.status is Status.WITHDRAWN and e.withdrawn_on == TODAY
    assert len(ef.sessions()) == 1


# -- erasure and retention ----------------------------------------------------------------


async def test_erasure_from_the_tui_removes_the_engagement_and_its_files(store: Store) -> None:
    eid = engagement(store, sessions_ago=(10,))
    engagement(store, coachee="Léa Roux")
    path = store.root / "engagements" / f"{eid}.db"
    backups = len(store.backups.newest_first(path))
    assert path.exists() and backups
    app = make_app(store, demo=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_engagement(pilot)
        await pilot.press("ctrl+e")
        confirm = await on_screen(pilot, ConfirmScreen, "erase question")
        # it names what will be destroyed, backups included
        assert confirm.question.startswith(f"Erase everything about {COACHEE}: 1 session, 0 notes")
        assert f"its {backups} backup{'s' if backups > 1 else ''};" in confirm.question
        await pilot.press("y")
        listed = await on_screen(pilot, EngagementsScreen)
        assert [r[0] for r in listed.query_one(EngagementList).texts()] == ["Léa Roux"]

    assert not path.exists()
    assert not store.backups.newest_first(path)
    fresh = on_disk(store)
    assert [s.coachee for s in fresh.list_engagements()] == ["Léa Roux"]
    with pytest.raises(NoSuchEngagement):
        fresh.engagement(eid)


async def test_a_closed_engagement_kept_too_long_is_flagged_and_kept(store: Store) -> None:
    old = engagement(store, status=Status.CLOSED, sessions_ago=(420,), closed_days_ago=400)
    engagement(store, coachee="Léa Roux", status=Status.CLOSED, closed_days_ago=100)
    engagement(store, coachee="Zoé Petit", sessions_ago=(3,))
    app = AoiApp(store.root, store, Settings(retention_days=365))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        listed = app.screen.query_one(EngagementList)
        assert [(r[0], r[-1]) for r in listed.texts()] == [
            (COACHEE, "KEPT TOO LONG"),
            ("Léa Roux", "closed"),
            ("Zoé Petit", "on time"),
        ]
        assert "KEPT TOO LONG" in screen_text(pilot)
        screen = await open_engagement(pilot)  # to review it: said there too
        assert "closed  KEPT TOO LONG" in text_of(screen, "#summary")
    # listed for review, never erased without the coach's word
    assert (store.root / "engagements" / f"{old}.db").exists()
    assert len(on_disk(store).list_engagements()) == 3
    assert on_disk(store).engagement(old).engagement().status is Status.CLOSED


# -- snapshots at 80×24 ------------------------------------------------------------------


async def demo_framing(pilot: Pilot[Any]) -> None:
    """The demo engagement's kickoff, on its roadmap."""
    await pilot.pause()
    await pilot.press("enter", "f")
    await on_screen(pilot, FramingScreen)
    await go_to_tab(pilot, "framing-tabs", "tab-objectives")


async def demo_follow_up(pilot: Pilot[Any], tab: str) -> None:
    await pilot.pause()
    await pilot.press("enter", "p")
    await on_screen(pilot, FollowUpScreen)
    if tab != "tab-progress":
        await go_to_tab(pilot, "follow-tabs", tab)
    await pilot.pause()


async def demo_fsac(pilot: Pilot[Any]) -> None:
    await demo_follow_up(pilot, "tab-fsac")


async def demo_progress(pilot: Pilot[Any]) -> None:
    await demo_follow_up(pilot, "tab-progress")


SNAPSHOTS: dict[str, Callable[[Pilot[Any]], Awaitable[None]]] = {
    "framing_roadmap": demo_framing,
    "follow_up_fsac": demo_fsac,
    "follow_up_progress": demo_progress,
}


@pytest.mark.parametrize("name", SNAPSHOTS)
def test_snapshot(name: str, store: Store, snap_compare: Any) -> None:
    assert snap_compare(make_app(store), terminal_size=(80, 24), run_before=SNAPSHOTS[name])


async def test_a_competency_is_edited_for_this_engagement(store: Store) -> None:
    from textual.widgets import TextArea

    from aoi_tui.screens.note_editor import NoteEditorScreen

    eid = engagement(store)
    app = make_app(store, demo=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_engagement(pilot)
        await pilot.press("f")
        framing = await on_screen(pilot, FramingScreen)
        await go_to_tab(pilot, "framing-tabs", "tab-competencies")
        table = framing.query_one("#competencies", DataTable)
        table.focus()
        await pilot.press("enter")
        editor = await on_screen(pilot, NoteEditorScreen, "competency editor")
        assert editor.query_one(TextArea).text.splitlines()[0] == "Animer le briefing"
        editor.query_one(TextArea).load_text(
            "Animer le briefing de 6 h\n- Annonce les priorités du jour\n- Vérifie la compréhension"
        )
        await pilot.press("ctrl+o")
        await on_screen(pilot, FramingScreen)
        assert rows(table)[0][0] == "Animer le briefing de 6 h"
        await pilot.press("escape")  # changed: keep (saved) or revert?
        await on_screen(pilot, LeaveFramingScreen)
        await pilot.press("enter")  # keep
        await on_screen(pilot, EngagementScreen)
    [competency] = on_disk(store).engagement(eid).competencies()
    assert competency.name == "Animer le briefing de 6 h"
    assert competency.behaviours == ["Annonce les priorités du jour", "Vérifie la compréhension"]
