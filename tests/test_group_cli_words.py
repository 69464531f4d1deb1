"""What `aoi` says of a group in French says it in French, in plain words (issue
13 §4, words a reviewer found): the refusals of `engagement consent`, `session
new`, `note validate` and `export --for-sponsor`, and what `note validate` says
when it is done; a name too long is refused in aoi's words, not pydantic's."""

from __future__ import annotations

import pytest

from aoi_tui.store.store import Store
from tests.test_cli import aoi, fails, ok, ok_json


@pytest.fixture
def env(cli_env: dict[str, str]) -> dict[str, str]:
    return {**cli_env, "AOI_NOW": "2026-11-23T10:00:00+01:00", "AOI_LANG": "fr"}


def test_a_group_s_refusals_and_validations_are_said_in_french(
    store: Store, env: dict[str, str]
) -> None:
    data = store.root
    long_name = "Éléonore " * 15
    line = fails(aoi(env, data, "engagement", "new", "--group", "G", "--form", "team",
                     "--sponsor", "Sam", "--participant", long_name))  # fmt: skip
    assert "un nom compte au plus 120 caractères" in line
    assert "Value error" not in line and "name:" not in line, line
    new = ("engagement", "new", "--group", "Codev", "--form", "peers", "--json")
    eid = ok_json(aoi(env, data, *new))["id"]
    for name, n1 in (("Ana Roy", "Paul Vidal"), ("Bea Lin", "Anne Blanc")):
        ok(aoi(env, data, "participant", "add", eid, name, "--sponsor", n1))
        ok(aoi(env, data, "participant", "consent", eid, name, "--date", "2026-11-20"))
    said = [
        fails(aoi(env, data, "engagement", "consent", eid, "--date", "2026-11-20")),
        fails(aoi(env, data, "session", "new", eid, "--kind", "aoi")),
        fails(aoi(env, data, "session", "new", eid, "--kind", "team_aoi")),
    ]
    assert "c'est un accompagnement collectif" in said[0]
    assert said[1].startswith("aoi: une séance de type aoi dans un groupe"), said[1]
    assert said[2].startswith("aoi: cet accompagnement (peers) ne tient pas"), said[2]
    ok(aoi(env, data, "session", "new", eid, "--kind", "coaching", "--participant", "ana"))
    add = ("note", "add", eid, "--session", "1", "--shareable", "--json")
    note = ok_json(aoi(env, data, *add, "le contrat tient"))["id"]
    said += [
        fails(aoi(env, data, "note", "validate", eid, note)),
        fails(aoi(env, data, "note", "validate", eid, note, "--by", "bea")),
        fails(aoi(env, data, "export", eid, "--shared", "--for-sponsor", "Zoé", "-o", "r.md")),
    ]
    assert "chaque participant valide pour lui-même" in said[3]
    assert "cette note ne concerne pas Bea Lin" in said[4]
    assert "Zoé n'est pas un N+1 de ce groupe" in said[5]
    assert ok(aoi(env, data, "note", "validate", eid, note, "--by", "ana")).strip() == (
        "Validé par Ana Roy."
    )
    for line in said:  # none in English
        assert not {"the", "is", "this", "session"} & set(line.split()), line


def test_an_individual_engagement_s_answers_are_said_in_french(
    store: Store, env: dict[str, str]
) -> None:
    """`session new`, `engagement consent`, `participant consent` and `note validate`
    on a coachee's engagement answered in English under AOI_LANG=fr."""
    data = store.root
    new = ("engagement", "new", "--coachee", "Camille Roy", "--sponsor", "Marc Vidal", "--json")
    eid = ok_json(aoi(env, data, *new))["id"]
    said = [ok(aoi(env, data, "engagement", "consent", eid, "--date", "2026-11-20")).strip()]
    said.append(ok(aoi(env, data, "session", "new", eid)).strip())
    add = ("note", "add", eid, "--session", "1", "--json")
    private = ok_json(aoi(env, data, *add, "un pas"))["id"]
    said.append(fails(aoi(env, data, "note", "validate", eid, private)))
    shared = ok_json(aoi(env, data, *add, "--shareable", "un autre pas"))["id"]
    said.append(ok(aoi(env, data, "note", "validate", eid, shared)).strip())
    assert said[0] == "Consentement enregistré le 2026-11-20."
    assert said[1].startswith("Séance 1 (") and said[1].endswith(") créée."), said[1]
    assert "cette note est privée" in said[2]
    assert said[3] == "Validée par la personne accompagnée."
