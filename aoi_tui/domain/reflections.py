"""The coach's own reflections, for supervision: what the coach thought, felt
and supposed about a phase, a session, or the engagement as a whole.

They are the coach's, about the coach's practice: never shared (no
visibility, no validation: the allow-list knows nothing of them, so they reach
neither the N+1 nor the coachee's recap). A case taken to supervision carries
them, pseudonymised (`exports/supervision_case.py`). Stored in the
engagement's file, in a table of their own, like any record."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from pydantic import Field

from aoi_tui.domain import clock
from aoi_tui.domain.models import NoteText, Record
from aoi_tui.domain.text import clean


class Reflection(Record):
    """`session` None: about the engagement as a whole; `phase` None: about
    the whole session."""

    table: ClassVar[str] = "reflections"

    session: int | None = Field(default=None, ge=1)
    phase: str | None = None
    reflections: NoteText = ""  # what the coach thinks happened, and the coach's part in it
    feelings: NoteText = ""  # what the coach felt
    hypotheses: NoteText = ""  # what the coach supposes is at play
    created_at: datetime = Field(default_factory=clock.now)
    edited_at: datetime | None = None

    def edit(self, *, reflections: str, feelings: str, hypotheses: str) -> None:
        texts = {"reflections": reflections, "feelings": feelings, "hypotheses": hypotheses}
        cleaned = {key: clean(value) for key, value in texts.items()}
        if any(getattr(self, key) != value for key, value in cleaned.items()):
            for key, value in cleaned.items():
                setattr(self, key, value)
            self.edited_at = clock.now()

    @property
    def empty(self) -> bool:
        return not (self.reflections.strip() or self.feelings.strip() or self.hypotheses.strip())
