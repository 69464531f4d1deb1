"""A group's screens as a coach uses them, keys only (issue 13 §4): the list and
the engagement screen (the group's name and form, its people and their
agreements, the charter); a collective session (attendance at start, whom a
note concerns typed with @ or chosen with one key and said before Enter, an
ambiguous prefix refused, a group note naming someone flagged); the group-safe
view (on at start, one key, nothing about a person listed, the note typed
about a person masked and every key of it kept); the N+1 at the handover; the
debrief validating as the group and one to one."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from textual.widgets import Input, Static

from aoi_tui.config import i18n
from aoi_tui.demo import create_group_demo
from aoi_tui.domain.models import Participant, SessionKind
from aoi_tui.domain.vocabulary import Role, Room
from aoi_tui.screens.app import AoiApp
from aoi_tui.screens.attendance import AttendanceScreen
from aoi_tui.screens.engagement import EngagementScreen
from aoi_tui.screens.session import SessionScreen
from aoi_tui.store.store import Store
from tests.tui_support import (
    freeze,
    make_app,
    notifications,
    on_screen,
    screen_text,
    session_screen,
    settle,
    text_of,
    wait_for,
)


@pytest.fixture(autouse=True)
def _frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch)


def group_app(store: Store) -> tuple[AoiApp, str]:
    eid, _ = create_group_demo(store)
    return make_app(store, demo=False), eid


def people(store: Store, eid: str) -> dict[str, Participant]:
    return {p.name.split()[0]: p for p in store.engagement(eid).participants()}


async def open_group(pilot: Any, eid: str) -> EngagementScreen:
    await pilot.pause()
    pilot.app.push_screen(EngagementScreen(eid))
    return await on_screen(pilot, EngagementScreen)


async def start_team_session(pilot: Any, eid: str, absent: int | None = None) -> SessionScreen:
    """From the group's screen: n, the kind offered (a team's AOI session), the
    attendance (everyone, or all but the `absent`-th), Enter."""
    await open_group(pilot, eid)
    await pilot.press("n")
    await pilot.pause()
    await pilot.press("enter")
    await on_screen(pilot, AttendanceScreen)
    if absent is not None:
        await pilot.press(*["down"] * absent, "space")
    await pilot.press("enter")
    await on_screen(pilot, SessionScreen)
    return session_screen(pilot)


async def typed(pilot: Any, text: str) -> None:
    await pilot.press(*text)
    await pilot.pause()


def about_shown(screen: SessionScreen) -> str:
    widget = screen.query_one("#next-about", Static)
    return str(widget.render()) if widget.display else ""


async def test_the_list_and_the_group_s_screen_say_its_form_people_and_charter(
    store: Store,
) -> None:
    app, eid = group_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(pilot)
        assert "Team 5" in text  # the list: its form and size, where the format goes
        screen = await open_group(pilot, eid)
        text = str(screen.query_one("#summary", Static).render())
        assert "Team" in text and "5 participants" in text
        shown = str(screen.query_one("#people", Static).render())
        for name in ("Léa Garnier", "Karim Benali", "Sophie Marchand", "Thomas Roux", "Inès"):
            assert name in shown
        assert "consent 2026-" in shown and "reported: own items, attendance" in shown
        assert "Confidentiality:" in str(screen.query_one("#charter", Static).render())
        # with the N+1 in the room: names only, no one's agreement
        app.room = Room.SPONSOR
        await pilot.pause()
        assert "consent" not in str(screen.query_one("#people", Static).render())
        assert "5 participants" in str(screen.query_one("#summary", Static).render())
        # Inès no longer agrees to attendance being reported: Sophie (who reports
        # nothing of her own) is named nowhere, and no count says she is there
        ef = store.engagement(eid)
        ines = people(store, eid)["Inès"]
        ines.agreement.report_attendance = False
        ef.update(ines)
        app.room = Room.COACH
        await pilot.pause()
        app.room = Room.SPONSOR
        await pilot.pause()
        assert "Sophie" not in str(screen.query_one("#people", Static).render())
        assert "participant" not in str(screen.query_one("#summary", Static).render())


async def test_an_individual_engagement_shows_no_group_part(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        screen = await on_screen(pilot, EngagementScreen)
        assert not screen.query_one("#people", Static).display
        assert not screen.query_one("#charter", Static).display


async def test_a_collective_session_takes_the_attendance_and_opens_in_the_group_safe_view(
    store: Store,
) -> None:
    app, eid = group_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_team_session(pilot, eid, absent=1)  # Karim is away
        assert screen.session.kind is SessionKind.TEAM_AOI
        by = people(store, eid)
        assert screen.session.attendance == [p.id for name, p in by.items() if name != "Karim"]
        assert app.room is Room.GROUP
        assert "GROUP-SAFE VIEW" in screen_text(pilot)
        assert about_shown(screen) == "About: the group"


async def test_a_note_about_a_person_is_said_before_enter_masked_for_the_group_and_kept(
    store: Store,
) -> None:
    app, eid = group_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_team_session(pilot, eid)
        by = people(store, eid)
        field = screen.query_one("#note-input", Input)
        # the group in the room: masked from the @ on, every key kept
        await typed(pilot, "@ka coupe la parole")
        assert field.password and field.value == "@ka coupe la parole"
        assert about_shown(screen) == ""
        await pilot.press("enter")
        await settle(pilot, screen)
        note = store.engagement(eid).notes(screen.number)[-1]
        assert note.about == [by["Karim"].id] and note.text == "@ka coupe la parole"
        assert note.id not in {r.note.id for r in screen.notes_list.rows}  # not listed
        # the coach alone: the person in words before Enter
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert app.room is Room.COACH
        await typed(pilot, "@th")
        assert not field.password
        assert about_shown(screen) == "About: Thomas Roux"
        assert note.id in {r.note.id for r in screen.notes_list.rows}


async def test_an_ambiguous_or_unknown_prefix_is_refused_with_the_candidates(
    store: Store,
) -> None:
    app, eid = group_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_team_session(pilot, eid)
        await pilot.press("ctrl+b")
        ef = store.engagement(eid)
        # two participants whose names start alike (added before the session's screen read them)
        ef.add_participant(Participant(name="Karine Morel"))
        screen.engagement = ef.engagement()
        await typed(pilot, "@kar a raison")
        shown = about_shown(screen)
        assert "Karim Benali" in shown and "Karine Morel" in shown
        before = len(ef.notes(screen.number))
        await pilot.press("enter")
        await settle(pilot, screen)
        assert len(ef.notes(screen.number)) == before  # not taken
        assert screen.query_one("#note-input", Input).value == "@kar a raison"
        assert any("several participants" in n for n in notifications(pilot))


async def test_one_key_chooses_whom_and_a_group_note_naming_someone_is_flagged(
    store: Store,
) -> None:
    app, eid = group_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_team_session(pilot, eid)
        await pilot.press("ctrl+b")
        await typed(pilot, "Léa a montré le réglage")
        assert "names Léa Garnier" in about_shown(screen)
        await pilot.press("ctrl+r")  # the group -> the first participant
        await pilot.pause()
        assert about_shown(screen) == "About: Léa Garnier"
        await pilot.press("enter")
        await settle(pilot, screen)
        note = store.engagement(eid).notes(screen.number)[-1]
        assert note.about == [people(store, eid)["Léa"].id]
        assert about_shown(screen) == "About: the group"  # the next note starts afresh


async def test_the_n1_joins_at_the_handover_and_leaves_the_group_in_the_room(
    store: Store,
) -> None:
    app, eid = group_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_team_session(pilot, eid)
        await pilot.press("f6", "f6", "f6")  # review, field, debrief, handover
        await pilot.pause()
        assert screen.live.phase == "team_handover"
        assert app.room is Room.SPONSOR
        assert "SPONSOR-SAFE VIEW" in screen_text(pilot)
        await pilot.press("f2")  # the N+1 leaves: the group stays
        await pilot.pause()
        assert app.room is Room.GROUP
        await pilot.press("escape")  # leaving the session: the group is still there
        await on_screen(pilot, EngagementScreen)
        assert app.room is Room.GROUP
        await pilot.press("ctrl+b")  # until the coach says it left
        await pilot.pause()
        assert app.room is Room.COACH


async def test_a_key_that_opens_the_session_does_not_land_in_its_input(store: Store) -> None:
    app, eid = group_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_team_session(pilot, eid)
        await pilot.press("escape")
        await on_screen(pilot, EngagementScreen)
        await pilot.press("r")  # resume
        screen = await on_screen(pilot, SessionScreen)
        await pilot.pause()
        assert screen.query_one("#note-input", Input).value == ""


async def test_french(store: Store) -> None:
    i18n.set_language("fr")
    try:
        app, eid = group_app(store)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await start_team_session(pilot, eid)
            assert about_shown(screen) == "Concerne : le groupe"
            assert "VUE GROUPE" in screen_text(pilot)
    finally:
        i18n.set_language("en")


async def test_the_debrief_validates_as_the_group_present_then_one_to_one(store: Store) -> None:
    from aoi_tui.domain.allow_list import reaches
    from aoi_tui.domain.models import GROUP, Competency
    from aoi_tui.screens.debrief import DebriefScreen

    app, eid = group_app(store)
    ef = store.engagement(eid)
    ef.insert(Competency(name="Régler la ligne", about=[people(store, eid)["Thomas"].id]))
    ef.insert(Competency(name="Passer les consignes", about=[GROUP]))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_team_session(pilot, eid, absent=1)  # Karim is away
        for text, share in (
            ("Le briefing tient en trois lignes", True),
            ("@lé explique bien le réglage", True),
            ("@th reste en retrait", True),
        ):
            await typed(pilot, text)
            if share:
                await pilot.press("f4")
            await pilot.press("enter")
        await settle(pilot, screen)
        await pilot.press("f9")
        debrief = await on_screen(pilot, DebriefScreen)
        by = people(store, eid)
        shown_texts = [row[-1] for row in debrief.notes.texts()]
        assert shown_texts == ["Le briefing tient en trois lignes"]  # the group in the room
        assert "the group present (4)" in str(debrief.query_one("#validating", Static).render())
        await pilot.press("f2")  # the N+1 comes in: how many are present is not said
        await pilot.pause()
        said = str(debrief.query_one("#validating", Static).render())
        assert "the group present" in said and "4" not in said
        await pilot.press("f2")
        await pilot.pause()
        assert app.room is Room.GROUP
        # the N+1's report holds what one person validated for their N+1: not
        # previewed in front of the group
        await pilot.press("f6")
        await pilot.pause()
        assert app.screen is debrief
        assert any("Not shown" in n for n in notifications(pilot))
        await pilot.press("f4")
        await pilot.pause()
        ef = store.engagement(eid)
        group_note = next(n for n in ef.notes(screen.number) if n.about == ["group"])
        present = {p.id for name, p in by.items() if name != "Karim"}
        assert {v.by for v in group_note.validations} == present
        assert debrief.notes.texts()[0][1] == "validated"  # by the group present
        assert not reaches(group_note, ef.engagement())  # Karim has not validated it yet
        # one to one is refused while the group is in the room
        await pilot.press("b")
        await pilot.pause()
        assert any("One to one only" in n for n in notifications(pilot))
        assert debrief.validator is None
        await pilot.press("ctrl+b", "b")  # the group leaves; Léa, one to one
        await pilot.pause()
        assert debrief.validator == by["Léa"].id
        # her FSAC sheet and the group's, not Thomas's
        assert [(c.name, said.display) for c, said, _ in debrief.fsac_rows] == [
            ("Régler la ligne", False),
            ("Passer les consignes", True),
        ]
        shown_texts = [row[-1] for row in debrief.notes.texts()]
        assert "@th reste en retrait" not in shown_texts  # nothing about Thomas
        assert "@lé explique bien le réglage" in shown_texts
        await pilot.press("down", "f4")
        await pilot.pause()
        lea_note = next(n for n in ef.notes(screen.number) if n.about == [by["Léa"].id])
        assert [v.by for v in lea_note.validations] == [by["Léa"].id]
        # Karim, absent, validates the group's note later, one to one
        await pilot.press("b")  # Karim is the second participant
        await pilot.pause()
        assert debrief.validator == by["Karim"].id
        await pilot.press("up", "f4")
        await pilot.pause()
        group_note = ef.get(type(group_note), group_note.id)
        assert reaches(group_note, ef.engagement())  # now the N+1 may read it


async def test_the_handover_shows_the_n1_what_the_group_validated_nothing_about_one_person(
    store: Store,
) -> None:
    from aoi_tui.domain.allow_list import reaches
    from aoi_tui.domain.validations import validate

    app, eid = group_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_team_session(pilot, eid)  # everyone is here
        await typed(pilot, "Le briefing tient en trois lignes")
        await pilot.press("f4", "enter")
        await typed(pilot, "@lé explique bien le réglage")
        await pilot.press("f4", "enter")
        await settle(pilot, screen)
        ef = store.engagement(eid)
        e = ef.engagement()
        for note in ef.notes(screen.number):  # each validated by all it concerns
            for p in e.participants:
                if note.about == ["group"] or p.id in note.about:
                    validate(note, p, e)
            ef.update(note)
        lea_note = ef.notes(screen.number)[-1]
        assert reaches(lea_note, e)  # Léa agreed her own items go to the N+1...
        screen.notes_list.merge(ef.notes(screen.number))
        await pilot.press("f6", "f6", "f6")
        await pilot.pause()
        panel = str(screen.handover.query_one(Static).render())
        assert "Le briefing tient en trois lignes" in panel
        assert "explique" not in panel  # ...but not in front of the group
        listed = [r.note.text for r in screen.notes_list.rows]
        assert listed == ["Le briefing tient en trois lignes"]


async def test_a_one_to_one_session_s_debrief_validates_for_its_participant(store: Store) -> None:
    from aoi_tui.domain.models import GROUP, Assessment, Competency
    from aoi_tui.screens.attendance import PersonScreen
    from aoi_tui.screens.debrief import DebriefScreen
    from aoi_tui.screens.engagement import NewSessionScreen

    app, eid = group_app(store)
    by = people(store, eid)
    ef = store.engagement(eid)
    for name, about in (("Former", [by["Sophie"].id]), ("Régler", [by["Thomas"].id])):
        ef.insert(Competency(name=f"{name} un arrivant", about=about))
    ef.insert(Competency(name="Passer les consignes", about=[GROUP]))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_group(pilot, eid)
        await pilot.press("n")
        kinds = await on_screen(pilot, NewSessionScreen)
        await pilot.press(*["down"] * kinds.kinds.index(SessionKind.AOI), "enter")
        await on_screen(pilot, PersonScreen)
        await pilot.press("down", "down", "enter")  # Sophie, one to one
        screen = await on_screen(pilot, SessionScreen)
        by = people(store, eid)
        assert screen.session.participant == by["Sophie"].id
        assert app.room is Room.COACH  # no group in the room
        assert about_shown(screen) == "About: Sophie Marchand"
        await typed(pilot, "Elle veut former un nouvel arrivant")
        await pilot.press("f4", "enter")
        await settle(pilot, screen)
        await pilot.press("f9")
        debrief = await on_screen(pilot, DebriefScreen)
        assert "Sophie Marchand (one to one)" in str(
            debrief.query_one("#validating", Static).render()
        )
        await pilot.press("b")  # the group is not here: it cannot validate
        await pilot.pause()
        assert debrief.validator == by["Sophie"].id
        await pilot.press("f4")
        await pilot.pause()
        note = store.engagement(eid).notes(screen.number)[-1]
        assert note.about == [by["Sophie"].id]
        assert [v.by for v in note.validations] == [by["Sophie"].id]
        # the FSAC tab: Sophie's competencies and the group's, said whose; a hot
        # mark concerns whom its competency concerns (it concerned no one)
        debrief.query_one("#tabs").active = "tab-fsac"
        await pilot.pause()
        fsac = debrief.query_one("#fsac")
        words = " ".join(str(w.render()) for w in fsac.query(Static))
        assert "Former un arrivant" in words and "Passer les consignes" in words
        assert "Régler" not in words  # Thomas's, not to be read in Sophie's one to one
        assert "Sophie Marchand" in words
        sophie_c = next(c for c in ef.competencies() if c.name.startswith("Former"))
        select = debrief.query_one(f"#fsac-coach-{sophie_c.id}")
        select.value = 3  # type: ignore[attr-defined]
        await pilot.pause()
        marks = store.engagement(eid).all(Assessment)
        assert [(m.competency_id, m.about) for m in marks] == [(sophie_c.id, [by["Sophie"].id])]


async def test_a_pasted_note_about_a_person_opens_no_editor_in_front_of_the_group(
    store: Store,
) -> None:
    from tests.tui_support import paste

    app, eid = group_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_team_session(pilot, eid)
        await paste(pilot, "@ka coupe la parole\net se reprend")
        await pilot.pause()
        assert app.screen is screen  # the long-note editor would show it to the group
        field = screen.query_one("#note-input", Input)
        assert field.password and field.value == "@ka coupe la parole / et se reprend"


async def test_an_ambiguous_prefix_refused_in_front_of_the_group_names_no_one(
    store: Store,
) -> None:
    app, eid = group_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_team_session(pilot, eid)
        ef = store.engagement(eid)
        ef.add_participant(Participant(name="Karine Morel"))
        screen.engagement = ef.engagement()
        await typed(pilot, "@kar a raison")
        await pilot.press("enter")
        await pilot.pause()
        said = notifications(pilot)[-1]
        assert "Not saved" in said and "Karim" not in said and "Karine" not in said
        assert screen.query_one("#note-input", Input).value == "@kar a raison"


async def test_whom_a_note_concerns_comes_back_after_a_crash_mid_note(store: Store) -> None:
    """ctrl+r's choice is kept in the draft: a dropped link mid-note, then a
    resume, brings the words and whom they concern back, masked in front of the
    group; a long note too (it never opens in the editor in front of the group,
    and its words survive a second crash right after the resume)."""
    from aoi_tui.live.live_session import LiveSession
    from aoi_tui.screens.resume import ResumeScreen

    async def resumed(app: AoiApp, pilot: Any) -> SessionScreen:
        await on_screen(pilot, ResumeScreen)
        await pilot.press("enter")
        screen: SessionScreen = await on_screen(pilot, SessionScreen)
        await settle(pilot, screen)
        return screen

    app, eid = group_app(store)
    by = people(store, eid)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_team_session(pilot, eid)
        await pilot.press("ctrl+r", "ctrl+r")  # the group -> Léa -> Karim
        await typed(pilot, "hésite")
        await settle(pilot, screen)
        # the link drops mid-note: aoi stops without the session being ended

    again = make_app(store, demo=False)
    async with again.run_test(size=(80, 24)) as pilot:
        screen = await resumed(again, pilot)
        field = screen.query_one("#note-input", Input)
        assert again.room is Room.GROUP
        assert field.value == "hésite" and field.password  # masked
        await pilot.press("ctrl+b")  # the group leaves: the coach reads whom
        await pilot.pause()
        assert about_shown(screen) == "About: Karim Benali"
        await typed(pilot, " ici")
        await pilot.press("enter")
        await settle(pilot, screen)
        note = store.engagement(eid).notes(screen.number)[-1]
        assert (note.text, note.about) == ("hésite ici", [by["Karim"].id])
        # a long note about Léa, a success, in the editor (the coach alone)
        await pilot.press("ctrl+r", "f3")  # the group -> Léa; a success
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press(*"un", "enter", *"deux")
        await settle(pilot, screen)

    for _ in range(2):  # resumed twice: the first resume must not lose the words
        third = make_app(store, demo=False)
        async with third.run_test(size=(80, 24)) as pilot:
            screen = await resumed(third, pilot)
            field = screen.query_one("#note-input", Input)
            assert third.screen is screen  # no editor shows it to the group
            assert field.password and field.value == "un / deux"
            draft = LiveSession(screen.ef, screen.number).load_draft()
            assert draft is not None and draft.chosen == [by["Léa"].id]
            assert "un" in draft.text and "deux" in draft.text and draft.kind == "success"


async def test_the_long_note_editor_says_whom_and_masks_an_at_as_the_input_does(
    store: Store,
) -> None:
    from textual.widgets import TextArea

    from aoi_tui.screens.note_editor import NoteEditorScreen

    app, eid = group_app(store)
    by = people(store, eid)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_team_session(pilot, eid)
        assert app.room is Room.GROUP
        await pilot.press("ctrl+o")  # a group note: the editor may open
        editor = await on_screen(pilot, NoteEditorScreen)
        about = editor.query_one("#editor-about", Static)
        assert str(about.render()).startswith("About: the group")
        assert "@ and a name" in str(about.render())  # said to the coach
        await pilot.press(*"Le b", "enter", *"@ka")
        await wait_for(pilot, lambda: editor.has_class("-masked"), what="the cover")
        # masked from the @ on, as the input: a cover over the text, no name said
        assert editor.has_class("-masked") and not about.display
        assert "Masked: this note may be about one person" in screen_text(pilot)
        assert "@ka" not in screen_text(pilot) and "Karim" not in screen_text(pilot)
        await pilot.press(*" va")  # kept, unseen
        assert editor.query_one(TextArea).text == "Le b\n@ka va"
        await pilot.press("ctrl+o")
        await on_screen(pilot, SessionScreen)
        await settle(pilot, screen)
        note = store.engagement(eid).notes(screen.number)[-1]
        assert (note.text, note.about) == ("Le b\n@ka va", [by["Karim"].id])
        # an @ that names several people: refused at the save, without names
        ef = store.engagement(eid)
        ef.add_participant(Participant(name="Karine Morel"))
        screen.engagement = ef.engagement()
        await pilot.press("ctrl+o")
        await on_screen(pilot, NoteEditorScreen)
        await pilot.press(*"@kar", "enter", "a", "ctrl+o")
        await pilot.pause()
        said = notifications(pilot)[-1]
        assert "Not saved" in said and "Karim" not in said and "Karine" not in said
        field = screen.query_one("#note-input", Input)
        assert app.screen is screen and field.password and field.value == "@kar / a"
        # the coach alone: whom, in words, in the editor
        await pilot.press("ctrl+b", "ctrl+u", "ctrl+o")
        editor = await on_screen(pilot, NoteEditorScreen)
        await pilot.press(*"@th")
        await pilot.pause()
        about = editor.query_one("#editor-about", Static)
        assert not editor.has_class("-masked")
        assert str(about.render()).startswith("About: Thomas Roux")


def a_group_closing(store: Store) -> str:
    """The team demo at its closing: every participant agreed to report competency
    levels, not everyone objectives' progress (Sophie did not); a competency of the
    group's and one of Léa's; a collective closing session Karim missed, where
    what Léa takes away was noted about her."""
    from aoi_tui.domain.models import GROUP, Competency, Level

    eid, _ = create_group_demo(store)
    ef = store.engagement(eid)
    e = ef.engagement()
    for p in e.participants:
        p.agreement = p.agreement.model_copy(
            update={
                "report_competencies": True,
                "report_objective_status": p.name != "Sophie Marchand",
            }
        )
    ef.update(e)
    by = {p.name.split()[0]: p.id for p in e.participants}
    ef.insert(Competency(name="Passation structurée", start_level=Level(1), target=Level(3),
                         about=[GROUP]))  # fmt: skip
    ef.insert(Competency(name="Animer le briefing", start_level=Level(2), target=Level(4),
                         about=[by["Léa"]]))  # fmt: skip
    closing = ef.new_session(
        SessionKind.GROUP_CLOSING, attendance=[i for n, i in by.items() if n != "Karim"]
    )
    ef.add_note(closing.number, "retient : préparer le brief la veille", about=[by["Léa"]])
    return eid


async def test_a_group_s_closing_review_is_validated_by_each_and_shows_each_one_s_progress(
    store: Store,
) -> None:
    from textual.widgets import DataTable

    from aoi_tui.domain.allow_list import reaches
    from aoi_tui.domain.items import Closing
    from aoi_tui.screens.closing import ClosingScreen
    from aoi_tui.screens.resume import ConfirmScreen
    from tests.tui_support import paste, text_of

    def rows(table_id: str) -> list[list[str]]:
        table = closing.query_one(table_id, DataTable)
        return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]

    eid = a_group_closing(store)
    by = people(store, eid)
    app = make_app(store, demo=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_group(pilot, eid)
        await pilot.press("c")
        closing = await on_screen(pilot, ClosingScreen)
        # the N+1 in the room: the group's objectives and competency, no one's own
        assert app.room is Room.SPONSOR
        objectives = rows("#closing-objectives")
        assert [r[0] for r in objectives] == [  # cut: status and whose fit at 80 columns
            "Des passations de poste complètes en mo…",
            "Moins d'arrêts au démarrage de l'équipe…",
        ]
        assert {r[1] for r in objectives} == {"·"}  # progress not agreed to be reported
        assert [(r[0], r[-1]) for r in rows("#before-after")] == [
            ("Passation structurée", "the group")
        ]
        assert "retient" not in screen_text(pilot)  # what Léa takes away: not here
        # who validates, without a count from which Karim's absence could be read
        assert text_of(closing, "#validating").startswith("Validating for: the group present  (")
        # F4: the four present validate, each for themselves; the N+1 counts for nothing
        await paste(pilot, "L'équipe tient ses passations en dix minutes.")
        await pilot.press("f4")
        await pilot.pause()
        e = store.engagement(eid).engagement()
        present = {i for n, i in {k: p.id for k, p in by.items()}.items() if n != "Karim"}
        assert {v.by for v in e.closing_validations} == present
        assert not reaches(Closing(e), e)  # Karim, absent, has not validated yet
        said = notifications(pilot)[-1]
        assert said == "Validated for the group present" and "Léa" not in said
        assert "the group's validation of the review: validated" in text_of(
            closing, "#closing-state"
        )
        await pilot.press("f5")  # one to one: not with the N+1 in the room
        await pilot.pause()
        assert closing.validator is None
        assert "One to one only" in notifications(pilot)[-1]
        # the N+1 leaves, then the group: the coach alone sees everyone's
        await pilot.press("f2")
        await pilot.pause()
        assert app.room is Room.GROUP
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert app.room is Room.COACH
        assert "4/5" in text_of(closing, "#closing-state")
        whose_objective = {r[0]: r[-1] for r in rows("#closing-objectives")}
        assert whose_objective["Un briefing de lancement clair et court"] == "Karim Benali"
        # one to one with Léa: hers and the group's, what she takes away
        await pilot.press("f5")
        await pilot.pause()
        assert closing.validator == by["Léa"].id
        state = text_of(closing, "#closing-state")
        assert "Léa Garnier's validation of the review: validated" in state
        assert [r[0] for r in rows("#before-after")] == [
            "Passation structurée",
            "Animer le briefing",
        ]
        assert "Un briefing de lancement" not in str(rows("#closing-objectives"))
        taken = text_of(closing, "#takeaways")
        assert "Léa Garnier" in taken and "retient : préparer le brief la veille" in taken
        assert "Karim" not in taken
        # Karim validates later, one to one: now the N+1's report may hold it
        await pilot.press("f5")
        await pilot.pause()
        assert closing.validator == by["Karim"].id
        await pilot.press("f4")
        await pilot.pause()
        e = store.engagement(eid).engagement()
        assert reaches(Closing(e), e)
        await pilot.press("f10")
        confirm = await on_screen(pilot, ConfirmScreen, "close confirmation")
        assert "not validated" not in confirm.question


async def test_a_group_s_progress_says_whose_and_shows_the_n1_only_the_group_s(
    store: Store,
) -> None:
    from textual.widgets import DataTable

    from aoi_tui.domain.models import Assessment, Competency
    from aoi_tui.screens.follow_up import FollowUpScreen, LevelPicker
    from tests.test_tui_lifecycle import go_to_tab
    from tests.tui_support import text_of

    eid = a_group_closing(store)
    by = people(store, eid)
    app = make_app(store, demo=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_group(pilot, eid)
        await pilot.press("p")
        follow = await on_screen(pilot, FollowUpScreen)
        progress = text_of(follow, "#progress")
        assert "Un briefing de lancement clair et court — not started (Karim Benali)" in progress
        assert "(the group)" in progress
        fsac = follow.query_one("#fsac", DataTable)
        assert [str(fsac.get_row_at(i)[0]) for i in range(fsac.row_count)] == [
            "the group",
            "Passation structurée",
            "Léa Garnier",
            "Animer le briefing",
        ]
        # a cold mark on Léa's competency concerns Léa (else it would reach no one)
        await go_to_tab(pilot, "follow-tabs", "tab-fsac")
        assert follow.focused is fsac
        await pilot.press("f3")  # on the line saying whose: no mark
        await pilot.pause()
        assert app.screen is follow
        await pilot.press("down", "down", "down", "f3")
        await on_screen(pilot, LevelPicker)
        await pilot.press("enter")
        await pilot.pause()
        ef = store.engagement(eid)
        lea = next(c for c in ef.all(Competency) if c.name == "Animer le briefing")
        [mark] = [a for a in ef.all(Assessment) if a.competency_id == lea.id]
        assert mark.about == [by["Léa"].id]
        # the N+1 comes in: the group's only, its progress where everyone agreed
        await pilot.press("f2")
        await pilot.pause()
        progress = text_of(follow, "#progress")
        assert "Karim" not in progress and "Un briefing" not in progress
        assert "Des passations de poste complètes en moins de 10 minutes (the group)" in progress
        assert "feeling" not in progress
        assert [str(fsac.get_row_at(i)[0]) for i in range(fsac.row_count)] == [
            "the group",
            "Passation structurée",
        ]


async def test_a_note_edited_in_the_editor_follows_its_at_as_a_note_typed(store: Store) -> None:
    """Enter on a listed note edits it in the long-note editor: an @ typed there
    masks it in front of the group and makes it about that person (no longer
    listed for the group), as the input would have; a group note stays the group's."""
    from aoi_tui.screens.note_editor import NoteEditorScreen

    app, eid = group_app(store)
    by = people(store, eid)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_team_session(pilot, eid)
        await typed(pilot, "Le briefing tient")
        await pilot.press("f4", "enter")
        await settle(pilot, screen)
        note = store.engagement(eid).notes(screen.number)[-1]
        screen.notes_list.focus()
        assert screen.notes_list.highlight(note.id)
        await pilot.press("enter")
        editor = await on_screen(pilot, NoteEditorScreen)
        assert str(editor.query_one("#editor-about", Static).render()).startswith(
            "About: the group"
        )
        await pilot.press(*" @ka")
        await wait_for(pilot, lambda: editor.has_class("-masked"), what="the cover")
        assert "@ka" not in screen_text(pilot)
        await pilot.press("ctrl+o")
        await on_screen(pilot, SessionScreen)
        await settle(pilot, screen)
        await wait_for(
            pilot,
            lambda: store.engagement(eid).notes(screen.number)[-1].about != ["group"],
            what="the note saved",
        )
        edited = store.engagement(eid).notes(screen.number)[-1]
        assert edited.id == note.id
        assert (edited.text, edited.about) == ("Le briefing tient @ka", [by["Karim"].id])
        assert note.id not in {r.note.id for r in screen.notes_list.rows}


async def test_a_peer_who_never_consented_is_ticked_present_but_cannot_bring_the_case(
    store: Store,
) -> None:
    """Attendance takes everyone there; the case-bringer's list says why someone
    who never consented brings no case, and stays open for another choice."""
    from aoi_tui.domain.models import Agreement, Engagement, Form
    from aoi_tui.screens.attendance import PersonScreen
    from aoi_tui.screens.engagement import NewSessionScreen

    agreed = Agreement(consent_date=date(2026, 9, 1), report_attendance=False)
    bruno = Participant(name="Bruno Petit", sponsor="Anne Blanc")  # never consented
    claire = Participant(name="Claire Moreau", sponsor="Anne Blanc", agreement=agreed)
    eng = Engagement(form=Form.PEERS, group="Codev", participants=[bruno, claire])
    ef = store.create_engagement(eng)
    ef.new_session(SessionKind.GROUP_KICKOFF, attendance=[claire.id])
    app = make_app(store, demo=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_group(pilot, ef.id)
        await pilot.press("n")
        kinds = await on_screen(pilot, NewSessionScreen)
        assert kinds.kinds[kinds.query_one("OptionList").highlighted] is SessionKind.PEER
        await pilot.press("enter")
        await on_screen(pilot, AttendanceScreen)
        await pilot.press("enter")  # both there: attendance is a fact
        await on_screen(pilot, PersonScreen)
        await pilot.press("enter")  # Bruno, first in the list
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen)
        assert any("Bruno Petit has not consented" in n for n in notifications(pilot))
        await pilot.press("down", "enter")
        screen = await on_screen(pilot, SessionScreen)
        # the news' card is one made for a peer group (it drew an individual's before)
        made = screen.cards.deck.suited("news", Role.MIRROR, Form.PEERS)
        assert text_of(screen, "#card-title") in {c.title for c in made}
    assert screen.session.case_bringer == claire.id
    assert screen.session.attendance == [bruno.id, claire.id]


async def test_a_message_for_the_n1_naming_someone_is_theirs_to_validate_one_to_one(
    store: Store,
) -> None:
    """The message's `@lé` makes it Léa's, as a note's: the group present cannot
    validate it, Léa validates it one to one, and the N+1 and Léa read it without
    the shorthand (it was the group's, validated by the group and sent to the N+1
    with `@lé`). An action typed in the debrief says whom it concerns the same way
    (it said no one: never in the group's recap nor to an N+1)."""
    from textual.widgets import TextArea

    from aoi_tui.exports.group_documents import build_group_report, build_participant_recap
    from aoi_tui.screens.debrief import DebriefScreen

    app, eid = group_app(store)
    everyone = [p.id for p in people(store, eid).values()]
    number = store.engagement(eid).new_session(SessionKind.TEAM_AOI, attendance=everyone).number
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.push_screen(DebriefScreen(eid, number))
        debrief = await on_screen(pilot, DebriefScreen)
        await pilot.press("ctrl+b")  # the group in the room, as after its session
        await pilot.pause()
        assert app.room is Room.GROUP
        # an action says whom it concerns as a note does (it concerned no one)
        debrief.query_one("#tabs").active = "tab-actions"
        await pilot.pause()
        debrief.query_one("#action-text", Input).focus()
        for text in ("@lé relance le fournisseur", "Afficher le planning"):
            await typed(pilot, text)
            await pilot.press("enter")
        await pilot.pause()
        by = people(store, eid)
        assert sorted((a.text, a.about) for a in store.engagement(eid).actions(number)) == [
            ("@lé relance le fournisseur", [by["Léa"].id]),
            ("Afficher le planning", ["group"]),
        ]
        debrief.query_one("#tabs").active = "tab-message"
        await pilot.pause()
        debrief.query_one("#message", TextArea).focus()
        await typed(pilot, "@lé a repris le planning CANARY-MSG")
        await pilot.press("f4")  # the group present: not theirs to validate
        await pilot.pause()
        lea = people(store, eid)["Léa"]
        session = store.engagement(eid).session(number)
        assert session.message_about == [lea.id] and session.sponsor_message_validations == []
        assert any("validate it with each person it names" in n for n in notifications(pilot))
        # the group leaves; Léa, one to one, chosen on another tab (b is a letter in
        # the message): F8 to the actions, the FSAC sheet (the coach alone), b, then
        # the notes and the message again
        await pilot.press("ctrl+b", "f8", "f8", "b", "f8", "f8")
        await pilot.pause()
        assert debrief.validator == lea.id
        assert debrief.query_one("#message", TextArea).text == "@lé a repris le planning CANARY-MSG"
        await pilot.press("f4")
        await pilot.pause()
        # the N+1 joins, with the group: Léa's message is for the report, not the room
        await pilot.press("f2")
        await pilot.pause()
        assert not debrief.query_one("#message", TextArea).display
    ef = store.engagement(eid)
    assert [v.by for v in ef.session(number).sponsor_message_validations] == [lea.id]
    report = build_group_report(ef, None)
    recap = build_participant_recap(ef, number, lea.id)
    assert (report.messages[-1].about, report.messages[-1].text) == (
        ["Léa Garnier"],
        "a repris le planning CANARY-MSG",
    )
    assert recap.message == "a repris le planning CANARY-MSG"
