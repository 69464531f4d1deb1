"""Schema versions of stored records, and the path from each old version to
the current one. A record is upgraded in memory when read, and written back
in the new shape the next time it is saved."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aoi_tui.domain.vocabulary import SCHEMA_VERSION

Doc = dict[str, Any]
Step = Callable[[Doc], Doc]


class TooNew(Exception):
    """A record written by a newer aoi."""


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
