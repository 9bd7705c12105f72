"""Property tests: random YAML and random mutations of the example never break `publisher check`.

Whatever the files hold, the loader and every rule answer with findings: never a traceback,
never a crash. Bounded (examples) so the suite stays fast; how fast check is belongs to bench/,
not to a timer here (a loaded machine made the timer fail).
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from publisher.check.runner import check_content
from publisher.errors import Problem
from tests.conftest import INCIDENT, RELEASE, REPO, SITE

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
EXAMPLE = REPO / "content"
EXAMPLE_FILES = sorted(p.relative_to(EXAMPLE).as_posix() for p in EXAMPLE.rglob("*.yaml"))
KEYS = [
    "title",
    "date",
    "kind",
    "facts",
    "timeline",
    "disclosure",
    "present",
    "unknown",
    "release",
    "notify",
    "values",
    "as_of",
    "value",
    "note",
    "text",
    "known",
    "reports",
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10, 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)),
    st.sampled_from(
        [
            "no",
            "1.10",
            "release:2020-07-29",
            "facts.leaked",
            "http://x.example/a",
            "{{ facts.nope }}",
            "{% for %}",
            "[a](release:9999-99-99)",
            "timeline",
        ]
    ),
    st.text(max_size=30),
)
trees = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), inner, max_size=5),
    ),
    max_leaves=25,
)


@contextmanager
def example_copy() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "content"
        shutil.copytree(EXAMPLE, root)
        yield root


def check(root: Path) -> list[Problem]:
    findings = check_content(root, ["appi", "gdpr", "ca"], REPO / "templates").findings
    assert all(f.severity in ("error", "warning") and f.rule for f in findings)
    return findings


@SETTINGS
@given(name=st.sampled_from(EXAMPLE_FILES), text=st.text(max_size=400))
def test_random_text_in_any_file_gives_findings_not_tracebacks(name: str, text: str) -> None:
    with example_copy() as root:
        (root / name).write_text(text, encoding="utf-8")
        check(root)


@SETTINGS
@given(name=st.sampled_from(EXAMPLE_FILES), data=trees)
def test_random_yaml_in_any_file_gives_findings(name: str, data: Any) -> None:
    with example_copy() as root:
        (root / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        found = check(root)
        if not isinstance(data, dict):
            assert found


def _paths(data: Any, at: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path into `data` (keys and list indexes)."""
    yield at
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*at, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _paths(value, (*at, i))


def _mutate(data: Any, path: tuple[Any, ...], how: str, new: Any) -> Any:
    if not path:
        return new if how == "replace" else data
    parent = data
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if how == "delete":
        del parent[last]
    elif how == "duplicate" and isinstance(parent, list):
        parent.insert(last, parent[last])
    elif how == "shift" and isinstance(parent[last], date):
        parent[last] = parent[last] + timedelta(days=new if isinstance(new, int) else 400)
    else:
        parent[last] = new
    return data


@SETTINGS
@given(
    name=st.sampled_from(EXAMPLE_FILES),
    pick=st.integers(min_value=0),
    how=st.sampled_from(["replace", "delete", "duplicate", "shift"]),
    new=trees,
)
def test_mutations_of_the_example_give_findings(name: str, pick: int, how: str, new: Any) -> None:
    with example_copy() as root:
        data = yaml.safe_load((root / name).read_text(encoding="utf-8"))
        paths = list(_paths(data))
        data = _mutate(data, paths[pick % len(paths)], how, new)
        (root / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        check(root)


@SETTINGS
@given(
    shift=st.integers(-400, 400),
    target=st.sampled_from(["discovered", "as_of", "known", "date"]),
)
def test_shifted_dates_in_the_example_give_findings(shift: int, target: str) -> None:
    with example_copy() as root:
        path = root / "incidents/emotet-2020/incident.yaml"
        text = path.read_text(encoding="utf-8")
        day = date(2020, 7, 29) + timedelta(days=shift)
        path.write_text(text.replace(f"{target}: 2020-07-29", f"{target}: {day}"), "utf-8")
        check(root)


def test_the_example_passes_under_its_regime() -> None:
    assert check_content(EXAMPLE, [], REPO / "templates").findings == []


def test_alias_bombs_and_deep_nesting_are_refused(tmp_path: Path) -> None:
    root = tmp_path / "content"
    release = root / "incidents/test/releases/2020-08-05.yaml"
    release.parent.mkdir(parents=True)
    (root / "site.yaml").write_text(SITE, encoding="utf-8")
    (root / "incidents/test/incident.yaml").write_text(INCIDENT, encoding="utf-8")
    bomb = "".join(f"l{i}: &l{i} [*l{i - 1}, *l{i - 1}, *l{i - 1}]\n" for i in range(1, 30))
    for text in (RELEASE + "l0: &l0 [x]\n" + bomb, RELEASE + "x: " + "[" * 5000 + "]" * 5000):
        release.write_text(text, encoding="utf-8")
        started = time.monotonic()
        found = check_content(root).findings
        assert time.monotonic() - started < 30  # a guard against a hang (3**29 nodes), no goal
        assert [f.rule for f in found] == ["schema"]


@SETTINGS
@given(
    lang=st.one_of(st.sampled_from(["ja", "en", "fr"]), st.from_regex(r"[a-z]{2}", fullmatch=True)),
    template=st.one_of(
        st.just("notice"), st.from_regex(r"[a-z0-9][a-z0-9_-]{0,8}", fullmatch=True)
    ),
    message=st.text(max_size=200),
)
def test_any_notify_block_gives_findings(lang: str, template: str, message: str) -> None:
    with example_copy() as root:
        path = root / "incidents/emotet-2020/releases/2020-11-14.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["lang"] = lang
        data["notify"].update(template=template, message=message or "x")
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        check(root)


ATOMS = [
    "facts.infected_pcs",
    "facts.leaked",
    "release.date",
    "1",
    "0",
    "'x'",
    "references",
    "measures.taken",
    "org.name",
    "none",
    "[]",
    "range(10**9)",
    "facts.nope",
    "strings",
]
OPERATORS = [
    (" + ", ""),
    (" / ", ""),
    (" % ", ""),
    ("[", "]"),
    (" | date_long(", ")"),
    (" | join(", ")"),
    (" ~ ", ""),
    (".", ""),
    (" | bullets(", ")"),
    ("(", ")"),
]
expressions = st.recursive(
    st.sampled_from(ATOMS),
    lambda inner: st.builds(
        lambda a, op, b: f"{a}{op[0]}{b}{op[1]}", inner, st.sampled_from(OPERATORS), inner
    ),
    max_leaves=4,
)


@SETTINGS
@given(expression=expressions)
def test_any_jinja_expression_in_prose_gives_findings(expression: str) -> None:
    with example_copy() as root:
        path = root / "incidents/emotet-2020/releases/2020-11-14.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["sections"][0]["body"] = "{{ " + expression + " }}"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        check(root)
