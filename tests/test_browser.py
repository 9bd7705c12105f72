"""The built site in a real browser: every page opened in headless Chromium and checked with
axe-core (WCAG 2.1 A and AA), screenshots of the final report at phone and desktop widths, and
the Nu HTML checker over every page and stylesheet.
"""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from publisher.build import BuildConfig, build_site
from publisher.reporter import NullReporter
from tests.conftest import REPO

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
ARTIFACTS = REPO / "tests" / "artifacts"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "site"
    build_site(BuildConfig(REPO / "content", REPO / "templates", out), NullReporter())
    return out


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def test_every_page_passes_axe_wcag21_aa(site: Path, server: str, browser: Browser) -> None:
    assert AXE.exists(), "axe-core is needed: run `make setup`"
    page = browser.new_page()
    checked = []
    for name in _pages(site):
        response = page.goto(server + name)
        assert response is not None and response.ok, name
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
        )
        violations = [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]
        assert violations == [], name
        checked.append(name)
    assert len(checked) == 8


def test_final_report_screenshots_at_phone_and_desktop(server: str, browser: Browser) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for label, width, height in (("phone", 390, 844), ("desktop", 1280, 900)):
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(server + "emotet-2020/2020-11-14/")
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not overflow, f"horizontal scrolling at {label} width"
        target = ARTIFACTS / f"2020-11-14-{label}.png"
        page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 10_000
        page.close()


def test_nu_html_checker_finds_no_errors(site: Path) -> None:
    java = shutil.which("java")
    assert java and VNU.exists(), "Java and vnu-jar are needed: run `make setup`"
    files = [str(site / name) for name in _pages(site)] + [str(site / "static" / "style.css")]
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", "--also-check-css", *files],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    assert [(m.get("url", "").rsplit("/site/", 1)[-1], m["message"]) for m in messages] == []
