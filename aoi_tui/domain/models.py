"""The domain: an engagement and everything recorded in it.

Every stored record carries its own random `id` and a schema version `v`
(see `migrations.py`). Free text is cleaned of control characters on the
way in (`text.clean`)."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from typing import Annotated, ClassVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from aoi_tui.config.i18n import language, t
from aoi_tui.domain import clock
from aoi_tui.domain.ids import new_id
from aoi_tui.domain.phases import phase_ids, phases_for
from aoi_tui.domain.text import clean, clean_line

# The words of the domain live in vocabulary.py; the models re-export them.
from aoi_tui.domain.vocabulary import (
    PLANNED_SESSIONS as PLANNED_SESSIONS,
    SCHEMA_VERSION as SCHEMA_VERSION,
    ActionStatus as ActionStatus,
    Area as Area,
    Assessor as Assessor,
    Audience as Audience,
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
)

Text = Annotated[str, AfterValidator(clean)]
Line = Annotated[str, AfterValidator(clean_line)]

STORED: dict[str, bool] = {"stored": True}
"""The validation context of a record read back from the store
(`EngagementFile._load`): the limits below apply to what is typed or imported,
never to what is already saved (a note saved by an older aoi still opens)."""


def _stored(info: ValidationInfo) -> bool:
    return bool(info.context and info.context.get("stored"))


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
    problem = None if _stored(info) else note_too_long(text)
    if problem:
        raise ValueError(problem)
    return text


NoteText = Annotated[str, AfterValidator(clean), AfterValidator(_note_length)]

EARLIEST_CONSENT = date(1990, 1, 1)


def consent_date_problem(day: date) -> str | None:
    """What is wrong with a consent date, said; None when it is plausible. Consent
    is recorded once given: a date in the future is a typo (a day's margin for a
    coach whose day starts before the server's), and so is one before 1990."""
    if day > clock.today() + timedelta(days=1):
        return t("agreement.consent_future", date=day.isoformat())
    if day < EARLIEST_CONSENT:
        return t("agreement.consent_too_old", date=day.isoformat())
    return None


class Model(BaseModel):
    # defer_build: a model's validator is built on first use, not at import (start-up time)
    model_config = ConfigDict(extra="forbid", validate_assignment=True, defer_build=True)


class Record(Model):
    """Anything stored as its own document."""

    table: ClassVar[str]
    id: str = Field(default_factory=new_id)
    v: int = SCHEMA_VERSION


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def closing_hash(synthesis: str, next_steps: str) -> str:
    """What the coachee validates in the closing review: the synthesis and what
    continues with the N+1, together (`Engagement.closing_validation`)."""
    return text_hash(synthesis + "\x00" + next_steps)


class Validation(Model):
    """The coachee's validation of exactly this text, at this time."""

    at: datetime
    text_sha256: str


class Shareable(Record):
    """A note or an action: private by default; reaches the sponsor only when
    shareable *and* validated by the coachee for its current text, whoever owns
    it (`allow_list.reaches` decides, with consent and withdrawal)."""

    text: NoteText
    visibility: Visibility = Visibility.PRIVATE
    validation: Validation | None = None
    created_at: datetime = Field(default_factory=clock.now)
    edited_at: datetime | None = None

    @property
    def validated(self) -> bool:
        return self.validation is not None and self.validation.text_sha256 == text_hash(self.text)

    @property
    def shared(self) -> bool:
        """Shareable and validated for its current text: the item's own part of
        the allow-list. Whether it reaches anyone is `allow_list.reaches`."""
        return self.visibility is Visibility.SHAREABLE and self.validated

    def edit(self, text: str) -> None:
        """Change the text; a validation given for the old text no longer holds."""
        text = clean(text)
        if text != self.text:
            self.text = text
            self.validation = None
            self.edited_at = clock.now()

    def toggle_sharing(self) -> None:
        """Private <-> shareable. Either way the coachee's validation is cleared:
        a change of sharing is decided with the coachee again."""
        self.visibility = (
            Visibility.PRIVATE if self.visibility is Visibility.SHAREABLE else Visibility.SHAREABLE
        )
        self.validation = None

    def validate_by_coachee(self) -> None:
        if self.visibility is not Visibility.SHAREABLE:
            raise ValueError("only a shareable item can be validated")
        self.validation = Validation(at=clock.now(), text_sha256=text_hash(self.text))


class Agreement(Model):
    """The three-way agreement. Reporting flags say what may reach the sponsor
    beyond what the coachee validates; each is off unless agreed."""

    consent_date: date | None = None
    confidentiality: Text = ""
    report_attendance: bool = True
    report_objective_status: bool = False
    report_competencies: bool = False
    right_to_withdraw: bool = True

    @field_validator("consent_date")
    @classmethod
    def _plausible(cls, day: date | None, info: ValidationInfo) -> date | None:
        problem = None if day is None or _stored(info) else consent_date_problem(day)
        if problem:
            raise ValueError(problem)
        return day


class Engagement(Record):
    table: ClassVar[str] = "engagement"

    coachee: Line
    sponsor: Line
    coach: Line = ""
    organisation: Line = ""
    format: Format = Format.AOI
    planned_sessions: int = Field(default=8, ge=1, le=60)
    cadence_days: int = Field(default=21, ge=1, le=365)
    status: Status = Status.FRAMING
    coachee_expectations: Text = ""
    sponsor_expectations: Text = ""
    next_session: date | None = None
    agreement: Agreement = Field(default_factory=Agreement)
    strategy: Text = ""
    strategy_competence: Level | None = None  # the strategy grid (seed 000): competence ...
    strategy_motivation: str | None = Field(
        default=None, pattern="^(low|medium|high)$"
    )  # ... x motivation
    closing_synthesis: Text = ""  # the closing three-way review: what was learned
    closing_next: Text = ""  # what continues with the N+1
    closing_validation: Validation | None = None  # the coachee validated the two texts above
    created_at: datetime = Field(default_factory=clock.now)
    closed_on: date | None = None
    withdrawn_on: date | None = None
    demo: bool = False  # the fictional engagement of `aoi demo`

    @property
    def closing_validated(self) -> bool:
        """The coachee validated the closing review's two texts as they are now."""
        v = self.closing_validation
        return (
            bool(self.closing_synthesis or self.closing_next)
            and v is not None
            and v.text_sha256 == closing_hash(self.closing_synthesis, self.closing_next)
        )

    @model_validator(mode="after")
    def _names(self) -> Engagement:
        if not self.coachee or not self.sponsor:
            raise ValueError("coachee and sponsor need a name")
        return self


class Objective(Record):
    table: ClassVar[str] = "objectives"

    statement: Text
    area: Area | None = None
    indicator: Text = ""
    expected_result: Text = ""
    status: ObjectiveStatus = ObjectiveStatus.OPEN


class Competency(Record):
    table: ClassVar[str] = "competencies"

    name: Line
    behaviours: list[Text] = Field(default_factory=list)
    start_level: Level | None = None
    target: Level | None = None


class Assessment(Record):
    """One FSAC mark: who assessed, when, hot or cold."""

    table: ClassVar[str] = "assessments"

    competency_id: str
    level: Level
    by: Assessor
    timing: Timing = Timing.HOT
    on: date = Field(default_factory=clock.today)
    session: int | None = None


class PhaseRun(Model):
    phase: str
    target_minutes: int
    overrun_minutes: int
    started_at: datetime | None = None
    ended_at: datetime | None = None


class Session(Record):
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

    def set_sponsor_message(self, text: str) -> None:
        text = clean(text)
        if text != self.sponsor_message:
            self.sponsor_message = text
            self.sponsor_message_validation = None

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


RECORD_TYPES: tuple[type[Record], ...] = (
    Engagement,
    Objective,
    Competency,
    Assessment,
    Session,
    Note,
    Action,
    Tool,
    ExportRecord,
)
