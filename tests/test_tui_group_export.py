"""Exporting a team's or a peer group's documents from the TUI (issue 13 §4): the
export screen offers what `aoi export` makes for a group (the confidential
file, the report for each N+1, the group's recap, each participant's own),
built by the same functions (the same bytes), refused for the same reasons in
the coach's words, and written through the same path checks as an individual
engagement's: a FIFO nobody reads, a link to a file, the data folder, a missing
or read-only folder are refused with the screen kept; a device is written
into, never replaced. Devices are made with `mknod` in a temporary folder."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Select, Static

from aoi_tui.cli import parser as cli
from aoi_tui.config import i18n
from aoi_tui.demo import create_group_demo
from aoi_tui.domain.models import (
    Agreement,
    Audience,
    Engagement,
    ExportRecord,
    Form,
    Participant,
    SessionKind,
)
from aoi_tui.domain.vocabulary import Room
from aoi_tui.exports.group_export import build_group_export
from aoi_tui.screens.export import ExportScreen
from aoi_tui.secure import durable
from aoi_tui.store.store import Store
from tests.support import PASSPHRASE
from tests.tui_support import freeze, make_app, notifications, paste, wait_for

IS_ROOT = os.geteuid() == 0


@pytest.fixture(autouse=True)
def _frozen(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    freeze(monkeypatch)
    i18n.set_language("en")
    yield
    i18n.set_language("en")


async def export_screen(pilot: Any, eid: str) -> ExportScreen:
    screen = ExportScreen(eid)
    pilot.app.push_screen(screen)
    await wait_for(pilot, lambda: pilot.app.screen is screen and screen.is_mounted)
    await pilot.pause()
    return screen


async def choose(pilot: Any, screen: ExportScreen, label: str, fmt: str = "md") -> None:
    audience = screen.query_one("#audience", Select)
    value = next(v for text, v in audience._options if str(text) == label)
    audience.value = value
    screen.query_one("#format", Select).value = fmt
    await pilot.pause()
    await pilot.pause()


def labels(screen: ExportScreen) -> list[str]:
    return [str(text) for text, _ in screen.query_one("#audience", Select)._options]


def state(screen: ExportScreen) -> str:
    return str(screen.query_one("#export-state", Static).render())


async def test_the_screen_offers_a_group_what_the_cli_makes_built_the_same_way(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    eid, _ = create_group_demo(store)
    eng = store.engagement(eid).engagement()
    people = {p.name: p.id for p in eng.participants}
    last = max(s.number for s in store.engagement(eid).sessions())
    app = make_app(store, demo=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await export_screen(pilot, eid)
        assert labels(screen) == [
            "Confidential file",
            "Report for Sandrine Caron (N+1)",
            "Recap for the group",
            *(f"Recap for {name}" for name in people),
            "Case for supervision",
            "Programme feed",
            "Access request",
        ]
        # opened on the N+1's report: what she will receive, named
        assert screen.export is not None and screen.export.recipient == "Sandrine Caron"
        assert "What Sandrine Caron (N+1) will receive" in state(screen)
        expected = {
            "Report for Sandrine Caron (N+1)": (Audience.SHARED, "Sandrine Caron", None),
            "Recap for the group": (Audience.RECAP, None, None),
            "Recap for Léa Garnier": (Audience.RECAP, None, people["Léa Garnier"]),
            "Confidential file": (Audience.CONFIDENTIAL, None, None),
        }
        for label, (audience, n1, participant) in expected.items():
            for fmt in ("md", "json"):
                await choose(pilot, screen, label, fmt)
                session = last if audience is Audience.RECAP else None
                made = build_group_export(
                    store, eid, audience, fmt, "en", session,
                    for_sponsor=n1, participant=participant,
                )  # fmt: skip
                assert screen.export is not None
                assert screen.export.content == made.content, (label, fmt)
                assert screen.query_one("#session", Select).display == (audience is Audience.RECAP)
        assert "What Léa Garnier will receive" not in state(screen)  # the coach's own file
        # Léa's recap, written: the bytes `aoi export --recap --participant` writes
        await choose(pilot, screen, "Recap for Léa Garnier")
        assert "What Léa Garnier will receive" in state(screen)
        screen.query_one("#path", Input).value = str(tmp_path)
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: app.screen is not screen, what="the screen closed")
        # the N+1's report next, into the same folder: another file, nothing written over
        screen = await export_screen(pilot, eid)
        screen.query_one("#path", Input).value = str(tmp_path)
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: app.screen is not screen, what="the screen closed")
    written = sorted(tmp_path.glob("aoi-*.md"))
    assert len(written) == 2, written
    monkeypatch.setenv("AOI_PASSPHRASE", PASSPHRASE)
    by_cli = tmp_path / "cli"
    by_cli.mkdir()
    base = ["--lang", "en", "--data-dir", str(store.root), "export", eid, "-o", str(by_cli)]
    assert cli.main([*base, "--recap", "--session", str(last), "--participant", "Léa"]) == 0
    assert cli.main([*base, "--shared", "--for-sponsor", "Sandrine Caron"]) == 0
    assert sorted(p.read_bytes() for p in written) == sorted(
        p.read_bytes() for p in by_cli.iterdir()
    )
    records = store.engagement(eid).all(ExportRecord)
    assert {r.recipient for r in records} == {people["Léa Garnier"], "Sandrine Caron"}


async def test_a_group_s_refusals_are_said_in_the_coach_s_words(store: Store) -> None:
    """No report before anyone consented; no recap before a session; a peer
    group with no N+1 is offered no report at all; in French too."""
    people = [Participant(name="Albane Quirin"), Participant(name="Basile Ortolan")]
    team = store.create_engagement(
        Engagement(form=Form.TEAM, group="Zeta", sponsor="Anne Blanc", participants=people)
    )
    peers = store.create_engagement(
        Engagement(
            form=Form.PEERS,
            group="Codev",
            participants=[
                Participant(name="Chloé Durand", agreement=Agreement(report_attendance=False))
            ],
        )
    )
    app = make_app(store, demo=False)
    async with app.run_test(size=(80, 24)) as pilot:
        for lang in ("en", "fr"):
            i18n.set_language(lang)
            screen = await export_screen(pilot, team.id)
            assert screen.export is None
            assert state(screen) == i18n.t("ui.export.no_consent")
            assert "aoi participant consent" in state(screen)
            await choose(pilot, screen, i18n.t("ui.export.group_recap"))
            assert screen.export is None and state(screen) == i18n.t("ui.export.no_session")
            await pilot.press("ctrl+o")  # nothing to write: nothing happens
            await pilot.pause()
            assert app.screen is screen
            app.pop_screen()
            screen = await export_screen(pilot, peers.id)
            assert not any("N+1" in label for label in labels(screen))
            assert screen.export is not None and screen.export.audience is Audience.CONFIDENTIAL
            app.pop_screen()
    assert team.all(ExportRecord) == [] and peers.all(ExportRecord) == []


async def test_the_group_s_files_go_through_the_path_checks(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    eid, _ = create_group_demo(store)
    ef = store.engagement(eid)
    ef.new_session(SessionKind.TEAM_AOI)  # a recap to choose from
    keys = (store.root / "keys.json").read_bytes()
    fifo = tmp_path / "tube"
    os.mkfifo(fifo)
    public = tmp_path / "public.md"
    public.write_text("public")
    (tmp_path / "lien").symlink_to(public)
    (tmp_path / "vers-les-donnees").symlink_to(store.root)
    locked = tmp_path / "verrouille"
    locked.mkdir(mode=0o500)
    refused = {
        str(fifo): "nothing reads",
        str(tmp_path / "lien"): "symbolic link",
        str(store.root / "keys.json"): "data folder",
        str(tmp_path / "vers-les-donnees" / "x.md"): "data folder",
        str(tmp_path / "absent" / "rapport.md"): "No such file",
        str(locked / "rapport.md"): "read-only",
        "~nouser-aoi/rapport.md": "no user",
        "-": "the terminal aoi draws on",
    }
    app = make_app(store, demo=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await export_screen(pilot, eid)
        for label in ("Report for Sandrine Caron (N+1)", "Recap for Thomas Roux"):
            await choose(pilot, screen, label)
            for target, why in refused.items():
                screen.query_one("#path", Input).value = target
                with monkeypatch.context() as m:
                    if target.startswith(str(locked)) and IS_ROOT:
                        # root writes through a folder's mode: the system's refusal, as it comes
                        m.setattr(durable.os, "open", _read_only(durable.os.open, locked))
                    await pilot.press("ctrl+o")
                    await pilot.pause()
                assert why in notifications(pilot)[-1], (label, target, notifications(pilot))
                assert app.screen is screen and app.is_running
        if IS_ROOT:  # a character device is written into, never replaced
            null = tmp_path / "null"
            os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
            screen.query_one("#path", Input).value = str(null)
            await pilot.press("ctrl+o")
            await wait_for(pilot, lambda: app.screen is not screen, what="written")
            assert stat.S_ISCHR(null.lstat().st_mode) and null.lstat().st_rdev == os.makedev(1, 3)
    assert stat.S_ISFIFO(fifo.lstat().st_mode) and public.read_text() == "public"
    assert (store.root / "keys.json").read_bytes() == keys
    assert not (tmp_path / "absent").exists() and list(locked.iterdir()) == []
    recorded = [r.filename for r in ef.all(ExportRecord)]
    assert recorded == ([str(tmp_path / "null")] if IS_ROOT else [])


def _read_only(real_open: Any, folder: Path) -> Any:
    def open_(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if str(path).startswith(str(folder)) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return int(real_open(path, flags, *args, **kwargs))

    return open_


# -- what the debrief's F6 previews, and the handover's words, for a group ------------------------


def peer_group(store: Store) -> tuple[str, dict[str, Participant]]:
    """Two peers, each with their own N+1, both agreeing to report their own items,
    and a note about each that each validated: each N+1 reads only their own's."""
    from aoi_tui.domain.models import Note, Visibility
    from aoi_tui.domain.validations import validate

    agreed = Agreement(consent_date=clock_today(), report_attendance=False)
    people = {
        "albane": Participant(name="Albane Quirin", sponsor="Anne Blanc", agreement=agreed),
        "basile": Participant(name="Basile Ortolan", sponsor="Bernard Roy", agreement=agreed),
    }
    for p in people.values():
        p.report_own_items = True
    eng = Engagement(form=Form.PEERS, group="Codev", participants=list(people.values()))
    ef = store.create_engagement(eng)
    session = ef.new_session(SessionKind.PEER, attendance=[p.id for p in people.values()])
    for key, p in people.items():
        note = Note(
            session=session.number,
            phase="news",
            text=f"Canary-{key}",
            about=[p.id],
            visibility=Visibility.SHAREABLE,
        )
        validate(note, p, eng)
        ef.insert(note)
    ef.insert(Note(session=session.number, phase="news", text="Canary-private", about=["group"]))
    return ef.id, people


def clock_today() -> Any:
    from aoi_tui.domain import clock

    return clock.today()


async def test_f6_previews_each_n1_s_report_for_a_group(store: Store) -> None:
    from textual.widgets import Markdown

    from aoi_tui.screens.debrief import DebriefScreen, PreviewScreen

    eid, _ = peer_group(store)
    team_id, _ = create_group_demo(store)
    app = make_app(store, demo=False)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(DebriefScreen(eid, 1))
        await wait_for(pilot, lambda: isinstance(app.screen, DebriefScreen))
        await pilot.press("f6")
        await wait_for(pilot, lambda: isinstance(app.screen, PreviewScreen), what="preview")
        preview = app.screen
        assert isinstance(preview, PreviewScreen)
        assert preview.title_words == i18n.t("ui.preview.title_each")
        assert "Canary-albane" in preview.markdown and "Canary-basile" in preview.markdown
        assert "Canary-private" not in preview.markdown
        first, second = preview.markdown.split("\n\n---\n\n")
        assert "Anne Blanc" in first and "Canary-albane" in first
        assert "Bernard Roy" not in first and "Canary-basile" not in first
        assert "Bernard Roy" in second and "Canary-basile" in second
        assert "Canary-albane" not in second
        assert preview.query_one(Markdown).source == preview.markdown
        await pilot.press("escape")
        await pilot.pause()
        app.pop_screen()
        # a team: its one N+1's report, the one `aoi export --shared` writes
        last = max(s.number for s in store.engagement(team_id).sessions())
        app.push_screen(DebriefScreen(team_id, last))
        await wait_for(pilot, lambda: isinstance(app.screen, DebriefScreen))
        await pilot.press("f6")
        await wait_for(pilot, lambda: isinstance(app.screen, PreviewScreen), what="preview")
        made = build_group_export(store, team_id, Audience.SHARED, "md", "en")
        assert app.screen.markdown == made.content  # type: ignore[attr-defined]
        assert "la passation tient en 8 minutes" in made.content


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_handover_title_names_the_team_or_the_group(lang: str) -> None:
    from aoi_tui.domain.models import Session
    from aoi_tui.screens.session_panels import handover_text

    i18n.set_language(lang)
    people = [Participant(name="Albane Quirin")]
    titles = {}
    for form in (Form.TEAM, Form.PEERS):
        eng = Engagement(form=form, group="Zeta", sponsor="Anne Blanc", participants=people)
        session = Session(kind=SessionKind.TEAM_AOI, number=1, held_on=clock_today())
        titles[form] = handover_text(eng, session, [], []).plain.splitlines()[0]
    words = {"en": ("team", "group"), "fr": ("l'équipe", "le groupe")}[lang]
    assert words[0] in titles[Form.TEAM] and words[1] in titles[Form.PEERS]
    for title in titles.values():
        assert "coachee" not in title and "accompagné" not in title


def test_a_team_s_export_screen_at_80x24(store: Store, snap_compare: Any) -> None:
    """What the coach sees on opening a team's export: the N+1's report named by
    its reader, the formats, what she will receive, the report itself."""
    from pytest_textual_snapshot import SVGImageExtension

    SVGImageExtension.file_extension = "svg"
    eid, _ = create_group_demo(store)
    app = make_app(store, demo=False)

    async def opened(pilot: Any) -> None:
        screen = await export_screen(pilot, eid)
        # the default name holds the folder aoi runs in and the engagement's random id
        screen.query_one("#path", Input).value = "~/rapport-n1.md"
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=opened)


async def test_the_preview_shows_only_what_whoever_is_in_the_room_may_read(store: Store) -> None:
    """The N+1 coming in (F2) or the group in the room: the confidential file and a
    participant's recap leave the screen (their preview stayed, whole); the N+1
    still reads their own report, the group its recap; the coach alone, all."""

    eid, _ = create_group_demo(store)
    app = make_app(store, demo=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await export_screen(pilot, eid)
        preview = screen.query_one("#preview")

        def seen() -> str:
            return str(preview.text)  # type: ignore[attr-defined]

        await choose(pilot, screen, "Confidential file")
        confidential = seen()
        assert "Léa Garnier" in confidential
        for room, readable, hidden in (
            (Room.SPONSOR, "Report for Sandrine Caron (N+1)", "Recap for Léa Garnier"),
            (Room.GROUP, "Recap for the group", "Report for Sandrine Caron (N+1)"),
        ):
            await choose(pilot, screen, "Confidential file")
            app.room = room
            await pilot.pause()
            # before the N+1 the file leaves the list: their report shows in its place
            assert seen() != confidential and "Léa" not in state(screen), room
            assert (room is Room.SPONSOR) is ("Confidential file" not in labels(screen))
            await choose(pilot, screen, hidden)
            assert seen() == "" and "Léa" not in state(screen), room
            await choose(pilot, screen, readable)
            assert seen() != "" and "will receive" in state(screen), room
            app.room = Room.COACH
            await choose(pilot, screen, "Confidential file")
            assert seen() == confidential


async def test_every_export_kind_tabs_to_the_file_the_same_way(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A coach tabs from what to export to the format, then to the file, and types
    where it goes, whatever the kind: a recap's session select came before the file
    (the name typed went to the session, and ctrl+o wrote the default name in the
    folder aoi runs in). Where the file goes is said in words before ctrl+o."""
    from tests.tui_support import demo_id

    here = tmp_path / "where-aoi-runs"
    here.mkdir()
    monkeypatch.chdir(here)
    eid, _ = create_group_demo(store)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        for engagement, kinds in (
            (demo_id(store), ("sponsor report", "session recap")),
            (eid, ("Report for Sandrine Caron (N+1)", "Recap for the group")),
        ):
            for kind in kinds:
                screen = await export_screen(pilot, engagement)
                await choose(pilot, screen, kind)
                screen.query_one("#audience").focus()
                await pilot.pause()
                name = f"{len(list(tmp_path.iterdir()))}.md"
                target = tmp_path / name
                await pilot.press("tab", "tab")
                await paste(pilot, f"../{name}")
                await pilot.pause()
                assert app.focused is screen.query_one("#path", Input), kind
                assert f"Written to {target} on ctrl+o" in destination(screen), kind
                await pilot.press("ctrl+o")
                await wait_for(pilot, partial(left, app, screen), what=kind)
                assert target.exists(), kind
        assert list(here.iterdir()) == [], "nothing went to the folder aoi runs in"


def left(app: Any, screen: ExportScreen) -> bool:
    return app.screen is not screen


def destination(screen: ExportScreen) -> str:
    return " ".join(str(screen.query_one("#export-destination", Static).render()).split())


def test_where_the_file_goes_is_said_as_the_writer_decides_it(store: Store, tmp_path: Path) -> None:
    """The line under the file's name says what ctrl+o would do with what is typed:
    a folder takes the default name, a file there is replaced, the data folder, an
    unknown user's home and the terminal are refused before anything is written."""
    from aoi_tui.screens.export import destination_words

    def said(typed: str) -> str:
        return destination_words(store, typed, "aoi-report.md")

    (tmp_path / "old.md").write_text("x")
    assert said(str(tmp_path)) == f"Written to {tmp_path / 'aoi-report.md'} on ctrl+o."
    assert "in place of the file there" in said(str(tmp_path / "old.md"))
    assert "in place of" not in said(str(tmp_path / "new.md"))
    assert said(str(store.root / "keys.json")).startswith("Not there:")
    assert (
        said(f"{tmp_path}/../{tmp_path.name}/x.md") == f"Written to {tmp_path / 'x.md'} on ctrl+o."
    )
    assert said("~nosuchuser-aoi/x.md").startswith("Not there:")
    assert "terminal" in said("-") and "terminal" in said("/dev/stdout")
    i18n.set_language("fr")
    assert said(str(tmp_path)) == f"Écrit dans {tmp_path / 'aoi-report.md'} avec ctrl+o."


async def test_before_an_n1_the_list_names_no_other_n1_nor_the_confidential_file(
    store: Store,
) -> None:
    """A peer group with two N+1s, one in the room: the export list read 'Report for
    Anne Blanc (N+1)' and 'Report for Bernard Roy (N+1)', naming one N+1 in front
    of the other, and offered the confidential file. Before the N+1 it now lists
    neither; a team with one N+1 keeps that N+1's report (the one they may read),
    without the confidential file. The coach alone sees everything again."""
    eid, _ = peer_group(store)
    team, _ = create_group_demo(store)
    app = make_app(store, demo=False)
    confidential = i18n.t("audience.confidential").casefold()

    def listed(screen: ExportScreen) -> list[str]:  # the list's labels, case aside
        return [label.casefold() for label in labels(screen)]

    async with app.run_test(size=(80, 24)) as pilot:
        for group, n1s in ((eid, ["Anne Blanc", "Bernard Roy"]), (team, ["Sandrine Caron"])):
            app.room = Room.COACH
            screen = await export_screen(pilot, group)
            reports = [i18n.t("ui.export.group_report", name=n) for n in n1s]
            assert set(reports) <= set(labels(screen)) and confidential in listed(screen)
            app.room = Room.SPONSOR
            await pilot.pause()
            assert confidential not in listed(screen)
            offered = [r for r in reports if r in labels(screen)]
            assert offered == (reports if len(n1s) == 1 else []), labels(screen)
            app.room = Room.COACH
            await pilot.pause()
            assert set(reports) <= set(labels(screen)) and confidential in listed(screen)
            app.pop_screen()
            await pilot.pause()
