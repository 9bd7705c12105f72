"""The report commands at the command line: where they may write, and what they say when not.

Every refusal, problem and mistake is a message with its exit status, never a traceback, and
nothing is written.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from publisher.commands.report import register, report
from tests.conftest import MakeTree
from tests.report.conftest import SHOP, Invoke, shop_tree

REFUSED = [
    ("content/reports", "content/reports is inside the content (content)"),
    ("content", "content is inside the content (content)"),
    ("site/reports", "site/reports is inside the site (site)"),
    ("templates/x", "templates/x is inside the templates (templates)"),
    ("preview/reports", "inside preview, a site publisher built"),
]


@pytest.mark.parametrize("out,message", REFUSED, ids=[o for o, _ in REFUSED])
def test_out_inside_the_site_content_or_templates_is_refused(
    make_tree: MakeTree, invoke: Invoke, out: str, message: str
) -> None:
    root = shop_tree(make_tree)
    (root.parent / "templates").mkdir()
    (root.parent / "preview").mkdir()
    (root.parent / "preview" / ".publisher-build").write_text("", encoding="utf-8")
    before = sorted(p.relative_to(root.parent) for p in root.parent.rglob("*"))
    result = invoke("report", "shop", "--regime", "appi", "--out", out, "--no-pdf")
    assert result.exit_code == 2
    assert message in result.output
    assert "Invalid value for --out" in result.output
    reg = invoke("register", "--out", f"{out}/register.csv")
    assert reg.exit_code == 2
    assert message.split(" is inside ")[-1] in reg.output
    assert sorted(p.relative_to(root.parent) for p in root.parent.rglob("*")) == before


def test_the_site_folder_of_publisher_yaml_is_refused(make_tree: MakeTree, invoke: Invoke) -> None:
    root = shop_tree(make_tree)
    (root.parent / "publisher.yaml").write_text("out: public\ncontent: content\n", "utf-8")
    result = invoke("report", "shop", "--regime", "gdpr", "--out", "public/r", "--no-pdf")
    assert result.exit_code == 2
    assert "public/r is inside the site (public)" in result.output
    ok = invoke("report", "shop", "--regime", "gdpr", "--out", "site/r", "--no-pdf")
    assert ok.exit_code == 0, ok.output  # not this project's site: may take reports


def test_a_missing_incident_is_a_message(make_tree: MakeTree, invoke: Invoke) -> None:
    shop_tree(make_tree)
    result = invoke("report", "nope", "--regime", "appi", "--out", "out")
    assert result.exit_code == 1
    assert result.stderr == "error: no incident 'nope' in the content (incidents: shop)\n"
    assert "Traceback" not in result.output
    assert not Path("out").exists()


def test_content_problems_are_located_and_nothing_is_written(
    make_tree: MakeTree, invoke: Invoke
) -> None:
    shop_tree(make_tree)
    Path("content/incidents/shop/incident.yaml").write_text(
        SHOP.replace("category: unauthorized_access", "category: theft"), "utf-8"
    )
    result = invoke("report", "shop", "--regime", "appi", "--out", "out")
    assert result.exit_code == 1
    assert result.stderr.startswith("content/incidents/shop/incident.yaml:3:11: category:")
    assert result.stderr.endswith("1 problem; nothing was written.\n")
    assert not Path("out").exists()


def test_a_pointer_to_nothing_is_located(make_tree: MakeTree, invoke: Invoke) -> None:
    shop_tree(make_tree)
    broken = SHOP.replace("people: {present: [facts.customers]}", "people: {present: [facts.nope]}")
    Path("content/incidents/shop/incident.yaml").write_text(broken, "utf-8")
    result = invoke("report", "shop", "--regime", "gdpr", "--out", "out", "--no-pdf")
    assert result.exit_code == 1
    line = broken.splitlines().index("  people: {present: [facts.nope]}") + 1
    assert result.stderr == (
        f"content/incidents/shop/incident.yaml:{line}:22: disclosure.people.present[1]: "
        "no fact 'nope' in the incident record\n1 problem; nothing was written.\n"
    )
    assert not Path("out").exists()


@pytest.mark.parametrize(
    "args,status,message",
    [
        (["--as-of", "2026-02-30"], 2, "expected a date like 2020-11-14: '2026-02-30'"),
        (["--as-of", "2026-03-01"], 1, "error: --as-of 2026-03-01 is before shop was discovered"),
        (["--regime", "hipaa"], 2, "Invalid value for '--regime'"),
        (["--stage", "draft"], 2, "Invalid value for '--stage'"),
        (["--templates", "nowhere"], 2, "no folder nowhere"),
    ],
)
def test_command_line_mistakes(
    make_tree: MakeTree, invoke: Invoke, args: list[str], status: int, message: str
) -> None:
    shop_tree(make_tree)
    base = ["report", "shop", "--out", "out", "--no-pdf"]
    regime = [] if "--regime" in args else ["--regime", "gdpr"]
    result = invoke(*base, *regime, *args)
    assert result.exit_code == status
    assert message in result.output
    assert "Traceback" not in result.output
    assert not Path("out").exists()


def test_a_broken_project_file_stops_the_command_but_not_its_help(
    make_tree: MakeTree, invoke: Invoke
) -> None:
    root = shop_tree(make_tree)
    (root.parent / "publisher.yaml").write_text("content: content\ncontent: other\n", "utf-8")
    result = invoke("report", "shop", "--regime", "gdpr", "--out", "out", "--no-pdf")
    assert result.exit_code == 1
    assert "publisher.yaml:2:1" in result.stderr
    assert invoke("report", "--help").exit_code == 0


@pytest.mark.parametrize("command", [report, register], ids=["report", "register"])
def test_each_command_has_help(invoke: Invoke, command: object) -> None:
    name = getattr(command, "name", "")
    help_text = getattr(command, "help", "")
    assert help_text and help_text.strip()
    result = invoke(name, "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Usage: publisher {name} ")
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert f"publisher {name}" in readme
