"""What a coach's store sends a programme's lead: the feed built from the
engagements enrolled in the programme (`facts.py`: codes and numbers, for the
participants who agreed to programme statistics), sealed to the lead's age key,
and recorded: in the programme book and in the export log of each engagement it
covers. Used by `aoi programme feed` and the TUI's feed screen alike."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from aoi_tui.domain import clock
from aoi_tui.domain.models import (
    Assessment,
    Assessor,
    Competency,
    Engagement,
    Level,
    Objective,
    Participant,
    Session,
    SessionKind,
    Status,
    Timing,
)
from aoi_tui.programme.definition import Programme, ProgrammeError
from aoi_tui.programme.facts import (
    EngagementFacts,
    PersonFacts,
    SessionFacts,
    build_feed,
)
from aoi_tui.programme.feed import Feed
from aoi_tui.store.programme_book import ProgrammeBook
from aoi_tui.store.store import NoSuchEngagement, Store

HANDOVER_KINDS = tuple(k for k in SessionKind if k.value.endswith("aoi"))
"""The sessions that end with a handover to the N+1 (an AOI, a team's AOI)."""


# -- today's individual engagements ---------------------------------------------


def programme_competency(competency: Competency, programme_ids: set[str]) -> str | None:
    """The programme referential's id of an engagement's competency: the id it
    keeps from the referential, else the one its name has in either language;
    None for a competency of the coach's own or of another referential."""
    from aoi_tui.domain.referentials import competency_id_for

    found = competency.referential_id or competency_id_for(competency.name)
    return found if found in programme_ids else None


def counted(participant: Participant, today: date) -> bool:
    """Agreed to programme statistics, with consent given by `today`: consent to
    the N+1's report is not consent to this."""
    consent = participant.agreement.consent_date
    return participant.programme_statistics and consent is not None and consent <= today


def facts_from_engagement(
    engagement: Engagement,
    sessions: list[Session],
    objectives: list[Objective],
    competencies: list[Competency],
    assessments: list[Assessment],
    *,
    site: str | None,
    referential_id: str,
    today: date,
) -> EngagementFacts | None:
    """An engagement as facts, for the participants who agreed to programme
    statistics (None when none did). A participant who withdrew from a group is
    left out; an individual engagement withdrawn is sent as a withdrawal only
    (its key and status: the report counts withdrawals at programme level).
    Objectives and FSAC levels are a person's where their agreement also
    reports them (`report_objective_status`, `report_competencies`)."""
    from aoi_tui.domain.fsac import fsac_rows

    individual = engagement.individual
    withdrawn = engagement.status is Status.WITHDRAWN
    people = [
        p
        for p in engagement.participants
        if counted(p, today) and (individual or p.withdrawn_on is None or p.withdrawn_on > today)
    ]
    if not people:
        return None
    held = [s for s in sessions if s.held_on <= today] if not withdrawn else []
    from aoi_tui.domain.referentials import referential

    programme_ids = {c.id for c in referential("en", referential_id).competencies}

    def theirs(about: list[str], pid: str) -> bool:
        return individual or pid in about

    persons = []
    for p in people:
        allow_objectives = p.agreement.report_objective_status and not withdrawn
        allow_competencies = p.agreement.report_competencies and not withdrawn
        fsac: list[tuple[str, Level | None, Level | None]] = []
        own: list[tuple[str, Level | None, Level | None]] = []
        if allow_competencies:
            mine = [c for c in competencies if theirs(c.about, p.id)]
            marks = [a for a in assessments if theirs(a.about, p.id)]
            for row in fsac_rows(mine, marks):
                cid = programme_competency(row.competency, programme_ids)
                if cid is not None:
                    # the level at the start: the framing's, else the first mark
                    start = row.start or (row.coach_history[0] if row.coach_history else None)
                    fsac.append((cid, start, row.coach_now))
                    own.append((cid, *_self_assessed(row.competency.id, marks)))
        feelings = [s.feeling for s in sorted(held, key=lambda s: s.number) if s.feeling]
        persons.append(
            PersonFacts(
                local_id=f"{engagement.id}/{p.id}",
                objectives=tuple((o.area, o.status) for o in objectives if theirs(o.about, p.id))
                if allow_objectives
                else None,
                competencies=tuple(fsac) if allow_competencies else None,
                self_assessed=tuple(own),
                # the feeling on the fixed scale is the coachee's own, one person's
                evaluation_hot=feelings[-1] if feelings and individual else None,
            )
        )
    return EngagementFacts(
        local_id=engagement.id,
        site=site,
        format=engagement.format,
        form=engagement.form.value,
        status=engagement.status,
        planned_sessions=engagement.planned_sessions,
        cadence_days=engagement.cadence_days,
        sessions=tuple(
            SessionFacts(held_on=s.held_on, kind=s.kind, handover=_handover(s)) for s in held
        ),
        people=tuple(persons),
    )


def _self_assessed(
    competency_id: str, marks: list[Assessment]
) -> tuple[Level | None, Level | None]:
    """The person's own latest levels for a competency: at the end of a session
    (hot) and weeks later (cold), each a fixed choice on the FSAC scale."""
    own = sorted(
        (a for a in marks if a.competency_id == competency_id and a.by is Assessor.SELF),
        key=lambda a: (a.on, a.session or 0),
    )
    hot = [a.level for a in own if a.timing is Timing.HOT]
    cold = [a.level for a in own if a.timing is Timing.COLD]
    return (hot[-1] if hot else None), (cold[-1] if cold else None)


def _handover(session: Session) -> bool | None:
    if session.kind not in HANDOVER_KINDS:
        return None
    return any(p.phase.endswith("handover") and p.started_at is not None for p in session.phases)


def build_coach_feed(store: Store, programme: Programme) -> tuple[Feed, list[str]]:
    """The feed of this store for `programme`, and the engagements it covers."""
    book = ProgrammeBook(store)
    today = clock.today()
    facts: list[EngagementFacts] = []
    gone: set[str] = set()
    for eid, site in sorted(book.members(programme.id).items()):
        try:
            ef = store.engagement(eid)
            engagement = ef.engagement()
        except NoSuchEngagement:
            gone.add(eid)  # erased: nothing of it leaves again
            continue
        if site is not None and site not in programme.site_codes:
            raise ProgrammeError(
                f"engagement {eid}: its site {site} is no longer in the programme file: "
                "enrol it at one of the sites listed (`aoi programme enrol`)"
            )
        found = facts_from_engagement(
            engagement,
            ef.sessions(),
            ef.objectives(),
            ef.competencies(),
            ef.all_assessments(),
            site=site,
            referential_id=programme.referential.id,
            today=today,
        )
        if found is not None:
            facts.append(found)
    if gone:
        book.forget(gone)
    feed = build_feed(
        programme,
        book.coach_key(programme.id),
        lambda ids: book.keys(programme.id, ids),
        facts,
        written_at=clock.now(),
    )
    return feed, [f.local_id for f in facts]


def keep_referential_ids(store: Store, engagement_id: str) -> int:
    """The migration of an engagement's competencies when it joins a programme:
    each copied from a referential before competencies kept their id gets the id
    its name has there, in French or in English (case, accents and spaces aside);
    the coach's own keep none. Returns how many were matched; writes only then."""
    from aoi_tui.domain.referentials import competency_id_for

    ef = store.engagement(engagement_id)
    matched = 0
    with ef.batch():
        for competency in ef.competencies():
            if competency.referential_id is None:
                found = competency_id_for(competency.name)
                if found is not None:
                    competency.referential_id = found
                    ef.update(competency)
                    matched += 1
    return matched


def record_feed(
    store: Store, programme: Programme, covered: list[str], written: Path | str
) -> None:
    """A feed written (a path, or "-" for standard output) is recorded: in the
    programme book and in the export log of each engagement it covers."""
    where = "(standard output)" if written == "-" else str(Path(written).resolve())
    ProgrammeBook(store).log_feed(programme.id, clock.now().isoformat(), where, covered)
    record_in_engagements(store, covered, where)


def record_in_engagements(store: Store, covered: list[str], where: str) -> None:
    """Each engagement's export log says a programme feed left with it."""
    from aoi_tui.domain.models import Audience, ExportRecord

    for eid in covered:
        store.engagement(eid).insert(
            ExportRecord(audience=Audience.PROGRAMME, format="age", filename=where)
        )
