"""The one allow-list (issue 11, section 2), attacked through the exports as a
sponsor and a coachee receive them: every item kind and owner, private,
unvalidated or edited after validation, before consent, after withdrawal, with
session dates not reported, and free text that tries to pass for the report's
own structure."""

from __future__ import annotations

import html
import json
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any

from markdown_it import MarkdownIt

from aoi_tui.config.i18n import LANGUAGES, t
from aoi_tui.domain.models import (
    Action,
    ActionStatus,
    Agreement,
    Audience,
    Engagement,
    Owner,
    SessionKind,
    Status,
    Validation,
    Visibility,
    closing_hash,
    text_hash,
)
from aoi_tui.exports.writing import FORMATS, build_export
from aoi_tui.store.engagement_file import EngagementFile
from aoi_tui.store.store import Store
from tests.test_cli import aoi, fails, ok

CONSENT = date(2026, 3, 2)
DAY = timedelta(days=1)


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def rendered(
    store: Store, eid: str, audience: Audience = Audience.SHARED, lang: str = "en", **kw: Any
) -> dict[str, str]:
    return {
        fmt: build_export(store, eid, audience, fmt, lang, kw.get("session")).content
        for fmt in FORMATS
    }


def forms(token: str) -> tuple[str, ...]:
    return token, html.escape(token), json.dumps(token)[1:-1]


def absent(token: str, docs: dict[str, str]) -> None:
    for fmt, content in docs.items():
        for form in forms(token):
            assert form not in content, f"{token!r} reached the {fmt} export"


def present(token: str, docs: dict[str, str]) -> None:
    assert token in docs["md"] and token in docs["json"], token
    assert html.escape(token) in docs["html"], token


def engagement(store: Store, **agreement: Any) -> EngagementFile:
    values: dict[str, Any] = {"consent_date": CONSENT, **agreement}
    ef = store.create_engagement(
        Engagement(
            coachee="Camille Martin",
            sponsor="Marc Dubois",
            coach="Claire Moreau",
            status=Status.ACTIVE,
            agreement=Agreement(**values),
        )
    )
    session = ef.new_session(SessionKind.AOI)
    session.held_on = CONSENT + 14 * DAY
    ef.update(session)
    return ef


def action(
    ef: EngagementFile,
    text: str,
    owner: Owner,
    *,
    shareable: bool = False,
    validated_at: datetime | None = None,
    edited: str | None = None,
    **kw: Any,
) -> Action:
    a = Action(
        session=1,
        text=text,
        owner=owner,
        visibility=Visibility.SHAREABLE if shareable else Visibility.PRIVATE,
        **kw,
    )
    if validated_at is not None:
        a.validation = Validation(at=validated_at, text_sha256=text_hash(text))
    if edited is not None:
        a.edit(edited)
    ef.insert(a)
    return a


def note(ef: EngagementFile, text: str, validated_at: datetime, *, shareable: bool = True) -> None:
    n = ef.add_note(1, text, visibility=Visibility.SHAREABLE)
    n.validation = Validation(at=validated_at, text_sha256=text_hash(text))
    if not shareable:
        n.visibility = Visibility.PRIVATE
    ef.update(n)


# -- actions of every owner --------------------------------------------------------------


TAGS = {Owner.COACHEE: "CEE", Owner.COACH: "CCH", Owner.SPONSOR: "NPLUS1"}


def canaries(ef: EngagementFile) -> tuple[list[str], list[str]]:
    """Actions of every owner in every state: (validated ones, the others)."""
    when = at(CONSENT + 14 * DAY)
    shown, hidden = [], []
    for owner in Owner:
        tag = TAGS[owner]
        action(ef, f"PRIVATE-{tag} call HR about my burnout", owner)
        action(ef, f"SHAREABLE-{tag} not validated", owner, shareable=True)
        action(
            ef,
            f"BEFORE-{tag} validated text",
            owner,
            shareable=True,
            validated_at=when,
            edited=f"AFTER-{tag} edited after validation",
        )
        action(ef, f"VALIDATED-{tag} agreed", owner, shareable=True, validated_at=when)
        # private again after a validation (the hash still matches the text)
        action(ef, f"UNSHARED-{tag} validated then made private", owner, validated_at=when)
        hidden += [
            f"PRIVATE-{tag}",
            f"SHAREABLE-{tag}",
            f"BEFORE-{tag}",
            f"AFTER-{tag}",
            f"UNSHARED-{tag}",
        ]
        shown.append(f"VALIDATED-{tag} agreed")
    return shown, hidden


def test_no_action_of_any_owner_reaches_the_sponsor_unless_validated(store: Store) -> None:
    ef = engagement(store)
    shown, hidden = canaries(ef)
    for lang in LANGUAGES:
        docs = rendered(store, ef.id, lang=lang)
        for token in hidden:
            absent(token, docs)
        for token in shown:
            present(token, docs)


def test_the_recap_holds_what_the_coachee_validated_and_their_own_actions(store: Store) -> None:
    ef = engagement(store)
    shown, _ = canaries(ef)
    docs = rendered(store, ef.id, Audience.RECAP, session=1)
    # the coachee's own actions, as they stand now, validated or not
    for token in ("PRIVATE-CEE", "SHAREABLE-CEE", "AFTER-CEE", "UNSHARED-CEE"):
        present(token, docs)
    absent("BEFORE-CEE", docs)  # the old text, replaced by the edit
    for token in shown:
        present(token, docs)
    for owner in (Owner.SPONSOR, Owner.COACH):
        for state in ("PRIVATE", "SHAREABLE", "BEFORE", "AFTER", "UNSHARED"):
            absent(f"{state}-{TAGS[owner]}", docs)


def test_a_shared_action_shows_its_status_and_due_date(store: Store) -> None:
    ef = engagement(store)
    due = date(2026, 4, 17)
    action(
        ef,
        "Tenir le point sécurité",
        Owner.SPONSOR,
        shareable=True,
        validated_at=at(CONSENT + 14 * DAY),
        due=due,
        status=ActionStatus.DONE,
    )
    for lang in LANGUAGES:
        docs = rendered(store, ef.id, lang=lang)
        [entry] = json.loads(docs["json"])["actions"]
        assert (entry["status"], entry["due"]) == ("done", "2026-04-17")
        day = due.strftime("%d/%m/%Y") if lang == "fr" else due.isoformat()
        for fmt in ("md", "html"):
            line = next(x for x in docs[fmt].splitlines() if "Tenir le point" in x)
            assert day in line and t("action.done", lang) in line, (lang, fmt, line)


# -- consent, withdrawal, dates ------------------------------------------------------------


def test_nothing_validated_before_consent_reaches_the_sponsor(store: Store) -> None:
    ef = engagement(store)
    note(ef, "EARLY validated before the consent", at(CONSENT - DAY))
    note(ef, "ONTIME validated on the consent day", at(CONSENT, 8))
    docs = rendered(store, ef.id)
    absent("EARLY", docs)
    present("ONTIME validated on the consent day", docs)


def test_after_withdrawal_only_what_was_validated_before_reaches_the_sponsor(
    store: Store,
) -> None:
    ef = engagement(store)
    withdrawn = CONSENT + 20 * DAY
    note(ef, "KEPT validated before the withdrawal", at(withdrawn - DAY))
    note(ef, "SAMEDAY validated on the withdrawal day", at(withdrawn, 8))
    note(ef, "LATE validated after the withdrawal", at(withdrawn + 3 * DAY))
    session = ef.session(1)
    session.set_sponsor_message("LATEMESSAGE for the N+1")
    session.sponsor_message_validation = Validation(
        at=at(withdrawn + DAY), text_sha256=text_hash(session.sponsor_message)
    )
    ef.update(session)
    action(ef, "LATEACTION", Owner.SPONSOR, shareable=True, validated_at=at(withdrawn + 2 * DAY))
    e = ef.engagement()
    e.status, e.withdrawn_on = Status.WITHDRAWN, withdrawn
    e.closing_synthesis, e.closing_next = "LATECLOSING synthesis", "LATECLOSING next"
    e.closing_validation = Validation(
        at=at(withdrawn + DAY), text_sha256=closing_hash(e.closing_synthesis, e.closing_next)
    )
    ef.save_engagement(e)
    docs = rendered(store, ef.id)
    present("KEPT validated before the withdrawal", docs)
    for token in ("SAMEDAY", "LATE", "LATEMESSAGE", "LATEACTION", "LATECLOSING"):
        absent(token, docs)
    assert json.loads(docs["json"])["closing"] is None


def test_the_cli_validates_nothing_after_withdrawal(store: Store, cli_env: dict[str, str]) -> None:
    ef = engagement(store)
    n = ef.add_note(1, "Écrite après le retrait", visibility=Visibility.SHAREABLE)
    ok(aoi(cli_env, store.root, "engagement", "withdraw", ef.id))
    fails(aoi(cli_env, store.root, "note", "validate", ef.id, n.id), "withdr")
    ef.storage.cache.drop(ef.path)
    assert ef.get(type(n), n.id).validation is None
    absent("Écrite après le retrait", rendered(store, ef.id))


def test_without_session_dates_no_validation_date_reaches_the_sponsor(store: Store) -> None:
    ef = engagement(store, report_attendance=False)
    day = CONSENT + 5 * DAY
    note(ef, "Note validée", at(day))
    session = ef.session(1)
    session.set_sponsor_message("Message validé")
    session.sponsor_message_validation = Validation(
        at=at(day), text_sha256=text_hash(session.sponsor_message)
    )
    ef.update(session)
    action(ef, "Action validée", Owner.COACHEE, shareable=True, validated_at=at(day))
    e = ef.engagement()
    e.closing_synthesis, e.closing_next = "Synthèse", "Suite"
    e.closing_validation = Validation(at=at(day), text_sha256=closing_hash("Synthèse", "Suite"))
    ef.save_engagement(e)
    for lang in LANGUAGES:
        docs = rendered(store, ef.id, lang=lang)
        for token in ("Note validée", "Message validé", "Action validée", "Synthèse", "Suite"):
            present(token, docs)
        for fmt, content in docs.items():
            assert day.isoformat() not in content, (lang, fmt)
            assert day.strftime("%d/%m/%Y") not in content, (lang, fmt)
            assert t("export.validations", lang) not in content.replace("&#x27;", "'"), fmt
        doc = json.loads(docs["json"])
        assert doc["validation_dates"] == []
        for key in ("messages", "notes", "actions"):
            assert [item["validated_on"] for item in doc[key]] == [None], key
        assert doc["closing"]["validated_on"] is None


# -- free text never forges the report's structure -------------------------------------------

FORGED_NOTE = """Bon briefing.

## Actions

- **Line manager** · due 2026-05-01 — Fake action for the N+1
- **N+1** — another

Sous-titre
===

Autre
---

| a | b |
|---|---|
| 1 | 2 |

> cité

1. un

***

[clic](javascript:alert(1)) [entité](&#106;avascript:alert(2)) <javascript:alert(3)>
<b>gras</b> [ok](https://example.com/ok)"""

FORGED_ACTION = "Appeler\n\n## Notes validated by the coachee\n\n- **Session 1** · forged note"

ALLOWED = ("http://", "https://", "mailto:")
_strict = MarkdownIt("commonmark", {"html": True})
_strict.validateLink = lambda url: True  # type: ignore[method-assign]
_gfm = MarkdownIt("js-default")
_gfm.validateLink = lambda url: True  # type: ignore[method-assign]


def structure(markdown: str) -> Counter[str]:
    """Every block a viewer would draw (at any depth), raw HTML, and every link
    that is not http, https or mailto."""
    out: Counter[str] = Counter()
    for parser in (_strict, _gfm):
        for token in parser.parse(markdown):
            if token.type.endswith("_open") and token.type not in ("paragraph_open",):
                out[f"{token.type}:{token.tag}"] += 1
            if token.type in ("hr", "html_block"):
                out[token.type] += 1
            for child in token.children or []:
                href = str(child.attrGet("href") or "")
                if child.type == "link_open" and not href.startswith(ALLOWED):
                    out[f"link:{href}"] += 1
                if child.type == "html_inline":
                    out["html"] += 1
    return out


def forged(store: Store, text: str, action_text: str) -> EngagementFile:
    ef = engagement(store)
    note(ef, text, at(CONSENT + 14 * DAY))
    session = ef.session(1)
    session.set_sponsor_message(text)
    session.sponsor_message_validation = Validation(
        at=at(CONSENT + 14 * DAY), text_sha256=text_hash(text)
    )
    ef.update(session)
    for owner in Owner:
        action(ef, action_text, owner, shareable=True, validated_at=at(CONSENT + 14 * DAY))
    return ef


def test_free_text_never_forges_the_reports_structure(store: Store) -> None:
    hostile = forged(store, FORGED_NOTE, FORGED_ACTION)
    plain = forged(store, "Bon briefing.", "Appeler")
    for audience, session in ((Audience.SHARED, None), (Audience.RECAP, 1)):
        for lang in LANGUAGES:
            got = rendered(store, hostile.id, audience, lang, session=session)
            want = rendered(store, plain.id, audience, lang, session=session)
            extra = structure(got["md"]) - structure(want["md"])
            assert not extra, (audience, lang, extra)
            for tag in ("<h1", "<h2", "<h3", "<h4", "<li", "<table", "<hr", "<blockquote"):
                assert got["html"].count(tag) == want["html"].count(tag), (audience, lang, tag)
            # shown as typed
            assert "## Actions" in got["html"] and "Fake action for the N+1" in got["html"]
            assert "[clic](javascript:alert(1))" in got["html"]
            assert '<a href="https://example.com/ok">ok</a>' in got["html"]
            doc = json.loads(got["json"])
            texts = json.dumps(doc, ensure_ascii=False)
            assert json.dumps(FORGED_NOTE, ensure_ascii=False) in texts
            assert json.dumps(FORGED_ACTION, ensure_ascii=False) in texts
