"""What an erased engagement leaves behind, with nothing that names anyone: its
coaching hours (the coach's credential counts them: day, minutes, individual or
a group's size, paid or pro bono) and the calendar UIDs of its planned sessions
(so that the next `aoi calendar` cancels them in a subscribed calendar).

    DATA/after_erasure.db     encrypted with the master key (file id "after_erasure")

No name, no contact, no place, no text, no engagement id: a row cannot be tied
back to the person (the UIDs are random, made by aoi)."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
from pathlib import Path
from typing import Any, Protocol

from aoi_tui.secure.durable import StoreWriteError
from aoi_tui.secure.storage import EncryptedStorage, FileCache, StoreFileError
from aoi_tui.store import backups

FILE = "after_erasure.db"
FILE_ID = "after_erasure"
FILE_VERSION = 1


class Host(Protocol):
    @property
    def root(self) -> Path: ...
    @property
    def master(self) -> bytes: ...
    @property
    def cache(self) -> FileCache: ...
    @property
    def backups(self) -> backups.Backups: ...
    def lock(self, name: str) -> contextlib.AbstractContextManager[None]: ...


class AfterErasure:
    def __init__(self, store: Host) -> None:
        self.store = store
        self.path = store.root / FILE
        # none yet is empty; gone while its copies are there is an error (a repair
        # restores it), never a new file over the old
        kept = store.backups.folder_for(self.path).is_dir()
        self._storage = EncryptedStorage(
            self.path, store.master, FILE_ID, store.cache, missing_ok=not kept
        )

    def read(self) -> dict[str, Any]:
        """{"hours": [...], "cancelled": [...]}; StoreFileError when damaged or newer."""
        data = self._storage.read() or {}
        if int(data.get("_file", 1)) > FILE_VERSION:
            raise StoreFileError(self.path, "written by a newer aoi: upgrade aoi to read it")
        return {"hours": list(data.get("hours", [])), "cancelled": list(data.get("cancelled", []))}

    def keep(self, hours: dict[str, Any] | None, cancelled: list[dict[str, Any]]) -> None:
        """Add one erased engagement's anonymous hours and cancelled events (once:
        an erasure run again after one cut short adds nothing)."""
        if hours is None and not cancelled:
            return
        with self.store.lock(FILE_ID):
            data = self.read()
            if hours is not None and all(h.get("key") != hours["key"] for h in data["hours"]):
                data["hours"].append(hours)
            known = {c.get("uid") for c in data["cancelled"]}
            data["cancelled"] += [c for c in cancelled if c["uid"] not in known]
            blob = self._storage.flush({"_file": FILE_VERSION, **data})
            # copies as the supervision log keeps them: what `aoi doctor --repair` restores
            self.store.backups.keep_latest(self.path, blob)
            with contextlib.suppress(StoreWriteError):
                self.store.backups.keep(self.path, every_write=True)


def keep_before_erasure(store: Any, engagement_id: str) -> None:
    """Called by `Store.erase` before the file goes: the engagement's hours as an
    anonymous row, its planned sessions as UIDs to cancel. A file that cannot be
    read leaves nothing (the erasure goes on: erasing comes first)."""
    from aoi_tui.config.settings import SettingsError, load_settings
    from aoi_tui.domain.hours import DEFAULT_LEFT_OUT, session_hours
    from aoi_tui.domain.planning import PlannedSession

    try:
        ef = store.engagement(engagement_id)
        engagement = ef.engagement()
        sessions = ef.sessions()
        planned = ef.all(PlannedSession)
    except Exception:  # damaged, missing, erased before: nothing to keep
        return
    try:
        left_out = load_settings().hours_left_out
    except SettingsError:
        left_out = None
    hours = session_hours(engagement, sessions, DEFAULT_LEFT_OUT if left_out is None else left_out)
    row = {
        # the same erasure twice is one row; only the master key ties it to the id
        "key": hmac.new(store.master, engagement_id.encode(), hashlib.sha256).hexdigest()[:32],
        "pro_bono": engagement.pro_bono,
        "sessions": [
            {
                "on": h.on.isoformat(),
                "minutes": h.minutes,
                "estimated": h.estimated,
                "size": h.group_size,
            }
            for h in hours
        ],
    }
    cancelled = [
        {
            "uid": p.id,
            "on": p.on.isoformat(),
            "at": p.at.isoformat(timespec="minutes") if p.at else None,
            "zone": p.zone,
            "minutes": p.minutes,
        }
        for p in planned
    ]
    # a damaged file or a full disk: the erasure goes on, the row is not kept
    with contextlib.suppress(StoreFileError, StoreWriteError):
        AfterErasure(store).keep(row if hours else None, cancelled)


def after_erasure_files(root: Path) -> list[tuple[Path, str]]:
    """The file, if there is one or a copy says there was one: for `aoi doctor`."""
    path = root / FILE
    kept = (root / "backups" / FILE).is_dir()
    return [(path, FILE_ID)] if path.exists() or kept else []


__all__ = ["FILE", "FILE_ID", "AfterErasure", "after_erasure_files", "keep_before_erasure"]
