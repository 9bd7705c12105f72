"""The Finding value: its line, its JSON, its order, and what fails a check."""

from __future__ import annotations

import json

from publisher.check.findings import (
    Finding,
    Scope,
    findings_json,
    format_findings,
    has_failures,
    sort_findings,
    summary,
)

A = Finding("content/b.yaml", 3, 5, "error", "safe-links", "closing: link http://x is not https")
B = Finding("content/a.yaml", 10, 1, "warning", "link-previous", "intro: does not link")
C = Finding("content/a.yaml", 2, 7, "error", "schema", "title: required field is missing")
D = Finding("content/incidents/x", 0, 0, "error", "schema", "file not found")


def test_a_finding_reads_path_line_col_severity_rule_message() -> None:
    assert str(A) == "content/b.yaml:3:5: error: safe-links: closing: link http://x is not https"
    assert str(D) == "content/incidents/x: error: schema: file not found"


def test_findings_sort_by_file_then_line_and_drop_duplicates() -> None:
    assert sort_findings([A, B, C, A]) == [C, B, A]


def test_json_carries_every_field() -> None:
    assert json.loads(findings_json([B])) == [
        {
            "path": "content/a.yaml",
            "line": 10,
            "col": 1,
            "severity": "warning",
            "rule": "link-previous",
            "message": "intro: does not link",
        }
    ]
    assert format_findings([A, B], "text") == f"{A}\n{B}"


def test_errors_fail_warnings_only_when_strict() -> None:
    assert has_failures([A], strict=False)
    assert not has_failures([B], strict=False)
    assert has_failures([B], strict=True)
    assert not has_failures([], strict=True)


def test_summary_counts_errors_and_warnings() -> None:
    assert summary([]) == "no findings"
    assert summary([A, C, B]) == "2 errors, 1 warning"
    assert summary([A]) == "1 error"
    assert summary([B]) == "1 warning"
    scope = Scope(1, 2, 1, ("appi",), 30)
    said = "checked 1 incident (2 releases, 1 notice mail) under appi with 30 rules: no findings"
    assert summary([], scope) == said


def test_as_a_problem_schema_findings_read_as_before_and_others_name_their_rule() -> None:
    assert str(C.to_problem()) == "content/a.yaml:2:7: title: required field is missing"
    assert str(A.to_problem()) == (
        "content/b.yaml:3:5: safe-links: closing: link http://x is not https"
    )
