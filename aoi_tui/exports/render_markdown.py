"""Markdown for the exports. The shared report renders a `SharedReport` only;
the confidential file a `ConfidentialFile`; the recap a `SessionRecap`. HTML
is made from this Markdown (`render_html`).

Every free text (a note, a message, a log: anything typed or pasted) is
*contained*: it sits alone at the end of its own container (a block quote or a
list item, every line prefixed or indented), so whatever Markdown it holds (an
unclosed ``` fence, a heading, a table, a list) ends with its container and
cannot swallow or restructure what follows; link reference definitions, which
act on the whole document, are escaped (`[1]: https://…` stays visible text).
One-line fields (names, statements) are flattened to one line and escaped
where a line start would make them a block."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import date, datetime

from markdown_it import MarkdownIt
from markdown_it.token import Token

from aoi_tui.config.i18n import t
from aoi_tui.domain.models import (
    Action,
    Agreement,
    Area,
    Level,
    Note,
    ObjectiveStatus,
    SessionKind,
    Visibility,
)
from aoi_tui.domain.phases import phases_for
from aoi_tui.domain.text import clean
from aoi_tui.domain.vocabulary import counts_as_held
from aoi_tui.exports.confidential_file import ConfidentialFile
from aoi_tui.exports.session_recap import RecapAction, SessionRecap
from aoi_tui.exports.shared_report import SharedAction, SharedAgreement, SharedReport

NBSP = "\u00a0"
SEP = " · "

# -- text helpers -------------------------------------------------------------------------


def _d(value: date | None, lang: str) -> str:
    if value is None:
        return "—"
    return value.strftime("%d/%m/%Y") if lang == "fr" else value.isoformat()


def _label(label: str, lang: str) -> str:
    """A label and its colon, as each language writes it (French: a no-break
    space before the colon, so it never starts a line)."""
    return f"{label}{NBSP}: " if lang == "fr" else f"{label}: "


def _field(key: str, value: str, lang: str) -> str:
    return f"- {_label(t(key, lang), lang)}{value}"


_WHITESPACE = re.compile(r"[ \t\n]+")  # not str.split(): it would eat no-break spaces


def _inline(text: str) -> str:
    """A free text flattened to one line, for a place inside a line."""
    return _WHITESPACE.sub(" ", clean(text)).strip()


_BLOCK_START = re.compile(r"^(?:#|>|[-+*](?=\s|$)|\d{1,9}[.)](?=\s|$)|`{3,}|~{3,})")


def _lead(text: str) -> str:
    """A one-line text placed at the start of a line (a list item): escape what
    would open a block there (a heading, a quote, a list, a fence, a link
    reference definition)."""
    line = _inline(text)
    match = _BLOCK_START.match(line)
    if match and line[0].isdigit():  # "1. step": escape the dot, not the digits
        line = line[: match.end() - 1] + "\\" + line[match.end() - 1 :]
    elif match:
        line = "\\" + line
    return _neutralise_definitions([line])[0]


def _heading(level: int, text: str) -> str:
    """An ATX heading of generated text and one-line fields: a closing `#`
    would be eaten as the heading's closing sequence, so it is escaped."""
    if text.endswith("#"):
        text = text[:-1] + "\\#"
    return f"{'#' * level} {text}"


def _cell(text: str) -> str:
    return _inline(text).replace("|", "\\|") or "—"


def _code(text: str) -> str:
    """Inline code that holds any text, backticks included."""
    text = _inline(text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


# How viewers read a free text: GFM-like (tables) and CommonMark with raw HTML
# on (an HTML block changes where other blocks start).
_probes = (MarkdownIt("js-default", {"html": False}), MarkdownIt("commonmark", {"html": True}))
_ORDERED = re.compile(r"^(\s*\d{1,9})([.)])")
_FIRST = re.compile(r"^(\s*)(\S)")


def _escape_start(line: str) -> str:
    r"""Escape the character that opens a block at the start of `line` (after
    its indentation): `\#`, `\-`, `\>`, `\|`, `\=`, and `1\.` for a number."""
    if _ORDERED.match(line):
        return _ORDERED.sub(r"\1\\\2", line, count=1)
    return _FIRST.sub(r"\1\\\2", line, count=1)


def _structure_rows(lines: list[str], after_meta: bool) -> set[int]:
    """The rows where a free text opens a block of its own at its top level: a
    heading (its `#` or its setext underline), a list item, a quote, a table
    (its delimiter row), a thematic break, a link reference definition.
    Fenced and indented code stay: contained, they cannot pass for the report's
    parts. With `after_meta`, the first line follows generated text on its line."""
    source = "\n".join(["x " + lines[0], *lines[1:]] if after_meta else lines)
    rows: set[int] = set()
    for probe in _probes:
        env: dict[str, object] = {}
        tokens = probe.parse(source, env)
        references = env.get("references")
        if isinstance(references, dict):
            rows.update(ref["map"][0] for ref in references.values())
        for token in tokens:
            if token.map is None:
                continue
            start, end = token.map
            if token.level == 0 and token.type == "heading_open":
                rows.add(start if token.markup.startswith("#") else end - 1)
            elif token.level == 0 and token.type in ("hr", "blockquote_open"):
                rows.update(
                    row
                    for row in range(start, end)
                    if token.type == "hr" or lines[row].lstrip().startswith(">")
                )
            elif token.level == 0 and token.type == "table_open":
                rows.add(start + 1)
            elif token.level == 1 and token.type == "list_item_open":
                rows.add(start)
    return {row for row in rows if row < len(lines) and lines[row].strip()}


def _contained(lines: list[str], after_meta: bool) -> list[str]:
    """Escape every block a free text would open (`_structure_rows`), until none
    is left: what it then holds is paragraphs and code, shown as typed. Each
    pass escapes at least one more line start; nesting unfolds one level a pass."""
    lines = list(lines)
    for _ in range(len(lines) + 1):
        rows = _structure_rows(lines, after_meta)
        if not rows:
            return lines
        for row in rows:
            lines[row] = _escape_start(lines[row])
    # not reached for any text tried; should it be, no line starts a block
    return [_escape_start(line) if line.strip() else line for line in lines]


def _neutralise_definitions(lines: list[str]) -> list[str]:
    """Escape link reference definitions: parsed, they vanish from the page
    and turn matching `[words]` anywhere in the document into links."""
    for _ in range(len(lines) + 1):
        env: dict[str, object] = {}
        _probes[0].parse("\n".join(lines), env)
        references = env.get("references")
        if not isinstance(references, dict) or not references:
            return lines
        for ref in references.values():
            row = ref["map"][0]
            lines[row] = lines[row].replace("[", "\\[", 1)
    return [line.replace("[", "\\[", 1) for line in lines]  # unreachable in practice


def _lines(text: str, after_meta: bool = False) -> list[str]:
    """A free text, cleaned, as lines ready to embed in a container, every
    block it would open escaped (`_contained`)."""
    lines = [line.rstrip() for line in clean(text).strip().split("\n")]
    return _contained(lines, after_meta) if lines != [""] else ["—"]


def _quote(text: str) -> str:
    """A free text in a block quote of its own: it ends with the quote."""
    return "\n".join(f"> {line}" if line else ">" for line in _lines(text))


def _item(meta: str, text: str) -> str:
    """A list item: generated `meta` first, then the free text, which ends the
    item (every continuation line indented under it)."""
    lines = _lines(text, after_meta=bool(meta))
    first = meta + lines[0] if meta else lines[0]
    return "\n".join(["- " + first, *(f"  {line}" if line else "" for line in lines[1:])])


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _level(level: Level | None, lang: str) -> str:
    return "—" if level is None else t(f"level.{level.value}", lang)


def _kind(kind: SessionKind, lang: str) -> str:
    """The kind of a session, inside a sentence ("Séance 2 — séance d'AOI du …"):
    lower case, unless it starts with an acronym ("AOI session")."""
    label = t(f"session.kind.{kind.value}", lang)
    if len(label) > 1 and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def _phase_label(kind: str, phase: str, lang: str) -> str:
    for p in phases_for(kind):
        if p.id == phase:
            return p.label(lang)
    return phase


def _time(value: datetime) -> str:
    return value.strftime("%H:%M")


def _session_heading(number: int, kind: SessionKind, held_on: date, lang: str) -> str:
    return t(
        "export.session_title",
        lang,
        number=number,
        kind=_kind(kind, lang),
        date=_d(held_on, lang),
    )


class _Doc:
    """Blocks separated by exactly one blank line."""

    def __init__(self) -> None:
        self.blocks: list[str] = []

    def add(self, *blocks: str) -> None:
        self.blocks.extend(b for b in blocks if b)

    def lines(self, lines: list[str]) -> None:
        if lines:
            self.blocks.append("\n".join(lines))

    def text(self) -> str:
        return _without_raw_html(_without_live_links("\n\n".join(self.blocks))) + "\n"


# What a viewer that renders HTML in Markdown would run or fetch: our own Markdown
# holds none, so any is typed text. A `<` opening a tag, a comment, a declaration
# or a processing instruction (not one already escaped by an odd run of backslashes).
_html_probe = MarkdownIt("commonmark", {"html": True})
_TAG_START = re.compile(r"(?<!\\)((?:\\\\)*)<(?=[A-Za-z/!?])")
# The same, but not an autolink (<https://…>, <name@host>): a link, as in our HTML.
_TAG_NOT_LINK = re.compile(
    r"(?<!\\)((?:\\\\)*)<(?=[A-Za-z/!?])(?![A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*>|[^\s<>@]+@[^\s<>]+>)"
)
# A code span: a run of backticks (not escaped) closed by a run of as many.
_CODE_SPAN = re.compile(r"(?<![`\\])(`+)(?!`).+?(?<!`)\1(?!`)")


def _outside_code(line: str, change: Callable[[str], str]) -> str:
    """`change` applied to the parts of a line outside its code spans."""
    out, last = [], 0
    for span in _CODE_SPAN.finditer(line):
        out += [change(line[last : span.start()]), span.group(0)]
        last = span.end()
    out.append(change(line[last:]))
    return "".join(out)


def _escape_tags(line: str) -> str:
    """Escape the tag openings of a line outside its code spans and autolinks."""
    return _outside_code(line, lambda part: _TAG_NOT_LINK.sub(r"\1\\<", part))


# Links a viewer may follow: as in our HTML, http, https and mailto only.
LINK_SCHEMES = ("http://", "https://", "mailto:")
_link_probe = MarkdownIt("commonmark", {"html": False})
_link_probe.validateLink = lambda url: True  # type: ignore[method-assign]  # see every link
_LINK_OPEN = re.compile(r"(?<!\\)((?:\\\\)*)\]\(([ \t]*<?[ \t]*)")
_BAD_AUTOLINK = re.compile(
    r"(?<!\\)((?:\\\\)*)<(?=[A-Za-z][A-Za-z0-9+.-]{1,31}:)(?!(?:https?|mailto):)", re.I
)


def _escape_links(part: str) -> str:
    """Make `[text](dest)` and `<scheme:…>` plain text where `dest` is not an
    http, https or mailto address (entities decoded, as a viewer would)."""

    def link(match: re.Match[str]) -> str:
        destination = html.unescape(part[match.end() :]).lower()
        if destination.startswith(LINK_SCHEMES):
            return match.group(0)
        return match.group(1) + "]\\(" + match.group(2)

    return _BAD_AUTOLINK.sub(r"\1\\<", _LINK_OPEN.sub(link, part))


def _without_live_links(document: str) -> str:
    """A link typed in a text (`[x](javascript:…)`, `<vbscript:…>`, `data:`…)
    stays visible text in every Markdown viewer, as in our HTML: only http,
    https and mailto links are links. Found by parsing the finished document."""
    lines = document.split("\n")
    for _ in range(document.count("](") + document.count("<") + 1):
        rows = _bad_link_rows(_link_probe.parse("\n".join(lines)))
        if not rows:
            return "\n".join(lines)
        changed = False
        for row in rows:
            careful = _outside_code(lines[row], _escape_links)
            changed = changed or careful != lines[row]
            lines[row] = careful
        if not changed:  # a code span read wrongly: every link opening of those rows
            for row in rows:
                lines[row] = lines[row].replace("](", "]\\(").replace("<", "\\<")
    return "\n".join(lines).replace("](", "]\\(")  # not reached for any text tried


def _bad_link_rows(tokens: list[Token]) -> set[int]:
    rows: set[int] = set()
    for token in tokens:
        if token.type != "inline" or not token.map or not token.children:
            continue
        for child in token.children:
            href = str(child.attrGet("href") or "").strip().lower()
            if child.type == "link_open" and not href.startswith(LINK_SCHEMES):
                rows.update(range(*token.map))
    return rows


def _without_raw_html(document: str) -> str:
    """Escape raw HTML where the finished document holds it, so that a Markdown
    viewer shows `<b>` or `<img …>` typed in a note as text, as our HTML does.
    Found by parsing the document as it is (containers, code spans across lines
    and indentation all count); only the lines holding raw HTML change (in a code
    span on the same line a backslash may show: text, never markup)."""
    lines = document.split("\n")
    for _ in range(document.count("<") + 1):
        rows = _raw_html_rows(_html_probe.parse("\n".join(lines)))
        if not rows:
            return "\n".join(lines)
        for row in rows:
            careful = _escape_tags(lines[row])
            # no progress: a code span or a link read wrongly; every opening then
            lines[row] = careful if careful != lines[row] else _TAG_START.sub(r"\1\\<", careful)
    # not reached for any text tried; should it be, no `<` is left to open a tag
    return "\n".join(lines).replace("<", "&lt;")


def _raw_html_rows(tokens: list[Token]) -> set[int]:
    rows: set[int] = set()
    for token in tokens:
        if (token.type == "html_block" and token.map) or (
            token.type == "inline"
            and token.map
            and token.children
            and any(child.type == "html_inline" for child in token.children)
        ):
            rows.update(range(*token.map))
    return rows


def _agreement_section(doc: _Doc, a: SharedAgreement | Agreement, lang: str) -> None:
    """The agreement, as both the sponsor's report and the confidential file give it."""
    doc.add(_heading(2, t("export.agreement", lang)))
    doc.lines(_agreement_lines(a, lang))
    if a.confidentiality.strip():
        doc.add(_quote(a.confidentiality))


def _objective_lines(
    statement: str,
    area: Area | None,
    indicator: str,
    expected_result: str,
    status: ObjectiveStatus | None,
    lang: str,
) -> list[str]:
    lines = ["- " + _lead(statement)]
    if area is not None:
        lines.append("  " + _field("field.area", t(f"area.{area.value}", lang), lang))
    if indicator.strip():
        lines.append("  " + _field("field.indicator", _inline(indicator), lang))
    if expected_result.strip():
        lines.append("  " + _field("field.expected_result", _inline(expected_result), lang))
    if status is not None:
        lines.append("  " + _field("field.progress", t(f"objective.{status.value}", lang), lang))
    return lines


def _action_meta(
    action: SharedAction | RecapAction | Action,
    lang: str,
    *details: str,
    session: int | None = None,
) -> str:
    owner = t(f"owner.{action.owner.value}", lang)
    parts = [f"**{owner[:1].upper() + owner[1:]}**"]
    if session is not None:
        parts.append(f"{t('export.session', lang).lower()} {session}")
    if action.due:
        parts.append(f"{t('field.due', lang)} {_d(action.due, lang)}")
    parts.extend(d for d in details if d)
    return SEP.join(parts) + " — "


# -- the sponsor's report ------------------------------------------------------------------


def _agreement_lines(a: SharedAgreement | Agreement, lang: str) -> list[str]:
    """The agreement as both exports state it: consent, the right to withdraw and
    each reporting flag."""
    return [
        _field("field.consent_date", _d(a.consent_date, lang), lang),
        _field("field.right_to_withdraw", t("yes" if a.right_to_withdraw else "no", lang), lang),
    ] + [
        _field("field." + flag, t("yes" if getattr(a, flag) else "no", lang), lang)
        for flag in ("report_attendance", "report_objective_status", "report_competencies")
    ]


def shared_markdown(report: SharedReport, lang: str) -> str:
    doc = _Doc()
    doc.add(_heading(1, f"{t('export.shared.title', lang)} — {_inline(report.coachee)}"))
    doc.add(f"_{t('export.shared.notice', lang)}_")

    doc.add(_heading(2, t("export.engagement", lang)))
    facts = [
        _field("field.coachee", _inline(report.coachee), lang),
        _field("field.sponsor", _inline(report.sponsor), lang),
    ]
    if report.coach.strip():
        facts.append(_field("field.coach", _inline(report.coach), lang))
    if report.organisation.strip():
        facts.append(_field("field.organisation", _inline(report.organisation), lang))
    facts.append(_field("field.status", t(f"status.{report.status.value}", lang), lang))
    if report.period_start and report.period_end:
        facts.append(_field("field.period", _period(report, lang), lang))
    facts.append(_field("field.planned_sessions", str(report.planned_sessions), lang))
    if report.agreement.report_attendance:
        held = sum(1 for x in report.sessions if counts_as_held(x.kind))
        facts.append(_field("field.sessions_held", str(held), lang))
    if report.closed_on:
        facts.append(_field("field.closed_on", _d(report.closed_on, lang), lang))
    if report.withdrawn_on:
        facts.append(_field("field.withdrawn_on", _d(report.withdrawn_on, lang), lang))
    doc.lines(facts)

    _agreement_section(doc, report.agreement, lang)

    if report.sessions:
        doc.add(_heading(2, t("export.sessions", lang)))
        doc.lines(
            [f"- {_session_heading(s.number, s.kind, s.held_on, lang)}" for s in report.sessions]
        )

    if report.objectives:
        doc.add(_heading(2, t("export.objectives", lang)))
        doc.lines(
            [
                line
                for o in report.objectives
                for line in _objective_lines(
                    o.statement, o.area, o.indicator, o.expected_result, o.status, lang
                )
            ]
        )

    if report.messages:
        doc.add(_heading(2, t("export.messages", lang)))
        for m in report.messages:
            validated = (
                t("export.message_validated_on", lang, date=_d(m.validated_on, lang))
                if m.validated_on is not None
                else t("export.message_validated", lang)  # session dates not reported
            )
            if m.session is not None:
                title = f"{t('export.session', lang)} {m.session} — {validated}"
            else:
                title = _capital(validated)
            doc.add(_heading(3, title), _quote(m.text))

    if report.notes:
        doc.add(_heading(2, t("export.shared_notes", lang)))
        items = []
        for n in report.notes:
            meta = []
            if n.session is not None:
                meta.append(f"**{t('export.session', lang)} {n.session}**")
            if n.validated_on is not None:
                meta.append(t("export.note_validated_on", lang, date=_d(n.validated_on, lang)))
            if meta:
                meta[0] = _capital(meta[0])
            items.append(_item(SEP.join(meta) + " — " if meta else "", n.text))
        doc.lines(items)

    if report.actions:
        doc.add(_heading(2, t("export.actions", lang)))
        doc.lines(
            [
                _item(
                    _action_meta(
                        act, lang, t(f"action.{act.status.value}", lang), session=act.session
                    ),
                    act.text,
                )
                for act in report.actions
            ]
        )

    if report.competencies is not None:
        doc.add(_heading(2, t("export.competencies", lang)))
        rows = [
            f"| {t('field.competency', lang)} | {t('fsac.start', lang)} | "
            f"{t('fsac.now', lang)} | {t('fsac.target', lang)} |",
            "|---|---|---|---|",
        ]
        rows += [
            f"| {_cell(c.name)} | {_level(c.start_level, lang)} | "
            f"{_level(c.latest_level, lang)} | {_level(c.target, lang)} |"
            for c in report.competencies
        ]
        doc.lines(rows if report.competencies else [t("export.none", lang)])

    if report.closing is not None:
        c = report.closing
        doc.add(_heading(2, t("export.closing.title", lang)))
        if c.validated_on is not None:
            doc.add(f"_{t('export.closing.validated_on', lang, date=_d(c.validated_on, lang))}_")
        else:
            doc.add(f"_{t('export.closing.validated', lang)}_")
        if c.synthesis.strip():
            doc.add(_heading(3, t("export.closing.synthesis", lang)), _quote(c.synthesis))
        if c.next_steps.strip():
            doc.add(_heading(3, t("export.closing.next", lang)), _quote(c.next_steps))

    if report.validation_dates:
        doc.add(_heading(2, t("export.validations", lang)))
        doc.lines([f"- {_d(d, lang)}" for d in report.validation_dates])
    return doc.text()


def _period(report: SharedReport, lang: str) -> str:
    start, end = _d(report.period_start, lang), _d(report.period_end, lang)
    if start == end:
        return start
    return t("export.period_range", lang, start=start, end=end)


# -- the coach's confidential file -----------------------------------------------------------


_MOTIVATION = {
    "low": "export.motivation_low",
    "medium": "export.motivation_medium",
    "high": "export.motivation_high",
}


def confidential_page_breaks(cf: ConfidentialFile, lang: str) -> tuple[str, ...]:
    """The h2 headings that start a new printed page: each session, the closing review."""
    headings = [_session_heading(s.number, s.kind, s.held_on, lang) for s in cf.sessions]
    if _has_closing(cf):
        headings.append(t("export.closing.title", lang))
    return tuple(headings)


def _has_closing(cf: ConfidentialFile) -> bool:
    e = cf.engagement
    return bool(e.closing_synthesis.strip() or e.closing_next.strip())


def confidential_markdown(cf: ConfidentialFile, lang: str) -> str:
    eng = cf.engagement
    doc = _Doc()
    banner = f"**{t('export.confidential.banner', lang)}**"
    doc.add(_heading(1, f"{t('export.confidential.title', lang)} — {_inline(eng.coachee)}"))
    doc.add(banner)

    doc.add(_heading(2, t("export.engagement", lang)))
    facts = [
        _field("field.coachee", _inline(eng.coachee), lang),
        _field("field.sponsor", _inline(eng.sponsor), lang),
        _field("field.coach", _inline(eng.coach) or "—", lang),
        _field("field.organisation", _inline(eng.organisation) or "—", lang),
        _field("field.format", t(f"format.{eng.format.value}", lang), lang),
        _field("field.status", t(f"status.{eng.status.value}", lang), lang),
        _field("field.opened_on", _d(eng.created_at.date(), lang), lang),
        _field("field.planned_sessions", str(eng.planned_sessions), lang),
        _field(
            "field.sessions_held",
            str(sum(1 for x in cf.sessions if counts_as_held(x.kind))),
            lang,
        ),
        _field("field.cadence", t("cadence.days", lang, days=eng.cadence_days), lang),
    ]
    if eng.next_session:
        facts.append(_field("field.next_session", _d(eng.next_session, lang), lang))
    if eng.closed_on:
        facts.append(_field("field.closed_on", _d(eng.closed_on, lang), lang))
    if eng.withdrawn_on:
        facts.append(_field("field.withdrawn_on", _d(eng.withdrawn_on, lang), lang))
    doc.lines(facts)

    _agreement_section(doc, eng.agreement, lang)

    framing = [
        ("field.coachee_expectations", eng.coachee_expectations),
        ("field.sponsor_expectations", eng.sponsor_expectations),
    ]
    grid = []
    if eng.strategy_competence is not None:
        grid.append(_field("field.competence", _level(eng.strategy_competence, lang), lang))
    if eng.strategy_motivation in _MOTIVATION:
        motivation = _MOTIVATION[eng.strategy_motivation]
        grid.append(_field("field.motivation", t(motivation, lang), lang))
    if any(text.strip() for _, text in framing) or grid or eng.strategy.strip():
        doc.add(_heading(2, t("export.framing", lang)))
        for key, text in framing:
            if text.strip():
                doc.add(_heading(3, t(key, lang)), _quote(text))
        if grid or eng.strategy.strip():
            doc.add(_heading(3, t("field.strategy", lang)))
            doc.lines(grid)
            if eng.strategy.strip():
                doc.add(_quote(eng.strategy))

    if cf.objectives:
        doc.add(_heading(2, t("export.objectives", lang)))
        doc.lines(
            [
                line
                for o in cf.objectives
                for line in _objective_lines(
                    o.statement, o.area, o.indicator, o.expected_result, o.status, lang
                )
            ]
        )

    if cf.competencies:
        doc.add(_heading(2, t("export.competencies", lang)))
        for c in cf.competencies:
            doc.add(_heading(3, _inline(c.name) or "—"))
            doc.lines(
                [
                    _field("fsac.start", _level(c.start_level, lang), lang),
                    _field("fsac.target", _level(c.target, lang), lang),
                ]
            )
            if any(b.strip() for b in c.behaviours):
                doc.add(f"{t('field.behaviours', lang)}{NBSP if lang == 'fr' else ''}:")
                doc.lines([_item("", b) for b in c.behaviours if b.strip()])
            marks = [m for m in cf.assessments if m.competency_id == c.id]
            if marks:
                rows = [
                    f"| {t('field.date', lang)} | {t('export.session', lang)} | "
                    f"{t('field.assessor', lang)} | {t('field.timing', lang)} | "
                    f"{t('field.level', lang)} |",
                    "|---|---|---|---|---|",
                ]
                rows += [
                    f"| {_d(m.on, lang)} | {m.session or '—'} | "
                    f"{t(f'assessor.{m.by.value}', lang)} | {t(f'timing.{m.timing.value}', lang)} | "
                    f"{_level(m.level, lang)} |"
                    for m in marks
                ]
                doc.lines(rows)

    if cf.tools:
        doc.add(_heading(2, t("export.tools", lang)))
        items = []
        for tool in cf.tools:
            meta = [f"**{_inline(tool.name) or '—'}**"]
            if tool.introduced_session is not None:
                meta.append(t("export.introduced", lang, number=tool.introduced_session))
            if tool.maturity:
                meta.append(
                    ", ".join(f"{_d(m.on, lang)} {_level(m.level, lang)}" for m in tool.maturity)
                )
            if tool.description.strip():
                items.append(_item(SEP.join(meta) + " — ", tool.description))
            else:
                items.append("- " + SEP.join(meta))
        doc.lines(items)

    for s in cf.sessions:
        doc.add(_heading(2, _session_heading(s.number, s.kind, s.held_on, lang)), banner)
        facts = []
        if s.started_at and s.ended_at:
            facts.append(_field("field.hours", f"{_time(s.started_at)}–{_time(s.ended_at)}", lang))
        timed = [p for p in s.phases if p.started_at and p.ended_at]
        if timed:
            facts.append(
                _field(
                    "field.phases",
                    SEP.join(
                        t(
                            "export.phase_minutes",
                            lang,
                            phase=_phase_label(s.kind.value, p.phase, lang),
                            minutes=round((p.ended_at - p.started_at).total_seconds() / 60),
                            target=p.target_minutes,
                        )
                        for p in timed
                        if p.started_at and p.ended_at
                    ),
                    lang,
                )
            )
        if s.cards_drawn:
            facts.append(
                _field(
                    "field.cards_drawn",
                    SEP.join(
                        f"{t(f'role.{role.value}', lang)} {count}"
                        for role, count in s.cards_drawn.items()
                    ),
                    lang,
                )
            )
        if s.feeling is not None:
            value = f"{s.feeling}/5"
            if s.feeling_note.strip():
                facts.append(
                    _item(f"{_label(t('field.feeling', lang), lang)}{value} — ", s.feeling_note)
                )
            else:
                facts.append(_field("field.feeling", value, lang))
        doc.lines(facts)
        if s.coachee_log.strip():
            doc.add(_heading(3, t("field.coachee_log", lang)), _quote(s.coachee_log))
        if s.sponsor_message.strip():
            v = s.sponsor_message_validation
            state = (
                t("export.message_validated_on", lang, date=_d(v.at.date(), lang))
                if s.sponsor_message_validated and v is not None
                else t("export.not_validated", lang)
            )
            doc.add(
                _heading(3, f"{t('export.message', lang)} — {state}"), _quote(s.sponsor_message)
            )
        notes = [n for n in cf.notes if n.session == s.number]
        if notes:
            doc.add(_heading(3, t("export.notes", lang)))
            doc.lines([_item(_note_meta(n, s.kind.value, lang), n.text) for n in notes])
        actions = [a for a in cf.actions if a.session == s.number]
        if actions:
            doc.add(_heading(3, t("export.actions", lang)))
            doc.lines(
                [
                    _item(
                        _action_meta(
                            act,
                            lang,
                            t(f"action.{act.status.value}", lang),
                            _visibility(act, lang, "export.action_validated_on"),
                        ),
                        act.text,
                    )
                    for act in actions
                ]
            )

    if _has_closing(cf):
        doc.add(_heading(2, t("export.closing.title", lang)), banner)
        v = eng.closing_validation
        if eng.closing_validated and v is not None:
            doc.add(f"_{t('export.closing.validated_on', lang, date=_d(v.at.date(), lang))}_")
        else:
            doc.add(f"_{t('export.closing.not_validated', lang)}_")
        if eng.closing_synthesis.strip():
            doc.add(_heading(3, t("export.closing.synthesis", lang)), _quote(eng.closing_synthesis))
        if eng.closing_next.strip():
            doc.add(_heading(3, t("export.closing.next", lang)), _quote(eng.closing_next))

    if cf.exports:
        doc.add(_heading(2, t("export.history", lang)))
        doc.lines(
            [
                f"- {_d(e.at.date(), lang)} {_time(e.at)} — {t(f'audience.{e.audience.value}', lang)}"
                + (f" ({t('export.session', lang).lower()} {e.session})" if e.session else "")
                + f", {e.format} → {_code(e.filename)}"
                for e in cf.exports
            ]
        )
    doc.add(banner)
    return doc.text()


def _visibility(item: Note | Action, lang: str, validated_key: str) -> str:
    if item.visibility is Visibility.PRIVATE:
        return t("export.private", lang)  # a note, an action: feminine in French
    if item.validated and item.validation is not None:
        when = t(validated_key, lang, date=_d(item.validation.at.date(), lang))
        return f"{t(f'visibility.{item.visibility.value}', lang)}, {when}"
    return f"{t(f'visibility.{item.visibility.value}', lang)}, {t('export.not_validated', lang)}"


def _note_meta(n: Note, kind: str, lang: str) -> str:
    tags = [_phase_label(kind, n.phase, lang)]
    if n.role:
        tags.append(t(f"role.{n.role.value}", lang))
    tags.append(t(f"kind.{n.kind.value}", lang))
    tags.append(_visibility(n, lang, "export.note_validated_on"))
    return f"_{SEP.join(tags)}_ — "


# -- the coachee's recap of one session --------------------------------------------------------


def recap_markdown(recap: SessionRecap, lang: str) -> str:
    doc = _Doc()
    doc.add(
        _heading(
            1,
            f"{t('export.recap.title', lang, number=recap.session)} — {_inline(recap.coachee)}",
        )
    )
    doc.add(f"_{t('export.recap.notice', lang)}_")
    kind = t(f"session.kind.{recap.kind.value}", lang)
    facts = [f"- {t('export.kind_on', lang, kind=kind, date=_d(recap.held_on, lang))}"]
    if recap.coach.strip():
        facts.append(_field("field.coach", _inline(recap.coach), lang))
    if recap.next_session:
        facts.append(_field("export.recap.next", _d(recap.next_session, lang), lang))
    doc.lines(facts)

    doc.add(_heading(2, t("export.actions", lang)))
    if recap.actions:
        doc.lines([_item(_action_meta(act, lang), act.text) for act in recap.actions])
    else:
        doc.add(f"_{t('export.recap.no_action', lang)}_")

    doc.add(_heading(2, t("export.message", lang)))
    if recap.message:
        doc.add(_quote(recap.message))
    else:
        doc.add(f"_{t('export.recap.no_message', lang)}_")

    if recap.notes:
        doc.add(_heading(2, t("export.shared_notes", lang)))
        doc.lines([_item("", text) for text in recap.notes])
    return doc.text()


__all__ = [
    "confidential_markdown",
    "confidential_page_breaks",
    "recap_markdown",
    "shared_markdown",
]
