"""Shared fixtures: the repository's paths, and small content trees written from dicts."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from publisher.load.themefolders import DEFAULT_THEME

if TYPE_CHECKING:
    from playwright.sync_api import Browser

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
SEED = FIXTURES / "seed-2020-11-14.txt"
"""The company's published text of the 11/14 final report (see tests/fixtures/README.md)."""
THEME = DEFAULT_THEME
"""The default theme, inside the package: tests copy it to override a file of it."""
CHROMIUM = "/usr/bin/chromium"
"""Debian's Chromium, which the browser tests drive through playwright (no browser download)."""
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Chromium, launched once for a test module."""
    from playwright.sync_api import sync_playwright  # only for the tests that look at pages

    assert Path(CHROMIUM).exists(), "Debian's chromium is needed: run `make setup`"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


SITE = """\
organization:
  name: Example Corp
  short_name: Example
  self_reference: we
  mail_domains: [example.com]
  web_domain: www.example.com
base_url: https://www.example.com/incidents/
language: en
contact:
  name: Example Help Desk
  email: help@example.com
"""

INCIDENT = """\
title: Test incident
discovered: 2020-07-29
category: malware
facts:
  infected_pcs:
    label: Infected PCs
    unit: " PCs"
    values:
      - {as_of: 2020-08-05, value: 11}
timeline:
  - date: 2020-07-29
    text: Found.
"""

RELEASE = """\
date: 2020-08-05
kind: first_notice
title: Notice
summary: Something happened.
sections:
  - heading: What happened
    body: "{{ facts.infected_pcs }} PCs."
"""

Files = dict[str, str | bytes]
MakeTree = Callable[..., Path]


@pytest.fixture(autouse=True)
def english_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """publisher's messages in English, whatever the site's language: the tests assert them so
    on the Japanese example (tests/test_messages.py unsets it to see Japanese)."""
    monkeypatch.setenv("PUBLISHER_MESSAGES", "en")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite golden files (review the diff!)"
    )


@pytest.fixture
def make_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> MakeTree:
    """Write a content tree under tmp_path/content (the minimal valid one, with `changes`).

    A value of None deletes a file; str values are dedented. The working directory becomes
    tmp_path, so messages name files as `content/...`.
    """
    monkeypatch.chdir(tmp_path)

    def make(changes: dict[str, str | bytes | None] | None = None) -> Path:
        files: dict[str, str | bytes | None] = {
            "site.yaml": SITE,
            "incidents/test/incident.yaml": INCIDENT,
            "incidents/test/releases/2020-08-05.yaml": RELEASE,
            **(changes or {}),
        }
        root = tmp_path / "content"
        for name, text in files.items():
            if text is None:
                continue
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(textwrap.dedent(text), encoding="utf-8")
        return root

    return make
