"""The field reference and the JSON Schemas of a project's files, both made from the models.

Neither is written by hand, so neither can drift from what the loader accepts: the schemas are
msgspec's (`msgspec.json.schema_components`) with each pattern made portable, the reference is
each field's type in words, whether it is required (or its default) and its `Meta(description)`.
Pure: publisher.write.schemas writes the schemas into a project, scripts/generate-reference
writes both into docs/.
"""

from __future__ import annotations

import json
import re
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import msgspec

from publisher.model import schema
from publisher.model.project import PROJECT_FILE, Project
from publisher.model.schema import Incident, Release, Site, Strict, Translation, json_schema_of

DRAFT = "https://json-schema.org/draft/2020-12/schema"


@dataclass(frozen=True)
class Document:
    """A kind of file a project holds: where it lies, its model, and its schema's file name."""

    path: str
    model: type[Strict]
    schema: str


DOCUMENTS = (
    Document(PROJECT_FILE, Project, "publisher.schema.json"),
    Document("content/site.yaml", Site, "site.schema.json"),
    Document("content/incidents/<id>/incident.yaml", Incident, "incident.schema.json"),
    Document("content/incidents/<id>/releases/<date>.yaml", Release, "release.schema.json"),
    Document(
        "content/incidents/<id>/releases/<date>.<lang>.yaml", Translation, "translation.schema.json"
    ),
)


def schemas() -> dict[str, dict[str, Any]]:
    """The JSON Schema of each kind of file, by its file name (site.schema.json, ...)."""
    return {document.schema: json_schema(document) for document in DOCUMENTS}


def schema_texts() -> dict[str, str]:
    """Each JSON Schema as the text of its file, by file name."""
    return {
        name: json.dumps(found, indent=2, ensure_ascii=False) + "\n"
        for name, found in schemas().items()
    }


def modeline(schema_url: str) -> str:
    """The first line of a YAML file that points a YAML language server at its schema."""
    return f"# yaml-language-server: $schema={schema_url}"


def json_schema(document: Document) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one kind of file: its model at the top, the rest in
    $defs; closed, as the models are."""
    _, defs = msgspec.json.schema_components(
        [document.model], schema_hook=json_schema_of, ref_template="#/$defs/{name}"
    )
    root = defs.pop(document.model.__name__)
    root.pop("title")
    found = {"$schema": DRAFT, "title": f"publisher: {document.path}", **root}
    if defs:
        found["$defs"] = defs
    return typing.cast(dict[str, Any], _portable(found))


def _portable(node: Any) -> Any:
    """`node` with every pattern in the dialect JSON Schema asks for (ECMA-262): `\\A` and
    `\\Z`, which the models use, are Python's; `^` and `$` mean the same in both."""
    if isinstance(node, list):
        return [_portable(item) for item in node]
    if not isinstance(node, dict):
        return node
    return {
        key: _ecma(value) if key == "pattern" and isinstance(value, str) else _portable(value)
        for key, value in node.items()
    }


def _ecma(pattern: str) -> str:
    anchors = {"A": "^", "Z": "$"}
    return re.sub(r"\\(.)", lambda m: anchors.get(m[1], m[0]), pattern)


# --- the reference, in words --------------------------------------------------------------


def _unpack(kind: Any) -> tuple[Any, list[msgspec.Meta]]:
    if typing.get_origin(kind) is not typing.Annotated:
        return kind, []
    base, *extras = typing.get_args(kind)
    return base, [e for e in extras if isinstance(e, msgspec.Meta)]


def _pattern(alias: Any) -> str:
    return next(m.pattern for m in _unpack(alias)[1] if m.pattern)


_TEXTS = {
    _pattern(schema.Text): ("text", "texts"),
    _pattern(schema.Line): ("one line of text", "one-line texts"),
    _pattern(schema.Domain): ("domain name like example.jp", "domain names like example.jp"),
    _pattern(schema.HttpsUrl): ("https:// URL", "https:// URLs"),
    _pattern(schema.Email): ("e-mail address", "e-mail addresses"),
    _pattern(schema.Lang): ("language code like ja or en-US", "language codes like ja or en-US"),
    _pattern(schema.Name): ("name of a-z, 0-9, _ and -", "names of a-z, 0-9, _ and -"),
    _pattern(schema.Slug): ("id of a-z, 0-9 and -", "ids of a-z, 0-9 and -"),
    _pattern(schema.FactPointer): ("fact like facts.unreached", "facts like facts.unreached"),
    _pattern(schema.Sha256): ("SHA-256 in hex (64 digits)", "SHA-256s in hex"),
}
_WORDS: dict[Any, tuple[str, str]] = {
    str: ("text", "texts"),
    int: ("whole number", "whole numbers"),
    bool: ("true or false", "true or false values"),
    date: ("date like 2020-07-29", "dates like 2020-07-29"),
    Any: (  # only a fact's value (schema.fact_datum checks it)
        "whole number, text, list of texts, date, or range {from: DATE, to: DATE}",
        "whole numbers, texts, lists of texts, dates or ranges {from: DATE, to: DATE}",
    ),
    schema.TimeZoneName: ("time zone name like Asia/Tokyo", "time zone names like Asia/Tokyo"),
    schema.ZonedDateTime: (
        "date and time with its zone, like 2020-11-14T10:00+09:00",
        "dates and times with their zone, like 2020-11-14T10:00+09:00",
    ),
}


def words(kind: Any, plural: bool = False) -> str:
    """The type `kind` in words a writer of content understands ("list of texts")."""
    kind, metas = _unpack(kind)
    least = " (at least one)" if any(m.min_length for m in metas) else ""
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = [o for o in typing.get_args(kind) if o not in (type(None), msgspec.UnsetType)]
        return _either([words(o, plural) for o in options])
    if origin is typing.Literal:
        return ("" if plural else "one of ") + _either([f'"{v}"' for v in typing.get_args(kind)])
    if origin is list:
        return (
            "list"
            + ("s" if plural else "")
            + " of "
            + words(typing.get_args(kind)[0], True)
            + least
        )
    if origin is dict:
        return "mapping of names to " + words(typing.get_args(kind)[1], True)
    if isinstance(kind, type) and issubclass(kind, Strict):
        return f"[{kind.__name__}](#{kind.__name__.lower()})" + (" entries" if plural else "")
    patterns = [m.pattern for m in metas if m.pattern]
    said = _TEXTS.get(patterns[0]) if kind is str and patterns else _WORDS.get(kind)
    if said is None:
        raise TypeError(f"no words for {kind!r}: add them to publisher/model/reference.py")
    return said[plural]


def _either(said: list[str]) -> str:
    return ", ".join(said[:-1]) + (" or " if len(said) > 1 else "") + said[-1]


def reference_markdown() -> str:
    """The field reference: a section for each kind of file and for each object nested in it."""
    parts = [_INTRO]
    done: set[type[Strict]] = set()
    for document in DOCUMENTS:
        parts.append(_file_section(document))
        for model, places in _nested(document.model):
            if model not in done:
                done.add(model)
                parts.append(_object_section(model, places, document.path))
    return "\n".join(parts)


_INTRO = """\
# Field reference

<!-- Generated from publisher/model/ by scripts/generate-reference: edit the models, not this. -->

Every field of the files a project is made of, as `publisher` reads them. A field that is not
listed is an error, and so is a value of another type: YAML's own readings are not trusted
(an unquoted `no` is not the text "no", `1.10` is not "1.10", a bare `2020-07-29` is a date).

The JSON Schemas of the same files are in [schemas/](schemas/): with a YAML language server
(the YAML extension of VS Code, for one), a first line such as
`# yaml-language-server: $schema=../docs/schemas/site.schema.json` (the path relative to the
YAML file) completes and checks the file as you write it. They cannot check what needs the
other files (a fact a release names, a release a link points at): `publisher check` does.

Where an object is used, `[]` stands for each item of a list and `<name>` for a key you choose.
"""


def _file_section(document: Document) -> str:
    return "\n".join(
        [
            f"## `{document.path}`",
            "",
            _summary(document.model, document.path),
            "",
            f"Schema: [{document.schema}](schemas/{document.schema})",
            "",
            _table(document.model),
        ]
    )


def _object_section(model: type[Strict], places: list[str], path: str) -> str:
    where = ", ".join(f"`{place}`" for place in places)
    return "\n".join(
        [
            f"### {model.__name__}",
            "",
            _summary(model),
            "",
            f"Used at {where} in `{path}`.",
            "",
            _table(model),
        ]
    )


def _summary(model: type[Strict], path: str = "") -> str:
    """The first paragraph of the model's docstring, without the file's path it may begin with."""
    said = (model.__doc__ or "").strip().split("\n\n")[0].replace("\n", " ")
    said = said.removeprefix(f"{path}: ") if path else said
    return _cell(said[:1].upper() + said[1:])


def _table(model: type[Strict]) -> str:
    rows = ["| field | type | required or default | description |", "|---|---|---|---|"]
    for info in msgspec.structs.fields(model):
        cells = (f"`{info.name}`", _type_words(info), _default(info), _description(model, info))
        rows.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(rows) + "\n"


def _type_words(info: msgspec.structs.FieldInfo) -> str:
    said = words(info.type)
    base, _ = _unpack(info.type)
    nullable = type(None) in typing.get_args(base)
    return said + (" or null" if nullable and info.default is not None else "")


def _default(info: msgspec.structs.FieldInfo) -> str:
    if info.required:
        return "required"
    value = info.default_factory() if info.default is msgspec.NODEFAULT else info.default
    if isinstance(value, bool):
        return f"default: `{str(value).lower()}`"
    if value and isinstance(value, str | int):
        return f"default: `{value}`"
    return "optional"


def _description(model: type[Strict], info: msgspec.structs.FieldInfo) -> str:
    for meta in _unpack(info.type)[1]:
        if meta.description:
            return meta.description
    raise ValueError(f"{model.__name__}.{info.name} has no Meta(description=...)")


def _nested(model: type[Strict], at: str = "") -> Iterator[tuple[type[Strict], list[str]]]:
    """Every model nested in `model`, in the order of its fields, with the places it is used."""
    places: dict[type[Strict], list[str]] = {}
    for inner, place in _uses(model, at):
        places.setdefault(inner, []).append(place)
    yield from places.items()


def _uses(model: type[Strict], at: str) -> Iterator[tuple[type[Strict], str]]:
    for info in msgspec.structs.fields(model):
        for inner, suffix in _models_in(info.type):
            place = f"{at}{info.name}{suffix}"
            yield inner, place
            yield from _uses(inner, place + ".")


def _models_in(kind: Any, suffix: str = "") -> Iterator[tuple[type[Strict], str]]:
    """The models a value of `kind` may be, with the path from the field to each."""
    kind, _ = _unpack(kind)
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        for option in typing.get_args(kind):
            yield from _models_in(option, suffix)
    elif origin is list:
        yield from _models_in(typing.get_args(kind)[0], suffix + "[]")
    elif origin is dict:
        yield from _models_in(typing.get_args(kind)[1], suffix + ".<name>")
    elif isinstance(kind, type) and issubclass(kind, Strict):
        yield kind, suffix


def _cell(text: str) -> str:
    """`text` for a Markdown table cell: `|` escaped, and `<` outside code spans."""
    pieces = text.replace("|", "\\|").split("`")
    return "`".join(p if i % 2 else p.replace("<", "&lt;") for i, p in enumerate(pieces))
