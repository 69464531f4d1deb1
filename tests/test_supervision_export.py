"""`aoi export ENGAGEMENT --supervision` as a coach runs it (issue 16 §1): the
case names no one in any format, the notes are only those picked (private ones
included), the preview with the original names reaches the terminal and never
the file, the supervisor is recorded, and every odd input gets one clear line."""

from __future__ import annotations

import html
import os
import re
import subprocess
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from aoi_tui.domain.models import (
    Agreement,
    Engagement,
    ExportRecord,
    Note,
    NoteKind,
    SessionKind,
)
from aoi_tui.domain.reflections import Reflection
from aoi_tui.store.engagement_file import EngagementFile
from aoi_tui.store.store import Store
from tests.cli_support import aoi, cli_error

START = date(2026, 3, 2)
NAMES = ("Élodie", "Le Goff", "Jean-Marc", "Bréhat", "Kermadec")
CANARY = "canari-0xC0FFEE"  # in a note the coach does not pick


def engagement(store: Store, supervised: bool = True) -> tuple[EngagementFile, dict[str, str]]:
    agreement = Agreement(
        consent_date=START,
        confidentiality="Rien ne sort sans Élodie.",
        coach_supervised=supervised,
    )
    ef = store.create_engagement(
        Engagement(
            coachee="Élodie Le Goff",
            sponsor="Jean-Marc Bréhat",
            coach="Claire Moreau",
            organisation="Kermadec Industries",
            agreement=agreement,
        )
    )
    for number in (1, 2):
        s = ef.new_session(SessionKind.KICKOFF if number == 1 else SessionKind.AOI)
        s.held_on = START + timedelta(days=14 * (number - 1))
        ef.update(s)
    at = datetime(2026, 3, 16, 9, tzinfo=UTC)
    picked = Note(
        session=2,
        phase="experience_review",
        kind=NoteKind.DIFFICULTY,
        text="ÉLODIE dit que **Jean-Marc** l'a recadrée le lundi 16 mars, à l'usine d'Ouessant "
        "(elodie.legoff@kermadec.fr). Et Rodolphe était là.",
        created_at=at,
    )
    left = Note(session=2, phase="experience_review", text=f"{CANARY} Élodie", created_at=at)
    ef.insert(picked)
    ef.insert(left)
    ef.insert(
        Reflection(
            session=2,
            reflections="J'ai pris parti pour Élodie contre M. Bréhat.",
            feelings="Agacé par Jean-Marc.",
            hypotheses="Élodie rejoue avec le N+1 ce qu'elle vit chez Kermadec.",
        )
    )
    return ef, {"picked": picked.id, "left": left.id}


def visible(text: str) -> str:
    """What a reader sees: without the page's style sheet, tags and entities."""
    text = re.sub(r"<style>.*?</style>", " ", text, flags=re.S)
    return html.unescape(re.sub(r"<[^>]*>", " ", text)).casefold()


def assert_names_no_one(text: str) -> None:
    seen = visible(text)
    for name in (*NAMES, "elodie", "legoff", "jean marc", "brehat", "@"):
        assert name.casefold() not in seen, name
    assert CANARY.casefold() not in seen


def docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "\n".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))


def exports_of(store: Store, ef: EngagementFile) -> list[ExportRecord]:
    return store.engagement(ef.id).all(ExportRecord)


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_a_case_names_no_one_and_holds_the_picked_notes_only(
    store: Store, cli_env: dict[str, str], tmp_path: Path, fmt: str
) -> None:
    ef, ids = engagement(store)
    out = tmp_path / f"case.{fmt}"
    done = aoi(
        cli_env,
        "--lang", "fr", "export", ef.id, "--supervision", "--format", fmt,
        "--note", ids["picked"], "--question", "Comment ne pas prendre parti pour Élodie ?",
        "--supervisor", "Dr Hélène Supervise", "-o", str(out),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    text = docx_text(out) if fmt == "docx" else out.read_text("utf-8")
    assert_names_no_one(text)
    seen = visible(text)
    # names the store does not know are flagged, not replaced: the coach reviews them
    assert "rodolphe" in seen and "ouessant" in seen
    assert "la personne accompagnée" in seen and "le n+1" in seen
    assert "séance 2" in seen and "semaine 3" in seen  # the typed date became a week
    assert "hélène supervise" not in seen  # the supervisor is recorded, not written
    # what was replaced, with the names, is said on the terminal, never in the file
    assert "Rodolphe" in done.stderr and "Ouessant" in done.stderr
    assert "Élodie" not in done.stderr
    (record,) = exports_of(store, ef)
    assert record.audience.value == "supervision" and record.format == fmt
    assert record.recipient == "Dr Hélène Supervise"


def test_the_preview_lists_the_original_names_and_writes_nothing(
    store: Store, cli_env: dict[str, str], tmp_path: Path
) -> None:
    ef, ids = engagement(store)
    done = aoi(
        cli_env, "--lang", "fr", "export", ef.id, "--supervision", "--note", ids["picked"],
        "--preview", "-o", str(tmp_path / "case.md"),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Élodie Le Goff" in done.stdout and "Jean-Marc Bréhat" in done.stdout
    assert "elodie.legoff@kermadec.fr" in done.stdout
    assert "Rodolphe" in done.stdout  # flagged
    assert CANARY not in done.stdout  # the notes not picked are not read into the case
    assert not (tmp_path / "case.md").exists()
    assert exports_of(store, ef) == []


def test_an_engagement_whose_agreement_does_not_say_so_is_warned_about(
    store: Store, cli_env: dict[str, str], tmp_path: Path
) -> None:
    ef, _ = engagement(store, supervised=False)
    out = tmp_path / "case.md"
    line = cli_error(aoi(cli_env, "export", ef.id, "--supervision", "-o", str(out)))
    assert "supervised" in line and "--anyway" in line
    assert not out.exists() and exports_of(store, ef) == []
    assert (
        aoi(cli_env, "export", ef.id, "--supervision", "--anyway", "-o", str(out)).returncode == 0
    )
    assert_names_no_one(out.read_text("utf-8"))


def test_a_note_of_another_engagement_or_unknown_is_refused(
    store: Store, cli_env: dict[str, str], tmp_path: Path
) -> None:
    ef, _ = engagement(store)
    other, other_ids = engagement(store)
    out = tmp_path / "case.md"
    for note in (other_ids["left"], "nope", ""):
        line = cli_error(
            aoi(cli_env, "export", ef.id, "--supervision", "--note", note, "-o", str(out))
        )
        assert "no note" in line
        assert CANARY not in line
    assert not out.exists() and exports_of(store, ef) == [] and exports_of(store, other) == []


def test_odd_targets_and_options(store: Store, cli_env: dict[str, str], tmp_path: Path) -> None:
    ef, _ = engagement(store)
    line = cli_error(
        aoi(cli_env, "export", ef.id, "--supervision", "-o", str(store.root / "case.md"))
    )
    assert "data folder" in line
    assert "json" in cli_error(aoi(cli_env, "export", ef.id, "--supervision", "--format", "json"))
    assert "--recap" in cli_error(
        aoi(cli_env, "export", ef.id, "--supervision", "--recap", "--session", "1")
    )
    assert cli_error(aoi(cli_env, "export", ef.id, "--supervision", "--shared"))
    # a folder: the default name inside it, which names no one
    folder = tmp_path / "cases"
    folder.mkdir()
    assert aoi(cli_env, "export", ef.id, "--supervision", "-o", str(folder)).returncode == 0
    (written,) = folder.iterdir()
    assert written.name.startswith(f"aoi-{ef.id[:8]}-supervision-") and written.suffix == ".md"
    # a FIFO is written into, as a shell's > does
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    assert aoi(cli_env, "export", ef.id, "--supervision", "-o", str(fifo)).returncode == 0
    assert_names_no_one(reader.communicate(timeout=30)[0].decode("utf-8"))
    assert fifo.exists() and not fifo.is_file()
    # a Word file never goes to standard output
    assert "Word" in cli_error(
        aoi(cli_env, "export", ef.id, "--supervision", "--format", "docx", "-o", "-")
    )


def test_an_erased_engagement_has_no_case(store: Store, cli_env: dict[str, str]) -> None:
    ef, _ = engagement(store)
    assert aoi(cli_env, "erase", ef.id, "--yes").returncode == 0
    line = cli_error(aoi(cli_env, "export", ef.id, "--supervision", "--anyway"))
    assert ef.id in line or "no engagement" in line


# -- one language: aoi's own words in an English case are English, and the reverse -----------

# French and English that aoi may write around a role (the test's list, not the code's)
_GRAMMAR = {
    "fr": {"au", "aux", "du", "de", "des", "que", "à", "la", "le", "les", "jusque", "lorsque"},
    "en": {"of", "to", "that", "the", "until", "when", "since", "although", "almost"},
}


def words_of(text: str) -> set[str]:
    return set(re.findall(r"[^\W\d_]+", visible(text)))


def ours(lang: str) -> set[str]:
    """Every word aoi's catalogs, the case's and the pseudonymiser's words say in `lang`."""
    import json

    from aoi_tui.config.i18n import catalog_folder
    from aoi_tui.exports.pseudonyms import EMAIL_LABEL, Name, Who, label

    texts = list(json.loads(catalog_folder().joinpath(f"{lang}.json").read_text("utf-8")).values())
    texts += [EMAIL_LABEL[lang]]  # the case's own words are in the catalog
    texts += [str(label(Name("x", who, n), lang)) for who in Who for n in (None, 2)]
    texts += ["séance semaine mois avant début"] if lang == "fr" else ["session week month before"]
    return {w for text in texts for w in words_of(text)} | _GRAMMAR[lang]


def test_an_english_case_has_no_french_words_of_ours_and_a_french_case_no_english_ones(
    store: Store,
) -> None:
    """French typed around names (à, au, du, d', qu', jusqu') in an English case,
    English (the, of) in a French one: every word of the case that was not typed
    is a word of the case's language, in Markdown, HTML and Word (an English case
    said "à the N+1", "de the coachee", "que the coachee")."""
    from aoi_tui.exports.supervision_export import build_supervision_export

    ef, ids = engagement(store)
    typed = (
        "Vu au Jean-Marc, puis chez Élodie : qu'Élodie parle du Bréhat jusqu'Élodie. "
        "Then the Jean-Marc talked of Élodie to Kermadec."
    )
    mixed = Note(session=2, phase="experience_review", text=typed)
    ef.insert(mixed)
    e = ef.engagement()
    all_typed = " ".join(
        [typed, e.agreement.confidentiality, "Une question ? A question?"]
        + [n.text for n in ef.notes()]
        + [f"{r.reflections} {r.feelings} {r.hypotheses}" for r in ef.all(Reflection)]
    )
    typed_words = words_of(all_typed)
    french, english = ours("fr"), ours("en")
    other_only = {"en": french - english, "fr": english - french}
    for lang in ("en", "fr"):
        for fmt in ("md", "html", "docx"):
            case = build_supervision_export(
                store, ef.id, fmt, lang, "Une question ? A question?", [ids["picked"], mixed.id]
            )
            text = case.export.content
            if case.export.document is not None:
                import io

                with zipfile.ZipFile(io.BytesIO(case.export.document)) as z:
                    text = " ".join(
                        re.sub(r"<[^>]*>", " ", z.read(n).decode("utf-8"))
                        for n in z.namelist()
                        if n.startswith("word/") and n.endswith(".xml")
                    )
            written_by_aoi = words_of(text) - typed_words
            assert not written_by_aoi & other_only[lang], (
                lang,
                fmt,
                written_by_aoi & other_only[lang],
            )
            if lang == "en":
                assert "to the n+1" in visible(text) and "that the coachee" in visible(text)
            else:
                assert "au n+1" in visible(text) and "que la personne accompagnée" in visible(text)


def test_the_preview_counts_in_each_language_with_its_plural() -> None:
    """The preview's summary and list come from the catalogs, with the plural of each
    language ('1 name', '2 dates'; French '0 nom'), not 'name(s)' in both."""
    from aoi_tui.exports.pseudonyms import Flagged, Preview, Replaced
    from aoi_tui.exports.supervision_export import preview_lines, summary

    preview = Preview(
        replaced=(
            Replaced("name", "Claire", "la personne accompagnée", "Claire Dubois", 1),
            Replaced("date", "12/03", "séance 2", "", 2),
        ),
        flagged=(Flagged("Bertrand", 3, "dit Bertrand"),),
    )
    assert summary(preview, "en").startswith(
        "1 name, 2 dates, 0 addresses replaced; 1 word to check (Bertrand)."
    )
    assert summary(preview, "fr").startswith(
        "1 nom, 2 dates, 0 adresse remplacés ; 1 mot à vérifier (Bertrand)."
    )
    assert "  date: 12/03 → séance 2  [2 times]" in preview_lines(preview, "en")
    assert "  Bertrand: « dit Bertrand »  [3 fois]" in preview_lines(preview, "fr")


def test_the_case_refuses_in_the_coachs_language(
    store: Store, cli_env: dict[str, str], tmp_path: Path
) -> None:
    """aoi --lang fr export --supervision: its refusals and engagement supervised's
    answer in French (they were in English whatever the language)."""
    ef, _ = engagement(store, supervised=False)
    fr = ("--lang", "fr")
    out = str(tmp_path / "case.md")
    line = cli_error(aoi(cli_env, *fr, "export", ef.id, "--supervision", "-o", out))
    assert "l'accord ne dit pas" in line and "--anyway" in line, line
    line = cli_error(aoi(cli_env, *fr, "export", ef.id, "--supervision", "--note", "nope"))
    assert "aucune note nope" in line, line
    said = aoi(cli_env, *fr, "engagement", "supervised", ef.id).stdout
    assert said.strip() == "L'accord dit que vous êtes supervisé·e.", said
