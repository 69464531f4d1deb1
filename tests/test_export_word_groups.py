"""A collective engagement's documents in Word (issue 15 §4 over issue 13): the
report for each N+1, the group's recap, each participant's recap and the
confidential file, unzipped part by part, hold no item text and no name that
the same document in Markdown does not hold, whatever the group
(`test_group_confidentiality` proves the Markdown against the issue's rules),
and hold every one the Markdown holds."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings

from aoi_tui.exports import group_documents as docs
from aoi_tui.exports.confidential_file import build_confidential_file
from aoi_tui.exports.docx_file import docx_bytes
from aoi_tui.exports.group_markdown import (
    group_confidential_markdown,
    group_recap_markdown,
    group_report_markdown,
    participant_recap_markdown,
)
from aoi_tui.exports.group_word import (
    group_confidential_word,
    group_recap_word,
    group_report_word,
    participant_recap_word,
)
from aoi_tui.exports.render_word import WordDocument
from aoi_tui.store.store import Store
from tests.test_cli import aoi, ok, ok_json
from tests.test_export_word import _part_text
from tests.test_group_confidentiality import NAMES, SPONSORS, InMemory, groups


class WithTools(InMemory):
    def tools(self) -> list[Any]:
        return []


def word_text(doc: WordDocument) -> str:
    """Every XML part of the .docx, its character data and attribute values."""
    with zipfile.ZipFile(io.BytesIO(docx_bytes(doc))) as z:
        return "\n".join(
            _part_text(z.read(n)) for n in z.namelist() if n.endswith((".xml", ".rels"))
        )


def same_words(word: WordDocument, markdown: str, tokens: list[str]) -> None:
    found = word_text(word)
    for token in tokens:
        assert (token in found) == (token in markdown), (token, token in markdown)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(groups())
def test_a_groups_word_files_say_what_their_markdown_says_and_nothing_more(
    case: tuple[InMemory, list[dict[str, Any]]],
) -> None:
    ef, items = case
    eng = ef.eng
    tokens = [it["text"] for it in items]
    tokens += [n for name in NAMES for n in (name, name.split()[1])] + list(SPONSORS)
    for n1 in SPONSORS:
        try:
            report = docs.build_group_report(ef, n1)  # type: ignore[arg-type]
        except docs.NoSuchRecipient:
            continue
        same_words(group_report_word(report, "en"), group_report_markdown(report, "en"), tokens)
    recap = docs.build_group_recap(ef, 1)  # type: ignore[arg-type]
    same_words(group_recap_word(recap, "fr"), group_recap_markdown(recap, "fr"), tokens)
    for me in eng.participants:
        mine = docs.build_participant_recap(ef, 1, me.id)  # type: ignore[arg-type]
        same_words(
            participant_recap_word(mine, "en"), participant_recap_markdown(mine, "en"), tokens
        )
    whole = WithTools(ef.eng, ef.sessions_, ef.notes_, ef.actions_)
    cf = build_confidential_file(whole)  # type: ignore[arg-type]
    same_words(group_confidential_word(cf, "en"), group_confidential_markdown(cf, "en"), tokens)


def test_cli_writes_each_readers_word_file_of_a_team(
    store: Store, cli_env: dict[str, str], tmp_path: Path
) -> None:
    import docx

    env = {**cli_env, "AOI_NOW": "2026-11-23T10:00:00+01:00"}
    data = store.root
    eid = ok_json(
        aoi(env, data, "engagement", "new", "--group", "Ligne 3", "--form", "team",
            "--sponsor", "Marc Dubois", "--participant", "Claire Martin",
            "--participant", "Claude Roy", "--json")
    )["id"]  # fmt: skip
    for person in ("Claire", "Claude"):  # no report leaves before anyone consented
        ok(aoi(env, data, "participant", "consent", eid, person, "--date", "2026-11-20"))
    for args, name in (
        (("--shared",), "n1.docx"),
        (("--confidential",), "dossier.docx"),
    ):
        target = tmp_path / name
        ok(aoi(env, data, "export", eid, *args, "--format", "docx", "-o", str(target)))
        opened = docx.Document(str(target))
        assert opened.core_properties.author == "aoi"
        text = "\n".join(p.text for p in opened.paragraphs)
        assert "Ligne 3" in text
        assert "Ligne 3" not in (opened.core_properties.title or "")
    confidential = docx.Document(str(tmp_path / "dossier.docx"))
    header = "".join(p.text for p in confidential.sections[0].header.paragraphs)
    assert "CONFIDENTIAL" in header.upper()
    refused = aoi(env, data, "export", eid, "--shared", "--format", "docx", "-o", "-")
    assert refused.returncode != 0 and "standard output" in refused.stderr
