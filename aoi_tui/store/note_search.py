"""Search the notes (and actions, messages for the N+1, coachees' logs) of one
engagement or of the whole store. Matching ignores case and French accents:
"equipe" finds "Équipe"."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from aoi_tui.domain.text import FOLD_TABLE, fold
from aoi_tui.secure.storage import StoreFileError, decrypt, parse
from aoi_tui.store.store import Store


@dataclass(frozen=True)
class Hit:
    engagement_id: str
    coachee: str
    kind: str  # note | action | message | log
    session: int | None
    record_id: str | None
    phase: str | None
    visibility: str | None
    text: str

    def snippet(self, query: str, width: int = 80) -> str:
        flat = " ".join(self.text.split())
        at = fold(flat).find(fold(query))
        start = max(0, at - width // 3) if at >= 0 else 0
        piece = flat[start : start + width]
        return ("…" if start else "") + piece + ("…" if start + width < len(flat) else "")

    def to_json(self) -> dict[str, Any]:
        return {
            "engagement": self.engagement_id,
            "coachee": self.coachee,
            "kind": self.kind,
            "session": self.session,
            "id": self.record_id,
            "phase": self.phase,
            "visibility": self.visibility,
            "text": self.text,
        }


class Matcher:
    """Does a text hold every word of the query? Compiled patterns where they are
    safe (much faster than folding each text), folding otherwise."""

    def __init__(self, query: str) -> None:
        self.needles = [fold(w) for w in query.split()]
        self.patterns = _prefilter(self.needles)

    def __bool__(self) -> bool:
        return bool(self.needles)

    def __call__(self, text: str) -> bool:
        if self.patterns is not None:
            return all(p.search(text) for p in self.patterns)
        folded = fold(text)
        return all(n in folded for n in self.needles)


def _prefilter(needles: list[str]) -> list[re.Pattern[str]] | None:
    """Patterns that find each needle in the raw JSON of a file, accents and case
    aside, so files without a match are never parsed. None: no safe pre-filter."""
    patterns = []
    for needle in needles:
        if any(c in needle for c in '"\\') or "oe" in needle or "ae" in needle:
            return None  # escaped in JSON, or folded from two letters: parse instead
        parts = []
        for c in needle:
            variants = _VARIANTS.get(c, "")
            parts.append(f"[{re.escape(c + variants)}]" if variants else re.escape(c))
        patterns.append(re.compile("".join(parts), re.IGNORECASE))
    return patterns


def _variants() -> dict[str, str]:
    found: dict[str, str] = {}
    for code, base in FOLD_TABLE.items():
        if len(base) == 1:
            key = base.casefold()
            found[key] = found.get(key, "") + chr(code)
    return found


_VARIANTS = _variants()


def _hits(eid: str, coachee: str, matches: Matcher, data: dict[str, Any]) -> list[Hit]:
    hits: list[Hit] = []
    for doc in data.get("notes", {}).values():
        if matches(doc.get("text", "")):
            hits.append(
                Hit(
                    eid,
                    coachee,
                    "note",
                    doc.get("session"),
                    doc.get("id"),
                    doc.get("phase"),
                    doc.get("visibility"),
                    doc.get("text", ""),
                )
            )
    for doc in data.get("actions", {}).values():
        if matches(doc.get("text", "")):
            hits.append(
                Hit(
                    eid,
                    coachee,
                    "action",
                    doc.get("session"),
                    doc.get("id"),
                    None,
                    doc.get("visibility"),
                    doc.get("text", ""),
                )
            )
    for doc in data.get("sessions", {}).values():
        for kind, field in (("message", "sponsor_message"), ("log", "coachee_log")):
            text = doc.get(field) or ""
            if text and matches(text):
                hits.append(
                    Hit(eid, coachee, kind, doc.get("number"), doc.get("id"), None, None, text)
                )
    return sorted(hits, key=lambda h: (h.session or 0, h.kind))


def search_engagement(store: Store, engagement_id: str, query: str, coachee: str = "") -> list[Hit]:
    """Every word of `query` must appear (in any order). Uses the open engagement's
    cached contents: fast when the coach searches the engagement on screen."""
    matches = Matcher(query)
    if not matches:
        return []
    ef = store.engagement(engagement_id)
    data = {
        table: {str(i): d for i, d in enumerate(ef.raw_rows(table))}
        for table in ("notes", "actions", "sessions")
    }
    return _hits(engagement_id, coachee, matches, data)


def search_store(
    store: Store, query: str, engagement_ids: Iterable[str] | None = None
) -> tuple[list[Hit], list[str]]:
    """Hits across engagements, and the files that could not be read (named, not
    fatal). Each file is decrypted, pre-filtered on its raw text, parsed only if it
    may match, and dropped: memory stays that of one file."""
    matches = Matcher(query)
    summaries = {s.id: s for s in store.list_engagements()}
    ids = list(engagement_ids) if engagement_ids is not None else list(summaries)
    if not matches:
        return [], []
    hits: list[Hit] = []
    problems: list[str] = []
    for eid in ids:
        coachee = summaries[eid].coachee if eid in summaries else ""
        path = store.root / "engagements" / f"{eid}.db"
        try:
            plain = decrypt(path, path.read_bytes(), store.engagement_key(eid), eid).decode("utf-8")
            if matches.patterns is not None and not matches(plain):
                continue
            hits += _hits(eid, coachee, matches, parse(path, plain))
        except StoreFileError as exc:
            problems.append(str(exc))
        except OSError as exc:
            problems.append(f"{path}: cannot be read ({exc.strerror})")
    return hits, problems
