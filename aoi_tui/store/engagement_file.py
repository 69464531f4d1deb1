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

from aoi_tui.config.i18n import t
from aoi_tui.domain.models import (
    STORED,
    Action,
    Assessment,
    Competency,
    Engagement,
    Note,
    NoteKind,
    Objective,
    Participant,
    Record,
    Role,
    Session,
    SessionKind,
    Tool,
    Visibility,
)
from aoi_tui.domain.participants import case_bringer_refused, name_taken
from aoi_tui.domain.vocabulary import session_kinds_for
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


def load_engagement(data: dict[str, Any], path: Path) -> Engagement:
    """The engagement of a file's contents, with its participants (their own
    table, read with it: `Engagement.participants`), each upgraded as stored."""
    rows = list(data.get(Engagement.table, {}).values())
    if not rows:
        raise StoreFileError(path, "holds no engagement")
    people = [
        load_record(Participant, doc, path) for doc in data.get(Participant.table, {}).values()
    ]
    doc = dict(rows[0])
    if people:  # an engagement record of before participants carries its coachee
        doc["participants"] = people
    return load_record(Engagement, doc, path)


def stored_docs(record: Record) -> list[tuple[str, dict[str, Any]]]:
    """The documents a record is stored as, with their table: one, but an
    engagement's participants each have their own, in their own table."""
    if isinstance(record, Engagement):
        return [
            (Engagement.table, record.model_dump(mode="json", exclude={"participants"})),
            *((Participant.table, p.model_dump(mode="json")) for p in record.participants),
        ]
    return [(record.table, record.model_dump(mode="json"))]


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
            db = self._db()
            for table, doc in stored_docs(record):
                db.table(table).insert(doc)

    def update(self, record: Record) -> None:
        """Write `record` over its stored self. An engagement writes its
        participants too, each over its own row; a participant is added only by
        `add_participant` and removed only by an erasure: an engagement read
        before someone was erased, saved after, never brings them back."""
        with self.batch():
            db = self._db()
            (table, doc), *others = stored_docs(record)
            if not db.table(table).update(doc, where("id") == record.id):
                raise KeyError(f"no {record.table} record {record.id}")
            for table, doc in others:
                db.table(table).update(doc, where("id") == doc["id"])

    def add_participant(self, participant: Participant) -> Engagement:
        """Add a participant to a group, checked with the engagement as it is
        on disk (ValueError: an individual engagement, a name already there, an
        N+1 among the participants). Returns the engagement with them."""
        with self.batch():
            engagement = self.engagement()
            if engagement.individual:
                raise ValueError(t("participant.individual_has_one"))
            if name_taken(engagement.participants, participant.name):
                raise ValueError(t("participant.already_there", name=participant.name))
            engagement.participants = [*engagement.participants, participant]
            self.insert(participant)
        self.store.refresh_summary(self.id)
        return engagement

    def delete(self, cls: type[Record], record_id: str) -> None:
        with self.batch():
            if not self._db().table(cls.table).remove(where("id") == record_id):
                raise KeyError(f"no {cls.table} record {record_id}")

    # -- the engagement -----------------------------------------------------------

    def engagement(self) -> Engagement:
        """The engagement, with its participants."""
        with self._thread_lock:
            return load_engagement(self._data(), self.path)

    def participants(self) -> list[Participant]:
        return self.engagement().participants

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

    def new_session(
        self,
        kind: SessionKind,
        targets: dict[str, int] | None = None,
        *,
        participant: str | None = None,
        attendance: list[str] | None = None,
        case_bringer: str | None = None,
    ) -> Session:
        """A new session of `kind`; in a group, with one `participant` (a
        one-to-one) or with the group (`attendance`: who came; a peer session's
        `case_bringer`). ValueError for a kind the engagement cannot hold, or a
        case-bringer who never consented or withdrew."""
        with self.batch():
            engagement = self.engagement()
            if kind not in session_kinds_for(engagement.form):
                kinds = ", ".join(k.value for k in session_kinds_for(engagement.form))
                form = engagement.form.value
                raise ValueError(
                    t("group_cli.kind_not_held", form=form, kind=kind.value, kinds=kinds)
                )
            known = {p.id for p in engagement.participants}
            for pid in [participant, case_bringer, *(attendance or [])]:
                if pid is not None and pid not in known:
                    raise ValueError(f"{pid} is not a participant of this engagement")
            number = max((s.number for s in self.sessions()), default=0) + 1
            session = Session.planned(kind, number, targets)
            bringer = engagement.member(case_bringer) if case_bringer else None
            refused = case_bringer_refused(bringer, session.held_on) if bringer else None
            if refused:  # the case's notes would be about someone who did not agree
                raise ValueError(refused)
            if bringer and attendance is not None and bringer.id not in attendance:
                # the request, the contract and the action plan are theirs, said in the room
                raise ValueError(t("participant.case_bringer_absent", name=bringer.name))
            session.participant = participant
            session.attendance = attendance
            session.case_bringer = case_bringer
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
        about: list[str] | None = None,
    ) -> Note:
        """A note of `session`; `about` says whom it concerns (in a group: by
        default the session's participant, a peer case's bringer, or the group:
        `concerns.default_about`)."""
        s = self.session(session)
        if phase is None:
            phase = s.phase_ids[0]
        elif phase not in s.phase_ids:
            raise ValueError(
                f"phase {phase!r} is not a phase of a {s.kind.value} session "
                f"({', '.join(s.phase_ids)})"
            )
        if about is None:
            from aoi_tui.domain.concerns import default_about

            about = default_about(self.engagement(), s, phase)
        note = Note(
            session=session,
            phase=phase,
            text=text,
            role=role,
            kind=kind,
            visibility=visibility,
            about=about,
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
