"""The collective demo (issue 13 §4): a production team of five with their N+1,
two collective sessions and one individual session, in French; what reaches
the N+1 is what the group and each person validated, nothing else."""

from __future__ import annotations

from aoi_tui import demo
from aoi_tui.domain.models import Audience, Form, SessionKind
from aoi_tui.exports.group_export import build_group_export
from aoi_tui.store.store import Store


def test_the_team_demo_is_made_once_and_its_report_holds_only_what_was_validated(
    store: Store,
) -> None:
    eid, created = demo.create_group_demo(store)
    assert created and demo.create_group_demo(store) == (eid, False)
    ef = store.engagement(eid)
    eng = ef.engagement()
    assert eng.form is Form.TEAM and len(eng.participants) == 5 and eng.demo
    kinds = [s.kind for s in ef.sessions()]
    assert kinds == [SessionKind.TEAM_AOI, SessionKind.AOI, SessionKind.TEAM_AOI]
    report = build_group_export(store, eid, Audience.SHARED, "md", "fr").content
    assert "la passation tient en 8 minutes" in report  # validated by all, one later
    for private in ("Passation de 6 h", "Tension entre Léa et Thomas", "mise à l'écart"):
        assert private not in report
    assert "planning des réglages" not in report  # Sophie withheld it
    # the first demos are as they were
    first, _ = demo.create_demo(store)
    assert store.engagement(first).engagement().individual


def test_a_new_store_holds_the_team_beside_the_coachee(store: Store) -> None:
    """What the first start and `aoi demo` make: a newcomer sees a team without
    knowing of `aoi demo --group` (which prints its id)."""
    eid, created = demo.create_demos(store)
    assert created and demo.create_demos(store) == (eid, False)
    listed = {s.coachee: s.demo for s in store.list_engagements()}
    assert listed == {
        demo.DEMO_COACHEE: True,
        demo.CLOSED_DEMO_COACHEE: True,
        demo.GROUP_DEMO: True,
    }
    assert eid == demo.find_demo(store)  # the individual one opens first, as before
    assert demo.create_group_demo(store)[1] is False
