"""The coach's supervision log (issue 15 §3): the coach's own supervision, as
EMCC's and the French federation's codes expect it kept. Each entry says when,
with whom, how long, individual or group supervision, the case it was about (an
engagement's random id, never a person's name) and what the coach learned.

A coach-level record, never shared, never inside an engagement's file: the store
keeps it in a file of its own (`store/supervision_log.py`). The limits below
apply to what is typed; an entry read back from the store is taken as it was
saved (`STORED`), so a log written by an older aoi still opens."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from pydantic import Field, ValidationInfo, field_validator

from aoi_tui.config.i18n import t
from aoi_tui.domain import clock
from aoi_tui.domain.ids import new_id
from aoi_tui.domain.models import STORED, Line, Model, Text

SCHEMA_VERSION = 1
EARLIEST = date(1990, 1, 1)
MAX_HOURS = Decimal(12)
"""One supervision rarely lasts more than a day's work: more is a typo (90 for 1.5)."""
MAX_LEARNED_CHARS = 20_000
MAX_SUPERVISOR_CHARS = 200


class SupervisionForm(StrEnum):
    INDIVIDUAL = "individual"
    GROUP = "group"


def date_problem(day: date) -> str | None:
    """What is wrong with the day of a supervision, said; None when plausible. A
    supervision is logged once it took place: a day ahead is allowed for a coach
    whose day starts before the server's."""
    if day > clock.today() + timedelta(days=1):
        return t("supervision.future", date=day.isoformat())
    if day < EARLIEST:
        return t("supervision.too_old", date=day.isoformat())
    return None


def parse_hours(text: str) -> Decimal:
    """Hours as typed: 1.5, 1,5 (French), 1h30, 90min. ValueError, said, otherwise."""
    raw = text.strip().lower().replace(" ", "")
    try:
        if raw.endswith("min"):
            value = Decimal(raw.removesuffix("min").replace(",", ".")) / 60
        elif "h" in raw:
            whole, _, minutes = raw.partition("h")
            value = Decimal(whole or "0") + (Decimal(minutes) / 60 if minutes else 0)
        else:
            value = Decimal(raw.replace(",", "."))
    except InvalidOperation:
        raise ValueError(t("supervision.bad_hours", hours=text[:40])) from None
    problem = hours_problem(value)
    if problem:
        raise ValueError(problem)
    return value.quantize(Decimal("0.01"))


def hours_problem(hours: Decimal) -> str | None:
    if not hours.is_finite() or hours <= 0:
        return t("supervision.hours_zero")
    if hours > MAX_HOURS:
        return t("supervision.hours_too_many", hours=f"{hours:.4g}", most=MAX_HOURS)
    return None


def _stored(info: ValidationInfo) -> bool:
    return bool(info.context and info.context.get("stored"))


class SupervisionEntry(Model):
    id: str = Field(default_factory=new_id)
    v: int = SCHEMA_VERSION
    on: date
    supervisor: Line
    hours: Decimal
    form: SupervisionForm = SupervisionForm.INDIVIDUAL
    case: str | None = None  # an engagement's id in this store, checked by the store
    learned: Text = ""
    case_erased: bool = False  # its case was erased: reference and text went with it
    created_at: datetime = Field(default_factory=clock.now)

    @field_validator("on")
    @classmethod
    def _plausible_day(cls, day: date, info: ValidationInfo) -> date:
        problem = None if _stored(info) else date_problem(day)
        if problem:
            raise ValueError(problem)
        return day

    @field_validator("hours")
    @classmethod
    def _plausible_hours(cls, hours: Decimal, info: ValidationInfo) -> Decimal:
        problem = None if _stored(info) else hours_problem(hours)
        if problem:
            raise ValueError(problem)
        return hours

    @field_validator("supervisor")
    @classmethod
    def _named(cls, name: str, info: ValidationInfo) -> str:
        if not _stored(info):
            if not name:
                raise ValueError(t("supervision.no_supervisor"))
            if len(name) > MAX_SUPERVISOR_CHARS:
                raise ValueError(t("supervision.too_long", most=MAX_SUPERVISOR_CHARS))
        return name

    @field_validator("learned")
    @classmethod
    def _learned_fits(cls, text: str, info: ValidationInfo) -> str:
        if not _stored(info) and len(text) > MAX_LEARNED_CHARS:
            raise ValueError(t("supervision.too_long", most=MAX_LEARNED_CHARS))
        return text


@dataclass(frozen=True)
class SupervisionTotals:
    """What the hours log (issue 15 §2) adds up: hours of supervision, individual
    and group, and how many supervisions, over a period."""

    sessions: int
    hours: Decimal
    individual_hours: Decimal
    group_hours: Decimal


def totals(
    entries: Iterable[SupervisionEntry], start: date | None = None, end: date | None = None
) -> SupervisionTotals:
    """The totals of the entries from `start` to `end` (both included; None: open)."""
    kept = [e for e in entries if (start is None or e.on >= start) and (end is None or e.on <= end)]

    def hours(form: SupervisionForm | None) -> Decimal:
        return sum((e.hours for e in kept if form is None or e.form is form), Decimal(0))

    return SupervisionTotals(
        sessions=len(kept),
        hours=hours(None),
        individual_hours=hours(SupervisionForm.INDIVIDUAL),
        group_hours=hours(SupervisionForm.GROUP),
    )


def read_entry(doc: dict[str, object]) -> SupervisionEntry:
    """An entry as the store saved it (no limit of what is typed applies)."""
    return SupervisionEntry.model_validate(doc, context=STORED)


__all__ = [
    "SupervisionEntry",
    "SupervisionForm",
    "SupervisionTotals",
    "date_problem",
    "hours_problem",
    "parse_hours",
    "read_entry",
    "totals",
]
