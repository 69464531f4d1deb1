"""One self-contained HTML file from the export's Markdown.

markdown-it-py's `js-default` preset leaves raw HTML out (shown as text);
links may only be http, https or mailto; an image becomes a plain link, so
opening the report never fetches anything."""

from __future__ import annotations

import html
import itertools
from collections.abc import Sequence
from importlib import resources

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

ALLOWED_SCHEMES = ("http://", "https://", "mailto:")


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


def _parser() -> MarkdownIt:
    md = MarkdownIt("js-default", {"html": False, "linkify": False})
    md.validateLink = _validate_link  # type: ignore[method-assign]
    md.add_render_rule("image", _image_as_link)
    return md


def to_html(
    markdown: str,
    title: str,
    lang: str,
    banner: str | None = None,
    session_prefixes: tuple[str, ...] = (),
) -> str:
    """`banner` repeats on every printed page; an h2 starting with one of
    `session_prefixes` starts a new printed page."""
    md = _parser()
    tokens = md.parse(markdown)
    for heading, inline in itertools.pairwise(tokens):
        if (
            session_prefixes
            and heading.type == "heading_open"
            and heading.tag == "h2"
            and inline.content.startswith(session_prefixes)
        ):
            heading.attrSet("class", "session")
    body = md.renderer.render(tokens, md.options, {})
    css = resources.files("aoi_tui.data").joinpath("export/report.css").read_text("utf-8")
    page_banner = f'<div class="page-banner">{html.escape(banner)}</div>\n' if banner else ""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">\n"
        f"<title>{html.escape(title)}</title>\n<style>\n{css}</style>\n</head>\n<body>\n"
        f"{page_banner}{body}</body>\n</html>\n"
    )
