"""What the CLI refuses, or now accepts, for a group, as the TUI does (issue 13,
holes a reviewer found): `@group` in a note, a peer session's case-bringer, and
a participant's agreement after they withdrew. Refusals are said in French and
English, in one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from aoi_tui.domain.models import GROUP, Note
from aoi_tui.store.store import Store
from tests.test_cli import aoi, fails, ok, ok_json
from tests.test_store import reopen


@pytest.fixture
def env(cli_env: dict[str, str]) -> dict[str, str]:
    return {**cli_env, "AOI_NOW": "2026-11-23T10:00:00+01:00"}


def peer_group(env: dict[str, str], data: Path, *names: str) -> str:
    eid = ok_json(
        aoi(env, data, "engagement", "new", "--group", "Codev", "--form", "peers", "--json")
    )["id"]
    for name in names:
        ok(aoi(env, data, "participant", "add", eid, name))
        ok(aoi(env, data, "participant", "consent", eid, name, "--date", "2026-11-20"))
    return str(eid)


def test_at_group_in_a_note_is_the_groups(store: Store, env: dict[str, str]) -> None:
    """`aoi note add … "@groupe …"` (what the French notes list shows) was refused
    as naming no participant; in a peer's case, where a note is the case-bringer's
    by default, it now says the group's."""
    data = store.root
    eid = peer_group(env, data, "Ana Roy", "Bea Lin")
    ok(aoi(env, data, "session", "new", eid, "--case-bringer", "ana"))
    add = ("note", "add", eid, "--session", "1", "--phase", "request", "--json")
    ids = [
        ok_json(aoi(env, data, *add, f"{w} veut un tour plus court"))["id"]
        for w in ("@groupe", "@group")
    ]
    fresh = reopen(store).engagement(eid)
    assert [fresh.get(Note, i).about for i in ids] == [[GROUP], [GROUP]]
    # the group and someone at once is refused, as --about group with a name is
    fails(aoi(env, data, *add, "@group @bea tension"), "not both")
    fails(aoi(env, data, *add, "--about", "bea", "@group tension"), "not both")
    # a participant whose name starts with the word: the group or them, never guessed
    ok(aoi(env, data, "participant", "add", eid, "Groupil Léon"))
    for lang, words in (("en", "may be the group"), ("fr", "peut désigner le groupe")):
        fails(aoi({**env, "AOI_LANG": lang}, data, *add, "@group x"), words, "Groupil Léon")
    gro = ok_json(aoi(env, data, *add, "@groupi x"))["id"]
    people = {p.name: p.id for p in reopen(store).engagement(eid).engagement().participants}
    assert set(reopen(store).engagement(eid).get(Note, gro).about) == {
        people["Ana Roy"],
        people["Groupil Léon"],
    }  # in Ana's case, a peer named is added to her


def test_a_peer_sessions_case_bringer_is_someone_present(store: Store, env: dict[str, str]) -> None:
    """The TUI offers as case-bringer only those ticked present, and starts no peer
    session without one; the CLI took `--case-bringer Ana --present Bea --present
    Eve`, and a peer session with no case at all."""
    data = store.root
    eid = peer_group(env, data, "Ana Roy", "Bea Lin", "Eve Kim")
    new = ("session", "new", eid, "--kind", "peer")
    present = ("--present", "bea", "--present", "eve")
    for lang, words in (("en", "not among those present"), ("fr", "pas parmi les présents")):
        fails(
            aoi({**env, "AOI_LANG": lang}, data, *new, *present, "--case-bringer", "ana"),
            "Ana Roy",
            words,
        )
        fails(aoi({**env, "AOI_LANG": lang}, data, *new, *present), "--case-bringer")
        fails(aoi({**env, "AOI_LANG": lang}, data, "session", "new", eid), "--case-bringer")
    assert reopen(store).engagement(eid).sessions() == []
    ok(aoi(env, data, *new, *present, "--case-bringer", "bea"))
    ok(aoi(env, data, *new, "--case-bringer", "ana"))  # who came not said: not checked


def test_a_withdrawn_participants_agreement_is_not_changed(
    store: Store, env: dict[str, str]
) -> None:
    """After a withdrawal nothing of theirs is reported, whatever their flags: `aoi
    participant report … --own-items yes` (or turning programme statistics on or
    off) was accepted with no effect. Refused, saying when they withdrew and what it
    means; a new consent too (a withdrawal is never undone)."""
    data = store.root
    eid = peer_group(env, data, "Ana Roy", "Bea Lin")
    ok(aoi(env, data, "participant", "withdraw", eid, "ana", "--date", "2026-11-22"))
    before = ok_json(aoi(env, data, "participant", "list", eid, "--json"))
    report = ("participant", "report", eid, "ana")
    for flags in (
        ("--own-items", "yes"),
        ("--own-items", "no"),
        ("--attendance", "yes"),
        ("--objectives", "yes"),
        ("--competencies", "yes"),
        ("--programme-statistics", "yes"),
        ("--programme-statistics", "no"),
    ):
        fails(aoi(env, data, *report, *flags), "Ana Roy withdrew on 2026-11-22", "never undone")
    fails(
        aoi({**env, "AOI_LANG": "fr"}, data, *report, "--own-items", "yes"),
        "retrait de Ana Roy le 2026-11-22",
        "jamais annulé",
    )
    for lang, words in (("en", "never undone"), ("fr", "jamais annulé")):
        consent = ("participant", "consent", eid, "ana", "--date", "2026-11-23")
        fails(aoi({**env, "AOI_LANG": lang}, data, *consent), "2026-11-22", words)
    # agreeing to the charter: "record their consent first" could not be done
    ok(aoi(env, data, "engagement", "charter", eid, "--confidentiality", "ce qui se dit reste ici"))
    fails(aoi(env, data, "participant", "charter", eid, "ana"), "2026-11-22", "never undone")
    assert ok_json(aoi(env, data, "participant", "list", eid, "--json")) == before
    ok(aoi(env, data, "participant", "report", eid, "bea", "--own-items", "yes"))
    # a withdrawn coachee counts in a programme as a withdrawal: they may leave it
    one = ok(aoi(env, data, "engagement", "new", "--coachee", "Cy Lam", "--sponsor", "M")).strip()
    ok(aoi(env, data, "engagement", "consent", one, "--date", "2026-11-20"))
    ok(aoi(env, data, "participant", "report", one, "cy", "--programme-statistics", "yes"))
    ok(aoi(env, data, "engagement", "withdraw", one))
    fails(aoi(env, data, "participant", "report", one, "cy", "--programme-statistics", "yes"))
    ok(aoi(env, data, "participant", "report", one, "cy", "--programme-statistics", "no"))
    fails(aoi(env, data, "participant", "report", one, "cy", "--programme-statistics", "yes"))
