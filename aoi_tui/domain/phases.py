"""The phases of each session kind, read from `data/phases.toml`."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Sequence

    from aoi_tui.domain.vocabulary import SessionKind


class HasPhase(Protocol):
    @property
    def phase(self) -> str: ...


class HasPhases(Protocol):
    """A session, as far as its phases go (no pydantic import here)."""

    @property
    def kind(self) -> SessionKind: ...
    @property
    def phases(self) -> Sequence[HasPhase]: ...


@dataclass(frozen=True)
class PhaseDef:
    id: str
    target_minutes: int
    overrun_minutes: int
    label_fr: str
    label_en: str
    debrief: bool = False
    """The phase where the coach goes through the notes with the coachee (F9)."""
    case: bool = False
    """A peer session's phase about the case: what is said then concerns the
    case-bringer (`concerns.default_about`)."""
    sponsor: bool = False
    """The N+1 is in the room (a kickoff, a handover, a closing review)."""

    def label(self, lang: str) -> str:
        return self.label_fr if lang == "fr" else self.label_en


@cache
def _all() -> dict[str, tuple[PhaseDef, ...]]:
    import tomllib  # first needed by a session, after the first screen

    raw = tomllib.loads(resources.files("aoi_tui.data").joinpath("phases.toml").read_text("utf-8"))
    return {
        kind: tuple(
            PhaseDef(
                id=p["id"],
                target_minutes=p["target"],
                overrun_minutes=p.get("overrun", p["target"]),
                label_fr=p["fr"],
                label_en=p["en"],
                debrief=bool(p.get("debrief", False)),
                case=bool(p.get("case", False)),
                sponsor=bool(p.get("sponsor", False)),
            )
            for p in phases
        )
        for kind, phases in raw.items()
    }


def phases_for(kind: str) -> tuple[PhaseDef, ...]:
    return _all()[kind]


def phase_ids(kind: str) -> list[str]:
    return [p.id for p in phases_for(kind)]


def debrief_index(session: HasPhases) -> int | None:
    """The index of the session's debrief phase, if its kind has one."""
    for i, run in enumerate(session.phases):
        if any(p.debrief and p.id == run.phase for p in phases_for(session.kind.value)):
            return i
    return None


def case_phase(kind: str, phase: str) -> bool:
    """Is `phase` one of the case's phases in a session of `kind`?"""
    return any(p.case and p.id == phase for p in phases_for(kind))


def session_kinds() -> list[str]:
    return list(_all())


def phase_def(phase: str) -> tuple[str, PhaseDef] | None:
    """The session kind a phase id belongs to, and the phase (ids are unique across kinds)."""
    return next(
        ((kind, p) for kind, phases in _all().items() for p in phases if p.id == phase), None
    )
