"""One engagement's file: typed reads and writes of its records.

Each write takes the engagement's lock, re-reads the file if another process
changed it, applies the change and writes the file durably; when a method
returns, the change is on disk. `batch()` groups several changes into one
write. A file of an older file version is upgraded whole before anything reads
or writes it, under the same lock, and written back (`migrations.upgrade_file`)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol, TypeVar

from tinydb import TinyDB, where

from aoi_tui.domain.models import (
    STORED,
    Action,
    Assessment,
    Competency,
    Engagement,
    Note,
    NoteKind,
    Objective,
    Record,
    Role,
    Session,
    SessionKind,
    Tool,
    Visibility,
)
from aoi_tui.secure.storage import EncryptedStorage, FileCache, StoreFileError
from aoi_tui.store.backups import Backups
from aoi_tui.store.migrations import TooNew, file_is_current, new_file, upgrade, upgrade_file

R = TypeVar("R", bound=Record)


class Host(Protocol):
    """What an engagement file needs of the store that holds it (the `Store`): the
    store imports this module, never the other way round."""

    @property
    def root(self) -> Path: ...
    @property
    def cache(self) -> FileCache: ...
    @property
    def backups(self) -> Backups: ...
    def lock(self, name: str) -> contextlib.AbstractContextManager[None]: ...
    def refresh_summary(self, engagement_id: str) -> object: ...


def load_record(cls: type[R], doc: dict[str, Any], path: Path) -> R:
    """A stored record, upgraded to this aoi's schema (`migrations.upgrade`) and
    validated as stored (`STORED`); StoreFileError naming `path` otherwise."""
    try:
        return cls.model_validate(upgrade(cls.table, doc), context=STORED)
    except TooNew as exc:
        # Not a ValueError: without this it escaped as an unexpected error
        # that named no file.
        raise StoreFileError(path, str(exc)) from exc
    except ValueError as exc:
        raise StoreFileError(path, f"a {cls.table} record does not validate: {exc}") from exc


class EngagementFile:
    def __init__(
        self, store: Host, engagement_id: str, path: Path, key: bytes, *, new: bool = False
    ) -> None:
        self.store = store
        self.id = engagement_id
        self.path = path
        # Only a new engagement's first write may create its file. Read as empty,
        # a missing file (deleted, or erased by another aoi) would take a note
        # into a new file holding that note alone, whose copy would replace the
        # copy of everything saved before: it is an error instead.
        self.storage = EncryptedStorage(path, key, engagement_id, store.cache, missing_ok=new)
        self._depth = 0
        self._thread_lock = threading.RLock()  # the TUI saves from a worker thread

    # -- plumbing -----------------------------------------------------------------

    def _db(self) -> TinyDB:
        # A fresh TinyDB each time: it caches the next integer id per process.
        storage = self.storage
        return TinyDB(storage=lambda: storage)

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """One lock and one durable write for several changes."""
        with self._thread_lock, self.store.lock(self.id):
            if self._depth == 0:
                # Read before backing up: a damaged file raises here, instead of
                # a copy of it pushing a good backup out of the rotation. The
                # backup keeps the file as it was before an upgrade.
                held = self._at_file_version(self.storage.read())
                self.store.backups.keep(self.path)
                self.storage.held = held
            self._depth += 1
            try:
                yield
                if self._depth == 1 and self.storage.held is not None:
                    held, self.storage.held = self.storage.held, None
                    written = self.storage.flush(held)
                    self.storage.missing_ok = False
                    # The state just saved, for a repair: the rotating backups
                    # are older and would drop this write.
                    self.store.backups.keep_latest(self.path, written)
            except BaseException:
                # TinyDB changed the cached dict in place: forget it, re-read the disk.
                self.storage.cache.drop(self.path)
                raise
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self.storage.held = None

    def stamp(self) -> object:
        """A value that changes at every write of this file, by any process: while it
        is equal, what was read from the file still holds (nothing to read again)."""
        with self._thread_lock:
            return self.storage.signature()

    def _at_file_version(self, data: dict[str, Any] | None) -> dict[str, Any]:
        """The file's contents as this aoi writes them: a new file with its file
        version, an older one upgraded (a copy), a newer one refused."""
        if data is None:
            return new_file()
        try:
            return upgrade_file(data) or data
        except TooNew as exc:
            raise StoreFileError(self.path, str(exc)) from exc

    def _data(self) -> dict[str, Any]:
        """The file's contents, for reading. An older file is upgraded first (an
        empty `batch()` does it and writes it back). Checked at every read, not
        once: `aoi doctor --repair` may restore a copy taken before an upgrade."""
        with self._thread_lock:
            data = self.storage.read()
            if data is None:
                return {}
            try:
                current = file_is_current(data)
            except TooNew as exc:
                raise StoreFileError(self.path, str(exc)) from exc
            if not current:
                with self.batch():
                    pass
                data = self.storage.read() or {}
            return data

    def _rows(self, table: str) -> list[dict[str, Any]]:
        with self._thread_lock:
            return [dict(d) for d in self._data().get(table, {}).values()]

    def raw_rows(self, table: str) -> list[dict[str, Any]]:
        """The stored documents as they are, for fast read-only scans (search).
        Callers must not change them: they are the cached file contents."""
        with self._thread_lock:
            return list(self._data().get(table, {}).values())

    def _load(self, cls: type[R], doc: dict[str, Any]) -> R:
        return load_record(cls, doc, self.path)

    def all(self, cls: type[R]) -> list[R]:
        return [self._load(cls, d) for d in self._rows(cls.table)]

    def get(self, cls: type[R], record_id: str) -> R:
        for doc in self._rows(cls.table):
            if doc.get("id") == record_id:
                return self._load(cls, doc)
        raise KeyError(f"no {cls.table} record {record_id}")

    def insert(self, record: Record) -> None:
        with self.batch():
            self._db().table(record.table).insert(record.model_dump(mode="json"))

    def update(self, record: Record) -> None:
        with self.batch():
            table = self._db().table(record.table)
            if not table.update(record.model_dump(mode="json"), where("id") == record.id):
                raise KeyError(f"no {record.table} record {record.id}")

    def delete(self, cls: type[Record], record_id: str) -> None:
        with self.batch():
            if not self._db().table(cls.table).remove(where("id") == record_id):
                raise KeyError(f"no {cls.table} record {record_id}")

    # -- the engagement -----------------------------------------------------------

    def engagement(self) -> Engagement:
        rows = self._rows(Engagement.table)
        if not rows:
            raise StoreFileError(self.path, "holds no engagement")
        return self._load(Engagement, rows[0])

    def save_engagement(self, engagement: Engagement) -> None:
        self.update(engagement)
        self.store.refresh_summary(self.id)

    # -- sessions -----------------------------------------------------------------

    def sessions(self) -> list[Session]:
        return sorted(self.all(Session), key=lambda s: s.number)

    def session(self, number: int) -> Session:
        for s in self.sessions():
            if s.number == number:
                return s
        raise KeyError(f"no session {number}")

    def new_session(self, kind: SessionKind, targets: dict[str, int] | None = None) -> Session:
        with self.batch():
            number = max((s.number for s in self.sessions()), default=0) + 1
            session = Session.planned(kind, number, targets)
            self.insert(session)
        self.store.refresh_summary(self.id)
        return session

    # -- notes and actions ----------------------------------------------------------

    def notes(self, session: int | None = None) -> list[Note]:
        notes = self.all(Note)
        if session is not None:
            notes = [n for n in notes if n.session == session]
        return sorted(notes, key=lambda n: n.created_at)

    def add_note(
        self,
        session: int,
        text: str,
        *,
        phase: str | None = None,
        role: Role | None = None,
        kind: NoteKind = NoteKind.OBSERVATION,
        visibility: Visibility = Visibility.PRIVATE,
    ) -> Note:
        s = self.session(session)
        if phase is None:
            phase = s.phase_ids[0]
        elif phase not in s.phase_ids:
            raise ValueError(
                f"phase {phase!r} is not a phase of a {s.kind.value} session "
                f"({', '.join(s.phase_ids)})"
            )
        note = Note(
            session=session, phase=phase, text=text, role=role, kind=kind, visibility=visibility
        )
        if not note.text.strip():
            raise ValueError("a note needs some text")
        self.insert(note)
        return note

    def actions(self, session: int | None = None) -> list[Action]:
        actions = self.all(Action)
        if session is not None:
            actions = [a for a in actions if a.session == session]
        return sorted(actions, key=lambda a: a.created_at)

    # -- framing and FSAC -------------------------------------------------------------

    def objectives(self) -> list[Objective]:
        return self.all(Objective)

    def competencies(self) -> list[Competency]:
        return self.all(Competency)

    def all_assessments(self) -> list[Assessment]:
        # Same day: the hot mark (end of session) comes before a cold one (weeks later).
        return sorted(
            self.all(Assessment), key=lambda a: (a.on, a.timing.value != "hot", a.session or 0)
        )

    def tools(self) -> list[Tool]:
        return self.all(Tool)
