"""The store's programme book: the programmes this store leads (with the lead's
secret age key) or has joined (with this coach's random key and the random
per-programme keys of its engagements and people), and each led programme's
register of published reports. Encrypted with the master key like the index,
written durably under its own lock, backed up after every write (a lost lead key
would leave every feed unreadable).

    DATA/programmes.db                       the book (file id "programmes")
    DATA/programmes/<programme id>.register  what each report published (file id "register-<id>")

The book holds no typed text of an engagement: programme files are the lead's,
keys are random."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any, Protocol

from aoi_tui.domain.ids import new_id
from aoi_tui.secure.durable import StoreWriteError, ensure_private_dir
from aoi_tui.secure.storage import EncryptedStorage, FileCache, StoreFileError, decode, encode
from aoi_tui.store import backups


class Host(Protocol):
    """What the book needs of the store (the `Store`): the store imports this
    module when an engagement is erased, never the other way round."""

    @property
    def root(self) -> Path: ...
    @property
    def master(self) -> bytes: ...
    @property
    def cache(self) -> FileCache: ...
    @property
    def backups(self) -> backups.Backups: ...
    def lock(self, name: str) -> contextlib.AbstractContextManager[None]: ...


BOOK = "programmes.db"
BOOK_ID = "programmes"
REGISTERS = "programmes"


def book_files(root: Path) -> list[tuple[Path, str]]:
    """The book (if there is one, or was one: a copy of it is kept) and the
    registers present in the store at `root`, with their file ids: for `aoi
    doctor`, which restores a damaged or lost one from its copies (a lost book is
    a lead key lost, and every feed to it unreadable)."""
    book = root / BOOK
    found = [(book, BOOK_ID)] if book.exists() or (root / "backups" / BOOK).is_dir() else []
    folder = root / REGISTERS
    kept = root / "backups"  # a file's copies are in backups/<its name>/
    names = {p.name for p in folder.glob("*.register")} if folder.is_dir() else set()
    names |= {p.name for p in kept.glob("*.register") if p.is_dir()} if kept.is_dir() else set()
    found += [
        (folder / name, f"register-{name.removesuffix('.register')}") for name in sorted(names)
    ]
    return found


class ProgrammeBook:
    def __init__(self, store: Host) -> None:
        self.store = store
        self.path = store.root / BOOK
        # no book yet is an empty book; a book gone while its copies are there is an
        # error (`aoi doctor --repair` restores it), never a new book over the old
        kept = store.backups.folder_for(self.path).is_dir()
        self._storage = EncryptedStorage(
            self.path, store.master, BOOK_ID, store.cache, missing_ok=not kept
        )

    # -- reading and writing ------------------------------------------------------

    def read(self) -> dict[str, Any]:
        data = self._storage.read() or {}
        data.setdefault("led", {})
        data.setdefault("joined", {})
        return data

    def _write(self, data: dict[str, Any]) -> None:
        """Under the book's lock."""
        blob = self._storage.flush(data)
        self.store.backups.keep_latest(self.path, blob)
        with contextlib.suppress(StoreWriteError):  # saved: a full disk here is not a failure
            self.store.backups.keep(self.path, every_write=True)

    # -- a programme this store leads -------------------------------------------

    def lead(self, programme_id: str, programme: dict[str, Any], secret: str) -> None:
        with self.store.lock(BOOK_ID):
            data = self.read()
            if programme_id in data["led"]:
                raise ValueError(f"this store already leads programme {programme_id}")
            data["led"][programme_id] = {"programme": programme, "secret": secret}
            self._write(data)

    def led(self, programme_id: str) -> tuple[dict[str, Any], str] | None:
        entry = self.read()["led"].get(programme_id)
        if entry is None:
            return None
        return dict(entry["programme"]), str(entry["secret"])

    # -- a programme this store has joined ----------------------------------------

    def join(self, programme_id: str, programme: dict[str, Any]) -> tuple[str, bool]:
        """Record the programme (or its newer file); returns this coach's random key
        for it and whether it was joined just now."""
        with self.store.lock(BOOK_ID):
            data = self.read()
            entry = data["joined"].get(programme_id)
            fresh = entry is None
            if entry is None:
                entry = {"coach": new_id(16), "keys": {}}
            elif entry["programme"].get("lead_key") != programme.get("lead_key"):
                # feeds would go to whoever holds the new key: never silently
                raise ValueError(
                    f"programme {programme_id} was joined with another lead key "
                    f"({entry['programme'].get('lead_key')}); this file says "
                    f"{programme.get('lead_key')}: ask the programme lead, then leave the "
                    "old programme's engagements and join again under a new programme"
                )
            entry["programme"] = programme
            data["joined"][programme_id] = entry
            self._write(data)
            return str(entry["coach"]), fresh

    def joined(self, programme_id: str) -> dict[str, Any] | None:
        entry = self.read()["joined"].get(programme_id)
        return None if entry is None else dict(entry["programme"])

    def joined_ids(self) -> list[str]:
        return sorted(self.read()["joined"])

    def coach_key(self, programme_id: str) -> str:
        entry = self.read()["joined"].get(programme_id)
        if entry is None:
            raise KeyError(programme_id)
        return str(entry["coach"])

    def keys(self, programme_id: str, local_ids: list[str]) -> dict[str, str]:
        """The random per-programme key of each local id (an engagement's or a
        person's id in this store), drawn the first time and kept: a feed names
        the same engagement with the same key every time, and nothing derives it
        from the store's ids. One write for all the new ones."""
        with self.store.lock(BOOK_ID):
            data = self.read()
            entry = data["joined"].get(programme_id)
            if entry is None:
                raise KeyError(programme_id)
            keys: dict[str, str] = entry["keys"]
            taken = set(keys.values())
            new = False
            for local in local_ids:
                if local not in keys:
                    key = new_id(16)
                    while key in taken:
                        key = new_id(16)
                    keys[local] = key
                    taken.add(key)
                    new = True
            if new:
                self._write(data)
            return {local: keys[local] for local in local_ids}

    # -- which engagements are in which joined programme -------------------------

    def enrol(self, programme_id: str, engagement_id: str, site: str | None) -> str | None:
        """Put the engagement in the programme at `site` (a code of the programme
        file, checked by the caller; None: a peer group across sites). An
        engagement is in one programme at most: returns the id of the one it
        leaves for this, if any."""
        with self.store.lock(BOOK_ID):
            data = self.read()
            if programme_id not in data["joined"]:
                raise KeyError(programme_id)
            left = None
            for pid, entry in data["joined"].items():
                members = entry.setdefault("engagements", {})
                if engagement_id in members and pid != programme_id:
                    del members[engagement_id]
                    left = pid
            data["joined"][programme_id].setdefault("engagements", {})[engagement_id] = site
            self._write(data)
            return left

    def leave(self, engagement_id: str) -> str | None:
        """Take the engagement out of its programme; the programme's id, or None."""
        with self.store.lock(BOOK_ID):
            data = self.read()
            for pid, entry in data["joined"].items():
                if engagement_id in entry.get("engagements", {}):
                    del entry["engagements"][engagement_id]
                    self._write(data)
                    return str(pid)
            return None

    def membership(self, engagement_id: str) -> tuple[str, str | None] | None:
        """(programme id, site code or None) of the engagement, or None."""
        for pid, entry in self.read()["joined"].items():
            members = entry.get("engagements", {})
            if engagement_id in members:
                return str(pid), members[engagement_id]
        return None

    def members(self, programme_id: str) -> dict[str, str | None]:
        """Engagement id -> site code (None: across sites) of a joined programme."""
        entry = self.read()["joined"].get(programme_id)
        if entry is None:
            raise KeyError(programme_id)
        return dict(entry.get("engagements", {}))

    def log_feed(self, programme_id: str, at: str, filename: str, engagements: list[str]) -> None:
        """A feed written: when, where, which engagements it covered."""
        with self.store.lock(BOOK_ID):
            data = self.read()
            entry = data["joined"][programme_id]
            entry.setdefault("feeds", []).append(
                {"at": at, "file": filename, "engagements": sorted(engagements)}
            )
            self._write(data)

    def feeds(self, programme_id: str) -> list[dict[str, Any]]:
        entry = self.read()["joined"].get(programme_id) or {}
        return list(entry.get("feeds", []))

    def forget(self, local_ids: set[str]) -> list[Path]:
        """Drop the keys and memberships of erased engagements (with their people's
        keys) and people, in the book and in every copy of it: a later feed does
        not name them, so the lead's next report counts them out. Returns the
        copies removed (a damaged one cannot be rewritten)."""
        with self.store.lock(BOOK_ID):
            data = self.read()
            if _without(data, local_ids):
                self._write(data)

            def change(raw: bytes) -> bytes | None:
                try:
                    copy = decode(self.path, raw, self.store.master, BOOK_ID)
                except StoreFileError:
                    return None  # deciphered in part still: it goes
                if not _without(copy, local_ids):
                    return raw
                return encode(copy, self.store.master, BOOK_ID)

            return self.store.backups.rewrite_all(self.path, change)

    # -- the register of a led programme ------------------------------------------

    def register_path(self, programme_id: str) -> Path:
        return self.store.root / REGISTERS / f"{programme_id}.register"

    def _register(self, programme_id: str) -> EncryptedStorage:
        path = self.register_path(programme_id)
        # a register gone while its copies are there: the next report would be
        # checked against less than was published; `aoi doctor --repair` restores it
        kept = self.store.backups.folder_for(path).is_dir()
        return EncryptedStorage(
            path,
            self.store.master,
            f"register-{programme_id}",
            self.store.cache,
            missing_ok=not kept,
        )

    def register(self, programme_id: str) -> list[dict[str, Any]]:
        """What earlier reports of the programme published, oldest first."""
        data = self._register(programme_id).read() or {}
        reports: list[dict[str, Any]] = data.get("reports", [])
        return reports

    def add_to_register(self, programme_id: str, report: dict[str, Any]) -> None:
        ensure_private_dir(self.store.root / REGISTERS)
        storage = self._register(programme_id)
        with self.store.lock(f"register-{programme_id}"):
            data = storage.read() or {"reports": []}
            data["reports"].append(report)
            blob = storage.flush(data)
            self.store.backups.keep_latest(storage.path, blob)
            with contextlib.suppress(StoreWriteError):
                self.store.backups.keep(storage.path, every_write=True)


def _without(data: dict[str, Any], local_ids: set[str]) -> bool:
    """`data` (the book's contents) without the local ids given; whether it changed."""
    changed = False
    for entry in data.get("joined", {}).values():
        # a person's local id is "<engagement id>/<participant id>"
        keys = entry.get("keys", {})
        for local in [k for k in keys if k in local_ids or k.split("/")[0] in local_ids]:
            del keys[local]
            changed = True
        members = entry.get("engagements", {})
        for local in local_ids & set(members):
            del members[local]
            changed = True
        for logged in entry.get("feeds", []):
            kept = [e for e in logged["engagements"] if e not in local_ids]
            if kept != logged["engagements"]:
                logged["engagements"] = kept
                changed = True
    return changed
