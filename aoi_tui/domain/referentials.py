"""Competency referentials shipped in `data/referentials/{fr,en}.toml`: each a
list of competencies with observable behaviours. An engagement copies the
competencies it works on, so the coach may edit them for this engagement."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from aoi_tui.domain.models import Area, Competency, Level


@dataclass(frozen=True)
class ReferentialCompetency:
    id: str
    name: str
    behaviours: tuple[str, ...]
    area: Area | None = None


@dataclass(frozen=True)
class Referential:
    id: str
    name: str
    description: str
    competencies: tuple[ReferentialCompetency, ...]


@cache
def referentials(lang: str) -> tuple[Referential, ...]:
    raw = tomllib.loads(
        resources.files("aoi_tui.data").joinpath(f"referentials/{lang}.toml").read_text("utf-8")
    )
    return tuple(
        Referential(
            id=r["id"],
            name=r["name"],
            description=r.get("description", ""),
            competencies=tuple(
                ReferentialCompetency(
                    id=c["id"],
                    name=c["name"],
                    behaviours=tuple(c.get("behaviours", [])),
                    area=Area(c["area"]) if c.get("area") else None,
                )
                for c in r.get("competency", [])
            ),
        )
        for r in raw.get("referential", [])
    )


def referential(lang: str, referential_id: str) -> Referential:
    for r in referentials(lang):
        if r.id == referential_id:
            return r
    raise KeyError(f"no referential {referential_id!r}")


def to_competency(
    item: ReferentialCompetency, start: Level | None = None, target: Level | None = Level.ACQUIRED
) -> Competency:
    """The engagement's own copy of a referential competency."""
    return Competency(
        name=item.name, behaviours=list(item.behaviours), start_level=start, target=target
    )
