"""Builds that overlap on one --out: whatever the interleaving, the site left is one build's
whole output (its SHA256SUMS verifies), and the next build does what it should.

The deterministic cases run the other build inside the first, at each point where the first
touches the output or its stamp; the last case races real processes.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from publisher.build import BuildConfig, build_site
from publisher.pdf.options import PdfOptions
from publisher.reporter import NullReporter
from tests.conftest import REPO, MakeTree

PAGE = "test/2020-08-05/index.html"  # differs between a PDF and an HTML-only build (PDF link)
Tree = dict[str, bytes]


def _tree(out: Path) -> Tree:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def _verifies(out: Path) -> bool:
    """`sha256sum -c SHA256SUMS` passes, and the manifest lists every file but itself."""
    check = subprocess.run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=out, check=False)
    listed = {line.split("  ", 1)[1] for line in (out / "SHA256SUMS").read_text().splitlines()}
    return check.returncode == 0 and listed == set(_tree(out)) - {"SHA256SUMS"}


def _always(*args: Any) -> bool:
    return True


def _linking_page(source: Any, target: Any, *rest: Any) -> bool:
    return str(target).endswith(PAGE)


def _staging_page(target: Any, *rest: Any) -> bool:
    return str(target).endswith(PAGE)


# Where the other build runs: (module, function, before or after the call, which call).
POINTS: dict[str, tuple[str, str, str, Callable[..., bool]]] = {
    "as it links a file carried over": ("os", "link", "before", _linking_page),
    "while it stages its files": ("publisher.write.site", "_stage", "before", _staging_page),
    "between its staging and its swap": ("publisher.write.site", "_swap", "before", _always),
    "between its swap and its signature": ("publisher.write.site", "_swap", "after", _always),
    "before it records its stamp": ("publisher.build", "write_stamp", "before", _always),
}


def _run_inside(
    monkeypatch: pytest.MonkeyPatch, point: str, other: Callable[[], object]
) -> list[bool]:
    """Make `other` run once, at `point` of the next build; the list says whether it did."""
    module_name, name, when, chosen = POINTS[point]
    module = importlib.import_module(module_name)
    real = getattr(module, name)
    fired: list[bool] = []

    def hooked(*args: Any, **kwargs: Any) -> Any:
        now = not fired and chosen(*args)
        if now:
            fired.append(True)
        if now and when == "before":
            other()
        result = real(*args, **kwargs)
        if now and when == "after":
            other()
        return result

    monkeypatch.setattr(module, name, hooked)
    return fired


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The --cache of every build here (as the CLI makes it, for stamps and PDFs alike), one
    for the module: the PDF is rendered once, as a moved project keeps its cache."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture
def configs(make_tree: MakeTree, tmp_path: Path, cache: Path) -> dict[str, BuildConfig]:
    html = BuildConfig(make_tree(), REPO / "templates", tmp_path / "site", cache=cache)
    return {"pdf": replace(html, pdf=PdfOptions(1, cache)), "html": html}


@pytest.fixture
def references(configs: dict[str, BuildConfig], tmp_path: Path) -> dict[str, Tree]:
    """Each kind of build alone, in a folder of its own (renders the PDF into the cache)."""
    found = {}
    for kind, config in configs.items():
        alone = replace(config, out=tmp_path / f"alone-{kind}")
        build_site(alone, NullReporter())
        found[kind] = _tree(alone.out)
    assert found["pdf"][PAGE] != found["html"][PAGE]
    return found


@pytest.mark.parametrize("outer", ["pdf", "html"])
@pytest.mark.parametrize("point", POINTS)
def test_a_build_inside_another_leaves_a_whole_site_and_a_correct_next_build(
    configs: dict[str, BuildConfig],
    references: dict[str, Tree],
    monkeypatch: pytest.MonkeyPatch,
    point: str,
    outer: str,
) -> None:
    inner = "html" if outer == "pdf" else "pdf"
    out = configs[outer].out
    build_site(configs[outer], NullReporter())
    (out / "stray.txt").write_text("makes the next build a real one, carrying files over")
    fired = _run_inside(monkeypatch, point, lambda: build_site(configs[inner], NullReporter()))
    build_site(configs[outer], NullReporter())
    monkeypatch.undo()
    assert fired == [True]
    assert _verifies(out)
    assert _tree(out) in (references[outer], references[inner])
    for kind in (outer, inner, outer, outer):
        build_site(configs[kind], NullReporter())
        assert _tree(out) == references[kind], f"the {kind} build after the overlap"


def test_racing_build_processes_always_leave_a_site_that_verifies(
    configs: dict[str, BuildConfig], references: dict[str, Tree]
) -> None:
    config = configs["pdf"]
    out, options = config.out, {"pdf": ["--jobs", "1"], "html": ["--no-pdf"]}
    base = [sys.executable, "-m", "publisher", "build", "--quiet", "--out", str(out),
            "--cache", str(config.cache_folder), "--content", str(config.content),
            "--templates", str(REPO / "templates")]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    # Run from another folder, so that `out` is not the deploy folder (./site): a build into it
    # records the publication, and one without PDFs is refused once the record holds PDFs
    # (tests/test_history.py). Here the two kinds of build race for the site alone.
    elsewhere = out.parent / "elsewhere"
    elsewhere.mkdir()
    for _ in range(4):
        racing = [
            subprocess.Popen([*base, *options[kind]], env=env, cwd=elsewhere)
            for kind in ("pdf", "html")
        ]
        assert [p.wait(timeout=120) for p in racing] == [0, 0]
        assert _verifies(out)
        assert _tree(out) in (references["pdf"], references["html"])
        for kind in ("pdf", "html"):
            build_site(configs[kind], NullReporter())
            assert _tree(out) == references[kind], f"the {kind} build after the race"
    assert not (config.content / "publication.lock.yaml").exists()  # not the deploy folder
