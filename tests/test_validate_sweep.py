"""Every field of every content model, given values of every YAML shape, in a fresh process.

msgspec is a C extension: a fault in it (such as msgspec issue 717, a crash after converting to
a pattern-constrained text in a union with a list) takes the interpreter down at the next
garbage collection instead of raising. This sweep runs the validator the way a writer's mistakes
would, then collects garbage, and fails on anything but a clean exit.
"""

from __future__ import annotations

import subprocess
import sys
import types
import typing
from collections.abc import Iterator
from typing import Any

import msgspec

from publisher.model import schema
from tests.conftest import REPO

SWEEP = """
import gc, msgspec
from datetime import date, datetime
from publisher.model import schema
from publisher.model.validate import faults

SHAPES = [3, -1, 1.5, True, None, "", " ", "x", "2020-02-30", "Asia/Tokyo", "a@example.com",
          "https://example.com/", date(2020, 7, 29), datetime(2020, 7, 29, 10), [], [3], ["x"],
          [{}], {}, {"x": 1}]
models = [m for m in vars(schema).values()
          if isinstance(m, type) and issubclass(m, schema.Strict) and m is not schema.Strict]
seen = 0
for model in models:
    for field in msgspec.structs.fields(model):
        for shape in SHAPES:
            for _ in range(2):
                faults(shape, field.type)
                faults({field.name: shape}, model)
                seen += 1
    gc.collect()
print(len(models), seen)
"""


def test_validating_any_shape_of_any_field_never_crashes() -> None:
    run = subprocess.run(
        [sys.executable, "-X", "faulthandler", "-c", SWEEP],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    models, seen = map(int, run.stdout.split())
    assert models >= 15 and seen > 1000


def _unions(kind: Any, seen: set[int]) -> Iterator[tuple[Any, ...]]:
    """Every union reachable from `kind` through Annotated, list, dict and model fields."""
    if id(kind) in seen:
        return
    seen.add(id(kind))
    if typing.get_origin(kind) in (typing.Union, types.UnionType):
        yield typing.get_args(kind)
    if isinstance(kind, type) and issubclass(kind, msgspec.Struct):
        for field in msgspec.structs.fields(kind):
            yield from _unions(field.type, seen)
    for arg in typing.get_args(kind):
        yield from _unions(arg, seen)


def _is_pattern_text(kind: Any) -> bool:
    if typing.get_origin(kind) is not typing.Annotated:
        return False
    base, *extras = typing.get_args(kind)
    return base is str and any(isinstance(e, msgspec.Meta) and e.pattern for e in extras)


def _is_collection(kind: Any) -> bool:
    if typing.get_origin(kind) is typing.Annotated:
        kind = typing.get_args(kind)[0]
    return typing.get_origin(kind) in (list, dict) or kind in (list, dict)


def _crashing_unions(*roots: Any) -> list[tuple[Any, ...]]:
    seen: set[int] = set()
    return [
        union
        for root in roots
        for union in _unions(root, seen)
        if any(map(_is_pattern_text, union)) and any(map(_is_collection, union))
    ]


def test_no_union_has_the_shape_that_crashes_msgspec() -> None:
    assert _crashing_unions(int | schema.Text | list[schema.Text])  # the guard sees the shape
    assert _crashing_unions(schema.Site, schema.Incident, schema.Release) == []
