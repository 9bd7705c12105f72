"""The field reference and the JSON Schemas: current with the models, and true to the loader.

A YAML language server reads YAML 1.2, in which a bare 2020-07-29 is text; PyYAML reads it as a
date. The documents are checked here as the language server sees them (dates as ISO text), and
every broken document the schema refuses is one the loader refuses too.
"""

from __future__ import annotations

import copy
import json
import runpy
import shutil
import subprocess
import sys
import typing
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import msgspec
import pytest
import yaml

from publisher.model import schema
from publisher.model.project import Project
from publisher.model.reference import (
    DOCUMENTS,
    modeline,
    reference_markdown,
    schemas,
    words,
)
from publisher.write.schemas import write_schemas
from tests.conftest import INCIDENT, RELEASE, REPO, SITE

SCRIPT = REPO / "scripts" / "generate-reference"
REGENERATE = ".venv/bin/python scripts/generate-reference"
MODELS = {document.schema: document.model for document in DOCUMENTS}
Validator = jsonschema.Draft202012Validator


def _script() -> dict[str, Any]:
    return runpy.run_path(str(SCRIPT))


def test_the_committed_reference_and_schemas_are_what_the_models_make() -> None:
    stale = _script()["stale"](REPO)
    said = ", ".join(path.as_posix() for path in stale)
    assert not stale, f"stale: {said}; regenerate them with {REGENERATE}"


def test_check_passes_on_the_repository() -> None:
    run = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, timeout=60
    )
    assert (run.returncode, run.stderr) == (0, "")


def test_stale_files_are_found_and_rewritten(tmp_path: Path) -> None:
    script = _script()
    assert script["stale"](tmp_path) == list(script["generated"]())
    (tmp_path / "docs" / "schemas").mkdir(parents=True)
    (tmp_path / "docs" / "schemas" / "old.schema.json").write_text("{}")
    assert Path("docs/schemas/old.schema.json") in script["stale"](tmp_path)
    script["write"](tmp_path)
    assert script["stale"](tmp_path) == []
    assert not (tmp_path / "docs" / "schemas" / "old.schema.json").exists()


def test_write_schemas_writes_each_schema_into_the_folder(tmp_path: Path) -> None:
    written = write_schemas(tmp_path / "schemas")
    assert [path.name for path in written] == [document.schema for document in DOCUMENTS]
    assert {path.name: json.loads(path.read_text("utf-8")) for path in written} == schemas()
    assert modeline("../schemas/site.schema.json") == (
        "# yaml-language-server: $schema=../schemas/site.schema.json"
    )


def _models(kind: Any) -> Iterator[type[msgspec.Struct]]:
    if isinstance(kind, type) and issubclass(kind, msgspec.Struct):
        yield kind
        for info in msgspec.structs.fields(kind):
            yield from _models(info.type)
    for arg in typing.get_args(kind):
        yield from _models(arg)


ALL_MODELS = sorted(
    {m for document in DOCUMENTS for m in _models(document.model)}, key=lambda m: m.__name__
)


def test_every_field_of_every_model_has_a_description() -> None:
    assert len(ALL_MODELS) == 29  # FactWords, OrganizationWords: the record's words translated
    undescribed = [
        f"{model.__name__}.{info.name}"
        for model in ALL_MODELS
        for info in msgspec.structs.fields(model)
        if not any(
            isinstance(meta, msgspec.Meta) and meta.description
            for meta in typing.get_args(info.type)[1:]
        )
    ]
    assert undescribed == []


def test_the_reference_has_a_section_for_each_file_and_object() -> None:
    text = reference_markdown()
    for document in DOCUMENTS:
        assert f"\n## `{document.path}`\n" in text
    for model in ALL_MODELS:
        if model not in MODELS.values():
            assert f"\n### {model.__name__}\n" in text
    assert "| `publish_at` | date and time with its zone, like 2020-11-14T10:00+09:00 |" in text
    assert "| `email` | e-mail address or null | optional |" in text  # a release's contact


@pytest.mark.parametrize(
    ("kind", "said"),
    [
        (schema.IsoDate, "date like 2020-07-29"),
        (schema.Text | None, "text"),
        (typing.Annotated[list[schema.Domain], msgspec.Meta(min_length=1)],
         "list of domain names like example.jp (at least one)"),
        (int | str | list[schema.Text], "whole number, text or list of texts"),
        (typing.Literal["taken", "planned"], 'one of "taken" or "planned"'),
        (list[schema.Regime], 'list of "appi", "gdpr" or "ca"'),
        (dict[str, schema.Fact], "mapping of names to [Fact](#fact) entries"),
        (schema.TimeZoneName, "time zone name like Asia/Tokyo"),
    ],
)  # fmt: skip
def test_types_in_words(kind: Any, said: str) -> None:
    assert words(kind) == said


def test_a_type_without_words_is_refused() -> None:
    with pytest.raises(TypeError, match="no words for"):
        words(float)


def test_every_schema_is_a_valid_draft_2020_12_schema() -> None:
    for found in schemas().values():
        Validator.check_schema(found)
        assert found["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert found["additionalProperties"] is False
        assert all(d["additionalProperties"] is False for d in found.get("$defs", {}).values())


def _as_text(data: Any) -> Any:
    """`data` as a YAML language server sees it: dates and times as ISO text."""
    if isinstance(data, dict):
        return {key: _as_text(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_as_text(value) for value in data]
    return data.isoformat() if isinstance(data, date) else data


def _errors(name: str, data: Any) -> list[str]:
    validator = Validator(schemas()[name], format_checker=Validator.FORMAT_CHECKER)
    return [f"{e.json_path}: {e.message}" for e in validator.iter_errors(_as_text(data))]


EXAMPLE = REPO / "content"
EXAMPLES = [
    ("site.schema.json", EXAMPLE / "site.yaml"),
    ("incident.schema.json", EXAMPLE / "incidents" / "emotet-2020" / "incident.yaml"),
    *[
        ("release.schema.json", path)
        for path in sorted((EXAMPLE / "incidents" / "emotet-2020" / "releases").glob("*.yaml"))
    ],
]


@pytest.mark.parametrize(("name", "path"), EXAMPLES, ids=[p.name for _, p in EXAMPLES])
def test_the_bundled_example_passes_its_schema(name: str, path: Path) -> None:
    assert _errors(name, yaml.safe_load(path.read_text("utf-8"))) == []


def test_the_example_has_five_releases() -> None:
    assert len(EXAMPLES) == 7


PROJECT = {
    "content": "content",
    "templates": "templates",
    "out": "site",
    "cache": ".cache",
    "ledger": "notify.sqlite",
    "outbox": "outbox",
    "transport": "sendgrid",
    "regimes": ["appi", "gdpr"],
}
GOOD = {
    "publisher.schema.json": PROJECT,
    "site.schema.json": yaml.safe_load(SITE),
    "incident.schema.json": yaml.safe_load(INCIDENT),
    "release.schema.json": yaml.safe_load(RELEASE),
}


@pytest.mark.parametrize("name", GOOD)
def test_a_small_document_passes_both_its_schema_and_the_loader(name: str) -> None:
    assert _errors(name, GOOD[name]) == []
    schema.convert(GOOD[name], MODELS[name])


def _changed(name: str, path: tuple[str | int, ...], value: Any) -> Any:
    data = copy.deepcopy(GOOD[name])
    place = data
    for step in path[:-1]:
        place = place[step]
    place[path[-1]] = value
    return data


BROKEN = [
    ("site.schema.json", ("organization", "motto"), "x", "Additional properties"),
    ("site.schema.json", ("organization", "mail_domains"), ["Example.COM"], "does not match"),
    ("site.schema.json", ("organization", "web_domain"), "example", "does not match"),
    ("site.schema.json", ("organization", "mail_domains"), [], "should be non-empty"),
    ("site.schema.json", ("base_url",), "http://www.example.com/", "does not match"),
    ("site.schema.json", ("contact", "email"), "help at example.com", "is not valid"),
    ("site.schema.json", ("timezone",), "Asia Tokyo", "does not match"),
    ("site.schema.json", ("regimes",), ["hipaa"], "is not one of"),
    ("incident.schema.json", ("title",), " ", "does not match"),
    ("incident.schema.json", ("discovered",), "2020-02-30", "is not a 'date'"),
    ("incident.schema.json", ("category",), "virus", "is not one of"),
    ("incident.schema.json", ("facts", "infected_pcs", "values"), [], "should be non-empty"),
    ("incident.schema.json", ("facts", "infected_pcs", "values", 0, "value"), {}, "is not valid"),
    ("incident.schema.json", ("facts", "infected_pcs", "values", 0, "value"), 1.5, "not valid"),
    ("incident.schema.json", ("facts", "infected_pcs", "values", 0, "value"), True, "not valid"),
    ("incident.schema.json", ("timeline", 0, "when"), "2020-07-29", "Additional properties"),
    ("release.schema.json", ("titel",), "Notice", "Additional properties"),
    ("release.schema.json", ("kind",), "apology", "is not one of"),
    ("release.schema.json", ("draft",), "yes", "is not of type 'boolean'"),
    ("release.schema.json", ("sections",), "What happened", "is not of type 'array'"),
    ("release.schema.json", ("publish_at",), "2020-11-14T10:00", "is not valid"),
    ("release.schema.json", ("lang",), "english", "is not valid"),
    ("release.schema.json", ("notify",), {"subject": "a\nb"}, "is not valid"),
    ("publisher.schema.json", ("transport",), "pigeon", "is not one of"),
    ("publisher.schema.json", ("outbx",), "outbox", "Additional properties"),
]


@pytest.mark.parametrize(("name", "path", "value", "said"), BROKEN)
def test_a_broken_document_fails_both_its_schema_and_the_loader(
    name: str, path: tuple[str | int, ...], value: Any, said: str
) -> None:
    data = _changed(name, path, value)
    errors = _errors(name, data)
    assert errors and said in " ".join(errors)
    with pytest.raises(msgspec.ValidationError):
        schema.convert(data, MODELS[name])


ZONED = [
    "2020-11-14T10:00+09:00",
    "2020-11-14T10:00:00+09:00",
    "2020-11-14 10:00:00+09:00",
    "2020-11-14T10:00:00.5+09:00",
    "2020-11-14T10:00Z",
    "20201114T1000+0900",
]


@pytest.mark.parametrize("text", ZONED)
def test_every_form_of_publish_at_the_loader_takes_passes_the_schema(text: str) -> None:
    document = _changed("release.schema.json", ("publish_at",), text)
    assert _errors("release.schema.json", document) == []
    schema.convert(document, schema.Release)
    as_yaml = yaml.safe_load(f"publish_at: {text}")  # a datetime, when PyYAML reads it as one
    schema.convert({**document, **as_yaml}, schema.Release)


def test_a_project_file_may_set_any_field() -> None:
    assert set(PROJECT) == set(Project.__struct_fields__)


def _patterns(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                yield value
            else:
                yield from _patterns(value)
    elif isinstance(node, list):
        for value in node:
            yield from _patterns(value)


PATTERNS = sorted({p for found in schemas().values() for p in _patterns(found)})


def test_patterns_are_written_for_json_schema_not_for_python() -> None:
    assert len(PATTERNS) >= 9
    assert not [p for p in PATTERNS if "\\A" in p or "\\Z" in p]


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
def test_every_pattern_is_a_valid_ecma_262_regular_expression() -> None:
    """JSON Schema's patterns are JavaScript's; editors compile them with the `u` flag."""
    program = (
        "const ps = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "for (const p of ps) { try { new RegExp(p, 'u'); } catch (e) { console.log(p); } }"
    )
    run = subprocess.run(
        ["node", "-e", program], input=json.dumps(PATTERNS), capture_output=True, text=True
    )
    assert (run.returncode, run.stdout) == (0, "")


STARTER = sorted((REPO / "publisher" / "starter").rglob("*.yaml"))


@pytest.mark.parametrize("path", STARTER, ids=[p.relative_to(REPO).as_posix() for p in STARTER])
def test_a_starter_file_passes_the_schema_it_points_at(path: Path) -> None:
    first, _, _ = path.read_text("utf-8").partition("\n")
    pointer = first.removeprefix("# yaml-language-server: $schema=")
    assert pointer != first, f"{path}: no schema pointer on its first line"
    assert _errors(Path(pointer).name, yaml.safe_load(path.read_text("utf-8"))) == []
