"""`aoi` in a real pseudo-terminal (a tmux pane of the test's own), fed the way
a real terminal feeds it: bytes in chunks, several keys per write, pastes,
resizes. Pilot presses one key and waits for the app to be idle; a slow SSH
link, a paste or a fast typist does not, and that is where notes were lost.

The test reads what was saved from the store itself (decrypted in the test
process), never from the screen alone."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from aoi_tui.domain.models import Note
from aoi_tui.live.live_session import Draft, LiveSession
from aoi_tui.secure.keyfile import KeyFile
from aoi_tui.store.store import KEYS, Store
from tests.e2e_support import PASSPHRASE, Tmux, aoi_executable, poll, require_tools

ENTER = b"\r"
F3 = b"\x1bOR"
F4 = b"\x1bOS"
CTRL_U = b"\x15"


@dataclass
class Chunk:
    """Bytes written to the terminal at once, then a pause before the next chunk."""

    data: bytes
    pause: float = 0.0


class TerminalAoi:
    """aoi on a data folder of its own with the demo engagement, in an 80x24 tmux pane."""

    def __init__(
        self,
        folder: Path,
        name: str = "aoi",
        env: dict[str, str] | None = None,
        prepare: Callable[[TerminalAoi], None] | None = None,
    ) -> None:
        """`prepare` fills the store before aoi starts."""
        require_tools()
        self.data = folder / "data"
        self.config = folder / "config"
        self.name = name
        self.env = {
            **os.environ,
            "AOI_PASSPHRASE": PASSPHRASE,
            "AOI_CONFIG_DIR": str(self.config),
            "AOI_LANG": "en",
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        }
        self.env.pop("NO_COLOR", None)
        self.engagement = json.loads(self.cli("demo", "--json"))["id"]
        keyfile = KeyFile.load(self.data / KEYS)
        self.store = Store(self.data, keyfile, keyfile.unlock(PASSPHRASE))
        if prepare is not None:
            prepare(self)
        self.tmux = Tmux()
        pane_env = {
            "AOI_PASSPHRASE": PASSPHRASE,
            "AOI_LANG": "en",
            "AOI_CONFIG_DIR": str(self.config),
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
            "TERM": "xterm-256color",
            **(env or {}),
        }
        command = " ".join(
            [
                "exec env",
                *(f"{k}={shlex.quote(v)}" for k, v in pane_env.items()),
                *map(shlex.quote, aoi_executable()),
                "--data-dir",
                shlex.quote(str(self.data)),
            ]
        )
        self.tmux.new(name, command)

    # -- the store -------------------------------------------------------------------------

    def cli(self, *args: str) -> str:
        done = subprocess.run(
            [*aoi_executable(), "--data-dir", str(self.data), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def notes(self, session: int) -> list[Note]:
        return self.store.engagement(self.engagement).notes(session)

    def draft(self, session: int) -> Draft | None:
        return LiveSession(self.store.engagement(self.engagement), session).load_draft()

    # -- the terminal ----------------------------------------------------------------------

    def screen(self) -> str:
        return self.tmux.screen(self.name)

    def wait_for(self, text: str, timeout: float = 20) -> str:
        return self.tmux.wait_for(self.name, text, timeout)

    def keys(self, *keys: str) -> None:
        self.tmux.keys(self.name, *keys)

    def write(self, *chunks: Chunk) -> None:
        """Each chunk in one tmux command (one write to the pane), back to back
        when a chunk has no pause."""
        for chunk in chunks:
            if chunk.data:
                done = self.tmux.run(
                    "send-keys", "-t", self.name, "-H", *chunk.data.hex(" ").split()
                )
                assert done.returncode == 0, done.stderr
            if chunk.pause:
                time.sleep(chunk.pause)

    def burst(self, data: bytes) -> None:
        """All of `data` in one tmux command: the app reads it in one go."""
        self.write(Chunk(data))

    def paste(self, text: str) -> None:
        """A bracketed paste, as a terminal sends it when the app asked for them."""
        assert self.tmux.run("set-buffer", "-b", "aoi-test", "--", text).returncode == 0
        done = self.tmux.run("paste-buffer", "-p", "-d", "-b", "aoi-test", "-t", self.name)
        assert done.returncode == 0, done.stderr

    def resize(self, width: int, height: int) -> None:
        done = self.tmux.run("resize-window", "-t", self.name, "-x", str(width), "-y", str(height))
        assert done.returncode == 0, done.stderr

    def alive(self) -> bool:
        out = self.tmux.run("list-panes", "-t", self.name, "-F", "#{pane_dead}").stdout
        return out.strip() == "0"

    def close(self) -> None:
        self.tmux.kill_server()

    # -- a coach's moves -----------------------------------------------------------------------

    def new_session(self) -> int:
        """From the first screen: open the demo engagement, start an AOI session."""
        self.wait_for("Camille")
        self.keys("Enter")
        self.wait_for("Objectives")
        self.keys("n")
        self.wait_for("What kind of session?")
        self.keys("Enter")
        screen = self.wait_for("Next note:")
        match = re.search(r"AOI session (\d+)", screen)
        assert match, screen
        return int(match.group(1))

    def settled(self, session: int, count: int, timeout: float = 20) -> list[Note]:
        """Wait until the session holds `count` notes and none shows "saving…"."""
        return poll(
            lambda: (
                notes
                if len(notes := self.notes(session)) >= count and "saving…" not in self.screen()
                else None
            ),
            timeout,
            lambda: f"{len(self.notes(session))} notes saved, {count} expected:\n{self.screen()}",
        )

    def draft_is(self, session: int, text: str, timeout: float = 10) -> Draft | None:
        def check() -> tuple[Draft | None] | None:
            draft = self.draft(session)
            return (draft,) if (draft.text if draft else "") == text else None

        return poll(
            check,
            timeout,
            lambda: f"draft on disk {self.draft(session)!r}, expected {text!r}:\n{self.screen()}",
        )[0]
