"""What may reach the sponsor, built from an allow-list.

Each field of `SharedReport` is either a fact agreed in the three-way kickoff
or an item the coachee validated for its current text. Nothing here filters
private items out: the report is built by picking in what
`allow_list.reaches` lets in, and the renderers only ever see this model,
never the store."""

from __future__ import annotations

from datetime import date
from typing import TypeVar

from pydantic import Field

from aoi_tui.domain.allow_list import Closing, Item, Message, reaches, validated_on
from aoi_tui.domain.models import (
    ActionStatus,
    Area,
    Level,
    Model,
    ObjectiveStatus,
    Owner,
    SessionKind,
    Status,
)
from aoi_tui.store.engagement_file import EngagementFile
from aoi_tui.store.store import StoreError

T = TypeVar("T", bound=Item)


class ConsentMissing(StoreError):
    """No shared report leaves before the coachee's consent is recorded."""


class SharedAgreement(Model):
    consent_date: date
    confidentiality: str
    report_attendance: bool
    report_objective_status: bool
    report_competencies: bool
    right_to_withdraw: bool
    coach_supervised: bool = Field(default=False, exclude_if=lambda v: not v)


class SharedSession(Model):
    number: int
    kind: SessionKind
    held_on: date


class SharedObjective(Model):
    statement: str
    area: Area | None
    indicator: str
    expected_result: str
    status: ObjectiveStatus | None  # only where the agreement reports it


# Where the agreement does not report attendance (session dates and numbers),
# `session` and `validated_on` are None: neither a number nor a day reaches the sponsor.


class SharedMessage(Model):
    session: int | None
    text: str
    validated_on: date | None


class SharedNote(Model):
    session: int | None
    text: str
    validated_on: date | None


class SharedAction(Model):
    session: int | None
    text: str
    owner: Owner
    due: date | None
    status: ActionStatus  # the N+1 follows actions up
    validated_on: date | None


class SharedClosing(Model):
    """The closing review, as the coachee validated it."""

    synthesis: str
    next_steps: str
    validated_on: date | None


class SharedCompetency(Model):
    name: str
    start_level: Level | None
    latest_level: Level | None
    target: Level | None


class SharedReport(Model):
    coachee: str
    sponsor: str
    coach: str
    organisation: str
    status: Status
    closed_on: date | None  # the engagement was closed on this day
    withdrawn_on: date | None  # the coachee withdrew on this day
    period_start: date | None  # first and last session: None unless attendance is reported
    period_end: date | None
    planned_sessions: int
    agreement: SharedAgreement
    sessions: list[SharedSession] = Field(default_factory=list)  # empty unless reported
    objectives: list[SharedObjective] = Field(default_factory=list)
    messages: list[SharedMessage] = Field(default_factory=list)
    notes: list[SharedNote] = Field(default_factory=list)
    actions: list[SharedAction] = Field(default_factory=list)
    competencies: list[SharedCompetency] | None = None  # None: not agreed to report
    closing: SharedClosing | None = None  # None unless validated for its current text
    validation_dates: list[date] = Field(default_factory=list)


def build_shared_report(ef: EngagementFile) -> SharedReport:
    eng = ef.engagement()
    agreement = eng.agreement
    if agreement.consent_date is None:
        raise ConsentMissing(
            "no consent recorded for this engagement: record it first "
            "(`aoi engagement consent ENGAGEMENT --date YYYY-MM-DD`)"
        )

    def allowed(items: list[T]) -> list[T]:
        return [item for item in items if reaches(item, eng)]

    all_sessions = ef.sessions()
    sessions = allowed(all_sessions)
    attendance = agreement.report_attendance

    def number(session: int) -> int | None:
        # Without attendance, not even a session number reaches the sponsor.
        return session if attendance else None

    messages = [
        SharedMessage(
            session=number(m.session.number),
            text=m.session.sponsor_message,
            validated_on=validated_on(m, eng),
        )
        for m in allowed([Message(s) for s in all_sessions])
    ]
    notes = [
        SharedNote(session=number(n.session), text=n.text, validated_on=validated_on(n, eng))
        for n in allowed(sorted(ef.notes(), key=lambda n: (n.session, n.created_at)))
    ]
    actions = [
        SharedAction(
            session=number(a.session),
            text=a.text,
            owner=a.owner,
            due=a.due,
            status=a.status,
            validated_on=validated_on(a, eng),
        )
        for a in allowed(sorted(ef.actions(), key=lambda a: (a.session, a.created_at)))
    ]
    competencies = None
    if agreement.report_competencies:
        competencies = []
        assessments = allowed(ef.all_assessments())
        for c in allowed(ef.competencies()):
            marks = sorted((a for a in assessments if a.competency_id == c.id), key=lambda a: a.on)
            competencies.append(
                SharedCompetency(
                    name=c.name,
                    start_level=c.start_level,
                    latest_level=marks[-1].level if marks else None,
                    target=c.target,
                )
            )
    closing = None
    if reaches(Closing(eng), eng):
        closing = SharedClosing(
            synthesis=eng.closing_synthesis,
            next_steps=eng.closing_next,
            validated_on=validated_on(Closing(eng), eng),
        )
    validation_dates = sorted(
        {
            day
            for day in (
                *(m.validated_on for m in messages),
                *(n.validated_on for n in notes),
                *(a.validated_on for a in actions),
                closing.validated_on if closing else None,
            )
            if day is not None
        }
    )
    dates = [s.held_on for s in sessions]
    return SharedReport(
        coachee=eng.coachee,
        sponsor=eng.sponsor,
        coach=eng.coach,
        organisation=eng.organisation,
        status=eng.status,
        closed_on=eng.closed_on,
        withdrawn_on=eng.withdrawn_on,
        period_start=min(dates, default=None),
        period_end=max(dates, default=None),
        planned_sessions=eng.planned_sessions,
        agreement=SharedAgreement(
            consent_date=agreement.consent_date,
            confidentiality=agreement.confidentiality,
            report_attendance=attendance,
            report_objective_status=agreement.report_objective_status,
            report_competencies=agreement.report_competencies,
            right_to_withdraw=agreement.right_to_withdraw,
            coach_supervised=agreement.coach_supervised,
        ),
        sessions=[SharedSession(number=s.number, kind=s.kind, held_on=s.held_on) for s in sessions],
        objectives=[
            SharedObjective(
                statement=o.statement,
                area=o.area,
                indicator=o.indicator,
                expected_result=o.expected_result,
                status=o.status if agreement.report_objective_status else None,
            )
            for o in allowed(ef.objectives())
        ],
        messages=messages,
        notes=notes,
        actions=actions,
        competencies=competencies,
        closing=closing,
        validation_dates=validation_dates,
    )
