"""The CLI contract for collective engagements (issue 13 §4): a team and a peer
group framed, their participants named by id or prefix, each one's agreement,
notes about the group or people, validations one by one, and every export,
read for what must not be there. Nothing existing changes: `--coachee` is as
it was."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from aoi_tui.domain.models import Note
from aoi_tui.store.store import Store
from tests.test_cli import aoi, fails, ok, ok_json
from tests.test_store import reopen


@pytest.fixture
def env(cli_env: dict[str, str]) -> dict[str, str]:
    return {**cli_env, "AOI_NOW": "2026-11-23T10:00:00+01:00"}


def people(env: dict[str, str], data: Path, eid: str) -> dict[str, dict[str, Any]]:
    rows = ok_json(aoi(env, data, "participant", "list", eid, "--json"))
    return {r["name"]: r for r in rows}


def test_a_team_through_the_cli_reaches_each_reader_only_with_what_they_may_read(
    store: Store, env: dict[str, str], tmp_path: Path
) -> None:
    data = store.root
    eid = ok_json(
        aoi(
            env,
            data,
            "engagement",
            "new",
            "--group",
            "Ligne 3",
            "--form",
            "team",
            "--sponsor",
            "Marc Dubois",
            "--participant",
            "Claire Martin",
            "--participant",
            "Claude Roy",
            "--json",
        )
    )["id"]
    ok(aoi(env, data, "participant", "add", eid, "Élodie Roux", "--function", "opératrice"))
    who = people(env, data, eid)
    assert set(who) == {"Claire Martin", "Claude Roy", "Élodie Roux"}
    # nothing reported until agreed, and no consent by default
    assert all(not r["report_own_items"] and not r["report_attendance"] for r in who.values())
    assert all(r["consent_date"] is None for r in who.values())
    # a participant named by an ambiguous prefix is refused, with the candidates
    line = fails(aoi(env, data, "participant", "consent", eid, "cla", "--date", "2026-11-20"))
    assert "Claire Martin" in line and "Claude Roy" in line
    # by id, by a unique id prefix, by a unique name prefix (accents ignored)
    claire = who["Claire Martin"]["id"]
    ok(aoi(env, data, "participant", "consent", eid, claire, "--date", "2026-11-20"))
    ok(
        aoi(
            env,
            data,
            "participant",
            "consent",
            eid,
            who["Claude Roy"]["id"][:6],
            "--date",
            "2026-11-20",
        )
    )
    ok(aoi(env, data, "participant", "consent", eid, "elo", "--date", "2026-11-20"))
    ok(aoi(env, data, "participant", "report", eid, "claire", "--own-items", "yes"))
    ok(aoi(env, data, "participant", "report", eid, "claire", "--competencies", "yes"))
    claire_now = people(env, data, eid)["Claire Martin"]
    assert claire_now["report_own_items"] and claire_now["report_competencies"]
    assert not claire_now["report_attendance"]  # a flag not given is left as it was
    # the engagement's own consent and withdrawal are an individual one's
    for command in ("consent", "withdraw"):
        extra = ["--date", "2026-11-20"] if command == "consent" else []
        fails(aoi(env, data, "engagement", command, eid, *extra), f"aoi participant {command}")

    ok(aoi(env, data, "session", "new", eid, "--present", "claire", "--present", "claude"))

    def note(*args: str) -> str:
        return ok_json(aoi(env, data, "note", "add", eid, "--session", "1", "--json", *args))["id"]

    mine = note("--shareable", "--about", "claire", "CANARY-CLAIRE-OK")
    unvalidated = note("--shareable", "--about", "claire", "CANARY-CLAIRE-WAITS")
    claude = note("--shareable", "--about", "claude", "CANARY-CLAUDE-NOREPORT")
    group = note("--shareable", "CANARY-GROUP-ALL")  # a collective session: the group's
    withheld = note("--shareable", "--about", "group", "CANARY-GROUP-WITHHELD")
    note("--about", "claire", "CANARY-PRIVATE")
    ok(aoi(env, data, "note", "validate", eid, mine, "--by", "claire"))
    ok(aoi(env, data, "note", "validate", eid, claude, "--by", "claude"))
    ok(
        aoi(
            env,
            data,
            "note",
            "validate",
            eid,
            group,
            "--by",
            "claire",
            "--by",
            "claude",
            "--by",
            "elo",
        )
    )
    ok(aoi(env, data, "note", "validate", eid, withheld, "--by", "claire", "--by", "claude"))
    # a group's validation is personal
    fails(aoi(env, data, "note", "validate", eid, mine), "--by")
    fails(
        aoi(env, data, "note", "validate", eid, unvalidated, "--by", "claude"), "does not concern"
    )
    fails(
        aoi(
            env,
            data,
            "note",
            "add",
            eid,
            "--session",
            "1",
            "--about",
            "group",
            "--about",
            "claire",
            "x",
        )
    )

    def export(*args: str) -> str:
        return ok(aoi(env, data, "export", eid, *args, "-o", "-"))

    for fmt in ("md", "html", "json"):
        report = export("--shared", "--format", fmt)
        # validated by the whole group: it reaches the team's N+1, naming nobody
        assert "CANARY-CLAIRE-OK" in report and "CANARY-GROUP-ALL" in report
        for word in ("WAITS", "CLAUDE", "WITHHELD", "PRIVATE", "Claude", "Élodie", "lodie"):
            assert word not in report, (fmt, word)
        assert report == export("--shared", "--for-sponsor", "marc dubois", "--format", fmt)
        recap = export("--recap", "--session", "1", "--participant", "claude", "--format", fmt)
        assert "CANARY-CLAUDE-NOREPORT" in recap and "CANARY-GROUP-ALL" in recap
        for word in ("CLAIRE", "WITHHELD", "PRIVATE"):
            assert word not in recap, (fmt, word)
        group_recap = export("--recap", "--session", "1", "--format", fmt)
        assert "CANARY-GROUP-ALL" in group_recap
        for word in ("CLAIRE", "CLAUDE", "WITHHELD", "PRIVATE", "Claire", "Claude"):
            assert word not in group_recap, (fmt, word)
    assert json.loads(export("--shared", "--format", "json"))["version"] == 2
    fails(aoi(env, data, "export", eid, "--shared", "--for-sponsor", "Anne", "-o", "-"), "no N+1")
    confidential = export("--confidential")
    assert all(
        w in confidential for w in ("CANARY-PRIVATE", "CANARY-GROUP-WITHHELD", "Élodie Roux")
    )


def test_a_peer_group_reports_to_each_n1_only_their_own_people(
    store: Store, env: dict[str, str]
) -> None:
    data = store.root
    eid = ok_json(
        aoi(env, data, "engagement", "new", "--group", "Codev", "--form", "peers", "--json")
    )["id"]
    for name, sponsor in (("Sophie", "Anne Blanc"), ("Hugo", "Bernard Roy"), ("Yann", None)):
        extra = ["--sponsor", sponsor] if sponsor else []
        ok(aoi(env, data, "participant", "add", eid, name, *extra))
        ok(aoi(env, data, "participant", "consent", eid, name, "--date", "2026-11-20"))
        ok(aoi(env, data, "participant", "report", eid, name, "--own-items", "yes"))
    ok(aoi(env, data, "session", "new", eid, "--kind", "peer", "--case-bringer", "hugo"))
    for name in ("sophie", "hugo", "yann"):
        nid = ok_json(
            aoi(
                env,
                data,
                "note",
                "add",
                eid,
                "--session",
                "1",
                "--shareable",
                "--about",
                name,
                "--json",
                f"CANARY-{name.upper()}",
            )
        )["id"]
        ok(aoi(env, data, "note", "validate", eid, nid, "--by", name))
    fails(aoi(env, data, "export", eid, "--shared", "-o", "-"), "Anne Blanc", "Bernard Roy")
    anne = ok(aoi(env, data, "export", eid, "--shared", "--for-sponsor", "Anne Blanc", "-o", "-"))
    assert "CANARY-SOPHIE" in anne and "HUGO" not in anne and "YANN" not in anne
    assert "Hugo" not in anne and "Bernard" not in anne
    bernard = ok(
        aoi(env, data, "export", eid, "--shared", "--for-sponsor", "Bernard Roy", "-o", "-")
    )
    assert "CANARY-HUGO" in bernard and "SOPHIE" not in bernard and "Sophie" not in bernard


def test_an_individual_engagement_is_made_and_refused_as_before(
    store: Store, env: dict[str, str]
) -> None:
    data = store.root
    line = fails(aoi(env, data, "engagement", "new", "--sponsor", "Marc"), "--coachee")
    assert line.startswith("aoi: the following arguments are required")
    eid = ok(
        aoi(env, data, "engagement", "new", "--coachee", "Camille", "--sponsor", "Marc")
    ).strip()
    fails(aoi(env, data, "participant", "add", eid, "Paul"), "individual")
    fails(aoi(env, data, "engagement", "new", "--group", "G"), "--form")
    fails(aoi(env, data, "engagement", "new", "--coachee", "C", "--sponsor", "M", "--form", "team"))
    ok(aoi(env, data, "session", "new", eid))
    fails(aoi(env, data, "session", "new", eid, "--kind", "team_aoi"), "holds no team_aoi")
    fails(aoi(env, data, "note", "add", eid, "--session", "1", "--about", "group", "x"), "--about")


def test_a_peer_groups_charter_sends_its_items_to_the_n1s_once_everyone_agreed(
    store: Store, env: dict[str, str]
) -> None:
    data = store.root
    eid = ok_json(
        aoi(env, data, "engagement", "new", "--group", "Codev", "--form", "peers", "--json")
    )["id"]
    for name, sponsor in (("Sophie", "Anne Blanc"), ("Hugo", "Bernard Roy")):
        ok(aoi(env, data, "participant", "add", eid, name, "--sponsor", sponsor))
        ok(aoi(env, data, "participant", "consent", eid, name, "--date", "2026-11-20"))
    ok(aoi(env, data, "session", "new", eid, "--kind", "peer", "--case-bringer", "hugo"))
    # @prefix names whom a note concerns, as in a live session; an ambiguous one is refused
    mention = aoi(env, data, "note", "add", eid, "--session", "1", "--json", "@hug CANARY-AT")
    fresh = reopen(store).engagement(eid)
    hugo = [p.id for p in fresh.engagement().participants if p.name == "Hugo"]
    assert fresh.get(Note, json.loads(mention.stdout)["id"]).about == hugo
    fails(aoi(env, data, "note", "add", eid, "--session", "1", "@zz x"), "no participant")
    # a group item that names someone is flagged
    flagged = aoi(
        env,
        data,
        "note",
        "add",
        eid,
        "--session",
        "1",
        "--shareable",
        "--about",
        "group",
        "--json",
        "CANARY-GROUP Sophie et Hugo ont proposé un rituel",
    )
    assert "names Sophie, Hugo" in flagged.stderr
    gid = json.loads(flagged.stdout)["id"]
    ok(aoi(env, data, "note", "validate", eid, gid, "--by", "sophie", "--by", "hugo"))

    def anne() -> str:
        return ok(
            aoi(env, data, "export", eid, "--shared", "--for-sponsor", "Anne Blanc", "-o", "-")
        )

    assert "CANARY-GROUP" not in anne()  # no charter: a peer group's items go to no N+1
    ok(aoi(env, data, "engagement", "charter", eid, "--group-items-to-sponsors", "yes"))
    ok(aoi(env, data, "participant", "charter", eid, "sophie"))
    assert "CANARY-GROUP" not in anne()  # Hugo has not agreed yet
    ok(aoi(env, data, "participant", "charter", eid, "hugo"))
    assert "CANARY-GROUP" in anne()
    # a charter changed is agreed to again
    ok(aoi(env, data, "engagement", "charter", eid, "--leaving", "On se dit au revoir."))
    assert "CANARY-GROUP" not in anne()


def test_a_recap_tells_a_participant_who_was_absent_that_they_were_not_there(
    store: Store, env: dict[str, str]
) -> None:
    data = store.root
    eid = ok_json(
        aoi(env, data, "engagement", "new", "--group", "Codev", "--form", "peers", "--json")
    )["id"]
    for name in ("Sophie", "Yann"):
        ok(aoi(env, data, "participant", "add", eid, name))
        ok(aoi(env, data, "participant", "consent", eid, name, "--date", "2026-11-20"))
    new = ("session", "new", eid, "--kind", "peer", "--present", "sophie")
    ok(aoi(env, data, *new, "--case-bringer", "sophie"))
    for who, lang, absent in (("yann", "en", "were not at"), ("sophie", "fr", "n'étiez pas")):
        recap = ok(
            aoi(
                {**env, "AOI_LANG": lang},
                data,
                "export",
                eid,
                "--recap",
                "--session",
                "1",
                "--participant",
                who,
                "-o",
                "-",
            )
        )
        assert (absent in recap) is (who == "yann"), recap


def test_the_at_prefix_that_said_whom_a_note_concerns_is_not_in_what_others_read(
    store: Store, env: dict[str, str]
) -> None:
    data = store.root
    eid = ok_json(
        aoi(env, data, "engagement", "new", "--group", "Codev", "--form", "peers", "--json")
    )["id"]
    for name in ("Claire Moreau", "Bruno Petit"):
        ok(aoi(env, data, "participant", "add", eid, name, "--sponsor", "Anne Blanc"))
        ok(aoi(env, data, "participant", "consent", eid, name, "--date", "2026-11-20"))
        ok(aoi(env, data, "participant", "report", eid, name, "--own-items", "yes"))
    ok(aoi(env, data, "session", "new", eid, "--kind", "peer", "--case-bringer", "claire"))
    for text, by in (
        ("@cla — reprend son planning", ["claire"]),
        ("Un désaccord entre @cla et @bru sur les relèves", ["claire", "bruno"]),
    ):
        nid = ok_json(
            aoi(env, data, "note", "add", eid, "--session", "1", "--shareable", "--json", text)
        )["id"]
        for who in by:
            ok(aoi(env, data, "note", "validate", eid, nid, "--by", who))
    confidential = ok(aoi(env, data, "export", eid, "--confidential", "-o", "-"))
    assert "@cla — reprend" in confidential  # the coach's own file keeps what was typed
    report = ok(aoi(env, data, "export", eid, "--shared", "--for-sponsor", "Anne Blanc", "-o", "-"))
    recap = ok(
        aoi(
            env,
            data,
            "export",
            eid,
            "--recap",
            "--session",
            "1",
            "--participant",
            "claire",
            "-o",
            "-",
        )
    )
    for shared in (report, recap):
        assert "@" not in shared, shared
        assert "reprend son planning" in shared
        assert "entre Claire Moreau et Bruno Petit sur les relèves" in shared


def test_a_peer_named_in_a_case_phase_through_the_cli_does_not_take_the_case_to_their_n1(
    store: Store, env: dict[str, str]
) -> None:
    data = store.root
    eid = ok_json(
        aoi(env, data, "engagement", "new", "--group", "Codev", "--form", "peers", "--json")
    )["id"]
    for name, sponsor in (("Claire Moreau", "Anne Blanc"), ("Bruno Petit", "Bernard Roy")):
        ok(aoi(env, data, "participant", "add", eid, name, "--sponsor", sponsor))
        ok(aoi(env, data, "participant", "consent", eid, name, "--date", "2026-11-20"))
        ok(aoi(env, data, "participant", "report", eid, name, "--own-items", "yes"))
    ok(aoi(env, data, "session", "new", eid, "--kind", "peer", "--case-bringer", "claire"))
    for phase in ("clarification", "news"):
        text = f"@bru CANARY-{phase} asks about the night shifts"
        add = ("note", "add", eid, "--session", "1", "--phase", phase, "--shareable", "--json")
        nid = ok_json(aoi(env, data, *add, text))["id"]
        ok(aoi(env, data, "note", "validate", eid, nid, "--by", "bruno"))
    bernard = ok(
        aoi(env, data, "export", eid, "--shared", "--for-sponsor", "Bernard Roy", "-o", "-")
    )
    assert "CANARY-news" in bernard and "CANARY-clarification" not in bernard


def test_someone_who_never_consented_is_recorded_present_but_brings_no_case(
    store: Store, env: dict[str, str]
) -> None:
    """Attendance is a fact, kept in the coach's file; the case's notes would be
    about the case-bringer, so someone who never agreed to take part (or withdrew)
    brings no case: refused in words, French and English, and no session made."""
    data = store.root
    eid = ok_json(
        aoi(env, data, "engagement", "new", "--group", "Codev", "--form", "peers", "--json")
    )["id"]
    for name in ("Claire Moreau", "Bruno Petit", "Yann Leroy"):
        ok(aoi(env, data, "participant", "add", eid, name, "--sponsor", "Anne Blanc"))
    for name in ("claire", "yann"):
        ok(aoi(env, data, "participant", "consent", eid, name, "--date", "2026-11-20"))
        ok(aoi(env, data, "participant", "report", eid, name, "--attendance", "yes"))
    ok(aoi(env, data, "participant", "withdraw", eid, "yann", "--date", "2026-11-22"))
    everyone = ("--present", "claire", "--present", "bruno", "--present", "yann")
    new = ("session", "new", eid, "--kind", "peer", *everyone, "--case-bringer")
    fails(aoi(env, data, *new, "bruno"), "Bruno Petit has not consented")
    fails(aoi({**env, "AOI_LANG": "fr"}, data, *new, "bruno"), "Bruno Petit n'a pas consenti")
    fails(aoi(env, data, *new, "yann"), "Yann Leroy withdrew on 2026-11-22")
    assert reopen(store).engagement(eid).sessions() == []  # nothing made
    ok(aoi(env, data, *new, "claire"))
    # present, in the coach's own file; in no shared output, not even as a count
    confidential = ok(aoi(env, data, "export", eid, "--confidential", "-o", "-"))
    assert "Bruno Petit" in confidential
    report = ok(aoi(env, data, "export", eid, "--shared", "--for-sponsor", "Anne Blanc", "-o", "-"))
    recap = ok(aoi(env, data, "export", eid, "--recap", "--session", "1", "-o", "-"))
    for shared in (report, recap):
        assert "Bruno" not in shared and "Yann" not in shared and "Present" not in shared


def test_a_note_said_to_be_the_group_s_whose_at_names_someone_is_about_them(
    store: Store, env: dict[str, str]
) -> None:
    """`--about group "@cla …"`: as in a live session, the @ says whom the note
    concerns, so it needs Claire's own validation and never reaches the group's
    recap with her shorthand (it did, on the group's validation). An @ beside
    `--about` naming someone else adds them; an @ naming no one is refused."""
    data = store.root
    eid = ok_json(
        aoi(
            env,
            data,
            *("engagement", "new", "--group", "Ligne 3", "--form", "team"),
            *("--sponsor", "Marc Dubois", "--participant", "Claire Moreau"),
            *("--participant", "Bruno Petit", "--json"),
        )
    )["id"]
    for name in ("claire", "bruno"):
        ok(aoi(env, data, "participant", "consent", eid, name, "--date", "2026-11-20"))
        ok(aoi(env, data, "participant", "report", eid, name, "--own-items", "yes"))
    ok(aoi(env, data, "session", "new", eid, "--present", "claire", "--present", "bruno"))
    add = ("note", "add", eid, "--session", "1", "--shareable", "--json")
    said = aoi(env, data, *add, "--about", "group", "@cla — reprend le planning CANARY-AT")
    at = ok_json(said)["id"]
    both = ok_json(aoi(env, data, *add, "--about", "bruno", "Il aide @cla CANARY-BOTH"))["id"]
    fails(aoi(env, data, *add, "--about", "group", "@zz CANARY-NOONE"), "'zz'")
    ok(aoi(env, data, "note", "validate", eid, at, "--by", "claire"))
    bruno = aoi(env, data, "note", "validate", eid, at, "--by", "bruno")  # the group's, it was
    ok(aoi(env, data, "note", "validate", eid, both, "--by", "bruno"))
    recap = ok(aoi(env, data, "export", eid, "--recap", "--session", "1", "-o", "-"))
    assert "@" not in recap and "CANARY" not in recap  # neither is the group's
    fails(bruno, "does not concern Bruno Petit")
    assert "concerns Claire Moreau" in said.stderr
    fresh = reopen(store).engagement(eid)
    ids = {p.name.split()[0]: p.id for p in fresh.engagement().participants}
    assert fresh.get(Note, at).about == [ids["Claire"]]
    assert fresh.get(Note, both).about == [ids["Bruno"], ids["Claire"]]
    report = ok(aoi(env, data, "export", eid, "--shared", "-o", "-"))
    assert "reprend le planning CANARY-AT" in report and "CANARY-BOTH" not in report
    ok(aoi(env, data, "note", "validate", eid, both, "--by", "claire"))
    report = ok(aoi(env, data, "export", eid, "--shared", "-o", "-"))
    assert "Il aide Claire Moreau CANARY-BOTH" in report and "@" not in report


def test_a_prefix_of_one_id_and_another_name_names_no_one_even_to_erase(
    store: Store, env: dict[str, str]
) -> None:
    """`h` starts Inès's id and Hugo's name: it names two people, so `participant
    erase … --yes` and `report` refuse it with both (French and English), and so
    does the live input's `@h`; nothing is erased. A whole name or a whole id still
    names one person, and so does a prefix of one id or one name only."""
    from datetime import date

    from aoi_tui.domain.concerns import mentioned
    from aoi_tui.domain.models import Agreement, Engagement, Form, Participant

    agreed = Agreement(consent_date=date(2026, 11, 2))
    team = [
        Participant(id="h8ef3kq0rc4m", name="Inès Bernard", agreement=agreed),
        Participant(id="k3m4p7djvncv", name="Hugo Lenoir", agreement=agreed),
        Participant(id="9v2d0sq8asb6", name="Eva", agreement=agreed),
        Participant(id="5kc5fpeswzxx", name="Eva Martin", agreement=agreed),
    ]
    eid = store.create_engagement(
        Engagement(form=Form.TEAM, group="Atelier 2", sponsor="Marc Dubois", participants=team)
    ).id
    data = store.root
    for lang, said in (("en", "names several participants"), ("fr", "plusieurs participants")):
        for command in (["erase", eid, "h", "--yes"], ["report", eid, "h", "--own-items", "yes"]):
            line = fails(aoi({**env, "AOI_LANG": lang}, data, "participant", *command), said)
            assert "Inès Bernard" in line and "Hugo Lenoir" in line
    who = people(env, data, eid)
    assert set(who) == {p.name for p in team}  # nobody erased
    assert not any(r["report_own_items"] for r in who.values())
    found, problems = mentioned("@h a repris le planning", team)
    assert not found and "Inès Bernard" in problems[0] and "Hugo Lenoir" in problems[0]
    for query, whom in (("Eva", "Eva"), ("h8", "Inès Bernard"), ("hug", "Hugo Lenoir")):
        ok(aoi(env, data, "participant", "report", eid, query, "--own-items", "yes"))
        assert people(env, data, eid)[whom]["report_own_items"], query
    ok(aoi(env, data, "participant", "report", eid, "k3m4p7djvncv", "--attendance", "yes"))
    who = people(env, data, eid)
    assert who["Hugo Lenoir"]["report_attendance"] and not who["Eva Martin"]["report_own_items"]


def test_a_group_item_naming_someone_who_withdrew_reaches_no_n1(
    store: Store, env: dict[str, str]
) -> None:
    """Olivier withdrew; the group writes "Olivier Claireau nous a quittés" and all
    who stay validate it: the N+1's report (every format) holds neither his name
    nor the item (§3: no name after that day; a neutral word would still say that
    someone left). The group's other validated items still go."""
    data = store.root
    people_args = [
        a
        for n in ("Olivier Claireau", "Sophie Marchal", "Hugo Lenoir")
        for a in ("--participant", n)
    ]
    eid = ok_json(
        aoi(
            env,
            data,
            "engagement",
            "new",
            "--group",
            "Atelier",
            "--form",
            "team",
            "--sponsor",
            "Marc Dubois",
            *people_args,
            "--json",
        )
    )["id"]
    for who in ("olivier", "sophie", "hugo"):
        ok(aoi(env, data, "participant", "consent", eid, who, "--date", "2026-11-01"))
        ok(
            aoi(
                env,
                data,
                "participant",
                "report",
                eid,
                who,
                "--own-items",
                "yes",
                "--attendance",
                "yes",
            )
        )
    ok(aoi(env, data, "participant", "withdraw", eid, "olivier", "--date", "2026-11-22"))
    ok(aoi(env, data, "session", "new", eid, "--present", "sophie", "--present", "hugo"))
    ids = []
    for text in (
        "CANARY-NAMED Olivier Claireau nous a quittés, on réorganise",
        "CANARY-PLAIN on réorganise",
    ):
        added = aoi(
            env,
            data,
            "note",
            "add",
            eid,
            "--session",
            "1",
            "--about",
            "group",
            "--shareable",
            "--json",
            text,
        )
        ids.append(ok_json(added)["id"])
    for nid in ids:
        ok(aoi(env, data, "note", "validate", eid, nid, "--by", "sophie", "--by", "hugo"))
    for fmt in ("md", "json", "html"):
        report = ok(aoi(env, data, "export", eid, "--shared", "--format", fmt, "-o", "-"))
        assert "CANARY-PLAIN" in report, fmt
        assert "CANARY-NAMED" not in report and "Claireau" not in report, fmt
        assert "Olivier" not in report, fmt
