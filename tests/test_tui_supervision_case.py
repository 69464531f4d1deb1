"""The case for supervision from the TUI (issue 16 §1): reached from the export
screen, the coach writes the question and their reflections, picks notes (a
private one included), checks what was replaced with the original names on
screen, and writes a file that names no one; an agreement without the line
that says the coach is supervised asks twice; the N+1 in the room sees a cover."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Select, TabbedContent, TextArea

from aoi_tui.domain.models import ExportRecord, Visibility
from aoi_tui.domain.reflections import Reflection
from aoi_tui.domain.vocabulary import Audience, Room
from aoi_tui.store.store import Store
from tests.tui_support import demo_id, freeze, make_app, notifications, on_screen, wait_for


async def test_a_case_from_the_export_screen_names_no_one(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aoi_tui.screens.export import ExportScreen
    from aoi_tui.screens.supervision_case import NotePicker, SupervisionCaseScreen

    freeze(monkeypatch)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        eid = demo_id(store)
        ef = store.engagement(eid)
        coachee = ef.engagement().coachee.split()[0]  # "Camille"
        notes = ef.notes()
        private = next(n for n in notes if n.visibility is Visibility.PRIVATE and coachee in n.text)
        others = [n for n in notes if n.id != private.id]
        export = ExportScreen(eid)
        app.push_screen(export)
        await wait_for(pilot, lambda: app.screen is export and export.export is not None)
        export.query_one("#audience", Select).value = Audience.SUPERVISION.value
        screen = await on_screen(pilot, SupervisionCaseScreen)

        screen.query_one("#case-question", TextArea).load_text(f"Que fais-je avec {coachee} ?")
        screen.query_one("#case-supervisor", Input).value = "Hélène Supervise"
        tabs = screen.query_one("#case-tabs", TabbedContent)
        tabs.active = "case-tab-notes"
        await pilot.pause()
        notes_list = screen.query_one("#case-notes", NotePicker)
        assert notes_list.picked_ids() == []  # none by default
        assert all(str(o.prompt).startswith("[ ] ") for o in notes_list.options)
        notes_list.focus()
        notes_list.highlighted = [o.id for o in notes_list.options].index(private.id)
        await pilot.press("enter")
        assert notes_list.picked_ids() == [private.id]
        picked_line = str(notes_list.get_option(private.id).prompt)
        assert picked_line.startswith("[x] ") and "private" in picked_line
        tabs.active = "case-tab-reflections"
        await pilot.pause()
        screen.query_one("#case-reflections", TextArea).load_text(f"J'ai protégé {coachee}.")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: bool(store.engagement(eid).all(Reflection)))
        (saved,) = store.engagement(eid).all(Reflection)
        assert saved.session is None and coachee in saved.reflections

        tabs.active = "case-tab-check"
        await pilot.pause()
        check = screen.query_one("#case-check", TextArea).text
        assert coachee in check and "not in the file" in check  # for the coach's eyes
        tabs.active = "case-tab-file"
        await pilot.pause()
        shown = screen.query_one("#case-file", TextArea).text
        assert coachee not in shown and "the coachee" in shown

        target = tmp_path / "case.md"
        screen.query_one("#case-path", Input).value = str(target)
        await pilot.press("ctrl+o")  # the demo's agreement does not say the coach is supervised
        await pilot.pause()
        assert not target.exists() and app.screen is screen
        await pilot.press("ctrl+o")
        await wait_for(pilot, target.exists)
        written = target.read_text("utf-8")
        assert coachee not in written and "the coachee" in written
        assert private.text.split()[-1] in written  # the picked private note is there
        for n in others:
            assert n.text not in written
        assert "Hélène" not in written
        (record,) = store.engagement(eid).all(ExportRecord)
        assert record.audience is Audience.SUPERVISION
        assert record.recipient == "Hélène Supervise"
        assert str(target) in notifications(pilot)[-1]


async def test_the_n1_in_the_room_sees_a_cover(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aoi_tui.screens.supervision_case import SupervisionCaseScreen

    freeze(monkeypatch)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = SupervisionCaseScreen(demo_id(store))
        app.push_screen(screen)
        await on_screen(pilot, SupervisionCaseScreen)
        cover = screen.query_one("#case-body > .cover")
        assert not cover.display or not screen.has_class("-sponsor-safe")
        app.room = Room.SPONSOR
        await pilot.pause()
        assert screen.has_class("-sponsor-safe") and cover.styles.display == "block"


async def test_the_framing_records_that_the_coach_is_supervised(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets import Checkbox

    from aoi_tui.screens.framing import FramingScreen

    freeze(monkeypatch)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        eid = demo_id(store)
        assert not store.engagement(eid).engagement().agreement.coach_supervised
        framing = FramingScreen(eid)
        app.push_screen(framing)
        await on_screen(pilot, FramingScreen)
        tick = framing.query_one("#a-coach_supervised", Checkbox)
        assert tick.value is False
        tick.value = True
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: store.engagement(eid).engagement().agreement.coach_supervised)


async def test_a_groups_participant_form_records_that_the_coach_is_supervised(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A group's participant form has the agreement's line (the case screen says to add
    it to the framing, and a group's framing had no such line: only the CLI set it)."""
    from aoi_tui.domain.models import Agreement, Engagement, Form, Participant
    from aoi_tui.screens.group_framing import ParticipantScreen
    from aoi_tui.screens.toggles import Tick

    freeze(monkeypatch)
    people = [Participant(name=n, agreement=Agreement()) for n in ("Léa Garnier", "Karim B")]
    ef = store.create_engagement(
        Engagement(form=Form.TEAM, group="Équipe Nord", sponsor="Sophie Roy", participants=people)
    )
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        form = ParticipantScreen(ef.id, people[0].id)
        app.push_screen(form)
        await on_screen(pilot, ParticipantScreen)
        tick = form.query_one("#p-coach_supervised", Tick)
        assert tick.value is False
        tick.value = True
        await pilot.press("ctrl+o")
        await wait_for(
            pilot,
            lambda: store.engagement(ef.id).engagement().participants[0].agreement.coach_supervised,
        )
    assert not store.engagement(ef.id).engagement().participants[1].agreement.coach_supervised
