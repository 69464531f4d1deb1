"""The one allow-list: what reaches whom.

`reaches(item, engagement, audience)` is the single decision, for every kind
of item, used by the sponsor's report (every format), the coachee's session
recap, the sponsor-safe view (F2) of every screen and the handover panel.
Nothing filters private items out: each reader gets what is let in here.

For the N+1 (`Audience.SHARED`, the report and the sponsor-safe view):

- Nothing before the coachee's consent is recorded.
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

For the coachee's recap (`Audience.RECAP`): what the coachee validated (notes,
the message for the N+1, other owners' actions) and the coachee's own
actions; nothing the coach kept private. Consent and withdrawal are about the
N+1: the recap is the coachee's own.

The confidential file (`Audience.CONFIDENTIAL`) is the coach's: everything."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from aoi_tui.domain.models import (
    Action,
    Assessment,
    Audience,
    Competency,
    Engagement,
    Note,
    Objective,
    Owner,
    Session,
    Status,
    Tool,
    Validation,
    Visibility,
)


@dataclass(frozen=True)
class Message:
    """A session's message for the N+1 (the session carries it)."""

    session: Session


@dataclass(frozen=True)
class Closing:
    """The closing review's two texts (the engagement carries them)."""

    engagement: Engagement


Item = Note | Action | Message | Closing | Objective | Competency | Assessment | Tool | Session
"""Every kind of item a report could show. A `Session` stands for its
attendance (number, kind, day); its message is `Message(session)`."""


def holding_validation(item: Note | Action | Message | Closing) -> Validation | None:
    """The coachee's validation that holds for the item as it is now: given for
    its current text (and, for a note or an action, while shareable)."""
    if isinstance(item, Note | Action):
        if item.visibility is Visibility.SHAREABLE and item.validated:
            return item.validation
        return None
    if isinstance(item, Message):
        return (
            item.session.sponsor_message_validation
            if item.session.sponsor_message_validated
            else None
        )
    return item.engagement.closing_validation if item.engagement.closing_validated else None


def validation_open(engagement: Engagement) -> bool:
    """Whether a validation given now can still reach the N+1: not after a withdrawal."""
    return engagement.status is not Status.WITHDRAWN and engagement.withdrawn_on is None


def _in_agreement(validation: Validation, engagement: Engagement) -> bool:
    """Given on or after the consent date and before the day of a withdrawal."""
    consent = engagement.agreement.consent_date
    if consent is None:
        return False
    day = validation.at.date()
    if day < consent:
        return False
    if engagement.withdrawn_on is not None:
        return day < engagement.withdrawn_on
    return engagement.status is not Status.WITHDRAWN  # withdrawn, day unknown: nothing


def reaches(item: Item, engagement: Engagement, audience: Audience = Audience.SHARED) -> bool:
    """Whether `item` reaches the reader of `audience`: the N+1 (`SHARED`, the
    report and the sponsor-safe view), the coachee (`RECAP`) or the coach
    (`CONFIDENTIAL`). The one decision; see the module's docstring."""
    if audience is Audience.CONFIDENTIAL:
        return True
    if audience is Audience.RECAP:
        if isinstance(item, Action) and item.owner is Owner.COACHEE:
            return True  # the coachee's own action, whoever may see it besides
        if isinstance(item, Note | Action | Message):
            return holding_validation(item) is not None
        return False  # a session recap holds no framing, FSAC, tool or closing review
    agreement = engagement.agreement
    if agreement.consent_date is None:
        return False
    if isinstance(item, Note | Action | Message | Closing):
        validation = holding_validation(item)
        return validation is not None and _in_agreement(validation, engagement)
    if isinstance(item, Objective):
        return True  # framed together in the three-way kickoff
    if isinstance(item, Competency | Assessment):
        return agreement.report_competencies
    if isinstance(item, Session):
        return agreement.report_attendance
    return False  # a tool, or anything new: not until it is decided here


def validated_on(item: Note | Action | Message | Closing, engagement: Engagement) -> date | None:
    """The day the coachee validated an item that reaches the N+1, for the
    report to print; None when the agreement does not report session dates."""
    validation = holding_validation(item)
    if validation is None or not engagement.agreement.report_attendance:
        return None
    return validation.at.date()


__all__ = [
    "Closing",
    "Item",
    "Message",
    "holding_validation",
    "reaches",
    "validated_on",
    "validation_open",
]
