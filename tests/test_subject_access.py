"""A person's access to their data (issue 16 §2): everything about them,
private notes and the coach's hypotheses included; in a group, nothing of
another participant's items, whatever the items say they concern (hypothesis);
texts that name others flagged for review; the CLI writes HTML and JSON into a
folder and refuses everything else with one line."""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings, strategies as st

from aoi_tui.domain.models import (
    GROUP,
    Action,
    Agreement,
    Assessment,
    Competency,
    Engagement,
    ExportRecord,
    MaturityMark,
    Note,
    Objective,
    Session,
    SessionKind,
    Tool,
)
from aoi_tui.domain.participants import Participant
from aoi_tui.domain.reflections import Reflection
from aoi_tui.domain.vocabulary import Form, Level
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
KINDS = ("note", "action", "objective", "competency")


def group(
    store: Store,
    about: list[list[int | str]],
    private: list[bool],
    names: Sequence[str] = (*PEOPLE, "Sophie Roy"),
    kinds: Sequence[str] = (),
    naming: Sequence[str] = (),
) -> tuple[str, list[str]]:
    """A team of three and their N+1 (`names`); one item per entry of `about`
    (participants by index, or "group"), of the kind in `kinds` (a note by
    default), holding the canary of whom it concerns and `naming`'s text (a
    name of someone else, typed some way) after it."""
    people = [
        Participant(name=n, joined_on=START, agreement=Agreement(consent_date=START))
        for n in names[:3]
    ]
    ids = [p.id for p in people]
    eng = Engagement(form=Form.TEAM, group="Équipe Nord", sponsor=names[3], participants=people)
    ef = store.create_engagement(eng)
    ef.insert(Session(kind=SessionKind.TEAM_AOI, number=1, held_on=START, attendance=ids))
    ef.insert(
        Session(
            kind=SessionKind.COACHING, number=2, held_on=START + timedelta(7), participant=ids[1]
        )
    )
    for i, (who, hidden) in enumerate(zip(about, private, strict=True)):
        concerns = [GROUP] if who == ["group"] else [ids[int(i)] for i in who]
        kind = kinds[i] if i < len(kinds) else "note"
        text = f"{canary(who, i)} {naming[i] if i < len(naming) else ''}".strip()
        visibility = "private" if hidden else "shareable"
        if kind == "note":
            ef.insert(
                Note(
                    session=1,
                    phase="experience_review",
                    text=text,
                    about=concerns,
                    visibility=visibility,
                    created_at=AT,
                )
            )
        elif kind == "action":
            ef.insert(Action(session=1, text=text, about=concerns, visibility=visibility))
        elif kind == "objective":
            ef.insert(Objective(statement=text, about=concerns))
        else:
            competency = Competency(name=text[:200], about=concerns)
            ef.insert(competency)
            ef.insert(
                Assessment(
                    competency_id=competency.id, level=Level.ACQUIRED, by="coach", about=concerns
                )
            )
    ef.insert(Reflection(session=2, hypotheses="canary-reflection-P1 hypothèse sur Bruno"))
    ef.insert(Action(session=1, text="canary-action-P0", about=[ids[0]]))
    return ef.id, ids


def canary(marks: list[int | str], i: int = 0) -> str:
    return (
        f"canary{i}-"
        + ("group" if marks == ["group"] else "-".join(f"P{i}" for i in marks))
        + "-end"
    )


abouts = st.lists(
    st.one_of(
        st.just(["group"]),
        st.lists(st.sampled_from([0, 1, 2]), min_size=1, max_size=3, unique=True),
    ),
    min_size=1,
    max_size=8,
)

# Names: syllables with accents, a first name and a surname, compound at times
# ("Zoé-Lina Ka"); the test's own, so that no name is a word the document says.
_SYLLABLES = ("ka", "lé", "zo", "mi", "rö", "tu", "bé", "xa", "quo", "ny", "ël", "dru", "wen")
_part = st.lists(st.sampled_from(_SYLLABLES), min_size=2, max_size=3).map(
    lambda p: "".join(p).capitalize()
)
a_name = st.builds(
    lambda first, last, compound: f"{first}-{compound} {last}" if compound else f"{first} {last}",
    _part,
    _part,
    st.one_of(st.none(), _part),
)


def parts(name: str) -> list[str]:
    return [flat(p) for p in re.split(r"[ -]", name)]


def flat(text: str) -> str:
    """Lower case, without accents: the test's own folding."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def typed_as(name: str, how: str) -> str:
    """A name as a coach may type it: whole, first or last name alone, in
    capitals, in lower case without accents, possessive."""
    first, last = name.split(" ", 1)
    return {
        "whole": name,
        "first": f"avec {first} hier",
        "last": f"chez {last}.",
        "upper": name.upper(),
        "plain": flat(first),
        "possessive": f"{first}'s team",
    }[how]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(about=abouts, names=st.lists(a_name, min_size=4, max_size=4), data=st.data())
def test_a_participants_access_holds_everything_of_theirs_and_nothing_of_the_others(
    store: Store, about: list[list[int | str]], names: list[str], data: st.DataObject
) -> None:
    """Hypothesis draws the people's names, the items (note, action, objective,
    competency with its FSAC mark), whom each concerns, private or not, and what
    each says of someone else. The access export for one participant holds every
    item about them or the group (private ones included) and nothing about
    another participant alone; another participant's name is only in a text about
    them, and that text is flagged for review (article 15(4)), never on the
    cover."""
    every_part = [p for n in names for p in parts(n)]
    assume(len(set(every_part)) == len(every_part))  # no name part shared by two people
    n = len(about)
    private = data.draw(st.lists(st.booleans(), min_size=n, max_size=n))
    kinds = data.draw(st.lists(st.sampled_from(KINDS), min_size=n, max_size=n))
    named = data.draw(
        st.lists(
            st.one_of(
                st.none(),
                st.tuples(
                    st.sampled_from(range(4)),
                    st.sampled_from(["whole", "first", "last", "upper", "plain", "possessive"]),
                ),
            ),
            min_size=n,
            max_size=n,
        )
    )
    naming = [
        typed_as(names[q], how) if q is not None else ""
        for q, how in (x or (None, "") for x in named)
    ]
    eid, ids = group(store, about, private, names, kinds, naming)
    who = data.draw(st.sampled_from([0, 1, 2]))
    af = build_access_file(store.engagement(eid), ids[who])
    body = json.loads(access_json(af, "fr"))
    files = access_markdown(af, "fr") + access_html(af, "en") + json.dumps(body)
    for i, (marks, hidden) in enumerate(zip(about, private, strict=True)):
        mark = canary(marks, i)
        concerns_them = marks == ["group"] or who in marks
        assert (mark in files) is concerns_them, (mark, who)
        if not concerns_them:
            continue
        (held,) = [x for x in af.texts if x.text.startswith(mark)]
        if hidden and kinds[i] in ("note", "action"):
            assert held.private  # the coach's private note is theirs too
        other = named[i][0] if named[i] else None
        if (marks != ["group"] and len(marks) > 1) or other not in (None, who):
            assert held in af.flagged, (held, "names or concerns someone else: to review")
    if any(kinds[i] == "competency" and (m == ["group"] or who in m) for i, m in enumerate(about)):
        assert af.levels  # their FSAC marks
    assert ("canary-action-P0" in files) is (who == 0)
    # the coach's hypotheses on a one-to-one: that participant's only
    assert ("canary-reflection-P1" in files) is (who == 1)
    # the other participants' names: only inside texts about them, flagged
    flagged = {x.text for x in af.flagged}
    kept_out = ("texts", "to_review", "levels")
    cover = json.dumps({k: v for k, v in body.items() if k not in kept_out}, ensure_ascii=False)
    unflagged = " ".join(x.text for x in af.texts if x.text not in flagged)
    unflagged += " ".join(level[0] for level in af.levels if level[0] not in flagged)
    for q in range(3):
        if q == who:
            continue
        for part in parts(names[q]):
            assert not re.search(rf"\b{part}\b", flat(cover)), (names[q], "on the cover")
            assert not re.search(rf"\b{part}\b", flat(unflagged)), (names[q], "unflagged")
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
    # a practice she took up and how far it is in use: about her too
    ef.insert(
        Tool(
            name="Briefing en 3 points",
            description="Élodie l'ouvre chaque lundi",
            maturity=[MaturityMark(on=START, level=Level.ACQUIRED)],
        )
    )
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
    tools = [x["text"] for x in body["texts"] if x["what"] == "tool"]
    assert tools and "Briefing en 3 points" in tools[0] and "l'ouvre chaque lundi" in tools[0]
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
    # a name the answer takes already holds a link (or a pipe): refused before either
    # file is written, never half an answer written and recorded
    from aoi_tui.exports.subject_access_export import build_access_exports

    exports, _ = build_access_exports(store, eid, "Alice", "en")
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / exports[1].default_name).symlink_to(tmp_path / "elsewhere")
    assert "not a file" in cli_error(aoi(cli_env, *args, "-o", str(busy)))
    assert [f.name for f in busy.iterdir()] == [exports[1].default_name]
    assert not store.engagement(eid).all(ExportRecord)
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


def test_the_messages_for_the_n1_and_a_groups_closing_review_are_the_persons_data(
    store: Store,
) -> None:
    """What the coach wrote to the N+1 about the person (each session's message) and a
    group's closing review are in the answer: they were in none (the person could not
    learn what their N+1 was told). A message about someone else is not."""
    ef = store.create_engagement(
        Engagement(coachee="Élodie Le Goff", sponsor="Marc", agreement=Agreement())
    )
    ef.insert(
        Session(kind=SessionKind.AOI, number=1, held_on=START, sponsor_message="canary-msg-E")
    )
    texts = {x.text: x.what for x in build_access_file(ef, None).texts}
    assert texts.get("canary-msg-E") == "message", texts
    eid, ids = group(store, [], [])
    team = store.engagement(eid)
    first = team.session(1)
    team.update(
        first.model_copy(update={"sponsor_message": "canary-msg-P0", "message_about": [ids[0]]})
    )
    engagement = team.engagement()
    team.update(engagement.model_copy(update={"closing_synthesis": "canary-closing-group"}))
    mine = {x.text: x for x in build_access_file(team, ids[0]).texts}
    theirs = {x.text: x for x in build_access_file(team, ids[2]).texts}
    assert mine["canary-msg-P0"].what == "message" and "canary-msg-P0" not in theirs
    assert mine["canary-closing-group"].about_the_group
    assert theirs["canary-closing-group"].about_the_group
