"""A session being run: its draft and who holds it.

- The draft (what is in the note input, with its kind, role and visibility)
  is saved encrypted as it is typed, so a crash or a dropped SSH link loses no
  character. It lives in `DATA/drafts/<engagement id>.draft`.
- A lease (`DATA/live/<engagement id>.lease`: a random token and a pid, no
  personal data) says which process runs the session. Resuming elsewhere takes
  the lease over; the old process sees it is no longer the holder, stops
  writing and says so."""

from __future__ import annotations

import contextlib
import json
import os
import socket
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from aoi_tui.domain import clock
from aoi_tui.domain.ids import new_id
from aoi_tui.domain.vocabulary import NoteKind, Role, Visibility
from aoi_tui.secure.durable import Sync, ensure_private_dir, write_atomic
from aoi_tui.secure.storage import StoreFileError, decode, encode

if TYPE_CHECKING:
    from aoi_tui.domain.models import Session
    from aoi_tui.store.engagement_file import EngagementFile


class TakenOver(Exception):
    """Another aoi took this session over; this one must stop writing."""

    def __init__(self, holder: dict[str, object] | None) -> None:
        pid = holder.get("pid") if holder else "?"
        host = holder.get("host") if holder else "?"
        super().__init__(
            f"this session was resumed by another aoi (pid {pid} on {host}); "
            "this window no longer saves"
        )


@dataclass
class Draft:
    session: int
    phase: str
    text: str = ""
    kind: str = NoteKind.OBSERVATION.value
    visibility: str = Visibility.PRIVATE.value
    role: str | None = None
    saved_at: str = ""
    chosen: list[str] | None = None
    """A group's: whom the coach chose with ctrl+r ([GROUP] or a participant's id);
    None: the session's default (a draft written before it has none)."""


class LiveSession:
    def __init__(self, ef: EngagementFile, session_number: int) -> None:
        self.ef = ef
        self.number = session_number
        root = ef.store.root
        self.draft_path = root / "drafts" / f"{ef.id}.draft"
        self.lease_path = root / "live" / f"{ef.id}.lease"
        self.token = new_id(16)
        self.lost = False

    # -- the lease ------------------------------------------------------------------

    def take(self) -> None:
        """Hold the session from now on (a resumed session takes it over)."""
        ensure_private_dir(self.lease_path.parent)
        lease = {
            "token": self.token,
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "session": self.number,
            "at": clock.now().isoformat(),
        }
        # No personal data, rewritten at each resume: fsync is enough (durable.Sync).
        write_atomic(self.lease_path, json.dumps(lease).encode(), sync=Sync.PLAIN)
        self.lost = False

    def holder(self) -> dict[str, object] | None:
        try:
            value = json.loads(self.lease_path.read_bytes())
        except (OSError, ValueError):
            return None
        return value if isinstance(value, dict) else None

    def check(self) -> None:
        """Raise TakenOver when another process holds the session now."""
        holder = self.holder()
        if holder is not None and holder.get("token") != self.token:
            self.lost = True
            raise TakenOver(holder)

    def release(self) -> None:
        holder = self.holder()
        if holder is not None and holder.get("token") == self.token:
            with contextlib.suppress(OSError):
                self.lease_path.unlink()

    # -- writes that go through the lease ------------------------------------------------

    def save_session(self, session: Session) -> None:
        self.check()
        self.ef.update(session)

    def save_draft(self, draft: Draft) -> None:
        self.check()
        if not self.ef.path.exists():
            # erased (or lost) meanwhile: no draft named after it comes back
            raise StoreFileError(self.ef.path, "missing")
        draft.saved_at = clock.now().isoformat()
        ensure_private_dir(self.draft_path.parent)
        data = encode(asdict(draft), self.ef.storage.key, f"draft:{self.ef.id}")
        # Saved on every key: fsync, not macOS's full sync of the drive (durable.Sync).
        write_atomic(self.draft_path, data, sync=Sync.PLAIN)

    def clear_draft(self) -> None:
        self.check()
        with contextlib.suppress(FileNotFoundError):
            self.draft_path.unlink()

    def load_draft(self) -> Draft | None:
        if not self.draft_path.exists():
            return None
        try:
            raw = decode(
                self.draft_path,
                self.draft_path.read_bytes(),
                self.ef.storage.key,
                f"draft:{self.ef.id}",
            )
            draft = Draft(**raw)
        except (OSError, StoreFileError, TypeError):
            return None
        return draft if draft.session == self.number else None


def open_session(ef: EngagementFile) -> Session | None:
    """The session started and not finished, if any (the one to resume)."""
    running = [s for s in ef.sessions() if s.started_at and not s.ended_at]
    return running[-1] if running else None


def draft_exists(root: Path, engagement_id: str) -> bool:
    return (root / "drafts" / f"{engagement_id}.draft").exists()


__all__ = [
    "Draft",
    "Holder",
    "LiveSession",
    "Role",
    "TakenOver",
    "draft_exists",
    "held_here",
    "open_session",
    "other_holder",
]


@dataclass(frozen=True)
class Holder:
    """Another aoi that holds an engagement's live session now."""

    pid: int
    host: str
    since: str
    """When it took the session (ISO date and time), as its lease says."""
    here: bool
    """On this machine, and seen running (perhaps frozen: a link that dropped); when
    False, it runs on another machine and whether it still runs cannot be told."""


def other_holder(root: Path, engagement_id: str) -> Holder | None:
    """The other aoi that runs this engagement's session now, if any: its lease names
    a process of another machine, or one that still runs here. None when the lease is
    missing, this process's own, or left by an aoi that stopped (a crash)."""
    try:
        lease = json.loads((root / "live" / f"{engagement_id}.lease").read_bytes())
        pid, host = int(lease["pid"]), str(lease["host"])
    except (OSError, ValueError, TypeError, KeyError):
        return None
    since = str(lease.get("at", ""))
    if host != socket.gethostname():
        return Holder(pid, host, since, here=False)
    if pid == os.getpid() or not _aoi_runs(pid):
        return None
    return Holder(pid, host, since, here=True)


def held_here(root: Path, engagement_id: str, number: int) -> bool:
    """Whether this process runs session `number` of the engagement live now: its lease
    names this process (not ended, which releases it; not resumed by another aoi,
    which takes it)."""
    try:
        lease = json.loads((root / "live" / f"{engagement_id}.lease").read_bytes())
        return bool(
            lease["pid"] == os.getpid()
            and lease["host"] == socket.gethostname()
            and lease["session"] == number
        )
    except (OSError, ValueError, TypeError, KeyError):
        return False


def _aoi_runs(pid: int) -> bool:
    """Whether `pid` runs on this machine and, where /proc tells, is an aoi (a pid
    reused by another program after a crash is not one)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # runs, under another user
    except OSError:
        return False
    proc = Path("/proc") / str(pid)
    if not proc.is_dir():
        return True  # no /proc (macOS): the signal said it runs
    try:
        state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
        command = (proc / "cmdline").read_bytes()
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X") and b"aoi" in command


def live_engagements(root: Path) -> list[str]:
    """Engagements whose session was live when an aoi stopped (lease left behind)."""
    folder = root / "live"
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("*.lease"))
