"""The domain model: validation of shareable items, pydantic's guard rails,
text cleaning on the way in, and a lossless JSON round trip."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, strategies as st
from pydantic import ValidationError

from aoi_tui.domain.models import (
    PLANNED_SESSIONS,
    RECORD_TYPES,
    SCHEMA_VERSION,
    Action,
    Agreement,
    Assessment,
    Assessor,
    Engagement,
    ExportRecord,
    Format,
    Level,
    Note,
    NoteKind,
    Objective,
    Owner,
    Role,
    Session,
    SessionKind,
    Status,
    Validation,
    Visibility,
    text_hash,
)
from aoi_tui.domain.phases import phase_ids


def note(text: str = "Le briefing a tenu en 10 minutes.", **kw: Any) -> Note:
    kw.setdefault("session", 1)
    kw.setdefault("phase", "review")
    return Note(text=text, **kw)


# -- validation of shareable items -------------------------------------------------------


def test_a_note_is_private_and_unvalidated_by_default() -> None:
    n = note()
    assert n.visibility is Visibility.PRIVATE
    assert n.validation is None
    assert not n.validated
    assert not n.shared


def test_validating_a_private_note_is_refused() -> None:
    n = note()
    with pytest.raises(ValueError, match="shareable"):
        n.validate_by_coachee()
    assert n.validation is None
    assert not n.shared


def test_shared_needs_shareable_and_validated() -> None:
    n = note(visibility=Visibility.SHAREABLE)
    assert not n.shared  # shareable, awaiting the coachee's validation
    n.validate_by_coachee()
    assert n.validated and n.shared
    assert n.validation is not None
    assert n.validation.text_sha256 == text_hash(n.text)


def test_making_a_validated_note_private_again_unshares_it() -> None:
    n = note(visibility=Visibility.SHAREABLE)
    n.validate_by_coachee()
    n.visibility = Visibility.PRIVATE
    assert n.validated  # the coachee did validate this text...
    assert not n.shared  # ...but the coach took it back: it stays private


def test_a_validation_recorded_on_a_private_note_does_not_share_it() -> None:
    n = note()
    n.validation = Validation(at=datetime.now(UTC), text_sha256=text_hash(n.text))
    assert n.validated
    assert not n.shared


def test_editing_the_text_clears_the_validation() -> None:
    n = note(visibility=Visibility.SHAREABLE)
    n.validate_by_coachee()
    n.edit("Le briefing a tenu en 12 minutes.")
    assert n.validation is None
    assert not n.validated and not n.shared
    assert n.edited_at is not None


def test_an_edit_that_changes_nothing_keeps_the_validation() -> None:
    n = note("Texte validé.", visibility=Visibility.SHAREABLE)
    n.validate_by_coachee()
    n.edit("Texte validé.")
    assert n.shared
    assert n.edited_at is None
    # Control characters are cleaned before comparing: still the same text.
    n.edit("Texte\x1b[1m validé.")
    assert n.shared


def test_a_text_changed_behind_edit_no_longer_matches_its_validation() -> None:
    n = note(visibility=Visibility.SHAREABLE)
    n.validate_by_coachee()
    n.text = "Un autre texte, jamais validé."  # bypassing edit(): the hash still guards
    assert n.validation is not None
    assert not n.validated
    assert not n.shared


def test_a_validation_of_another_text_does_not_count() -> None:
    n = note(
        "Texte actuel.",
        visibility=Visibility.SHAREABLE,
        validation=Validation(at=datetime.now(UTC), text_sha256=text_hash("Ancien.")),
    )
    assert not n.validated and not n.shared


def test_actions_follow_the_same_rule() -> None:
    a = Action(session=1, text="Préparer l'entretien.", owner=Owner.COACHEE)
    assert a.visibility is Visibility.PRIVATE and not a.shared
    with pytest.raises(ValueError):
        a.validate_by_coachee()
    a.visibility = Visibility.SHAREABLE
    a.validate_by_coachee()
    assert a.shared
    a.edit("Préparer l'entretien avec Julien.")
    assert not a.shared


def test_sponsor_message_validation() -> None:
    s = Session.planned(SessionKind.AOI, 1)
    assert not s.sponsor_message_validated
    with pytest.raises(ValueError):
        s.validate_sponsor_message()  # nothing to validate
    s.set_sponsor_message("Le briefing est en place.")
    assert not s.sponsor_message_validated
    s.validate_sponsor_message()
    assert s.sponsor_message_validated
    s.set_sponsor_message("Le briefing est en place.")  # same text: still validated
    assert s.sponsor_message_validated
    s.set_sponsor_message("Le briefing est en place chaque matin.")
    assert s.sponsor_message_validation is None
    assert not s.sponsor_message_validated
    s.validate_sponsor_message()
    s.sponsor_message = "Changé sans passer par set_sponsor_message."
    assert not s.sponsor_message_validated


def test_an_emptied_sponsor_message_is_not_validated() -> None:
    s = Session.planned(SessionKind.AOI, 1)
    s.set_sponsor_message("Message.")
    s.validate_sponsor_message()
    s.set_sponsor_message("")
    assert not s.sponsor_message_validated


@given(
    st.text(min_size=1),
    st.text(min_size=1),
)
def test_validation_holds_exactly_for_the_validated_text(first: str, second: str) -> None:
    n = note(first, visibility=Visibility.SHAREABLE)
    n.validate_by_coachee()
    before = n.text
    n.edit(second)
    assert n.shared == (n.text == before)


# -- pydantic's guard rails ---------------------------------------------------------------


@pytest.mark.parametrize(
    "kw",
    [
        {"visibility": "public"},
        {"visibility": "PRIVATE"},
        {"role": "coach"},
        {"kind": "gossip"},
        {"session": 0},
        {"unknown_field": 1},
        {"hidden": True},
    ],
)
def test_note_rejects_bad_values_and_extra_fields(kw: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        note(**kw)


def test_assignment_is_validated_too() -> None:
    n = note()
    with pytest.raises(ValidationError):
        n.visibility = "public"  # type: ignore[assignment]
    with pytest.raises(ValidationError):
        n.role = "boss"  # type: ignore[assignment]
    assert n.visibility is Visibility.PRIVATE


@pytest.mark.parametrize(
    "kw",
    [
        {"format": "therapy"},
        {"status": "paused"},
        {"planned_sessions": 0},
        {"cadence_days": 0},
        {"secret": "x"},
        {"coachee": "   "},
        {"sponsor": "\n\t"},
    ],
)
def test_engagement_rejects_bad_values(kw: dict[str, Any]) -> None:
    values: dict[str, Any] = {"coachee": "Camille", "sponsor": "Marc", **kw}
    with pytest.raises(ValidationError):
        Engagement(**values)


@pytest.mark.parametrize(
    ("cls", "kw"),
    [
        (Agreement, {"report_everything": True}),
        (Objective, {"statement": "x", "area": "finance"}),
        (Objective, {"statement": "x", "status": "done"}),
        (Action, {"session": 1, "text": "x", "owner": "hr"}),
        (Action, {"session": 1, "text": "x", "status": "late"}),
        (Assessment, {"competency_id": "c", "level": 5, "by": Assessor.COACH}),
        (Assessment, {"competency_id": "c", "level": 2, "by": "boss"}),
        (Session, {"kind": "therapy", "number": 1}),
        (Session, {"kind": "aoi", "number": 1, "feeling": 6}),
        (ExportRecord, {"audience": "everyone", "format": "md", "filename": "x"}),
        (Validation, {"at": "2026-01-01T10:00:00+00:00", "text_sha256": "x", "by": "n+1"}),
    ],
)
def test_other_records_reject_bad_values(cls: type[Any], kw: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        cls(**kw)


def test_engagement_defaults() -> None:
    e = Engagement(coachee="Camille", sponsor="Marc")
    assert e.format is Format.AOI
    assert e.status is Status.FRAMING
    assert e.cadence_days == 21
    assert e.agreement.consent_date is None
    assert e.agreement.report_attendance is True
    assert e.agreement.report_competencies is False  # seed 001: no appraisal by default
    assert e.agreement.report_objective_status is False
    assert e.agreement.right_to_withdraw is True
    assert e.v == SCHEMA_VERSION
    assert PLANNED_SESSIONS[Format.SHORT] <= 3 <= PLANNED_SESSIONS[Format.AOI]


def test_ids_are_random_strings() -> None:
    ids = {note().id for _ in range(200)}
    assert len(ids) == 200
    assert all(isinstance(i, str) and len(i) >= 10 for i in ids)


def test_every_record_type_has_its_table() -> None:
    tables = [cls.table for cls in RECORD_TYPES]
    assert len(tables) == len(set(tables))


# -- text cleaning on the way in ----------------------------------------------------------


def test_free_text_is_cleaned_on_the_way_in() -> None:
    n = note("a\x1b[31mrouge\x1b[0m\r\nb\x1b]0;titre\x07\tc\x9b")
    assert n.text == "arouge\nb\tc\ufffd"
    e = Engagement(coachee=" Camille\x1b[1m\nLefèvre ", sponsor="Marc\tDubois")
    assert e.coachee == "Camille Lefèvre"
    assert e.sponsor == "Marc Dubois"
    s = Session.planned(SessionKind.AOI, 1)
    s.set_sponsor_message("ok\x1b[2J")
    assert s.sponsor_message == "ok"
    s.coachee_log = "log\x07"  # assignment is cleaned as well
    assert s.coachee_log == "log\ufffd"


def test_edit_cleans_the_new_text() -> None:
    n = note()
    n.edit("nouveau\x1b]8;;http://x\x1b\\ texte\r")
    assert n.text == "nouveau texte\n"


# -- sessions and phases ------------------------------------------------------------------


def test_aoi_session_phases_and_durations() -> None:
    s = Session.planned(SessionKind.AOI, 3)
    assert s.phase_ids == ["review", "field", "debrief", "handover"]
    by_id = {p.phase: p for p in s.phases}
    assert by_id["review"].target_minutes == 30
    assert by_id["field"].target_minutes == 120
    assert by_id["field"].overrun_minutes == 150
    assert by_id["debrief"].target_minutes == 30


@pytest.mark.parametrize(
    ("kind", "phases"),
    [
        (SessionKind.COACHING, ["opening", "exploration", "actions", "wrapup"]),
        (SessionKind.KICKOFF, ["expectations", "objectives", "agreement"]),
        (SessionKind.MIDPOINT, ["progress", "adjust"]),
        (SessionKind.CLOSING, ["synthesis", "assessment", "next"]),
    ],
)
def test_phase_ids_of_each_kind(kind: SessionKind, phases: list[str]) -> None:
    assert Session.planned(kind, 1).phase_ids == phases
    assert phase_ids(kind.value) == phases


# -- JSON round trip ------------------------------------------------------------------------

aware_datetimes = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)


@given(
    text=st.text(),
    visibility=st.sampled_from(Visibility),
    role=st.none() | st.sampled_from(Role),
    kind=st.sampled_from(NoteKind),
    session=st.integers(min_value=1, max_value=60),
    validate=st.booleans(),
    created=aware_datetimes,
)
def test_note_json_round_trip(
    text: str,
    visibility: Visibility,
    role: Role | None,
    kind: NoteKind,
    session: int,
    validate: bool,
    created: datetime,
) -> None:
    n = Note(
        text=text,
        visibility=visibility,
        role=role,
        kind=kind,
        session=session,
        phase="review",
        created_at=created,
    )
    if validate and visibility is Visibility.SHAREABLE:
        n.validate_by_coachee()
    back = Note.model_validate(n.model_dump(mode="json"))
    assert back == n
    assert back.shared == n.shared


@given(
    coachee=st.text(min_size=1).filter(lambda s: s.split()),
    sponsor=st.text(min_size=1).filter(lambda s: s.split()),
    fmt=st.sampled_from(Format),
    status=st.sampled_from(Status),
    consent=st.none() | st.dates(min_value=date(2000, 1, 1), max_value=date(2025, 12, 31)),
    flags=st.tuples(st.booleans(), st.booleans(), st.booleans()),
)
def test_engagement_json_round_trip(
    coachee: str,
    sponsor: str,
    fmt: Format,
    status: Status,
    consent: date | None,
    flags: tuple[bool, bool, bool],
) -> None:
    e = Engagement(
        coachee=coachee,
        sponsor=sponsor,
        format=fmt,
        status=status,
        agreement=Agreement(
            consent_date=consent,
            report_attendance=flags[0],
            report_objective_status=flags[1],
            report_competencies=flags[2],
        ),
    )
    assert Engagement.model_validate(e.model_dump(mode="json")) == e


def test_session_and_action_round_trip() -> None:
    s = Session.planned(SessionKind.AOI, 2)
    s.set_sponsor_message("Message validé.")
    s.validate_sponsor_message()
    s.feeling = 4
    back = Session.model_validate(s.model_dump(mode="json"))
    assert back == s and back.sponsor_message_validated
    a = Action(
        session=2,
        text="Déléguer.",
        owner=Owner.SPONSOR,
        due=date.today() + timedelta(days=3),
        visibility=Visibility.SHAREABLE,
    )
    a.validate_by_coachee()
    assert Action.model_validate(a.model_dump(mode="json")) == a


def test_level_scale() -> None:
    assert [lv.value for lv in Level] == [1, 2, 3, 4]
    assert Level.NOT_ACQUIRED < Level.MASTERED
