"""Exports, in process: the sponsor's report never carries a private or
unvalidated word in any format, the confidential file carries everything,
HTML never runs or fetches anything, and no escape sequence gets out raw."""

from __future__ import annotations

import html
import json
import os
import re
import stat
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from aoi_tui import demo
from aoi_tui.config.i18n import LANGUAGES, t
from aoi_tui.domain.ids import new_id
from aoi_tui.domain.models import (
    Action,
    Agreement,
    Area,
    Assessment,
    Assessor,
    Audience,
    Competency,
    Engagement,
    ExportRecord,
    Level,
    Note,
    NoteKind,
    Objective,
    Owner,
    Role,
    Session,
    SessionKind,
    Status,
    Tool,
    Validation,
    Visibility,
    closing_hash,
    text_hash,
)
from aoi_tui.exports.shared_report import ConsentMissing, build_shared_report
from aoi_tui.exports.writing import FORMATS, build_export, write_export
from aoi_tui.store.engagement_file import EngagementFile
from aoi_tui.store.store import Store

FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
BASE_DAY = date(2026, 3, 2)
BASE_TIME = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def exports(
    store: Store, eid: str, audience: Audience, lang: str = "en", session: int | None = None
) -> dict[str, str]:
    return {fmt: build_export(store, eid, audience, fmt, lang, session).content for fmt in FORMATS}


def forms(token: str) -> tuple[str, str, str]:
    """A token as it would appear raw, HTML-escaped or JSON-escaped."""
    return token, html.escape(token), json.dumps(token)[1:-1]


def assert_absent(token: str, rendered: dict[str, str]) -> None:
    for fmt, content in rendered.items():
        for form in forms(token):
            assert form not in content, f"{token!r} leaked into the {fmt} export as {form!r}"


def assert_present(token: str, rendered: dict[str, str]) -> None:
    assert token in rendered["md"], f"{token!r} missing from the Markdown"
    assert token in rendered["json"], f"{token!r} missing from the JSON"
    assert html.escape(token) in rendered["html"], f"{token!r} missing from the HTML"


# -- a generated engagement -------------------------------------------------------------

# Filler around the tokens: Markdown punctuation, French letters, control
# characters. No digit and no "é" (the tokens' own characters) so that filler can
# never spell a token; no brackets, parentheses, colon or "@" so that a token
# cannot end up inside a link destination (where it would be percent-encoded).
FILLER = st.text(
    alphabet="abcdefgxyzàçèAZ \n\t\r*_`#>-=+.!|~&;,'\"<\\\x1b\x9b\x07",
    max_size=24,
)
STATES = ("none", "validated", "edited", "stale")
"""none: never validated; validated: validated for its current text; edited:
validated, then edited (validation cleared); stale: validated, then the text
changed behind `edit()` (the hash no longer matches)."""

WHEN = ("before_consent", "in_window", "withdrawal_day", "after_withdrawal")
"""When the coachee validated: the day before the consent date, the day after
it (the only day a validation shows: `IN_WINDOW`), on the day of the
withdrawal, three days after it."""
WITHDRAWAL = ("none", "dated", "undated")
"""none: not withdrawn; dated: withdrawn on `WITHDRAWN_ON`; undated: marked
withdrawn with no day (an old record): nothing validated reaches the N+1."""
WITHDRAWN_ON = BASE_DAY + timedelta(days=20)
IN_WINDOW = BASE_DAY + timedelta(days=1)
VALIDATED_AT = {
    "before_consent": BASE_TIME - timedelta(days=1),
    "in_window": BASE_TIME + timedelta(days=1),
    "withdrawal_day": datetime.combine(WITHDRAWN_ON, BASE_TIME.timetz()) - timedelta(hours=1),
    "after_withdrawal": datetime.combine(WITHDRAWN_ON, BASE_TIME.timetz()) + timedelta(days=3),
}

message_states = st.tuples(st.sampled_from(("absent", *STATES)), st.sampled_from(WHEN))
note_specs = st.tuples(
    st.integers(min_value=0, max_value=9),  # session (modulo the number of sessions)
    st.sampled_from(Visibility),
    st.sampled_from(STATES),
    st.sampled_from(WHEN),
    st.none() | st.sampled_from(Role),
    st.sampled_from(NoteKind),
    FILLER,
    FILLER,
)
action_specs = st.tuples(
    st.integers(min_value=0, max_value=9),
    st.sampled_from(Visibility),
    st.sampled_from(STATES),
    st.sampled_from(WHEN),
    st.sampled_from(Owner),
    st.booleans(),  # has a due date
    FILLER,
    FILLER,
)
engagement_specs = st.fixed_dictionaries(
    {
        "consent": st.sampled_from((True, True, True, False)),
        "withdrawal": st.sampled_from(WITHDRAWAL),
        "status": st.sampled_from([s for s in Status if s is not Status.WITHDRAWN]),
        "flags": st.tuples(st.booleans(), st.booleans(), st.booleans()),
        "sessions": st.lists(
            st.tuples(st.sampled_from(SessionKind), message_states, FILLER), min_size=1, max_size=4
        ),
        "notes": st.lists(note_specs, max_size=10),
        "actions": st.lists(action_specs, max_size=8),
        "competency": st.booleans(),
        "closing": st.tuples(st.sampled_from(("absent", *STATES)), st.sampled_from(WHEN)),
        "lang": st.sampled_from(LANGUAGES),
    }
)


@dataclass
class Built:
    eid: str
    twin: str  # the same engagement holding only what may be shared
    secret: list[str] = field(default_factory=list)  # must never reach the sponsor
    shown: list[str] = field(default_factory=list)  # must reach the sponsor
    gone: list[str] = field(default_factory=list)  # texts replaced by an edit
    # The coachee's recap of each session: what it must show, what it must not.
    recap_shown: dict[int, list[str]] = field(default_factory=dict)
    recap_secret: dict[int, list[str]] = field(default_factory=dict)
    dated: bool = False  # a validation day (IN_WINDOW) is in the report

    def recap(self, session: int, tokens: list[str], shown: bool) -> None:
        (self.recap_shown if shown else self.recap_secret).setdefault(session, []).extend(tokens)


class Tokens:
    def __init__(self) -> None:
        self.n = 0

    def __call__(self, kind: str) -> str:
        self.n += 1
        return f"{kind}{self.n:04d}&éZ"


def in_agreement(spec: dict[str, Any], when: str) -> bool:
    """The rule, written out: a validation counts for the N+1 when given on or
    after the consent date and before the day of the withdrawal."""
    if not spec["consent"] or when == "before_consent":
        return False
    if spec["withdrawal"] == "undated":
        return False
    return spec["withdrawal"] == "none" or when == "in_window"


def _validate_then(item: Note | Action, state: str, when: str, new_text: str) -> None:
    """Bring an item to `state`, validated at `when` (the coachee made it
    shareable, then validated it)."""
    if state == "none":
        return
    item.validation = Validation(at=VALIDATED_AT[when], text_sha256=text_hash(item.text))
    if state == "edited":
        item.edit(new_text)
    elif state == "stale":
        item.text = new_text


def build(store: Store, spec: dict[str, Any]) -> Built:
    tok = Tokens()
    attendance, objective_status, competencies = spec["flags"]
    withdrawal = spec["withdrawal"]
    engagement = Engagement(
        coachee="Camille Test",
        sponsor="Marc Test",
        coach="Claire Test",
        organisation="Atelier Test",
        status=Status.WITHDRAWN if withdrawal != "none" else spec["status"],
        withdrawn_on=WITHDRAWN_ON if withdrawal == "dated" else None,
        agreement=Agreement(
            consent_date=BASE_DAY if spec["consent"] else None,
            confidentiality="Seuls les éléments validés sont transmis.",
            report_attendance=attendance,
            report_objective_status=objective_status,
            report_competencies=competencies,
        ),
    )
    closing, closing_when = spec["closing"]
    closing_reaches = closing == "validated" and in_agreement(spec, closing_when)
    twin_closing: dict[str, Any] = {"closing_synthesis": "", "closing_next": ""}
    closing_tokens: tuple[list[str], list[str], list[str]] = ([], [], [])  # shown, secret, gone
    if closing != "absent":
        synthesis, next_steps = tok("V" if closing_reaches else "S"), tok("S")
        if closing_reaches:
            next_steps = tok("V")
        engagement.closing_synthesis = f"*{synthesis}*"
        engagement.closing_next = f"- {next_steps}"
        engagement.closing_validation = Validation(
            at=VALIDATED_AT[closing_when],
            text_sha256=closing_hash(f"*{synthesis}*", f"- {next_steps}"),
        )
        if closing_reaches:
            twin_closing = {}
            closing_tokens[0].extend([synthesis, next_steps])
        elif closing == "validated":  # validated, but outside the agreement
            closing_tokens[1].extend([synthesis, next_steps])
        else:
            replaced = tok("S")
            if closing in ("edited", "none"):  # as the closing screen does: a change clears it
                engagement.closing_validation = None
            engagement.closing_synthesis = replaced
            closing_tokens[1].extend([synthesis, next_steps, replaced])
            closing_tokens[2].append(synthesis)
    full = store.create_engagement(engagement)
    twin = store.create_engagement(
        engagement.model_copy(update={"id": new_id(), "closing_validation": None, **twin_closing})
        if twin_closing
        else engagement.model_copy(update={"id": new_id()})
    )
    built = Built(full.id, twin.id)
    built.shown += closing_tokens[0]
    built.secret += closing_tokens[1]
    built.gone += closing_tokens[2]
    built.dated = closing_reaches and closing_when == "in_window"
    allowed: list[Any] = []  # records to copy into the twin

    def reached(when: str) -> None:
        built.dated = built.dated or when == "in_window"

    with full.batch():
        objective = Objective(
            statement="Faire un point sécurité",
            area=Area.SAFETY,
            indicator="Points tenus",
            expected_result="100 %",
        )
        full.insert(objective)
        allowed.append(objective)
        if spec["competency"]:
            c = Competency(name="Animer le briefing", start_level=Level.NOT_ACQUIRED)
            mark = Assessment(
                competency_id=c.id, level=Level.IN_PROGRESS, by=Assessor.COACH, on=BASE_DAY
            )
            full.insert(c)
            full.insert(mark)
            allowed += [c, mark]
            if not competencies:  # not agreed: the competency's name stays the coach's
                built.secret.append(c.name)
        # A tool never reaches the N+1, whatever the agreement.
        tool = tok("S")
        full.insert(Tool(name=f"Outil {tool}", description=tok("S")))
        built.secret.append(tool)

        n_sessions = len(spec["sessions"])
        for number, (kind, (state, when), filler) in enumerate(spec["sessions"], start=1):
            s = Session.planned(kind, number)
            s.held_on = BASE_DAY + timedelta(days=14 * number)
            twin_session = s.model_copy(deep=True)
            if state != "absent":
                reaches = state == "validated" and in_agreement(spec, when)
                first = tok("V" if reaches else "S")
                s.set_sponsor_message(f"{filler} {first} {filler}")
                # the coachee's recap: the message once validated, whenever
                built.recap(number, [first], shown=state == "validated")
                if state != "none":
                    s.sponsor_message_validation = Validation(
                        at=VALIDATED_AT[when], text_sha256=text_hash(s.sponsor_message)
                    )
                if state == "none":
                    built.secret.append(first)
                elif state == "validated":
                    if reaches:
                        built.shown.append(first)
                        twin_session = s.model_copy(deep=True)
                        reached(when)
                    else:
                        built.secret.append(first)
                else:
                    second = tok("S")
                    if state == "edited":
                        s.set_sponsor_message(f"{filler} {second}")
                    else:
                        s.sponsor_message = f"{filler} {second}"
                    built.gone.append(first)
                    built.secret += [first, second]
                    built.recap(number, [second], shown=False)
            full.insert(s)
            allowed.append(twin_session)

        for i, (index, visibility, state, when, role, kind, before, after) in enumerate(
            spec["notes"]
        ):
            validated = visibility is Visibility.SHAREABLE and state == "validated"
            shown = validated and in_agreement(spec, when)
            first = tok("V" if shown else "S")
            n = Note(
                session=index % n_sessions + 1,
                phase=Session.planned(spec["sessions"][index % n_sessions][0], 1).phase_ids[0],
                role=role,
                kind=kind,
                text=f"{before} {first} {after}",
                visibility=Visibility.SHAREABLE,
                created_at=BASE_TIME + timedelta(minutes=i),
            )
            second = tok("S")
            _validate_then(n, state, when, f"{after} {second} {before}")
            n.visibility = visibility
            full.insert(n)
            # The recap shows the notes the coachee validated, whenever.
            built.recap(n.session, [first], shown=validated)
            built.recap(n.session, [second], shown=False)
            if shown:
                built.shown.append(first)
                allowed.append(n)
                reached(when)
            elif state in ("edited", "stale"):
                built.gone.append(first)
                built.secret += [first, second]
            else:
                built.secret.append(first)

        for i, (index, visibility, state, when, owner, due, before, after) in enumerate(
            spec["actions"]
        ):
            validated = visibility is Visibility.SHAREABLE and state == "validated"
            # Whoever owns it: the coachee's, the N+1's and the coach's alike.
            shown = validated and in_agreement(spec, when)
            first = tok("V" if shown else "S")
            a = Action(
                session=index % n_sessions + 1,
                owner=owner,
                due=BASE_DAY + timedelta(days=30) if due else None,
                text=f"{before} {first} {after}",
                visibility=Visibility.SHAREABLE,
                created_at=BASE_TIME + timedelta(minutes=100 + i),
            )
            second = tok("S")
            _validate_then(a, state, when, f"{after} {second} {before}")
            a.visibility = visibility
            full.insert(a)
            # The recap: the coachee's own actions as they are now, and the
            # others' once the coachee validated them.
            current = second if state in ("edited", "stale") else first
            built.recap(a.session, [current], shown=owner is Owner.COACHEE or validated)
            if current != first:
                built.recap(a.session, [first], shown=False)
            if shown:
                built.shown.append(first)
                allowed.append(a)
                reached(when)
            elif state in ("edited", "stale"):
                built.gone.append(first)
                built.secret += [first, second]
            else:
                built.secret.append(first)

    with twin.batch():
        for record in allowed:
            twin.insert(record)  # same ids: an assessment names its competency
    return built


def day_forms(day: date) -> tuple[str, str]:
    return day.isoformat(), day.strftime("%d/%m/%Y")


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(spec=engagement_specs)
def test_no_private_or_unvalidated_word_reaches_the_sponsor(
    store: Store, spec: dict[str, Any]
) -> None:
    built = build(store, spec)
    lang = spec["lang"]
    if not spec["consent"]:
        # Before consent nothing reaches the N+1: no report at all.
        for fmt in FORMATS:
            with pytest.raises(ConsentMissing):
                build_export(store, built.eid, Audience.SHARED, fmt, lang)
    else:
        shared = exports(store, built.eid, Audience.SHARED, lang)
        for token in built.secret:
            assert_absent(token, shared)
        for token in built.shown:
            assert_present(token, shared)
        # Built from an allow-list: the same engagement without any private or
        # unvalidated item gives the very same report, so nothing hints at them
        # (no count, no gap, no "3 notes hidden").
        assert shared == exports(store, built.twin, Audience.SHARED, lang)
        # The day of a validation shows only where session dates are reported.
        dated = spec["flags"][0] and built.dated
        iso, french = day_forms(IN_WINDOW)
        for fmt, content in shared.items():
            expected = iso if fmt == "json" or lang == "en" else french
            for form in (iso, french):
                assert (form in content) == (dated and form == expected), (fmt, form)
        for content in shared.values():
            assert not FORBIDDEN.search(content)
        check_safe_html(shared["html"])
        # What the reporting flags keep out: session numbers and days, the
        # objectives' progress, the competency levels.
        doc = json.loads(shared["json"])
        if not spec["flags"][0]:
            assert doc["sessions"] == [] and doc["period_start"] is None
            assert all(
                x["session"] is None for k in ("messages", "notes", "actions") for x in doc[k]
            )
        if not spec["flags"][1]:
            assert all(o["status"] is None for o in doc["objectives"])
        if not spec["flags"][2]:
            assert doc["competencies"] is None
    # The confidential file holds everything there is.
    confidential = exports(store, built.eid, Audience.CONFIDENTIAL, lang)
    for token in set(built.secret + built.shown) - set(built.gone):
        assert_present(token, confidential)
    for content in confidential.values():
        assert not FORBIDDEN.search(content)
    check_safe_html(confidential["html"])

    # The coachee's recap of each session: what the coachee validated and the
    # coachee's own actions; nothing private, nothing from another session.
    for number in range(1, len(spec["sessions"]) + 1):
        recap = exports(store, built.eid, Audience.RECAP, lang, number)
        shown = built.recap_shown.get(number, [])
        elsewhere = [
            token
            for other, tokens in (*built.recap_shown.items(), *built.recap_secret.items())
            if other != number
            for token in tokens
        ]
        for token in built.recap_secret.get(number, []) + elsewhere:
            if token not in shown:
                assert_absent(token, recap)
        for token in shown:
            assert_present(token, recap)
        for content in recap.values():
            assert not FORBIDDEN.search(content)
        check_safe_html(recap["html"])


# -- fixed engagements ------------------------------------------------------------------


def make_engagement(store: Store, consent: bool = True, **kw: Any) -> EngagementFile:
    values: dict[str, Any] = {
        "coachee": "Camille Martin",
        "sponsor": "Marc Dubois",
        "coach": "Claire Moreau",
        "agreement": Agreement(consent_date=BASE_DAY if consent else None),
        **kw,
    }
    return store.create_engagement(Engagement(**values))


def add_session(ef: EngagementFile, kind: SessionKind = SessionKind.AOI) -> Session:
    session = ef.new_session(kind)
    session.held_on = BASE_DAY + timedelta(days=7 * session.number)
    ef.update(session)
    return session


def shared_note(ef: EngagementFile, session: int, text: str, **kw: Any) -> Note:
    note = ef.add_note(session, text, visibility=Visibility.SHAREABLE, **kw)
    note.validate_by_coachee()
    ef.update(note)
    return note


def test_shared_export_refuses_without_consent(store: Store) -> None:
    ef = make_engagement(store, consent=False)
    add_session(ef)
    shared_note(ef, 1, "Validé, mais pas de consentement.")
    with pytest.raises(ConsentMissing, match="consent"):
        build_shared_report(ef)
    for fmt in FORMATS:
        with pytest.raises(ConsentMissing):
            build_export(store, ef.id, Audience.SHARED, fmt, "fr")
    # The coach's own file needs no consent.
    assert "Validé" in build_export(store, ef.id, Audience.CONFIDENTIAL, "md", "fr").content


def test_shared_export_has_no_role_tag_and_no_hint_of_hidden_notes(store: Store) -> None:
    ef = make_engagement(store)
    add_session(ef)
    for role in Role:
        shared_note(ef, 1, f"Note validée {role.value}-ok", role=role, phase="field")
    for i in range(3):
        ef.add_note(1, f"Note privée numéro {i}", role=Role.SPUR)
        ef.add_note(1, f"En attente {i}", visibility=Visibility.SHAREABLE)
    for lang in LANGUAGES:
        rendered = exports(store, ef.id, Audience.SHARED, lang)
        for role in Role:
            assert f"{role.value}-ok" in rendered["md"]
        labels = [t(f"role.{r.value}", lg) for r in Role for lg in LANGUAGES]
        labels += [t("visibility.private", lg) for lg in LANGUAGES]
        labels += [t(f"kind.{k.value}", lg) for k in NoteKind for lg in LANGUAGES]
        for content in (rendered["md"], rendered["html"]):
            for label in labels:
                assert label not in content
            assert "privée" not in content and "En attente" not in content
            assert not re.search(r"\b(hidden|masqu|[0-9]+ notes?\b)", content, re.I)
        doc = json.loads(rendered["json"])
        assert doc["format"] == "aoi-shared-report"
        assert len(doc["notes"]) == len(Role)
        for entry in doc["notes"]:
            assert set(entry) == {"session", "text", "validated_on"}
        assert "role" not in rendered["json"] and "visibility" not in rendered["json"]


def test_validation_of_old_text_does_not_share_the_new(store: Store) -> None:
    ef = make_engagement(store)
    add_session(ef)
    note = shared_note(ef, 1, "Version validée")
    note.edit("Version modifiée après validation")
    ef.update(note)
    rendered = exports(store, ef.id, Audience.SHARED)
    assert_absent("Version modifiée", rendered)
    assert_absent("Version validée", rendered)
    note.validate_by_coachee()
    ef.update(note)
    assert_present("Version modifiée après validation", exports(store, ef.id, Audience.SHARED))


def test_competencies_and_attendance_follow_the_agreement(store: Store) -> None:
    ef = make_engagement(store)
    add_session(ef)
    ef.insert(Competency(name="Recadrer un collaborateur", start_level=Level.NOT_ACQUIRED))
    rendered = exports(store, ef.id, Audience.SHARED)
    assert_absent("Recadrer", rendered)  # report_competencies is off by default
    assert json.loads(rendered["json"])["competencies"] is None
    assert len(json.loads(rendered["json"])["sessions"]) == 1

    eng = ef.engagement()
    eng.agreement = eng.agreement.model_copy(
        update={"report_competencies": True, "report_attendance": False}
    )
    ef.save_engagement(eng)
    rendered = exports(store, ef.id, Audience.SHARED)
    assert_present("Recadrer un collaborateur", rendered)
    assert json.loads(rendered["json"])["sessions"] == []


def test_demo_engagement_shares_only_what_was_validated(store: Store) -> None:
    eid, created = demo.create_demo(store)
    assert created
    assert demo.create_demo(store) == (eid, False)
    rendered = exports(store, eid, Audience.SHARED, "fr")
    confidential = exports(store, eid, Audience.CONFIDENTIAL, "fr")
    private, shared = [], []
    for record in demo.demo_records(demo.FILES[demo.DEMO_COACHEE]):  # data/demo/*.json
        if isinstance(record, Session):
            if record.coachee_log:
                private.append(record.coachee_log.splitlines()[0])
            if record.sponsor_message:
                assert record.sponsor_message_validated
                shared.append(record.sponsor_message)
        elif isinstance(record, Note):
            (shared if record.shared else private).append(record.text)
    assert private and shared
    for text in private:
        assert_absent(text, rendered)
        assert text in confidential["md"]
    doc = json.loads(rendered["json"])
    doc_texts = [m["text"] for m in doc["messages"]] + [n["text"] for n in doc["notes"]]
    for text in shared:
        assert text in rendered["md"]
        assert html.escape(text, quote=False) in rendered["html"]
        assert text in doc_texts
    actions = store.engagement(eid).actions()
    assert {a.owner for a in actions} == set(Owner)
    for action in actions:
        # whoever owns it, an action reaches the sponsor once the coachee validated it
        if action.shared:
            assert action.text in rendered["md"]
        else:
            assert_absent(action.text, rendered)
    assert any(a.shared for a in actions) and not all(a.shared for a in actions)


# -- the confidential file ----------------------------------------------------------------


def test_confidential_file_is_marked_and_written_0600(store: Store, tmp_path: Path) -> None:
    ef = make_engagement(store)
    add_session(ef)
    add_session(ef, SessionKind.COACHING)
    ef.add_note(1, "Note privée du coach", role=Role.MIRROR)
    for lang in LANGUAGES:
        banner = t("export.confidential.banner", lang)
        md = build_export(store, ef.id, Audience.CONFIDENTIAL, "md", lang).content
        assert md.startswith(f"# {t('export.confidential.title', lang)}")
        assert md.count(banner) >= 2 + 2  # top, each session, bottom
        page = build_export(store, ef.id, Audience.CONFIDENTIAL, "html", lang).content
        assert f'<div class="page-banner">{html.escape(banner)}</div>' in page
        assert page.count('class="session"') == 2  # a page break before each session
        doc = json.loads(build_export(store, ef.id, Audience.CONFIDENTIAL, "json", lang).content)
        assert doc["format"] == "aoi-confidential-file"
        assert doc["notes"][0]["role"] == "mirror"

    for fmt in FORMATS:
        export = build_export(store, ef.id, Audience.CONFIDENTIAL, fmt, "en")
        target = tmp_path / f"out.{fmt}"
        target.write_text("old")
        target.chmod(0o644)  # an existing, world-readable file is tightened
        path = write_export(store, ef.id, export, str(target))
        assert path == target
        assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
        assert target.read_text("utf-8") == export.content
    folder = tmp_path / "folder"
    folder.mkdir()
    export = build_export(store, ef.id, Audience.SHARED, "md", "en")
    path = write_export(store, ef.id, export, str(folder))
    assert path == folder / export.default_name
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    records = ef.all(ExportRecord)
    assert len(records) == len(FORMATS) + 1
    assert {r.audience for r in records} == {Audience.CONFIDENTIAL, Audience.SHARED}
    assert str(path.resolve()) in {r.filename for r in records}


# -- HTML safety --------------------------------------------------------------------------

HOSTILE = [
    "<script>alert('note')</script>",
    "[click me](javascript:alert(1))",
    "[mixed case](JaVaScRiPt:alert(1))",
    "[entity](&#106;avascript:alert(1))",
    "<javascript:alert(1)>",
    "[data](data:text/html;base64,PHNjcmlwdD4=)",
    "[vb](vbscript:msgbox(1))",
    "[relative](//evil.example/x)",
    "![pixel](https://tracker.example/pixel.png)",
    '<img src="https://tracker.example/raw.png">',
    "<iframe src=https://evil.example></iframe>",
    '<a href="javascript:alert(2)">raw link</a>',
    "[ok link](https://example.com/ok)",
    "<https://example.com/auto>",
    "[write](mailto:coach@example.com)",
    '![alt text](http://images.example/x.png "title")',
    "<style>@import url(https://evil.example/x.css)</style>",
    '<svg onload="alert(3)"></svg>',
]


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.style = ""
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.style += data


SAFE_TAGS = {
    "html", "head", "meta", "title", "style", "body", "div", "h1", "h2", "h3", "h4",
    "p", "ul", "ol", "li", "em", "strong", "blockquote", "table", "thead", "tbody",
    "tr", "th", "td", "a", "code", "pre", "hr", "br", "s",
}  # fmt: skip  # s: ~~struck~~ typed in a text (hypothesis drew ";~~; x ;~~;")


def check_safe_html(page: str) -> None:
    parser = _Collector()
    parser.feed(page)
    assert {tag for tag, _ in parser.tags} <= SAFE_TAGS
    assert [tag for tag, _ in parser.tags].count("style") == 1
    for tag, attrs in parser.tags:
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            value = (value or "").strip().lower()
            if tag == "a" and name == "href":
                assert value.startswith(("http://", "https://", "mailto:")), value
            elif tag == "meta" and name == "content":
                continue  # charset and the Content-Security-Policy
            else:
                assert "http" not in value and "//" not in value, (tag, name, value)
                assert "javascript" not in value, (tag, name, value)
    assert "url(" not in parser.style and "@import" not in parser.style
    assert "default-src 'none'" in page  # the CSP forbids any fetch as well


def test_html_never_runs_or_fetches_anything(store: Store) -> None:
    ef = make_engagement(store, coachee="Camille <b>Martin</b>")
    session = add_session(ef)
    for text in HOSTILE:
        shared_note(ef, 1, text)
        ef.add_note(1, text)  # private copies for the confidential file
    session = ef.session(session.number)
    session.set_sponsor_message("\n".join(HOSTILE))
    session.validate_sponsor_message()
    ef.update(session)
    for audience in (Audience.SHARED, Audience.CONFIDENTIAL):
        for lang in LANGUAGES:
            page = build_export(store, ef.id, audience, "html", lang).content
            check_safe_html(page)
            assert "<script" not in page and "&lt;script&gt;" in page
            assert "<img" not in page and "&lt;img" in page
            assert "<iframe" not in page and "<svg" not in page
            assert "Camille &lt;b&gt;Martin&lt;/b&gt;" in page
            # an image stays the text typed: neither fetched nor a link to its address
            assert "![pixel](https://tracker.example/pixel.png)" in page
            assert 'tracker.example/pixel.png"' not in page
            assert "![alt text](http://images.example/x.png" in page
            assert '<a href="https://example.com/ok">ok link</a>' in page
            assert '<a href="mailto:coach@example.com">write</a>' in page
            assert "click me" in page and "raw link" in page  # shown, not linked


# -- terminal control sequences -----------------------------------------------------------

NASTY = "a\x1b[31mred\x1b[0m \x1b]0;title\x07 \x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\ \x9b2J \x07\x00\x7f\x85 \x1b] tail\r\nend"


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (k, *_strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def test_escape_sequences_never_reach_an_export_raw(store: Store, tmp_path: Path) -> None:
    ef = make_engagement(
        store,
        coachee=f"Camille {NASTY}",
        sponsor=f"Marc {NASTY}",
        coach=f"Claire {NASTY}",
        organisation=NASTY,
        coachee_expectations=NASTY,
        sponsor_expectations=NASTY,
        strategy=NASTY,
        agreement=Agreement(consent_date=BASE_DAY, confidentiality=NASTY, report_competencies=True),
    )
    session = add_session(ef)
    session.set_sponsor_message(NASTY)
    session.validate_sponsor_message()
    session.coachee_log = NASTY
    session.feeling_note = NASTY
    session.feeling = 3
    ef.update(session)
    with ef.batch():
        ef.insert(Objective(statement=NASTY, indicator=NASTY, expected_result=NASTY))
        c = Competency(name=NASTY, behaviours=[NASTY])
        ef.insert(c)
        ef.insert(Assessment(competency_id=c.id, level=Level.ACQUIRED, by=Assessor.SELF))
        ef.insert(Tool(name=NASTY, description=NASTY))
        for owner in Owner:
            action = Action(session=1, text=NASTY, owner=owner, visibility=Visibility.SHAREABLE)
            action.validate_by_coachee()
            ef.insert(action)
    shared_note(ef, 1, NASTY)
    ef.add_note(1, NASTY)
    # An output file name typed by the coach lands in the export history.
    odd_name = tmp_path / "export\x1b[31m\x9b2J\x07.md"
    write_export(
        store, ef.id, build_export(store, ef.id, Audience.SHARED, "md", "en"), str(odd_name)
    )
    for audience in (Audience.SHARED, Audience.CONFIDENTIAL):
        for lang in LANGUAGES:
            rendered = exports(store, ef.id, audience, lang)
            for fmt, content in rendered.items():
                assert not FORBIDDEN.search(content), (audience, fmt)
                assert "end" in content and "tail" in content  # the words themselves stay
            for s in _strings(json.loads(rendered["json"])):
                assert not FORBIDDEN.search(s), s


# -- shapes ---------------------------------------------------------------------------------


def test_shared_json_shape(store: Store) -> None:
    ef = make_engagement(store)
    add_session(ef)
    shared_note(ef, 1, "Validée")
    doc = json.loads(build_export(store, ef.id, Audience.SHARED, "json", "fr").content)
    assert doc["format"] == "aoi-shared-report"
    assert doc["version"] == 1
    assert doc["lang"] == "fr"
    assert doc["coachee"] == "Camille Martin"
    assert doc["agreement"]["consent_date"] == BASE_DAY.isoformat()
    assert doc["notes"] == [
        {"session": 1, "text": "Validée", "validated_on": doc["validation_dates"][0]}
    ]
    assert doc["period_start"] == doc["period_end"] == (BASE_DAY + timedelta(days=7)).isoformat()


def test_unknown_format_and_audience_are_refused(store: Store) -> None:
    ef = make_engagement(store)
    with pytest.raises(ValueError):
        build_export(store, ef.id, Audience.SHARED, "pdf", "en")
    with pytest.raises(ValueError):
        build_export(store, ef.id, Audience.RECAP, "md", "en")


def test_dates_follow_the_language(store: Store) -> None:
    ef = make_engagement(store)
    add_session(ef)
    day = BASE_DAY + timedelta(days=7)
    fr = build_export(store, ef.id, Audience.SHARED, "md", "fr").content
    en = build_export(store, ef.id, Audience.SHARED, "md", "en").content
    assert day.strftime("%d/%m/%Y") in fr and t("export.shared.title", "fr") in fr
    assert day.isoformat() in en and t("export.shared.title", "en") in en
