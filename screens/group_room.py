"""What a collective session's screen shows while the group is in the room, and
whom the note being typed concerns. Pure functions over the domain (no Textual):
the notes list, the note input and the debrief ask them, and a property test
draws their inputs.

Whom a note concerns, as the coach types it: a person named with `@prefix` in
the note (`concerns.mentioned`: exact id, unique id prefix, unique name prefix;
an ambiguous or unknown one refused with the candidates), else the person or
the group the coach chose with one key (ctrl+r), else the session's default
(`concerns.default_about`: the one-to-one's participant, a peer case's bringer,
the group). While the group is in the room (the group-safe view) only what
concerns the group shows: a note about a person is listed nowhere on screen,
and the note being typed is masked as soon as it may concern one (a person
chosen, or an `@` typed: masked before the prefix is whole)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from aoi_tui.config.i18n import t
from aoi_tui.domain.allow_list import ForSponsor, Item, group_safe, named_for, reaches, sponsors
from aoi_tui.domain.concerns import (
    concerned,
    default_about,
    mentioned,
    named_in,
    names_the_group,
    with_the_case_bringer,
)
from aoi_tui.domain.items import Closing, ObjectiveProgress, Validated, item_day
from aoi_tui.domain.models import (
    GROUP,
    Action,
    Audience,
    Competency,
    Engagement,
    Note,
    Objective,
    Owner,
    Participant,
    Session,
    SessionKind,
)
from aoi_tui.domain.phases import phases_for
from aoi_tui.domain.vocabulary import Room


@dataclass(frozen=True)
class Whom:
    """Whom the note being typed concerns: `about` as the note will hold it
    ([GROUP], participants' ids, or empty in an individual engagement), the
    people it names by name, and what is wrong with an `@prefix` (Enter refuses
    the note while there is something)."""

    about: tuple[str, ...] = ()
    people: tuple[Participant, ...] = ()
    problems: tuple[str, ...] = ()
    named: tuple[Participant, ...] = field(default=())
    """A group note whose text names these participants: flagged (it may be about them)."""

    @property
    def group(self) -> bool:
        return self.about == (GROUP,)


def whom(
    text: str,
    chosen: Sequence[str] | None,
    engagement: Engagement,
    session: Session,
    phase: str | None,
) -> Whom:
    """Whom a note with `text` concerns (see the module's docstring); `chosen` is
    what the coach chose with one key (None: nothing chosen)."""
    if engagement.individual:
        return Whom()
    about = list(chosen) if chosen is not None else default_about(engagement, session, phase)
    return _with_the_case(whom_unless_named(text, about, engagement), engagement, session, phase)


def whom_edited(text: str, note: Note, engagement: Engagement, session: Session | None) -> Whom:
    """Whom a group's note concerns once its text is edited: an `@prefix` in it,
    else whom it concerned; in a peer session's case phases, its bringer too."""
    found = whom_unless_named(text, note.about, engagement)
    return found if session is None else _with_the_case(found, engagement, session, note.phase)


def _with_the_case(
    found: Whom, engagement: Engagement, session: Session, phase: str | None
) -> Whom:
    owned = with_the_case_bringer(list(found.about), session, phase)
    if found.problems or owned == list(found.about):
        return found
    return whom_unless_named("", owned, engagement)


def whom_unless_named(text: str, about: Sequence[str], engagement: Engagement) -> Whom:
    """Whom a group's note with `text` concerns: whom its `@prefix` names, else
    `about` (what the coach chose, the session's default, or, for a note being
    edited, whom it concerned); `@group` (`@groupe`) says the group's."""
    people = engagement.participants
    found, problems = mentioned(text, people)
    group = names_the_group(text, people)
    if group and found:  # "@group @cla": whose is it? Never guessed
        problems = [*problems, t("about.group_and_people")]
    if problems:
        return Whom(problems=tuple(problems))
    if found:
        return Whom(about=tuple(p.id for p in found), people=tuple(found))
    if group or list(about) == [GROUP]:
        return Whom(about=(GROUP,), named=tuple(named_in(text, people)))
    by_id = {p.id: p for p in people}
    return Whom(about=tuple(about), people=tuple(by_id[a] for a in about if a in by_id))


def choices(engagement: Engagement) -> list[list[str]]:
    """What the one key steps through: the group, then each participant still in
    the group (a withdrawn one is no longer spoken of in the room)."""
    return [[GROUP], *([p.id] for p in engagement.participants if p.withdrawn_on is None)]


def owner_words(owner: Owner, engagement: Engagement) -> str:
    """Who owns an action, in words: a group has participants, not one coachee."""
    if owner is Owner.COACHEE and not engagement.individual:
        return t("ui.debrief.owner_participants")
    return t(f"owner.{owner.value}")


def masked(room: Room, about: Whom, text: str) -> bool:
    """Whether the note being typed is masked on screen: the N+1 in the room,
    always; the group, as soon as it may concern one person (an `@` typed, a
    person chosen, or no one known yet). `@groupe ` (`@group `) whole, with the
    group's note it says, stays on screen: it names no one."""
    if room is Room.SPONSOR:
        return True
    if room is Room.GROUP:
        return not about.group or "@" in GROUP_SAID.sub("", text)
    return False


GROUP_SAID = re.compile(r"(?<![\w@])@(?:groupe|group)(?=[^\w-])", re.IGNORECASE)
"""The group's word typed whole (a separator after it: `@group` may still become
`@groupil`), as `concerns.says_the_group` reads it."""


def shown(item: Item, engagement: Engagement, room: Room) -> bool:
    """Whether an item shows on screen with `room` in the room: everything with
    the coach alone (or one participant); what reaches the N+1 with the N+1; with
    the group, only what concerns the group (`Audience.GROUP_ROOM`); in a group,
    before its N+1(s), what concerns the group and reaches each of them (a peer
    group's N+1s are its participants', not the engagement's)."""
    if room is Room.COACH:
        return True
    if room is Room.GROUP:
        return reaches(item, engagement, Audience.GROUP_ROOM)
    if engagement.individual:
        return reaches(item, engagement)
    return before_the_n1s(item, engagement)


def opening_room(engagement: Engagement, session: Session, room: Room, phase: str) -> Room:
    """Who is in the room as a session's screen opens, or opens again (resumed
    after a crash, a dropped link, or Escape): the N+1 in a phase they attend (the
    handover: `sponsor_joins`, as F6 brings them in); the group for a collective
    session (the group-safe view is on by default), the N+1 for a collective
    kickoff or closing (held with them, if the group has one); else as it was."""
    if sponsor_joins(session, phase):
        return Room.SPONSOR
    if engagement.individual or not session.collective or room is Room.SPONSOR:
        return room
    with_n1 = bool(engagement.sponsor.strip()) or any(p.sponsor for p in engagement.participants)
    if session.kind in (SessionKind.GROUP_KICKOFF, SessionKind.GROUP_CLOSING) and with_n1:
        return Room.SPONSOR
    return Room.GROUP


def named_in_the_room(engagement: Engagement, room: Room) -> list[Participant]:
    """The participants a group's screens name with `room` in the room: everyone
    with the coach alone; before the N+1, those their report may name
    (`allow_list.named_for`: not someone who withdrew or reports nothing); before
    the group, those still in it. The engagement and export screens alike."""
    if room is Room.SPONSOR:
        return named_for(engagement, engagement.sponsor)
    return [p for p in engagement.participants if room is Room.COACH or p.withdrawn_on is None]


def listed_in_framing(item: Objective | Competency, engagement: Engagement, room: Room) -> bool:
    """Whether an objective or a competency is listed in a group's framing: all of
    them with the coach alone; with the N+1 or the group in the room, the group's
    only, as the notes lists do (one participant's own are theirs: F2 or ctrl+b
    lists them once the coach is alone). An individual engagement's: all."""
    return room is Room.COACH or group_safe(item, engagement)


def framing_room(engagement: Engagement | None) -> Room:
    """Who is in the room as the framing opens: the N+1 at a three-way kickoff
    (the sponsor-safe view); a group with no N+1 at all (a peer group whose
    members have none) is framed with the group, so the group-safe view."""
    if engagement is not None and not engagement.individual and not sponsors(engagement):
        return Room.GROUP
    return Room.SPONSOR


SPONSOR_PHASES = frozenset({"handover", "team_handover"})
"""The phases the N+1 joins (the handover to the N+1): the sponsor-safe view."""


def room_after_sponsor(engagement: Engagement, session: Session) -> Room:
    """F2 off: the N+1 leaves; in a group's collective session the group stays."""
    if engagement.individual or not session.collective:
        return Room.COACH
    return Room.GROUP


def reviewed_actions(
    actions: list[Action], engagement: Engagement, session: Session
) -> list[Action]:
    """The actions a session's review recalls: in a group's one-to-one session,
    the participant's and the group's, nobody else's."""
    who = session.participant
    if engagement.individual or who is None:
        return actions
    return [a for a in actions if in_debrief(a, engagement, Room.COACH, who)]


def sponsor_joins(session: Session, phase: str) -> bool:
    """The N+1 joins the session in this phase (a handover to the N+1)."""
    return phase in SPONSOR_PHASES and any(p.id == phase for p in phases_for(session.kind.value))


def the_group_present(engagement: Engagement, session: Session) -> list[Participant]:
    """Who validates for the group at a collective debrief: those present (the
    session's attendance; everyone in the group that day when none was taken),
    never someone who withdrew."""
    members = [p for p in engagement.participants if p.withdrawn_on is None]
    if session.attendance is not None:
        return [p for p in members if p.id in session.attendance]
    return [p for p in members if p.member_on(session.held_on)]


def in_debrief(item: Item, engagement: Engagement, room: Room, validator: str | None) -> bool:
    """Whether an item shows in a group's debrief: as in the session for the
    group or the N+1 in the room; one to one with a participant (`validator`),
    their items and the group's, nothing about anyone else."""
    if engagement.individual or room is not Room.COACH:
        return shown(item, engagement, room)
    if validator is None:
        return True
    concern = concerned(item, engagement)
    return concern.group or validator in concern.people


def validation_state(
    item: Validated,
    engagement: Engagement,
    room: Room,
    validator: str | None,
    present: Sequence[Participant] = (),
) -> str:
    """A group's item's validation in words, for the debrief's table: with the
    group in the room, only whether the group `present` validated it (never who
    did not); one to one, that person's; the coach alone, how many of those it
    concerns did (a group item: everyone in the group that day, the absent too)."""
    from aoi_tui.domain.validations import validation_by

    concern = concerned(item, engagement)
    if concern.group:
        day = item_day(item)
        people = [p for p in engagement.participants if p.member_on(day)]
    else:
        people = [p for p in engagement.participants if p.id in concern.people]
    done = [p for p in people if validation_by(item, p, engagement) is not None]
    if validator is not None and room is Room.COACH:
        return t("validated") if any(p.id == validator for p in done) else "—"
    if people and len(done) == len(people):
        return t("validated")
    if room is not Room.COACH:
        here = [p for p in present if p in people]
        return t("validated") if here and all(p in done for p in here) else "—"
    if not done:
        return "—"
    return f"{len(done)}/{len(people)}"


# -- progress and the closing review of a group ------------------------------------------


def before_the_n1s(item: Item, engagement: Engagement) -> bool:
    """What a group's screen shows with its N+1(s) in the room (the closing
    three-way review, the follow-up in the sponsor-safe view): what concerns the
    group and reaches every N+1 of the group (`reaches`, one report each; none
    when the group has no N+1). Nothing about one person: the group is in the
    room with them."""
    n1s = sponsors(engagement)
    return (
        group_safe(item, engagement)
        and bool(n1s)
        and all(reaches(item, engagement, ForSponsor(n)) for n in n1s)
    )


def in_progress_view(
    item: Item, engagement: Engagement, room: Room, validator: str | None = None
) -> bool:
    """Whether a group's objective, competency or FSAC mark shows in its progress
    or closing review: before the N+1(s), `before_the_n1s`; with the group, the
    group's; one to one with a participant (`validator`), theirs and the group's;
    the coach alone, everyone's."""
    if room is Room.SPONSOR and not engagement.individual:
        return before_the_n1s(item, engagement)
    return in_debrief(item, engagement, room, validator)


def objective_progress_shown(objective: Objective, engagement: Engagement, room: Room) -> bool:
    """Whether a group's objective shows with its status (reached or not): before
    the N+1(s) only where everyone it concerns agreed to report objectives'
    progress (`ObjectiveProgress`); otherwise with the objective."""
    if room is Room.SPONSOR and not engagement.individual:
        return before_the_n1s(ObjectiveProgress(objective), engagement)
    return True


def whose(item: Item, engagement: Engagement) -> str:
    """Whom a group's item concerns, in short words: the group, or names."""
    concern = concerned(item, engagement)
    if concern.group:
        return t("ui.progress.the_group")
    return names([p for p in engagement.participants if p.id in concern.people]) or "—"


SHORT_MAX = 18
"""The most cells a short name, or two, take in a list's line."""


def short_names(engagement: Engagement) -> dict[str, str]:
    """Each participant's name as a list's line says it: the first name; where two
    share it, with the next name's initial ("Claire D."); the whole name where that
    is still not enough. At most `SHORT_MAX` cells."""

    def first(p: Participant) -> str:
        return (p.name.split() or [p.name])[0]

    def with_initial(p: Participant) -> str:
        words = p.name.split()
        return f"{words[0]} {words[1][0]}." if len(words) > 1 else p.name

    def whole(p: Participant) -> str:
        return p.name

    people = engagement.participants
    named = {p.id: first(p) for p in people}
    for better in (with_initial, whole):  # only those who share a name go on
        seen = Counter(n.casefold() for n in named.values())
        named = {
            p.id: better(p) if seen[named[p.id].casefold()] > 1 else named[p.id] for p in people
        }
    return {i: n if len(n) <= SHORT_MAX else n[: SHORT_MAX - 1] + "…" for i, n in named.items()}


def whom_in_short(
    item: Item, engagement: Engagement, room: Room, short: dict[str, str] | None = None
) -> str:
    """Whom a group's item concerns, in a few letters for a list's line: the
    group, one participant's short name (`short_names`), two, or one and how many
    more. Names only in the coach's view: with the group or an N+1 in the room
    only the group's items show, and any other says nothing. An individual
    engagement's items: nothing to say (they are all the coachee's)."""
    if engagement.individual:
        return ""
    concern = concerned(item, engagement)
    if concern.group:
        return t("ui.about.short_group")
    if room is not Room.COACH:
        return ""
    short = short if short is not None else short_names(engagement)
    people = [short[p.id] for p in engagement.participants if p.id in concern.people]
    if not people:
        return "—"
    both = ", ".join(people)
    if len(people) == 2 and len(both) <= SHORT_MAX:
        return both
    return people[0] + (f" +{len(people) - 1}" if len(people) > 1 else "")


TAKEAWAY_PHASES = frozenset({"takeaways"})
"""The phases where each participant says what they take away (a peer session's)."""


def takeaways(
    notes: Sequence[Note], sessions: Sequence[Session], participant: Participant
) -> list[Note]:
    """What one participant takes away, for the closing review: the notes about
    them alone written in a peer session's "what each takes away" phase or in a
    collective closing session (typed with @, or chosen with ctrl+r)."""
    closing = {s.number for s in sessions if s.kind is SessionKind.GROUP_CLOSING}
    return [
        n
        for n in notes
        if n.about == [participant.id] and (n.phase in TAKEAWAY_PHASES or n.session in closing)
    ]


def closing_present(engagement: Engagement, sessions: Sequence[Session]) -> list[Participant]:
    """Who validates the closing review for the group with F4: those present at the
    last collective closing session, if one was held; else everyone still in
    the group. Never an N+1: they are no participant, their presence counts for
    nothing (`validations.validate` takes participants only)."""
    held = [s for s in sessions if s.kind is SessionKind.GROUP_CLOSING]
    if held:
        return the_group_present(engagement, held[-1])
    return [p for p in engagement.participants if p.withdrawn_on is None]


def closing_state(
    engagement: Engagement,
    room: Room,
    validator: str | None,
    present: Sequence[Participant],
) -> str:
    """The closing review's validation in words (`validation_state`): by the
    group, or one participant's, or how many of the group with the coach alone."""
    return validation_state(Closing(engagement), engagement, room, validator, present)


def names(people: Sequence[Participant], limit: int = 2) -> str:
    """People in words, short enough for the line above the input: "Claire
    Dupont, Marc Leroy +3"."""
    shown_names = [p.name for p in people[:limit]]
    more = len(people) - limit
    return ", ".join(shown_names) + (f" +{more}" if more > 0 else "")


__all__ = [
    "SPONSOR_PHASES",
    "TAKEAWAY_PHASES",
    "Whom",
    "before_the_n1s",
    "choices",
    "closing_present",
    "closing_state",
    "framing_room",
    "in_debrief",
    "in_progress_view",
    "listed_in_framing",
    "masked",
    "named_in_the_room",
    "names",
    "objective_progress_shown",
    "opening_room",
    "owner_words",
    "short_names",
    "shown",
    "sponsor_joins",
    "takeaways",
    "the_group_present",
    "validation_state",
    "whom",
    "whom_in_short",
    "whose",
]
