"""A group's framing in the TUI (issue 13 §1) and the coach's records in the
framing (issue 15 §1, §2), as a coach frames them, by keyboard alone at 80x24:
participants added and edited (each flag off until agreed; a name typed as
pasted, hostile or huge; the N+1 typed as a participant), the role map's warning
in a peer group, the charter and who agreed to it, a withdrawal and a consent
taken back, the only participant erased; an individual engagement's hours-log
fields and its planned sessions (the planning screen's, never a date of the
framing's own)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static, TextArea

from aoi_tui.demo import create_group_demo
from aoi_tui.domain.models import Engagement, Form, Participant
from aoi_tui.domain.planning import plan
from aoi_tui.domain.vocabulary import Room
from aoi_tui.screens.engagement import EngagementScreen
from aoi_tui.screens.framing import FramingScreen
from aoi_tui.screens.group_framing import ParticipantScreen
from aoi_tui.screens.planning import PlanningScreen
from aoi_tui.store.agenda import add_planned
from aoi_tui.store.store import Store
from tests.test_tui_lifecycle import go_to_tab, pick
from tests.tui_support import freeze, make_app, on_screen, paste, screen_text


@pytest.fixture(autouse=True)
def _frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch)


def group_id(store: Store, name: str) -> str:
    return next(s.id for s in store.list_engagements() if s.coachee.startswith(name))


async def open_framing(pilot: Pilot[Any], row: int) -> FramingScreen:
    await pilot.pause()
    await pilot.press(*["down"] * row, "enter")
    await on_screen(pilot, EngagementScreen)
    await pilot.press("f")
    framing: FramingScreen = await on_screen(pilot, FramingScreen)
    return framing


async def coach_alone_on_participants(pilot: Pilot[Any], framing: FramingScreen) -> None:
    # the N+1 has left (a group with no N+1: the group): each one's agreement may show
    await pilot.press("ctrl+b" if pilot.app.room is Room.GROUP else "f2")  # type: ignore[attr-defined]
    await go_to_tab(pilot, "framing-tabs", "tab-participants")
    framing.query_one("#participants", DataTable).focus()
    await pilot.pause()


async def participant_form(pilot: Pilot[Any], key: str) -> ParticipantScreen:
    await pilot.press(key)
    form: ParticipantScreen = await on_screen(pilot, ParticipantScreen)
    return form


def said(form: ParticipantScreen) -> str:
    return str(form.query_one("#p-message", Static).render())


async def test_a_coach_frames_a_team_by_keyboard(store: Store) -> None:
    create_group_demo(store)
    eid = group_id(store, "Équipe ligne 2")
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        framing = await open_framing(pilot, 2)
        assert "Group's name" in screen_text(pilot)
        # the N+1 is in the room: nobody's agreement shows, nor opens
        await go_to_tab(pilot, "framing-tabs", "tab-participants")
        framing.query_one("#participants", DataTable).focus()
        assert "consent 2026" not in screen_text(pilot)
        await pilot.press("f5")
        assert not isinstance(app.screen, ParticipantScreen)
        await coach_alone_on_participants(pilot, framing)
        assert "consent 2026-10-05" in screen_text(pilot)

        # a new participant, pasted with Markdown, control characters and an @
        form = await participant_form(pilot, "f5")
        await paste(pilot, "# **Zoé** \x1b[31m[x](javascript:y) @cla `z`")
        await pilot.press("tab")
        await paste(pilot, "| régleuse |")
        await pilot.press("ctrl+o")
        await on_screen(pilot, FramingScreen)
        zoe = store.engagement(eid).engagement().participants[-1]
        assert zoe.name == "# **Zoé** [x](javascript:y) @cla `z`"  # the terminal's colour gone
        assert zoe.function == "| régleuse |"
        assert (zoe.consent_date, zoe.report_own_items, zoe.agreement.report_attendance) == (
            None,
            False,
            False,
        ), "every flag of a new participant is off until agreed"
        assert not zoe.agreement.report_competencies and not zoe.programme_statistics
        assert "# **Zoé**" in screen_text(pilot), "the name shows as typed, not as Markdown"

        # the N+1 typed as a participant, then a 10,000-character paste: refused, said
        form = await participant_form(pilot, "f5")
        await paste(pilot, "sandrine  CARON")
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert app.screen is form and "never a participant" in said(form)
        form.query_one("#p-name", Input).value = ""
        await paste(pilot, "x" * 10_000)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert app.screen is form and "at most 120 characters" in said(form)
        await pilot.press("f3")  # leave unsaved
        await on_screen(pilot, FramingScreen)
        assert len(store.engagement(eid).engagement().participants) == 6

        # Léa: her e-mail, her listing in the hours log, a withdrawal dated in the future
        # (refused), then today's
        await pilot.press("home")
        form = await participant_form(pilot, "enter")
        form.query_one("#p-name", Input).value = "karim  BENALI"  # renamed as another
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert "karim BENALI is already a participant" in said(form)
        form.query_one("#p-name", Input).value = "Léa Garnier"
        form.query_one("#p-email", Input).value = "lea@example.org"
        form.query_one("#p-listed_in_hours_log").value = True  # type: ignore[attr-defined]
        form.query_one("#p-withdraw-date", Input).value = "2099-01-01"
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert "in the future" in said(form)
        form.query_one("#p-withdraw-date", Input).value = "2026-11-20"
        await pilot.press("ctrl+o")
        await on_screen(pilot, FramingScreen)
        lea = store.engagement(eid).engagement().participants[0]
        assert (lea.withdrawn_on, lea.email) == (date(2026, 11, 20), "lea@example.org")
        assert lea.agreement.listed_in_hours_log
        assert "withdrew 2026-11-20" in screen_text(pilot)

        # the charter: a changed point is agreed to again by everyone
        await go_to_tab(pilot, "framing-tabs", "tab-charter")
        framing.query_one("#h-leaving", TextArea).load_text("On se dit au revoir ensemble.")
        await pilot.press("ctrl+o")
        await pilot.pause()
        charter = store.engagement(eid).engagement().charter
        assert charter is not None and charter.leaving == "On se dit au revoir ensemble."
        agreed = str(framing.query_one("#charter-agreed", Static).render())
        assert "Agreed to this charter: —" in agreed
        # Escape, then r: the framing's texts as they opened; each person's agreement
        # stays as it was given (a withdrawal is never undone by a revert)
        await pilot.press("escape", "r")
        await on_screen(pilot, EngagementScreen)
    after = store.engagement(eid).engagement()
    assert after.charter is not None and after.charter.leaving != "On se dit au revoir ensemble."
    assert after.participants[0].withdrawn_on == date(2026, 11, 20)
    assert [p.name for p in after.participants][-1] == zoe.name


async def test_a_team_is_made_and_framed_from_a_new_framing(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ctrl+n, the team's name and N+1, then "A team" at the end of the Frame tab:
    the team is made and framed as a group (participants, charter), on its screen."""
    from aoi_tui.screens.engagements import EngagementsScreen

    monkeypatch.setattr(FramingScreen, "AUTOSAVE_S", 0.2)
    app = make_app(store, demo=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+n")
        framing = await on_screen(pilot, FramingScreen)
        await pilot.press("shift+tab")  # first on the Frame tab, above the names
        assert framing.focused is framing.query_one("#f-form")
        await pick(pilot, 1)  # a team: no name yet, said, nothing made
        said_first = str(framing.query_one("#framing-message").render())
        assert "Name the group" in said_first  # what to do, in the coach's words
        assert "Value error" not in said_first and "--group" not in said_first
        assert store.list_engagements() == []
        await pilot.press("enter", "up", "enter")  # one person again, named: the autosave...
        await pilot.press("tab")
        await paste(pilot, "Équipe de nuit")
        await pilot.press("tab")
        await paste(pilot, "Marc Olivier")
        await pilot.pause(0.6)
        (made,) = store.list_engagements()
        assert made.form == Form.INDIVIDUAL.value
        await pilot.press("shift+tab", "shift+tab")
        await pick(pilot, 1)  # ... makes it; a team chosen then: it becomes that team
        await on_screen(pilot, EngagementScreen)
        await pilot.press("f")
        team = await on_screen(pilot, FramingScreen)
        assert team.form is Form.TEAM and "Group's name" in screen_text(pilot)
        await coach_alone_on_participants(pilot, team)
        form = await participant_form(pilot, "f5")
        await paste(pilot, "Ana Lima")
        await pilot.press("ctrl+o")
        await on_screen(pilot, FramingScreen)
        await pilot.press("escape")
        await on_screen(pilot, EngagementScreen)
        await pilot.press("escape")
        await on_screen(pilot, EngagementsScreen)
    (summary,) = store.list_engagements()
    e = store.engagement(summary.id).engagement()
    assert summary.id == made.id
    assert (e.form, e.group, e.sponsor) == (Form.TEAM, "Équipe de nuit", "Marc Olivier")
    assert [p.name for p in e.participants] == ["Ana Lima"]
    assert form.participant_id == e.participants[0].id


async def test_a_reporting_line_between_peers_is_warned_and_the_only_peer_erased(
    store: Store,
) -> None:
    peers = Engagement(
        form=Form.PEERS,
        group="Codév Nord",
        participants=[Participant(name="Anne Petit"), Participant(name="Bruno Lefèvre")],
    )
    store.create_engagement(peers)
    app = make_app(store, demo=False)
    async with app.run_test(size=(80, 24)) as pilot:
        framing = await open_framing(pilot, 0)
        assert "N+1 of the group, if any" in screen_text(pilot)
        await coach_alone_on_participants(pilot, framing)
        await pilot.press("down")
        form = await participant_form(pilot, "enter")
        form.query_one("#p-reports_to").value = peers.participants[0].id  # type: ignore[attr-defined]
        await pilot.pause()
        warning = "Bruno Lefèvre reports to Anne Petit, inside a peer group"
        assert warning in str(form.query_one("#p-warning", Static).render())
        await pilot.press("ctrl+o")
        await on_screen(pilot, FramingScreen)
        assert warning in screen_text(pilot), "the role map keeps the warning"
        # erased, both: the group has no one left, and its framing still saves
        for _ in range(2):
            await pilot.press("f6", "y")
            await pilot.pause()
        assert store.engagement(peers.id).engagement().participants == []
        assert framing.query_one("#participants", DataTable).row_count == 0
        await pilot.press("escape")
        await on_screen(pilot, EngagementScreen)


async def test_a_peer_group_with_no_n1_is_framed_with_the_group_in_the_room(
    store: Store,
) -> None:
    """No one in a peer group has an N+1: no N+1 can be in the room, so its framing
    opens in the group-safe view, says so in its subtitle, and ctrl+b leaves the
    coach alone with each one's agreement (F2 off gives the room back to the group)."""
    alone = Engagement(
        form=Form.PEERS,
        group="Codév Nord",
        participants=[Participant(name="Anne Petit"), Participant(name="Bruno Lefèvre")],
    )
    store.create_engagement(alone)
    app = make_app(store, demo=False)
    async with app.run_test(size=(80, 24)) as pilot:
        framing = await open_framing(pilot, 0)
        assert app.room is Room.GROUP
        assert framing.sub_title == "Kickoff with the group · group-safe view — Codév Nord"
        assert "Kickoff with the group · group-safe view" in screen_text(pilot)
        await go_to_tab(pilot, "framing-tabs", "tab-participants")
        assert "ctrl+b when the group has left" in screen_text(pilot)
        await pilot.press("f5")  # each one's agreement is not set before the group
        assert not isinstance(app.screen, ParticipantScreen)
        await pilot.press("f2")  # no N+1 to leave: the group stays when F2 is off again
        assert app.room is Room.SPONSOR and "sponsor-safe view" in framing.sub_title
        await pilot.press("f2")
        assert app.room is Room.GROUP
        await pilot.press("ctrl+b")
        assert app.room is Room.COACH
        assert framing.sub_title == "Kickoff with the group — Codév Nord"


def test_the_framing_opens_before_the_n1_wherever_someone_has_one() -> None:
    """A team, a peer group where one person (or the group) has an N+1, and one
    coachee are framed with the N+1 in the room, as before; a group with no N+1
    at all, with the group."""
    from aoi_tui.screens.group_room import framing_room

    def peers(sponsor: str = "", own: str = "") -> Engagement:
        people = [Participant(name="Chloé Roy", sponsor=own), Participant(name="Eve")]
        return Engagement(form=Form.PEERS, group="Codév", sponsor=sponsor, participants=people)

    team = Engagement(form=Form.TEAM, group="Ligne 2", sponsor="Sandrine Caron")
    one = Engagement(coachee="Camille Lefèvre", sponsor="Marc Dubois")
    for engagement in (team, one, peers(own="Denis Roy"), peers(sponsor="Denis Roy"), None):
        assert framing_room(engagement) is Room.SPONSOR
    assert framing_room(peers()) is Room.GROUP
    assert framing_room(peers(own="  ")) is Room.GROUP


async def test_the_individual_framing_sets_the_hours_log_and_shows_the_planned_sessions(
    store: Store,
) -> None:
    from tests.tui_support import demo_id

    app = make_app(store)
    eid = demo_id(store)
    planned = plan("2026-12-03 10:00", "UTC", minutes=90)
    add_planned(store, eid, planned)
    async with app.run_test(size=(80, 24)) as pilot:
        framing = await open_framing(pilot, 0)
        listed = str(framing.query_one("#f-planned-list", Static).render())
        assert "2026-12-03 10:00" in listed, "the planned session shows"
        assert "f9" in screen_text(pilot).splitlines()[-1]
        await go_to_tab(pilot, "framing-tabs", "tab-agreement")
        framing.query_one("#a-pro_bono").value = True  # type: ignore[attr-defined]
        framing.query_one("#a-listed").value = True  # type: ignore[attr-defined]
        framing.query_one("#a-email", Input).value = "camille@@example.org"
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert "is not an e-mail address" in str(framing.query_one("#framing-message").render())
        framing.query_one("#a-email", Input).value = "camille@example.org"
        await pilot.press("ctrl+o")
        await pilot.pause()
        e = store.engagement(eid).engagement()
        assert e.pro_bono and e.agreement.listed_in_hours_log
        assert e.participants[0].email == "camille@example.org"
        assert e.next_session == date(2026, 12, 3), "the framing keeps the planned day"
        # F9 from the Frame tab: the planning screen, and back
        await go_to_tab(pilot, "framing-tabs", "tab-frame")
        await pilot.press("f9")
        await on_screen(pilot, PlanningScreen)
        await pilot.press("escape")
        await on_screen(pilot, FramingScreen)
    assert isinstance(planned.created_at, datetime)


async def group_framing_with_the_coach_alone(pilot: Pilot[Any]) -> None:
    framing = await open_framing(pilot, 2)
    await coach_alone_on_participants(pilot, framing)
    pilot.app.clear_notifications()
    await pilot.pause()


def test_snapshot_of_a_team_framing(store: Store, snap_compare: Any) -> None:
    """What the coach sees of a team's framing at 80x24, the N+1 gone: each
    participant, their N+1, their agreement and the charter, the role map, the keys."""
    from pytest_textual_snapshot import SVGImageExtension

    SVGImageExtension.file_extension = "svg"
    create_group_demo(store)
    app = make_app(store)
    assert snap_compare(app, terminal_size=(80, 24), run_before=group_framing_with_the_coach_alone)


async def test_a_consent_taken_back_in_the_framing_takes_the_person_out_of_the_n1s_report(
    store: Store,
) -> None:
    """Karim's consent, given at the kickoff and his items validated since, is taken
    back in the framing: the N+1's report (md, html, json) then names him nowhere,
    holds none of his items, and his line on the group's screen says so."""
    from aoi_tui.domain.models import Audience
    from aoi_tui.exports.group_export import group_export_of

    create_group_demo(store)
    eid = group_id(store, "Équipe ligne 2")

    def report(fmt: str) -> str:
        ef = store.engagement(eid)
        return group_export_of(ef, Audience.SHARED, fmt, "en", for_sponsor="Sandrine Caron").content

    assert "Karim" in report("md"), "the demo reports Karim's validated items"
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        framing = await open_framing(pilot, 2)
        await coach_alone_on_participants(pilot, framing)
        await pilot.press("down")
        form = await participant_form(pilot, "enter")
        form.query_one("#p-consent").focus()
        await pilot.press("space")
        form.query_one("#p-consent-date", Input).value = ""
        await pilot.press("ctrl+o")
        await on_screen(pilot, FramingScreen)
        assert "Karim Benali     Sandrine Caron  no consent yet" in screen_text(pilot)
        await pilot.press("escape")  # nothing of the framing's own changed: no question
        screen = await on_screen(pilot, EngagementScreen)
        assert "Karim Benali (conducteur de ligne) — NO CONSENT YET" in screen_text(pilot)
        assert screen.engagement_id == eid
    for fmt in ("md", "html", "json"):
        assert "Karim" not in report(fmt), fmt


def test_the_role_map_says_who_reports_to_whom_and_whose_case_each_peer_session_was() -> None:
    from aoi_tui.domain.models import Session, SessionKind
    from aoi_tui.screens.group_framing import role_map_lines

    anne, bruno = Participant(name="Anne Petit"), Participant(name="Bruno Lefèvre")
    peers = Engagement(form=Form.PEERS, group="Codév", participants=[anne, bruno])
    sessions = [
        Session(kind=SessionKind.GROUP_KICKOFF, number=1),
        Session(kind=SessionKind.PEER, number=2, case_bringer=bruno.id),
    ]
    assert role_map_lines(peers, sessions) == [
        "No reporting line inside the group.",
        "Cases brought in peer sessions (chosen when a session starts): session 2: Bruno Lefèvre",
    ]
    bruno.reports_to = anne.id
    assert role_map_lines(peers, sessions)[:2] == [
        "Bruno Lefèvre reports to Anne Petit (inside the group)",
        "⚠ Bruno Lefèvre reports to Anne Petit, inside a peer group: check that both agree "
        "to be peers here",
    ]
    team = Engagement(form=Form.TEAM, group="Ligne", sponsor="Nadia", participants=[anne])
    assert role_map_lines(team, []) == ["No reporting line inside the group."]


async def test_f4_moves_through_the_framing_tabs_by_keyboard(store: Store) -> None:
    """F4 (and the palette) goes to the next tab, its first field focused: the tabs
    were reached only by shift+tab up to the tab bar, then the arrows, said nowhere."""
    create_group_demo(store)
    app = make_app(store, demo=False)
    async with app.run_test(size=(80, 24)) as pilot:
        framing = await open_framing(pilot, 0)
        tabs = framing.query_one("#framing-tabs")
        seen = []
        for _ in range(6):
            await pilot.press("f4")
            await pilot.pause()
            seen.append(str(getattr(tabs, "active", "")))
            focused = framing.focused
            assert focused is not None and tabs.get_pane(seen[-1]) in focused.ancestors
        assert "tab-participants" in seen and "tab-charter" in seen
        assert seen[-1] == "tab-frame"  # round again


async def test_f4_opens_its_tab_before_the_next_key_is_read(store: Store) -> None:
    """F2 F4 F4 F4 F5 and a name sent as one write (a slow link, a fast coach): F5
    (add a participant, a key of the Participants tab) and the name must find the
    tab the F4s opened. F4 went through the tab bar's message, handled after the
    keys queued behind it under load: F5 found the first tab still active and did
    nothing, and the name went into the group's name, which the autosave kept
    (seen in tmux). So the tab and its focus are set when F4's action returns."""
    create_group_demo(store)
    app = make_app(store, demo=False)
    async with app.run_test(size=(80, 24)) as pilot:
        framing = await open_framing(pilot, 0)
        await pilot.press("f2")  # the coach alone: the participant form may open
        for _ in range(3):
            framing.action_next_tab()  # no pause between them, as in a burst
        tabs = framing.query_one("#framing-tabs")
        assert getattr(tabs, "active", "") == "tab-participants"
        assert framing.check_action("add_participant", ()) is True
        await pilot.press("f5", *"Omar")
        form = await on_screen(pilot, ParticipantScreen)
        assert getattr(form.focused, "value", "") == "Omar"
