"""The FSAC (Fiche de Suivi d'Acquisition des Compétences): for each
competency, where it started, where it is now (coach and self-assessment side
by side, hot and cold) and the target, with its history across sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from aoi_tui.domain.models import Assessment, Assessor, Competency, Level, Timing


@dataclass(frozen=True)
class FsacRow:
    competency: Competency
    start: Level | None
    coach_now: Level | None
    self_now: Level | None
    target: Level | None
    coach_history: tuple[Level, ...]
    self_history: tuple[Level, ...]
    last_cold: Assessment | None

    @property
    def reached(self) -> bool:
        return (
            self.target is not None and self.coach_now is not None and self.coach_now >= self.target
        )


def fsac_rows(competencies: list[Competency], assessments: list[Assessment]) -> list[FsacRow]:
    rows = []
    for c in competencies:
        marks = sorted(
            (a for a in assessments if a.competency_id == c.id),
            key=lambda a: (a.on, a.session or 0),
        )
        coach = [a.level for a in marks if a.by is Assessor.COACH]
        self_ = [a.level for a in marks if a.by is Assessor.SELF]
        cold = [a for a in marks if a.timing is Timing.COLD]
        rows.append(
            FsacRow(
                competency=c,
                start=c.start_level,
                coach_now=coach[-1] if coach else None,
                self_now=self_[-1] if self_ else None,
                target=c.target,
                coach_history=tuple(coach),
                self_history=tuple(self_),
                last_cold=cold[-1] if cold else None,
            )
        )
    return rows


SPARK = " ▂▄▆█"


def sparkline(levels: tuple[Level, ...] | list[Level]) -> str:
    """One character per assessment, height by level (1 to 4)."""
    return "".join(SPARK[int(level)] for level in levels)


def bar(level: Level | None, target: Level | None, width: int = 4) -> str:
    """A level against the scale, the target marked: e.g. '██▒░' (2 of 4, target 3)."""
    cells = []
    for i in range(1, width + 1):
        if level is not None and i <= level:
            cells.append("█")
        elif target is not None and i <= target:
            cells.append("▒")
        else:
            cells.append("░")
    return "".join(cells)


def first_assessment_date(assessments: list[Assessment]) -> date | None:
    return min((a.on for a in assessments), default=None)
