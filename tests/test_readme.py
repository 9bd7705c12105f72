"""The README's guide to writing a new incident works as written."""

from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path

from click.testing import CliRunner

from publisher.cli import cli
from tests.conftest import REPO


def _guide_blocks() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    guide = readme[readme.index("## Writing a new incident") :]
    return [textwrap.dedent(b) for b in re.findall(r"```yaml\n(.*?)\n\s*```", guide, re.S)]


def test_the_new_incident_in_the_readme_builds(tmp_path: Path) -> None:
    incident, release = _guide_blocks()[:2]
    content = tmp_path / "content"
    (content / "incidents" / "new-incident" / "releases").mkdir(parents=True)
    shutil.copy(REPO / "content" / "site.yaml", content / "site.yaml")
    (content / "incidents" / "new-incident" / "incident.yaml").write_text(incident, "utf-8")
    (content / "incidents" / "new-incident" / "releases" / "2026-03-04.yaml").write_text(
        release, "utf-8"
    )
    out = tmp_path / "site"
    args = ["build", "--content", str(content), "--templates", str(REPO / "templates"),
            "--out", str(out), "--no-pdf", "--as-of", "2026-03-04T12:00+09:00"]  # fmt: skip
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.stderr
    page = (out / "new-incident" / "2026-03-04" / "index.html").read_text(encoding="utf-8")
    assert "影響を受けた方は1,200名です。" in page
    assert "不審な通信を検知。" in page
    assert "攻撃者が侵入。" not in page
