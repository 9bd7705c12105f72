"""A finding (a Problem with its rule): its line, its JSON, its order, and what fails a check."""

from __future__ import annotations

import json

from publisher.check.findings import (
    Scope,
    findings_json,
    format_findings,
    has_failures,
    summary,
)
from publisher.errors import Problem, sort_problems

A = Problem("content/b.yaml", 3, 5, "closing", "link http://x is not https", "error", "safe-links")
B = Problem("content/a.yaml", 10, 1, "intro", "does not link", "warning", "link-previous")
C = Problem("content/a.yaml", 2, 7, "title", "required field is missing", rule="schema")
D = Problem("content/incidents/x", message="file not found", rule="schema")


def test_a_finding_reads_path_line_col_severity_rule_message() -> None:
    assert str(A) == "content/b.yaml:3:5: error: safe-links: closing: link http://x is not https"
    assert str(D) == "content/incidents/x: error: schema: file not found"


def test_findings_sort_by_file_then_line_and_drop_duplicates() -> None:
    assert sort_problems([A, B, C, A]) == [C, B, A]


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


def test_a_problem_no_rule_found_reads_path_line_col_field_message() -> None:
    plain = Problem("publisher.yaml", 2, 1, "out", "not a folder")
    assert str(plain) == "publisher.yaml:2:1: out: not a folder"
    assert str(Problem("contacts.csv", message="file not found")) == "contacts.csv: file not found"


def test_on_one_line_errors_come_before_warnings_then_rules_in_order() -> None:
    late = Problem("a.yaml", 2, 7, "x", "late", "warning", "appi-final-deadline")
    early = Problem("a.yaml", 2, 7, "x", "wrong", "error", "series")
    other = Problem("a.yaml", 2, 7, "x", "wrong", "error", "appi")
    assert sort_problems([late, early, other]) == [other, early, late]
