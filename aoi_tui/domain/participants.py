"""The people of an engagement and what each of them agreed to.

An engagement has one or more **participants**: the coachee of an individual
engagement, the members of a team, the managers of a peer group. Each has their
own agreement, because confidentiality is personal: what one person agreed to
report says nothing about another. The N+1 is never a participant (a name in
`sponsor`, the engagement's or a peer's own).

A participant's agreement is two things:

- the three-way `Agreement` (consent, the right to withdraw, what may be
  reported: attendance, objectives' progress, competency levels), the one an
  individual engagement has always had, now held by its one participant;
- beside it, what a group adds and the framing never sets: the day they
  withdrew, whether their own items may be reported to their N+1, whether they
  count in a programme's statistics (issue 14), and the charter of the group
  they agreed to (a hash of it, as for any validation: a charter changed after
  they agreed is not the one they agreed to).

Every reporting flag of a participant of a group is off until agreed.
An individual engagement's one participant keeps what the three-way agreement
always meant: what the coachee validates may reach the N+1 (own items on)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import ClassVar

from pydantic import Field, ValidationInfo, field_validator, model_validator

from aoi_tui.config.i18n import t
from aoi_tui.domain import clock
from aoi_tui.domain.records import Line, Model, Record, Text, Validation, stored, text_hash
from aoi_tui.domain.text import fold
from aoi_tui.domain.vocabulary import Form

EARLIEST_CONSENT = date(1990, 1, 1)
NAME_MAX = 120
"""The longest name a person is given (characters)."""


def consent_date_problem(day: date) -> str | None:
    """What is wrong with a consent date, said; None when it is plausible. Consent
    is recorded once given: a date in the future is a typo (a day's margin for a
    coach whose day starts before the server's), and so is one before 1990."""
    if day > clock.today() + timedelta(days=1):
        return t("agreement.consent_future", date=day.isoformat())
    if day < EARLIEST_CONSENT:
        return t("agreement.consent_too_old", date=day.isoformat())
    return None


class Agreement(Model):
    """The three-way agreement. Reporting flags say what may reach the sponsor
    beyond what the coachee validates; each is off unless agreed (attendance,
    on by default, is the three-way framing's default for one coachee; a group's
    participant starts with it off: `Participant`)."""

    consent_date: date | None = None
    confidentiality: Text = ""
    report_attendance: bool = True
    report_objective_status: bool = False
    report_competencies: bool = False
    right_to_withdraw: bool = True
    coach_supervised: bool = Field(default=False, exclude_if=lambda v: not v)
    """The agreement tells the coachee that the coach is supervised (cases taken
    to supervision, pseudonymised). Left out while false: an agreement written
    before it keeps its shape, on disk and in the documents."""
    listed_in_hours_log: bool = Field(default=False, exclude_if=lambda v: not v)
    """Named (with their e-mail) in the coach's hours log (issue 15 §2); else an
    anonymous row. Left out while false, as above."""

    @field_validator("consent_date")
    @classmethod
    def _plausible(cls, day: date | None, info: ValidationInfo) -> date | None:
        problem = None if day is None or stored(info) else consent_date_problem(day)
        if problem:
            raise ValueError(problem)
        return day


def _nothing_reported() -> Agreement:
    return Agreement(report_attendance=False)


class Charter(Model):
    """What every participant of a group agrees to (seed 003: the coach cannot
    guarantee confidentiality among peers alone): confidentiality among them,
    attendance, who receives what, what happens when someone leaves; and, for a
    peer group, whether the group's items may go to the participants' N+1s (off:
    they go to no N+1)."""

    confidentiality: Text = ""
    attendance: Text = ""
    recipients: Text = ""
    leaving: Text = ""
    group_items_to_sponsors: bool = False

    def sha256(self) -> str:
        """The hash a participant's agreement to the charter holds for."""
        return text_hash(json.dumps(self.model_dump(mode="json"), sort_keys=True))


class Participant(Record):
    """One person of an engagement. `sponsor` is their own N+1 in a peer group
    (empty: none, the default); in a team or an individual engagement the N+1 is
    the engagement's. `reports_to` is the role map's reporting line inside the
    group: the id of the participant who is their line manager."""

    table: ClassVar[str] = "participants"

    name: Line
    function: Line = ""
    sponsor: Line = ""
    email: Line = ""
    reports_to: str | None = None
    joined_on: date = Field(default_factory=clock.today)
    agreement: Agreement = Field(default_factory=_nothing_reported)
    withdrawn_on: date | None = None
    report_own_items: bool = False
    programme_statistics: bool = False
    charter_agreement: Validation | None = None

    @field_validator("name")
    @classmethod
    def _short_enough(cls, name: str, info: ValidationInfo) -> str:
        """A name, not a paste of a document: it shows in every table and heading
        (a stored one is read as it is)."""
        if len(name) > NAME_MAX and not stored(info):
            raise ValueError(t("participant.name_too_long", most=NAME_MAX, length=len(name)))
        return name

    @classmethod
    def coachee(
        cls, name: str, agreement: Agreement | None = None, **fields: object
    ) -> Participant:
        """The one participant of an individual engagement: the three-way
        agreement's defaults (attendance reported), and what they validate may
        reach their N+1 (own items reported), as it always could."""
        return cls.model_validate(
            {
                "name": name,
                "agreement": agreement or Agreement(),
                "report_own_items": True,
                **fields,
            }
        )

    @model_validator(mode="after")
    def _sound(self) -> Participant:
        if not self.name:
            raise ValueError(t("participant.name_needed"))
        if self.email and (self.email.count("@") != 1 or " " in self.email):
            raise ValueError(t("participant.bad_email", email=self.email))
        if self.reports_to == self.id:
            raise ValueError(t("participant.reports_to_self", name=self.name))
        return self

    @property
    def consent_date(self) -> date | None:
        return self.agreement.consent_date

    def agreement_held_on(self, day: date) -> bool:
        """Consent given on or before `day`, and no withdrawal on or before it: what
        the person agreed to that day holds (a validation given then counts)."""
        consent = self.agreement.consent_date
        if consent is None or day < consent:
            return False
        return self.withdrawn_on is None or day < self.withdrawn_on

    def member_on(self, day: date) -> bool:
        """In the group that day: joined, and not yet withdrawn."""
        return self.joined_on <= day and (self.withdrawn_on is None or day < self.withdrawn_on)

    def agreed_to(self, charter: Charter | None) -> bool:
        """Agreed to the charter as it is now, while their agreement held."""
        v = self.charter_agreement
        return (
            charter is not None
            and v is not None
            and v.holds_for(charter.sha256())
            and self.agreement_held_on(v.at.date())
        )


class NoSuchParticipant(ValueError):
    """A participant named by an id or a prefix that matches none, or several
    (the candidates are said)."""


def find_participant(participants: Sequence[Participant], query: str) -> Participant:
    """The participant `query` names: an exact id or an exact name (case, accents
    and spaces aside), else the one participant whose id or name starts with it
    (case and accents ignored: "elo" is Élodie). A prefix that starts one's id and
    another's name names two people: it is refused with the candidates, as is any
    ambiguous prefix; a person is never guessed."""
    wanted = query.strip()
    if not wanted:
        raise NoSuchParticipant(t("participant.none_named"))
    for p in participants:
        if p.id == wanted:
            return p
    exact = [p for p in participants if same_person(p.name, wanted)]
    if len(exact) == 1:
        return exact[0]
    folded = fold(wanted)
    candidates = [
        p
        for p in participants
        if p.id.startswith(wanted.lower()) or fold(p.name).startswith(folded)
    ]
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise NoSuchParticipant(t("participant.not_found", query=wanted))
    raise NoSuchParticipant(
        t(
            "participant.ambiguous",
            query=wanted,
            candidates=", ".join(f"{p.name} ({p.id})" for p in candidates),
        )
    )


def same_person(a: str, b: str) -> bool:
    """Two names typed for one person (case, accents and spaces aside)."""
    return bool(a.strip()) and fold(" ".join(a.split())) == fold(" ".join(b.split()))


def name_taken(participants: Sequence[Participant], name: str, but: str | None = None) -> bool:
    """Someone else (any participant but the one of id `but`) has this name already:
    a group never holds two people one name names (an @ could not tell them apart)."""
    return any(same_person(p.name, name) for p in participants if p.id != but)


# -- changes to a participant's agreement, for the CLI and the screens alike ------------


class AgreementRefused(ValueError):
    """A change the participant's agreement does not allow, said in one line."""


def give_consent(p: Participant, day: date) -> None:
    """`p` consents on `day` (a plausible day; never after they withdrew)."""
    if p.withdrawn_on is not None:
        raise AgreementRefused(
            t("participant.consent_after_withdrawal", name=p.name, date=p.withdrawn_on.isoformat())
        )
    problem = consent_date_problem(day)
    if problem:
        raise AgreementRefused(problem)
    p.agreement = p.agreement.model_copy(update={"consent_date": day})


def withdraw(p: Participant, day: date | None = None) -> date:
    """`p` withdraws on `day` (default today): once, not in the future, not before
    they consented. From then on nothing of theirs is reported. Returns the day."""
    if p.withdrawn_on is not None:
        raise AgreementRefused(
            t("participant.already_withdrew", name=p.name, date=p.withdrawn_on.isoformat())
        )
    day = day or clock.today()
    if day > clock.today():
        raise AgreementRefused(t("participant.withdrawal_future", date=day.isoformat()))
    consent = p.agreement.consent_date
    if consent is not None and day < consent:
        raise AgreementRefused(
            t(
                "participant.withdrawal_before_consent",
                name=p.name,
                consent=consent.isoformat(),
                date=day.isoformat(),
            )
        )
    p.withdrawn_on = day
    return day


def case_bringer_refused(p: Participant, day: date) -> str | None:
    """Why `p` cannot bring the case of a peer session held on `day`, said; None
    when they can. The case's notes are about them: someone who never consented,
    or withdrew, did not agree to take part, so their case is not taken (being
    present is a fact, kept in the coach's file only)."""
    if p.withdrawn_on is not None and p.withdrawn_on <= day:
        return t("participant.case_bringer_withdrew", name=p.name, date=p.withdrawn_on.isoformat())
    if p.agreement.consent_date is None:
        return t("participant.case_bringer_no_consent", name=p.name)
    return None


def set_reporting(
    p: Participant,
    *,
    own_items: bool | None = None,
    attendance: bool | None = None,
    objective_status: bool | None = None,
    competencies: bool | None = None,
    programme_statistics: bool | None = None,
    listed_in_hours_log: bool | None = None,
    coach_supervised: bool | None = None,
) -> None:
    """What may be reported about `p` (None: left as it is), and whether their
    agreement says the coach is supervised. Someone who withdrew has nothing
    reported from that day whatever their flags say, and a withdrawal is never
    undone: a change to what is reported would have no effect, so it is refused,
    said (the same flags given again are not a change: the framing saves every
    flag). Programme statistics may still be turned off: a withdrawn individual
    engagement is counted as a withdrawal while they are on (`programme.sending`)."""
    changed = [
        now is not None and now != before
        for now, before in (
            (own_items, p.report_own_items),
            (attendance, p.agreement.report_attendance),
            (objective_status, p.agreement.report_objective_status),
            (competencies, p.agreement.report_competencies),
            (programme_statistics or None, p.programme_statistics),
        )
    ]
    if p.withdrawn_on is not None and any(changed):
        raise AgreementRefused(
            t("participant.withdrew_nothing_more", name=p.name, date=p.withdrawn_on.isoformat())
        )
    if own_items is not None:
        p.report_own_items = own_items
    if programme_statistics is not None:
        p.programme_statistics = programme_statistics
    flags = {
        "report_attendance": attendance,
        "report_objective_status": objective_status,
        "report_competencies": competencies,
        "listed_in_hours_log": listed_in_hours_log,
        "coach_supervised": coach_supervised,
    }
    update = {k: v for k, v in flags.items() if v is not None}
    if update:
        p.agreement = p.agreement.model_copy(update=update)


def agree_to_charter(p: Participant, charter: Charter | None, at: datetime | None = None) -> None:
    """`p` agrees to the group's charter as it is now (a changed charter is agreed
    to again): only while their consent holds."""
    if charter is None:
        raise AgreementRefused(t("participant.no_charter"))
    if p.withdrawn_on is not None:  # "record their consent first" could not be done
        raise AgreementRefused(
            t("participant.withdrew_nothing_more", name=p.name, date=p.withdrawn_on.isoformat())
        )
    if p.agreement.consent_date is None:
        raise AgreementRefused(t("participant.charter_needs_consent", name=p.name))
    p.charter_agreement = Validation(at=at or clock.now(), text_sha256=charter.sha256(), by=p.id)


def reporting_line_warning(
    form: Form, participants: Sequence[Participant], p: Participant
) -> str | None:
    """The role map's warning: in a peer group, a reporting line between two
    participants changes what peers say before each other (the core never refuses
    it: a coach may have good reasons)."""
    if form is not Form.PEERS or p.reports_to is None:
        return None
    manager = next((q for q in participants if q.id == p.reports_to), None)
    if manager is None:
        return None
    return t("participant.reporting_line_in_peers", name=p.name, manager=manager.name)


__all__ = [
    "Agreement",
    "AgreementRefused",
    "Charter",
    "NoSuchParticipant",
    "Participant",
    "agree_to_charter",
    "case_bringer_refused",
    "consent_date_problem",
    "find_participant",
    "give_consent",
    "name_taken",
    "reporting_line_warning",
    "same_person",
    "set_reporting",
    "withdraw",
]
