"""Search: accents and case ignored, every word required, one engagement or all,
and the CLI's answer."""

from __future__ import annotations

import json
import subprocess

from aoi_tui.domain.models import Engagement, Note, SessionKind, Visibility
from aoi_tui.store.note_search import Matcher, fold, search_engagement, search_store
from aoi_tui.store.store import Store
from tests.support import aoi_command


def make(store: Store, coachee: str, texts: list[str]) -> str:
    ef = store.create_engagement(Engagement(coachee=coachee, sponsor="N+1"))
    session = ef.new_session(SessionKind.AOI)
    with ef.batch():
        for text in texts:
            ef.insert(Note(session=session.number, phase="field", text=text))
    return ef.id


def test_folding_ignores_accents_case_and_ligatures() -> None:
    assert fold("Équipe Œuvre ÇA") == "equipe oeuvre ca"
    assert Matcher("equipe")("Réunion d'ÉQUIPE du lundi")
    assert Matcher("équipe lundi")("réunion d'equipe du LUNDI")
    assert not Matcher("équipe mardi")("réunion d'équipe du lundi")
    assert Matcher("oeuvre")("mise en œuvre")  # two letters folded from one: no pre-filter


def test_search_one_engagement_and_all(store: Store) -> None:
    a = make(store, "Alice", ["Point sécurité tenu", "Délégation réussie"])
    b = make(store, "Bruno", ["Sécurité oubliée au démarrage", "Rien à signaler"])
    hits = search_engagement(store, a, "securite")
    assert [h.text for h in hits] == ["Point sécurité tenu"]
    everywhere, problems = search_store(store, "SÉCURITÉ")
    assert problems == []
    assert sorted((h.coachee, h.text) for h in everywhere) == [
        ("Alice", "Point sécurité tenu"),
        ("Bruno", "Sécurité oubliée au démarrage"),
    ]
    only_b, _ = search_store(store, "sécurité", [b])
    assert [h.engagement_id for h in only_b] == [b]
    assert search_store(store, "   ")[0] == []


def test_a_json_quote_or_backslash_in_the_query_still_finds_the_note(store: Store) -> None:
    make(store, "Chloé", ['Il a dit "stop" puis C:\\temp'])
    hits, _ = search_store(store, '"stop"')
    assert len(hits) == 1
    hits, _ = search_store(store, "C:\\temp")
    assert len(hits) == 1


def test_an_unreadable_file_is_named_not_fatal(store: Store) -> None:
    good = make(store, "Alice", ["sécurité"])
    bad = make(store, "Bruno", ["sécurité"])
    (store.root / "engagements" / f"{bad}.db").write_bytes(b"garbage")
    hits, problems = search_store(store, "sécurité")
    assert [h.engagement_id for h in hits] == [good]
    assert len(problems) == 1 and bad in problems[0]


def test_cli_search_json(store: Store, cli_env: dict[str, str]) -> None:
    eid = make(store, "Alice", ["Point sécurité tenu"])
    note = store.engagement(eid).notes()[0]
    note.visibility = Visibility.SHAREABLE
    store.engagement(eid).update(note)
    done = subprocess.run(
        [*aoi_command(), "search", "securite", "--json"],
        env=cli_env,
        capture_output=True,
        text=True,
        check=True,
    )
    rows = json.loads(done.stdout)
    assert rows == [
        {
            "engagement": eid,
            "coachee": "Alice",
            "kind": "note",
            "session": 1,
            "id": note.id,
            "phase": "field",
            "visibility": "shareable",
            "text": "Point sécurité tenu",
        }
    ]
    done = subprocess.run(
        [*aoi_command(), "search", "absent"], env=cli_env, capture_output=True, text=True
    )
    assert done.returncode == 0 and done.stdout == "No match.\n"
    done = subprocess.run(
        [*aoi_command(), "search", "x", "--engagement", "zzz"],
        env=cli_env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1 and done.stderr.startswith("aoi: no engagement")
