"""Turning a Located YAML document into a typed model, or into located problems.

msgspec converts a valid document in one call and stops at the first fault of an invalid one.
Only then does this module walk the document against the model's types, mapping by mapping and
list by list, so that every fault is found and said the way a writer of content needs to hear
it: where (file:line:col), which field, what was expected and what arrived, and "did you mean".
"""

from __future__ import annotations

import difflib
import functools
import re
import types
import typing
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

import msgspec

from publisher.errors import Problem
from publisher.messages import N_, _
from publisher.model.schema import EXPECTED_TEXT, Explain, convert
from publisher.source import Loc, Located, Mark, dotted

M = TypeVar("M")

_NAMES = {
    "str": N_("text"),
    "int": N_("an integer"),
    "bool": N_("true or false"),
    "array": N_("a list"),
    "object": N_("a mapping"),
    "date": N_("a date"),
    "datetime": N_("a date and time"),
}
_EXPECTED = re.compile(r"Expected `([^`]*)`, got `")


def validate(doc: Located, model: type[M]) -> tuple[M | None, list[Problem]]:
    """Validate `doc` against `model`; on failure return every problem, located."""
    try:
        return convert(doc.data, model), []
    except msgspec.ValidationError:
        return None, [_problem(doc, fault) for fault in faults(doc.data, model)]


@dataclass(frozen=True)
class Fault:
    """One thing wrong at one place: a missing or unknown field, or a value that does not fit."""

    loc: Loc
    kind: str  # "missing", "unknown" or "value"
    says: str = ""  # msgspec's words for a value
    expected: Any = None  # the declared type at `loc`, for a value
    allowed: tuple[str, ...] = ()  # the field names where an unknown one was given
    meant: str = ""  # the required field an unknown one is a misspelling of


def faults(data: Any, kind: Any, loc: Loc = ()) -> list[Fault]:
    """Every fault of `data` as a `kind`, walking into each mapping and list that has the shape
    the type asks for; a value of any other shape is one fault at its own place."""
    try:
        convert(data, kind)
    except msgspec.ValidationError as exc:
        said = str(exc).split(" - at `", 1)[0]
    else:
        return []
    shape = _shaped_like(data, kind)
    found: list[Fault] = []
    if isinstance(shape, type) and issubclass(shape, msgspec.Struct):
        found = _struct_faults(data, shape, loc)
        faulty = {f.loc for f in found}
        own = _own_check(data, shape, loc, "" if found else said)
        found += [f for f in own if f.loc not in faulty]
    elif typing.get_origin(shape) is list:
        (item,) = typing.get_args(shape)
        found = [f for i, value in enumerate(data) for f in faults(value, item, (*loc, i))]
    elif typing.get_origin(shape) is dict:
        value_kind = typing.get_args(shape)[1]
        found = [f for key, value in data.items() for f in faults(value, value_kind, (*loc, key))]
    return found or [Fault(loc, "value", said, kind)]


@functools.cache
def _fields(model: type[msgspec.Struct]) -> dict[str, msgspec.structs.FieldInfo]:
    return {f.name: f for f in msgspec.structs.fields(model)}


def _struct_faults(data: dict[Any, Any], model: type[msgspec.Struct], loc: Loc) -> list[Fault]:
    """The faults of a mapping read as `model`. A misspelt required field is one fault, at the
    misspelling: `summery` is an unknown field that means `summary`, not a second problem that
    `summary` is missing."""
    fields = _fields(model)
    allowed = tuple(fields)
    missing = [name for name, info in fields.items() if info.required and name not in data]
    found = []
    for key in (key for key in data if key not in fields):
        meant = difflib.get_close_matches(str(key), missing, n=1, cutoff=0.6)
        missing = [name for name in missing if name not in meant]
        found.append(Fault((*loc, key), "unknown", allowed=allowed, meant="".join(meant)))
    for name, info in fields.items():
        if name in data:
            found += faults(data[name], info.type, (*loc, name))
        elif name in missing:
            found.append(Fault((*loc, name), "missing"))
    return found


def _own_check(
    data: dict[Any, Any], model: type[msgspec.Struct], loc: Loc, said: str
) -> list[Fault]:
    """The model's own check (see schema.Strict), run on the values as written, so that it is
    said beside the faults of other fields. A Struct's constructor checks no types; a check of
    fields inside fields (`corrections[0].date: ...`) runs only in conversion, which `said`
    what it found."""
    try:
        model(**data)
    except ValueError as exc:
        said = str(exc)
    except Exception:  # values not of their types: the field faults say why
        pass
    name, _colon, message = said.partition(": ")
    field = _field_loc(name, data)
    return [Fault((*loc, *field), "value", message)] if field and message else []


_DOTTED = re.compile(r"\A[A-Za-z_]\w*(?:\[\d+\]|\.[A-Za-z_]\w*)*\Z")


def _field_loc(name: str, data: Any) -> Loc:
    """`corrections[0].date` as a Loc, if `data` holds a value there (else empty)."""
    if not _DOTTED.match(name):
        return ()
    loc: Loc = tuple(int(p) if p.isdigit() else p for p in re.findall(r"\w+", name))
    try:
        _at(data, loc)
    except (LookupError, TypeError):
        return ()
    return loc


def _shaped_like(data: Any, kind: Any) -> Any:
    """The one member of `kind` (through Annotated and unions) that is a model, a list or a
    mapping of the same shape as `data`; None if there is not exactly one."""
    matches = [
        member
        for member in _members(kind)
        if (isinstance(data, dict) and _is_mapping_type(member))
        or (isinstance(data, list) and typing.get_origin(member) is list)
    ]
    return matches[0] if len(matches) == 1 else None


def _options(kind: Any) -> list[Any]:
    """The types a value of `kind` may have, as declared (Annotated kept): the members of a
    union, but null and UNSET."""
    bare = _bare(kind)
    if typing.get_origin(bare) in (typing.Union, types.UnionType):
        return [option for arg in typing.get_args(bare) for option in _options(arg)]
    return [] if bare in (type(None), msgspec.UnsetType) else [kind]


def _members(kind: Any) -> list[Any]:
    """The types a value of `kind` may have, without Annotated."""
    return [_bare(option) for option in _options(kind)]


def _bare(kind: Any) -> Any:
    while typing.get_origin(kind) is typing.Annotated:
        kind = typing.get_args(kind)[0]
    return kind


def _is_mapping_type(kind: Any) -> bool:
    is_model = isinstance(kind, type) and issubclass(kind, msgspec.Struct)
    return is_model or typing.get_origin(kind) is dict


def _problem(doc: Located, fault: Fault) -> Problem:
    field = dotted(fault.loc)
    if fault.kind == "missing":
        mark = doc.mark(fault.loc[:-1])
        return Problem(doc.path, mark.line, mark.col, field, _("required field is missing"))
    if fault.kind == "unknown":
        mark = doc.key_mark(fault.loc)
        return Problem(doc.path, mark.line, mark.col, field, _unknown(fault))
    mark = doc.mark(fault.loc)
    return Problem(
        doc.path, mark.line, mark.col, field, _message(fault, _at(doc.data, fault.loc), mark)
    )


def _at(data: Any, loc: Loc) -> Any:
    for step in loc:
        data = data[step]
    return data


def _unknown(fault: Fault) -> str:
    if fault.meant:
        return _("unknown field; did you mean '{field}'? (a required field)").format(
            field=fault.meant
        )
    name = str(fault.loc[-1])
    close = difflib.get_close_matches(name, fault.allowed, n=1, cutoff=0.6)
    if close:
        return _("unknown field; did you mean '{field}'?").format(field=close[0])
    if fault.allowed:
        fields = ", ".join(sorted(fault.allowed))
        return _("unknown field; expected one of: {fields}").format(fields=fields)
    return _("unknown field")


def _message(fault: Fault, value: Any, mark: Mark) -> str:
    members = _members(fault.expected)
    if len(members) == 1 and typing.get_origin(members[0]) is typing.Literal:
        choices = _choices(typing.get_args(members[0]))
        said = _("expected one of {choices}, got {got}")
        return said.format(choices=choices, got=_got(value, mark, hint=False))
    if fault.says == EXPECTED_TEXT:
        return _("expected text, got {got}").format(got=_got(value, mark))
    explain = _explain(fault.expected, value)
    if explain is not None:
        return explain.says(value)
    expected = _EXPECTED.match(fault.says)
    if expected:
        names = [
            _(_NAMES[n]) if n in _NAMES else n for n in expected[1].split(" | ") if n != "null"
        ]
        said = _("expected {expected}, got {got}")
        return said.format(expected=_choices(names, quote=False), got=_got(value, mark))
    if "length >=" in fault.says:
        return _("must not be empty")
    if "matching regex" in fault.says:
        return _("{got} does not have the expected form").format(got=_got(value, mark))
    return fault.says


def _explain(kind: Any, value: Any) -> Explain | None:
    """The Explain of `kind` (or of its one non-null member), unless `value` is not even text
    where text is asked for: that is said as a wrong type."""
    options = _options(kind)
    if len(options) != 1 or typing.get_origin(options[0]) is not typing.Annotated:
        return None
    base, *extras = typing.get_args(options[0])
    if issubclass(base, str) and not isinstance(value, str):
        return None
    return next((e for e in extras if isinstance(e, Explain)), None)


def _choices(options: typing.Sequence[object], quote: bool = True) -> str:
    said = [repr(o) if quote else str(o) for o in options]
    if len(said) == 1:
        return said[0]
    return _("{some} or {last}").format(some=_(", ").join(said[:-1]), last=said[-1])


def _got(value: Any, mark: Mark, hint: bool = True) -> str:
    if isinstance(value, dict):
        return _("a mapping")
    if isinstance(value, list):
        return _("a list")
    if value is None and not mark.text:
        return _("nothing") + (_yaml_reading(value) if hint else "")
    if mark.text is None or mark.quoted:
        return repr(value)
    if isinstance(value, str):
        return repr(mark.text)
    return mark.text + (_yaml_reading(value) if hint else "")


def _yaml_reading(value: object) -> str:
    """Why an unquoted scalar is not text: YAML read it as something else."""
    if isinstance(value, bool):
        reads = _(" (YAML reads it as {value}; put it in quotes)")
        return reads.format(value=str(value).lower())
    if isinstance(value, int | float):
        return _(" (YAML reads it as the number {value}; put it in quotes)").format(value=value)
    if isinstance(value, date):
        return _(" (YAML reads it as a date; put it in quotes)")
    if value is None:
        return _(" (YAML reads it as empty)")
    return ""
