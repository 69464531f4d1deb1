"""The coach's supervision log (issue 15 §3): entries kept encrypted in a file of
their own, a case named only by an id of this store, refused when implausible,
taken out of the log and of every copy of it when its engagement is erased,
found and restored by `aoi doctor`; `aoi supervision add|list`; the screen."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from aoi_tui.domain.supervision import (
    SupervisionEntry,
    SupervisionForm,
    parse_hours,
    totals,
)
from aoi_tui.secure.storage import StoreFileError, decode
from aoi_tui.store.doctor import run_doctor
from aoi_tui.store.store import Store
from aoi_tui.store.supervision_log import LOG, LOG_ID, SupervisionLog, UnknownCase
from tests.cli_support import aoi, cli_error
from tests.test_exports import make_engagement

CANARY = "Canari-Supervision-7731"


def entry(**kw: Any) -> SupervisionEntry:
    values: dict[str, Any] = {
        "on": date.today() - timedelta(days=3),
        "supervisor": "Anne Superviseure",
        "hours": Decimal("1.5"),
        **kw,
    }
    return SupervisionEntry(**values)


def every_copy(store: Store) -> list[Path]:
    root = store.root
    copies = [root / LOG, *sorted((root / "backups" / LOG).glob("*"))]
    quarantine = root / "quarantine"
    if quarantine.is_dir():
        copies += sorted(quarantine.glob(f"{LOG}.*"))
    return [p for p in copies if p.is_file()]


def test_entries_are_kept_encrypted_and_add_up(store: Store) -> None:
    ef = make_engagement(store)
    log = SupervisionLog(store)
    log.add(entry(on=date(2026, 3, 2), hours=Decimal("1.5"), case=ef.id, learned=CANARY))
    log.add(entry(on=date(2026, 1, 5), hours=Decimal("2"), form=SupervisionForm.GROUP))
    log.add(entry(on=date(2026, 6, 1), hours=Decimal("0.75")))
    listed = SupervisionLog(store).entries()
    assert [e.on for e in listed] == [date(2026, 1, 5), date(2026, 3, 2), date(2026, 6, 1)]
    assert listed[1].case == ef.id and listed[1].learned == CANARY
    whole = totals(listed)
    assert (whole.sessions, whole.hours) == (3, Decimal("4.25"))
    assert (whole.individual_hours, whole.group_hours) == (Decimal("2.25"), Decimal("2"))
    spring = totals(listed, date(2026, 2, 1), date(2026, 6, 1))
    assert (spring.sessions, spring.hours) == (2, Decimal("2.25"))
    for path in store.root.rglob("*"):
        if path.is_file():
            assert CANARY.encode() not in path.read_bytes(), path
    assert every_copy(store)  # a copy after each write, for repairs


@pytest.mark.parametrize(
    ("values", "said"),
    [
        ({"on": date.today() + timedelta(days=30)}, "future"),
        ({"on": date(1989, 12, 31)}, "1990"),
        ({"hours": Decimal(0)}, "more than 0"),
        ({"hours": Decimal(-1)}, "more than 0"),
        ({"hours": Decimal("12.5")}, "At most 12"),
        ({"hours": Decimal("NaN")}, "finite number"),
        ({"supervisor": "  "}, "who supervised"),
        ({"learned": "x" * 20_001}, "20000"),
    ],
)
def test_implausible_entries_are_refused_and_said(values: dict[str, Any], said: str) -> None:
    with pytest.raises(ValidationError, match=said):
        entry(**values)


def test_hours_are_read_as_coaches_type_them() -> None:
    assert parse_hours("1h30") == Decimal("1.50")
    assert parse_hours("1,5") == parse_hours("1.5") == parse_hours("90min") == Decimal("1.50")
    assert parse_hours("2h") == Decimal("2.00")
    for bad, said in (("abc", "not a number"), ("1e400", "1e\\+400 hours"), ("0", "more than 0")):
        with pytest.raises(ValueError, match=said):
            parse_hours(bad)


def test_a_case_is_an_engagement_of_this_store_never_a_name(store: Store) -> None:
    ef = make_engagement(store)
    log = SupervisionLog(store)
    for case in ("Camille Martin", ef.id[:6], ef.id.upper(), "zzzzzzzzzzzz"):
        with pytest.raises(UnknownCase, match="never a name"):
            log.add(entry(case=case))
    store.erase(ef.id)
    with pytest.raises(UnknownCase):
        log.add(entry(case=ef.id))
    assert log.entries() == []


def test_control_characters_are_cleaned_without_losing_the_rest(store: Store) -> None:
    saved = SupervisionLog(store).add(
        entry(supervisor="Anne\x1b[31m Sup\x00", learned="avant\x07après\x1b]0;titre\x07 fin")
    )
    (read,) = SupervisionLog(store).entries()
    assert read.supervisor == saved.supervisor == "Anne Sup\ufffd"
    assert read.learned == "avant\ufffdaprès fin"


def test_erasing_an_engagement_takes_its_case_out_of_the_log_and_every_copy(
    store: Store,
) -> None:
    ef = make_engagement(store)
    other = make_engagement(store, coachee="Julien Test")
    log = SupervisionLog(store)
    log.add(entry(case=ef.id, learned=CANARY, hours=Decimal(2)))
    log.add(entry(case=other.id, learned="Garde ceci"))
    # a copy a repair set aside, and a damaged copy that cannot be rewritten
    quarantine = store.root / "quarantine"
    quarantine.mkdir()
    (quarantine / f"{LOG}.20260101T000000Z").write_bytes((store.root / LOG).read_bytes())
    damaged = store.root / "backups" / LOG / "20200101T000000000000Z.bak"
    damaged.write_bytes((store.root / LOG).read_bytes()[:-5] + b"xxxxx")
    store.erase(ef.id)
    entries = SupervisionLog(store).entries()
    erased = next(e for e in entries if e.case_erased)
    # the coach's hours stay (a credential counts them); the case and the text go
    assert (erased.case, erased.learned, erased.hours) == (None, "", Decimal(2))
    assert any(e.case == other.id and e.learned == "Garde ceci" for e in entries)
    assert not damaged.exists()
    copies = every_copy(store)
    assert len(copies) >= 3
    for copy in copies:
        plain = json.dumps(decode(copy, copy.read_bytes(), store.master, LOG_ID))
        assert CANARY not in plain and ef.id not in plain, copy


def test_a_damaged_or_missing_log_is_said_and_restored_by_the_doctor(store: Store) -> None:
    log = SupervisionLog(store)
    log.add(entry(learned=CANARY))
    path = store.root / LOG
    good = path.read_bytes()
    path.write_bytes(good[:40] + b"garbage" + good[47:])
    store.cache.drop(path)
    with pytest.raises(StoreFileError):
        SupervisionLog(store).entries()
    with pytest.raises(StoreFileError):  # never written over
        SupervisionLog(store).add(entry())
    report = run_doctor(store.root, lambda: store)
    assert [f.problem for f in report.findings if f.path == path] == [
        "corrupt, or encrypted with another key"
    ]
    report = run_doctor(store.root, lambda: store, repair=True)
    (found,) = [f for f in report.findings if f.path == path]
    assert "nothing lost" in found.repaired
    assert [e.learned for e in SupervisionLog(store).entries()] == [CANARY]
    # Gone while its copies are there: an error, never a new log over the old.
    path.unlink()
    store.cache.drop(path)
    with pytest.raises(StoreFileError, match="missing"):
        SupervisionLog(store).add(entry())
    run_doctor(store.root, lambda: store, repair=True)
    assert len(SupervisionLog(store).entries()) == 1


def test_a_log_from_a_newer_aoi_is_refused_and_left_alone(store: Store) -> None:
    from aoi_tui.secure.storage import encode

    path = store.root / LOG
    path.write_bytes(encode({"_file": 99, "entries": []}, store.master, LOG_ID))
    with pytest.raises(StoreFileError, match="newer aoi"):
        SupervisionLog(store).add(entry())
    assert decode(path, path.read_bytes(), store.master, LOG_ID)["_file"] == 99


# -- the CLI ---------------------------------------------------------------------------------


def test_cli_adds_and_lists_with_totals_and_refuses_in_one_line(
    store: Store, cli_env: dict[str, str]
) -> None:
    ef = make_engagement(store)
    day = (date.today() - timedelta(days=1)).isoformat()
    added = aoi(cli_env, "supervision", "add", "--date", day, "--supervisor", "Anne",
                "--hours", "1h30", "--case", ef.id, "--learned", "-", stdin=CANARY)  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert aoi(cli_env, "supervision", "add", "--date", day, "--supervisor", "Groupe",
               "--hours", "2", "--group").returncode == 0  # fmt: skip
    listed = json.loads(aoi(cli_env, "supervision", "list", "--json").stdout)
    assert listed["totals"] == {
        "sessions": 2,
        "hours": "3.50",
        "individual_hours": "1.50",
        "group_hours": "2.00",
    }
    assert listed["entries"][0]["id"] == added.stdout.strip()
    human = aoi(cli_env, "supervision", "list").stdout
    assert ef.id in human and CANARY in human and "3.5 h" in human
    future = (date.today() + timedelta(days=10)).isoformat()
    for args, said in (
        (("--date", future, "--hours", "1"), "future"),
        (("--date", day, "--hours", "99"), "At most 12"),
        (("--date", day, "--hours", "1", "--case", "Camille Martin"), "never a name"),
        (("--date", "2026-02-30", "--hours", "1"), "not a date"),
    ):
        done = aoi(cli_env, "supervision", "add", "--supervisor", "X", *args)
        assert said in cli_error(done), done.stderr
    assert len(json.loads(aoi(cli_env, "supervision", "list", "--json").stdout)["entries"]) == 2


# -- the screen ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
async def test_screen_from_the_first_screen_lists_and_logs_at_80x24(
    store: Store, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    from textual.widgets import Input, OptionList, Select, Static

    from aoi_tui.config import i18n
    from aoi_tui.domain.vocabulary import Room
    from aoi_tui.screens.supervision import SupervisionScreen
    from tests.tui_support import demo_id, freeze, make_app, on_screen

    freeze(monkeypatch)
    i18n.set_language(lang)
    try:
        app = make_app(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("s")
            screen = await on_screen(pilot, SupervisionScreen)
            eid = demo_id(store)
            screen.query_one("#supervision-hours", Input).value = "90"
            screen.query_one("#supervision-supervisor", Input).value = "Anne"
            await pilot.press("ctrl+o")
            await pilot.pause()
            state = str(screen.query_one("#supervision-state", Static).render())
            assert "12" in state  # said, nothing saved
            assert SupervisionLog(store).entries() == []
            screen.query_one("#supervision-hours", Input).value = "1h30"
            screen.query_one("#supervision-case", Select).value = eid
            screen.query_one("#supervision-learned", Input).value = CANARY
            await pilot.press("ctrl+o")
            await pilot.pause()
            (saved,) = SupervisionLog(store).entries()
            assert (saved.case, saved.hours, saved.learned) == (eid, Decimal("1.50"), CANARY)
            listed = screen.query_one("#supervision-entries", OptionList)
            assert listed.option_count == 1
            assert eid in str(listed.get_option_at_index(0).prompt)
            assert "1.5 h" in str(screen.query_one("#supervision-totals", Static).render())
            for widget in screen.query("Input, Select, OptionList"):
                assert widget.region.right <= 80 and widget.region.bottom <= 23, widget
            # the N+1 comes in: a cover lies over the log
            app.room = Room.SPONSOR
            await pilot.pause()
            cover = screen.query_one(".cover", Static)
            assert cover.display and cover.region.height > 5
            app.room = Room.COACH
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, SupervisionScreen)
    finally:
        i18n.set_language("en")


async def test_the_palette_offers_the_log(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    from aoi_tui.config.i18n import t
    from aoi_tui.screens.commands import AoiCommands
    from tests.tui_support import freeze, make_app

    freeze(monkeypatch)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        names = [name for name, _, _ in AoiCommands(app.screen)._commands()]
        assert t("ui.palette.supervision") in names


def test_the_log_opens_after_a_passphrase_change(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Encrypted with the master key, which a new passphrase wraps anew: the log
    is the same, opened with the new passphrase only."""
    from aoi_tui.access.opening import open_store
    from aoi_tui.access.passphrase import change_passphrase

    SupervisionLog(store).add(entry(learned=CANARY))
    new = "une toute nouvelle phrase de passe"
    change_passphrase(store, new)
    monkeypatch.setenv("AOI_PASSPHRASE", new)
    reopened = open_store(store.root, None, use_keyring=False)
    assert [e.learned for e in SupervisionLog(reopened).entries()] == [CANARY]
