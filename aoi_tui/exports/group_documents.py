"""What leaves the store for a collective engagement, built from the allow-list.

A group's documents are four: the report for one N+1 (`GroupReport`), the
recap of a session for the group (`GroupRecap`), the recap of a session for one
participant (`ParticipantRecap`), and the coach's confidential file (the
individual one's `ConfidentialFile`, rendered by person and for the group).
Every item is picked in by `allow_list.reaches` for its reader; the renderers
see only these models, never the store.

Whom an item concerns is said with names only where the reader may see them:
an item reaches an N+1 only when every person it names consented, agreed to
their items being reported and has that N+1; a participant's recap names the
others an item concerns only once each of them validated it. A group item
names nobody ("the group")."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from pydantic import Field

from aoi_tui.config.i18n import t
from aoi_tui.domain.allow_list import (
    Closing,
    ForParticipant,
    ForSponsor,
    Item,
    Message,
    ObjectiveProgress,
    Reader,
    attendance_reported,
    named_for,
    present_for,
    reaches,
    sponsors,
    validated_on,
)
from aoi_tui.domain.concerns import concerned, spoken
from aoi_tui.domain.models import (
    ActionStatus,
    Area,
    Audience,
    Engagement,
    Form,
    Level,
    Model,
    ObjectiveStatus,
    Owner,
    Participant,
    Session,
    SessionKind,
    Status,
)
from aoi_tui.domain.participants import same_person
from aoi_tui.store.engagement_file import EngagementFile
from aoi_tui.store.store import StoreError

T = TypeVar("T", bound=Item)


class NoSuchRecipient(StoreError):
    """A report for someone who is no N+1 of the group, or a recap for no participant."""


class NoConsentYet(NoSuchRecipient):
    """No report leaves for an N+1 before any participant consented."""


class GroupEntry(Model):
    """A note or a message as a reader of a group's document sees it."""

    about: list[str] | None  # the names of the people it concerns; None: the group
    session: int | None  # None where attendance is not reported
    text: str
    validated_on: date | None = None


class GroupAction(GroupEntry):
    owner: Owner
    due: date | None
    status: ActionStatus


class GroupSession(Model):
    number: int
    kind: SessionKind
    held_on: date
    present: list[str] | None  # the reader's own people who came; None: a one-to-one


class GroupObjective(Model):
    about: list[str] | None
    statement: str
    area: Area | None
    indicator: str
    expected_result: str
    status: ObjectiveStatus | None = None  # only where everyone it concerns agreed


class GroupCompetency(Model):
    about: list[str] | None
    name: str
    start_level: Level | None
    latest_level: Level | None
    target: Level | None


class GroupClosing(Model):
    synthesis: str
    next_steps: str
    validated_on: date | None


class GroupReport(Model):
    """The report for one N+1 of a group."""

    group: str
    form: Form
    sponsor: str
    coach: str
    organisation: str
    status: Status
    closed_on: date | None
    planned_sessions: int
    participants: list[str] = Field(default_factory=list)  # the ones this N+1 may read of
    sessions: list[GroupSession] = Field(default_factory=list)
    objectives: list[GroupObjective] = Field(default_factory=list)
    messages: list[GroupEntry] = Field(default_factory=list)
    notes: list[GroupEntry] = Field(default_factory=list)
    actions: list[GroupAction] = Field(default_factory=list)
    competencies: list[GroupCompetency] = Field(default_factory=list)
    closing: GroupClosing | None = None
    validation_dates: list[date] = Field(default_factory=list)


class GroupRecap(Model):
    """A session's recap for the group: what concerns the group, as the group validated it."""

    group: str
    coach: str
    session: int
    kind: SessionKind
    held_on: date
    message: str | None
    notes: list[str] = Field(default_factory=list)
    actions: list[GroupAction] = Field(default_factory=list)


class ParticipantRecap(Model):
    """A session's recap for one participant."""

    participant: str
    group: str
    coach: str
    session: int
    kind: SessionKind
    held_on: date
    message: str | None
    notes: list[GroupEntry] = Field(default_factory=list)
    actions: list[GroupAction] = Field(default_factory=list)
    # not at this session of the group: the recap must not read "what we agreed";
    # the prose says it, the JSON schema is unchanged
    absent: bool = Field(default=False, exclude=True)


def _names(item: Item, engagement: Engagement, reader: Reader) -> list[str] | None:
    """Whom an item that reaches `reader` concerns, in names (None: the group). A
    participant's own recap leaves them out of the names (it is theirs)."""
    concern = concerned(item, engagement)
    if concern.group:
        return None
    me = reader.participant_id if isinstance(reader, ForParticipant) else None
    return [p.name for p in engagement.participants if p.id in concern.people and p.id != me]


def _entries(
    items: list[T], engagement: Engagement, reader: Reader, text: Callable[[T], str]
) -> list[tuple[T, list[str] | None, str]]:
    return [
        (i, _names(i, engagement, reader), _spoken(i, engagement, text(i)))
        for i in items
        if reaches(i, engagement, reader)
    ]


def _said(message: Message, engagement: Engagement, reader: Reader) -> str | None:
    """The message for the N+1 as `reader` reads it, if it reaches them: without
    the `@prefix` that said whom it concerns, as a note (`_spoken`)."""
    if not reaches(message, engagement, reader):
        return None
    return _spoken(message, engagement, message.session.sponsor_message)


def _spoken(item: Item, engagement: Engagement, text: str) -> str:
    """The text without the `@prefix` that said whom it concerns (the reader sees
    the names beside it), resolved among those it concerns."""
    people = concerned(item, engagement).people
    return spoken(text, [p for p in engagement.participants if p.id in people])


def the_sponsor(engagement: Engagement, name: str | None) -> str:
    """The N+1 a report is for, as the engagement writes the name: `name` when it
    is one of the group's N+1s; the one N+1 when there is a single one and no
    name was given. NoSuchRecipient otherwise, with the names to choose from."""
    known = sponsors(engagement)
    if name is None:
        if len(known) == 1:
            return known[0]
        if not known:
            raise NoSuchRecipient("this group has no N+1: there is no report to make")
        raise NoSuchRecipient(
            f"this group has several N+1s: say whose report with --for-sponsor ({', '.join(known)})"
        )
    for n in known:
        if same_person(n, name):
            return n
    raise NoSuchRecipient(
        t("group_cli.no_such_n1", name=name) + (f" ({', '.join(known)})" if known else "")
    )


def build_group_report(ef: EngagementFile, sponsor: str | None) -> GroupReport:
    eng = ef.engagement()
    name = the_sponsor(eng, sponsor)
    if not any(p.agreement.consent_date is not None for p in eng.participants):
        # as for one coachee: nothing leaves for an N+1 before anyone consented
        raise NoConsentYet(
            "no participant has consented yet: record it first "
            "(aoi participant consent ENGAGEMENT PARTICIPANT --date YYYY-MM-DD)"
        )
    reader = ForSponsor(name)
    attendance = attendance_reported(eng)

    def number(n: int) -> int | None:
        return n if attendance else None

    all_sessions = ef.sessions()
    sessions = [
        GroupSession(
            number=s.number,
            kind=s.kind,
            held_on=s.held_on,
            present=[p.name for p in present_for(s, eng, name)] if s.collective else None,
        )
        for s in all_sessions
        if reaches(s, eng, reader)
    ]
    messages = [
        GroupEntry(
            about=about,
            session=number(m.session.number),
            text=text,
            validated_on=validated_on(m, eng),
        )
        for m, about, text in _entries(
            [Message(s) for s in all_sessions], eng, reader, lambda m: m.session.sponsor_message
        )
    ]
    notes = [
        GroupEntry(
            about=about, session=number(n.session), text=text, validated_on=validated_on(n, eng)
        )
        for n, about, text in _entries(
            sorted(ef.notes(), key=lambda n: (n.session, n.created_at)), eng, reader, _text
        )
    ]
    actions = [
        GroupAction(
            about=about,
            session=number(a.session),
            text=text,
            owner=a.owner,
            due=a.due,
            status=a.status,
            validated_on=validated_on(a, eng),
        )
        for a, about, text in _entries(
            sorted(ef.actions(), key=lambda a: (a.session, a.created_at)), eng, reader, _text
        )
    ]
    assessments = [a for a in ef.all_assessments() if reaches(a, eng, reader)]
    competencies = []
    for c in ef.competencies():
        if not reaches(c, eng, reader):
            continue
        marks = [a for a in assessments if a.competency_id == c.id]
        competencies.append(
            GroupCompetency(
                about=_names(c, eng, reader),
                name=c.name,
                start_level=c.start_level,
                latest_level=marks[-1].level if marks else None,
                target=c.target,
            )
        )
    closing = None
    if reaches(Closing(eng), eng, reader):
        closing = GroupClosing(
            synthesis=eng.closing_synthesis,
            next_steps=eng.closing_next,
            validated_on=validated_on(Closing(eng), eng),
        )
    days = {
        d
        for d in (
            *(m.validated_on for m in messages),
            *(n.validated_on for n in notes),
            *(a.validated_on for a in actions),
            closing.validated_on if closing else None,
        )
        if d is not None
    }
    return GroupReport(
        group=eng.group,
        form=eng.form,
        sponsor=name,
        coach=eng.coach,
        organisation=eng.organisation,
        status=eng.status,
        closed_on=eng.closed_on,
        planned_sessions=eng.planned_sessions,
        participants=[p.name for p in named_for(eng, name)],
        sessions=sessions,
        objectives=[
            GroupObjective(
                about=_names(o, eng, reader),
                statement=o.statement,
                area=o.area,
                indicator=o.indicator,
                expected_result=o.expected_result,
                status=o.status if reaches(ObjectiveProgress(o), eng, reader) else None,
            )
            for o in ef.objectives()
            if reaches(o, eng, reader)
        ],
        messages=messages,
        notes=notes,
        actions=actions,
        competencies=competencies,
        closing=closing,
        validation_dates=sorted(days),
    )


def _text(item: object) -> str:
    text: str = getattr(item, "text")  # noqa: B009 - a note or an action
    return text


def the_participant(engagement: Engagement, participant_id: str) -> Participant:
    p = engagement.member(participant_id)
    if p is None:
        raise NoSuchRecipient(f"no participant {participant_id} in this engagement")
    return p


def build_group_recap(ef: EngagementFile, number: int) -> GroupRecap:
    eng = ef.engagement()
    session = _session(ef, number)
    reader = Audience.GROUP_RECAP
    return GroupRecap(
        group=eng.group,
        coach=eng.coach,
        session=number,
        kind=session.kind,
        held_on=session.held_on,
        message=_said(Message(session), eng, reader),
        notes=[n.text for n in ef.notes(number) if reaches(n, eng, reader)],
        actions=[
            GroupAction(
                about=None,
                session=number,
                text=a.text,
                owner=a.owner,
                due=a.due,
                status=a.status,
            )
            for a in ef.actions(number)
            if reaches(a, eng, reader)
        ],
    )


def build_participant_recap(
    ef: EngagementFile, number: int, participant_id: str
) -> ParticipantRecap:
    eng = ef.engagement()
    me = the_participant(eng, participant_id)
    session = _session(ef, number)
    reader = ForParticipant(me.id)
    message = Message(session)
    return ParticipantRecap(
        participant=me.name,
        group=eng.group,
        coach=eng.coach,
        session=number,
        kind=session.kind,
        held_on=session.held_on,
        message=_said(message, eng, reader),
        absent=session.attendance is not None
        and me.id not in session.attendance,  # None: not taken
        notes=[
            GroupEntry(about=about, session=number, text=text)
            for _, about, text in _entries(ef.notes(number), eng, reader, _text)
        ],
        actions=[
            GroupAction(
                about=about, session=number, text=text, owner=a.owner, due=a.due, status=a.status
            )
            for a, about, text in _entries(ef.actions(number), eng, reader, _text)
        ],
    )


def _session(ef: EngagementFile, number: int) -> Session:
    try:
        return ef.session(number)
    except KeyError:
        raise ValueError(f"no session {number} in this engagement") from None


__all__ = [
    "GroupRecap",
    "GroupReport",
    "NoConsentYet",
    "NoSuchRecipient",
    "ParticipantRecap",
    "build_group_recap",
    "build_group_report",
    "build_participant_recap",
    "the_participant",
    "the_sponsor",
]
