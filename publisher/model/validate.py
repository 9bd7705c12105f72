"""Turning a Located YAML document into a typed model, or into located problems.

Pydantic finds what is wrong; this module says it the way a writer of content needs to hear it:
where (file:line:col), which field, what was expected and what arrived, and "did you mean".
"""

from __future__ import annotations

import difflib
import types
import typing
from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from publisher.errors import Problem
from publisher.load.yamlfile import Loc, Located, Mark, dotted

M = TypeVar("M", bound=BaseModel)

_EXPECTED = {
    "string_type": "text",
    "int_type": "an integer",
    "int_parsing": "an integer",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
}


def validate(doc: Located, model: type[M]) -> tuple[M | None, list[Problem]]:
    """Validate `doc` against `model`; on failure return every problem, located."""
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        return None, problems_from(exc, doc, model)


def problems_from(exc: ValidationError, doc: Located, model: type[BaseModel]) -> list[Problem]:
    """Located problems for every error pydantic found, one per place."""
    grouped: dict[Loc, list[ErrorDetails]] = {}
    for error in exc.errors():
        grouped.setdefault(_data_loc(doc.data, error["loc"], error["type"]), []).append(error)
    return [_problem(doc, model, loc, errors) for loc, errors in grouped.items()]


def _data_loc(data: Any, loc: tuple[int | str, ...], kind: str) -> Loc:
    """Drop the steps pydantic adds for union members, keeping only steps into the data."""
    kept: list[int | str] = []
    for i, step in enumerate(loc):
        last_key = i == len(loc) - 1 and kind in ("missing", "extra_forbidden")
        if isinstance(data, dict) and isinstance(step, str) and (step in data or last_key):
            kept.append(step)
            data = data.get(step)
        elif isinstance(data, list) and isinstance(step, int) and step < len(data):
            kept.append(step)
            data = data[step]
    return tuple(kept)


def _problem(doc: Located, model: type[BaseModel], loc: Loc, errors: list[ErrorDetails]) -> Problem:
    kind = errors[0]["type"]
    field = dotted(loc)
    if kind == "missing":
        mark = doc.mark(loc[:-1])
        return Problem(doc.path, mark.line, mark.col, field, "required field is missing")
    if kind == "extra_forbidden":
        mark = doc.key_mark(loc)
        return Problem(doc.path, mark.line, mark.col, field, _unknown(model, loc))
    mark = doc.mark(loc)
    return Problem(doc.path, mark.line, mark.col, field, _message(errors, mark))


def _unknown(model: type[BaseModel], loc: Loc) -> str:
    allowed = _fields_at(model, loc[:-1])
    name = str(loc[-1])
    close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
    if close:
        return f"unknown field; did you mean '{close[0]}'?"
    if allowed:
        return f"unknown field; expected one of: {', '.join(sorted(allowed))}"
    return "unknown field"


def _fields_at(model: type[BaseModel], loc: Loc) -> list[str]:
    """The field names allowed at `loc` inside `model`, found by walking the annotations."""
    current: Any = model
    for step in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            if not isinstance(step, str) or step not in current.model_fields:
                return []
            current = current.model_fields[step].annotation
        else:
            args = typing.get_args(current)
            current = args[-1] if args else None
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(tp: Any) -> Any:
    """The model class inside Optional[...] or Annotated[...], if there is exactly one."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            models = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(models) != 1:
                return tp
            tp = models[0]
        else:
            return tp


def _message(errors: list[ErrorDetails], mark: Mark) -> str:
    first = errors[0]
    if first["type"] in ("value_error", "assertion_error"):
        return str(first.get("ctx", {}).get("error", first["msg"]))
    if first["type"] == "literal_error":
        expected = first.get("ctx", {}).get("expected")
        return f"expected one of {expected}, got {_got(first, mark, hint=False)}"
    if first["type"] == "too_short":
        return "must not be empty"
    if first["type"] == "string_pattern_mismatch":
        return f"{_got(first, mark)} does not have the expected form"
    expected = [_EXPECTED.get(e["type"], e["msg"].lower()) for e in errors]
    unique = list(dict.fromkeys(expected))
    wanted = ", ".join(unique[:-1]) + (" or " if len(unique) > 1 else "") + unique[-1]
    return f"expected {wanted}, got {_got(first, mark)}"


def _got(error: ErrorDetails, mark: Mark, hint: bool = True) -> str:
    value = error.get("input")
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if mark.text is None or mark.quoted:
        return repr(value)
    if isinstance(value, str):
        return repr(mark.text)
    return mark.text + (_yaml_reading(value) if hint else "")


def _yaml_reading(value: object) -> str:
    """Why an unquoted scalar is not text: YAML read it as something else."""
    if isinstance(value, bool):
        return f" (YAML reads it as {str(value).lower()}; put it in quotes)"
    if isinstance(value, int | float):
        return f" (YAML reads it as the number {value}; put it in quotes)"
    if isinstance(value, date):
        return " (YAML reads it as a date; put it in quotes)"
    if value is None:
        return " (YAML reads it as empty)"
    return ""
