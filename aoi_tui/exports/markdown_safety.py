"""Typed text in Markdown never makes structure, never carries raw HTML or an
image, never holds a live link other than http, https or mailto.

Every free text (a note, a message, a log: anything typed or pasted) is
*contained*: it sits alone at the end of its own container (a block quote or a
list item, every line prefixed or indented), so whatever Markdown it holds (an
unclosed ``` fence, a heading, a table, a list) ends with its container and
cannot swallow or restructure what follows; link reference definitions, which
act on the whole document, are escaped (`[1]: https://…` stays visible text).
One-line fields (names, statements) are flattened to one line and escaped
where a line start would make them a block. A `Document`'s finished text is
parsed once more: raw HTML, images and links to other schemes left anywhere
in it become visible text.

The documents themselves (`render_markdown`) write only through these."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from markdown_it import MarkdownIt
from markdown_it.token import Token

from aoi_tui.domain.text import clean

_WHITESPACE = re.compile(r"[ \t\n]+")  # not str.split(): it would eat no-break spaces


def inline(text: str) -> str:
    """A free text flattened to one line, for a place inside a line."""
    return _WHITESPACE.sub(" ", clean(text)).strip()


_BLOCK_START = re.compile(r"^(?:#|>|[-+*](?=\s|$)|\d{1,9}[.)](?=\s|$)|`{3,}|~{3,})")


def lead(text: str) -> str:
    """A one-line text placed at the start of a line (a list item): escape what
    would open a block there (a heading, a quote, a list, a fence, a link
    reference definition)."""
    line = inline(text)
    match = _BLOCK_START.match(line)
    if match and line[0].isdigit():  # "1. step": escape the dot, not the digits
        line = line[: match.end() - 1] + "\\" + line[match.end() - 1 :]
    elif match:
        line = "\\" + line
    return _neutralise_definitions([line])[0]


def heading(level: int, text: str) -> str:
    """An ATX heading of generated text and one-line fields: a closing `#`
    would be eaten as the heading's closing sequence, so it is escaped."""
    if text.endswith("#"):
        text = text[:-1] + "\\#"
    return f"{'#' * level} {text}"


def cell(text: str) -> str:
    return inline(text).replace("|", "\\|") or "—"


def code(text: str) -> str:
    """Inline code that holds any text, backticks included."""
    text = inline(text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


# How viewers read a free text: GFM-like (tables) and CommonMark with raw HTML
# on (an HTML block changes where other blocks start). Only blocks matter here:
# without the inline pass (emphasis, links inside each block) a parse of a long
# note is ~50 times cheaper, and blocks and definitions come out the same.
_probes = (
    MarkdownIt("js-default", {"html": False}).disable("inline"),
    MarkdownIt("commonmark", {"html": True}).disable("inline"),
)
_ORDERED = re.compile(r"^(\s*\d{1,9})([.)])")
_FIRST = re.compile(r"^(\s*)(\S)")


def _escape_start(line: str) -> str:
    r"""Escape the character that opens a block at the start of `line` (after
    its indentation): `\#`, `\-`, `\>`, `\|`, `\=`, and `1\.` for a number."""
    if _ORDERED.match(line):
        return _ORDERED.sub(r"\1\\\2", line, count=1)
    return _FIRST.sub(r"\1\\\2", line, count=1)


BLOCK_OPENERS = frozenset("#=*-_>+[|:0123456789")
"""What a line starts with (after spaces and tabs, the only indentation Markdown
knows) when it may open a block `_structure_rows` looks for: a heading or its
setext underline, a thematic break, a quote, a list item, a link reference
definition, a table's delimiter row. A text none of whose lines starts so is
paragraphs and code only: it needs no parse (most notes)."""


def _may_open_a_block(line: str) -> bool:
    start = line.lstrip(" \t")
    return bool(start) and start[0] in BLOCK_OPENERS


def _structure_rows(lines: list[str], after_meta: bool) -> set[int]:
    """The rows where a free text opens a block of its own at its top level: a
    heading (its `#` or its setext underline), a list item, a quote, a table
    (its delimiter row), a thematic break, a link reference definition.
    Fenced and indented code stay: contained, they cannot pass for the report's
    parts. With `after_meta`, the first line follows generated text on its line."""
    if not any(_may_open_a_block(line) for line in lines):
        return set()
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
        if not any(line.lstrip(" \t").startswith("[") for line in lines):
            return lines  # a definition starts its line with "[" (after up to 3 spaces)
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


def quote(text: str) -> str:
    """A free text in a block quote of its own: it ends with the quote."""
    return "\n".join(f"> {line}" if line else ">" for line in _lines(text))


def item(meta: str, text: str) -> str:
    """A list item: generated `meta` first, then the free text, which ends the
    item (every continuation line indented under it)."""
    lines = _lines(text, after_meta=bool(meta))
    first = meta + lines[0] if meta else lines[0]
    return "\n".join(["- " + first, *(f"  {line}" if line else "" for line in lines[1:])])


class Document:
    """Blocks separated by exactly one blank line. Its text holds no raw HTML, no
    image and no live link but http, https and mailto, whatever its blocks hold."""

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


class _EveryLink(MarkdownIt):
    """A parser that sees every link, whatever its scheme (the one that renders
    ours drops those it would not follow: here they must be found)."""

    def validateLink(self, url: str) -> bool:
        return True


_link_probe = _EveryLink("commonmark", {"html": False})
_LINK_OPEN = re.compile(r"(?<!\\)((?:\\\\)*)\]\(([ \t]*<?[ \t]*)")
_BAD_AUTOLINK = re.compile(
    r"(?<!\\)((?:\\\\)*)<(?=[A-Za-z][A-Za-z0-9+.-]{1,31}:)(?!(?:https?|mailto):)", re.I
)
# An image, whatever its address: a viewer fetches it when the file is opened
# (a tracking pixel says when and where a report was read). `!\[` stays text.
_IMAGE_OPEN = re.compile(r"(?<!\\)((?:\\\\)*)!\[")


def _escape_links(part: str) -> str:
    """Make `[text](dest)` and `<scheme:…>` plain text where `dest` is not an
    http, https or mailto address (entities decoded, as a viewer would)."""

    def link(match: re.Match[str]) -> str:
        destination = html.unescape(part[match.end() :]).lower()
        if destination.startswith(LINK_SCHEMES):
            return match.group(0)
        return match.group(1) + "]\\(" + match.group(2)

    part = _IMAGE_OPEN.sub(r"\1!\\[", part)
    return _BAD_AUTOLINK.sub(r"\1\\<", _LINK_OPEN.sub(link, part))


def _without_live_links(document: str) -> str:
    """A link typed in a text (`[x](javascript:…)`, `<vbscript:…>`, `data:`…)
    stays visible text in every Markdown viewer, as in our HTML: only http,
    https and mailto links are links. Found by parsing the finished document."""
    if "](" not in document and "<" not in document and "]:" not in document:
        return document  # no inline link, autolink or reference definition: none to parse
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
            if child.type == "image" or (
                child.type == "link_open" and not href.startswith(LINK_SCHEMES)
            ):
                rows.update(range(*token.map))
    return rows


def _without_raw_html(document: str) -> str:
    """Escape raw HTML where the finished document holds it, so that a Markdown
    viewer shows `<b>` or `<img …>` typed in a note as text, as our HTML does.
    Found by parsing the document as it is (containers, code spans across lines
    and indentation all count); only the lines holding raw HTML change (in a code
    span on the same line a backslash may show: text, never markup)."""
    if "<" not in document:
        return document  # every tag, comment and declaration opens with one
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


__all__ = [
    "LINK_SCHEMES",
    "Document",
    "cell",
    "code",
    "heading",
    "inline",
    "item",
    "lead",
    "quote",
]
