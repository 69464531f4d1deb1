"""A group's roadmap in the framing (issue 13 §2, §3): each participant may have
their own objectives and competencies beside the group's. Whom one concerns is
chosen as a note's is (ctrl+r, or an `@prefix` typed in it; an ambiguous one
refused with the candidates), the tables say whom, and with the N+1 or the
group in the room a participant's own are not listed. Keys only, at 80x24."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings, strategies as st
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static, TabbedContent

from aoi_tui.demo import create_group_demo
from aoi_tui.domain.models import GROUP, Competency, Objective, Participant
from aoi_tui.domain.vocabulary import Room
from aoi_tui.screens.framing import FramingScreen
from aoi_tui.store.store import Store
from tests.test_tui_group_framing import group_id, open_framing
from tests.test_tui_lifecycle import go_to_tab
from tests.tui_support import freeze, make_app, screen_text

KARIM_OBJECTIVE = "Un briefing de lancement clair"
"""The demo team's objective about Karim alone (data/demo/equipe.json)."""


@pytest.fixture(autouse=True)
def _frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch)


def table_text(framing: FramingScreen, table_id: str) -> str:
    table = framing.query_one(f"#{table_id}", DataTable)
    return "\n".join(
        " | ".join(str(cell) for cell in table.get_row_at(row)) for row in range(table.row_count)
    )


async def type_in(pilot: Pilot[Any], text: str) -> None:
    await pilot.press(*text)


async def test_a_team_roadmap_says_whom_each_item_concerns_and_hides_a_persons_before_others(
    store: Store,
) -> None:
    create_group_demo(store)
    eid = group_id(store, "Équipe ligne 2")
    store.engagement(eid).add_participant(Participant(name="Karine Morel"))  # @kar: two
    ids = {p.name.split()[0]: p.id for p in store.engagement(eid).engagement().participants}
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        framing = await open_framing(pilot, 2)
        assert app.room is Room.SPONSOR  # the three-way kickoff: the N+1 is in the room
        await pilot.press("f4", "f4")  # Frame, Expectations, Roadmap
        assert framing.query_one("#framing-tabs", TabbedContent).active == "tab-objectives"
        listed = table_text(framing, "objectives")
        # the N+1 sees the group's objectives, not Karim's own
        assert "passations de poste" in listed and KARIM_OBJECTIVE not in listed
        assert "Karim" not in listed and "group" in listed

        # an objective for Karim typed in front of the N+1: masked, its whom unsaid
        statement = framing.query_one("#o-statement", Input)
        statement.focus()
        await type_in(pilot, "@karim Arrets")
        assert statement.password
        assert "Karim" not in str(framing.query_one("#o-whom", Static).render())
        await pilot.press("enter")
        await pilot.pause()
        assert statement.value == ""
        assert "Arrets" not in table_text(framing, "objectives")

        # the N+1 leaves (F2): everyone's, each with whom it concerns
        await pilot.press("f2")
        await pilot.pause()
        assert app.room is Room.COACH
        listed = table_text(framing, "objectives")
        assert KARIM_OBJECTIVE in listed and "Arrets" in listed
        assert "@karim" not in listed  # the shorthand became whom the row says
        rows = listed.splitlines()
        assert all(
            r.split(" | ")[1] == "Karim" for r in rows if "Arrets" in r or KARIM_OBJECTIVE in r
        )

        # one key chooses whom the next objective concerns: the group, then Léa
        statement.focus()
        await pilot.press("ctrl+r")
        assert "Léa Garnier" in str(framing.query_one("#o-whom", Static).render())
        await type_in(pilot, "Tableau")
        await pilot.press("enter")
        # an ambiguous @ is refused with the candidates, the text kept
        await type_in(pilot, "@kar flou")
        await pilot.press("enter")
        await pilot.pause()
        assert statement.value == "@kar flou"
        # said where the whom is, where the autosave's "Saved" does not replace it
        refused = str(framing.query_one("#o-whom", Static).render())
        assert "Karim Benali" in refused and "Karine Morel" in refused
        statement.value = ""

        # on a row, ctrl+r says whom that objective concerns: the group's becomes Léa's
        table = framing.query_one("#objectives", DataTable)
        table.focus()
        table.move_cursor(row=0)
        await pilot.press("ctrl+r")

        # a competency of Karim's own, typed with its @
        await pilot.press("f4", "f4", "f4")  # Participants, Charter, Competencies
        assert framing.query_one("#framing-tabs", TabbedContent).active == "tab-competencies"
        framing.query_one("#c-own", Input).focus()
        await type_in(pilot, "@karim Animer")
        await pilot.press("enter")
        await type_in(pilot, "@groupe Consignes")
        await pilot.press("enter")
        await pilot.pause()
        competencies = table_text(framing, "competencies")
        assert "Animer" in competencies and "Karim" in competencies

        # the group comes in (ctrl+b): only the group's competencies and objectives
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert app.room is Room.GROUP
        assert "Animer" not in table_text(framing, "competencies")
        assert "Animer" not in screen_text(pilot)
        await pilot.press("ctrl+o")  # saved
        await pilot.pause()

    ef = store.engagement(eid)
    about = {o.statement: o.about for o in ef.all(Objective)}
    assert about["Arrets"] == [ids["Karim"]]
    assert about["Tableau"] == [ids["Léa"]]
    first = next(o for o in ef.all(Objective) if o.statement.startswith("Des passations"))
    assert first.about == [ids["Léa"]]  # its row's ctrl+r
    assert not any("flou" in s for s in about)
    assert {c.name: c.about for c in ef.all(Competency)} == {
        "Animer": [ids["Karim"]],
        "Consignes": [GROUP],  # the group's word said it, and goes
    }
    assert GROUP not in about["Arrets"]


async def roadmap_with_the_coach_alone(pilot: Pilot[Any]) -> None:
    framing = await open_framing(pilot, 2)
    await pilot.press("f2")  # the N+1 has left: Karim's own objective is listed
    await go_to_tab(pilot, "framing-tabs", "tab-objectives")
    framing.query_one("#objectives", DataTable).focus()
    pilot.app.clear_notifications()
    await pilot.pause()


def test_snapshot_of_a_team_roadmap_with_a_persons_objective(
    store: Store, snap_compare: Any
) -> None:
    """What the coach alone sees of a team's roadmap at 80x24: the group's
    objectives and Karim's own, each row saying whose, the keys to choose whom."""
    from pytest_textual_snapshot import SVGImageExtension

    SVGImageExtension.file_extension = "svg"
    create_group_demo(store)
    app = make_app(store)
    assert snap_compare(app, terminal_size=(80, 24), run_before=roadmap_with_the_coach_alone)


async def test_a_participant_erased_in_the_framing_leaves_none_of_their_roadmap(
    store: Store,
) -> None:
    """Erasing Karim (F6, a GDPR request) with the framing open: his own objective
    and competency must not come back with the framing's next save, nor with
    Escape's 'go back to what was saved', nor his name with them."""
    create_group_demo(store)
    eid = group_id(store, "Équipe ligne 2")
    ef = store.engagement(eid)
    karim = next(p for p in ef.engagement().participants if p.name.startswith("Karim"))
    ef.insert(Competency(name="Karim Benali anime le briefing", about=[karim.id]))
    ef.update(ef.engagement().model_copy(update={"coachee_expectations": "Que Karim ose"}))
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        framing = await open_framing(pilot, 2)
        await pilot.press("f2")
        await go_to_tab(pilot, "framing-tabs", "tab-participants")
        table = framing.query_one("#participants", DataTable)
        table.focus()
        table.move_cursor(row=table.get_row_index(karim.id))
        await pilot.press("f6", "y")
        await pilot.pause()
        await pilot.press("ctrl+o")  # the framing saved after the erasure
        await pilot.pause()
        await pilot.press("escape", "r")  # and 'go back to what was saved at opening'
        await pilot.pause()
    ef = store.engagement(eid)
    left = [*ef.all(Objective), *ef.all(Competency)]
    assert not [r for r in left if karim.id in r.about]
    assert not [r for r in left if "Karim" in r.model_dump_json()]
    assert KARIM_OBJECTIVE not in " ".join(o.statement for o in ef.all(Objective))
    assert "Karim" not in ef.engagement().coachee_expectations  # the framing's field too


PEOPLE = [Participant(name=n) for n in ("Ana Roy", "Bea Lin", "Carl Dumas")]
ABOUT = st.one_of(
    st.just([GROUP]),
    st.lists(st.sampled_from([p.id for p in PEOPLE]), min_size=1, max_size=3, unique=True),
    st.just([]),
    st.just(["gone-someone"]),  # erased since
)


@settings(max_examples=30, deadline=None)
@given(abouts=st.lists(ABOUT, max_size=6), room=st.sampled_from([Room.SPONSOR, Room.GROUP]))
def test_with_someone_in_the_room_the_framing_lists_only_the_groups(
    abouts: list[list[str]], room: Room
) -> None:
    """Whatever whom a group's objectives and competencies concern, with the N+1 or
    the group in the room the framing lists only those that concern the group."""
    from aoi_tui.domain.models import Engagement, Form
    from aoi_tui.screens.group_room import listed_in_framing

    team = Engagement(form=Form.TEAM, group="Atelier", sponsor="Nadia Ferrand", participants=PEOPLE)
    for about in abouts:
        for item in (Objective(statement="x", about=about), Competency(name="y", about=about)):
            listed = listed_in_framing(item, team, room)
            assert listed == (about == [GROUP])
            assert listed_in_framing(item, team, Room.COACH)  # the coach alone: everything
