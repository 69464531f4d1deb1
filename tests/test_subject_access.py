"""A person's access to their data (issue 16 §2): everything about them,
private notes and the coach's hypotheses included; in a group, nothing of
another participant's items, whatever the items say they concern (hypothesis);
texts that name others flagged for review; the CLI writes HTML and JSON into a
folder and refuses everything else with one line."""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from aoi_tui.domain.models import (
    GROUP,
    Action,
    Agreement,
    Engagement,
    ExportRecord,
    Note,
    Session,
    SessionKind,
)
from aoi_tui.domain.participants import Participant
from aoi_tui.domain.reflections import Reflection
from aoi_tui.domain.vocabulary import Form
from aoi_tui.exports.subject_access import (
    access_html,
    access_json,
    access_markdown,
    build_access_file,
)
from aoi_tui.exports.supervision_case import supervision_case
from aoi_tui.store.store import Store
from tests.cli_support import aoi, cli_error

START = date(2026, 3, 2)
AT = datetime(2026, 3, 20, 9, tzinfo=UTC)
PEOPLE = ("Alice Durand", "Bruno Petit", "Chloé Martin")


def group(store: Store, about: list[list[int | str]], private: list[bool]) -> tuple[str, list[str]]:
    """A team of three; one note per entry of `about` (participants by index,
    or "group"), each holding canaries of whom it concerns."""
    people = [
        Participant(name=n, joined_on=START, agreement=Agreement(consent_date=START))
        for n in PEOPLE
    ]
    ids = [p.id for p in people]
    eng = Engagement(form=Form.TEAM, group="Équipe Nord", sponsor="Sophie Roy", participants=people)
    ef = store.create_engagement(eng)
    ef.insert(Session(kind=SessionKind.TEAM_AOI, number=1, held_on=START, attendance=ids))
    ef.insert(
        Session(
            kind=SessionKind.COACHING, number=2, held_on=START + timedelta(7), participant=ids[1]
        )
    )
    for who, hidden in zip(about, private, strict=True):
        concerns = [GROUP] if who == ["group"] else [ids[int(i)] for i in who]
        ef.insert(
            Note(
                session=1,
                phase="experience_review",
                text=canary(who),
                about=concerns,
                visibility="private" if hidden else "shareable",
                created_at=AT,
            )
        )
    ef.insert(Reflection(session=2, hypotheses="canary-reflection-P1 hypothèse sur Bruno"))
    ef.insert(Action(session=1, text="canary-action-P0", about=[ids[0]]))
    return ef.id, ids


def canary(marks: list[int | str]) -> str:
    return (
        "canary-" + ("group" if marks == ["group"] else "-".join(f"P{i}" for i in marks)) + "-end"
    )


abouts = st.lists(
    st.one_of(
        st.just(["group"]),
        st.lists(st.sampled_from([0, 1, 2]), min_size=1, max_size=3, unique=True),
    ),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(about=abouts, data=st.data())
def test_a_participants_access_holds_nothing_of_the_others(
    store: Store, about: list[list[int | str]], data: st.DataObject
) -> None:
    private = data.draw(st.lists(st.booleans(), min_size=len(about), max_size=len(about)))
    eid, _ = group(store, about, private)
    who = data.draw(st.sampled_from([0, 1, 2]))
    af = build_access_file(store.engagement(eid), PEOPLE[who])
    files = access_markdown(af, "fr") + access_html(af, "en") + access_json(af, "fr")
    for marks, hidden in zip(about, private, strict=True):
        concerns_them = marks == ["group"] or who in marks
        assert (canary(marks) in files) is concerns_them, (canary(marks), who)
        if concerns_them and hidden:
            assert any(x.private and x.text == canary(marks) for x in af.texts)  # private too
        if concerns_them and marks != ["group"] and len(marks) > 1:
            flagged = [x for x in af.flagged if x.text == canary(marks)]
            assert flagged, "an item about several people is flagged for review"
    assert ("canary-action-P0" in files) is (who == 0)
    # the coach's hypotheses on a one-to-one: that participant's only
    assert ("canary-reflection-P1" in files) is (who == 1)
    for i, other in enumerate(PEOPLE):
        if i != who:
            assert other not in access_json(af, "fr").split('"texts"')[0]  # not on the cover
    store.erase(eid)


def test_an_individual_access_has_every_private_note_and_the_cover(
    store: Store, cli_env: dict[str, str], tmp_path: Path
) -> None:
    ef = store.create_engagement(
        Engagement(
            coachee="Élodie Le Goff",
            sponsor="Jean-Marc Bréhat",
            coach="Claire Moreau",
            agreement=Agreement(consent_date=START),
            sponsor_expectations="Qu'Élodie tienne ses délais.",
        )
    )
    s = ef.new_session(SessionKind.AOI)
    ef.insert(Note(session=s.number, phase="experience_review", text="privée : Élodie doute"))
    ef.insert(
        Note(session=s.number, phase="experience_review", text="Élodie en conflit avec Rodolphe")
    )
    ef.insert(Reflection(hypotheses="Je crois qu'Élodie rejoue un vieux conflit."))
    out = tmp_path / "answer"
    done = aoi(cli_env, "--lang", "fr", "export", ef.id, "--subject-access", "-o", str(out))
    assert done.returncode == 0, done.stderr
    html_file, json_file = sorted(out.iterdir())
    assert html_file.suffix == ".html" and json_file.suffix == ".json"
    assert oct(out.stat().st_mode & 0o777) == "0o700"
    assert all(oct(f.stat().st_mode & 0o777) == "0o600" for f in (html_file, json_file))
    body = json.loads(json_file.read_text("utf-8"))
    texts = [x["text"] for x in body["texts"]]
    assert "privée : Élodie doute" in texts
    assert "Je crois qu'Élodie rejoue un vieux conflit." in texts
    assert "Qu'Élodie tienne ses délais." in texts  # the N+1's opinion is hers
    assert body["controller"] == "Claire Moreau"
    review = {x["text"]: x["names_others"] for x in body["to_review"]}
    assert review == {"Élodie en conflit avec Rodolphe": ["Rodolphe"]}
    page = html_file.read_text("utf-8")
    assert "CNIL" in page and "Rodolphe" in page
    assert "Élodie Le Goff" not in done.stderr  # the terminal line names no one
    # the export log records it, by the person's id: the log names no one
    (record, _) = store.engagement(ef.id).all(ExportRecord)
    assert record.audience.value == "subject_access"
    assert record.recipient == ef.engagement().participants[0].id


def test_odd_requests_are_refused_with_one_line(
    store: Store, cli_env: dict[str, str], tmp_path: Path
) -> None:
    eid, _ = group(store, [["group"]], [False])
    assert "--participant" in cli_error(
        aoi(cli_env, "export", eid, "--subject-access", "-o", str(tmp_path / "a"))
    )
    assert "Zoé" in cli_error(
        aoi(
            cli_env,
            "export",
            eid,
            "--subject-access",
            "--participant",
            "Zoé",
            "-o",
            str(tmp_path / "a"),
        )
    )
    assert not (tmp_path / "a").exists()
    args = ("export", eid, "--subject-access", "--participant", "Alice")
    assert "folder" in cli_error(aoi(cli_env, *args))
    assert "folder" in cli_error(aoi(cli_env, *args, "-o", "-"))
    a_file = tmp_path / "file"
    a_file.write_text("x")
    assert "not a folder" in cli_error(aoi(cli_env, *args, "-o", str(a_file)))
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert "not a folder" in cli_error(aoi(cli_env, *args, "-o", str(fifo)))
    assert "data folder" in cli_error(aoi(cli_env, *args, "-o", str(store.root / "out")))
    assert not (store.root / "out").exists()
    # the data folder however spelled: through `..`, through a link; said of the folder given
    (tmp_path / "link").symlink_to(store.root)
    for spelled in (f"{store.root}/../{store.root.name}/out", str(tmp_path / "link" / "sub")):
        line = cli_error(aoi(cli_env, *args, "-o", spelled))
        assert f"{spelled} is in aoi's data folder" in line and "folder elsewhere" in line
    assert not (store.root / "out").exists() and not (store.root / "sub").exists()
    assert aoi(cli_env, "erase", eid, "--yes").returncode == 0
    assert cli_error(aoi(cli_env, *args, "-o", str(tmp_path / "b")))
    assert not (tmp_path / "b").exists()


def test_a_groups_case_names_participants_p1_p2(store: Store) -> None:
    eid, _ = group(store, [[0, 1], ["group"]], [True, False])
    ef = store.engagement(eid)
    notes = ef.notes()
    for n in notes:
        n.text = "Alice Durand et BRUNO parlent à Sophie Roy de l'Équipe Nord, chloe.martin@x.fr"
        ef.update(n)
    pc, preview = supervision_case(ef, "Chloé ?", "fr", [n.id for n in notes])
    text = pc.model_dump_json()
    for name in ("Alice", "Durand", "Bruno", "Sophie", "Roy", "Chloé", "chloe", "Nord"):
        assert name.casefold() not in text.casefold(), name
    assert "P1 et P2 parlent au N+1 du groupe" in text
    assert "P3" in text
    assert any(r.name == "Alice Durand" for r in preview.replaced)
