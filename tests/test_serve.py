"""`publisher serve` as a user runs it: a real process on loopback, edited content, a bad file."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from publisher.build import BuildConfig
from publisher.reporter import NullReporter
from publisher.serve import ServeState, rebuild, watch
from tests.conftest import RELEASE as RELEASE_TEXT
from tests.conftest import REPO, THEME, MakeTree

RELEASE = "content/incidents/emotet-2020/releases/2020-08-05.yaml"
INCIDENT = "content/incidents/emotet-2020/incident.yaml"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    shutil.copytree(REPO / "content", tmp_path / "content")
    shutil.copytree(THEME, tmp_path / "templates")
    process = subprocess.Popen(
        [sys.executable, "-m", "publisher", "serve", "--port", "0"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    url = ""
    for line in process.stdout:
        if line.startswith("serving "):
            url = line.split()[1]
            break
    try:
        assert url.startswith("http://127.0.0.1:")
        yield url, tmp_path
        assert process.poll() is None, "the server stopped"
    finally:
        process.kill()
        process.communicate(timeout=10)


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def _status(url: str) -> dict[str, object]:
    return json.loads(_get(url + "__publisher__/status"))  # type: ignore[no-any-return]


def _wait_for(url: str, predicate: object, seconds: float = 30) -> dict[str, object]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status = _status(url)
        if predicate(status):  # type: ignore[operator]
            return status
        time.sleep(0.2)
    raise AssertionError(f"status never matched: {_status(url)}")


def test_serve_rebuilds_on_change_and_survives_a_broken_file(served: tuple[str, Path]) -> None:
    url, root = served
    page = _get(url + "emotet-2020/2020-08-05/")
    assert "/__publisher__/status" in page and "簡易調査の結果" in page
    assert "/__publisher__/status" in _get(url + "emotet-2020/2020-08-05/?utm=x")
    assert _status(url) == {"version": 1, "error": ""}

    release = root / RELEASE
    release.write_text(release.read_text().replace("簡易調査の結果", "簡易調査の結果概要"))
    _wait_for(url, lambda s: s["version"] == 2)
    assert "簡易調査の結果概要" in _get(url + "emotet-2020/2020-08-05/")

    incident = root / INCIDENT
    good = incident.read_text()
    incident.write_text(good.replace("category: malware", "category: virus"))
    status = _wait_for(url, lambda s: s["error"])
    assert str(status["error"]).startswith(INCIDENT + ":5:11: ")
    assert "category: expected one of" in str(status["error"])
    assert "簡易調査の結果概要" in _get(url + "emotet-2020/2020-08-05/")

    incident.write_text(good)
    assert _wait_for(url, lambda s: s["version"] == 3)["error"] == ""


def test_serve_builds_again_when_a_scheduled_release_comes_due(
    make_tree: MakeTree, tmp_path: Path
) -> None:
    scheduled = RELEASE_TEXT.replace("2020-08-05", "2020-09-01") + (
        "publish_at: 2020-09-01T10:00+09:00\n"
    )
    root = make_tree({"incidents/test/releases/2020-09-01.yaml": scheduled})
    out = tmp_path / "preview"
    config = BuildConfig(root, REPO / "templates", out)
    now = [datetime.fromisoformat("2020-09-01T09:59+09:00")]
    state, stop = ServeState(), threading.Event()
    rebuild(config, state, NullReporter(), lambda: now[0])
    assert not (out / "test/2020-09-01").exists()
    watcher = threading.Thread(
        target=watch, args=(config, state, NullReporter(), 0.05, lambda: now[0], stop)
    )
    watcher.start()
    try:
        time.sleep(0.3)
        assert state.version == 1  # nothing changed, nothing due: no build
        now[0] = datetime.fromisoformat("2020-09-01T10:00+09:00")
        deadline = time.monotonic() + 20
        while state.version < 2:
            assert time.monotonic() < deadline, "the due release was never built"
            time.sleep(0.05)
        assert (out / "test/2020-09-01/index.html").is_file() and state.due is None
    finally:
        stop.set()
        watcher.join(timeout=10)
