"""End to end over SSH (issue 3, §4 and §6): `aoi` run over `ssh -tt` in an 80×24
tmux pane, against an OpenSSH server of the test's own on 127.0.0.1.

1. The link drops (the ssh client is SIGKILLed) while the coach is typing a note:
   reconnecting offers to resume, the saved note is listed, the draft is back.
2. The link freezes (the ssh client is SIGSTOPped, a half-open link: the remote aoi
   keeps running): the coach reconnects and resumes, which takes the session over;
   the old aoi stops writing and says so.

`./dev test` installs openssh-server, openssh-client and tmux. Under CI=true a
missing tool fails the test; elsewhere it is skipped."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from aoi_tui.live.live_session import Draft, LiveSession
from aoi_tui.secure.keyfile import KeyFile
from aoi_tui.store.store import KEYS, Store
from tests.e2e_support import (
    E2E,
    PASSPHRASE,
    Link,
    alive,
    aoi_executable,
    note_input,
    poll,
    require_tools,
    state,
)
from tests.support import REPO


class Coach:
    """One data folder with the demo engagement, and what the test checks in it."""

    def __init__(self, folder: Path) -> None:
        self.data = folder / "data"
        self.config = folder / "config"
        self.env = {
            **os.environ,
            "AOI_PASSPHRASE": PASSPHRASE,
            "AOI_CONFIG_DIR": str(self.config),
            "AOI_LANG": "en",
        }
        self.engagement = json.loads(self.cli("demo", "--json"))["id"]
        keyfile = KeyFile.load(self.data / KEYS)
        self.store = Store(self.data, keyfile, keyfile.unlock(PASSPHRASE))

    def cli(self, *args: str) -> str:
        done = subprocess.run(
            [*aoi_executable(), "--data-dir", str(self.data), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def notes(self, session: int) -> list[str]:
        """The session's notes on disk, read back by the CLI."""
        out = self.cli("note", "list", self.engagement, "--session", str(session), "--json")
        return [row["text"] for row in json.loads(out)]

    def draft(self, session: int) -> Draft | None:
        """The draft on disk (decrypted), as a resumed aoi would read it."""
        return LiveSession(self.store.engagement(self.engagement), session).load_draft()

    @property
    def lease(self) -> Path:
        return self.data / "live" / f"{self.engagement}.lease"

    def files(self) -> dict[str, tuple[int, int]]:
        """Every file of the store (locks aside), with its mtime and size."""
        return {
            str(p.relative_to(self.data)): (p.stat().st_mtime_ns, p.stat().st_size)
            for p in self.data.rglob("*")
            if p.is_file() and p.parent.name != "locks"
        }


@pytest.fixture
def e2e(tmp_path: Path) -> Iterator[E2E]:
    """sshd, tmux server, ssh clients and remote aoi processes: all ended at teardown."""
    env = E2E(tmp_path / "e2e", REPO)
    try:
        yield env
    finally:
        env.close()


def start(e2e: E2E) -> None:
    require_tools()  # in the test body, so a missing tool under CI is a failure
    e2e.sshd.start()


def new_session(link: Link) -> int:
    """From the first screen: open the demo engagement, start a session of the default kind."""
    link.wait_for("Camille")
    link.keys("Enter")
    link.wait_for("Objectives")  # the engagement screen
    link.keys("n")
    link.wait_for("What kind of session?")
    link.keys("Enter")
    screen = link.wait_for("Next note:")
    match = re.search(r"AOI session (\d+)", screen)
    assert match, screen
    return int(match.group(1))


def saved(link: Link, text: str) -> str:
    """Wait until the note list shows `text` saved (no note left "saving…")."""
    return poll(
        lambda: s if text in (s := link.screen()) and "saving…" not in s else None,
        10,
        lambda: f"{text!r} never shown as saved:\n{link.screen()}",
    )


def type_draft(coach: Coach, link: Link, session: int, text: str) -> None:
    """Type the start of a note (no Enter) and wait until that draft is on disk."""
    link.type(text)
    poll(
        lambda: note_input(link.screen()) == text, 10, lambda: f"draft not typed:\n{link.screen()}"
    )
    poll(
        lambda: (d := coach.draft(session)) is not None and d.text == text,
        10,
        lambda: f"the draft on disk is {coach.draft(session)!r}, not {text!r}",
    )
    assert text.encode() not in (coach.data / "drafts" / f"{coach.engagement}.draft").read_bytes()


def resume(link: Link, draft: str, question: str = "A session was running") -> str:
    screen = link.wait_for(question)
    assert "Camille" in screen
    link.keys("Enter")
    return poll(
        lambda: s if note_input(s := link.screen()) == draft else None,
        15,
        lambda: f"the draft {draft!r} is not back in the input:\n{link.screen()}",
    )


def test_dropped_link_resumes_with_the_saved_note_and_the_draft(e2e: E2E, tmp_path: Path) -> None:
    start(e2e)
    coach = Coach(tmp_path / "coach")
    first = e2e.connect("first", coach.data, coach.config)
    number = new_session(first)

    note = "note one, saved before the drop"
    first.type(note)
    first.keys("Enter")
    saved(first, note)
    draft = "draft two, typed when the li"
    type_draft(coach, first, number, draft)

    os.kill(first.client, signal.SIGKILL)  # the link drops in the middle of a note
    poll(
        lambda: not alive(first.remote),
        10,
        lambda: f"aoi still runs on the server after its link dropped ({state(first.remote)})",
    )
    assert coach.lease.exists()  # what makes the next start offer to resume

    second = e2e.connect("second", coach.data, coach.config)
    screen = resume(second, draft)
    assert note in screen
    assert coach.notes(number) == [note]

    # the coach goes on typing where the draft stopped, and saves the whole note
    second.type("nk dropped")
    second.keys("Enter")
    saved(second, "draft two, typed when the link dropped")
    assert coach.notes(number) == [note, "draft two, typed when the link dropped"]
    poll(
        lambda: (d := coach.draft(number)) is None or not d.text,
        5,
        "the draft of a saved note is still on disk",
    )
    second.keys("C-q")
    poll(lambda: not alive(second.remote), 10, "aoi did not quit on ctrl+q")


def test_frozen_link_is_taken_over_and_the_old_aoi_stops_writing(e2e: E2E, tmp_path: Path) -> None:
    start(e2e)
    coach = Coach(tmp_path / "coach")
    old = e2e.connect("old", coach.data, coach.config)
    number = new_session(old)

    note = "note one, before the freeze"
    old.type(note)
    old.keys("Enter")
    saved(old, note)
    draft = "draft two, half-typed"
    type_draft(coach, old, number, draft)

    os.kill(old.client, signal.SIGSTOP)  # a half-open link: the server side runs on
    poll(lambda: state(old.client) == "T", 5, "the ssh client did not stop")
    assert alive(old.remote)

    new = e2e.connect("new", coach.data, coach.config)
    # the old aoi still runs (frozen): said so, and the take-over offered in those words
    screen = resume(new, draft, question="Another aoi runs this session")
    assert note in screen
    new.type(" and finished here")
    new.keys("Enter")
    second_note = "draft two, half-typed and finished here"
    saved(new, second_note)
    assert coach.notes(number) == [note, second_note]
    assert json.loads(coach.lease.read_text())["pid"] == new.remote
    assert alive(old.remote), "the old aoi was expected to run on (a half-open link)"

    # the frozen link comes back: the old aoi says it was taken over, and writes nothing
    assert state(old.client) == "T", "the ssh client was thawed before its time"
    before = coach.files()
    os.kill(old.client, signal.SIGCONT)
    screen = poll(
        # the toast may show first; wait for the banner too
        lambda: (
            s if "RESUMED IN ANOTHER" in (s := old.screen()) and "no longer saves" in s else None
        ),
        10,
        lambda: f"the old aoi does not say it was taken over:\n{old.screen()}",
    )
    assert "no longer saves" in screen
    assert note_input(screen) == draft  # its text stays on screen, read-only
    old.type("typed in the old window")
    old.keys("Enter", "F2")  # F2 (sponsor-safe view) answers once the keys before it ran
    old.wait_for("Sponsor-safe view")
    # quitting runs every write still queued: once the old aoi is gone, anything
    # those keys could have written is on disk (a condition, not a delay)
    old.keys("C-q")
    poll(lambda: not alive(old.remote), 15, "the old aoi did not quit on ctrl+q")
    assert coach.files() == before
    assert coach.notes(number) == [note, second_note]
    assert json.loads(coach.lease.read_text())["pid"] == new.remote


SLOW_LINK = [sys.executable, str(REPO / "tests" / "slow_link.py"), "0.05", "0.3", "--"]


def test_bursts_over_a_slow_link_land_whole_once_in_order(e2e: E2E, tmp_path: Path) -> None:
    """Issue 10: the keys reach the server in bursts cut anywhere (50-300 ms apart),
    notes, F4 and Enter inside them: each note lands whole, once, in order."""
    start(e2e)
    coach = Coach(tmp_path / "coach")
    link = e2e.connect("slow", coach.data, coach.config, through=SLOW_LINK)
    number = new_session(link)
    notes = [
        "Première note, prise vite",
        "Deuxième : l'équipe a réagi 😀",
        "Troisième, partageable",
        "Quatrième — la dernière avant le brouillon",
    ]
    for i, text in enumerate(notes):
        link.type(text)
        if i == 2:
            link.keys("F4")
        link.keys("Enter")
    link.type("brouillon en cours")
    poll(
        lambda: coach.notes(number) == notes or None,
        30,
        lambda: f"notes on disk {coach.notes(number)!r}:\n{link.screen()}",
    )
    saved = coach.store.engagement(coach.engagement).notes(number)
    assert [n.visibility.value for n in saved] == ["private", "private", "shareable", "private"]
    poll(
        lambda: (d := coach.draft(number)) is not None and d.text == "brouillon en cours",
        15,
        lambda: f"the draft on disk is {coach.draft(number)!r}",
    )
