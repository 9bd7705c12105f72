"""The one error module: every exception class of the package is defined in publisher/errors.py,
and drawn in its docstring."""

from __future__ import annotations

import ast
import builtins
import inspect
import re
from pathlib import Path

import publisher.errors
from publisher.source import dotted
from tests.conftest import REPO

PACKAGE = REPO / "publisher"
ERRORS = PACKAGE / "errors.py"
BUILTIN_EXCEPTIONS = {
    name
    for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException)
}


def exception_classes(path: Path, known: set[str]) -> list[str]:
    """The classes of the module at `path` that derive from an exception: a builtin one, one in
    `known`, one defined earlier in the module, or any base named like one (`...Error`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found: list[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        names = [_name(base) for base in node.bases]
        if any(_is_exception(n, known | set(found)) for n in names):
            found.append(node.name)
    return found


def _name(base: ast.expr) -> str:
    if isinstance(base, ast.Attribute):
        return base.attr
    return base.id if isinstance(base, ast.Name) else ""


def _is_exception(name: str, known: set[str]) -> bool:
    suffixes = ("Error", "Exception", "Exit", "Interrupt", "Warning")
    return name in BUILTIN_EXCEPTIONS or name in known or name.endswith(suffixes)


def test_every_exception_class_is_defined_in_the_errors_module() -> None:
    known = set(exception_classes(ERRORS, set()))
    elsewhere = [
        f"{path.relative_to(REPO).as_posix()}: {name}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != ERRORS
        for name in exception_classes(path, known)
    ]
    assert elsewhere == []


def test_the_walk_finds_exception_classes(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        "import x\nclass A(ValueError): ...\nclass B(A): ...\n"
        "class C(x.FatalURLFetchingError): ...\nclass D(NotifyError): ...\n"
        "class E: ...\nclass F(Protocol): ...\n"
    )
    assert exception_classes(module, {"NotifyError"}) == ["A", "B", "C", "D"]


def test_the_docstring_draws_every_exception_class_of_the_module() -> None:
    classes = [
        name
        for name, value in vars(publisher.errors).items()
        if inspect.isclass(value)
        and issubclass(value, BaseException)
        and value.__module__ == "publisher.errors"
    ]
    drawn = set(re.findall(r"[├└]── (\w+)", publisher.errors.__doc__ or ""))
    assert len(classes) > 10 and set(classes) <= drawn


def test_a_field_path_counts_list_items_from_1_as_lines_do() -> None:
    assert dotted(("sections", 0, "body")) == "sections[1].body"
    assert dotted(("facts", "leaked", "values", 2, "as_of")) == "facts.leaked.values[3].as_of"
    assert dotted(("regimes", 0)) == "regimes[1]"
    assert dotted(()) == ""
