"""The CLI contract (issue 2, section 5), through real `aoi` processes.

Each call pays one key derivation (~0.1 s), so assertions are grouped per call."""

from __future__ import annotations

import argparse
import json
import os
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest

from aoi_tui.cli import parser as cli
from aoi_tui.domain.models import Engagement, SessionKind
from aoi_tui.store.store import Store
from tests.cli_support import run_aoi
from tests.support import FIXED_NOW

NOTE_FIELDS = {"id", "session", "phase", "role", "kind", "visibility", "validated", "text"}


def aoi(
    env: dict[str, str],
    data_dir: Path,
    *args: str,
    stdin: str = "",
    cwd: Path | None = None,
    process: bool = False,
) -> subprocess.CompletedProcess[str]:
    # stdin a pipe: never the terminal pytest runs in
    # a file written under its default name lands in the test's folder, not the repository
    return run_aoi(
        ["--data-dir", str(data_dir), *args],
        env,
        stdin=stdin,
        cwd=cwd or data_dir.parent,
        process=process,
    )


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def ok_json(result: subprocess.CompletedProcess[str]) -> Any:
    return json.loads(ok(result))


def fails(result: subprocess.CompletedProcess[str], *words: str) -> str:
    """Non-zero, one short line on stderr starting with "aoi:", no traceback."""
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert line.startswith("aoi: "), line
    assert len(line) <= 300, line
    for word in words:
        assert word in line, line
    return line


@pytest.fixture
def env(cli_env: dict[str, str]) -> dict[str, str]:
    return {**cli_env, "AOI_NOW": FIXED_NOW}


# -- the whole contract, in the order a coach meets it -----------------------------------------


def test_engagement_lifecycle_through_the_cli(
    store: Store, env: dict[str, str], tmp_path: Path
) -> None:
    data = store.root
    created = ok_json(
        aoi(
            env,
            data,
            "engagement",
            "new",
            "--coachee",
            "Camille Martin",
            "--sponsor",
            "Marc Dubois",
            "--coach",
            "Claire Moreau",
            "--format",
            "coaching",
            "--sessions",
            "10",
            "--json",
        )
    )
    assert set(created) == {"id"} and isinstance(created["id"], str)
    eid = created["id"]
    prefix = eid[:5]  # the only engagement: any prefix is unique

    rows = ok_json(aoi(env, data, "engagement", "list", "--json"))
    assert isinstance(rows, list) and len(rows) == 1
    row = rows[0]
    assert {"id", "coachee", "sponsor", "status"} <= set(row)
    assert (row["id"], row["coachee"], row["sponsor"], row["status"]) == (
        eid,
        "Camille Martin",
        "Marc Dubois",
        "framing",
    )
    assert row["planned_sessions"] == 10

    assert ok_json(aoi(env, data, "session", "new", prefix, "--json")) == {"number": 1}
    assert ok_json(aoi(env, data, "session", "new", prefix, "--kind", "aoi", "--json")) == {
        "number": 2
    }

    shareable = ok_json(
        aoi(
            env,
            data,
            "note",
            "add",
            prefix,
            "--session",
            "2",
            "--phase",
            "field",
            "--role",
            "mirror",
            "--kind",
            "success",
            "--shareable",
            "--json",
            "Briefing tenu en dix minutes",
        )
    )
    assert set(shareable) == {"id"}
    # `-` reads standard input (kept out of shell history); it is cleaned on the way in.
    private = ok_json(
        aoi(
            env,
            data,
            "note",
            "add",
            prefix,
            "--session",
            "2",
            "--json",
            "-",
            stdin="Tension avec Julien\r\n\tsur les \x1b[31mcongés\x1b[0m\n",
        )
    )
    coaching = ok_json(
        aoi(env, data, "note", "add", eid, "--session", "1", "--json", "Note de séance coaching")
    )

    notes = ok_json(aoi(env, data, "note", "list", prefix, "--json"))
    assert isinstance(notes, list) and len(notes) == 3
    for n in notes:
        assert set(n) == NOTE_FIELDS
    by_id = {n["id"]: n for n in notes}
    assert by_id[shareable["id"]] == {
        "id": shareable["id"],
        "session": 2,
        "phase": "field",
        "role": "mirror",
        "kind": "success",
        "visibility": "shareable",
        "validated": False,
        "text": "Briefing tenu en dix minutes",
    }
    assert by_id[private["id"]] == {
        "id": private["id"],
        "session": 2,
        "phase": "review",  # the first phase of an AOI session
        "role": None,
        "kind": "observation",
        "visibility": "private",
        "validated": False,
        "text": "Tension avec Julien\n\tsur les congés",  # trailing newline stripped
    }
    assert by_id[coaching["id"]]["phase"] == "opening"  # the first phase of a coaching session

    assert ok_json(aoi(env, data, "note", "validate", prefix, shareable["id"], "--json")) == {
        "id": shareable["id"],
        "validated": True,
    }
    fails(aoi(env, data, "note", "validate", prefix, private["id"]), "private")
    session_2 = ok_json(aoi(env, data, "note", "list", prefix, "--session", "2", "--json"))
    assert {n["id"]: n["validated"] for n in session_2} == {
        shareable["id"]: True,
        private["id"]: False,
    }

    out = tmp_path / "out"
    out.mkdir()
    fails(aoi(env, data, "export", prefix, "--shared", cwd=out), "consent")
    assert list(out.iterdir()) == []

    consent = ok_json(
        aoi(env, data, "engagement", "consent", prefix, "--date", "2026-01-05", "--json")
    )
    assert consent == {"id": eid, "status": "active"}

    report = ok(aoi(env, data, "export", prefix, "--shared", "-o", "-"))
    assert report.startswith("# ")
    assert "Briefing tenu en dix minutes" in report
    assert "Julien" not in report
    assert "Note de séance" not in report and "Mirror" not in report

    doc = ok_json(aoi(env, data, "export", prefix, "--shared", "--format", "json", "-o", "-"))
    assert doc["format"] == "aoi-shared-report"
    assert [n["text"] for n in doc["notes"]] == ["Briefing tenu en dix minutes"]
    assert doc["agreement"]["consent_date"] == "2026-01-05"
    assert "Julien" not in json.dumps(doc, ensure_ascii=False)

    written = aoi(env, data, "export", prefix, "--confidential", "--format", "html", cwd=out)
    assert ok(written) == ""
    expected = out / f"aoi-{eid[:8]}-confidential-2026-11-23.html"
    assert list(out.iterdir()) == [expected]
    assert str(expected.name) in written.stderr and len(written.stderr.splitlines()) == 1
    assert stat.S_IMODE(expected.stat().st_mode) == 0o600
    page = expected.read_text("utf-8")
    assert "Tension avec Julien" in page and "Briefing tenu" in page

    closed = ok_json(aoi(env, data, "engagement", "close", prefix, "--json"))
    assert closed == {"id": eid, "status": "closed"}
    # A closed engagement can still have follow-up sessions.
    assert ok_json(aoi(env, data, "session", "new", prefix, "--json")) == {"number": 3}
    # Closed is the end: there is nothing left to withdraw from.
    refused = aoi(env, data, "engagement", "withdraw", prefix, "--json")
    assert refused.returncode == 1 and refused.stderr == "aoi: this engagement is already closed\n"
    rows = ok_json(aoi(env, data, "engagement", "list", "--json"))
    assert [(r["id"], r["status"], r["sessions_held"]) for r in rows] == [(eid, "closed", 3)]

    erased = ok_json(aoi(env, data, "erase", prefix, "--yes", "--json"))
    assert erased["id"] == eid and erased["erased"] is True
    assert not (data / "engagements" / f"{eid}.db").exists()
    assert ok_json(aoi(env, data, "engagement", "list", "--json")) == []
    fails(aoi(env, data, "note", "list", eid), eid)


def test_demo_twice_creates_one_engagement(cli_env: dict[str, str], tmp_path: Path) -> None:
    data = tmp_path / "fresh"  # no store yet: `aoi demo` creates it
    first = aoi(cli_env, data, "demo", "--json")
    made = ok_json(first)
    assert made["created"] is True and isinstance(made["id"], str)
    assert "Recovery code" in first.stderr  # shown once, at creation
    again = aoi(cli_env, data, "demo", "--json")
    assert ok_json(again) == {"id": made["id"], "created": False}
    assert "Recovery code" not in again.stderr
    rows = ok_json(aoi(cli_env, data, "engagement", "list", "--json"))
    # the demo, a second, closed one that shows the end of the arc, and a team's; nothing twice
    assert sorted((r["coachee"], r["demo"], r["status"]) for r in rows) == [
        ("Camille Lefèvre (démo)", True, "active"),
        ("Julien Martin (démo)", True, "closed"),
        ("Équipe ligne 2 (démo)", True, "active"),
    ]
    assert made["id"] in [r["id"] for r in rows]


def test_engagement_id_prefixes(store: Store, env: dict[str, str]) -> None:
    for eid in ("abcd00000001", "abcd00000002", "wxyz00000003"):
        store.create_engagement(Engagement(id=eid, coachee="Camille", sponsor="Marc"))
    data = store.root
    fails(aoi(env, data, "session", "new", "abcd"), "abcd", "2")  # ambiguous: matches two
    fails(aoi(env, data, "session", "new", "zzzz"), "zzzz")  # unknown
    assert ok_json(aoi(env, data, "session", "new", "wx", "--json")) == {"number": 1}
    assert ok_json(aoi(env, data, "note", "list", "ABCD00000002", "--json")) == []
    assert [s.sessions_held for s in store.list_engagements() if s.id.startswith("abcd")] == [0, 0]


def test_an_engagement_created_with_its_consent_is_active(
    store: Store, env: dict[str, str]
) -> None:
    data = store.root
    ok(aoi(env, data, "engagement", "new", "--coachee", "Léa", "--sponsor", "Marc", "--consent-date", "2026-11-01"))  # fmt: skip
    ok(aoi(env, data, "engagement", "new", "--coachee", "Zoé", "--sponsor", "Marc"))
    rows = ok_json(aoi(env, data, "engagement", "list", "--json"))
    assert {r["coachee"]: r["status"] for r in rows} == {"Léa": "active", "Zoé": "framing"}


# -- bad input: one short line, never a traceback ------------------------------------------------


def test_bad_input_gives_one_short_line(store: Store, env: dict[str, str], tmp_path: Path) -> None:
    ef = store.create_engagement(Engagement(coachee="Camille", sponsor="Marc"))
    ef.new_session(SessionKind.AOI)
    data, e = store.root, ef.id

    fails(
        aoi(env, data, "engagement", "new", "--coachee", "A", "--sponsor", "B", "--consent-date",
            "2026-02-30"),
        "2026-02-30",
    )  # fmt: skip
    fails(aoi(env, data, "engagement", "new", "--coachee", " \t", "--sponsor", "B"), "name")
    fails(aoi(env, data, "note", "add", e, "--session", "1", "--phase", "lunch", "x"), "lunch")
    fails(aoi(env, data, "note", "add", e, "--session", "1", "  \n "), "text")
    fails(aoi(env, data, "note", "add", e, "--session", "1", "-", stdin="\x1b[2J\r\n"), "text")
    fails(aoi(env, data, "note", "add", e, "--session", "9", "x"), "9")
    fails(aoi(env, data, "note", "validate", e, "nosuchnote"), "nosuchnote")
    fails(aoi(env, data, "engagement"))  # a usage error: one line too, not argparse's block
    assert ef.notes() == []  # nothing half-written

    no_store = tmp_path / "nothing-here"
    fails(aoi(env, no_store, "note", "list", e), "no aoi store")
    fails(aoi(env, no_store), "terminal")  # `aoi` with no terminal: the TUI cannot start
    assert not (no_store / "keys.json").exists()

    locked = {k: v for k, v in env.items() if k != "AOI_PASSPHRASE"}
    fails(aoi(locked, data, "note", "list", e), "AOI_PASSPHRASE")


# -- help ------------------------------------------------------------------------------------


def _commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [path]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += _commands(sub, (*path, name))
    return found


def test_every_command_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    commands = _commands(cli.build_parser())
    table = {
        ("demo",),
        ("engagement", "new"),
        ("engagement", "list"),
        ("engagement", "consent"),
        ("engagement", "close"),
        ("engagement", "withdraw"),
        ("session", "new"),
        ("note", "add"),
        ("note", "list"),
        ("note", "validate"),
        ("export",),
        ("erase",),
        ("passphrase",),
        ("keyring",),
        ("doctor",),
    }
    assert table <= set(commands)
    for command in commands:
        with pytest.raises(SystemExit) as exit_info:
            cli.main([*command, "--help"])
        assert exit_info.value.code == 0, command
        out = capsys.readouterr().out
        assert out.startswith(f"usage: {' '.join(('aoi', *command))}"), out
    # Every leaf command of the table prints JSON on request, except export (--format).
    parser = cli.build_parser()
    for command in table - {("export",)}:
        assert "--json" in _leaf(parser, command).format_help(), command


def _leaf(parser: argparse.ArgumentParser, command: tuple[str, ...]) -> argparse.ArgumentParser:
    for name in command:
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        parser = sub.choices[name]
    return parser


def test_help_in_a_real_process(tmp_path: Path) -> None:
    env = {**os.environ, "AOI_DATA_DIR": str(tmp_path / "none")}
    for args in (["--help"], ["note", "add", "--help"]):
        result = aoi(env, tmp_path / "none", *args)
        assert ok(result).startswith("usage: aoi")
        assert result.stderr == ""
    assert not (tmp_path / "none").exists()  # help creates nothing
