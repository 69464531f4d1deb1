"""docs/export-json.md is the JSON exports' schema: it must say exactly what
the exporters write. Every table of the page is read here and compared with
what `build_export` produces for the demo engagement (the top-level fields)
and with the models behind it (every nested object, its fields, which may be
null and which are arrays), so the page cannot drift from the code."""

from __future__ import annotations

import json
import re
import types
from pathlib import Path
from typing import Any, Union, get_args, get_origin

import pytest
from pydantic import BaseModel

from aoi_tui import demo
from aoi_tui.domain.models import Audience
from aoi_tui.exports.confidential_file import ConfidentialFile
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
ROOTS: dict[str, tuple[Audience, type[BaseModel]]] = {
    SHARED_FORMAT: (Audience.SHARED, SharedReport),
    CONFIDENTIAL_FORMAT: (Audience.CONFIDENTIAL, ConfidentialFile),
    RECAP_FORMAT: (Audience.RECAP, SessionRecap),
}
ENVELOPE = ("format", "version", "lang")
HEADING = re.compile(r"^#{3,4} `(aoi-[a-z-]+)`(?: › `([a-z_.\[\]]+)`)?\s*$")
ROW = re.compile(r"^\| `([a-z_0-9]+)` \| ([^|]+(?:\\\|[^|]*)*) \| (.+) \|$")


def documented() -> dict[tuple[str, str], dict[str, str]]:
    """(format, path) → {field: type cell}, path "" for the top level."""
    tables: dict[tuple[str, str], dict[str, str]] = {}
    current: tuple[str, str] | None = None
    for line in DOC.read_text("utf-8").splitlines():
        heading = HEADING.match(line)
        if heading:
            current = (heading.group(1), heading.group(2) or "")
            assert current not in tables, f"{current} documented twice"
            tables[current] = {}
        elif line.startswith("#"):
            current = None
        elif current is not None and (row := ROW.match(line)):
            name, cell = row.group(1), row.group(2).replace("\\|", "|").strip()
            assert name not in tables[current], f"{current}: {name} twice"
            tables[current][name] = cell
    return tables


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


def resolve(root: type[BaseModel], path: str) -> type[BaseModel]:
    model = root
    for part in path.split("."):
        field = model.model_fields[part.removesuffix("[]")]
        _, _, is_list = _unwrap(field.annotation)
        assert is_list == part.endswith("[]"), f"{path}: write `{part}` as an array or not"
        found = _model(field.annotation)
        assert found is not None, f"{path}: {part} is not an object"
        model = found
    return model


def nested(root: type[BaseModel], path: str = "") -> list[tuple[str, type[BaseModel]]]:
    """Every object below `root`, with its path."""
    out = []
    for name, field in root.model_fields.items():
        sub = _model(field.annotation)
        if sub is None:
            continue
        _, _, is_list = _unwrap(field.annotation)
        here = f"{path}.{name}" if path else name
        here += "[]" if is_list else ""
        out.append((here, sub))
        out += nested(sub, here)
    return out


@pytest.fixture(scope="module")
def tables() -> dict[tuple[str, str], dict[str, str]]:
    return documented()


def test_the_page_documents_the_three_formats(
    tables: dict[tuple[str, str], dict[str, str]],
) -> None:
    assert {fmt for fmt, _ in tables} == set(ROOTS)
    for fmt in ROOTS:
        top = tables[(fmt, "")]
        assert list(top)[:3] == list(ENVELOPE), fmt
        assert f'`"{fmt}"`' in DOC.read_text("utf-8")
        assert f"`{JSON_VERSION}`" in DOC.read_text("utf-8")


def test_documented_top_level_fields_are_what_the_exports_write(
    store: Store, tables: dict[tuple[str, str], dict[str, str]]
) -> None:
    eid, _ = demo.create_demo(store)
    for fmt, (audience, model) in ROOTS.items():
        doc = json.loads(build_export(store, eid, audience, "json", "fr", 1).content)
        assert (doc["format"], doc["version"], doc["lang"]) == (fmt, JSON_VERSION, "fr")
        assert list(tables[(fmt, "")]) == list(doc), f"{fmt}: the documented fields differ"
        assert list(doc) == [*ENVELOPE, *model.model_fields], fmt


def test_every_nested_object_is_documented_field_by_field(
    tables: dict[tuple[str, str], dict[str, str]],
) -> None:
    for fmt, (_, root) in ROOTS.items():
        documented_models: set[type[BaseModel]] = set()
        for (table_fmt, path), fields in tables.items():
            if table_fmt != fmt:
                continue
            model = resolve(root, path) if path else root
            documented_models.add(model)
            want = [*ENVELOPE, *model.model_fields] if not path else list(model.model_fields)
            assert list(fields) == want, f"{fmt} › {path or 'top level'}: fields differ"
            for name, field in model.model_fields.items():
                _, optional, is_list = _unwrap(field.annotation)
                cell = fields[name]
                assert ("null" in cell) == optional, f"{fmt} › {path} › {name}: null or not?"
                assert cell.startswith("[") == is_list, f"{fmt} › {path} › {name}: array or not?"
        # A shape used in several places (a validation) is documented once.
        missing = {f"{path} ({model.__name__})" for path, model in nested(root)} - {
            f"{path} ({model.__name__})"
            for path, model in nested(root)
            if model in documented_models
        }
        assert missing == set(), f"{fmt}: undocumented objects {sorted(missing)}"
