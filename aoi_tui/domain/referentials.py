"""Competency referentials shipped in `data/referentials/{fr,en}.toml`: each a
list of competencies with observable behaviours. An engagement copies the
competencies it works on, so the coach may edit them for this engagement."""

from __future__ import annotations

import tomllib
import unicodedata
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
        name=item.name,
        behaviours=list(item.behaviours),
        start_level=start,
        target=target,
        referential_id=item.id,
    )


def _folded(name: str) -> str:
    """A competency's name as names are compared: case, accents and spaces aside."""
    decomposed = unicodedata.normalize("NFKD", name.replace("’", "'").casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


@cache
def _ids_by_name() -> dict[str, str | None]:
    """Every referential competency's name, in French and in English, to its id
    (None for a name two competencies share: never guessed)."""
    found: dict[str, str | None] = {}
    for lang in ("fr", "en"):
        for r in referentials(lang):
            for c in r.competencies:
                key = _folded(c.name)
                found[key] = c.id if found.get(key, c.id) == c.id else None
    return found


def competency_id_for(name: str) -> str | None:
    """The referential id of a competency an engagement holds by its name, in
    either language (an engagement's copy made before competencies kept their
    id, issue 14); None when no referential competency has that name."""
    return _ids_by_name().get(_folded(name))
