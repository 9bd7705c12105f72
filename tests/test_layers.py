"""The layers the folders promise, read off the imports: nothing imports upward, and no two parts
of the package import each other, at module level, inside functions or for type checking alike.

The layers, top to bottom, are those of README's "How the code is laid out".
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGE = REPO / "publisher"
LAYERS: list[tuple[str, ...]] = [
    ("cli", "__main__", "exits", "commands"),
    ("serve",),
    ("build", "mailout", "report", "scaffold", "stamp"),
    ("check",),
    ("pdf", "write", "notify"),
    ("render",),
    ("load",),
    ("model",),
    ("source", "errors", "clock", "reporter", "messages", "memo", "parallel", "files", "__init__"),
]
"""Each layer's parts: a part is a module or folder right under publisher/."""


def part_of(module: str) -> str:
    """`publisher.notify.ledger` → `notify`; `publisher` → `__init__`."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def layer_of(part: str) -> int:
    """The index of the layer `part` belongs to (0 is the top)."""
    for index, parts in enumerate(LAYERS):
        if part in parts:
            return index
    raise AssertionError(f"publisher/{part} is in no layer: add it to LAYERS and to the README")


def module_name(path: Path) -> str:
    """The dotted name of a file of the package."""
    name = ".".join(path.relative_to(REPO).with_suffix("").parts)
    return name.removesuffix(".__init__")


def imports(path: Path) -> Iterator[tuple[int, str]]:
    """Each `publisher…` module `path` imports (line, name), wherever the import stands."""
    package = module_name(path).rsplit(".", 1)[0] if path.name != "__init__.py" else None
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, a.name) for a in node.names if a.name.startswith("publisher"))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolved against the importing module's package
                anchor = (package or module_name(path)).split(".")
                base = ".".join(anchor[: len(anchor) - node.level + 1] + ([base] if base else []))
            if base.startswith("publisher"):
                yield node.lineno, base


def edges() -> list[tuple[str, int, str]]:
    """(importing file, line, imported module) for every import inside the package."""
    return [
        (path.relative_to(REPO).as_posix(), line, name)
        for path in sorted(PACKAGE.rglob("*.py"))
        for line, name in imports(path)
    ]


def test_the_reader_sees_every_kind_of_import(tmp_path: Path) -> None:
    """The measure itself: imports in functions, under TYPE_CHECKING and relative ones count."""
    sample = PACKAGE / "render" / "_layers_sample.py"
    sample.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from publisher.pdf.plan import PdfFile\n"
        "def f():\n    import publisher.check.runner\n"
        "from ..notify import ledger\n"
    )
    try:
        found = [name for _, name in imports(sample)]
    finally:
        sample.unlink()
    assert sorted(found) == ["publisher.check.runner", "publisher.notify", "publisher.pdf.plan"]


def test_every_part_has_a_layer() -> None:
    for path in PACKAGE.iterdir():
        if path.suffix == ".py" or (path.is_dir() and (path / "__init__.py").exists()):
            layer_of(path.stem)


def test_nothing_imports_upward() -> None:
    upward = [
        f"{where}:{line}: {part_of(module_name(REPO / where))} imports {name}"
        for where, line, name in edges()
        if layer_of(part_of(name)) < layer_of(part_of(module_name(REPO / where)))
    ]
    assert upward == []


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One cycle of `graph` as a path of nodes, or []."""
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> list[str]:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*trail[trail.index(nxt) :], nxt] if nxt in trail else [node, nxt]
            if nxt not in state and (found := visit(nxt, [*trail, nxt])):
                return found
        state[node] = 2
        return []

    for start in sorted(graph):
        if start not in state and (found := visit(start, [start])):
            return found
    return []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": {"c"}}) == []


def test_no_two_parts_import_each_other() -> None:
    graph: dict[str, set[str]] = {}
    for where, _, name in edges():
        mine, theirs = part_of(module_name(REPO / where)), part_of(name)
        if mine != theirs:
            graph.setdefault(mine, set()).add(theirs)
    assert _cycle(graph) == []


@pytest.mark.parametrize(
    ("library", "module"),
    [
        ("weasyprint", "publisher/pdf/engine.py"),
        ("sendgrid", "publisher/notify/sendgrid.py"),  # the client; the webhook's verifier aside
    ],
)
def test_each_outside_service_is_reached_from_one_module(library: str, module: str) -> None:
    users = {
        path.relative_to(REPO).as_posix()
        for path in PACKAGE.rglob("*.py")
        for name in _outside_imports(path)
        if name.split(".")[0] == library and not name.startswith("sendgrid.helpers.eventwebhook")
    }
    assert sorted(users) == [module]


def _outside_imports(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module
