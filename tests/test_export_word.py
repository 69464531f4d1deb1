"""Word exports (issue 15 §4): every XML part of each .docx (body, tables,
headers, footers, core, app and custom properties) holds no private or
unvalidated word, whatever the engagement; the confidential file's banner is in
the header of every page; the properties are aoi's, never a person's name nor
python-docx's defaults; characters XML forbids do not cost the rest of a note; a
Word file never goes to standard output or a terminal, and goes through the same
guarded writing as the other formats; python-docx loads only when asked for."""

from __future__ import annotations

import functools
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, given, settings

from aoi_tui.cli import parser as cli
from aoi_tui.domain.models import Audience, ExportRecord, Visibility
from aoi_tui.exports.docx_file import xml_text
from aoi_tui.exports.shared_report import ConsentMissing
from aoi_tui.exports.writing import WORD, build_export, write_export
from aoi_tui.store.store import Store
from tests.support import REPO
from tests.test_exports import (
    FORBIDDEN,
    add_session,
    build,
    engagement_specs,
    make_engagement,
    shared_note,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NAMES = ("Camille", "Marc", "Claire", "Atelier")  # every person and the organisation


def parts(document: bytes) -> dict[str, str]:
    """Every XML part of a .docx, as the text a reader of it could find: its
    character data and its attribute values, each part parsed (so a character
    XML forbids fails here)."""
    with zipfile.ZipFile(io.BytesIO(document)) as z:
        return {
            name: _part_text(z.read(name))
            for name in z.namelist()
            if name.endswith((".xml", ".rels"))
        }


@functools.lru_cache(maxsize=64)
def _part_text(xml: bytes) -> str:
    """Cached: the template's parts (styles, theme: 800 kB) are the same in every file."""
    root = ElementTree.fromstring(xml)
    return "\n".join(
        bit for el in root.iter() for bit in (el.text, el.tail, *el.attrib.values()) if bit
    )


def word(store: Store, eid: str, audience: Audience, lang: str, session: int | None = None) -> Any:
    return build_export(store, eid, audience, WORD, lang, session)


def assert_nowhere(token: str, found: dict[str, str]) -> None:
    for name, text in found.items():
        assert token not in text, f"{token!r} leaked into {name}"


def body_text(document: bytes) -> str:
    """The body as Word shows it: the runs of each paragraph joined."""
    with zipfile.ZipFile(io.BytesIO(document)) as z:
        root = ElementTree.fromstring(z.read("word/document.xml"))
    return "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p"))


def comparable(document: bytes) -> dict[str, str]:
    """A document's parts but the time it was made (the core properties' dates)."""
    found = parts(document)
    found.pop("docProps/core.xml")
    return found


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(spec=engagement_specs)
def test_no_private_or_unvalidated_word_reaches_any_part_of_a_word_file(
    store: Store, spec: dict[str, Any]
) -> None:
    built = build(store, spec)
    lang = spec["lang"]
    if not spec["consent"]:
        with pytest.raises(ConsentMissing):
            word(store, built.eid, Audience.SHARED, lang)
    else:
        shared = word(store, built.eid, Audience.SHARED, lang).document
        found = parts(shared)
        for token in built.secret:
            assert_nowhere(token, found)
        body = body_text(shared)
        for token in built.shown:
            assert token in body, token
        # Built from an allow-list: the twin holding only what may be shared gives
        # the same document, part for part (nothing hints at what was left out).
        twin = word(store, built.twin, Audience.SHARED, lang).document
        assert comparable(shared) == comparable(twin)
        for text in found.values():
            assert not FORBIDDEN.search(text)
    confidential = body_text(word(store, built.eid, Audience.CONFIDENTIAL, lang).document)
    for token in set(built.secret + built.shown) - set(built.gone):
        assert token in confidential, token
    for number in range(1, len(spec["sessions"]) + 1):
        recap = word(store, built.eid, Audience.RECAP, lang, number).document
        found = parts(recap)
        body = body_text(recap)
        shown = built.recap_shown.get(number, [])
        elsewhere = [
            token
            for other, tokens in (*built.recap_shown.items(), *built.recap_secret.items())
            if other != number
            for token in tokens
        ]
        for token in built.recap_secret.get(number, []) + elsewhere:
            if token not in shown:
                assert_nowhere(token, found)
        for token in shown:
            assert token in body, token


def test_a_private_note_in_every_part_kind_stays_out_of_the_report(store: Store) -> None:
    """Body, tables (the competencies), header and properties, named one by one:
    the report has no header, and its properties carry no typed word."""
    ef = make_engagement(store)
    add_session(ef)
    shared_note(ef, 1, "Validée-VISIBLE")
    ef.add_note(1, "Secret-PRIVE", visibility=Visibility.PRIVATE)
    document = word(store, ef.id, Audience.SHARED, "fr").document
    found = parts(document)
    assert "Validée-VISIBLE" in found["word/document.xml"]
    assert not any(name.startswith("word/header") for name in found)
    for name, text in found.items():
        assert "Secret-PRIVE" not in text, name
    for name in ("docProps/core.xml", "docProps/app.xml"):
        assert not any(n in found[name] for n in NAMES), found[name]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_properties_are_aois_never_a_persons_nor_python_docxs(store: Store, lang: str) -> None:
    import docx

    ef = make_engagement(store)
    add_session(ef)
    for audience, session in ((Audience.SHARED, None), (Audience.CONFIDENTIAL, None),
                              (Audience.RECAP, 1)):  # fmt: skip
        document = word(store, ef.id, audience, lang, session).document
        props = docx.Document(io.BytesIO(document)).core_properties
        assert props.author == "aoi" and props.last_modified_by == "aoi"
        assert props.comments == "" and props.keywords == "" and props.subject == ""
        assert props.language == lang and props.title
        assert not any(n in props.title for n in NAMES), props.title
        found = parts(document)
        assert "python-docx" not in "".join(found.values())
        assert (
            "<Application>aoi</Application>"
            in zipfile.ZipFile(io.BytesIO(document)).read("docProps/app.xml").decode()
        )
        assert "docProps/thumbnail.jpeg" not in zipfile.ZipFile(io.BytesIO(document)).namelist()


def test_the_confidential_banner_heads_every_page_and_each_session_starts_one(
    store: Store,
) -> None:
    import docx

    ef = make_engagement(store)
    for _ in range(3):
        add_session(ef)
    document = word(store, ef.id, Audience.CONFIDENTIAL, "fr").document
    opened = docx.Document(io.BytesIO(document))
    banner = "CONFIDENTIEL — secret professionnel du coach, ne pas transmettre"
    assert len(opened.sections) == 1  # one section: its header is on every page
    header = opened.sections[0].header
    assert not header.is_linked_to_previous
    assert banner in "".join(p.text for p in header.paragraphs)
    sessions = [p for p in opened.paragraphs if p.text.startswith("Séance ")]
    assert len(sessions) == 3
    assert all(p.paragraph_format.page_break_before for p in sessions)
    assert [p.style.name for p in opened.paragraphs[:2]] == ["Heading 1", "Normal"]


def test_characters_xml_forbids_cost_nothing_else(store: Store) -> None:
    ef = make_engagement(store)
    add_session(ef)
    typed = "avant\x00milieu\x0b\ud800après\ufffffin\x1b[31mrouge\ttab\nligne"
    ef.add_note(1, typed, visibility=Visibility.PRIVATE)
    shared_note(ef, 1, "partagée\x08ici")
    for audience in (Audience.CONFIDENTIAL, Audience.SHARED):
        document = word(store, ef.id, audience, "en").document
        text = body_text(document)  # parsed: the XML is well formed
        if audience is Audience.CONFIDENTIAL:
            assert "avant\ufffdmilieu\ufffd\ufffdaprès\ufffdfin" in text
            assert "rouge" in text and "ligne" in text
        assert "partagée\ufffdici" in text
    assert xml_text("a\x00b\udfffc\ufffed") == "a\ufffdb\ufffdc\ufffdd"


def test_a_table_holds_the_competencies(store: Store) -> None:
    import docx

    from aoi_tui.domain.models import Competency, Level

    ef = make_engagement(
        store, agreement=make_engagement(store).engagement().agreement.model_copy(
            update={"report_competencies": True}
        )
    )  # fmt: skip
    add_session(ef)
    ef.insert(Competency(name="Animer le briefing", start_level=Level.NOT_ACQUIRED))
    opened = docx.Document(io.BytesIO(word(store, ef.id, Audience.SHARED, "en").document))
    assert len(opened.tables) == 1
    rows = [[c.text for c in r.cells] for r in opened.tables[0].rows]
    assert rows[0][0] == "Competency" and rows[1][0] == "Animer le briefing"


# -- where a Word file may go ------------------------------------------------------------------


def test_a_word_file_goes_to_a_file_or_a_fifo_never_to_standard_output_nor_a_terminal(
    store: Store, tmp_path: Path, capsysbinary: Any
) -> None:
    ef = make_engagement(store)
    add_session(ef)
    export = word(store, ef.id, Audience.SHARED, "en")
    from aoi_tui.exports.writing import ExportPathError

    for target in ("-", "/dev/stdout"):
        with pytest.raises(ExportPathError, match="standard output"):
            write_export(store, ef.id, export, target)
    assert capsysbinary.readouterr().out == b""
    leader, follower = os.openpty()
    try:
        with pytest.raises(ExportPathError, match="terminal"):
            write_export(store, ef.id, export, os.ttyname(follower))
    finally:
        os.close(leader)
        os.close(follower)
    with pytest.raises(ExportPathError, match="data folder"):
        write_export(store, ef.id, export, str(store.root / "rapport.docx"))
    target = tmp_path / "rapport.docx"
    assert write_export(store, ef.id, export, str(target)) == target
    assert target.read_bytes() == export.document
    assert target.stat().st_mode & 0o777 == 0o600
    assert zipfile.is_zipfile(target)
    fifo = tmp_path / "tube"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        write_export(store, ef.id, export, str(fifo))
        assert os.read(reader, len(export.document) + 1) == export.document
    finally:
        os.close(reader)
    records = store.engagement(ef.id).all(ExportRecord)
    assert [r.format for r in records] == ["docx", "docx"]  # the file and the FIFO


def test_cli_says_in_one_line_why_standard_output_is_refused(
    store: Store, cli_env: dict[str, str]
) -> None:
    from tests.cli_support import aoi, cli_error

    ef = make_engagement(store)
    add_session(ef)
    done = aoi(cli_env, "export", ef.id, "--shared", "--format", "docx", "-o", "-")
    assert "standard output" in cli_error(done) and "-o FILE" in cli_error(done)
    assert done.stdout == ""
    assert (
        cli.build_parser()
        .parse_args(["export", ef.id, "--confidential", "--format", "docx"])
        .format
        == "docx"
    )


def test_python_docx_loads_only_when_a_word_file_is_written() -> None:
    code = (
        "import sys, aoi_tui.cli.parser, aoi_tui.cli.exports, aoi_tui.exports.writing,"
        " aoi_tui.screens.app, aoi_tui.screens.export;"
        "loaded = [m for m in ('docx', 'lxml') if m in sys.modules];"
        "assert not loaded, loaded"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


# -- the TUI's export screen -------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
async def test_export_screen_offers_word_at_80x24_and_writes_it(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    from textual.widgets import Input, Select, TextArea

    from aoi_tui.config import i18n
    from aoi_tui.screens.export import ExportScreen
    from tests.tui_support import demo_id, freeze, make_app, notifications, wait_for

    freeze(monkeypatch)
    i18n.set_language(lang)
    try:
        app = make_app(store)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = ExportScreen(demo_id(store))
            app.push_screen(screen)
            await wait_for(pilot, lambda: app.screen is screen and screen.export is not None)
            formats = screen.query_one("#format", Select)
            assert ("Word (docx)", "docx") in [(str(p), v) for p, v in formats._options]
            # one coachee: nothing for a group is offered
            offered = {v for _, v in screen.query_one("#audience", Select)._options}
            assert Audience.CONFIDENTIAL.value in offered and Audience.RECAP.value in offered
            assert not offered & {Audience.GROUP_RECAP.value, Audience.GROUP_ROOM.value}
            screen.query_one("#audience", Select).value = Audience.CONFIDENTIAL.value
            formats.value = "docx"
            await wait_for(
                pilot, lambda: screen.export is not None and screen.export.format == "docx"
            )
            path = screen.query_one("#path", Input).value
            assert path.endswith("-confidential-" + path.rsplit("-confidential-", 1)[1])
            assert path.endswith(".docx")
            preview = screen.query_one("#preview", TextArea).text
            banner = i18n.t("export.confidential.banner", lang)
            assert preview.startswith(f"[{banner}]")
            assert screen.region.width == 80 and formats.region.right <= 80
            target = tmp_path / "dossier.docx"
            screen.query_one("#path", Input).value = str(target)
            await pilot.press("ctrl+o")
            await wait_for(pilot, lambda: app.screen is not screen)
            assert str(target) in notifications(pilot)[-1]
            assert zipfile.is_zipfile(target)
            assert banner in "".join(parts(target.read_bytes()).values())
    finally:
        i18n.set_language("en")


def test_a_collective_engagement_is_refused_in_word_not_written_wrong(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its documents go to each recipient apart (issue 13): the individual models
    would not keep one participant's items from another."""
    from types import SimpleNamespace

    from aoi_tui.store.engagement_file import EngagementFile

    ef = make_engagement(store)
    add_session(ef)
    # a group as issue 13's models say it (`individual` False), whatever else it holds
    monkeypatch.setattr(
        EngagementFile, "engagement", lambda self: SimpleNamespace(individual=False)
    )
    for audience, session in ((Audience.SHARED, None), (Audience.CONFIDENTIAL, None),
                              (Audience.RECAP, 1)):  # fmt: skip
        with pytest.raises(ValueError, match="collective"):
            word(store, ef.id, audience, "en", session)
