"""The domain: an engagement and everything recorded in it.

Every stored record carries its own random `id` and a schema version `v`
(see `migrations.py`). Free text is cleaned of control characters on the
way in (`text.clean`). The base of every record is in `records.py`, the
people and their agreements in `participants.py`, whom an item concerns in
`concerns.py`."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    Field,
    ValidationInfo,
    model_validator,
)

from aoi_tui.config.i18n import language, t
from aoi_tui.domain import clock
from aoi_tui.domain.participants import (
    EARLIEST_CONSENT as EARLIEST_CONSENT,
    Agreement as Agreement,
    Charter as Charter,
    Participant as Participant,
    consent_date_problem as consent_date_problem,
    same_person,
)
from aoi_tui.domain.phases import phase_ids, phases_for
from aoi_tui.domain.planning import PlannedSession
from aoi_tui.domain.records import (
    STORED as STORED,
    Line as Line,
    Model as Model,
    Record as Record,
    Text as Text,
    Validation as Validation,
    participant_id_problem,
    stored,
    text_hash as text_hash,
    unset,
)
from aoi_tui.domain.text import clean

# The words of the domain live in vocabulary.py; the models re-export them.
from aoi_tui.domain.vocabulary import (
    GROUP as GROUP,
    PLANNED_SESSIONS as PLANNED_SESSIONS,
    SCHEMA_VERSION as SCHEMA_VERSION,
    ActionStatus as ActionStatus,
    Area as Area,
    Assessor as Assessor,
    Audience as Audience,
    Form as Form,
    Format as Format,
    Level as Level,
    NoteKind as NoteKind,
    ObjectiveStatus as ObjectiveStatus,
    Owner as Owner,
    Role as Role,
    SessionKind as SessionKind,
    Status as Status,
    Timing as Timing,
    Visibility as Visibility,
    collective,
)

MAX_NOTE_CHARS = 100_000
"""The most characters a note or an action holds: some 40 pages, far above any
note typed in a session, low enough that one paste cannot make every save of
the engagement slow."""


def note_too_long(text: str) -> str | None:
    """What is wrong with a note's length, said; None when it fits."""
    if len(text) <= MAX_NOTE_CHARS:
        return None
    return t("note.too_long", limit=_count(MAX_NOTE_CHARS), length=_count(len(text)))


def _count(n: int) -> str:
    """100,000 in English, 100 000 in French."""
    return f"{n:,}".replace(",", "\u202f") if language() == "fr" else f"{n:,}"


def _note_length(text: str, info: ValidationInfo) -> str:
    problem = None if stored(info) else note_too_long(text)
    if problem:
        raise ValueError(problem)
    return text


NoteText = Annotated[str, AfterValidator(clean), AfterValidator(_note_length)]


def closing_hash(synthesis: str, next_steps: str) -> str:
    """What the coachee validates in the closing review: the synthesis and what
    continues with the N+1, together (`Engagement.closing_validation`)."""
    return text_hash(synthesis + "\x00" + next_steps)


def about_problem(about: list[str]) -> str | None:
    """What is wrong with whom an item says it concerns; None when it is sound:
    the group alone, or participants' ids, each once."""
    if len(set(about)) != len(about) or any(not a.strip() for a in about):
        return t("about.repeated")
    if GROUP in about and len(about) > 1:
        return t("about.group_and_people")
    return next((p for a in about if a != GROUP and (p := participant_id_problem(a))), None)


def _about(about: list[str]) -> list[str]:
    problem = about_problem(about)
    if problem:
        raise ValueError(problem)
    return about


About = Annotated[list[str], AfterValidator(_about)]
"""Whom an item concerns: [GROUP], or the ids of one or several participants.
Empty: the one participant of an individual engagement (every record written
before collective engagements, unchanged); in a group, an item that says
nothing reaches no one but the coach (`concerns.concerned`)."""


def _about_field() -> Any:
    return Field(default_factory=list, exclude_if=unset)


def _validations_field() -> Any:
    return Field(default_factory=list, exclude_if=unset)


def _replace_validation(
    validations: list[Validation], by: str, text_sha256: str
) -> list[Validation]:
    """`validations` with `by`'s own replaced by one given now for `text_sha256`."""
    kept = [v for v in validations if v.by != by]
    return [*kept, Validation(at=clock.now(), text_sha256=text_sha256, by=by)]


class Shareable(Record):
    """A note or an action: private by default; reaches the sponsor only when
    shareable *and* validated for its current text by whom it concerns, whoever
    owns it (`allow_list.reaches` decides, with consent and withdrawal).

    Two ways of recording a validation, one per kind of engagement, never both
    on one item: `validation` is the coachee's in an individual engagement (as
    every record before collective engagements has it, unchanged), `validations`
    holds one per participant in a group (`by` names who). `validations.py`
    chooses the right one; an edit or a change of sharing clears both."""

    text: NoteText
    visibility: Visibility = Visibility.PRIVATE
    validation: Validation | None = None
    created_at: datetime = Field(default_factory=clock.now)
    edited_at: datetime | None = None
    about: About = _about_field()
    validations: list[Validation] = _validations_field()

    @property
    def validated(self) -> bool:
        return self.validation is not None and self.validation.text_sha256 == text_hash(self.text)

    @property
    def shared(self) -> bool:
        """Shareable and validated for its current text: the item's own part of
        the allow-list. Whether it reaches anyone is `allow_list.reaches`."""
        return self.visibility is Visibility.SHAREABLE and self.validated

    def validated_by(self, participant_id: str) -> Validation | None:
        """The participant's validation, if it holds for the current text."""
        current = text_hash(self.text)
        for v in self.validations:
            if v.by == participant_id and v.holds_for(current):
                return v
        return None

    def edit(self, text: str) -> None:
        """Change the text; a validation given for the old text no longer holds."""
        text = clean(text)
        if text != self.text:
            self.text = text
            self.validation = None
            self.validations = []
            self.edited_at = clock.now()

    def toggle_sharing(self) -> None:
        """Private <-> shareable. Either way every validation is cleared: a change
        of sharing is decided with the people concerned again."""
        self.visibility = (
            Visibility.PRIVATE if self.visibility is Visibility.SHAREABLE else Visibility.SHAREABLE
        )
        self.validation = None
        self.validations = []

    def validate_by_coachee(self) -> None:
        if self.visibility is not Visibility.SHAREABLE:
            raise ValueError("only a shareable item can be validated")
        self.validation = Validation(at=clock.now(), text_sha256=text_hash(self.text))

    def validate_by(self, participant_id: str) -> None:
        """A participant of a group validates the item as it is now."""
        if self.visibility is not Visibility.SHAREABLE:
            raise ValueError("only a shareable item can be validated")
        self.validations = _replace_validation(
            self.validations, participant_id, text_hash(self.text)
        )

    def withhold_by(self, participant_id: str) -> None:
        """A participant takes back their validation (anyone may withhold)."""
        self.validations = [v for v in self.validations if v.by != participant_id]

    @model_validator(mode="after")
    def _one_way_of_validating(self) -> Shareable:
        if self.validation is not None and self.validations:
            raise ValueError("an item is validated by its coachee or per participant, not both")
        return self


class Engagement(Record):
    """An engagement: an individual one (one participant, the coachee) or a
    collective one (a team with its N+1, or a group of peers), framed, then its
    sessions.

    **One source of truth for the person.** The coachee's name, their
    three-way agreement and the day they withdrew live in one place only: the
    engagement's one `Participant` (its own table in the file, read with the
    engagement). `coachee`, `agreement` and `withdrawn_on` are properties of that
    participant, for reading and for setting, and the names given when an
    engagement is made or validated (`Engagement(coachee=..., agreement=...)`,
    the framing's `model_validate`, a record written before participants) are
    moved onto it before validation. There is no second copy that could say
    otherwise, and an individual engagement is refused unless it has exactly
    one participant. In a group, `coachee` is the group's name (what the list of
    engagements shows), `agreement` is a closed one (nothing reported: a screen
    not yet made for groups shows the N+1 nothing) and cannot be set, and
    `withdrawn_on` is None: each participant has their own."""

    table: ClassVar[str] = "engagement"

    form: Form = Form.INDIVIDUAL
    group: Line = ""  # a collective engagement's name
    sponsor: Line = ""  # the N+1 (a team's, an individual's); a peer group's sponsor, if any
    coach: Line = ""
    organisation: Line = ""
    format: Format = Format.AOI
    planned_sessions: int = Field(default=8, ge=1, le=60)
    cadence_days: int = Field(default=21, ge=1, le=365)
    status: Status = Status.FRAMING
    coachee_expectations: Text = ""
    sponsor_expectations: Text = ""
    next_session: date | None = None
    strategy: Text = ""
    strategy_competence: Level | None = None  # the strategy grid (seed 000): competence ...
    strategy_motivation: str | None = Field(
        default=None, pattern="^(low|medium|high)$"
    )  # ... x motivation
    closing_synthesis: Text = ""  # the closing three-way review: what was learned
    closing_next: Text = ""  # what continues with the N+1
    closing_validation: Validation | None = None  # the coachee validated the two texts above
    closing_validations: list[Validation] = _validations_field()  # a group's, per participant
    created_at: datetime = Field(default_factory=clock.now)
    closed_on: date | None = None
    demo: bool = False  # the fictional engagement of `aoi demo`
    pro_bono: bool = Field(default=False, exclude_if=lambda v: not v)  # the hours log's; else paid
    charter: Charter | None = None  # a group's charter
    participants: list[Participant] = Field(default_factory=list)

    # -- the one person of an individual engagement ---------------------------------

    @model_validator(mode="before")
    @classmethod
    def _onto_the_participant(cls, data: Any) -> Any:
        """`coachee`, `agreement` and `withdrawn_on`, where given, go onto the one
        participant (made if there is none yet: a new engagement, or a record
        written before participants). In a group, `coachee` is the group's name."""
        if not isinstance(data, dict):
            return data
        legacy = {k: data[k] for k in ("coachee", "agreement", "withdrawn_on") if k in data}
        if not legacy:
            return data
        data = {k: v for k, v in data.items() if k not in legacy}
        if Form(data.get("form", Form.INDIVIDUAL)) is not Form.INDIVIDUAL:
            if "coachee" in legacy:
                data["group"] = legacy["coachee"]
            if legacy.get("agreement") is not None:
                raise ValueError(t("group.no_agreement"))
            if legacy.get("withdrawn_on") is not None:
                raise ValueError(t("group.no_withdrawal"))
            return data
        participants = list(data.get("participants") or [])
        if participants:
            first = participants[0]
            first = first.model_dump() if isinstance(first, Participant) else dict(first)
        else:
            # the three-way agreement's defaults, and own items reported: `Participant.coachee`
            first = {"agreement": Agreement(), "report_own_items": True}
            created = data.get("created_at")
            if isinstance(created, datetime):
                first["joined_on"] = created.date()
            elif isinstance(created, str):
                first["joined_on"] = datetime.fromisoformat(created).date()
        if "coachee" in legacy:
            first["name"] = legacy["coachee"]
        if "agreement" in legacy:
            first["agreement"] = legacy["agreement"]
        if "withdrawn_on" in legacy:
            first["withdrawn_on"] = legacy["withdrawn_on"]
        data["participants"] = [first, *participants[1:]]
        return data

    @property
    def individual(self) -> bool:
        return self.form is Form.INDIVIDUAL

    @property
    def one_participant(self) -> Participant:
        """The coachee of an individual engagement, as a participant."""
        if not self.individual:
            raise ValueError(t("group.no_coachee"))
        return self.participants[0]

    @property
    def coachee(self) -> str:
        """The name the engagement goes by: its one participant's, or the group's."""
        return self.participants[0].name if self.individual else self.group

    @coachee.setter
    def coachee(self, name: str) -> None:
        if self.individual:
            self.participants[0].name = name
        else:
            self.group = name

    @property
    def agreement(self) -> Agreement:
        """The coachee's three-way agreement: the one participant's, the same
        object (a change to it is a change to theirs)."""
        if self.individual:
            return self.participants[0].agreement
        return Agreement(report_attendance=False)  # a group's: each participant has theirs

    @agreement.setter
    def agreement(self, agreement: Agreement) -> None:
        if not self.individual:
            raise ValueError(t("group.no_agreement"))
        self.participants[0].agreement = agreement

    @property
    def withdrawn_on(self) -> date | None:
        """The day the coachee withdrew (the one participant's); None in a group."""
        return self.participants[0].withdrawn_on if self.individual else None

    @withdrawn_on.setter
    def withdrawn_on(self, day: date | None) -> None:
        if not self.individual:
            raise ValueError(t("group.no_withdrawal"))
        self.participants[0].withdrawn_on = day

    def member(self, participant_id: str) -> Participant | None:
        for p in self.participants:
            if p.id == participant_id:
                return p
        return None

    def model_copy(
        self, *, update: Mapping[str, Any] | None = None, deep: bool = False
    ) -> Engagement:
        """A copy whose participants are its own (a shallow copy would share them,
        and renaming the copy's coachee would rename the original's)."""
        copied = super().model_copy(update=update, deep=deep)
        if not deep and "participants" not in (update or {}):
            copied.__dict__["participants"] = [p.model_copy(deep=True) for p in self.participants]
        return copied

    # -- the closing review ------------------------------------------------------------

    @property
    def closing_validated(self) -> bool:
        """The coachee validated the closing review's two texts as they are now."""
        v = self.closing_validation
        return (
            bool(self.closing_synthesis or self.closing_next)
            and v is not None
            and v.text_sha256 == closing_hash(self.closing_synthesis, self.closing_next)
        )

    def closing_validated_by(self, participant_id: str) -> Validation | None:
        """A participant's validation of the closing review as it is now."""
        if not (self.closing_synthesis or self.closing_next):
            return None
        current = closing_hash(self.closing_synthesis, self.closing_next)
        for v in self.closing_validations:
            if v.by == participant_id and v.holds_for(current):
                return v
        return None

    def validate_closing_by(self, participant_id: str) -> None:
        if not (self.closing_synthesis or self.closing_next):
            raise ValueError("there is no closing review to validate")
        self.closing_validations = _replace_validation(
            self.closing_validations,
            participant_id,
            closing_hash(self.closing_synthesis, self.closing_next),
        )

    # -- soundness -----------------------------------------------------------------------

    @model_validator(mode="after")
    def _names(self) -> Engagement:
        people = self.participants
        if self.individual:
            if len(people) != 1 or not self.sponsor:
                raise ValueError("coachee and sponsor need a name")
            if people[0].sponsor:
                raise ValueError(t("participant.own_sponsor_only_peers"))
        else:
            if not self.group:
                raise ValueError(t("group.name_needed"))
            if self.form is Form.TEAM and not self.sponsor:
                raise ValueError(t("group.team_sponsor_needed"))
            if self.form is Form.TEAM and any(p.sponsor for p in people):
                raise ValueError(t("participant.own_sponsor_only_peers"))
        ids = [p.id for p in people]
        if len(set(ids)) != len(ids):
            raise ValueError("two participants have the same id")
        for p in people:
            # a group only: an individual engagement has always accepted any two
            # names (and a stored one must still open)
            for n1 in (self.sponsor, p.sponsor) if not self.individual else ():
                if n1 and any(same_person(n1, q.name) for q in people):
                    raise ValueError(t("participant.sponsor_is_participant", name=n1))
            if p.reports_to is not None and p.reports_to not in ids:
                raise ValueError(t("participant.reports_to_unknown", name=p.name))
        return self


class Objective(Record):
    table: ClassVar[str] = "objectives"

    statement: Text
    area: Area | None = None
    indicator: Text = ""
    expected_result: Text = ""
    status: ObjectiveStatus = ObjectiveStatus.OPEN
    about: About = _about_field()


class Competency(Record):
    table: ClassVar[str] = "competencies"

    name: Line
    behaviours: list[Text] = Field(default_factory=list)
    start_level: Level | None = None
    target: Level | None = None
    about: About = _about_field()
    referential_id: str | None = Field(default=None, exclude_if=unset)
    """The referential competency it was copied from, kept however it is renamed:
    a programme counts competencies by it (issue 14). None: the coach's own."""


class Assessment(Record):
    """One FSAC mark: who assessed, when, hot or cold."""

    table: ClassVar[str] = "assessments"

    competency_id: str
    level: Level
    by: Assessor
    timing: Timing = Timing.HOT
    on: date = Field(default_factory=clock.today)
    session: int | None = None
    about: About = _about_field()


class PhaseRun(Model):
    phase: str
    target_minutes: int
    overrun_minutes: int
    started_at: datetime | None = None
    ended_at: datetime | None = None


class Session(Record):
    """A session held: individual (with the engagement's one participant, or with
    one participant of a group: `participant`) or collective (with the group:
    `attendance` says who was there). A peer session's case is brought by one
    participant (`case_bringer`): its case items concern them. The message for
    the N+1 says whom it concerns (`message_about`, as an item's `about`)."""

    table: ClassVar[str] = "sessions"

    kind: SessionKind
    number: int = Field(ge=1)
    held_on: date = Field(default_factory=clock.today)
    phases: list[PhaseRun] = Field(default_factory=list)
    started_at: datetime | None = None
    ended_at: datetime | None = None
    feeling: int | None = Field(default=None, ge=1, le=5)
    feeling_note: Text = ""
    coachee_log: Text = ""
    sponsor_message: Text = ""
    sponsor_message_validation: Validation | None = None
    cards_drawn: dict[Role, int] = Field(default_factory=dict)  # the coach's balance of roles
    participant: str | None = Field(default=None, exclude_if=unset)  # a one-to-one in a group
    attendance: list[str] | None = Field(default=None, exclude_if=unset)  # ids present
    case_bringer: str | None = Field(default=None, exclude_if=unset)  # a peer session's
    message_about: About = _about_field()
    sponsor_message_validations: list[Validation] = _validations_field()

    @property
    def collective(self) -> bool:
        """Held with the group (attendance is taken), not with one person."""
        return collective(self.kind)

    @classmethod
    def planned(
        cls, kind: SessionKind, number: int, targets: dict[str, int] | None = None
    ) -> Session:
        """A new session with its phases; `targets` overrides target minutes by phase id."""
        targets = targets or {}
        phases = []
        for p in phases_for(kind.value):
            target = targets.get(p.id, p.target_minutes)
            # a phase with a separate overrun threshold keeps its margin over the target
            overrun = target + (p.overrun_minutes - p.target_minutes)
            phases.append(PhaseRun(phase=p.id, target_minutes=target, overrun_minutes=overrun))
        return cls(kind=kind, number=number, phases=phases)

    @property
    def phase_ids(self) -> list[str]:
        return [p.phase for p in self.phases] or phase_ids(self.kind.value)

    @property
    def sponsor_message_validated(self) -> bool:
        v = self.sponsor_message_validation
        return (
            bool(self.sponsor_message)
            and v is not None
            and v.text_sha256 == text_hash(self.sponsor_message)
        )

    def sponsor_message_validated_by(self, participant_id: str) -> Validation | None:
        """A participant's validation of the message for the N+1 as it is now."""
        if not self.sponsor_message:
            return None
        current = text_hash(self.sponsor_message)
        for v in self.sponsor_message_validations:
            if v.by == participant_id and v.holds_for(current):
                return v
        return None

    def set_sponsor_message(self, text: str) -> None:
        text = clean(text)
        if text != self.sponsor_message:
            self.sponsor_message = text
            self.sponsor_message_validation = None
            self.sponsor_message_validations = []

    def validate_sponsor_message_by(self, participant_id: str) -> None:
        if not self.sponsor_message:
            raise ValueError("there is no message for the N+1 to validate")
        self.sponsor_message_validations = _replace_validation(
            self.sponsor_message_validations, participant_id, text_hash(self.sponsor_message)
        )

    def validate_sponsor_message(self) -> None:
        if not self.sponsor_message:
            raise ValueError("there is no message for the N+1 to validate")
        self.sponsor_message_validation = Validation(
            at=clock.now(), text_sha256=text_hash(self.sponsor_message)
        )


class Note(Shareable):
    table: ClassVar[str] = "notes"

    session: int = Field(ge=1)
    phase: str
    role: Role | None = None
    kind: NoteKind = NoteKind.OBSERVATION


class Action(Shareable):
    table: ClassVar[str] = "actions"

    session: int = Field(ge=1)
    owner: Owner = Owner.COACHEE
    due: date | None = None
    status: ActionStatus = ActionStatus.OPEN


class MaturityMark(Model):
    on: date
    level: Level
    session: int | None = None


class Tool(Record):
    """A tool or practice introduced during the engagement, and its maturity."""

    table: ClassVar[str] = "tools"

    name: Line
    description: Text = ""
    introduced_session: int | None = None
    maturity: list[MaturityMark] = Field(default_factory=list)


class ExportRecord(Record):
    """What left the store, when, in which format, under which file name."""

    table: ClassVar[str] = "exports"

    at: datetime = Field(default_factory=clock.now)
    audience: Audience
    format: str
    filename: Line  # typed by the coach (`-o`): cleaned, it is shown in the confidential file
    session: int | None = None
    recipient: str | None = Field(default=None, exclude_if=unset)  # in a group: whose copy


RECORD_TYPES: tuple[type[Record], ...] = (
    Engagement,
    Participant,
    Objective,
    Competency,
    Assessment,
    Session,
    Note,
    Action,
    Tool,
    ExportRecord,
    PlannedSession,
)
