"""The one allow-list: what reaches whom.

`reaches(item, engagement, audience)` is the single decision, for every kind
of item, used by the sponsor's report (every format), the recaps, the
sponsor-safe view (F2) of every screen, the handover panel and the group-safe
view. Nothing filters private items out: each reader gets what is let in here.

The readers (`audience`): the N+1 (`Audience.SHARED`: the engagement's N+1;
`ForSponsor(name)`: the report for one N+1 of a group), the person coached
(`Audience.RECAP`; in a group `ForParticipant(id)`: one participant's recap),
the group (`Audience.GROUP_RECAP`: the group's recap of a collective session;
`Audience.GROUP_ROOM`: what may show while the group is in the room), the
coach (`Audience.CONFIDENTIAL`: everything).

**An individual engagement** (one participant, the coachee; unchanged):

- Nothing reaches the N+1 before the coachee's consent is recorded.
- A note, an action (whoever owns it: the coachee, the N+1 or the coach), the
  message for the N+1 and the closing review reach the N+1 only when shareable
  and validated by the coachee *for their current text* (an edit after the
  validation means not validated), and the validation was given while the
  agreement held: on or after the consent date and before the day the coachee
  withdrew. After a withdrawal nothing new is validated for the N+1.
- Facts framed in the three-way kickoff (the objectives) reach the N+1 once
  consent is recorded; sessions (dates, numbers) and competency levels only
  where the agreement reports them; tools never.
- Session dates not reported: no day of a validation either (`validated_on`).
- The coachee's recap: what the coachee validated (notes, the message for the
  N+1, other owners' actions) and the coachee's own actions; nothing the coach
  kept private. Consent and withdrawal are about the N+1: the recap is theirs.

**A group** (a team, or peers; the same rule, each person in it):

- An item about one or several participants (`concerns.concerned`) reaches an
  N+1 only if each of them validated it (`validations.validation_by`) while
  their agreement held, has consented and not withdrawn, agreed to the
  reporting of their own items, and has that N+1 as theirs: a report for one
  N+1 holds nothing about people whose N+1 is someone else.
- An item about the group reaches the N+1 only once every participant who was
  in the group that day validated it while their agreement held; anyone may
  withhold it (their validation is simply missing: nothing says who, or that
  anything was withheld). In a team, to the team's N+1. In a peer group, to no
  N+1 unless the charter says group items go to the N+1s and every participant
  agreed to the charter as it stands.
- A participant who did not consent, or withdrew, appears in no output for an
  N+1 from then on: no name, no item of theirs, no item whose text names them
  (a group's "Olivier left us", validated by those who stay: withheld whole,
  since a neutral word would still say that someone left), and no attendance
  from which their absence could be read: attendance (the sessions, who was
  there) is reported only while every participant has consented, not
  withdrawn, and agreed to it.
- Framing facts (objectives; competencies and FSAC marks where agreed) follow
  the same lines without a validation: a person's to their own N+1 where they
  agreed to report their own items, the group's where every participant still
  in the group consented (and, for levels, agreed to report them).
- An objective's progress (`ObjectiveProgress`) goes where its objective goes,
  and to an N+1 only where everyone it concerns agreed to report objectives'
  progress (a group objective: every participant still in the group). Only
  the participants' own agreements count: nothing the N+1 agreed or did.
- A participant's recap: their own items they validated and their own
  actions; an item about them and others once each of the others validated it
  (and has not withdrawn); the group's items once the group validated them, the
  group's own actions. The group's recap: the group's items only, on the same
  terms. Nothing about one person ever shows while the group is in the room
  (`group_safe`): only what concerns the group, its private notes included (as
  the coachee sees every note of their own session with the coach)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from aoi_tui.domain.concerns import concerned, named_in
from aoi_tui.domain.items import Closing, Item, Message, ObjectiveProgress, Validated, item_day
from aoi_tui.domain.models import (
    Action,
    Assessment,
    Audience,
    Competency,
    Engagement,
    Form,
    Note,
    Objective,
    Owner,
    Participant,
    Session,
    Status,
    Tool,
    Validation,
)
from aoi_tui.domain.participants import same_person
from aoi_tui.domain.validations import coachee_validation, validation_by


@dataclass(frozen=True)
class ForSponsor:
    """The report for one N+1, by the name the coach wrote (the engagement's
    sponsor, or a participant's own N+1 in a peer group)."""

    name: str


@dataclass(frozen=True)
class ForParticipant:
    """One participant's own recap."""

    participant_id: str


Reader = Audience | ForSponsor | ForParticipant


def holding_validation(item: Validated) -> Validation | None:
    """The coachee's validation that holds for the item as it is now (an
    individual engagement's; a group's are per person: `validations`)."""
    return coachee_validation(item)


def validation_open(engagement: Engagement) -> bool:
    """Whether a validation given now can still reach the N+1: not after a withdrawal."""
    return engagement.status is not Status.WITHDRAWN and engagement.withdrawn_on is None


def validation_open_for(participant: Participant, engagement: Engagement) -> bool:
    """Whether `participant`'s validation given now can still reach an N+1."""
    return (
        engagement.status is not Status.WITHDRAWN
        and participant.withdrawn_on is None
        and (not engagement.individual or validation_open(engagement))
    )


def sponsor_of(participant: Participant, engagement: Engagement) -> str:
    """Whose report a participant's own items may go to: their own N+1 in a peer
    group (none when none is named), the engagement's N+1 otherwise."""
    return participant.sponsor if engagement.form is Form.PEERS else engagement.sponsor


def sponsors(engagement: Engagement) -> list[str]:
    """Every N+1 a report may be made for, each once, in order of appearance."""
    names: list[str] = []
    for name in [engagement.sponsor, *(sponsor_of(p, engagement) for p in engagement.participants)]:
        if name.strip() and not any(same_person(name, n) for n in names):
            names.append(name)
    return names


def reaches(item: Item, engagement: Engagement, audience: Reader = Audience.SHARED) -> bool:
    """Whether `item` reaches the reader of `audience` (see the module's docstring).
    The one decision."""
    if audience is Audience.CONFIDENTIAL:
        return True
    if isinstance(item, ObjectiveProgress):
        return _progress_reaches(item, engagement, audience)
    if audience is Audience.GROUP_ROOM:
        return group_safe(item, engagement)
    if audience is Audience.GROUP_RECAP:
        if engagement.individual:
            return reaches(item, engagement, Audience.RECAP)
        return _to_the_group(item, engagement)
    if audience is Audience.SHARED:
        return _to_sponsor(item, engagement, engagement.sponsor)
    if audience is Audience.RECAP:
        if not engagement.individual:
            return False  # a group's recap is one participant's, or the group's
        return _to_participant(item, engagement, engagement.participants[0].id)
    if isinstance(audience, ForSponsor):
        return _to_sponsor(item, engagement, audience.name)
    if isinstance(audience, ForParticipant):
        return _to_participant(item, engagement, audience.participant_id)
    return False  # a reader this rule does not know gets nothing


def _progress_reaches(item: ObjectiveProgress, engagement: Engagement, audience: Reader) -> bool:
    if not reaches(item.objective, engagement, audience):
        return False
    if not (audience is Audience.SHARED or isinstance(audience, ForSponsor)):
        return True  # the room sees a group objective's status with the objective
    if engagement.individual:
        return engagement.agreement.report_objective_status
    concern = concerned(item, engagement)
    if concern.group:
        people = [p for p in engagement.participants if p.withdrawn_on is None]
    else:
        people = [p for p in engagement.participants if p.id in concern.people]
    return bool(people) and all(
        _reportable(p, engagement) and p.agreement.report_objective_status for p in people
    )


def group_safe(item: Item, engagement: Engagement) -> bool:
    """What may show while the group is in the room: what concerns the group,
    never anything about one person (nor who came to a session). In an
    individual engagement the group is the coachee: everything shows."""
    if engagement.individual:
        return True
    if isinstance(item, Session):
        return False
    return concerned(item, engagement).group


# -- the N+1 ---------------------------------------------------------------------------------


def _reportable(p: Participant, engagement: Engagement) -> bool:
    """May this person figure in an output for an N+1 at all? Consent recorded;
    in a group, not withdrawn (they appear nowhere after that day). The
    coachee of an individual engagement who withdrew stays in their own
    report, which says it and holds what they validated before."""
    if p.agreement.consent_date is None:
        return False
    return engagement.individual or p.withdrawn_on is None


def _given_in_agreement(v: Validation, p: Participant, engagement: Engagement) -> bool:
    """Given on or after their consent and before the day they withdrew."""
    if not p.agreement_held_on(v.at.date()):
        return False
    # withdrawn, day unknown (an engagement marked withdrawn before the day was kept)
    return not (engagement.status is Status.WITHDRAWN and p.withdrawn_on is None)


def attendance_reported(engagement: Engagement) -> bool:
    """Sessions and who came may be reported: every participant consented, has
    not withdrawn (an individual engagement's coachee: as before, whatever the
    withdrawal) and agreed to it."""
    return all(
        _reportable(p, engagement) and p.agreement.report_attendance
        for p in engagement.participants
    )


def _recipient(engagement: Engagement, name: str) -> bool:
    """Is `name` an N+1 of this engagement (a report for anyone else holds nothing)?"""
    return any(same_person(name, n) for n in sponsors(engagement))


def _to_sponsor(item: Item, engagement: Engagement, name: str) -> bool:
    if not name.strip() or not _recipient(engagement, name) or isinstance(item, Tool):
        return False
    if isinstance(item, Session):
        return _session_to_sponsor(item, engagement, name)
    concern = concerned(item, engagement)
    if concern.group:
        sent = _group_item_to_sponsor(item, engagement, name)
    elif not concern.people:
        return False
    else:
        people = [p for p in engagement.participants if p.id in concern.people]
        sent = all(_own_item_to_sponsor(item, engagement, name, p) for p in people)
    return sent and not _names_someone_unreported(item, engagement)


def _names_someone_unreported(item: Item, engagement: Engagement) -> bool:
    """Whether a group's item names in its text (their name, a part of it, their
    @) a participant who may not figure in an output for an N+1: never consented,
    or withdrew. Such an item reaches no N+1, however validated: a neutral word in
    the name's place would still say that someone left, or was there."""
    if engagement.individual:
        return False
    unreported = {p.id for p in engagement.participants if not _reportable(p, engagement)}
    return bool(unreported) and any(
        p.id in unreported
        for text in _typed_texts(item, engagement)
        if text
        for p in named_in(text, engagement.participants)
    )


def _typed_texts(item: Item, engagement: Engagement) -> tuple[str, ...]:
    """What the coach typed of an item, as a report for an N+1 would print it."""
    if isinstance(item, Note | Action):
        return (item.text,)
    if isinstance(item, Message):
        return (item.session.sponsor_message,)
    if isinstance(item, Closing):
        return (engagement.closing_synthesis, engagement.closing_next)
    if isinstance(item, Objective):
        return (item.statement, item.indicator, item.expected_result)
    if isinstance(item, Competency):
        return (item.name, *item.behaviours)
    return ()


def _own_item_to_sponsor(item: Item, engagement: Engagement, name: str, p: Participant) -> bool:
    if not (
        _reportable(p, engagement)
        and p.report_own_items
        and same_person(sponsor_of(p, engagement), name)
    ):
        return False
    if isinstance(item, Note | Action | Message | Closing):
        v = validation_by(item, p, engagement)
        return v is not None and _given_in_agreement(v, p, engagement)
    if isinstance(item, Objective):
        return True  # framed with them and their N+1
    if isinstance(item, Competency | Assessment):
        return p.agreement.report_competencies
    return False


def _group_item_to_sponsor(item: Item, engagement: Engagement, name: str) -> bool:
    if engagement.form is Form.TEAM:
        if not same_person(name, engagement.sponsor):
            return False
    elif not _charter_sends_group_items(engagement):
        return False
    now = [p for p in engagement.participants if p.withdrawn_on is None]
    if isinstance(item, Note | Action | Message | Closing):
        day = item_day(item)
        members = [p for p in engagement.participants if p.member_on(day)]
        return bool(members) and all(
            (v := validation_by(item, p, engagement)) is not None
            and _given_in_agreement(v, p, engagement)
            for p in members
        )
    if isinstance(item, Objective):
        return bool(now) and all(_reportable(p, engagement) for p in now)
    if isinstance(item, Competency | Assessment):
        return bool(now) and all(
            _reportable(p, engagement) and p.agreement.report_competencies for p in now
        )
    return False


def _charter_sends_group_items(engagement: Engagement) -> bool:
    """A peer group's items go to the N+1s only if the charter says so and every
    participant still in the group agreed to the charter as it is now."""
    charter = engagement.charter
    now = [p for p in engagement.participants if p.withdrawn_on is None]
    return (
        charter is not None
        and charter.group_items_to_sponsors
        and bool(now)
        and all(p.agreed_to(charter) for p in now)
    )


def _session_to_sponsor(session: Session, engagement: Engagement, name: str) -> bool:
    if not attendance_reported(engagement):
        return False
    if session.participant:
        p = engagement.member(session.participant)
        return p is not None and same_person(sponsor_of(p, engagement), name)
    return True


def present_for(session: Session, engagement: Engagement, name: str) -> list[Participant]:
    """Who came to a collective session, as the report for the N+1 `name` may
    say it: nobody unless attendance is reported; in a peer group, only the
    people whose N+1 that is."""
    if (
        not _recipient(engagement, name)
        or not _session_to_sponsor(session, engagement, name)
        or session.attendance is None
    ):
        return []
    return [
        p
        for p in engagement.participants
        if p.id in session.attendance and same_person(sponsor_of(p, engagement), name)
    ]


def named_for(engagement: Engagement, name: str) -> list[Participant]:
    """The participants a report for the N+1 `name` may name: theirs, consented,
    not withdrawn, and agreeing to the reporting of their own items or of
    attendance (reported only where everyone agreed)."""
    if not name.strip() or not _recipient(engagement, name):
        return []
    attendance = attendance_reported(engagement)
    return [
        p
        for p in engagement.participants
        if _reportable(p, engagement)
        and same_person(sponsor_of(p, engagement), name)
        and (p.report_own_items or attendance)
    ]


# -- the participants and the group ----------------------------------------------------------


def _to_participant(item: Item, engagement: Engagement, participant_id: str) -> bool:
    if not isinstance(item, Note | Action | Message):
        return False  # a session recap holds no framing, FSAC, tool or closing review
    me = engagement.member(participant_id)
    if me is None:
        return False
    if engagement.individual:
        if isinstance(item, Action) and item.owner is Owner.COACHEE:
            return True  # the coachee's own action, whoever may see it besides
        return coachee_validation(item) is not None
    concern = concerned(item, engagement)
    if concern.group:
        return _validated_by_the_group(item, engagement)
    if participant_id not in concern.people:
        return False
    if isinstance(item, Action) and item.owner is Owner.COACHEE and concern.people == {me.id}:
        return True  # their own action
    for p in engagement.participants:
        if p.id not in concern.people:
            continue
        v = validation_by(item, p, engagement)
        if v is None:
            return False
        if p.id != me.id and not (p.withdrawn_on is None and _given_in_agreement(v, p, engagement)):
            return False
    return True


def _to_the_group(item: Item, engagement: Engagement) -> bool:
    if not isinstance(item, Note | Action | Message):
        return False
    if not concerned(item, engagement).group:
        return False  # nothing about one person reaches the others
    return _validated_by_the_group(item, engagement)


def _validated_by_the_group(item: Note | Action | Message, engagement: Engagement) -> bool:
    """The group's item in a recap: the group's own action, or validated by
    every participant who was in the group that day."""
    if isinstance(item, Action) and item.owner is Owner.COACHEE:
        return True
    day = item_day(item)
    members = [p for p in engagement.participants if p.member_on(day)]
    return bool(members) and all(validation_by(item, p, engagement) is not None for p in members)


# -- dates -----------------------------------------------------------------------------------


def validated_on(item: Validated, engagement: Engagement) -> date | None:
    """The day an item that reaches the N+1 was validated, for the report to
    print; None when the agreement does not report session dates. In a group:
    the day the last of the people it concerns validated it."""
    if engagement.individual:
        validation = coachee_validation(item)
        if validation is None or not engagement.agreement.report_attendance:
            return None
        return validation.at.date()
    if not attendance_reported(engagement):
        return None
    concern = concerned(item, engagement)
    if concern.group:
        people = [p for p in engagement.participants if p.member_on(item_day(item))]
    else:
        people = [p for p in engagement.participants if p.id in concern.people]
    days = [v.at.date() for p in people if (v := validation_by(item, p, engagement))]
    return max(days) if days and len(days) == len(people) else None


__all__ = [
    "Closing",
    "ForParticipant",
    "ForSponsor",
    "Item",
    "Message",
    "ObjectiveProgress",
    "Reader",
    "attendance_reported",
    "group_safe",
    "holding_validation",
    "named_for",
    "present_for",
    "reaches",
    "sponsor_of",
    "sponsors",
    "validated_on",
    "validation_open",
    "validation_open_for",
]
