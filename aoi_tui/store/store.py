"""The store: a data folder holding the key file, a small encrypted index of
engagements, and one encrypted TinyDB file per engagement.

    DATA/keys.json              wrapped master key, wrapped data keys (no personal data)
    DATA/index.db               engagement summaries, for the first screen
    DATA/engagements/<id>.db    everything about one engagement
    DATA/backups/               rotating copies of the above (still encrypted)
    DATA/locks/                 short locks around each read-modify-write

Saving a note rewrites one engagement's file only, so its cost does not grow
with the number of engagements."""

from __future__ import annotations

import contextlib
import dataclasses
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from tinydb import TinyDB, where

from aoi_tui.domain.vocabulary import Status, counts_as_held
from aoi_tui.secure.durable import StoreWriteError, ensure_private_dir
from aoi_tui.secure.keyfile import KeyFile
from aoi_tui.secure.storage import (
    EncryptedStorage,
    FileCache,
    StoreFileError,
    decode,
    decrypt,
    encode,
)
from aoi_tui.store import backups

if TYPE_CHECKING:
    # The models (pydantic) load on first use, after the first screen is up.
    from aoi_tui.domain.models import Engagement
    from aoi_tui.store.engagement_file import EngagementFile

KEYS = "keys.json"
INDEX = "index.db"
INDEX_ID = "index"
QUARANTINE = "quarantine"
LOCK_TIMEOUT_S = 15.0

T = TypeVar("T")


class StoreError(Exception):
    """A problem the coach can act on; the message says what and where."""


class NoSuchEngagement(StoreError):
    pass


class StoreBusy(StoreError):
    pass


class KeyFileMissing(StoreError):
    """The folder holds a store whose key file is gone: nothing may create a new
    one over it (the engagements would be lost for good); `aoi doctor --repair`
    restores it from its backups."""

    def __init__(self, root: Path) -> None:
        super().__init__(
            f"the key file is missing from {root}, which still holds a store (engagement "
            "files, index, backups): run `aoi doctor --repair` to restore it from its "
            "backups (aoi never creates a new key over a store)"
        )


class IndexNotUpdated(StoreError):
    """The engagement is saved; only its line in the list of engagements (the
    index, a summary of the engagement's own file) could not be rewritten."""

    def __init__(self, cause: Exception) -> None:
        super().__init__(
            f"saved, but the list of engagements could not be updated ({cause}); "
            "`aoi doctor --repair` rebuilds it"
        )
        self.cause = cause


@contextlib.contextmanager
def file_lock(root: Path, name: str, reuse: dict[str, Any] | None = None) -> Iterator[None]:
    """The lock of `name` (keys, index, or an engagement id) in the store at `root`,
    shared by every process; `reuse` keeps one instance per name (re-entrancy)."""
    # filelock loads on the first write, not at start-up (the first screen only reads)
    from filelock import FileLock, Timeout

    lock = reuse.get(name) if reuse is not None else None
    if lock is None:
        ensure_private_dir(root / "locks")
        lock = FileLock(root / "locks" / f"{name}.lock", timeout=LOCK_TIMEOUT_S, mode=0o600)
        if reuse is not None:
            reuse[name] = lock
    try:
        with lock:
            yield
    except Timeout:
        raise StoreBusy(
            f"the store in {root} is busy (another aoi is writing); try again"
        ) from None


@dataclasses.dataclass(frozen=True, kw_only=True)
class EngagementSummary:
    """What the first screen shows, without opening every engagement. A plain
    dataclass (no pydantic): the first screen appears before the models load."""

    id: str
    coachee: str
    sponsor: str
    coach: str = ""
    format: str
    status: str
    planned_sessions: int
    sessions_held: int = 0
    last_session: date | None = None
    next_session: date | None = None
    cadence_days: int = 21
    created_at: datetime
    demo: bool = False
    ended_on: date | None = None  # closed or withdrawn on
    # collective engagements (issue 13): a row written before them has neither,
    # and was an individual engagement's, with its one coachee
    form: str = "individual"
    participants: int = 1
    access_due: date | None = None  # the nearest deadline of an open access request
    # sessions still planned, "YYYY-MM-DD HH:MM" in their zone ("YYYY-MM-DD": no hour)
    planned: list[str] = dataclasses.field(default_factory=list)

    _DATES: ClassVar[tuple[str, ...]] = (
        "last_session",
        "next_session",
        "ended_on",
        "access_due",
    )

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> EngagementSummary:
        known = {f.name for f in dataclasses.fields(cls)}
        values = {k: v for k, v in doc.items() if k in known}
        for name in cls._DATES:
            if values.get(name):
                values[name] = date.fromisoformat(values[name])
        values["created_at"] = datetime.fromisoformat(values["created_at"])
        return cls(**values)

    def to_doc(self) -> dict[str, Any]:
        doc = dataclasses.asdict(self)
        for name in (*self._DATES, "created_at"):
            if doc[name] is not None:
                doc[name] = doc[name].isoformat()
        return doc

    def retention_due(self, today: date, retention_days: int | None) -> bool:
        """A closed or withdrawn engagement kept longer than the retention period:
        listed for the coach's review, never erased without asking."""
        if retention_days is None or self.ended_on is None:
            return False
        return (today - self.ended_on).days > retention_days

    def cadence_overdue(self, today: date) -> int:
        """Days past the agreed cadence since the last session (0 when on time)."""
        if self.status not in (Status.ACTIVE, Status.FRAMING) or self.last_session is None:
            return 0
        return max(0, (today - self.last_session).days - self.cadence_days)


def planned_days(ef: EngagementFile) -> list[str]:
    """The engagement's sessions still planned, for the first screen's week."""
    from aoi_tui.domain.planning import PlannedSession

    return sorted(
        f"{p.on.isoformat()} {p.at.isoformat(timespec='minutes')}" if p.at else p.on.isoformat()
        for p in ef.all(PlannedSession)
        if p.active
    )


def store_exists(root: Path) -> bool:
    """Is there a store in `root`? False only for a folder that holds none, so a
    new one may be created there; KeyFileMissing when it holds engagement files,
    the index or key-file backups, but not the key file itself."""
    if (root / KEYS).exists():
        return True
    if store_present(root):
        raise KeyFileMissing(root)
    return False


def store_present(root: Path) -> bool:
    """Does `root` hold a store, whole or not (what `aoi doctor` may look at)?"""
    if (root / KEYS).exists() or (root / INDEX).exists():
        return True
    return any((root / "engagements").glob("*.db")) or any((root / "backups" / KEYS).glob("*.bak"))


class Store:
    """An unlocked store. Construct with `Store.create` or `unlock.open_store`."""

    def __init__(self, root: Path, keyfile: KeyFile, master: bytes) -> None:
        self.root = root
        self.keyfile = keyfile
        self.master = master
        self.cache = FileCache()
        self.backups = backups.Backups(root / "backups")
        self._index = EncryptedStorage(root / INDEX, master, INDEX_ID, self.cache)
        self._files: dict[str, EngagementFile] = {}
        self._locks: dict[str, Any] = {}  # name -> filelock.FileLock

    # -- creation -----------------------------------------------------------------

    @classmethod
    def create(cls, root: Path, passphrase: str, recovery_code: str) -> Store:
        if store_exists(root):  # KeyFileMissing: never a new key over engagement files
            raise StoreError(f"a store already exists in {root}")
        ensure_private_dir(root)
        for sub in ("engagements", "backups", "locks"):
            ensure_private_dir(root / sub)
        keyfile, master = KeyFile.create(passphrase, recovery_code)
        store = cls(root, keyfile, master)
        with store.lock("keys"):
            keyfile.save(root / KEYS)
            store.backups.keep(root / KEYS, every_write=True)
        return store

    # -- locking ------------------------------------------------------------------

    def lock(self, name: str) -> contextlib.AbstractContextManager[None]:
        """A short lock around one read-modify-write; never held for a session."""
        # One lock instance per name, so that a lock is re-entrant within a thread.
        return file_lock(self.root, name, self._locks)

    # -- key file -----------------------------------------------------------------

    def update_keyfile(self, change: Callable[[KeyFile], T]) -> T:
        """Re-read the key file under its lock, change it, save it, back it up."""
        path = self.root / KEYS
        with self.lock("keys"):
            keyfile = KeyFile.load(path)
            result = change(keyfile)
            keyfile.save(path)
            # Back up the state just saved, not the one before: restored from a
            # copy taken before the change, the key file would lack the newest
            # engagement's data key, and that engagement would be lost for good.
            # The change is saved: a full disk here must not report it failed
            # (the next change backs up again).
            with contextlib.suppress(StoreWriteError):
                self.backups.keep(path, every_write=True)
            self.keyfile = keyfile
            return result

    def engagement_key(self, engagement_id: str) -> bytes:
        if engagement_id not in self.keyfile.engagement_keys:
            self.keyfile = KeyFile.load(self.root / KEYS)  # created by another process
        try:
            return self.keyfile.engagement_key(self.master, engagement_id)
        except KeyError:
            raise NoSuchEngagement(f"no engagement {engagement_id}") from None

    # -- index --------------------------------------------------------------------

    def _index_db(self) -> TinyDB:
        index = self._index
        return TinyDB(storage=lambda: index)

    def list_engagements(self) -> list[EngagementSummary]:
        if self.keyfile.engagement_keys and not self._index.path.exists():
            self._rebuild_index()
        rows = self._index_db().table("engagements").all()
        summaries = [EngagementSummary.from_doc(dict(r)) for r in rows]
        return sorted(summaries, key=lambda s: (s.coachee.casefold(), s.created_at))

    def summary(self, engagement_id: str) -> EngagementSummary:
        for s in self.list_engagements():
            if s.id == engagement_id:
                return s
        raise NoSuchEngagement(f"no engagement {engagement_id}")

    def resolve(self, prefix: str) -> str:
        """An engagement id from a unique prefix of it."""
        prefix = prefix.strip().lower()
        if not prefix:
            raise NoSuchEngagement("give an engagement id (as `aoi engagement list` shows)")
        ids = [s.id for s in self.list_engagements()]
        if prefix in ids:
            return prefix
        matches = [i for i in ids if i.startswith(prefix)]
        if not matches:
            raise NoSuchEngagement(f"no engagement with id {prefix!r}")
        if len(matches) > 1:
            raise NoSuchEngagement(
                f"{prefix!r} matches {len(matches)} engagements: give more characters"
            )
        return matches[0]

    def refresh_summary(self, engagement_id: str) -> EngagementSummary:
        """Recompute one index row from the engagement's own file."""
        from aoi_tui.domain.access_requests import AccessRequest, nearest_open_deadline

        ef = self.engagement(engagement_id)
        eng = ef.engagement()
        sessions = ef.sessions()
        held = [s for s in sessions if counts_as_held(s.kind)]
        summary = EngagementSummary(
            id=eng.id,
            coachee=eng.coachee,
            sponsor=eng.sponsor,
            coach=eng.coach,
            format=eng.format.value,
            status=eng.status.value,
            planned_sessions=eng.planned_sessions,
            sessions_held=len(held),
            last_session=max((s.held_on for s in sessions), default=None),
            next_session=eng.next_session,
            cadence_days=eng.cadence_days,
            created_at=eng.created_at,
            demo=eng.demo,
            ended_on=eng.closed_on or eng.withdrawn_on,
            form=eng.form.value,
            participants=len(eng.participants),
            access_due=nearest_open_deadline(ef.all(AccessRequest)),
            planned=planned_days(ef),
        )
        doc = summary.to_doc()
        # The engagement's own file is saved by now: whatever stops the index row
        # (a full disk, a busy or damaged index) leaves only the list behind.
        try:
            with self.lock(INDEX_ID):
                self._index.read()  # a damaged index raises here, before it is backed up
                self.backups.keep(self._index.path)
                table = self._index_db().table("engagements")
                if not table.update(doc, where("id") == eng.id):
                    table.insert(doc)
        except (StoreWriteError, StoreFileError, StoreBusy) as exc:
            raise IndexNotUpdated(exc) from exc
        return summary

    def _rebuild_index(self) -> None:
        """The index is gone (deleted, left out of a copy) while engagements exist:
        its rows are made again from their files, under its lock, as `aoi doctor
        --repair` does; never a list that says the store is empty. A file that
        cannot be read is left to `aoi doctor`."""
        with self.lock(INDEX_ID):
            if self._index.path.exists():
                return  # another process rebuilt it meanwhile
            for eid in sorted(self.keyfile.engagement_keys):
                with contextlib.suppress(StoreFileError, NoSuchEngagement, KeyError):
                    try:
                        self.refresh_summary(eid)
                    except IndexNotUpdated:
                        break
            if not self._index.path.exists():  # nothing could be written (a read-only folder)
                raise StoreFileError(self._index.path, "missing")

    def prune_index(self) -> None:
        """Drop index rows of engagements whose key is gone (an index restored
        from an older backup): they could not be opened."""
        known = set(self.keyfile.engagement_keys)
        with self.lock(INDEX_ID):
            self._index_db().table("engagements").remove(lambda row: row.get("id") not in known)

    # -- engagements --------------------------------------------------------------

    def create_engagement(self, engagement: Engagement) -> EngagementFile:
        # The file first, its key second. Killed in between, the store holds a
        # file nobody can read, which `aoi doctor --repair` sets aside; the
        # other way round it held a key without a file, an engagement reported
        # "missing" that no repair could ever clear.
        staged = dataclasses.replace(self.keyfile, engagement_keys={})
        data_key = staged.add_engagement(self.master, engagement.id)
        wrapped = staged.engagement_keys[engagement.id]
        path = self.root / "engagements" / f"{engagement.id}.db"
        if path.exists():
            raise StoreError(f"an engagement with id {engagement.id} already exists")
        from aoi_tui.store.engagement_file import EngagementFile

        ef = EngagementFile(self, engagement.id, path, data_key, new=True)
        # under the engagement's lock from the file to its key: `aoi doctor --repair`
        # never takes the file for an erased one's in between
        with self.lock(engagement.id):
            ef.insert(engagement)
            self.update_keyfile(lambda kf: kf.engagement_keys.__setitem__(engagement.id, wrapped))
        self._files[engagement.id] = ef
        self.refresh_summary(engagement.id)
        return ef

    def engagement(self, engagement_id: str) -> EngagementFile:
        ef = self._files.get(engagement_id)
        if ef is None:
            key = self.engagement_key(engagement_id)
            path = self.root / "engagements" / f"{engagement_id}.db"
            from aoi_tui.store.engagement_file import EngagementFile

            ef = EngagementFile(self, engagement_id, path, key)
            self._files[engagement_id] = ef
        return ef

    def erase(self, engagement_id: str) -> list[Path]:
        """Erase one engagement for good, from every copy the store keeps: its
        data key (in the key file and in every copy of it: backups, quarantine/,
        leftovers of interrupted writes), its file and every copy of it
        (backups, quarantine/, leftovers), its draft, its live lease, its line
        in the index and in every copy of the index. Export records live in
        the engagement's file. Returns the files removed. Erasing again finishes
        an erasure cut short."""
        removed: list[Path] = []
        path = self.root / "engagements" / f"{engagement_id}.db"
        # Its hours stay in the coach's log, anonymous; its planned sessions are
        # cancelled in the next calendar by their UIDs (nothing that names anyone).
        from aoi_tui.store.after_erasure import keep_before_erasure

        keep_before_erasure(self, engagement_id)
        with self.lock(engagement_id):
            try:
                data_key: bytes | None = self.engagement_key(engagement_id)
            except NoSuchEngagement:
                data_key = None  # erased before, or cut short: finish the job
            # Under the key file's lock, so no other process rotates or adds a
            # copy of it between the change and the rewrite of the copies.
            with self.lock("keys"):
                self.update_keyfile(lambda kf: kf.forget_engagement(engagement_id))
                removed += self.rewrite_key_file_copies(
                    lambda raw: _forget_in_raw_keyfile(raw, engagement_id)
                )
            removed += _unlink([path, *_leftovers(path)])
            removed += self.backups.remove_all(path)
            for folder in ("drafts", "live"):  # leftovers of their writes too
                removed += _unlink((self.root / folder).glob(f"*{engagement_id}*"))
            removed += _unlink(
                q
                for q in self._quarantined()
                if q.name.startswith(f"{engagement_id}.")
                or (data_key is not None and _opens(q, data_key, engagement_id))
            )
        with self.lock(INDEX_ID):
            removed += self._erase_from_index(engagement_id)
        # The supervision log names cases by id: the case goes, the coach's hours stay.
        from aoi_tui.store.supervision_log import SupervisionLog

        removed += SupervisionLog(self).forget_case(engagement_id)
        removed += self._forget_in_programmes(engagement_id)
        self._files.pop(engagement_id, None)
        self.cache.drop(path)
        # Its lock file carries its id: gone too (a later write finds no key).
        self._locks.pop(engagement_id, None)
        with contextlib.suppress(OSError):
            (self.root / "locks" / f"{engagement_id}.lock").unlink()
        return removed

    def _forget_in_programmes(self, engagement_id: str) -> list[Path]:
        """The engagement leaves any programme it was in, in the programme book
        and its copies: the next feed does not name it, so the lead's next report
        counts it out."""
        from aoi_tui.store.programme_book import BOOK, ProgrammeBook

        if not (self.root / BOOK).exists():
            return []
        return ProgrammeBook(self).forget({engagement_id})

    def _erase_from_index(self, engagement_id: str) -> list[Path]:
        """Under the index's lock. The index and its copies hold the coachee's and
        the sponsor's names, encrypted with the master key: they lose the row."""
        index = self._index.path
        removed: list[Path] = []
        try:
            self._index_db().table("engagements").remove(where("id") == engagement_id)
        except StoreFileError:
            # Damaged: it cannot be rewritten, yet the master key still deciphers
            # most of it (AES-GCM is counter mode). Removed, and rebuilt from the
            # engagement files as `aoi doctor --repair` would.
            self.cache.drop(index)
            removed += _unlink([index])
            for eid in sorted(self.keyfile.engagement_keys):
                with contextlib.suppress(StoreFileError, KeyError, IndexNotUpdated):
                    self.refresh_summary(eid)
        removed += _unlink(_leftovers(index))

        def forget(raw: bytes) -> bytes | None:
            return _forget_in_raw_index(raw, self.master, engagement_id)

        removed += self.backups.rewrite_all(index, forget)
        for copy in self._quarantined(INDEX):
            if backups.rewrite_or_remove(copy, forget):
                removed.append(copy)
        return removed

    def rewrite_key_file_copies(self, change: Callable[[bytes], bytes | None]) -> list[Path]:
        """Apply `change` to every copy of the key file but the key file itself:
        its backups and the copies `aoi doctor --repair` set aside; a copy
        `change` cannot rewrite (None) is removed, and so are leftovers of an
        interrupted write. Call under the key file's lock. Returns the files
        removed."""
        keys = self.root / KEYS
        removed = _unlink(_leftovers(keys))
        removed += self.backups.rewrite_all(keys, change)
        for copy in self._quarantined(KEYS):
            if backups.rewrite_or_remove(copy, change):
                removed.append(copy)
        return removed

    def _quarantined(self, name: str | None = None) -> list[Path]:
        """Files `aoi doctor --repair` set aside (all, or the copies of `name`)."""
        folder = self.root / QUARANTINE
        if not folder.is_dir():
            return []
        found = sorted(p for p in folder.iterdir() if p.is_file())
        return found if name is None else [p for p in found if p.name.startswith(f"{name}.")]


def _leftovers(path: Path) -> list[Path]:
    """Temporary files left by interrupted writes of `path` (`durable.write_atomic`)."""
    return sorted(path.parent.glob(f".{path.name}.*.tmp"))


def _unlink(paths: Iterable[Path]) -> list[Path]:
    removed = []
    for path in list(paths):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            removed.append(path)
    return removed


def _opens(path: Path, key: bytes, file_id: str) -> bool:
    """Does `key` open `path` (whatever its name says)?"""
    try:
        decrypt(path, path.read_bytes(), key, file_id)
    except (OSError, StoreFileError):
        return False
    return True


def _forget_in_raw_index(raw: bytes, master: bytes, engagement_id: str) -> bytes | None:
    try:
        data = decode(Path(INDEX), raw, master, INDEX_ID)
    except StoreFileError:
        # Damaged: it cannot be rewritten, yet the master key still deciphers
        # most of it (AES-GCM encrypts in counter mode). Remove it.
        return None
    rows = data.get("engagements", {})
    found = [k for k, doc in rows.items() if doc.get("id") == engagement_id]
    if not found:
        return raw
    for doc_id in found:
        del rows[doc_id]
    return encode(data, master, INDEX_ID)


def _forget_in_raw_keyfile(raw: bytes, engagement_id: str) -> bytes | None:
    try:
        keyfile = KeyFile.from_json(Path(KEYS), json.loads(raw))
    except (StoreFileError, ValueError):
        # Damaged: it may still hold the data key in plain base64. Remove it.
        return None
    keyfile.forget_engagement(engagement_id)
    return keyfile.dumps()


__all__ = [
    "EngagementSummary",
    "IndexNotUpdated",
    "KeyFileMissing",
    "NoSuchEngagement",
    "Store",
    "StoreBusy",
    "StoreError",
    "StoreFileError",
    "store_exists",
    "store_present",
]
