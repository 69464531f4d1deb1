"""The register of access requests (issue 16 §2) and the access export from the
TUI: a request's deadline is one month from receipt (the month's last day where
it has no such day), three with an extension and its reason; answered, it
leaves the engagements list; near its deadline the list says so in words; the
TUI writes a participant's answer into a folder, nothing of another's."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, Select, TabbedContent, TextArea

from aoi_tui.domain.access_requests import AccessRequest, add_months, due_soon
from aoi_tui.domain.models import GROUP, Agreement, Engagement, ExportRecord, Note
from aoi_tui.domain.participants import Participant
from aoi_tui.domain.vocabulary import Audience, Form, Room
from aoi_tui.store.store import Store
from tests.cli_support import aoi, cli_error
from tests.support import FIXED_NOW
from tests.tui_support import (
    freeze,
    make_app,
    notifications,
    on_screen,
    screen_text,
    wait_for,
)


def test_deadlines_follow_the_calendar() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)
    r = AccessRequest(participant="p", received=date(2026, 3, 31))
    assert r.deadline == date(2026, 4, 30)
    assert r.model_copy(update={"extended": True}).deadline == date(2026, 6, 30)
    assert due_soon(date(2026, 4, 30), date(2026, 4, 23)) and not due_soon(
        date(2026, 4, 30), date(2026, 4, 22)
    )


def test_the_register_through_the_cli(store: Store, cli_env: dict[str, str]) -> None:
    env = {**cli_env, "AOI_NOW": FIXED_NOW}  # 2026-11-23
    ef = store.create_engagement(
        Engagement(coachee="Élodie Le Goff", sponsor="Marc", agreement=Agreement())
    )
    store.refresh_summary(ef.id)
    done = aoi(env, "access-request", "add", ef.id, "--received", "2026-10-26", "--json")
    assert done.returncode == 0, done.stderr
    request = done.stdout.split('"id": "')[1].split('"')[0]
    listed = aoi(env, "engagement", "list")
    assert "ACCESS REQUEST: answer by 2026-11-26" in listed.stdout
    assert "future" in cli_error(
        aoi(env, "access-request", "add", ef.id, "--received", "2026-12-01")
    )
    line = cli_error(aoi(env, "access-request", "answer", ef.id, request, "--on", "2026-10-01"))
    assert "before it was received" in line
    assert aoi(env, "access-request", "extend", ef.id, request, "--reason", "x").returncode == 0
    assert "extended already" in cli_error(
        aoi(env, "access-request", "extend", ef.id, request, "--reason", "y")
    )
    assert "ACCESS REQUEST" not in aoi(env, "engagement", "list").stdout  # 2027-01-26 now
    answered = aoi(
        env, "access-request", "answer", ef.id, request, "--on", "2026-11-20",
        "--withheld", "a note naming a colleague",
    )  # fmt: skip
    assert answered.returncode == 0, answered.stderr
    shown = aoi(env, "access-request", "list", "--open")
    assert shown.stdout.strip() == "No access request."
    assert "answered 2026-11-20" in aoi(env, "access-request", "list", ef.id).stdout
    again = aoi(env, "access-request", "answer", ef.id, request, "--on", "2026-11-23")
    assert "answered already, on 2026-11-20" in cli_error(again)  # the first answer is kept
    (kept,) = store.engagement(ef.id).all(AccessRequest)
    assert kept.answered_on == date(2026, 11, 20) and kept.withheld == "a note naming a colleague"
    assert "no access request" in cli_error(
        aoi(env, "access-request", "answer", ef.id, "nope", "--on", "2026-11-20")
    )


async def test_the_access_screen_writes_one_participants_answer(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aoi_tui.screens.export import ExportScreen
    from aoi_tui.screens.subject_access import SubjectAccessScreen

    freeze(monkeypatch)
    people = [Participant(name=n, agreement=Agreement()) for n in ("Alice Durand", "Bruno Petit")]
    ef = store.create_engagement(
        Engagement(form=Form.TEAM, group="Équipe Nord", sponsor="Sophie Roy", participants=people)
    )
    store.refresh_summary(ef.id)
    for who, text in ((people[0].id, "canary-alice"), (people[1].id, "canary-bruno")):
        ef.insert(Note(session=1, phase="experience_review", text=text, about=[who]))
    ef.insert(Note(session=1, phase="experience_review", text="canary-group", about=[GROUP]))
    app = make_app(store, demo=False)
    async with app.run_test(size=(80, 24)) as pilot:
        export = ExportScreen(ef.id)
        app.push_screen(export)
        await on_screen(pilot, ExportScreen)  # the N+1's report says consent is missing
        export.query_one("#audience", Select).value = Audience.SUBJECT_ACCESS.value
        screen = await on_screen(pilot, SubjectAccessScreen)
        await pilot.press("ctrl+o")  # nobody chosen yet: said, nothing written
        await pilot.pause()
        assert app.screen is screen and "Choose" in notifications(pilot)[-1]
        screen.query_one("#access-person", Select).value = people[1].id
        await pilot.pause()
        document = screen.query_one("#access-document", TextArea).text
        assert "canary-bruno" in document and "canary-group" in document
        assert "canary-alice" not in document and "Alice" not in document
        app.room = Room.SPONSOR
        await pilot.pause()
        assert screen.has_class("-sponsor-safe")
        app.room = Room.COACH
        screen.query_one("#access-folder", Input).value = str(store.root / "answer")
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert "data folder" in notifications(pilot)[-1] and app.screen is screen
        folder = tmp_path / "answer"
        screen.query_one("#access-folder", Input).value = str(folder)
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: folder.exists() and len(list(folder.iterdir())) == 2)
        written = "".join(f.read_text("utf-8") for f in folder.iterdir())
        assert "canary-bruno" in written and "canary-alice" not in written
        records = store.engagement(ef.id).all(ExportRecord)
        assert {r.recipient for r in records} == {people[1].id}


async def test_the_access_screen_records_extends_and_answers_any_request(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """By keyboard at 80x24: two requests recorded, the newer one picked with the
    arrow keys, extended with its reason (once) and answered (once); the older one
    stays open with its deadline."""
    from aoi_tui.screens.subject_access import SubjectAccessScreen

    freeze(monkeypatch)  # 2026-11-23
    ef = store.create_engagement(
        Engagement(coachee="Élodie Le Goff", sponsor="Marc", agreement=Agreement())
    )
    store.refresh_summary(ef.id)
    app = make_app(store, demo=False)

    def requests() -> list[AccessRequest]:
        return sorted(store.engagement(ef.id).all(AccessRequest), key=lambda r: r.received)

    async def typed(selector: str, text: str, keys: bool = False) -> None:
        field = screen.query_one(selector, Input)
        field.focus()
        field.value = "" if keys else text
        if keys:
            await pilot.press(*text)

    async with app.run_test(size=(80, 24)) as pilot:
        screen = SubjectAccessScreen(ef.id)
        app.push_screen(screen)
        await on_screen(pilot, SubjectAccessScreen)
        await pilot.press("ctrl+r")  # the register's keys act on its tab only
        await pilot.pause()
        assert not requests()
        screen.query_one("#access-tabs", TabbedContent).active = "access-tab-requests"
        await pilot.pause()
        await wait_for(pilot, lambda: "^t Extend" in screen_text(pilot))
        shown = screen_text(pilot)
        assert "^t Extend" in shown and "^y Answered" in shown  # the footer at 80 columns
        await typed("#access-received", "2026-12-01")
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert "2026-12-01" in notifications(pilot)[-1] and not requests()
        for day in ("2026-10-26", "2026-11-02"):
            await typed("#access-received", day)
            await typed("#access-identity", "pièce d'identité vue")
            await pilot.press("ctrl+r")
            await wait_for(
                pilot, lambda day=day: day in [r.received.isoformat() for r in requests()]
            )
        older, newer = requests()
        assert older.deadline == date(2026, 11, 26) and newer.identity
        assert store.summary(ef.id).access_due == date(2026, 11, 26)
        listed = screen.query_one("#access-requests", OptionList)
        assert "2026-11-26" in str(listed.get_option_at_index(0).prompt)
        listed.focus()
        await pilot.press("home", "down")  # the newer one, not the oldest
        await pilot.pause()
        marks = [str(listed.get_option_at_index(i).prompt)[:2] for i in range(2)]
        assert marks == ["  ", "› "]  # which one the keys act on, in words, not colour alone
        await pilot.press("ctrl+t")  # no reason given: nothing changes
        await pilot.pause()
        assert "Say why" in notifications(pilot)[-1] and not any(r.extended for r in requests())
        await typed("#access-reason", "many documents", keys=True)
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: requests()[1].extended)
        assert requests()[1].deadline == date(2027, 2, 2) and not requests()[0].extended
        assert "2027-02-02" in notifications(pilot)[-1]
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert "extended already" in notifications(pilot)[-1]
        await typed("#access-answered", "2026-11-20")
        await typed("#access-withheld", "a note naming a colleague")
        await pilot.press("ctrl+y")  # the request still highlighted: the newer one
        await wait_for(pilot, lambda: not requests()[1].open)
        assert requests()[1].answered_on == date(2026, 11, 20) and requests()[0].open
        assert requests()[1].withheld == "a note naming a colleague"
        assert store.summary(ef.id).access_due == date(2026, 11, 26)  # the older one's
        await typed("#access-answered", "2026-11-23")
        await pilot.press("ctrl+y")  # answered twice: the first answer's day is kept
        await pilot.pause()
        assert "answered already" in notifications(pilot)[-1]
        assert requests()[1].answered_on == date(2026, 11, 20)
        listed.focus()
        await pilot.press("home")
        await pilot.press("ctrl+y")
        await wait_for(pilot, lambda: not requests()[0].open)
        assert "after its deadline" not in notifications(pilot)[-1]
        assert store.summary(ef.id).access_due is None


async def test_a_request_for_a_participant_erased_meanwhile(
    store: Store, cli_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The access screen open on Bruno's data and his request when another aoi
    erases him: recording, answering, extending or writing for him is said in
    one line and writes nothing; Alice's request is untouched."""
    from aoi_tui.screens.subject_access import SubjectAccessScreen
    from aoi_tui.store.participant_erasure import erase_participant

    freeze(monkeypatch)
    people = [Participant(name=n, agreement=Agreement()) for n in ("Alice Durand", "Bruno Petit")]
    ef = store.create_engagement(
        Engagement(form=Form.TEAM, group="Équipe Nord", sponsor="Sophie Roy", participants=people)
    )
    alice, bruno = (p.id for p in people)
    ef.insert(AccessRequest(participant=alice, received=date(2026, 11, 2)))
    ef.insert(AccessRequest(participant=bruno, received=date(2026, 11, 9)))
    ef.insert(Note(session=1, phase="experience_review", text="canary-bruno", about=[bruno]))
    store.refresh_summary(ef.id)
    app = make_app(store, demo=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = SubjectAccessScreen(ef.id)
        app.push_screen(screen)
        await on_screen(pilot, SubjectAccessScreen)
        screen.query_one("#access-person", Select).value = bruno
        await pilot.pause()
        screen.query_one("#access-tabs", TabbedContent).active = "access-tab-requests"
        listed = screen.query_one("#access-requests", OptionList)
        listed.focus()
        await pilot.press("end")  # Bruno's request
        erase_participant(store.engagement(ef.id), bruno)  # another aoi, meanwhile
        for key in ("ctrl+y", "ctrl+r"):
            await pilot.press(key)
            await pilot.pause()
            assert "no longer" in notifications(pilot)[-1], key
        screen.query_one("#access-reason", Input).value = "many documents"
        listed.focus()
        await pilot.press("end", "ctrl+t")  # the list now holds Alice's only
        await wait_for(pilot, lambda: store.engagement(ef.id).all(AccessRequest)[0].extended)
        screen.query_one("#access-folder", Input).value = str(tmp_path / "answer")
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert "no participant" in notifications(pilot)[-1] and app.screen is screen
        assert not (tmp_path / "answer").exists()
        (left,) = store.engagement(ef.id).all(AccessRequest)
        assert left.participant == alice and left.open
    # the CLI: no request, answer or export for him; one line each
    args = ("--participant", bruno)
    assert cli_error(
        aoi(cli_env, "access-request", "add", ef.id, *args, "--received", "2026-11-20")
    )
    assert cli_error(
        aoi(cli_env, "export", ef.id, "--subject-access", *args, "-o", str(tmp_path / "a"))
    )
    assert not (tmp_path / "a").exists()


def test_the_register_speaks_french_on_the_cli(store: Store, cli_env: dict[str, str]) -> None:
    """aoi --lang fr access-request: its answers and refusals in French (they were
    in English whatever the language)."""
    cli_env = {**cli_env, "AOI_NOW": FIXED_NOW}  # 2026-11-23
    ef = store.create_engagement(
        Engagement(coachee="Claire Dubois", sponsor="Marc", agreement=Agreement())
    )
    fr = ("--lang", "fr", "access-request")
    assert aoi(cli_env, *fr, "list").stdout.strip() == "Aucune demande d'accès."
    done = aoi(cli_env, *fr, "add", ef.id, "--received", "2026-10-26")
    assert done.stdout.startswith("Demande ") and "réponse au plus tard le" in done.stdout
    request = done.stdout.split()[1]
    assert "reçue le 2026-10-26" in aoi(cli_env, *fr, "list").stdout
    refused = cli_error(aoi(cli_env, *fr, "extend", ef.id, request, "--reason", " "))
    assert "dites pourquoi" in refused, refused
    refused = cli_error(aoi(cli_env, *fr, "answer", ef.id, "nope", "--on", "2026-11-20"))
    assert "aucune demande d'accès nope" in refused, refused
