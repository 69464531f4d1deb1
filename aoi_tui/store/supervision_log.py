"""The coach's supervision log on disk: one file of its own, encrypted with the
master key like the index (it belongs to the coach, not to one engagement),
written durably under its own lock, kept as it was after every write (what a
repair restores first) and in rotating backups.

    DATA/supervision_log.db                   the log (file id "supervision")
    DATA/backups/supervision_log.db/          its copies

An entry names its case by an engagement's random id, checked to be one of this
store's. Erasing that engagement takes the case out of the log, and out of
every copy of it (backups, the copy of the last write, files a repair set
aside): the entry keeps its day, supervisor, hours and form (the coach's own
record, which a credential counts), and loses the reference and what the coach
learned, which may describe the coachee. Erasing one participant of a group
replaces their name in what was learned of that case, in the log and its copies."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from aoi_tui.config.i18n import t
from aoi_tui.secure.durable import StoreWriteError
from aoi_tui.secure.keyfile import KeyFile
from aoi_tui.secure.storage import EncryptedStorage, FileCache, StoreFileError, decode, encode
from aoi_tui.store import backups

if TYPE_CHECKING:
    # pydantic loads on first use: `aoi doctor` and the store start without it
    from aoi_tui.domain.supervision import SupervisionEntry

LOG = "supervision_log.db"
LOG_ID = "supervision"
FILE_VERSION = 1


class UnknownCase(ValueError):
    """The case named is not an engagement of this store (a typo, an erased one)."""


class Host(Protocol):
    """What the log needs of the store (the `Store`): the store imports this
    module, never the other way round."""

    @property
    def root(self) -> Path: ...
    @property
    def master(self) -> bytes: ...
    @property
    def keyfile(self) -> KeyFile: ...
    @property
    def cache(self) -> FileCache: ...
    @property
    def backups(self) -> backups.Backups: ...
    def lock(self, name: str) -> contextlib.AbstractContextManager[None]: ...


class SupervisionLog:
    def __init__(self, store: Host) -> None:
        self.store = store
        self.path = store.root / LOG
        # No log yet is an empty log; a log gone while its copies are there is an
        # error (`aoi doctor --repair` restores it), never a new log over the old.
        kept = store.backups.folder_for(self.path).is_dir()
        self._storage = EncryptedStorage(
            self.path, store.master, LOG_ID, store.cache, missing_ok=not kept
        )

    def entries(self) -> list[SupervisionEntry]:
        """Every entry, oldest first. StoreFileError when the file is damaged."""
        return _entries(self.path, self._read())

    def _read(self) -> dict[str, Any]:
        data = self._storage.read() or {}
        if int(data.get("_file", 1)) > FILE_VERSION:
            raise StoreFileError(self.path, "written by a newer aoi: upgrade aoi to read it")
        return data

    def add(self, entry: SupervisionEntry) -> SupervisionEntry:
        if entry.case is not None:
            self.check_case(entry.case)
        with self.store.lock(LOG_ID):
            data = self._read()
            docs = list(data.get("entries", []))
            docs.append(entry.model_dump(mode="json"))
            self._write(docs)
        return entry

    def check_case(self, case: str) -> None:
        """A case is an engagement of this store, by its full id: never a name (the
        key file as it is on disk: an engagement made by another aoi counts)."""
        if case in self.store.keyfile.engagement_keys:
            return
        if case not in KeyFile.load(self.store.root / "keys.json").engagement_keys:
            raise UnknownCase(t("supervision.unknown_case", case=case[:40]))

    def forget_case(self, engagement_id: str) -> list[Path]:
        """Take an erased engagement out of the log and out of every copy of it.
        Returns the copies removed (a damaged copy cannot be rewritten, so it goes)."""
        return self._change_everywhere(lambda docs: _without_case(docs, engagement_id))

    def reword_case(self, engagement_id: str, reword: Callable[[str], str]) -> list[Path]:
        """What was learned of one engagement's case, `reword`ed in the log and in
        every copy of it (an erased participant's name becomes a neutral word).
        Returns the copies removed, as `forget_case`."""

        def fix(docs: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], bool]:
            changed = False
            for doc in docs:
                if doc.get("case") == engagement_id and doc.get("learned"):
                    new = reword(doc["learned"])
                    changed |= new != doc["learned"]
                    doc["learned"] = new
            return docs, changed

        return self._change_everywhere(fix)

    def _change_everywhere(
        self, fix: Callable[[list[dict[str, Any]]], tuple[list[dict[str, Any]], bool]]
    ) -> list[Path]:
        removed: list[Path] = []
        changed = False
        with self.store.lock(LOG_ID):
            try:
                data = self._storage.read()
            except StoreFileError:
                data = None  # damaged: it goes below, with the copies that cannot be read
                if self.path.exists():
                    self.path.unlink()
                    removed.append(self.path)
                self.store.cache.drop(self.path)
            if data is not None:
                docs, changed = fix(list(data.get("entries", [])))
                if changed:
                    self._write(docs, keep_copy=False)

            def change(raw: bytes) -> bytes | None:
                return _changed_raw_log(raw, self.store.master, fix)

            removed += self.store.backups.rewrite_all(self.path, change)
            for copy in _quarantined(self.store.root):
                if backups.rewrite_or_remove(copy, change):
                    removed.append(copy)
            if changed:
                with contextlib.suppress(StoreWriteError):
                    self.store.backups.keep(self.path, every_write=True)
        return removed

    def _write(self, docs: list[dict[str, Any]], keep_copy: bool = True) -> None:
        """Under the log's lock."""
        blob = self._storage.flush({"_file": FILE_VERSION, "entries": docs})
        self.store.backups.keep_latest(self.path, blob)
        if keep_copy:
            with contextlib.suppress(StoreWriteError):  # saved: a full disk here is no failure
                self.store.backups.keep(self.path, every_write=True)


def _entries(path: Path, data: dict[str, Any]) -> list[SupervisionEntry]:
    from aoi_tui.domain.supervision import read_entry

    try:
        entries = [read_entry(doc) for doc in data.get("entries", [])]
    except (ValueError, TypeError, AttributeError) as exc:
        raise StoreFileError(path, f"an entry does not validate: {exc}") from exc
    return sorted(entries, key=lambda e: (e.on, e.created_at))


def _without_case(
    docs: list[dict[str, Any]], engagement_id: str
) -> tuple[list[dict[str, Any]], bool]:
    changed = False
    for doc in docs:
        if doc.get("case") == engagement_id:
            doc.update(case=None, learned="", case_erased=True)
            changed = True
    return docs, changed


def forget_in_raw_log(raw: bytes, master: bytes, engagement_id: str) -> bytes | None:
    """A copy of the log without the engagement; None when it cannot be read (a
    damaged copy may still be deciphered in part: it is removed)."""
    return _changed_raw_log(raw, master, lambda docs: _without_case(docs, engagement_id))


def _changed_raw_log(
    raw: bytes,
    master: bytes,
    fix: Callable[[list[dict[str, Any]]], tuple[list[dict[str, Any]], bool]],
) -> bytes | None:
    try:
        data = decode(Path(LOG), raw, master, LOG_ID)
    except StoreFileError:
        return None
    docs, changed = fix(list(data.get("entries", [])))
    if not changed:
        return raw
    return encode({**data, "entries": docs}, master, LOG_ID)


def _quarantined(root: Path) -> list[Path]:
    folder = root / "quarantine"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.name.startswith(f"{LOG}."))


def log_files(root: Path) -> list[tuple[Path, str]]:
    """The log, if there is one or was one (a copy of it is kept), with its file
    id: for `aoi doctor`."""
    path = root / LOG
    kept = (root / "backups" / LOG).is_dir()
    return [(path, LOG_ID)] if path.exists() or kept else []


__all__ = ["LOG", "LOG_ID", "SupervisionLog", "UnknownCase", "forget_in_raw_log", "log_files"]
