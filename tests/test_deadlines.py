"""The legal clocks (publisher/check/deadlines.py), `publisher deadlines`, and the build's warning.

Table-driven: days off that move a 確報 deadline, the status of an obligation at a moment, what
counts as reasons for a delay; then the command's exact output for the bundled example and for
a final report made 109 days late, which `check --strict` fails and `build` warns about.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from publisher.build import BuildConfig, build_site
from publisher.check.deadlines import Obligation, final_day, real_reason, status
from publisher.check.workdays import day_off, roll_forward
from publisher.cli import cli
from publisher.model.placeholders import placeholder, placeholders
from publisher.reporter import RecordingReporter
from tests.conftest import INCIDENT, RELEASE, REPO, SITE, MakeTree

TOKYO = ZoneInfo("Asia/Tokyo")
NOW = "2026-12-01T12:00+09:00"
HEADER = (
    "incident     obligation                 due                      status" + " " * 83 + "rule\n"
)


@pytest.mark.parametrize(
    "day,off,moved",
    [
        ("2026-01-01", "年末年始", "2026-01-05"),  # 元日, then 1/2, 1/3 and a weekend
        ("2025-12-29", "年末年始", "2026-01-05"),  # a Monday, 年末年始 by the statute
        ("2026-05-04", "みどりの日", "2026-05-07"),  # Golden Week, a Monday
        ("2026-05-06", "振替休日", "2026-05-07"),
        ("2026-03-07", "土曜日", "2026-03-09"),
        ("2023-04-30", "日曜日", "2023-05-01"),
        ("2026-09-22", "国民の休日", "2026-09-24"),  # between 敬老の日 and 秋分の日
        ("2026-03-10", None, "2026-03-10"),  # a Tuesday: stays
    ],
)
def test_a_deadline_on_a_day_off_moves_to_the_next_business_day(
    day: str, off: str | None, moved: str
) -> None:
    assert day_off(date.fromisoformat(day)) == off
    assert roll_forward(date.fromisoformat(day)) == date.fromisoformat(moved)


@pytest.mark.parametrize(
    "discovered,days,due",
    [
        ("2023-03-01", 30, "2023-03-30"),  # the day of knowing is day 1: a Thursday
        ("2023-05-01", 30, "2023-05-30"),  # a Tuesday (民法第140条 would give 5/31)
        ("2023-06-02", 30, "2023-07-03"),  # day 30 a Saturday: the Monday
        ("2023-04-05", 30, "2023-05-08"),  # day 30 5/4 みどりの日, then 5/5 and a weekend
        ("2023-11-30", 30, "2024-01-04"),  # day 30 12/29, 年末年始 to 1/3
        ("2023-10-31", 60, "2024-01-04"),  # day 60 12/29
        ("2026-03-02", 60, "2026-04-30"),  # the Japanese starter's 60 days: a Thursday
    ],
)
def test_the_final_report_is_due_as_the_guideline_counts(
    discovered: str, days: int, due: str
) -> None:
    """通則編ガイドライン 3-5-3-4: the moment of knowing is day 1; (※2) day 30 or 60 on a
    weekend, holiday or 年末年始閉庁日 moves to the next day the administration is open."""
    assert final_day(date.fromisoformat(discovered), days) == date.fromisoformat(due)


def _obligation(done: datetime | None = None, not_due: str = "") -> Obligation:
    due = datetime(2026, 3, 5, 9, 0, tzinfo=UTC)
    done_on = done.isoformat(timespec="minutes") if done else ""
    loc = ("disclosure", "reports")
    return Obligation("x", "gdpr-72h", "notification", due, loc, done, done_on, not_due)


DUE = datetime(2026, 3, 5, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "obligation,now,state,text",
    [
        (_obligation(), DUE - timedelta(hours=5), "due", "due in 5 hours"),
        (_obligation(), DUE - timedelta(days=3, minutes=1), "due", "due in 4 days"),
        (_obligation(), DUE + timedelta(minutes=1), "overdue", "overdue by 1 hour"),
        (_obligation(), DUE + timedelta(days=108), "overdue", "overdue by 108 days"),
        (_obligation(DUE), DUE, "done", "done on 2026-03-05T09:00+00:00"),
        (
            _obligation(DUE + timedelta(hours=30)),
            DUE + timedelta(days=2),
            "late",
            "done on 2026-03-06T15:00+00:00, 30 hours late",
        ),
        # as of a moment before the report was made, it was not made yet
        (_obligation(DUE + timedelta(hours=30)), DUE - timedelta(hours=5), "due", "due in 5 hours"),
        (_obligation(not_due="not reportable: encrypted"), DUE, "not due", "not due: not "
         "reportable: encrypted"),
    ],
)  # fmt: skip
def test_status_at_a_moment(obligation: Obligation, now: datetime, state: str, text: str) -> None:
    found = status(obligation, now)
    assert (found.state, found.text) == (state, text)


@pytest.mark.parametrize(
    "text,real",
    [
        (None, False),
        ("TBD", False),
        ("tbd.", False),
        ("N/A", False),
        ("未定", False),
        ("調査中", False),
        ("later", False),
        ("Coming soon.", False),
        ("To be determined", False),
        ("under investigation", False),
        ("後日お知らせします", False),
        ("scope", False),  # too short to say why
        ("The scope was unknown until the forensics came back.", True),
        ("被害範囲の特定に時間を要したため", True),
    ],
)
def test_reasons_for_a_delay_are_real_reasons(text: str | None, real: bool) -> None:
    assert real_reason(text) is real


@pytest.mark.parametrize("word", placeholders())
def test_one_list_of_placeholders_serves_every_rule(word: str) -> None:
    """A delay's reasons and a California heading's body refuse the same words."""
    assert placeholder(word) and placeholder(f"[{word.upper()}]")
    assert not real_reason(word) and not real_reason(f"{word}.")


LATE_INCIDENT = (
    INCIDENT.replace("2020-07-29", "2023-03-01").replace("2020-08-05", "2023-03-02")
    + """\
disclosure:
  overview: {present: [timeline]}
  data_items: {present: [facts.infected_pcs]}
  people: {unknown: 2023-03-02}
  cause: {present: [timeline]}
  secondary_damage: {present: [release:2023-03-02]}
  response_to_people: {present: [release:2023-03-02]}
  publication: {present: [release:2023-03-02]}
  prevention: {present: [timeline]}
  other: {unknown: 2023-03-02}
  reportable: {appi: {grounds: [第7条第1号]}}
  reports:
    - {regime: appi, stage: preliminary, date: 2023-03-03}
    - {regime: appi, stage: final, date: 2023-07-17}
"""
)
LATE = {
    "site.yaml": SITE + "regimes: [appi]\n",
    "incidents/test/incident.yaml": LATE_INCIDENT,
    "incidents/test/releases/2020-08-05.yaml": None,
    "incidents/test/releases/2023-03-02.yaml": RELEASE.replace("2020-08-05", "2023-03-02"),
}
LATE_FINDING = (
    "content/incidents/test/incident.yaml:26:42: warning: appi-final-deadline: "
    "disclosure.reports[2].date: "
    "確報 to the PPC (30 days): done on 2023-07-17, 109 days late; due by 2023-03-30 24:00 +09:00"
)


def test_the_example_says_why_nothing_is_due() -> None:
    args = ["deadlines", "--content", str(REPO / "content"), "--as-of", NOW]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert result.output == (
        "as of 2026-12-01 12:00 +09:00\n"
        + HEADER
        + "emotet-2020  速報 to the PPC            2020-08-03 24:00 +09:00  not due: discovered "
        "before 2022-04-01, when reports became mandatory (a duty of effort)  個人情報の保護に関"
        "する法律施行規則 第8条第1項; 通則編ガイドライン 3-5-3-3\n"
        "emotet-2020  確報 to the PPC (60 days)  2020-09-28 24:00 +09:00  not due: discovered "
        "before 2022-04-01, when reports became mandatory (a duty of effort)  個人情報の保護に関"
        "する法律施行規則 第8条第2項; 通則編ガイドライン 3-5-3-4\n"
    )


def test_the_table_is_as_of_the_day_asked_for_not_the_end_of_the_day_before() -> None:
    """--as-of 2026-11-20 is the day's first moment: the heading says so, where a due moment
    at the same instant is the end of 2026-11-19 (24:00)."""
    args = ["deadlines", "--content", str(REPO / "content"), "--as-of", "2026-11-20"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("as of 2026-11-20 00:00 +09:00\n"), result.output


def test_a_late_final_report_is_in_the_table_fails_strict_and_warns_in_build(
    make_tree: MakeTree, tmp_path: Path
) -> None:
    root = make_tree(LATE)
    runner = CliRunner()
    result = runner.invoke(cli, ["deadlines", "test", "--as-of", NOW, "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["obligations"]
    assert [(r["obligation"], r["state"], r["status"], r["due"]) for r in rows] == [
        ("速報 to the PPC", "done", "done on 2023-03-03", "2023-03-07T00:00:00+09:00"),
        (
            "確報 to the PPC (30 days)",
            "late",
            "done on 2023-07-17, 109 days late",
            "2023-03-31T00:00:00+09:00",
        ),
    ]
    strict = runner.invoke(cli, ["check", "--strict"])
    assert strict.exit_code == 1
    assert LATE_FINDING in strict.output
    for _ in range(2):  # the second build does nothing, and says the warning again, as check
        reporter = RecordingReporter()
        build_site(BuildConfig(root, None, tmp_path / "site"), reporter)
        assert reporter.messages.count(LATE_FINDING) == 1


def test_an_obligation_not_yet_due_is_no_finding_and_the_table_counts_down(
    make_tree: MakeTree,
) -> None:
    recent = LATE_INCIDENT.replace("    - {regime: appi, stage: final, date: 2023-07-17}\n", "")
    make_tree({**LATE, "incidents/test/incident.yaml": recent})
    runner = CliRunner()
    early = runner.invoke(cli, ["deadlines", "--as-of", "2023-03-20T09:00"])
    assert "確報 to the PPC (30 days)  2023-03-30 24:00 +09:00  due in 11 days" in early.output
    assert runner.invoke(cli, ["check", "--strict"]).exit_code == 1  # now: long overdue
    late = runner.invoke(cli, ["deadlines", "--as-of", "2023-04-01T09:00+09:00"])
    assert "2023-03-30 24:00 +09:00  overdue by 33 hours" in late.output


def test_an_unknown_incident_is_named(make_tree: MakeTree) -> None:
    make_tree(LATE)
    result = CliRunner().invoke(cli, ["deadlines", "nope"])
    assert result.exit_code == 1
    assert "error: no incident 'nope'; incidents: test" in result.output


def test_a_build_that_would_do_nothing_checks_again_once_a_deadline_passes(
    make_tree: MakeTree, tmp_path: Path
) -> None:
    recent = LATE_INCIDENT.replace("    - {regime: appi, stage: final, date: 2023-07-17}\n", "")
    root = make_tree({**LATE, "incidents/test/incident.yaml": recent})
    config = BuildConfig(root, None, tmp_path / "site")
    before, after = RecordingReporter(), RecordingReporter()
    build_site(config, before, lambda: datetime(2023, 3, 30, 14, 59, tzinfo=UTC))
    assert not any("warning:" in m for m in before.messages)
    build_site(config, after, lambda: datetime(2023, 3, 30, 15, 1, tzinfo=UTC))
    assert after.messages == [
        "content/incidents/test/incident.yaml:25:5: warning: appi-final-deadline: "
        "disclosure.reports: 確報 to the PPC (30 days): overdue by 1 hour, nothing recorded; "
        "due by 2023-03-30 24:00 +09:00"
    ]
