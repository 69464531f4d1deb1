"""A case taken to supervision: the coach's question for the supervisor, the
contract in outline (format, sessions, what is reported), what happened
session by session and phase by phase with the coach's own reflections,
feelings and hypotheses (`domain/reflections.py`), and only the notes the
coach picks (none by default; private ones may be picked: supervision is
about the coach's practice).

A case holds no date: each session is told by its number and its week from
the start. `build_supervision_case` reads it from the store as typed (names
included); `pseudonymise_case` turns every free text of it into a
`PseudonymousCase`, the only thing the renderers take
(`supervision_markdown.py`), and returns the preview apart: what was replaced
and flagged, with the original names, for the coach's eyes only."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from enum import Enum

from pydantic import Field

from aoi_tui.domain.models import (
    Engagement,
    Format,
    Model,
    Note,
    NoteKind,
    Role,
    Session,
    SessionKind,
)
from aoi_tui.domain.reflections import Reflection
from aoi_tui.domain.vocabulary import counts_as_held
from aoi_tui.exports.pseudonyms import Name, Preview, Pseudonymiser, Who
from aoi_tui.exports.typed_dates import Calendar
from aoi_tui.store.engagement_file import EngagementFile


class CaseContract(Model):
    format: Format
    planned_sessions: int
    sessions_held: int
    cadence_days: int
    consent_recorded: bool
    right_to_withdraw: bool
    report_attendance: bool
    report_objective_status: bool
    report_competencies: bool
    confidentiality: str  # free text


class CaseThoughts(Model):
    """The coach's reflections on the engagement, a session or a phase."""

    phase: str | None  # an id from phases.toml, never free text
    reflections: str
    feelings: str
    hypotheses: str


class CasePhase(Model):
    phase: str
    minutes: int | None  # None: not timed
    target_minutes: int


class CaseNote(Model):
    phase: str
    kind: NoteKind
    role: Role | None
    text: str


class CaseSession(Model):
    number: int
    kind: SessionKind
    week: int  # from the start: the first session is in week 1
    phases: list[CasePhase] = Field(default_factory=list)
    cards_drawn: dict[Role, int] = Field(default_factory=dict)
    thoughts: list[CaseThoughts] = Field(default_factory=list)  # the session's, then its phases'
    notes: list[CaseNote] = Field(default_factory=list)  # those the coach picked


class SupervisionCase(Model):
    question: str
    contract: CaseContract
    thoughts: list[CaseThoughts] = Field(default_factory=list)  # on the engagement as a whole
    sessions: list[CaseSession] = Field(default_factory=list)


class PseudonymousCase(Model):
    """A case whose every free text went through the pseudonymiser: what the
    renderers take. Made by `pseudonymise_case` only."""

    case: SupervisionCase


class UnknownNote(ValueError):
    """A note picked for the case is not one of the engagement's (`ids`: which)."""

    def __init__(self, ids: Sequence[str]) -> None:
        self.ids = ", ".join(ids)
        super().__init__(f"no note {self.ids} in this engagement")


# -- the engagement's time and names ----------------------------------------------------------


def engagement_start(eng: Engagement, sessions: Sequence[Session]) -> date:
    """Day one: the first session held, else the day the engagement was opened."""
    return min((s.held_on for s in sessions), default=eng.created_at.date())


def engagement_calendar(eng: Engagement, sessions: Sequence[Session]) -> Calendar:
    start = engagement_start(eng, sessions)
    held: dict[date, int] = {}
    for s in sorted(sessions, key=lambda s: s.number):
        held.setdefault(s.held_on, s.number)
    last = max([start, *held, *(d for d in (eng.next_session, eng.closed_on) if d)])
    return Calendar(start=start, end=last, sessions=held)


def engagement_names(
    eng: Engagement,
    participants: Sequence[str] = (),
    sites: Sequence[str] = (),
    others: Iterable[Name] = (),
) -> list[Name]:
    """The names a case hides: the engagement's coachee (in a group: the group's
    name, and each participant as P1, P2… in the engagement's order, with their
    own N+1 and e-mail address), N+1, coach and organisation, the participants
    given (P1, P2… in this order), the sites (numbered when there are several),
    and any others."""
    names = [
        Name(eng.coachee, Who.COACHEE if eng.individual else Who.GROUP),
        Name(eng.sponsor, Who.SPONSOR),
        Name(eng.coach, Who.COACH),
        Name(eng.organisation, Who.ORGANISATION),
    ]
    if not eng.individual and not participants:
        people = eng.participants
        participants = [p.name for p in people]
        others = [
            *others,
            *(Name(p.sponsor, Who.SPONSOR, i) for i, p in enumerate(people, 1) if p.sponsor),
            *(Name(p.email, Who.PARTICIPANT, i) for i, p in enumerate(people, 1) if p.email),
        ]
    names += [Name(p, Who.PARTICIPANT, i) for i, p in enumerate(participants, 1)]
    names += [Name(s, Who.SITE, i if len(sites) > 1 else None) for i, s in enumerate(sites, 1)]
    names += others
    return [n for n in names if n.text.strip()]


# -- the case, as typed ---------------------------------------------------------------------


def case_from(
    eng: Engagement,
    sessions: Sequence[Session],
    notes: Sequence[Note],
    reflections: Sequence[Reflection],
    question: str,
    note_ids: Sequence[str] = (),
) -> SupervisionCase:
    """The case from the engagement's records, names and all (not yet
    pseudonymised). Only the notes whose ids are given; an unknown id is an error."""
    by_id = {n.id: n for n in notes}
    unknown = [i for i in note_ids if i not in by_id]
    if unknown:
        raise UnknownNote(unknown)
    picked = sorted({by_id[i].id: by_id[i] for i in note_ids}.values(), key=lambda n: n.created_at)
    start = engagement_start(eng, sessions)
    numbers = {s.number for s in sessions}
    ordered = sorted(reflections, key=lambda r: r.created_at)
    agreements = [p.agreement for p in eng.participants] or [eng.agreement]
    # in a group: each participant's agreement; the contract says what all agreed
    # to (consent) and the most any of them lets reach their N+1
    agreement = eng.agreement if eng.individual else agreements[0]
    confidentiality = (
        agreement.confidentiality
        if eng.individual
        else (eng.charter.confidentiality if eng.charter else "")
    )
    return SupervisionCase(
        question=question,
        contract=CaseContract(
            format=eng.format,
            planned_sessions=eng.planned_sessions,
            sessions_held=sum(1 for s in sessions if counts_as_held(s.kind)),
            cadence_days=eng.cadence_days,
            consent_recorded=all(a.consent_date is not None for a in agreements),
            right_to_withdraw=all(a.right_to_withdraw for a in agreements),
            report_attendance=any(a.report_attendance for a in agreements),
            report_objective_status=any(a.report_objective_status for a in agreements),
            report_competencies=any(a.report_competencies for a in agreements),
            confidentiality=confidentiality,
        ),
        thoughts=[
            _thoughts(r, None)
            for r in ordered
            if (r.session is None or r.session not in numbers) and not r.empty
        ],
        sessions=[
            _session(s, start, [r for r in ordered if r.session == s.number], picked)
            for s in sorted(sessions, key=lambda s: s.number)
        ],
    )


def _thoughts(r: Reflection, phase: str | None) -> CaseThoughts:
    return CaseThoughts(
        phase=phase, reflections=r.reflections, feelings=r.feelings, hypotheses=r.hypotheses
    )


def _session(
    s: Session, start: date, reflections: list[Reflection], picked: list[Note]
) -> CaseSession:
    phase_order = {phase: i for i, phase in enumerate(s.phase_ids)}
    on_phases = sorted(
        (r for r in reflections if r.phase in phase_order and not r.empty),
        key=lambda r: phase_order[r.phase or ""],
    )
    # a reflection on a phase this session does not have is about the session
    whole = [r for r in reflections if r.phase not in phase_order and not r.empty]
    return CaseSession(
        number=s.number,
        kind=s.kind,
        week=(s.held_on - start).days // 7 + 1,
        phases=[
            CasePhase(
                phase=p.phase,
                minutes=round((p.ended_at - p.started_at).total_seconds() / 60)
                if p.started_at and p.ended_at
                else None,
                target_minutes=p.target_minutes,
            )
            for p in s.phases
        ],
        cards_drawn=dict(s.cards_drawn),
        thoughts=[_thoughts(r, None) for r in whole] + [_thoughts(r, r.phase) for r in on_phases],
        notes=[
            CaseNote(
                phase=n.phase if n.phase in phase_order else "",
                kind=n.kind,
                role=n.role,
                text=n.text,
            )
            for n in picked
            if n.session == s.number
        ],
    )


def build_supervision_case(
    ef: EngagementFile, question: str, note_ids: Sequence[str] = ()
) -> SupervisionCase:
    return case_from(
        ef.engagement(), ef.sessions(), ef.notes(), ef.all(Reflection), question, note_ids
    )


# -- pseudonymised ------------------------------------------------------------------------------

_NOT_TEXT = frozenset({"phase"})  # identifiers: read from phases.toml, never typed


def pseudonymise_case(
    case: SupervisionCase, pseudonymiser: Pseudonymiser
) -> tuple[PseudonymousCase, Preview]:
    """Every free text of the case pseudonymised (every string of the model
    but its enumerations and phase ids: a field added later is pseudonymised
    too), and the preview of all of them, apart."""
    previews: list[Preview] = []

    def walk(value: object, key: str = "") -> object:
        if isinstance(value, Enum) or key in _NOT_TEXT:
            return value
        if isinstance(value, str):
            text, preview = pseudonymiser.apply(value)
            previews.append(preview)
            return text
        if isinstance(value, dict):
            return {k: walk(v, k if isinstance(k, str) else "") for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, key) for v in value]
        return value

    walked = walk(case.model_dump())
    return PseudonymousCase(case=SupervisionCase.model_validate(walked)), Preview.merge(previews)


def supervision_case(
    ef: EngagementFile,
    question: str,
    lang: str,
    note_ids: Sequence[str] = (),
    participants: Sequence[str] = (),
    sites: Sequence[str] = (),
    others: Iterable[Name] = (),
) -> tuple[PseudonymousCase, Preview]:
    """The case of one engagement, pseudonymised, and its preview: what the
    export screen and `aoi export --supervision` show and write."""
    eng = ef.engagement()
    sessions = ef.sessions()
    case = case_from(eng, sessions, ef.notes(), ef.all(Reflection), question, note_ids)
    names = engagement_names(eng, participants, sites, others)
    pseudonymiser = Pseudonymiser(names, lang, engagement_calendar(eng, sessions))
    return pseudonymise_case(case, pseudonymiser)
