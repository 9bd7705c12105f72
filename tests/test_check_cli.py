"""`publisher check` on the command line: exit status, formats, --strict, --explain, and build."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from publisher.check.registry import RULES
from publisher.cli import cli
from tests.conftest import INCIDENT, RELEASE, REPO, SITE, THEME, MakeTree
from tests.test_check_notices import CASES as NOTICE_CASES
from tests.test_check_table import CASES
from tests.test_translations import CHECK_CASES as TRANSLATION_CASES

EXAMPLE = ["--content", str(REPO / "content"), "--templates", str(REPO / "templates")]
REL = "incidents/test/releases/2020-08-05.yaml"
HTTP = RELEASE + "closing: Details at http://www.example.com/faq.\n"
UPDATE = RELEASE.replace("2020-08-05", "2020-09-01").replace("first_notice", "update")
Changes = dict[str, str | bytes | None]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["check", *args])
    return result.exit_code, result.stdout, result.stderr


def in_force(*regimes: str) -> int:
    return sum(rule.applies(frozenset(regimes)) for rule in RULES.values())


def test_the_example_passes_appi_strictly_and_says_what_was_checked() -> None:
    checked = "checked 1 incident (5 releases, 1 notice mail) under appi"
    said = f"{checked} with {in_force('appi')} rules: no findings\n"
    assert run(*EXAMPLE, "--regime", "appi", "--strict") == (0, "", said)


def test_the_example_declares_appi_in_site_yaml() -> None:
    code, out, _ = run(*EXAMPLE, "--regime", "gdpr")
    rules = {line.split(": ")[2] for line in out.splitlines()}
    assert code == 1
    assert rules == {"gdpr-items", "gdpr-72h", "gdpr-notice-items"}


def test_errors_exit_1_with_one_line_each(make_tree: MakeTree) -> None:
    make_tree({REL: HTTP})
    code, out, err = run()
    assert code == 1
    assert out == (
        "content/incidents/test/releases/2020-08-05.yaml:8:21: error: safe-links: closing: "
        "link http://www.example.com/faq is not https\n"
    )
    assert (
        err == f"checked 1 incident (1 release, 0 notice mails) with {in_force()} rules: 1 error\n"
    )


def test_warnings_fail_only_with_strict(make_tree: MakeTree) -> None:
    make_tree({"incidents/test/releases/2020-09-01.yaml": UPDATE})
    code, out, err = run()
    assert (code, err.split(": ")[-1]) == (0, "1 warning\n")
    assert ": warning: link-previous: " in out
    assert run("--strict")[0] == 1


def test_json_has_the_same_findings_as_text(make_tree: MakeTree) -> None:
    make_tree({REL: HTTP, "incidents/test/releases/2020-09-01.yaml": UPDATE})
    code, out, _ = run("--format", "json")
    text = run()[1].splitlines()
    found = json.loads(out)
    assert code == 1
    assert [
        f"{f['path']}:{f['line']}:{f['col']}: {f['severity']}: {f['rule']}: {f['message']}"
        for f in found
    ] == text
    assert [f["rule"] for f in found] == ["safe-links", "link-previous"]


def test_json_of_clean_content_is_an_empty_list(make_tree: MakeTree) -> None:
    make_tree()
    assert run("--format", "json")[:2] == (0, "[]\n")


def test_regime_option_adds_to_site_yaml(make_tree: MakeTree) -> None:
    make_tree({"site.yaml": SITE + "regimes: [ca]\n"})
    rules = {line.split(": ")[2] for line in run("--regime", "gdpr")[1].splitlines()}
    assert rules == {"ca-title", "ca-headings", "ca-notice-items", "gdpr-items", "gdpr-72h"}


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_every_rule_explains_itself(rule_id: str) -> None:
    code, out, _ = run("--explain", rule_id)
    rule = RULES[rule_id]
    assert code == 0
    assert out.startswith(f"{rule_id}: {rule.severity}")
    assert rule.summary in out
    assert f"Source: {rule.source}\n" in out
    assert len(rule.summary) > 40 and rule.source


@pytest.mark.parametrize("written", ["no-such-rule", "", " "])
def test_explain_of_an_unknown_rule_is_a_usage_error(written: str) -> None:
    """An empty id too: it ran the whole check as if --explain were not given."""
    code, _, err = run("--explain", written)
    assert code == 2
    assert f"no rule {written!r}; rules: schema, series-duplicate-date," in " ".join(err.split())


@pytest.mark.parametrize(
    "written,meant",
    [
        ("safe-urgancy", "'safe-urgency'"),
        ("safe_phone", "'safe-phone'"),
        ("SAFE-PHONE", "'safe-phone'"),
        ("ca-heading", "'ca-headings' or 'ca-headings-form'"),
        ("prose-count", "'prose-count-mismatch' or 'prose-count-literal'"),
        ("translaton-stale", "'translation-stale'"),
        ("gdpr72h", "'gdpr-72h'"),
    ],
)
def test_explain_of_a_misspelt_rule_names_the_nearest(written: str, meant: str) -> None:
    code, _, err = run("--explain", written)
    assert code == 2
    assert f"no rule {written!r}; did you mean {meant}" in " ".join(err.split())


def test_every_rule_is_exercised_by_the_table() -> None:
    seen = {line.split(": ")[2] for case in CASES for line in case[3]}
    seen |= {line.split(": ")[2] for case in NOTICE_CASES for line in case[3]}
    seen |= {line.split(": ")[2] for case in TRANSLATION_CASES for line in case[2]}
    # ca-type-size needs a stylesheet: tested below; published-history is applied by the build,
    # which alone knows what is public at its moment: tested in test_history.py
    assert set(RULES) - seen == {"ca-type-size", "published-history"}


def test_small_body_type_breaks_the_california_rule(make_tree: MakeTree, tmp_path: Path) -> None:
    make_tree()
    css = tmp_path / "templates" / "print" / "release.css"
    css.parent.mkdir(parents=True)
    css.write_text(
        "/* print */\nh1 { font-size: 8pt }\nbody {\n  margin: 0;\n  font-size: 12px;\n}\n"
    )
    code, out, _ = run("--regime", "ca", "--templates", "templates")
    lines = [line for line in out.splitlines() if "ca-type-size" in line]
    assert code == 1
    assert lines == [
        "templates/print/release.css:5:3: error: ca-type-size: body text of 12px is 9pt, under 10pt"
    ]


def test_the_repository_stylesheets_meet_the_california_size(make_tree: MakeTree) -> None:
    make_tree()
    out = run("--regime", "ca", "--templates", str(REPO / "templates"))[1]
    assert "ca-type-size" not in out


def test_build_refuses_content_with_check_errors(make_tree: MakeTree, tmp_path: Path) -> None:
    make_tree({REL: HTTP})
    args = ["build", "--templates", str(REPO / "templates"), "--out", "site", "--no-pdf"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "content/incidents/test/releases/2020-08-05.yaml:8:21: error: safe-links: closing: link "
        "http://www.example.com/faq is not https\n"
    )
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize(
    "changes",
    [
        {REL: HTTP},  # a rule's error
        {REL: RELEASE.replace("summary:", "summery:")},  # the schema's
        {"incidents/test/releases/2020-09-01.yaml": UPDATE},  # a rule's warning: no link back
        {  # errors of both in two files, and a warning
            "incidents/test/incident.yaml": INCIDENT.replace("category: malware", "category: x"),
            REL: HTTP,
            "incidents/other/incident.yaml": INCIDENT,
            "incidents/other/releases/2020-08-05.yaml": HTTP,
            "incidents/other/releases/2020-09-01.yaml": UPDATE,
        },
    ],
    ids=["rule error", "schema error", "warning", "several"],
)
def test_build_prints_each_finding_as_check_does(make_tree: MakeTree, changes: Changes) -> None:
    make_tree(changes)
    checked = run("--templates", str(REPO / "templates"))[1].splitlines()
    args = ["build", "--templates", str(REPO / "templates"), "--out", "site", "--no-pdf"]
    built = CliRunner().invoke(cli, args).stderr.splitlines()
    said = [line for line in checked if ": error: " in line] or checked  # errors stop a build
    assert said and built[: len(said)] == said


def test_notify_send_refuses_content_with_check_errors(make_tree: MakeTree, tmp_path: Path) -> None:
    make_tree({REL: HTTP})
    contacts = tmp_path / "contacts.csv"
    contacts.write_text("email\nsomeone@example.jp\n")
    args = ["notify", "send", "test/2020-08-05", "--contacts", str(contacts),
            "--templates", str(REPO / "templates"), "--outbox", "outbox", "--yes"]  # fmt: skip
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert "safe-links: closing: link http://www.example.com/faq is not https" in result.stderr
    assert not (tmp_path / "outbox").exists()


def _example(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "content", tmp_path / "content")
    return tmp_path / "content"


def _check(content: Path, templates: Path = REPO / "templates") -> tuple[int, str]:
    args = ["check", "--content", str(content), "--templates", str(templates)]
    result = CliRunner().invoke(cli, args)
    return result.exit_code, result.stdout + result.stderr


def test_a_subject_with_a_line_break_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    content = _example(tmp_path)
    release = content / "incidents/emotet-2020/releases/2020-11-14.yaml"
    text = release.read_text(encoding="utf-8")
    release.write_text(
        re.sub(r"(?m)^  subject: .*$", r'  subject: "お詫び\\nBcc: x@evil.example"', text), "utf-8"
    )
    code, output = _check(content)
    assert code == 1
    assert "notify.subject: must be one line of text" in output
    assert "Traceback" not in output


def test_a_look_alike_of_a_declared_reference_is_not_trusted(tmp_path: Path) -> None:
    content = _example(tmp_path)
    incident = content / "incidents/emotet-2020/incident.yaml"
    incident.write_text(
        incident.read_text(encoding="utf-8").replace(
            "url: https://www.jpcert.or.jp/newsflash/2020090401.html",
            "url: https://www.jpcert.or.jp/newsflash/",
        ),
        "utf-8",
    )
    release = content / "incidents/emotet-2020/releases/2020-11-14.yaml"
    release.write_text(
        release.read_text(encoding="utf-8").replace(
            "closing: |\n",
            "closing: |\n  詳しくは https://www.jpcert.or.jp.evil.example/newsflash/x です。\n",
            1,
        ),
        "utf-8",
    )
    code, output = _check(content)
    assert code == 1
    assert "safe-links" in output and "www.jpcert.or.jp.evil.example" in output


def test_a_broken_templates_folder_fails_the_check(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(THEME, templates)
    (templates / "strings" / "ja.yaml").write_text("- x\n", encoding="utf-8")
    code, output = _check(REPO / "content", templates)
    assert code == 1
    assert "ja.yaml:1:1: error: prose-renders: expected a mapping of strings" in output


@pytest.mark.parametrize(
    "closing,where",
    [
        ("closing: Details at http://www.example.com/faq.\n", "8:21"),
        ('closing: "Details\\u0020at http://www.example.com/faq."\n', "8:10"),
        ("closing: >\n  Details\n  at\n  http://www.example.com/faq.\n", "9:1"),
        ("closing: Details\n  at http://www.example.com/faq.\n", "8:10"),
        ("closing: |\n  Details\n  at http://www.example.com/faq.\n", "10:1"),
    ],
    ids=["plain", "escaped", "folded", "plain over two lines", "literal block"],
)
def test_a_finding_in_prose_points_where_the_file_can_say(
    make_tree: MakeTree, closing: str, where: str
) -> None:
    make_tree({REL: RELEASE + closing})
    code, stdout, _ = run()
    assert code == 1
    assert f"{REL}:{where}: error: safe-links: closing: link http://www.example.com/faq" in stdout


def test_a_misspelt_key_is_one_problem_line_and_no_knock_on(make_tree: MakeTree) -> None:
    """The release that fails its schema is said once; the next release's link to it, the
    series' order and the timeline's event that names it are not piled on."""
    later = UPDATE + "intro: As we said [before](release:2020-08-05).\n"
    timeline = "timeline:\n  - {date: 2020-08-05, text: Said., release: 2020-08-05}\n"
    make_tree(
        {
            REL: RELEASE.replace("summary:", "summery:"),
            "incidents/test/releases/2020-09-01.yaml": later,
            "incidents/test/incident.yaml": INCIDENT.replace("timeline:\n", timeline, 1),
        }
    )
    code, out, _ = run()
    assert code == 1
    assert out.splitlines() == [
        "content/incidents/test/releases/2020-08-05.yaml:4:1: error: schema: summery: unknown "
        "field; did you mean 'summary'? (a required field)"
    ]
