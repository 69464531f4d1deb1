"""The line above a live session: its phases with their elapsed and target
times, the running one marked in words and brackets, and the session's total."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.widgets import Static

from aoi_tui.config.i18n import language, t
from aoi_tui.domain.models import Session, SessionKind
from aoi_tui.domain.phases import phases_for
from aoi_tui.live.session_clock import current_index, format_duration, phase_times, session_elapsed


def phase_label(kind: SessionKind, phase: str) -> str:
    """A phase's name, in the coach's language, for a session of `kind`."""
    for p in phases_for(kind.value):
        if p.id == phase:
            return p.label(language())
    return phase


NBSP = "\u00a0"
"""Between the words of a phase: it wraps whole, never in the middle of its name."""


class PhaseStepper(Static):
    """Phases with elapsed / target time; the running one marked in words and brackets.
    When the names do not fit on a line, the next phase keeps its name and the
    others show their number; a phase's name never breaks across lines."""

    _shape: tuple[int, ...] = ()
    """The length of the line shown and where it may wrap (its spaces)."""

    def show(self, session: Session, now: datetime) -> None:
        width = (self.size.width or self.app.size.width) - 2  # its padding
        for names in ("all", "next", "current"):
            line = self._line(session, now, names)
            if line.cell_len <= width:
                break
        # The screen is laid out again only if the line may take another height: once
        # a second the timers change digits only (a layout then cost every key typed
        # in that frame a few milliseconds more).
        plain = line.plain
        shape = (line.cell_len, *(i for i, c in enumerate(plain) if c == " "))
        self.update(line, layout=shape != self._shape)
        self._shape = shape

    def _line(self, session: Session, now: datetime, names: str) -> Text:
        times = phase_times(session, now)
        current = current_index(session)
        line = Text()
        for i, pt in enumerate(times):
            if i:
                line.append(" › ", style="dim")
            label = f"{i + 1} {phase_label(session.kind, pt.phase)}".replace(" ", NBSP)
            if i == current:
                line.append(
                    f"[{label}{NBSP}{format_duration(pt.elapsed)}/{pt.target.seconds // 60}′]",
                    style="bold reverse",
                )
                if pt.overrun:
                    line.append(" " + t("ui.phase.overrun"), style="bold underline")
                elif pt.over_target:
                    line.append(" " + t("ui.phase.over_target"), style="underline")
            else:
                done = pt.elapsed.total_seconds() > 0
                named = names == "all" or (names == "next" and i == current + 1)
                shown = label if named else str(i + 1)
                line.append(shown + (f"{NBSP}{format_duration(pt.elapsed)}" if done else ""))
        total = f"{t('ui.session.total')} {format_duration(session_elapsed(session, now))}"
        line.append("   " + total.replace(" ", NBSP))
        return line
