"""One self-contained HTML file from the export's Markdown.

markdown-it-py's `js-default` preset leaves raw HTML out (shown as text);
links may only be http, https or mailto; an image becomes a plain link, so
opening the report never fetches anything, and a Content-Security-Policy
forbids any fetch besides. Link reference definitions are not parsed at all:
the exports never write one, and one typed in a note stays visible text. A
line break typed in a note stays a line break (`breaks`)."""

from __future__ import annotations

import html
import itertools
from collections.abc import Collection, Sequence
from importlib import resources

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

ALLOWED_SCHEMES = ("http://", "https://", "mailto:")
CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'"


def _validate_link(url: str) -> bool:
    return url.strip().lower().startswith(ALLOWED_SCHEMES)


def _image_as_link(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    src = str(token.attrGet("src") or "")
    alt = html.escape(self.renderInlineAsText(token.children or [], options, env)) or html.escape(
        src
    )
    return f'<a href="{html.escape(src)}">{alt}</a>'


def _css_string(text: str) -> str:
    """A CSS string literal that cannot end the string, nor the <style> element."""
    out = []
    for ch in text:
        if ch in '"\\<>&' or ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _parser() -> MarkdownIt:
    md = MarkdownIt("js-default", {"html": False, "linkify": False, "breaks": True})
    md.disable("reference")
    md.validateLink = _validate_link  # type: ignore[method-assign]
    md.add_render_rule("image", _image_as_link)
    return md


def to_html(
    markdown: str,
    title: str,
    lang: str,
    banner: str | None = None,
    page_breaks: Collection[str] = (),
) -> str:
    """`banner` repeats on every printed page; a top-level h2 whose text is one
    of `page_breaks` starts a new printed page (a free text sits inside a
    quote or a list item, so it can never make one)."""
    md = _parser()
    tokens = md.parse(markdown)
    for heading, inline in itertools.pairwise(tokens):
        if (
            heading.type == "heading_open"
            and heading.tag == "h2"
            and heading.level == 0
            and inline.content in page_breaks
        ):
            heading.attrSet("class", "session")
    body = md.renderer.render(tokens, md.options, {})
    css = resources.files("aoi_tui.data").joinpath("export/report.css").read_text("utf-8")
    page_banner = ""
    if banner:
        # On paper: in the top margin of every page (a CSS page-margin box). On
        # screen: a strip that stays at the top of the window.
        css += f"@page {{ @top-center {{ content: {_css_string(banner)}; }} }}\n"
        page_banner = f'<div class="page-banner">{html.escape(banner)}</div>\n'
    body_class = ' class="confidential"' if banner else ""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>\n{css}</style>\n</head>\n"
        f"<body{body_class}>\n{page_banner}{body}</body>\n</html>\n"
    )
