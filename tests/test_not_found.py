"""The page for a missing address (issue 14 item 4), in Chromium through the serve preview: at
any depth, under `/` and under the site's deployed path (`/incident/`, from base_url), it is
the site's own 404.html, answered 404, styled, and its links lead into the site."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from publisher.build import BuildConfig
from publisher.reporter import NullReporter
from publisher.serve import PreviewServer, ServeState, rebuild
from tests.conftest import REPO

STYLED = """() => ({
  sheets: [...document.styleSheets].filter(s => s.cssRules.length > 0).length,
  width: getComputedStyle(document.querySelector("main")).maxWidth,
  back: document.querySelector("main a").href,
})"""


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("not-found")
    config = BuildConfig(REPO / "content", REPO / "templates", root / ".preview", None)
    state = ServeState()
    rebuild(config, state, NullReporter())
    assert (state.error, state.root) == ("", "/incident/")
    server = PreviewServer(config.out, state, 0, NullReporter())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://localhost:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@pytest.mark.parametrize(
    "path",
    [
        "/no-such-page",
        "/no/such/page",
        "/incident/no/such/page",
        "/incident/emotet-2020/2099-01-01/",
        "/emotet-2020/2020-08-05/missing.pdf",
    ],
)
def test_a_missing_address_gets_the_styled_404_page(
    preview: str, browser: Browser, path: str
) -> None:
    page = browser.new_page()
    try:
        response = page.goto(preview + path)
        assert response is not None and response.status == 404
        assert page.locator("h1").inner_text() == "ページが見つかりません"
        styled = page.evaluate(STYLED)
        assert styled["sheets"] >= 1, "the stylesheet did not load"
        assert styled["width"] == "736px"  # main { max-width: 46rem }, from style.css
        assert styled["back"] == preview + "/incident/"
        back = page.goto(styled["back"])
        assert back is not None and back.status == 200
        assert page.locator("h1").inner_text() == "事案とリリース"
    finally:
        page.close()


def test_the_site_is_served_at_its_deployed_path_and_at_the_root(preview: str) -> None:
    import urllib.request

    for path in ("/emotet-2020/2020-08-05/", "/incident/emotet-2020/2020-08-05/"):
        with urllib.request.urlopen(preview + path, timeout=10) as answer:
            assert answer.status == 200
            assert "簡易調査の結果" in answer.read().decode("utf-8")


def test_a_site_at_the_host_root_links_from_slash(tmp_path: Path) -> None:
    from publisher.build import build_site
    from tests.conftest import INCIDENT, RELEASE, SITE

    content = tmp_path / "content"
    for name, text in {
        "site.yaml": SITE.replace("https://www.example.com/incidents/", "https://www.example.com"),
        "incidents/test/incident.yaml": INCIDENT,
        "incidents/test/releases/2020-08-05.yaml": RELEASE,
    }.items():
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        (content / name).write_text(text, encoding="utf-8")
    out = tmp_path / "site"
    build_site(BuildConfig(content, REPO / "templates", out), NullReporter())
    page = (out / "404.html").read_text(encoding="utf-8")
    assert '<link rel="stylesheet" href="/static/style.css">' in page
