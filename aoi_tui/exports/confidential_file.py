"""The coach's confidential file: everything recorded in one engagement."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from aoi_tui.domain.models import (
    Action,
    Agreement,
    Assessment,
    Competency,
    Engagement,
    ExportRecord,
    Format,
    Level,
    Model,
    Note,
    Objective,
    Participant,
    Session,
    Status,
    Tool,
    Validation,
)
from aoi_tui.domain.planning import PlannedSession, PlanStatus
from aoi_tui.store.engagement_file import EngagementFile


class ConfidentialFile(Model):
    engagement: Engagement
    objectives: list[Objective]
    competencies: list[Competency]
    assessments: list[Assessment]
    sessions: list[Session]
    notes: list[Note]
    actions: list[Action]
    tools: list[Tool]
    exports: list[ExportRecord]


def build_confidential_file(ef: EngagementFile) -> ConfidentialFile:
    return ConfidentialFile(
        engagement=ef.engagement(),
        objectives=ef.objectives(),
        competencies=ef.competencies(),
        assessments=ef.all_assessments(),
        sessions=ef.sessions(),
        notes=ef.notes(),
        actions=ef.actions(),
        tools=ef.tools(),
        exports=sorted(ef.all(ExportRecord), key=lambda e: e.at),
    )


class EngagementVersion1(Model):
    """The engagement of a version-1 confidential file: an individual engagement
    as aoi wrote it before collective engagements (the coachee, their agreement
    and their withdrawal inside it), field for field and in this order."""

    id: str
    v: int
    coachee: str
    sponsor: str
    coach: str
    organisation: str
    format: Format
    planned_sessions: int
    cadence_days: int
    status: Status
    coachee_expectations: str
    sponsor_expectations: str
    next_session: date | None
    agreement: Agreement
    strategy: str
    strategy_competence: Level | None
    strategy_motivation: str | None
    closing_synthesis: str
    closing_next: str
    closing_validation: Validation | None
    created_at: datetime
    closed_on: date | None
    withdrawn_on: date | None
    demo: bool


class ConfidentialFileVersion1(ConfidentialFile):
    """A version-1 confidential file (docs/export-json.md): its engagement is
    `EngagementVersion1`; its records leave out the fields of groups, empty."""

    engagement: EngagementVersion1  # type: ignore[assignment]


class ConfidentialFileVersion3(ConfidentialFile):
    """A version-3 confidential file (docs/export-json.md): version 2's, and the
    engagement's planned sessions (issue 15), cancelled ones and no-shows
    included, by day."""

    planned: list[PlannedSession]


def planned_sessions(ef: EngagementFile) -> list[PlannedSession]:
    """Every planned session of the engagement, by day and hour (a day without an
    hour first)."""
    return sorted(
        ef.all(PlannedSession), key=lambda p: (p.on, p.at is not None, p.at or 0, p.created_at)
    )


def said_by_next_session(eng: Engagement, planned: list[PlannedSession]) -> bool:
    """Whether `next_session` says all there is of the planned sessions: none, or
    the one day a store made before them had (upgraded into a planned session of
    that day, no hour, no duration, no kind, no place): a document of such a
    store keeps its version and its bytes."""
    if not planned:
        return True
    if len(planned) > 1:
        return False
    (p,) = planned
    return (
        p.on == eng.next_session
        and p.at is None
        and p.minutes is None
        and p.kind is None
        and not p.place
        and p.status is PlanStatus.PLANNED
    )


def confidential_json(
    cf: ConfidentialFile, planned: list[PlannedSession] | None = None
) -> tuple[int, dict[str, Any]]:
    """The confidential file as JSON, and the version of the schema it needs
    (docs/export-json.md). An individual engagement whose participant holds
    nothing but what version 1 had (a name, the agreement, a withdrawal) is
    written exactly as before, version 1 (`ConfidentialFileVersion1`).
    Anything else is version 2: the engagement as it is stored, with its
    `participants`. Planned sessions that `next_session` does not say make it
    version 3: version 2's fields and `planned` (`ConfidentialFileVersion3`)."""
    eng = cf.engagement
    if planned and not said_by_next_session(eng, planned):
        v3 = ConfidentialFileVersion3(**dict(cf), planned=planned)
        return 3, v3.model_dump(mode="json")
    if not (eng.individual and _said_by_version_1(eng)):
        return 2, cf.model_dump(mode="json")
    stored = eng.model_dump(exclude={"participants"})
    person = eng.participants[0]
    stored.update(coachee=person.name, agreement=person.agreement, withdrawn_on=person.withdrawn_on)
    known = EngagementVersion1.model_fields
    v1 = ConfidentialFileVersion1.model_validate(
        {
            **{name: getattr(cf, name) for name in ConfidentialFile.model_fields},
            "engagement": EngagementVersion1(**{k: stored[k] for k in known}),
        }
    )
    return 1, v1.model_dump(mode="json")


def _said_by_version_1(eng: Engagement) -> bool:
    p: Participant = eng.participants[0]
    return (
        not eng.group
        and not eng.pro_bono  # version 1 has no field for it: version 2 says it
        and eng.charter is None
        and not eng.closing_validations
        and not (p.function or p.sponsor or p.email or p.reports_to)
        and p.report_own_items
        and not p.programme_statistics
        and p.charter_agreement is None
    )
