"""A group's screens speak of the group and its participants, never of "the
coachee" (issue 13 §4, words a reviewer found), and the keys they name work
wherever the coach is typing."""

from __future__ import annotations

import pytest
from textual.widgets import Select, Static, TextArea

from aoi_tui.domain.models import GROUP, Note, SessionKind, Visibility
from aoi_tui.domain.vocabulary import Room
from aoi_tui.screens.debrief import DebriefScreen
from aoi_tui.store.store import Store
from tests.test_tui_group import group_app, people
from tests.tui_support import freeze, notifications, on_screen


@pytest.fixture(autouse=True)
def _frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch)


async def test_a_group_s_debrief_says_the_group_and_f9_chooses_whose_while_typing(
    store: Store,
) -> None:
    """F5 with the group in the room: '1 note validated for the group present'
    (it said 'by the coachee'); the feeling is the group's, an action's owner the
    participants'; in the message, F9 chooses whose validation F4 records and
    types nothing ('b', the only key, typed a letter there)."""
    app, eid = group_app(store)
    everyone = [p.id for p in people(store, eid).values()]
    ef = store.engagement(eid)
    number = ef.new_session(SessionKind.TEAM_AOI, attendance=everyone).number
    note = Note(session=number, phase="team_review", text="le briefing tient", about=[GROUP])
    note.visibility = Visibility.SHAREABLE
    ef.insert(note)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.push_screen(DebriefScreen(eid, number))
        debrief = await on_screen(pilot, DebriefScreen)
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert app.room is Room.GROUP
        await pilot.press("f5")
        await pilot.pause()
        assert "1 note validated for the group present." in notifications(pilot)
        said = [str(s.content) for s in debrief.query(Static)]
        owners = [str(label) for label, _ in debrief.query_one("#action-owner", Select)._options]
        words = " ".join([*notifications(pilot), *said, *owners]).lower()
        assert "coachee" not in words, words
        assert "How the group felt about this session" in said and "participants" in owners

        await pilot.press("ctrl+b")  # the coach alone: one to one, chosen while typing
        debrief.query_one("#tabs").active = "tab-message"
        await pilot.pause()
        message = debrief.query_one("#message", TextArea)
        message.focus()
        await pilot.press(*"bien", "f9")
        await pilot.pause()
        assert message.text == "bien"
        assert debrief.validator == everyone[0]


async def test_a_group_s_framing_is_its_collective_kickoff_in_a_collective_format(
    store: Store,
) -> None:
    """A team's framing was titled as a three-way kickoff ('Entretien tripartite de
    lancement') and offered 'Accompagnement opérationnel individuel'; its
    confidential file said the same format. Now the group's words, in both languages."""
    from aoi_tui.config import i18n
    from aoi_tui.config.i18n import t
    from aoi_tui.exports.confidential_file import build_confidential_file
    from aoi_tui.exports.group_markdown import group_confidential_markdown
    from aoi_tui.screens.framing import FramingScreen

    app, eid = group_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.push_screen(FramingScreen(eid))
        framing = await on_screen(pilot, FramingScreen)
        assert framing.sub_title.startswith("Collective kickoff with the N+1"), framing.sub_title
        formats = [str(label) for label, _ in framing.query_one("#f-format", Select)._options]
        assert formats[0] == "Collective operational coaching (AOI)", formats
    confidential = build_confidential_file(store.engagement(eid))
    for lang in i18n.LANGUAGES:
        words = group_confidential_markdown(confidential, lang)
        assert t("format_group.aoi", lang) in words
        assert t("format.aoi", lang) not in words, lang


async def test_an_at_that_names_no_one_says_what_to_do_on_the_screen(store: Store) -> None:
    """'@zz' in a team's live note: the line above the input said the CLI's
    'see aoi participant list ENGAGEMENT'; it says to type the start of a name, or
    ctrl+r."""
    from aoi_tui.screens.session import SessionScreen
    from tests.test_tui_group import about_shown

    app, eid = group_app(store)
    everyone = [p.id for p in people(store, eid).values()]
    number = store.engagement(eid).new_session(SessionKind.TEAM_AOI, attendance=everyone).number
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.push_screen(SessionScreen(eid, number, resume=False))
        await on_screen(pilot, SessionScreen)
        await pilot.press("ctrl+b", *"@zz bien")  # the coach alone: the problem in words
        await pilot.pause()
        said = about_shown(app.screen)
        assert said.startswith("no participant is named 'zz'") and "ctrl+r" in said, said
        assert "aoi participant list" not in said


async def test_a_team_s_open_actions_are_its_participants_not_a_coachee_s(store: Store) -> None:
    """The engagement screen listed a team's action as '(coachee)'; the handover
    panel showed the N+1 the same word."""
    from aoi_tui.domain.models import Action, Owner
    from aoi_tui.screens.engagement import EngagementScreen
    from tests.tui_support import text_of

    app, eid = group_app(store)
    store.engagement(eid).insert(
        Action(session=1, text="Relancer le fournisseur", owner=Owner.COACHEE, about=[GROUP])
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.push_screen(EngagementScreen(eid))
        screen = await on_screen(pilot, EngagementScreen)
        listed = text_of(screen, "#actions")
        assert "Relancer le fournisseur  (participants" in listed, listed
        assert "coachee" not in listed
