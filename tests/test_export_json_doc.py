"""docs/export-json.md is the JSON exports' schema: it must say exactly what
the exporters write. Every table of the page is read here and compared with
what `build_export` produces for the demo engagement (the top-level fields)
and with the models behind it (every nested object, its fields, which may be
null and which are arrays), so the page cannot drift from the code."""

from __future__ import annotations

import json
import re
import types
from datetime import date
from pathlib import Path
from typing import Any, Union, get_args, get_origin

import pytest
from pydantic import BaseModel

from aoi_tui import demo
from aoi_tui.domain.models import Audience
from aoi_tui.exports.confidential_file import (
    ConfidentialFile,
    ConfidentialFileVersion1,
    ConfidentialFileVersion3,
)
from aoi_tui.exports.group_documents import GroupRecap, GroupReport, ParticipantRecap
from aoi_tui.exports.group_export import GROUP_RECAP_FORMAT, build_group_export
from aoi_tui.exports.session_recap import SessionRecap
from aoi_tui.exports.shared_report import SharedReport
from aoi_tui.exports.writing import (
    CONFIDENTIAL_FORMAT,
    JSON_VERSION,
    RECAP_FORMAT,
    SHARED_FORMAT,
    build_export,
)
from aoi_tui.store.store import Store

DOC = Path(__file__).resolve().parent.parent / "docs" / "export-json.md"
Root = tuple[Audience, type[BaseModel]]
ROOTS: dict[tuple[str, int], Root] = {
    # version 1: an individual engagement's documents, as before collective engagements
    (SHARED_FORMAT, 1): (Audience.SHARED, SharedReport),
    (CONFIDENTIAL_FORMAT, 1): (Audience.CONFIDENTIAL, ConfidentialFileVersion1),
    (RECAP_FORMAT, 1): (Audience.RECAP, SessionRecap),
    # version 2: a collective engagement's
    (SHARED_FORMAT, 2): (Audience.SHARED, GroupReport),
    (CONFIDENTIAL_FORMAT, 2): (Audience.CONFIDENTIAL, ConfidentialFile),
    (RECAP_FORMAT, 2): (Audience.RECAP, ParticipantRecap),
    (GROUP_RECAP_FORMAT, 2): (Audience.RECAP, GroupRecap),
    # version 3: a confidential file with planned sessions (issue 15)
    (CONFIDENTIAL_FORMAT, 3): (Audience.CONFIDENTIAL, ConfidentialFileVersion3),
}
INHERITS = {3: 2}
"""A version whose nested objects are those of an earlier one, documented once
there: its own tables are the top level and what it adds."""
ENVELOPE = ("format", "version", "lang")
HEADING = re.compile(r"^#{3,4} `(aoi-[a-z-]+)`(?: \(version (\d+)\))?(?: › `([a-z_.\[\]]+)`)?\s*$")
ROW = re.compile(r"^\| `([a-z_0-9]+)` \| ([^|]+(?:\\\|[^|]*)*) \| (.+) \|$")
Table = tuple[str, int, str]  # format, version, path ("" for the top level)


def documented() -> dict[Table, dict[str, str]]:
    """(format, version, path) → {field: type cell}, path "" for the top level."""
    tables: dict[Table, dict[str, str]] = {}
    current: Table | None = None
    for line in DOC.read_text("utf-8").splitlines():
        heading = HEADING.match(line)
        if heading:
            current = (heading.group(1), int(heading.group(2) or 1), heading.group(3) or "")
            assert current not in tables, f"{current} documented twice"
            tables[current] = {}
        elif line.startswith("#"):
            current = None
        elif current is not None and (row := ROW.match(line)):
            name, cell = row.group(1), row.group(2).replace("\\|", "|").strip()
            assert name not in tables[current], f"{current}: {name} twice"
            tables[current][name] = cell
    return tables


def fields_of(model: type[BaseModel], version: int) -> dict[str, Any]:
    """The fields a document of `version` writes: version 1 leaves out those added
    for collective engagements (written only when they say something); a field
    excluded from the dump (what only the prose says) is never written."""
    return {
        name: f
        for name, f in model.model_fields.items()
        if f.exclude is not True and (version > 1 or getattr(f, "exclude_if", None) is None)
    }


def _unwrap(annotation: Any) -> tuple[Any, bool, bool]:
    """(inner type, may be null, is an array)."""
    optional = False
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        optional = len(args) < len(get_args(annotation))
        annotation = args[0] if len(args) == 1 else annotation
    if get_origin(annotation) is list:
        return get_args(annotation)[0], optional, True
    return annotation, optional, False


def _model(annotation: Any) -> type[BaseModel] | None:
    inner, _, _ = _unwrap(annotation)
    return inner if isinstance(inner, type) and issubclass(inner, BaseModel) else None


def resolve(root: type[BaseModel], path: str, version: int) -> type[BaseModel]:
    model = root
    for part in path.split("."):
        field = fields_of(model, version)[part.removesuffix("[]")]
        _, _, is_list = _unwrap(field.annotation)
        assert is_list == part.endswith("[]"), f"{path}: write `{part}` as an array or not"
        found = _model(field.annotation)
        assert found is not None, f"{path}: {part} is not an object"
        model = found
    return model


def nested(
    root: type[BaseModel], version: int, path: str = ""
) -> list[tuple[str, type[BaseModel]]]:
    """Every object below `root`, with its path."""
    out = []
    for name, field in fields_of(root, version).items():
        sub = _model(field.annotation)
        if sub is None:
            continue
        _, _, is_list = _unwrap(field.annotation)
        here = f"{path}.{name}" if path else name
        here += "[]" if is_list else ""
        out.append((here, sub))
        out += nested(sub, version, here)
    return out


@pytest.fixture(scope="module")
def tables() -> dict[Table, dict[str, str]]:
    return documented()


def test_the_page_documents_every_format_of_each_version(
    tables: dict[Table, dict[str, str]],
) -> None:
    assert {(fmt, version) for fmt, version, _ in tables} == set(ROOTS)
    for fmt, version in ROOTS:
        top = tables[(fmt, version, "")]
        assert list(top)[:3] == list(ENVELOPE), fmt
        assert f'`"{fmt}"`' in DOC.read_text("utf-8")
    assert f"`{JSON_VERSION}`" in DOC.read_text("utf-8")


def a_group(store: Store) -> str:
    """A team with a session, a note, an action, a validation, a charter: every
    version-2 document has something in each of its lists."""
    from aoi_tui.domain.models import (
        GROUP,
        Action,
        Agreement,
        Charter,
        Engagement,
        Form,
        Participant,
        SessionKind,
        Visibility,
    )

    people = [
        Participant(name=n, agreement=Agreement(consent_date=date(2026, 11, 2)))
        for n in ("Claire", "Paul")
    ]
    ef = store.create_engagement(
        Engagement(
            form=Form.TEAM, group="Ligne 3", sponsor="Marc", participants=people, charter=Charter()
        )
    )
    session = ef.new_session(SessionKind.TEAM_AOI, attendance=[p.id for p in people])
    note = ef.add_note(session.number, "x", visibility=Visibility.SHAREABLE, about=[GROUP])
    action = Action(session=1, text="y", visibility=Visibility.SHAREABLE, about=[GROUP])
    for p in people:
        note.validate_by(p.id)
        action.validate_by(p.id)
    ef.update(note)
    ef.insert(action)
    return ef.id


def test_documented_top_level_fields_are_what_the_exports_write(
    store: Store, tables: dict[Table, dict[str, str]]
) -> None:
    individual, _ = demo.create_demo(store)  # Camille's: a session planned with its hour
    closed = demo.find_demo(store, demo.CLOSED_DEMO_COACHEE)  # Julien's: nothing planned
    group = a_group(store)
    for (fmt, version), (audience, model) in ROOTS.items():
        eid = individual if version != 2 else group
        if (fmt, version) == (CONFIDENTIAL_FORMAT, 1):
            assert closed is not None
            eid = closed
        if version != 2:
            made = build_export(store, eid, audience, "json", "fr", 1)
        else:
            first = store.engagement(eid).engagement().participants[0].id
            whose = first if fmt == RECAP_FORMAT else None  # a participant's, or the group's
            made = build_group_export(store, eid, audience, "json", "fr", 1, participant=whose)
        doc = json.loads(made.content)
        assert (doc["format"], doc["version"], doc["lang"]) == (fmt, version, "fr")
        assert list(tables[(fmt, version, "")]) == list(doc), f"{fmt}: the documented fields differ"
        assert list(doc) == [*ENVELOPE, *fields_of(model, version)], fmt


def test_every_nested_object_is_documented_field_by_field(
    tables: dict[Table, dict[str, str]],
) -> None:
    for (fmt, version), (_, root) in ROOTS.items():
        documented_models: set[type[BaseModel]] = set()
        for (table_fmt, table_version, path), fields in tables.items():
            inherited = table_fmt == fmt and INHERITS.get(version) == table_version and path
            if (table_fmt, table_version) != (fmt, version) and not inherited:
                continue
            if inherited and (fmt, version, path) in tables:
                continue  # documented again for this version: that table is the one
            model = resolve(root, path, version) if path else root
            documented_models.add(model)
            own = fields_of(model, version)
            want = [*ENVELOPE, *own] if not path else list(own)
            assert list(fields) == want, f"{fmt} {version} › {path or 'top level'}: fields differ"
            for name, field in own.items():
                _, optional, is_list = _unwrap(field.annotation)
                cell = fields[name]
                assert ("null" in cell) == optional, f"{fmt} › {path} › {name}: null or not?"
                assert cell.startswith("[") == is_list, f"{fmt} › {path} › {name}: array or not?"
        # A shape used in several places (a validation) is documented once.
        missing = {f"{path} ({model.__name__})" for path, model in nested(root, version)} - {
            f"{path} ({model.__name__})"
            for path, model in nested(root, version)
            if model in documented_models
        }
        assert missing == set(), f"{fmt} {version}: undocumented objects {sorted(missing)}"
