"""Who validated an item, and recording it: a validation is personal.

A note, an action, a session's message for the N+1 and the closing review
are validated for their exact text (a hash; any edit clears it) by the people
they concern. In an individual engagement that is the coachee, whose one
validation is kept as it always was (`validation`, `sponsor_message_validation`,
`closing_validation`); in a group each participant's is kept apart, with who
gave it (`validations` and the like, `by`). This module is the one place that
knows which is which: the allow-list asks it whether a given person's
validation holds, the CLI and the screens ask it to record one."""

from __future__ import annotations

from aoi_tui.domain import clock
from aoi_tui.domain.items import Closing, Message, Validated
from aoi_tui.domain.models import (
    Action,
    Engagement,
    Note,
    Participant,
    Validation,
    Visibility,
    closing_hash,
)


def coachee_validation(item: Validated) -> Validation | None:
    """The coachee's validation that holds for the item as it is now (an
    individual engagement's): given for its current text (and, for a note or
    an action, while shareable)."""
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


def validation_by(
    item: Validated, participant: Participant, engagement: Engagement
) -> Validation | None:
    """`participant`'s validation that holds for `item` as it is now; None if
    they gave none, or for another text, or the item is not shareable."""
    if engagement.individual:
        if participant.id != engagement.participants[0].id:
            return None
        return coachee_validation(item)
    if isinstance(item, Note | Action):
        if item.visibility is not Visibility.SHAREABLE:
            return None
        return item.validated_by(participant.id)
    if isinstance(item, Message):
        return item.session.sponsor_message_validated_by(participant.id)
    return item.engagement.closing_validated_by(participant.id)


def validate(item: Validated, participant: Participant, engagement: Engagement) -> None:
    """Record that `participant` validates `item` as it is now. The caller saves
    the record it changed (the note, the action, the session, the engagement).
    ValueError when there is nothing to validate (a private item, an empty
    message)."""
    if engagement.individual:
        if participant.id != engagement.participants[0].id:
            raise ValueError("not a participant of this engagement")
        if isinstance(item, Note | Action):
            item.validate_by_coachee()
        elif isinstance(item, Message):
            item.session.validate_sponsor_message()
        else:
            _validate_closing_by_coachee(item)
        return
    if isinstance(item, Note | Action):
        item.validate_by(participant.id)
    elif isinstance(item, Message):
        item.session.validate_sponsor_message_by(participant.id)
    else:
        item.engagement.validate_closing_by(participant.id)


def _validate_closing_by_coachee(item: Closing) -> None:
    e = item.engagement
    if not (e.closing_synthesis or e.closing_next):
        raise ValueError("there is no closing review to validate")
    e.closing_validation = Validation(
        at=clock.now(), text_sha256=closing_hash(e.closing_synthesis, e.closing_next)
    )


def withhold(item: Validated, participant: Participant, engagement: Engagement) -> None:
    """`participant` takes back their validation of `item` (anyone may withhold;
    nothing shows that they did)."""
    if engagement.individual:
        if isinstance(item, Note | Action):
            item.validation = None
        elif isinstance(item, Message):
            item.session.sponsor_message_validation = None
        else:
            item.engagement.closing_validation = None
        return
    if isinstance(item, Note | Action):
        item.withhold_by(participant.id)
    elif isinstance(item, Message):
        s = item.session
        s.sponsor_message_validations = [
            v for v in s.sponsor_message_validations if v.by != participant.id
        ]
    else:
        e = item.engagement
        e.closing_validations = [v for v in e.closing_validations if v.by != participant.id]


def toggle_validation(item: Validated, people: list[Participant], engagement: Engagement) -> bool:
    """One key for those present: each of `people` validates `item`, or, when
    every one of them had, each takes their validation back. True: validated."""
    if all(validation_by(item, p, engagement) is not None for p in people):
        for p in people:
            withhold(item, p, engagement)
        return False
    for p in people:
        validate(item, p, engagement)
    return True


__all__ = ["coachee_validation", "toggle_validation", "validate", "validation_by", "withhold"]
