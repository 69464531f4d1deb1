"""Programmes end to end, as a firm's lead and its coaches use them: `aoi programme
new` in the lead's store, `join`, `enrol` and `feed` in two coaches' stores built
with canaries in every free-text field, a tiny site and people who did not agree;
`report` in the lead's store, in every format. Then the attacks: feeds tampered
with, replayed, of another programme or a newer schema, twice the same, copied
under another coach; a site not in the list, K below 3, a programme file that is
a FIFO, a device, missing or damaged; a withdrawal and an erasure."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from aoi_tui.domain.models import (
    Action,
    Agreement,
    Area,
    Assessment,
    Assessor,
    Competency,
    Engagement,
    Form,
    Level,
    NoteKind,
    Objective,
    ObjectiveStatus,
    Participant,
    Session,
    SessionKind,
    Status,
    Timing,
    Visibility,
)
from aoi_tui.programme.feed import feed_schema
from aoi_tui.secure.keyfile import KeyFile
from aoi_tui.store.store import KEYS, Store
from tests.cli_support import run_aoi
from tests.support import PASSPHRASE, REPO

TODAY = date(2026, 11, 20)
NOW = "2026-11-20T10:00:00+00:00"
CANARY = "Zqx"  # every typed string of the source stores starts with it


def aoi(data: Path, *args: str, cwd: Path, now: str = NOW) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "AOI_PASSPHRASE": PASSPHRASE, "AOI_NOW": now, "AOI_LANG": "en"}
    return run_aoi(["--data-dir", str(data), *args], env, cwd=cwd, timeout=120)


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def refused(result: subprocess.CompletedProcess[str], *words: str) -> str:
    """One line on stderr starting with "aoi:", no traceback, each word in it."""
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


class Canaries:
    """Unique typed strings, each remembered: none may leave the store."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.seen: list[str] = []

    def __call__(self, what: str) -> str:
        text = f"{CANARY}{self.prefix}{what}{len(self.seen)}"
        self.seen.append(text)
        return text


def coach_store(template: tuple[Path, bytes, str], root: Path) -> Store:
    folder, master, _ = template
    shutil.copytree(folder, root)
    return Store(root, KeyFile.load(root / KEYS), master)


def person(c: Canaries, agreed: bool = True, **fields: Any) -> Participant:
    return Participant(
        name=c("name"),
        function=c("function"),
        email="".join(ch for ch in c("mail").lower() if ch.isascii() and ch.isalnum())
        + "@example.org",
        agreement=Agreement(
            consent_date=TODAY - timedelta(days=60),
            confidentiality=c("confidentiality"),
            report_objective_status=True,
            report_competencies=True,
        ),
        programme_statistics=agreed,
        **fields,
    )


def engagement(
    store: Store, c: Canaries, *, people: list[Participant], form: Form = Form.INDIVIDUAL
) -> str:
    """An engagement with every free-text field a canary, sessions held over two
    periods, objectives, competencies (one from the referential by its French
    name) and FSAC marks."""
    common = {
        "sponsor": c("sponsor"),
        "coach": c("coachname"),
        "organisation": c("organisation"),
        "coachee_expectations": c("expect"),
        "sponsor_expectations": c("sponsorexpect"),
        "strategy": c("strategy"),
        "closing_synthesis": c("synthesis"),
        "closing_next": c("next"),
        "status": Status.ACTIVE,
        "cadence_days": 30,
    }
    if form is Form.INDIVIDUAL:
        e = Engagement(participants=people, **common)
    else:
        e = Engagement(form=form, group=c("group"), participants=people, **common)
    ef = store.create_engagement(e)
    about = [] if form is Form.INDIVIDUAL else [people[0].id]
    kinds = (
        [SessionKind.KICKOFF, SessionKind.AOI, SessionKind.AOI]
        if form is Form.INDIVIDUAL
        else [SessionKind.GROUP_KICKOFF, SessionKind.TEAM_AOI]
    )
    for n, kind in enumerate(kinds, 1):
        s = Session.planned(kind, n)
        s.held_on = TODAY - timedelta(days=100 - 25 * n)
        s.feeling = 4
        s.feeling_note = c("feeling")
        s.coachee_log = c("log")
        s.sponsor_message = c("message")
        ef.insert(s)
        ef.add_note(n, c("note"), kind=NoteKind.OBSERVATION, visibility=Visibility.SHAREABLE)
        ef.insert(Action(text=c("action"), session=n))
    ef.insert(
        Objective(
            statement=c("objective"),
            indicator=c("indicator"),
            expected_result=c("result"),
            area=Area.QUALITY,
            status=ObjectiveStatus.IN_PROGRESS,
            about=about,
        )
    )
    named = Competency(
        name="Déléguer une tâche à un collaborateur", behaviours=[c("behaviour")], about=about
    )
    typed = Competency(name=c("competency"), behaviours=[c("behaviour")], about=about)
    for comp in (named, typed):
        ef.insert(comp)
        for level, day in ((Level(1), 90), (Level(3), 10)):
            ef.insert(
                Assessment(
                    competency_id=comp.id,
                    level=level,
                    by=Assessor.COACH,
                    on=TODAY - timedelta(days=day),
                    about=about,
                )
            )
        # the person's own evaluations, a fixed choice: hot at a session's end, cold later
        for level, day, timing in ((Level(2), 40, Timing.HOT), (Level(1), 30, Timing.COLD)):
            ef.insert(
                Assessment(
                    competency_id=comp.id,
                    level=level,
                    by=Assessor.SELF,
                    timing=timing,
                    on=TODAY - timedelta(days=day),
                    about=about,
                )
            )
    return e.id


SITES = {"Lyon": "S01", "Grenoble": "S02", "Annecy": "S03"}


def build_world(template: tuple[Path, bytes, str], tmp: Path) -> dict[str, Any]:
    """A lead's store with a programme (K = 3) over three sites, two coaches who
    joined it, each with engagements full of canaries: four at Lyon, three and a
    team of five (one of whom did not agree) at Grenoble, one coachee who did
    not agree; the first coach also has the one manager of Annecy (a tiny site)."""
    from aoi_tui.store.programme_book import ProgrammeBook

    out = tmp / "out"
    out.mkdir()
    lead = tmp / "lead"
    made = json.loads(
        ok(
            aoi(
                lead,
                "programme",
                "new",
                "Culture managériale",
                *("--site", "Lyon", "--site", "Grenoble", "--site", "Annecy"),
                *("--min-group", "3", "--start", "2026-01"),
                *("-o", str(out / "programme.json"), "--json"),
                cwd=out,
            )
        )
    )
    coaches = []
    c = Canaries("")
    for i in range(2):
        root = tmp / f"coach{i}"
        store = coach_store(template, root)
        ok(aoi(root, "programme", "join", str(out / "programme.json"), cwd=out))
        ids: dict[str, list[str]] = {"Lyon": [], "Grenoble": [], "Annecy": []}
        for _ in range(4):
            ids["Lyon"].append(engagement(store, c, people=[person(c)]))
        for _ in range(3):
            ids["Grenoble"].append(engagement(store, c, people=[person(c)]))
        team = [person(c) for _ in range(4)] + [person(c, agreed=False)]
        ids["Grenoble"].append(engagement(store, c, people=team, form=Form.TEAM))
        if i == 0:
            ids["Annecy"].append(engagement(store, c, people=[person(c)]))
        ids["Lyon"].append(engagement(store, c, people=[person(c, agreed=False)]))
        book = ProgrammeBook(store)
        first = True
        for site, eids in ids.items():
            for eid in eids:
                if first:  # one through the command a coach types
                    ok(
                        aoi(
                            root,
                            "programme",
                            "enrol",
                            eid,
                            "--programme",
                            "culture managériale",
                            "--site",
                            site.lower(),
                            cwd=out,
                        )
                    )
                    first = False
                else:
                    book.enrol(made["id"], eid, SITES[site])
        coaches.append({"root": root, "store": store, "ids": ids})
    return {"out": out, "lead": lead, "programme": made, "coaches": coaches, "canaries": c}


@pytest.fixture(scope="module")
def world_once(
    store_template: tuple[Path, bytes, str], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """One world and its two feeds, for the tests that only read them."""
    w = build_world(store_template, tmp_path_factory.mktemp("programme"))
    w["feeds"] = []
    for i, coach in enumerate(w["coaches"]):
        path = w["out"] / f"feed{i}.age"
        ok(
            aoi(
                coach["root"],
                "programme",
                "feed",
                "Culture managériale",
                "-o",
                str(path),
                cwd=w["out"],
            )
        )
        w["feeds"].append(path)
    return w


def test_a_programme_from_two_coaches_stores_reveals_no_one(
    store_template: tuple[Path, bytes, str], tmp_path: Path
) -> None:
    w = build_world(store_template, tmp_path)
    out: Path = w["out"]
    feeds = []
    for i, coach in enumerate(w["coaches"]):
        shown = ok(
            aoi(coach["root"], "programme", "feed", "Culture managériale", "--show", cwd=out)
        )
        feed = json.loads(shown)
        people = sum(e["people"] for e in feed["engagements"])
        # 4 + 3 individuals, a team of 5 of whom 4 agreed, one at Annecy for the first coach;
        # the coachee who did not agree is not there
        assert people == 4 + 3 + 4 + (1 if i == 0 else 0)
        assert {
            p["competency"]
            for e in feed["engagements"]
            for q in e["participants"]
            for p in (q["competencies"] or [])
        } == {"flm-delegation"}
        assert {
            (p["start"], p["latest"], p["self_hot"], p["self_cold"])
            for e in feed["engagements"]
            for q in e["participants"]
            for p in (q["competencies"] or [])
        } == {(1, 3, 2, 1)}
        path = out / f"feed{i}.age"
        result = aoi(
            coach["root"], "programme", "feed", "Culture managériale", "-o", str(path), cwd=out
        )
        ok(result)
        sealed = path.read_text("ascii")
        assert sealed.splitlines()[0].startswith("aoi programme feed: pseudonymised personal data")
        assert "-----BEGIN AGE ENCRYPTED FILE-----" in sealed
        assert '"engagements"' not in sealed  # encrypted
        # in clear: the feed shown and the sealed file's header (its armour is age's
        # ciphertext, where three letters may turn up by chance)
        for text in (shown, sealed.partition("-----BEGIN AGE")[0]):
            assert CANARY not in text
        feeds.append(str(path))
    reports = {}
    for fmt in ("html", "md", "json", "csv"):
        target = out / f"report.{fmt}"
        ok(
            aoi(
                w["lead"],
                "programme",
                "report",
                *feeds,
                "--format",
                fmt,
                "-o",
                str(target),
                cwd=out,
            )
        )
        reports[fmt] = target.read_text("utf-8")
    for fmt, text in reports.items():
        assert CANARY not in text, fmt
    doc = json.loads(reports["json"])
    started = next(t for t in doc["tables"] if t["name"] == "started")
    rows = {r["key"] for r in started["rows"]}
    # Annecy (one person) is never a row of its own; its figures go to "other"
    assert "S03" not in rows
    grand = next(c for c in started["cells"] if c["row"] == "T" and c["column"] == "T")
    assert grand["values"] == [2 * (4 + 3 + 4) + 1, 2 * (4 + 3 + 1) + 1]
    for table in doc["tables"]:
        for cell in table["cells"]:
            assert (
                cell["values"] is None
                or cell["values"][0] == 0
                or cell["values"][0] >= 3
                or table["name"] in ("sessions", "planned", "objectives", "competencies")
            )
    # everyone is in progress: neither the full figure nor the empty one is shown
    status = next(t for t in doc["tables"] if t["name"] == "status")
    for cell in status["cells"]:
        if cell["column"] != "T":
            assert cell["values"] is None, cell
    html = reports["html"]
    assert "<svg" in html and "<script" not in html.lower() and "http-equiv" in html
    assert "suppressed" in html
    coach_keys = {
        json.loads(
            ok(aoi(c["root"], "programme", "feed", "Culture managériale", "--show", cwd=out))
        )["coach"]
        for c in w["coaches"]
    }
    for text in reports.values():
        for key in coach_keys:
            assert key not in text


def test_the_feed_schema_in_docs_is_the_one_aoi_writes() -> None:
    published = json.loads((REPO / "docs" / "programme-feed.schema.json").read_text("utf-8"))
    assert published == feed_schema(), "regenerate docs/programme-feed.schema.json"


def report_json(
    w: dict[str, Any], *feeds: Path | str, now: str = NOW
) -> subprocess.CompletedProcess[str]:
    return aoi(
        w["lead"],
        "programme",
        "report",
        *map(str, feeds),
        "--format",
        "json",
        "-o",
        "-",
        cwd=w["out"],
        now=now,
    )


def figures(doc: dict[str, Any]) -> dict[tuple[str, str, str], Any]:
    return {
        (t["name"], c["row"], c["column"]): c["values"] for t in doc["tables"] for c in t["cells"]
    }


def tampered(path: Path, out: Path, change: Any) -> Path:
    target = out / f"tampered-{len(list(out.glob('tampered-*')))}.age"
    target.write_text(change(path.read_text("ascii")), "ascii")
    return target


def test_feeds_tampered_with_or_foreign_are_refused_by_name(world_once: dict[str, Any]) -> None:
    w = world_once
    out: Path = w["out"]
    feed = w["feeds"][0]
    lines = feed.read_text("ascii").splitlines(keepends=True)
    body = lines.index("-----BEGIN AGE ENCRYPTED FILE-----\n") + 2
    flipped = tampered(
        feed,
        out,
        lambda t: t.replace(
            lines[body],
            lines[body][:10] + ("A" if lines[body][10] != "A" else "B") + lines[body][11:],
        ),
    )
    refused(report_json(w, flipped), "cannot be decrypted")
    other = tampered(feed, out, lambda t: t.replace(w["programme"]["id"], "q" * 16, 1))
    refused(report_json(w, w["feeds"][1], other), "another programme", "q" * 16)
    refused(report_json(w, other), "does not lead programme 'qqqqqqqqqqqqqqqq'")
    newer = tampered(feed, out, lambda t: t.replace("schema: 1", "schema: 2", 1))
    refused(report_json(w, newer), "schema 2", "upgrade aoi")
    # a feed whose header says this programme but which holds another's
    stranger = tmp_programme_feed(w)
    refused(report_json(w, stranger), "decrypted")
    empty = out / "empty.age"
    empty.write_bytes(b"")
    refused(report_json(w, empty), "not an aoi programme feed")
    fifo = out / "feed.fifo"
    os.mkfifo(fifo)
    refused(report_json(w, fifo), "not a regular file")
    refused(report_json(w, out / "missing.age"), "cannot be read")
    # a coach's store does not lead the programme: it cannot read a feed
    refused(
        aoi(w["coaches"][0]["root"], "programme", "report", str(feed), "-o", "-", cwd=out),
        "does not lead",
    )


def tmp_programme_feed(w: dict[str, Any]) -> Path:
    """A feed of another programme (its own lead key), relabelled as this one's."""
    out: Path = w["out"]
    other_lead = out.parent / "other-lead"
    ok(
        aoi(
            other_lead,
            "programme",
            "new",
            "Autre",
            "--site",
            "Lyon",
            "-o",
            str(out / "other.json"),
            cwd=out,
        )
    )
    coach = w["coaches"][1]["root"]
    ok(aoi(coach, "programme", "join", str(out / "other.json"), cwd=out))
    path = out / "other-feed.age"
    ok(aoi(coach, "programme", "feed", "Autre", "-o", str(path), cwd=out))
    other_id = json.loads(ok(aoi(coach, "programme", "list", "--json", cwd=out)))
    ids = [p["id"] for p in other_id if p["name"] == "Autre"]
    return tampered(path, out, lambda t: t.replace(ids[0], w["programme"]["id"], 1))


def test_a_feed_given_twice_counts_once(world_once: dict[str, Any]) -> None:
    w = world_once
    once = json.loads(ok(report_json(w, *w["feeds"], now="2026-11-21T10:00:00+00:00")))
    twice = json.loads(
        ok(report_json(w, *w["feeds"], w["feeds"][0], now="2026-11-21T10:00:00+00:00"))
    )
    assert figures(once) == figures(twice)
    grand = figures(once)[("started", "T", "T")]
    assert grand == [2 * (4 + 3 + 4) + 1, 2 * (4 + 3 + 1) + 1]


def test_a_copied_engagement_under_another_coach_is_refused() -> None:
    from aoi_tui.programme.definition import ProgrammeError
    from aoi_tui.programme.report import merge
    from tests.programme_support import world

    w = world(1, sites=2, engagements=10, coaches=2, k=3)
    (a, fa), (b, fb) = w.feeds()
    stolen = fb.model_copy(update={"engagements": (*fb.engagements, fa.engagements[0])})
    with pytest.raises(ProgrammeError, match="two coaches' feeds name the same"):
        merge([(a, fa), (b, stolen)])
    other = fa.model_copy(update={"engagements": fa.engagements[1:]})
    with pytest.raises(ProgrammeError, match="two different feeds of one coach"):
        merge([(a, fa), ("again", other)])


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda d: {**d, "min_group": 2}, ("min_group",)),
        (lambda d: {**d, "version": 9}, ("newer aoi", "upgrade aoi")),
        (lambda d: {**d, "lead_key": "age1notakey"}, ("lead_key",)),
        (lambda d: {**d, "sites": [d["sites"][0], d["sites"][0]]}, ("each site appears once",)),
        (
            lambda d: {**d, "periods": {**d["periods"], "start": "2026-01-15"}},
            ("first of a month",),
        ),
    ],
)
def test_a_damaged_programme_file_is_refused(
    world_once: dict[str, Any], tmp_path: Path, change: Any, words: tuple[str, ...]
) -> None:
    good = json.loads((world_once["out"] / "programme.json").read_text("utf-8"))
    bad = tmp_path / "programme.json"
    bad.write_text(json.dumps(change(good)), "utf-8")
    refused(aoi(tmp_path / "coach", "programme", "join", str(bad), cwd=tmp_path), *words)


def test_a_programme_file_that_is_not_one_is_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "programme.fifo"
    os.mkfifo(fifo)  # read naively, it would block until a writer came
    refused(aoi(tmp_path / "c", "programme", "join", str(fifo), cwd=tmp_path), "not a regular file")
    refused(
        aoi(tmp_path / "c", "programme", "join", str(tmp_path / "none.json"), cwd=tmp_path),
        "cannot be read",
    )
    truncated = tmp_path / "cut.json"
    truncated.write_text('{"format": "aoi-programme", "versi', "utf-8")
    refused(aoi(tmp_path / "c", "programme", "join", str(truncated), cwd=tmp_path), "not JSON")
    refused(aoi(tmp_path / "c", "programme", "join", str(tmp_path), cwd=tmp_path))
    device = tmp_path / "zero"
    try:
        os.mknod(device, 0o600 | __import__("stat").S_IFCHR, os.makedev(1, 5))
    except PermissionError:
        return
    refused(
        aoi(tmp_path / "c", "programme", "join", str(device), cwd=tmp_path), "not a regular file"
    )


def test_k_below_three_and_sites_not_in_the_list_are_refused(
    world_once: dict[str, Any], tmp_path: Path
) -> None:
    refused(
        aoi(
            tmp_path / "l",
            "programme",
            "new",
            "P",
            "--site",
            "A",
            "--min-group",
            "2",
            "-o",
            str(tmp_path / "p.json"),
            cwd=tmp_path,
        ),
        "3 to 100",
    )
    refused(
        aoi(
            tmp_path / "l",
            "programme",
            "new",
            "P",
            "--site",
            "A",
            "--site",
            "a",
            "-o",
            str(tmp_path / "p.json"),
            cwd=tmp_path,
        ),
        "named twice",
    )
    # a place refused for the file keeps no programme in the lead's book either
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    made = aoi(
        tmp_path / "l", "programme", "new", "P", "--site", "A", "-o", str(fifo), cwd=tmp_path
    )
    assert made.returncode != 0 and "Traceback" not in made.stderr
    assert made.stderr.strip().splitlines()[-1].endswith("nothing was changed")
    assert "(lead)" not in ok(aoi(tmp_path / "l", "programme", "list", cwd=tmp_path))
    coach = world_once["coaches"][0]
    eid = coach["ids"]["Lyon"][0]
    out = world_once["out"]
    refused(
        aoi(
            coach["root"],
            "programme",
            "enrol",
            eid,
            "--programme",
            "Culture managériale",
            "--site",
            "Paris",
            cwd=out,
        ),
        "no site 'Paris'",
        "Lyon, Grenoble, Annecy",
    )
    refused(
        aoi(
            coach["root"],
            "programme",
            "enrol",
            eid,
            "--programme",
            "Culture managériale",
            "--across-sites",
            cwd=out,
        ),
        "peers",
    )
    refused(
        aoi(
            coach["root"],
            "programme",
            "enrol",
            eid,
            "--programme",
            "Nope",
            "--site",
            "Lyon",
            cwd=out,
        ),
        "no programme 'Nope'",
    )


def decrypted(w: dict[str, Any], feed: Path) -> dict[str, Any]:
    docs = json.loads(
        ok(aoi(w["lead"], "programme", "decrypt", str(feed), "-o", "-", cwd=w["out"]))
    )
    assert len(docs) == 1
    doc: dict[str, Any] = docs[0]
    return doc


def test_withdrawals_and_erasures_carry_through_and_an_old_feed_is_not_replayed(
    store_template: tuple[Path, bytes, str], tmp_path: Path
) -> None:
    w = build_world(store_template, tmp_path)
    out: Path = w["out"]
    coach0 = w["coaches"][0]
    first = [out / "c0-1.age", out / "c1-1.age"]
    for coach, path in zip(w["coaches"], first, strict=True):
        ok(aoi(coach["root"], "programme", "feed", "Culture managériale", "-o", str(path), cwd=out))
    before = decrypted(w, first[0])
    ok(report_json(w, *first))
    # a day later: one coachee erased, one withdrawn, one member of the team withdraws
    later = "2026-11-21T10:00:00+00:00"
    erased, withdrawn = coach0["ids"]["Lyon"][0], coach0["ids"]["Lyon"][1]
    team = coach0["ids"]["Grenoble"][-1]
    ok(aoi(coach0["root"], "erase", erased, "--yes", cwd=out, now=later))
    # no copy of the programme book names it any more (its key, its site)
    from aoi_tui.secure.storage import decode

    root: Path = coach0["root"]
    copies = [root / "programmes.db", *(root / "backups" / "programmes.db").iterdir()]
    assert len(copies) > 2
    for copy in copies:
        if copy.is_file():
            book = decode(copy, copy.read_bytes(), coach0["store"].master, "programmes")
            assert erased not in json.dumps(book), copy
    ok(aoi(coach0["root"], "engagement", "withdraw", withdrawn, cwd=out, now=later))
    member = coach0["store"].engagement(team).engagement().participants[0].id
    ok(aoi(coach0["root"], "participant", "withdraw", team, member, cwd=out, now=later))
    second = out / "c0-2.age"
    ok(
        aoi(
            coach0["root"],
            "programme",
            "feed",
            "Culture managériale",
            "-o",
            str(second),
            cwd=out,
            now=later,
        )
    )
    after = decrypted(w, second)
    keys_before = {e["key"]: e for e in before["engagements"]}
    keys_after = {e["key"]: e for e in after["engagements"]}
    assert len(keys_after) == len(keys_before) - 1  # the erased one is gone
    gone = set(keys_before) - set(keys_after)
    assert len(gone) == 1
    out_now = [e for e in after["engagements"] if e["status"] == "withdrawn"]
    assert len(out_now) == 1 and out_now[0]["sessions"] == []
    assert all(
        p["objectives"] is None and p["competencies"] is None for p in out_now[0]["participants"]
    )
    teams = [e for e in after["engagements"] if e["form"] == "team"]
    assert [e["people"] for e in teams] == [3]
    # the latest feed of the coach replaces the earlier one, in whatever order given
    report = ok(report_json(w, second, *first, now=later))
    for key in gone:
        assert key not in report
    # an earlier report used the second feed: the first alone would bring back the erased
    refused(
        report_json(w, first[0], first[1], now="2026-11-22T10:00:00+00:00"),
        "older than this coach's feed an earlier report used",
    )
    listed = json.loads(ok(aoi(coach0["root"], "programme", "list", "--json", cwd=out)))
    [row] = [r for r in listed if r["name"] == "Culture managériale"]
    assert erased not in row["engagements"]
    assert row["last_feed"].startswith("2026-11-21")


async def test_the_feed_screen_shows_what_leaves_then_writes_it_sealed(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From the palette: at 80x24 how many engagements and people leave, then the
    feed in words (its keys, sites and figures; no canary, no raw JSON), ctrl+o
    writes it encrypted to the lead and the programme book records it."""
    from textual.command import CommandPalette
    from textual.widgets import Input, TextArea

    from aoi_tui.programme.age import new_key_pair
    from aoi_tui.programme.definition import new_programme
    from aoi_tui.screens.programme_feed import ProgrammeFeedScreen
    from aoi_tui.store.programme_book import ProgrammeBook
    from tests.tui_support import freeze, make_app, on_screen, wait_for

    freeze(monkeypatch)
    keys = new_key_pair()
    prog = new_programme("Culture", ["Lyon", "Grenoble"], keys.public, start=date(2026, 1, 1))
    book = ProgrammeBook(store)
    book.join(prog.id, prog.model_dump(mode="json"))
    c = Canaries("tui")
    eid = engagement(store, c, people=[person(c)])
    book.enrol(prog.id, eid, "S02")
    team = [person(c), person(c), person(c, agreed=False)]
    book.enrol(prog.id, engagement(store, c, people=team, form=Form.TEAM), "S01")
    app = make_app(store, demo=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette), what="palette")
        await pilot.press(*"programme feed")
        await pilot.pause(0.3)
        await pilot.press("enter")
        screen = await on_screen(pilot, ProgrammeFeedScreen)
        preview = screen.query_one("#feed-preview", TextArea)
        await wait_for(pilot, lambda: "Grenoble (S02)" in preview.text, what="preview")
        assert CANARY not in preview.text
        assert '"site"' not in preview.text  # words, not the JSON
        # the counts first, whole on the screen above the preview
        state = screen.query_one("#feed-state")
        said = str(state.render())
        assert "2 engagements and 3 people leave for the programme lead" in said
        assert state.region.y > 0 and state.region.bottom <= preview.region.y
        target = tmp_path / "feed.age"
        screen.query_one("#feed-path", Input).value = str(target)
        await pilot.press("ctrl+o")
        await wait_for(pilot, target.exists, what="feed written")
    sealed = target.read_text("ascii")
    assert "BEGIN AGE ENCRYPTED FILE" in sealed
    assert CANARY not in sealed.partition("-----BEGIN AGE")[0]
    from aoi_tui.programme.feed import open_feed

    feed = open_feed(sealed.encode("ascii"), prog, keys.secret, "feed.age")
    assert sorted(e.site or "" for e in feed.engagements) == ["S01", "S02"]
    # every key that left was in the preview: what was shown is what was written
    for e in feed.engagements:
        assert e.key in preview.text
        for p in e.participants:
            assert p.key in preview.text
    assert eid in book.feeds(prog.id)[-1]["engagements"]
    # the engagement's export log says a programme feed left, and where to
    from aoi_tui.domain.models import Audience, ExportRecord

    [record] = store.engagement(eid).all(ExportRecord)
    assert (record.audience, record.format, record.filename) == (
        Audience.PROGRAMME,
        "age",
        str(target.resolve()),
    )


async def test_the_export_screen_offers_the_programme_feed(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets import Select

    from aoi_tui.domain.models import Audience
    from aoi_tui.screens.export import ExportScreen
    from aoi_tui.screens.programme_feed import ProgrammeFeedScreen
    from tests.tui_support import demo_id, freeze, make_app, on_screen

    freeze(monkeypatch)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ExportScreen(demo_id(store)))
        screen = await on_screen(pilot, ExportScreen)
        screen.query_one("#audience", Select).value = Audience.PROGRAMME.value
        feed = await on_screen(pilot, ProgrammeFeedScreen)
        assert "No programme joined here" in str(feed.query_one("#feed-state").render())


def test_a_programme_file_with_another_lead_key_is_not_joined_again(
    world_once: dict[str, Any], tmp_path: Path
) -> None:
    """A programme file whose lead key was swapped would send every feed to whoever
    holds the new key: the coach's store refuses it."""
    from aoi_tui.programme.age import new_key_pair

    good = json.loads((world_once["out"] / "programme.json").read_text("utf-8"))
    swapped = tmp_path / "programme.json"
    swapped.write_text(json.dumps({**good, "lead_key": new_key_pair().public}), "utf-8")
    coach = world_once["coaches"][0]["root"]
    refused(aoi(coach, "programme", "join", str(swapped), cwd=tmp_path), "another lead key")
    said = ok(
        aoi(coach, "programme", "join", str(world_once["out"] / "programme.json"), cwd=tmp_path)
    )
    assert good["lead_key"] in said


async def test_the_framing_chooses_the_programme_site_from_the_list_and_the_flag(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The framing offers the sites of the programmes joined here (never a name
    typed), and the coachee's programme statistics flag, off until ticked."""
    from textual.widgets import Checkbox, Select

    from aoi_tui.programme.age import new_key_pair
    from aoi_tui.programme.definition import new_programme
    from aoi_tui.screens.framing import FramingScreen
    from aoi_tui.store.programme_book import ProgrammeBook
    from tests.test_tui_forms import framed, open_framing
    from tests.tui_support import demo_id, freeze, make_app

    freeze(monkeypatch)
    prog = new_programme(
        "Culture", ["Lyon", "Grenoble"], new_key_pair().public, start=date(2026, 1, 1)
    )
    book = ProgrammeBook(store)
    book.join(prog.id, prog.model_dump(mode="json"))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        framing: FramingScreen = await open_framing(pilot)
        choice = framing.query_one("#f-programme", Select)
        assert choice.value is Select.NULL  # in no programme until chosen
        offered = [label for label, _ in framing.query_one("#f-programme", Select)._options]
        assert any("Culture — Grenoble" in str(label) for label in offered)
        tick = framing.query_one("#a-programme_statistics", Checkbox)
        assert tick.value is False
        choice.value = f"{prog.id}|S02"
        tick.value = True
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause(0.3)
        choice.value = f"{prog.id}|*"  # a coachee alone is not a peer group across sites
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause(0.3)
    eid = demo_id(store)
    assert ProgrammeBook(store).membership(eid) == (prog.id, "S02")
    assert framed(store).participants[0].programme_statistics is True


def test_competencies_keep_their_referential_id_and_older_ones_are_matched_by_name(
    store: Store,
) -> None:
    """A competency copied from the referential keeps its id (renamed, it still
    counts); one copied before that is matched by its name in French or English
    (case and accents aside) when its engagement joins a programme; the coach's
    own matches nothing."""
    from aoi_tui.domain.referentials import referential, to_competency
    from aoi_tui.programme.sending import keep_referential_ids

    delegation = next(
        c for c in referential("fr", "first-line-manager").competencies if c.id == "flm-delegation"
    )
    kept = to_competency(delegation)
    assert kept.referential_id == "flm-delegation"
    c = Canaries("ref")
    eid = engagement(store, c, people=[person(c)])
    ef = store.engagement(eid)
    for name in (
        "DELEGUER une tache à un   collaborateur",
        "Give factual feedback to a team member",
        "Zqx our own competency",
    ):
        ef.insert(Competency(name=name))
    renamed = kept.model_copy(update={"name": "Zqx délégation, à notre façon"})
    ef.insert(renamed)
    matched = keep_referential_ids(store, eid)
    ids = {comp.name: comp.referential_id for comp in ef.competencies()}
    assert ids["DELEGUER une tache à un collaborateur"] == "flm-delegation"  # one line
    assert ids["Give factual feedback to a team member"] == "flm-feedback"
    assert ids["Zqx our own competency"] is None
    assert ids["Zqx délégation, à notre façon"] == "flm-delegation"
    assert ids["Déléguer une tâche à un collaborateur"] == "flm-delegation"  # the helper's
    assert matched == 3
    assert keep_referential_ids(store, eid) == 0  # nothing left to match, nothing written


def test_a_new_engagement_joins_a_programme_at_a_site_of_its_list(
    world_once: dict[str, Any],
) -> None:
    """`aoi engagement new ... --programme NAME --site NAME`: the site checked
    before anything is made (a refusal makes no engagement)."""
    coach = world_once["coaches"][1]
    out: Path = world_once["out"]
    before = json.loads(ok(aoi(coach["root"], "engagement", "list", "--json", cwd=out)))
    refused(
        aoi(
            coach["root"],
            "engagement",
            "new",
            "--coachee",
            "Zqx New",
            "--sponsor",
            "Zqx Boss",
            "--programme",
            "Culture managériale",
            "--site",
            "Paris",
            cwd=out,
        ),
        "no site 'Paris'",
    )
    refused(
        aoi(
            coach["root"],
            "engagement",
            "new",
            "--coachee",
            "Zqx New",
            "--sponsor",
            "Zqx Boss",
            "--site",
            "Lyon",
            cwd=out,
        ),
        "--programme",
    )
    after = json.loads(ok(aoi(coach["root"], "engagement", "list", "--json", cwd=out)))
    assert len(after) == len(before)
    eid = ok(
        aoi(
            coach["root"],
            "engagement",
            "new",
            "--coachee",
            "Zqx New",
            "--sponsor",
            "Zqx Boss",
            "--programme",
            "Culture managériale",
            "--site",
            "annecy",
            cwd=out,
        )
    ).strip()
    listed = json.loads(ok(aoi(coach["root"], "programme", "list", "--json", cwd=out)))
    [row] = [r for r in listed if r["name"] == "Culture managériale"]
    assert row["engagements"][eid] == "Annecy"


def test_age_and_the_programme_code_load_only_for_aoi_programme() -> None:
    """`aoi`'s start-up is unchanged: the parser (every command) and the App load
    neither pyrage nor the programme package; `aoi programme` loads them."""
    probe = (
        "import sys; from aoi_tui.cli import parser; parser.build_parser();"
        "import aoi_tui.screens.app;"
        "print(sorted(m for m in sys.modules if m == 'pyrage' or m.startswith('aoi_tui.programme')))"
    )
    found = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert found.stdout.strip() == "[]", found.stdout


def test_a_lost_or_damaged_programme_book_is_said_and_restored_by_the_doctor(
    world_once: dict[str, Any], tmp_path: Path
) -> None:
    """The lead's book holds the only key that reads the feeds: a book gone while
    its copies are there is an error (never an empty book over it), and `aoi
    doctor --repair` restores it, as it does a damaged register."""
    lead = tmp_path / "lead"
    shutil.copytree(world_once["lead"], lead)
    out: Path = world_once["out"]
    ok(
        aoi(
            lead,
            "programme",
            "report",
            *map(str, world_once["feeds"]),
            "-o",
            str(tmp_path / "r.html"),
            cwd=out,
        )
    )
    book = lead / "programmes.db"
    book.unlink()
    refused(aoi(lead, "programme", "list", cwd=out), "doctor")
    said = aoi(lead, "doctor", cwd=out)
    assert "programmes.db" in said.stdout + said.stderr
    ok(aoi(lead, "doctor", "--repair", cwd=out))
    [register] = (lead / "programmes").glob("*.register")
    register.write_bytes(register.read_bytes()[:-20])  # damaged
    ok(aoi(lead, "doctor", "--repair", cwd=out))
    report = aoi(
        lead,
        "programme",
        "report",
        *map(str, world_once["feeds"]),
        "--format",
        "json",
        "-o",
        "-",
        cwd=out,
        now="2026-11-21T10:00:00+00:00",
    )
    ok(report)


class Drawn:
    """Typed strings drawn by hypothesis, each remembered (as `Canaries`)."""

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts
        self.seen: list[str] = []

    def __call__(self, what: str) -> str:
        text = "ZQ" + self.texts[len(self.seen) % len(self.texts)] + str(len(self.seen))
        self.seen.append(text)
        return text


@settings(
    max_examples=int(os.environ.get("AOI_FEED_EXAMPLES", "15")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    texts=st.lists(
        st.text(
            st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs")),
            min_size=1,
            max_size=30,
        ),
        min_size=1,
        max_size=8,
    ),
    form=st.sampled_from([Form.INDIVIDUAL, Form.TEAM, Form.PEERS]),
    agreed=st.lists(st.booleans(), min_size=1, max_size=4),
)
def test_no_typed_string_reaches_a_feed_whatever_it_is(
    store: Store, texts: list[str], form: Form, agreed: list[bool]
) -> None:
    """Whatever is typed in every free-text field of an engagement (names, the
    framing, notes, actions, logs, messages, objectives, the coach's own
    competency), the feed holds none of it, nor does its sealed form; only those
    who agreed are counted."""
    from aoi_tui.programme.age import new_key_pair
    from aoi_tui.programme.definition import new_programme
    from aoi_tui.programme.feed import clear_text, seal_feed
    from aoi_tui.programme.sending import build_coach_feed
    from aoi_tui.store.programme_book import ProgrammeBook

    book = ProgrammeBook(store)
    joined = book.joined_ids()
    if joined:
        from aoi_tui.programme.definition import Programme

        prog = Programme.model_validate(book.joined(joined[0]))
        for eid in book.members(prog.id):
            book.leave(eid)
    else:
        prog = new_programme("P", ["Lyon"], new_key_pair().public, start=date(2026, 1, 1))
        book.join(prog.id, prog.model_dump(mode="json"))
    c = Drawn(texts)
    people = [person(c, agreed=a) for a in (agreed if form is not Form.INDIVIDUAL else agreed[:1])]
    if form is not Form.INDIVIDUAL and len(people) < 2:
        people.append(person(c, agreed=False))
    eid = engagement(store, c, people=people, form=form)
    book.enrol(prog.id, eid, None if form is Form.PEERS else "S01")
    feed, _ = build_coach_feed(store, prog)
    # the sealed file's clear part is its header (its armour is age's ciphertext,
    # where a short string may turn up by chance)
    header = seal_feed(feed, prog).decode("ascii").partition("-----BEGIN AGE")[0]
    from aoi_tui.screens.programme_feed import in_words, summary

    # and the feed screen's words for it (whatever the feed holds, in words)
    shown = clear_text(feed) + header + summary(feed) + in_words(feed, prog)
    for typed in c.seen:
        assert typed not in shown
    counted = sum(len(e.participants) for e in feed.engagements)
    assert counted == sum(1 for p in people if p.programme_statistics)
