"""The HTML exports in a real browser: Debian's Chromium, driven by Playwright
(never Playwright's own browser download: `executable_path` points at
/usr/bin/chromium).

Each page (the demo's shared report, confidential file and last-session recap)
is opened from file:// with every request recorded: none may go anywhere but
the file itself, even with a note holding an image, links and raw HTML that
would fetch (<img src=http://…>, <link>, <script>, <iframe>, a style with
url()). Then each page is printed to A4 PDF and read back with `pdftotext`:
the confidential banner is on every page of the confidential file (and on
none of the others), and each of its sessions starts a new page.

`./dev test` installs chromium and poppler-utils (pdftotext). Without them the
test is skipped on a workstation, and fails under CI=true."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aoi_tui import demo
from aoi_tui.config.i18n import t
from aoi_tui.domain.clock import NOW_ENV
from aoi_tui.domain.models import Audience, Visibility
from aoi_tui.exports.confidential_file import build_confidential_file
from aoi_tui.exports.render_markdown import confidential_page_breaks
from aoi_tui.exports.writing import build_export
from aoi_tui.store.store import Store
from tests.browser_support import CHROMIUM, CHROMIUM_ARGS
from tests.support import FIXED_NOW

HOSTILE_NOTE = "\n".join(
    [
        "Note with an image ![pixel](https://tracker.example/pixel.png) and a "
        "[link](https://example.com/page) and <https://example.com/auto>.",
        "<img src=http://tracker.example/raw.png onerror=\"fetch('https://evil.example/x')\">",
        '<link rel="stylesheet" href="https://evil.example/style.css">',
        "<script>fetch('https://evil.example/script')</script>",
        '<iframe src="https://evil.example/frame"></iframe>',
        "<style>body { background: url(https://evil.example/bg.png) }</style>",
        '<div style="background-image: url(http://evil.example/inline.png)">styled</div>',
        '<object data="https://evil.example/object"></object>',
        "[1]: https://evil.example/reference",
    ]
)


def _missing_tools() -> list[str]:
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"chromium ({CHROMIUM})")
    if shutil.which("pdftotext") is None:
        missing.append("pdftotext (poppler-utils)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("playwright (the Python package, from requirements/lock.txt)")
    return missing


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    missing = _missing_tools()
    if missing:
        message = f"missing {', '.join(missing)}: `./dev test` installs them"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def pages(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The demo's three HTML exports, with a hostile validated note in its last session."""
    monkeypatch.setenv(NOW_ENV, FIXED_NOW)
    eid, _ = demo.create_demo(store)
    ef = store.engagement(eid)
    last = max(s.number for s in ef.sessions())
    note = ef.add_note(last, HOSTILE_NOTE, visibility=Visibility.SHAREABLE)
    note.validate_by_coachee()
    ef.update(note)
    files = {}
    for audience in (Audience.SHARED, Audience.CONFIDENTIAL, Audience.RECAP):
        export = build_export(
            store, eid, audience, "html", "fr", last if audience is Audience.RECAP else None
        )
        path = tmp_path / f"{audience.value}.html"
        path.write_text(export.content, "utf-8")
        files[audience.value] = path
    return {
        "files": files,
        "breaks": confidential_page_breaks(build_confidential_file(ef), "fr"),
        "banner": t("export.confidential.banner", "fr"),
    }


def _open(browser: Any, path: Path) -> tuple[Any, list[str]]:
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_timeout(200)  # let anything deferred (a failed image, a script) try
    return page, requests


def _pdf_pages(page: Any, tmp_path: Path, name: str) -> list[list[str]]:
    pdf = tmp_path / f"{name}.pdf"
    pdf.write_bytes(page.pdf(format="A4"))
    text = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return [[" ".join(line.split()) for line in p.splitlines() if line.strip()] for p in pages]


def test_the_request_recorder_sees_a_fetch(browser: Any, tmp_path: Path) -> None:
    """The control: without our page's safeguards, an image is a recorded request."""
    control = tmp_path / "control.html"
    control.write_text('<!DOCTYPE html><img src="http://127.0.0.1:9/pixel.png">', "utf-8")
    page, requests = _open(browser, control)
    page.close()
    assert requests == [control.as_uri(), "http://127.0.0.1:9/pixel.png"]


def test_exports_open_without_any_request_and_print_to_pdf(
    browser: Any, pages: dict[str, Any], tmp_path: Path
) -> None:
    banner = " ".join(pages["banner"].split())
    for name, path in pages["files"].items():
        page, requests = _open(browser, path)
        try:
            assert requests == [path.as_uri()], f"{name}: requests left the page: {requests}"
            # Nothing that fetches or runs was built from the note: its HTML is text.
            active = page.eval_on_selector_all(
                "img, script, iframe, link, object, embed, style[src], [style]",
                "els => els.map(e => e.outerHTML)",
            )
            assert active == [], f"{name}: {active}"
            assert page.locator("style").count() == 1
            body = page.inner_text("body")
            assert "<script>fetch(" in body and "<img src=http://tracker.example" in body
            assert (
                "[1]: https://evil.example/reference" in body
            )  # a reference definition stays text
            hrefs = page.eval_on_selector_all("a", "els => els.map(e => e.href)")
            # a typed image stays the text typed: neither fetched nor a link
            assert "![pixel](https://tracker.example/pixel.png)" in body
            assert "https://tracker.example/pixel.png" not in hrefs
            assert all(h.startswith(("http://", "https://", "mailto:")) for h in hrefs), hrefs

            printed = _pdf_pages(page, tmp_path, name)
        finally:
            page.close()
        assert printed, name
        assert all(p for p in printed), f"{name}: an empty page"
        with_banner = [banner in p for p in printed]
        if name == Audience.CONFIDENTIAL.value:
            assert all(with_banner), f"pages without the banner: {with_banner}"
            _sessions_start_pages(printed, pages["breaks"], banner)
        else:
            assert not any(with_banner), f"{name} carries the confidential banner"
        assert any("Camille Lefèvre" in line for line in printed[0])


def _sessions_start_pages(printed: list[list[str]], breaks: tuple[str, ...], banner: str) -> None:
    assert len(breaks) >= 4  # the demo's four sessions
    starts: list[int] = []
    for heading in breaks:
        heading = " ".join(heading.split())
        found = [i for i, p in enumerate(printed) if heading in p]
        assert len(found) == 1, f"{heading!r} on pages {found}"
        lines = [line for line in printed[found[0]] if line != banner]
        assert lines[0] == heading, f"{heading!r} does not start page {found[0] + 1}: {lines[:3]}"
        starts.append(found[0])
    assert starts == sorted(set(starts)), f"sessions share a page: {starts}"
    page_numbers = [line for p in printed for line in p if re.fullmatch(r"\d+ ?/ ?\d+", line)]
    assert len(page_numbers) == len(printed)  # "n / N" at the foot of every page
