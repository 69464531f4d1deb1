"""Schema versions, and the path from each old version to the current one, at
two levels:

- **A record** carries its version (`v`). It is upgraded in memory when read,
  and written back in the new shape the next time it is saved (`upgrade`).
- **An engagement file** as a whole carries a file version (`_file`), for
  changes that move records across the file (version 2: the engagement's one
  coachee moved into a table of participants). A file of an older version is
  upgraded whole before its first read or write, under the file's lock, and
  written back at once (`upgrade_file`, run by `EngagementFile`). A file
  written before file versions has none: it is version 1.

Either written by a newer aoi is refused (`TooNew`), and left as it is."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from aoi_tui.domain.ids import new_id
from aoi_tui.domain.vocabulary import SCHEMA_VERSION

Doc = dict[str, Any]
Step = Callable[[Doc], Doc]


class TooNew(Exception):
    """A record or a file written by a newer aoi."""


# -- records ------------------------------------------------------------------------------


def _v0_to_v1(doc: Doc) -> Doc:
    # Version 0 is a record written before versioning: same shape, no `v`.
    return doc


# STEPS[table][n] turns a record of version n into version n + 1; "*" applies
# to every table.
STEPS: dict[str, dict[int, Step]] = {"*": {0: _v0_to_v1}}


def upgrade(table: str, doc: Doc) -> Doc:
    version = int(doc.get("v", 0))
    if version > SCHEMA_VERSION:
        raise TooNew(
            f"a {table} record has schema version {version}; this aoi knows up to "
            f"{SCHEMA_VERSION}: upgrade aoi"
        )
    while version < SCHEMA_VERSION:
        step = STEPS.get(table, {}).get(version) or STEPS["*"][version]
        doc = step(dict(doc))
        version += 1
        doc["v"] = version
    return doc


# -- whole engagement files ------------------------------------------------------------------

FILE_KEY = "_file"
"""Where an engagement file keeps its file version, beside its tables: {"v": n}."""

FILE_VERSION = 3
"""The file version this aoi writes."""


def _coachee_into_participant(data: Doc) -> Doc:
    """File version 1 -> 2 (collective engagements, issue 13): the engagement's
    coachee, their three-way agreement and the day they withdrew leave the
    engagement record for the one row of a new `participants` table, the
    engagement says it is individual. Nothing else changes: every note, action,
    objective, mark and message concerns the one participant by default, so no
    other record is rewritten. The participant keeps what the agreement always
    meant: what the coachee validates may reach the N+1 (own items reported)."""
    participants = data.setdefault("participants", {})
    for doc in data.get("engagement", {}).values():
        if "participants" in doc or "form" in doc:
            continue  # written by this aoi already (a step run twice changes nothing)
        created = doc.get("created_at")
        joined = created[:10] if isinstance(created, str) and len(created) >= 10 else None
        participant: Doc = {
            "id": new_id(),
            "v": 1,
            "name": doc.pop("coachee", ""),
            "agreement": doc.pop("agreement", None) or {},
            "withdrawn_on": doc.pop("withdrawn_on", None),
            "report_own_items": True,
        }
        if joined is not None:
            participant["joined_on"] = joined
        doc["form"] = "individual"
        participants[str(len(participants) + 1)] = participant
    return data


def _next_session_into_planned(data: Doc) -> Doc:
    """File version 2 -> 3 (planned sessions, issue 15): the engagement's
    `next_session`, a day without an hour, becomes a planned session of that day
    in a new `planned` table (no hour, no duration: nothing is invented; the
    calendar writes it as an all-day event), in the machine's time zone. The
    engagement keeps `next_session`: the documents made before say the same."""
    from aoi_tui.domain.planning import machine_zone

    planned = data.setdefault("planned", {})
    days = {doc.get("on") for doc in planned.values()}
    for doc in data.get("engagement", {}).values():
        day = doc.get("next_session")
        if not isinstance(day, str) or day in days:
            continue  # none, or a step run twice
        planned[str(len(planned) + 1)] = {
            "id": new_id(),
            "v": 1,
            "on": day,
            "zone": machine_zone(),
            "status": "planned",
            "created_at": doc.get("created_at") or "2000-01-01T00:00:00+00:00",
        }
    return data


# FILE_STEPS[n] turns a whole engagement file of version n into version n + 1.
# A step receives the file as stored ({table: {doc id: record}}, records at any
# record version, a copy it may change) and returns it; it runs once per file,
# under the file's lock, and what it returns is written back before anything
# else reads the file. Register a step and raise FILE_VERSION together.
FILE_STEPS: dict[int, Step] = {1: _coachee_into_participant, 2: _next_session_into_planned}


def file_version(data: Doc) -> int:
    meta = data.get(FILE_KEY)
    return int(meta.get("v", 1)) if isinstance(meta, dict) else 1


def file_is_current(data: Doc) -> bool:
    """Is `data` (an engagement file's contents) at this aoi's file version?
    False: `upgrade_file` has work to do. TooNew: a newer aoi wrote it."""
    version = file_version(data)
    if version > FILE_VERSION:
        raise TooNew(
            f"the file has file version {version}; this aoi knows up to {FILE_VERSION}: upgrade aoi"
        )
    return version == FILE_VERSION


def upgrade_file(data: Doc) -> Doc | None:
    """`data` brought to this aoi's file version, as a new dict (`data` is left
    as it is); None when it is at that version already (nothing to write).
    TooNew for a file a newer aoi wrote."""
    if file_is_current(data):
        return None
    version = file_version(data)
    doc = copy.deepcopy(data)
    while version < FILE_VERSION:
        doc = FILE_STEPS[version](doc)
        version += 1
        doc[FILE_KEY] = {"v": version}
    return doc


def new_file() -> Doc:
    """The contents of a new engagement file, before its first record."""
    return {FILE_KEY: {"v": FILE_VERSION}}
