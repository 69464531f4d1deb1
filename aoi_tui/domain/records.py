"""What every stored record is made of: the base models, cleaned text, a record's
own id and schema version, and a validation (someone agreed to exactly this
text, at this time).

Apart from `models.py` so that the people of an engagement (`participants.py`)
and the engagement itself (`models.py`) can both build on it without importing
each other."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from typing import Annotated, ClassVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo

from aoi_tui.domain.ids import new_id
from aoi_tui.domain.text import clean, clean_line
from aoi_tui.domain.vocabulary import GROUP, SCHEMA_VERSION

Text = Annotated[str, AfterValidator(clean)]
Line = Annotated[str, AfterValidator(clean_line)]

STORED: dict[str, bool] = {"stored": True}
"""The validation context of a record read back from the store
(`EngagementFile._load`): the limits below apply to what is typed or imported,
never to what is already saved (a note saved by an older aoi still opens)."""


def stored(info: ValidationInfo) -> bool:
    """Is this a record read back from the store (`STORED`)?"""
    return bool(info.context and info.context.get("stored"))


def unset(value: object) -> bool:
    """For `exclude_if`: a field added for collective engagements is left out of a
    record while it says nothing (None, empty), so that an individual engagement's
    records keep the shape they had before (on disk and in the confidential file)."""
    return value is None or value == [] or value == ""


class Model(BaseModel):
    # defer_build: a model's validator is built on first use, not at import (start-up time)
    model_config = ConfigDict(extra="forbid", validate_assignment=True, defer_build=True)


class Record(Model):
    """Anything stored as its own document."""

    table: ClassVar[str]
    id: str = Field(default_factory=new_id)
    v: int = SCHEMA_VERSION


PARTICIPANT_ID = re.compile(r"[0-9a-z][0-9a-z-]{0,63}")
"""The shape of a participant's id: what `ids.new_id` makes (the demo's
readable ids, replaced by fresh ones when it is loaded, have hyphens)."""


def participant_id_problem(value: str) -> str | None:
    """What is wrong with `value` as a participant's id; None when it is one. A
    name ("Claire"), "group" or "n+1" is not: who validated an item, or whom it
    concerns, is always a participant's id, never someone else."""
    if value == GROUP or not PARTICIPANT_ID.fullmatch(value):
        return f"{value!r} is not a participant's id"
    return None


def _participant_id(value: str | None) -> str | None:
    problem = None if value is None else participant_id_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Validation(Model):
    """Someone's validation of exactly this text, at this time. `by` names the
    participant who gave it; None is the one person of an individual engagement
    (the coachee), as every validation was recorded before collective
    engagements: there, one person validates, and no one else could."""

    at: datetime
    text_sha256: str
    by: Annotated[str | None, AfterValidator(_participant_id)] = Field(
        default=None, exclude_if=unset
    )

    def holds_for(self, text_sha256: str) -> bool:
        return self.text_sha256 == text_sha256


__all__ = [
    "STORED",
    "Line",
    "Model",
    "Record",
    "Text",
    "Validation",
    "participant_id_problem",
    "stored",
    "text_hash",
    "unset",
]
