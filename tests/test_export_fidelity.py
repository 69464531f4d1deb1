"""Fidelity of the exports: every free text stays inside its own block, the
session number stays out of a report without attendance, the closing review
reaches the sponsor only once validated, files are written atomically with
mode 0600 and never through a symbolic link, and invisible bidi controls
never reach an export."""

from __future__ import annotations

import errno
import json
import os
import re
import stat
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st
from markdown_it import MarkdownIt

from aoi_tui.config.i18n import LANGUAGES, t
from aoi_tui.domain.models import (
    Action,
    Agreement,
    Area,
    Audience,
    Competency,
    Engagement,
    ExportRecord,
    Objective,
    Owner,
    SessionKind,
    Status,
    Tool,
    Validation,
    Visibility,
    closing_hash,
    text_hash,
)
from aoi_tui.domain.text import clean
from aoi_tui.exports.session_recap import build_session_recap
from aoi_tui.exports.writing import FORMATS, ExportPathError, build_export, write_export
from aoi_tui.secure.durable import StoreWriteError
from aoi_tui.store.engagement_file import EngagementFile
from aoi_tui.store.store import Store
from tests.support import FIXED_NOW
from tests.test_cli import aoi, fails, ok, ok_json

BASE_DAY = date(2026, 3, 2)
BASE_TIME = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def render(store: Store, eid: str, fmt: str, lang: str = "fr") -> dict[str, str]:
    """The shared report, the confidential file and the recap of session 1."""
    return {
        a.value: build_export(store, eid, a, fmt, lang, 1 if a is Audience.RECAP else None).content
        for a in (Audience.SHARED, Audience.CONFIDENTIAL, Audience.RECAP)  # an individual's
    }


# -- every free text stays in its block ---------------------------------------------------

FREE_TEXTS = (
    "confidentiality",
    "coachee_expectations",
    "sponsor_expectations",
    "strategy",
    "closing_synthesis",
    "closing_next",
    "statement",
    "indicator",
    "expected_result",
    "behaviour",
    "tool",
    "feeling_note",
    "coachee_log",
    "message",
    "note_shared",
    "note_private",
    "action_coachee",
    "action_sponsor",
)


def engagement_with(store: Store, text: Callable[[str], str]) -> EngagementFile:
    """An engagement where every free text is `text(its name)`: all of them
    reach the confidential file, and every kind reaches the shared report."""
    engagement = Engagement(
        coachee="Camille Martin",
        sponsor="Marc Dubois",
        coach="Claire Moreau",
        agreement=Agreement(
            consent_date=BASE_DAY, confidentiality=text("confidentiality"), report_competencies=True
        ),
        coachee_expectations=text("coachee_expectations"),
        sponsor_expectations=text("sponsor_expectations"),
        strategy=text("strategy"),
        closing_synthesis=text("closing_synthesis"),
        closing_next=text("closing_next"),
    )
    engagement.closing_validation = Validation(
        at=BASE_TIME,
        text_sha256=closing_hash(engagement.closing_synthesis, engagement.closing_next),
    )
    ef = store.create_engagement(engagement)
    with ef.batch():
        ef.insert(
            Objective(
                statement=text("statement"),
                area=Area.SAFETY,
                indicator=text("indicator"),
                expected_result=text("expected_result"),
            )
        )
        ef.insert(Competency(name="Animer le briefing", behaviours=[text("behaviour")]))
        ef.insert(Tool(name="Briefing en 3 points", description=text("tool")))
    for number in (1, 2):
        session = ef.new_session(SessionKind.AOI)
        session.held_on = BASE_DAY + timedelta(days=14 * number)
        session.feeling = 4
        session.feeling_note = text("feeling_note")
        session.coachee_log = text("coachee_log")
        session.set_sponsor_message(text("message"))
        session.validate_sponsor_message()
        ef.update(session)
        note = ef.add_note(number, text("note_shared"), visibility=Visibility.SHAREABLE)
        note.validate_by_coachee()
        ef.update(note)
        ef.add_note(number, text("note_private"))
        action = Action(
            session=number, text=text("action_coachee"), visibility=Visibility.SHAREABLE
        )
        action.validate_by_coachee()
        ef.insert(action)
        ef.insert(Action(session=number, text=text("action_sponsor"), owner=Owner.SPONSOR))
    return ef


_commonmark = MarkdownIt("js-default")
_with_html = MarkdownIt("commonmark", {"html": True})  # another viewer, raw HTML on


def outline(markdown: str, parser: MarkdownIt = _commonmark) -> list[tuple[str, str]]:
    """The document's top-level headings: what a swallowed or injected block would change."""
    tokens = parser.parse(markdown)
    return [
        (token.tag, tokens[i + 1].content)
        for i, token in enumerate(tokens)
        if token.type == "heading_open" and token.level == 0
    ]


HOSTILE_LINES = [
    "```",
    "~~~",
    "```python",
    "# Titre",
    "## Séance 9 — séance d'AOI du 01/01/2027",
    "[1]: https://example.com/ref",
    "[^n]: une note de bas de page",
    "[lien]: <https://example.com> 'titre'",
    "> cité",
    "- puce",
    "1. un",
    "2) deux",
    "---",
    "===",
    "***",
    "| a | b |",
    "|---|---|",
    "    code indenté",
    "\tcode tabulé",
    "<div>",
    "<!--",
    "-->",
    "<script>",
    "<pre>",
    "",
    "  ",
    "texte simple",
    "*emphase",
    "**gras",
    "`code",
    "\\",
    "[lien](https://example.com)",
    "![img](https://tracker.example/p.png)",
    "<https://example.com>",
    "<img src=https://tracker.example/p.png onerror=alert(1)>",
    "du <b>gras</b> et `<i>` en code",
    "\\<span>",
    "\\`<img src=x onerror=alert(1)>`",
    "\t<img src=x onerror=alert(1)>",
    "a `b",
    "c` <img src=x onerror=alert(1)> `d`",
    "    <img src=x>",
    "## Actions",
    "- **N+1** · séance 2 · échéance 01/05/2026 · ouverte — fausse action",
    "Notes validées par l'accompagné·e",
    "[clic](javascript:alert(1))",
    "[entité](&#106;avascript:alert(1))",
    "<javascript:alert(1)>",
    "[ok](https://example.com/ok)",
    "[![logo](https://tracker.example/l.png)](https://example.com)",
    "\\\\![double](https://tracker.example/d.png)",
    "![ref][1]",
]


CODE = ("paragraph_open", "code_block", "fence")  # and their content


def blocks(markdown: str, parser: MarkdownIt = _commonmark) -> Counter[str]:
    """Every block a viewer draws, at any depth (headings, lists and their items,
    quotes, tables, rules), but paragraphs and code: a free text may hold those,
    contained in its own item. A heading or a list item inside a note's item
    still passes for the report's own: these must not change."""
    return Counter(
        f"{token.type}:{token.tag}"
        for token in parser.parse(markdown)
        if token.nesting >= 0 and token.type not in (*CODE, "inline")
    )


_any_link = MarkdownIt("commonmark")
_any_link.validateLink = lambda url: True  # type: ignore[method-assign]


def live_links(markdown: str) -> list[str]:
    """The targets a Markdown viewer would follow that are not http, https or mailto."""
    return [
        str(child.attrGet("href"))
        for token in _any_link.parse(markdown)
        for child in token.children or []
        if child.type == "link_open"
        and not str(child.attrGet("href")).lower().startswith(("http://", "https://", "mailto:"))
    ]


def images(markdown: str) -> list[str]:
    """What a Markdown viewer would fetch as an image (a tracking pixel: when and
    where the report was read), whatever its scheme."""
    return [
        str(child.attrGet("src"))
        for token in _any_link.parse(markdown)
        for child in token.children or []
        if child.type == "image"
    ]


def fetched(page: str) -> list[str]:
    """What a browser would fetch on opening an HTML page: img, and any src."""

    found: list[str] = []

    class Sources(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.extend([f"{tag} {v}" for k, v in attrs if k == "src"] or [tag] * (tag == "img"))

    Sources().feed(page)
    return found


def raw_html(markdown: str) -> list[str]:
    """What a Markdown viewer that renders HTML would run as HTML."""
    found = []
    for token in _with_html.parse(markdown):
        if token.type == "html_block":
            found.append(token.content)
        for child in token.children or []:
            if child.type == "html_inline":
                found.append(child.content)
    return found


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@example(lines=[("\n\n", "[1]: https://example.com/ref")], lang="fr")
@example(lines=[(" ", "![img](https://tracker.example/p.png)")], lang="en")
@example(lines=[("\n", "```"), ("\n\n", "## Séance 9 — séance d'AOI du 01/01/2027")], lang="fr")
@example(lines=[("\n", "===")], lang="en")
@example(lines=[("\n", "`code"), ("\n", "<script>"), ("\n", "```")], lang="fr")
@example(lines=[("\n", "a `b"), ("\n", "c` <img src=x onerror=alert(1)> `d`")], lang="en")
@example(lines=[("\n", "```"), ("\n", "<script>")], lang="en")
@example(lines=[("\n\n", "\t<img src=x onerror=alert(1)>")], lang="fr")
@example(lines=[(" ", "\\`<img src=x onerror=alert(1)>`")], lang="fr")
@example(lines=[("\n\n", "<!--"), ("\n\n", "| a | b |"), ("\n", "|---|---|")], lang="en")
@given(
    lines=st.lists(
        st.tuples(st.sampled_from([" ", "\n", "\n\n"]), st.sampled_from(HOSTILE_LINES)),
        min_size=1,
        max_size=8,
    ),
    lang=st.sampled_from(LANGUAGES),
)
def test_no_free_text_escapes_its_block(
    store: Store, lines: list[tuple[str, str]], lang: str
) -> None:
    tail = "".join(sep + line for sep, line in lines)
    hostile = engagement_with(store, lambda name: f"mot{FREE_TEXTS.index(name)}z{tail}")
    plain = engagement_with(store, lambda name: f"mot{FREE_TEXTS.index(name)}z")
    for fmt in ("md", "html"):
        got, want = render(store, hostile.id, fmt, lang), render(store, plain.id, fmt, lang)
        for audience in want:
            if fmt == "md":
                for parser in (_commonmark, _with_html):
                    assert outline(got[audience], parser) == outline(want[audience], parser), (
                        audience
                    )
                    assert blocks(got[audience], parser) == blocks(want[audience], parser), audience
                env: dict[str, Any] = {}
                _commonmark.parse(got[audience], env)
                assert not env.get("references"), f"{audience}: a reference definition survived"
                assert raw_html(got[audience]) == [], f"{audience}: raw HTML survived"
                assert live_links(got[audience]) == [], f"{audience}: a live link survived"
                assert images(got[audience]) == [], f"{audience}: an image survived"
            else:
                assert fetched(got[audience]) == [], audience
                assert got[audience].count('class="session"') == want[audience].count(
                    'class="session"'
                )
            for i, _ in enumerate(FREE_TEXTS):
                # every word of every free text is still there
                assert (f"mot{i}z" in got[audience]) == (f"mot{i}z" in want[audience]), (
                    audience,
                    FREE_TEXTS[i],
                )


def test_a_reference_definition_in_a_message_stays_visible(store: Store) -> None:
    # After a blank line (or first), such a line is a definition: it would vanish.
    ef = engagement_with(store, lambda name: "Voir le compte rendu.\n\n[1]: https://example.com/cr")
    for audience, page in render(store, ef.id, "html").items():
        assert "[1]: https://example.com/cr" in page, audience
    for audience, md in render(store, ef.id, "md").items():
        assert "\\[1]: https://example.com/cr" in md, audience


def test_an_unclosed_fence_does_not_swallow_the_rest(store: Store) -> None:
    ef = engagement_with(store, lambda name: f"Début {name}\n```\ncode sans fin")
    page = render(store, ef.id, "html")["shared"]
    for key in ("export.messages", "export.shared_notes", "export.actions", "export.closing.title"):
        assert f"<h2>{t(key, 'fr')}</h2>" in page.replace("&#x27;", "'"), key
    assert page.count("<pre><code>code sans fin") >= 4  # each text keeps its own code block
    confidential = render(store, ef.id, "html")["confidential"]
    assert confidential.count('<h2 class="session">') == 3  # two sessions and the closing review


def test_an_image_typed_in_a_note_stays_text_and_fetches_nothing(store: Store) -> None:
    """`![x](https://…)` typed in a note made every Markdown viewer fetch the
    address when the coach or the N+1 opened the file (a tracking pixel); it
    stays visible text, in Markdown as in HTML (where it was a link)."""
    typed = "Vu ![x](https://tracker.example/p.png) et [![y](https://tracker.example/q.png)](https://a.example)"
    ef = engagement_with(store, lambda name: f"{name} {typed}")
    for audience, md in render(store, ef.id, "md").items():
        assert images(md) == [], audience
        assert "Vu !\\[x](https://tracker.example/p.png)" in md, audience
    for audience, page in render(store, ef.id, "html").items():
        assert fetched(page) == [] and 'href="https://tracker.example/p.png' not in page, audience
        assert "Vu ![x](https://tracker.example/p.png)" in page, audience


def test_html_typed_in_a_note_stays_text_in_every_markdown_viewer(store: Store) -> None:
    ef = engagement_with(
        store, lambda name: "Le <b>briefing</b> <img src=https://x.example/p.png>\n```\n<div>\n```"
    )
    for audience, md in render(store, ef.id, "md").items():
        assert raw_html(md) == [], audience
        assert "Le \\<b>briefing\\</b>" in md, audience
    for audience, page in render(store, ef.id, "html").items():
        # our HTML shows the text exactly as typed, the code block too (no backslash)
        assert "Le &lt;b&gt;briefing&lt;/b&gt; &lt;img src=https://x.example/p.png&gt;" in page
        assert "<pre><code>&lt;div&gt;\n</code></pre>" in page, audience
        assert "\\&lt;" not in page, audience


def test_a_heading_in_a_note_makes_no_page_break(store: Store) -> None:
    ef = engagement_with(store, lambda name: "## Séance 1 — séance d'AOI du 16/03/2026")
    page = render(store, ef.id, "html")["confidential"]
    assert page.count('<h2 class="session">') == 3


def test_one_line_fields_do_not_open_blocks(store: Store) -> None:
    ef = engagement_with(store, lambda name: "x")
    with ef.batch():
        ef.insert(Objective(statement="# 1. [1]: https://example.com"))
        ef.insert(Objective(statement="1. Premier objectif"))
        ef.insert(Competency(name="C#"))
    md = render(store, ef.id, "md")["confidential"]
    page = render(store, ef.id, "html")["confidential"]
    assert "<li># 1. [1]: https://example.com" in page
    assert "<li>1. Premier objectif" in page
    assert "<h3>C#</h3>" in page
    assert "- \\# 1. [1]: https://example.com" in md


# -- the session number and attendance -------------------------------------------------------


def test_without_attendance_no_session_number_reaches_the_sponsor(store: Store) -> None:
    ef = engagement_with(store, lambda name: f"Texte {name}")
    eng = ef.engagement()
    eng.agreement = eng.agreement.model_copy(update={"report_attendance": False})
    ef.save_engagement(eng)
    for lang in LANGUAGES:
        rendered = {
            fmt: build_export(store, ef.id, Audience.SHARED, fmt, lang).content for fmt in FORMATS
        }
        doc = json.loads(rendered["json"])
        assert doc["sessions"] == []
        assert doc["period_start"] is None and doc["period_end"] is None
        for key in ("messages", "notes", "actions"):
            assert doc[key] and all(item["session"] is None for item in doc[key]), key
        word = t("export.session", lang)
        for fmt in ("md", "html"):
            content = rendered[fmt]
            assert not re.search(rf"\b{word}\s+\d", content, re.I), (lang, fmt)
            assert t("field.period", lang) not in content
            assert "Texte note_shared" in content and "Texte message" in content
    # With attendance on, the same notes say which session they came from.
    eng.agreement = eng.agreement.model_copy(update={"report_attendance": True})
    ef.save_engagement(eng)
    doc = json.loads(build_export(store, ef.id, Audience.SHARED, "json", "fr").content)
    assert [n["session"] for n in doc["notes"]] == [1, 2]


# -- the closing review -----------------------------------------------------------------------


def test_closing_review_reaches_the_sponsor_only_once_validated(store: Store) -> None:
    ef = engagement_with(store, lambda name: f"Texte {name}")
    shared = {
        fmt: build_export(store, ef.id, Audience.SHARED, fmt, "fr").content for fmt in FORMATS
    }
    for fmt, content in shared.items():
        assert "Texte closing_synthesis" in content and "Texte closing_next" in content, fmt
    doc = json.loads(shared["json"])
    assert doc["closing"] == {
        "synthesis": "Texte closing_synthesis",
        "next_steps": "Texte closing_next",
        "validated_on": BASE_DAY.isoformat(),
    }
    assert BASE_DAY.isoformat() in doc["validation_dates"]

    eng = ef.engagement()
    assert eng.closing_validated
    eng.closing_next = "Texte closing_next, modifié"  # the validation no longer matches
    ef.save_engagement(eng)
    assert not ef.engagement().closing_validated
    for fmt in FORMATS:
        content = build_export(store, ef.id, Audience.SHARED, fmt, "fr").content
        assert "closing_synthesis" not in content and "closing_next" not in content, fmt
        assert t("export.closing.title", "fr") not in content.replace("&#x27;", "'")
    assert (
        json.loads(build_export(store, ef.id, Audience.SHARED, "json", "fr").content)["closing"]
        is None
    )
    confidential = build_export(store, ef.id, Audience.CONFIDENTIAL, "md", "fr").content
    assert "Texte closing_next, modifié" in confidential
    assert t("export.closing.not_validated", "fr") in confidential


def test_closing_and_withdrawal_dates_are_agreed_facts(store: Store) -> None:
    ef = engagement_with(store, lambda name: "x")
    eng = ef.engagement()
    eng.status = Status.WITHDRAWN
    eng.closed_on = date(2026, 5, 4)
    eng.withdrawn_on = date(2026, 5, 11)
    ef.save_engagement(eng)
    doc = json.loads(build_export(store, ef.id, Audience.SHARED, "json", "en").content)
    assert (doc["closed_on"], doc["withdrawn_on"]) == ("2026-05-04", "2026-05-11")
    fr = build_export(store, ef.id, Audience.SHARED, "md", "fr").content
    assert "Date de clôture\u00a0: 04/05/2026" in fr
    assert "Date du retrait de l'accompagné·e\u00a0: 11/05/2026" in fr
    assert t("status.withdrawn", "fr") in fr


def test_closing_hash_covers_both_texts_apart() -> None:
    assert closing_hash("synthèse", "suite") == text_hash("synthèse\x00suite")
    assert closing_hash("ab", "") != closing_hash("a", "b")  # moving words between them counts


# -- the recap --------------------------------------------------------------------------------


def test_recap_names_the_next_session_only_for_the_latest(store: Store) -> None:
    ef = engagement_with(store, lambda name: "x")
    eng = ef.engagement()
    eng.next_session = BASE_DAY + timedelta(days=40)
    ef.save_engagement(eng)
    assert build_session_recap(ef, 2).next_session == eng.next_session
    assert build_session_recap(ef, 1).next_session is None
    md = build_export(store, ef.id, Audience.RECAP, "md", "fr", 1).content
    assert t("export.recap.next", "fr") not in md


# -- bidi controls ------------------------------------------------------------------------------

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def test_bidi_controls_never_reach_an_export(store: Store) -> None:
    tricky = "Accès \u202eaucun problème\u202c validé \u2067عربي\u2069 fin"
    ef = engagement_with(store, lambda name: tricky)
    for fmt in FORMATS:
        for audience, content in render(store, ef.id, fmt).items():
            assert not any(c in content for c in BIDI), (audience, fmt)
            if fmt != "html":
                assert "Accès aucun problème validé عربي fin" in content, (audience, fmt)
    assert clean(tricky) == "Accès aucun problème validé عربي fin"
    assert clean("\x1b\u202e[31mrouge") == "rouge"  # no escape sequence rebuilt by the removal


# -- writing the file -------------------------------------------------------------------------


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


@pytest.fixture
def export_and_ef(store: Store) -> Iterator[tuple[Store, EngagementFile, Any]]:
    ef = engagement_with(store, lambda name: "x")
    yield store, ef, build_export(store, ef.id, Audience.CONFIDENTIAL, "md", "fr")


def test_export_is_0600_from_its_first_byte_even_with_umask_0(
    export_and_ef: tuple[Store, EngagementFile, Any],
    out: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store, ef, export = export_and_ef
    target = out / "dossier.md"
    target.write_text("ancien contenu")
    target.chmod(0o644)
    real_fsync = os.fsync
    seen: list[tuple[str, int, str]] = []

    def spy(fd: int) -> None:
        # While the bytes are on their way, the target still holds the old ones
        # and the file being written is already private.
        for p in out.iterdir():
            if p != target and p.is_file():
                seen.append((p.name, stat.S_IMODE(p.stat().st_mode), target.read_text()))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", spy)
    old_umask = os.umask(0)
    try:
        assert write_export(store, ef.id, export, str(target)) == target
    finally:
        os.umask(old_umask)
    assert seen and all(mode == 0o600 and old == "ancien contenu" for _, mode, old in seen)
    assert all(name.startswith(".dossier.md.") for name, _, _ in seen)  # in the target folder
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text("utf-8") == export.content
    assert sorted(p.name for p in out.iterdir()) == ["dossier.md"]  # no temporary left


def test_an_interrupted_export_leaves_the_old_file(
    export_and_ef: tuple[Store, EngagementFile, Any],
    out: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store, ef, export = export_and_ef
    target = out / "dossier.md"
    target.write_text("ancien contenu")

    def full_disk(src: Any, dst: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(StoreWriteError, match="disk is full"):
        write_export(store, ef.id, export, str(target))
    assert target.read_text() == "ancien contenu"
    assert [p.name for p in out.iterdir()] == ["dossier.md"]
    assert ef.all(ExportRecord) == []  # not recorded: nothing left


def test_a_hard_link_is_not_written_through(
    export_and_ef: tuple[Store, EngagementFile, Any], out: Path
) -> None:
    store, ef, export = export_and_ef
    target = out / "dossier.md"
    target.write_text("ancien contenu")
    other = out / "autre-nom.md"
    os.link(target, other)
    write_export(store, ef.id, export, str(target))
    assert other.read_text() == "ancien contenu"
    assert target.read_text("utf-8") == export.content


@pytest.mark.parametrize("dangling", [False, True])
def test_a_symbolic_link_at_the_target_is_refused(
    export_and_ef: tuple[Store, EngagementFile, Any], out: Path, dangling: bool
) -> None:
    store, ef, export = export_and_ef
    elsewhere = out / "partage" / "public.md"
    elsewhere.parent.mkdir()
    if not dangling:
        elsewhere.write_text("public")
        elsewhere.chmod(0o644)
    link = out / "dossier.md"
    link.symlink_to(elsewhere)
    with pytest.raises(ExportPathError, match="symbolic link"):
        write_export(store, ef.id, export, str(link))
    assert link.is_symlink() and os.readlink(link) == str(elsewhere)
    if dangling:
        assert not elsewhere.exists()
    else:
        assert elsewhere.read_text() == "public"
        assert stat.S_IMODE(elsewhere.stat().st_mode) == 0o644
    assert ef.all(ExportRecord) == []


def test_a_folder_given_through_a_link_receives_the_file(
    export_and_ef: tuple[Store, EngagementFile, Any], out: Path
) -> None:
    store, ef, export = export_and_ef
    folder = out / "exports"
    folder.mkdir()
    (out / "raccourci").symlink_to(folder)
    path = write_export(store, ef.id, export, str(out / "raccourci"))
    assert path is not None and (folder / export.default_name).read_text("utf-8") == export.content


# -- the CLI ----------------------------------------------------------------------------------


@pytest.fixture
def env(cli_env: dict[str, str]) -> dict[str, str]:
    return {**cli_env, "AOI_NOW": FIXED_NOW}


def test_cli_note_from_stdin_loses_its_trailing_newline_and_exports_refuse_links(
    store: Store, env: dict[str, str], tmp_path: Path
) -> None:
    ef = engagement_with(store, lambda name: "x")
    data = store.root
    made = ok_json(
        aoi(env, data, "note", "add", ef.id, "--session", "1", "--json", "-",
            stdin="  Première ligne\nseconde ligne \t\n\n \n")
    )  # fmt: skip
    notes = {n["id"]: n for n in ok_json(aoi(env, data, "note", "list", ef.id, "--json"))}
    assert notes[made["id"]]["text"] == "  Première ligne\nseconde ligne"

    link = tmp_path / "rapport.md"
    link.symlink_to(tmp_path / "ailleurs.md")
    line = fails(aoi(env, data, "export", ef.id, "--shared", "-o", str(link)), "symbolic link")
    assert "nothing was changed" in line
    assert not (tmp_path / "ailleurs.md").exists()
    fails(aoi(env, data, "export", ef.id, "--shared", "--recap", "--session", "1"), "choose one")
    written = aoi(env, data, "export", ef.id, "--session", "1", "--recap", "-o", str(tmp_path))
    assert ok(written) == ""
    recap = tmp_path / f"aoi-{ef.id[:8]}-recap-s1-2026-11-23.md"
    assert recap.exists() and stat.S_IMODE(recap.stat().st_mode) == 0o600
    assert str(recap) in written.stderr
