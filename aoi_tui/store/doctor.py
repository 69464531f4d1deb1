"""`aoi doctor`: check every file of the store and, with --repair, restore a
damaged one from its newest good backup. A damaged file is never overwritten:
it is moved to `quarantine/` first."""

from __future__ import annotations

import contextlib
import json
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aoi_tui.secure.durable import ensure_private_dir, write_atomic
from aoi_tui.secure.keyfile import KeyFile
from aoi_tui.secure.storage import StoreFileError, decrypt_file
from aoi_tui.store.after_erasure import after_erasure_files
from aoi_tui.store.backups import LATEST, Backups, taken_at
from aoi_tui.store.programme_book import book_files
from aoi_tui.store.store import INDEX, INDEX_ID, KEYS, QUARANTINE, IndexNotUpdated, Store, file_lock
from aoi_tui.store.supervision_log import log_files

TMP_IN_PROGRESS_S = 120
"""A temporary file younger than this may be a write in progress: not a leftover."""


@dataclass
class Finding:
    path: Path
    problem: str
    repaired: str = ""


@dataclass
class DoctorReport:
    checked: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        return all(f.repaired for f in self.findings)

    def to_json(self) -> dict[str, Any]:
        return {
            "healthy": self.healthy,
            "checked": self.checked,
            "findings": [
                {"path": str(f.path), "problem": f.problem, "repaired": f.repaired or None}
                for f in self.findings
            ],
        }

    def human(self) -> str:
        lines = [f"Checked {self.checked} file(s)."]
        for f in self.findings:
            fix = f" — repaired: {f.repaired}" if f.repaired else ""
            lines.append(f"  {f.path}: {f.problem}{fix}")
        if not self.findings:
            lines.append("The store is healthy.")
        elif not self.healthy:
            lines.append("Run `aoi doctor --repair` to restore from backups.")
        return "\n".join(lines)


def _quarantine(root: Path, path: Path) -> Path:
    folder = root / QUARANTINE
    ensure_private_dir(folder)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"{path.name}.{stamp}"
    n = 1
    while target.exists():  # never overwrite an earlier damaged copy
        target = folder / f"{path.name}.{stamp}.{n}"
        n += 1
    shutil.move(path, target)
    return target


def _restore(
    root: Path,
    path: Path,
    good: Callable[[bytes], bool],
    backups: Backups,
    lock: contextlib.AbstractContextManager[None],
) -> str:
    # Under the file's lock, and checked again there: an aoi still running may have
    # rewritten the file since it was found damaged; its newer data must win.
    with lock:
        if path.exists() and good(path.read_bytes()):
            return "rewritten meanwhile by another aoi; left as it is"
        copies = backups.copies(path)
        for backup in copies:
            data = backup.read_bytes()
            if good(data):
                if path.exists():
                    _quarantine(root, path)
                write_atomic(path, data)
                return f"restored from backup {backup.name}{_what_it_lacks(path, backup, data)}"
    return ""


def _what_it_lacks(path: Path, restored: Path, data: bytes) -> str:
    """Said after "restored from backup X": a restore never loses a write silently."""
    if restored.name == LATEST:
        return " (the state after its last write: nothing lost)"
    if path.name == INDEX:
        return ""  # rebuilt from the engagement files just after
    if path.name == KEYS:
        # Backed up after every change, unless that copy failed (a full disk):
        # what matters is whether every engagement file on disk has its key.
        keys = KeyFile.from_json(path, json.loads(data)).engagement_keys
        keyless = [p for p in (path.parent / "engagements").glob("*.db") if p.stem not in keys]
        if not keyless:
            return " (every engagement file has its key: nothing lost)"
        return (
            f" (taken {taken_at(restored)}): {len(keyless)} engagement file(s) have no key "
            "in it and cannot be opened"
        )
    return f" (taken {taken_at(restored)}): what was saved after it is missing"


def run_doctor(root: Path, unlock: Callable[[], Store], repair: bool = False) -> DoctorReport:
    report = DoctorReport()
    backups = Backups(root / "backups")

    # Leftovers of an interrupted write are harmless; clear them on repair. A recent
    # one may be a write in progress in an aoi still running: left alone.
    now = time.time()
    for tmp in root.rglob(".*.tmp"):
        with contextlib.suppress(FileNotFoundError):
            if now - tmp.stat().st_mtime < TMP_IN_PROGRESS_S:
                continue
            report.findings.append(Finding(tmp, "leftover temporary file"))
            if repair:
                tmp.unlink()
                report.findings[-1].repaired = "removed"

    keys = root / KEYS
    report.checked += 1
    try:
        KeyFile.load(keys)
    except StoreFileError as exc:
        finding = Finding(keys, "missing" if not keys.exists() else exc.reason)
        report.findings.append(finding)
        if repair:
            finding.repaired = _restore(root, keys, _keyfile_ok, backups, file_lock(root, "keys"))
            if not finding.repaired:
                # Never a new key file: the engagements could never be opened again.
                finding.problem += (
                    "; no good backup of it to restore: the engagement files stay as they "
                    "are (a copy of this store's keys.json put back here opens them)"
                )
        if not finding.repaired:
            return report

    store = unlock()
    checks: list[tuple[Path, bytes, str]] = [(root / INDEX, store.master, INDEX_ID)]
    # the coach's supervision log, if there is one or a copy says there was one
    checks += [(path, store.master, file_id) for path, file_id in log_files(root)]
    # what erased engagements left: anonymous hours, calendar UIDs to cancel
    checks += [(path, store.master, file_id) for path, file_id in after_erasure_files(root)]
    # the programme book (lead keys, random keys) and the registers of reports
    checks += [(path, store.master, file_id) for path, file_id in book_files(root)]
    for eid in sorted(store.keyfile.engagement_keys):
        checks.append((root / "engagements" / f"{eid}.db", store.engagement_key(eid), eid))
    index_broken = False
    for path, key, file_id in checks:
        report.checked += 1
        if not path.exists():
            if file_id == INDEX_ID:
                index_broken = True
            report.findings.append(Finding(path, "missing"))
        else:
            try:
                decrypt_file(path, key, file_id)
                continue
            except StoreFileError as exc:
                report.findings.append(Finding(path, exc.reason))
                index_broken = index_broken or file_id == INDEX_ID
        finding = report.findings[-1]
        if repair:
            finding.repaired = _restore(
                root, path, _decrypts(path, key, file_id), backups, store.lock(file_id)
            )
            store.cache.drop(path)

    known = set(store.keyfile.engagement_keys)
    for path in sorted((root / "engagements").glob("*.db")):
        if path.stem in known:
            continue
        with store.lock(path.stem):
            # an engagement created since the key file was read has its key now
            if path.stem in KeyFile.load(keys).engagement_keys or not path.exists():
                continue
            report.findings.append(Finding(path, "no key for this file (erased engagement?)"))
            if repair:
                report.findings[-1].repaired = f"moved to {_quarantine(root, path)}"

    if not index_broken and _index_incomplete(store):
        report.findings.append(
            Finding(root / INDEX, "out of step with the engagements (a line missing or left over)")
        )
    # On repair the index is always rebuilt from the engagement files: a row left
    # out of date by a failed refresh (a full disk, IndexNotUpdated) is set right.
    if repair:
        index = root / INDEX
        with store.lock(INDEX_ID):  # the same instance as the refreshes below take
            # the key file as it is now: an engagement created since the unlock keeps its row
            store.keyfile = KeyFile.load(keys)
            known = set(store.keyfile.engagement_keys)
            if _index_unreadable(store) and index.exists():
                # No good backup: set the damaged index aside, or every refresh
                # below would fail on it and nothing would be rebuilt.
                _quarantine(root, index)
                store.cache.drop(index)
            store.prune_index()
            for eid in sorted(known):
                try:
                    store.refresh_summary(eid)
                except (StoreFileError, KeyError):
                    continue  # a damaged engagement file: reported above
                except IndexNotUpdated as exc:
                    report.findings.append(Finding(index, f"could not be rebuilt: {exc.cause}"))
                    break
        for f in report.findings:
            if f.path == root / INDEX and not f.repaired:
                f.repaired = "rebuilt from the engagement files"
    return report


def _index_unreadable(store: Store) -> bool:
    try:
        store.list_engagements()
    except StoreFileError:
        return True
    return False


def _index_incomplete(store: Store) -> bool:
    try:
        listed = {s.id for s in store.list_engagements()}
    except StoreFileError:
        return True
    # the key file as it is now: an engagement may have been created since the unlock
    return listed != set(KeyFile.load(store.root / KEYS).engagement_keys)


def _keyfile_ok(data: bytes) -> bool:
    try:
        KeyFile.from_json(Path(KEYS), json.loads(data))
    except (StoreFileError, ValueError):
        return False
    return True


def _decrypts(path: Path, key: bytes, file_id: str) -> Callable[[bytes], bool]:
    from aoi_tui.secure.storage import decode

    def good(data: bytes) -> bool:
        try:
            decode(path, data, key, file_id)
        except StoreFileError:
            return False
        return True

    return good
