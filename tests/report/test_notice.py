"""Proof of notice in the reports, and the substitute notice on the release's page and PDF.

A copy of the bundled example mails its 11/14 notice to a list with invalid, duplicate and
addressless rows, by the outbox (for review) and by the SendGrid stand-in; delivery events,
saved as SendGrid posts them, are imported with `notify events`: most delivered, one bounced,
one dropped, and one more bounce dated after the report's day. The APPI final report, `notify
status` and `notify export` then agree on every count; the report counts only what the ledger
had by the end of --as-of, holds no address, and compares the substitute notice's fact with it.
"""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from publisher.cli import cli
from publisher.mailout import MailoutConfig, send_notices
from publisher.notify.outbox import OutboxTransport
from publisher.notify.record import notice_proof
from publisher.notify.sendgrid import RetryPolicy, SendGridTransport
from publisher.render.theme import load_theme
from publisher.report.words import words_for
from publisher.reporter import RecordingReporter
from tests.conftest import REPO
from tests.notify.conftest import RELEASE, csv_text, fixed_clock, people
from tests.pagetext import squeeze
from tests.sendgrid_events import events_for
from tests.sendgrid_server import SendGridStub

NAME = "emotet-2020-appi-final-{day}"
ON_TIME = 1605315605  # 2020-11-14T01:00:05Z: delivered
LATER_THAT_DAY = 1605322800  # 2020-11-14T03:00:00Z (12:00 in Tokyo): bounced, dropped
AFTER = 1605499200  # 2020-11-16T04:00:00Z: a bounce that came in after 11/14
SUBSTITUTE = "substitute_notice: {count: facts.not_reachable}\n"
NOT_REACHABLE = """\
  not_reachable:
    label: 通知メールをお届けできなかった方
    unit: 名
    values:
      - {as_of: 2020-11-14, value: 5}
"""


def contacts() -> list[tuple[str, ...]]:
    """Six customers and two partners, with one invalid, one duplicate and one addressless row."""
    return [
        *people(6),
        *people(2, start=10, segment="partners"),
        ("broken.example.jp", "", "", "customers", "ja"),
        ("person0@example.jp", "", "", "customers", "ja"),
        ("", "山田", "", "customers", "ja"),
    ]


@pytest.fixture(scope="module")
def mailed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """The example (with a substitute notice on 11/14) mailed by outbox and SendGrid, events in."""
    root = tmp_path_factory.mktemp("notice")
    content = root / "project" / "content"
    shutil.copytree(REPO / "content", content, ignore=shutil.ignore_patterns(".publisher-cache"))
    incident = content / "incidents" / "emotet-2020" / "incident.yaml"
    text = incident.read_text(encoding="utf-8")
    incident.write_text(text.replace("facts:\n", "facts:\n" + NOT_REACHABLE, 1), encoding="utf-8")
    release = content / "incidents" / "emotet-2020" / "releases" / "2020-11-14.yaml"
    release.write_text(release.read_text(encoding="utf-8") + SUBSTITUTE, encoding="utf-8")
    listed = root / "contacts.csv"
    listed.write_text(csv_text(contacts()), encoding="utf-8")
    ledger = root / "ledger.sqlite"
    config = {"content": content, "templates": REPO / "templates", "release": RELEASE}
    config |= {"contacts": listed, "ledger": ledger, "outbox": root / "outbox"}
    stub = SendGridStub().start()
    try:
        _send(
            MailoutConfig(**config, transport="outbox"),
            lambda: OutboxTransport(root / "outbox", fixed_clock),
        )
        transport = SendGridTransport(stub.api_key, stub.url, timeout=5, retry=RetryPolicy(2, 0))
        _send(MailoutConfig(**config, transport="sendgrid"), lambda: transport)
        bodies = list(stub.bodies)
    finally:
        stub.stop()
    assert stub.invalid == []
    events = root / "events.json"
    events.write_text(json.dumps(_events(bodies)), encoding="utf-8")
    result = CliRunner().invoke(cli, ["notify", "events", str(events), "--ledger", str(ledger)])
    assert result.exit_code == 0, result.output
    yield {"root": root, "content": content, "ledger": ledger, "contacts": listed}


def _send(config: MailoutConfig, make: Any) -> None:
    result = send_notices(config, make, RecordingReporter(), lambda plan: True, fixed_clock)
    assert result.sent == 8


def _events(bodies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Delivered for all but person1 (bounced) and person2 (dropped) on 11/14; person3, who
    was delivered, bounced on 11/16."""
    found = []
    for event in events_for(bodies, "delivered", at=ON_TIME):
        if event["email"] not in ("person1@example.jp", "person2@example.jp"):
            found.append(event)
    for kind, who, at in (
        ("bounce", "person1@example.jp", LATER_THAT_DAY),
        ("dropped", "person2@example.jp", LATER_THAT_DAY),
        ("bounce", "person3@example.jp", AFTER),
    ):
        found += [e for e in events_for(bodies, kind, at=at, tag=kind) if e["email"] == who]
    return found


def _report(mailed: dict[str, Path], out: Path, *args: str) -> tuple[dict[str, Any], str]:
    """`publisher report emotet-2020 ARGS` on the mailed copy: its JSON and stderr."""
    command = ["report", "emotet-2020", "--out", str(out), "--no-pdf"]
    command += ["--content", str(mailed["content"]), "--templates", str(REPO / "templates")]
    command += ["--ledger", str(mailed["ledger"]), *args]
    result = CliRunner().invoke(cli, command)
    assert result.exit_code == 0, result.output
    (path,) = out.glob("*.json")
    return json.loads(path.read_text(encoding="utf-8")), result.stderr


def _field(data: dict[str, Any], key: str) -> dict[str, Any]:
    return next(f for f in data["fields"] if f["key"] == key)


def _mail(field: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = next(p["notice_mail"] for p in field["parts"] if "notice_mail" in p)
    return found


def _status(mailed: dict[str, Path]) -> dict[str, Any]:
    command = ["notify", "status", RELEASE, "--ledger", str(mailed["ledger"]), "--format", "json"]
    result = CliRunner().invoke(cli, command)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _export(mailed: dict[str, Path], out: Path) -> dict[tuple[str, str, str], str]:
    command = ["notify", "export", RELEASE, "--ledger", str(mailed["ledger"]), "--out", str(out)]
    assert CliRunner().invoke(cli, command).exit_code == 0
    with out.with_name(out.stem + ".counts.csv").open(encoding="utf-8") as stream:
        return {
            (r["transport"], r["segment"], r["what"]): r["count"] for r in csv.DictReader(stream)
        }


def test_report_status_and_export_agree_on_every_count(
    mailed: dict[str, Path], tmp_path: Path
) -> None:
    data, _ = _report(mailed, tmp_path / "report", "--regime", "appi", "--as-of", "2020-11-20")
    reported = _mail(_field(data, "response_to_people"))["transports"]
    status = _status(mailed)["transports"]
    exported = _export(mailed, tmp_path / "notice.csv")
    assert set(reported) == set(status) == {"outbox", "sendgrid"}
    compared = 0
    for transport, proof in reported.items():
        assert reported[transport]["told_people"] is (transport != "outbox")
        for segment, counts in proof["segments"].items():
            shown = status[transport]["segments"][segment]
            for what in ("notified", "delivered", "bounced", "dropped"):
                assert counts[what] == shown[what], (transport, segment, what)
                assert str(counts[what]["count"]) == exported[(transport, segment, what)]
                compared += 1
            for reason, n in counts["not_reachable"].items():
                assert n == shown["not_reachable"][reason]
                assert str(n) == exported[(transport, segment, f"not reachable: {reason}")]
                compared += 1
    assert compared == 2 * 2 * 7
    sendgrid = reported["sendgrid"]["segments"]
    assert [sendgrid["customers"][w]["count"] for w in ("notified", "delivered", "bounced")] == [
        6,
        3,
        2,
    ]
    assert sendgrid["customers"]["dropped"]["count"] == 1
    assert sendgrid["customers"]["not_reachable"] == {"invalid": 1, "duplicate": 1, "no_address": 1}
    assert sendgrid["partners"]["delivered"]["count"] == 2


def test_the_counts_are_as_of_the_end_of_the_day_in_the_sites_zone(
    mailed: dict[str, Path], tmp_path: Path
) -> None:
    data, stderr = _report(mailed, tmp_path, "--regime", "appi", "--as-of", "2020-11-14")
    field = _field(data, "response_to_people")
    customers = _mail(field)["transports"]["sendgrid"]["segments"]["customers"]
    assert customers["delivered"]["count"] == 4  # person3's bounce came on 11/16
    assert customers["bounced"] == {
        "count": 1,
        "first": "2020-11-14T03:00:00+00:00",
        "last": "2020-11-14T03:00:00+00:00",
    }
    lines = field["value"].splitlines()
    start = lines.index("通知メールの送信状況(2020年11月14日終了時点、通知の記録による件数):")
    assert lines[start + 1 :] == [
        "2020年11月14日のリリースの通知メール(outbox)(確認用の.emlファイルを書き出したもので、"
        "本人には送信されていません)",
        "・customers: 送信 6件(2020-11-14T10:00+09:00)、配信 0件、不達 0件、送信停止 0件; "
        "通知できなかった宛先 3件(無効 1件、重複 1件、アドレスなし 1件、一覧の読込 "
        "2020-11-14T10:00+09:00)",
        "・partners: 送信 2件(2020-11-14T10:00+09:00)、配信 0件、不達 0件、送信停止 0件; "
        "通知できなかった宛先 0件(無効 0件、重複 0件、アドレスなし 0件)",
        "2020年11月14日のリリースの通知メール(sendgrid)",
        "・customers: 送信 6件(2020-11-14T10:00+09:00)、配信 4件(2020-11-14T10:00+09:00)、"
        "不達 1件(2020-11-14T12:00+09:00)、送信停止 1件(2020-11-14T12:00+09:00); "
        "通知できなかった宛先 3件(無効 1件、重複 1件、アドレスなし 1件、一覧の読込 "
        "2020-11-14T10:00+09:00)",
        "・partners: 送信 2件(2020-11-14T10:00+09:00)、配信 2件(2020-11-14T10:00+09:00)、"
        "不達 0件、送信停止 0件; 通知できなかった宛先 0件(無効 0件、重複 0件、アドレスなし 0件)",
        "",
        "代替措置(公表): 2020年11月14日 「横浜トヨペット株式会社におけるコンピュータウイルス感染と"
        "それを発端にした当社を騙った「なりすましメール」に関するお詫びとご報告」に、通知メールを"
        "お届けできなかった方へのご通知を掲載(通知メールをお届けできなかった方: 5名、"
        "2020年11月14日時点)",
        "https://www.yokohama-toyopet.jp/incident/emotet-2020/2020-11-14/#substitute-notice",
    ]
    assert field["status"] == "stated"
    assert "ledger: emotet-2020/2020-11-14 (outbox, sendgrid)" in field["sources"]
    assert "release:2020-11-14#substitute_notice" in field["sources"]
    assert stderr == ""  # 1 bounced + 1 dropped + 3 not reachable = the fact's 5
    assert "findings" not in data


def test_a_substitute_count_the_ledger_contradicts_is_a_located_warning(
    mailed: dict[str, Path], tmp_path: Path
) -> None:
    data, stderr = _report(mailed, tmp_path, "--regime", "appi", "--as-of", "2020-11-20")
    incident = mailed["content"] / "incidents" / "emotet-2020" / "incident.yaml"
    line = (
        incident.read_text(encoding="utf-8")
        .splitlines()
        .index("      - {as_of: 2020-11-14, value: 5}")
    )
    message = (
        "substitute-notice-count: 5 as of 2020-11-14, but the notification ledger counts 6 not "
        "reached for emotet-2020/2020-11-14 by the end of 2020-11-20 (2 bounced, 1 dropped, "
        "1 invalid, 1 duplicate, 1 no address); correct the fact with a dated value, or import "
        "the delivery events"
    )
    assert stderr.endswith(f":{line + 1}:36: facts.not_reachable: {message}\n")
    assert stderr.startswith("warning: ")
    assert data["findings"] == [
        {
            "file": "incidents/emotet-2020/incident.yaml",
            "line": line + 1,
            "column": 36,
            "field": "facts.not_reachable",
            "severity": "warning",
            "message": message,
        }
    ]


def test_the_gdpr_communication_to_data_subjects_has_the_counts_in_english(
    mailed: dict[str, Path], tmp_path: Path
) -> None:
    data, _ = _report(mailed, tmp_path, "--regime", "gdpr", "--as-of", "2020-11-14")
    field = _field(data, "publication")
    assert field["basis"] == "Art. 34, 34(3)(c)"
    assert _mail(field)["transports"]["sendgrid"]["segments"]["customers"]["dropped"]["count"] == 1
    assert (
        "https://www.yokohama-toyopet.jp/incident/emotet-2020/2020-11-14/#substitute-notice"
        in (field["value"])
    )


def test_no_address_from_the_list_is_in_the_report(mailed: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "report"
    command = ["report", "emotet-2020", "--regime", "appi", "--as-of", "2020-11-20"]
    command += ["--out", str(out), "--content", str(mailed["content"])]
    command += ["--templates", str(REPO / "templates"), "--ledger", str(mailed["ledger"])]
    result = CliRunner().invoke(cli, command)
    assert result.exit_code == 0, result.output
    with mailed["contacts"].open(encoding="utf-8") as stream:
        listed = [row["email"] for row in csv.DictReader(stream) if row["email"]]
    assert len(listed) == 10
    pdf = PdfReader(out / f"{NAME.format(day='2020-11-20')}.pdf")
    texts = {p.name: p.read_text(encoding="utf-8") for p in out.glob("*.[jh]*")}
    texts["pdf"] = "".join(page.extract_text() for page in pdf.pages)
    assert "sendgrid" in texts["pdf"]
    for name, text in texts.items():
        assert [a for a in listed if a in text] == [], name
        assert "@example.jp" not in text and "山田" not in text, name


def test_without_a_ledger_item_6_says_no_notice_mail_is_recorded(
    mailed: dict[str, Path], tmp_path: Path
) -> None:
    missing = tmp_path / "none.sqlite"
    data, _ = _report(mailed, tmp_path / "r", "--regime", "appi", "--ledger", str(missing))
    field = _field(data, "response_to_people")
    assert "通知メールの送信の記録はありません(通知の記録がありません)。" in field["value"]
    assert not missing.exists()


def test_the_substitute_notice_is_on_the_page_and_in_the_pdf(
    mailed: dict[str, Path], tmp_path: Path
) -> None:
    site = tmp_path / "site"
    command = ["build", "--no-pdf", "--content", str(mailed["content"]), "--out", str(site)]
    command += ["--templates", str(REPO / "templates"), "--as-of", "2020-11-20T00:00+09:00"]
    result = CliRunner().invoke(cli, command)
    assert result.exit_code == 0, result.output
    page = (site / "emotet-2020" / "2020-11-14" / "index.html").read_text(encoding="utf-8")
    assert '<section class="substitute-notice" id="substitute-notice">' in page
    assert "<h2>通知メールをお届けできなかった方へ</h2>" in page
    assert "2020年11月14日時点でお届けできていない方がいらっしゃいます(5名)" in page
    earlier = (site / "emotet-2020" / "2020-09-30" / "index.html").read_text(encoding="utf-8")
    assert "substitute-notice" not in earlier
    out = tmp_path / "ca"
    command = ["report", "emotet-2020", "--regime", "ca", "--as-of", "2020-11-20"]
    command += ["--out", str(out), "--content", str(mailed["content"])]
    command += ["--templates", str(REPO / "templates"), "--ledger", str(mailed["ledger"])]
    assert CliRunner().invoke(cli, command).exit_code == 0
    (sample,) = out.glob("*-sample-notice.pdf")
    text = squeeze("".join(p.extract_text() for p in PdfReader(sample).pages))
    assert squeeze("通知メールをお届けできなかった方へ") in text
    assert squeeze("お届けできていない方がいらっしゃいます(5名)") in text
    assert "@example.jp" not in text


def _copy(mailed: dict[str, Path], tmp_path: Path, facts: str, substitute: str) -> Path:
    """A copy of the mailed content with `facts` added and 11/14's substitute notice replaced."""
    content = tmp_path / "content"
    shutil.copytree(mailed["content"], content)
    incident = content / "incidents" / "emotet-2020" / "incident.yaml"
    text = incident.read_text(encoding="utf-8")
    incident.write_text(text.replace("facts:\n", "facts:\n" + facts, 1), encoding="utf-8")
    release = content / "incidents" / "emotet-2020" / "releases" / "2020-11-14.yaml"
    text = release.read_text(encoding="utf-8").replace(SUBSTITUTE, substitute)
    release.write_text(text, encoding="utf-8")
    return content


def test_a_later_count_leaves_the_page_as_it_was_and_the_report_says_it(
    mailed: dict[str, Path], tmp_path: Path
) -> None:
    later = NOT_REACHABLE.replace("  not_reachable:", "  reached_later:") + (
        "      - {as_of: 2020-11-16, value: 6}\n"
    )
    content = _copy(mailed, tmp_path, later, "substitute_notice: {count: facts.reached_later}\n")
    site = tmp_path / "site"
    command = ["build", "--no-pdf", "--content", str(content), "--out", str(site)]
    command += ["--templates", str(REPO / "templates"), "--as-of", "2020-11-20T00:00+09:00"]
    assert CliRunner().invoke(cli, command).exit_code == 0
    page = (site / "emotet-2020" / "2020-11-14" / "index.html").read_text(encoding="utf-8")
    assert "(5名)" in page and "(6名)" not in page
    command = ["report", "emotet-2020", "--regime", "appi", "--as-of", "2020-11-20", "--no-pdf"]
    command += ["--out", str(tmp_path / "r"), "--content", str(content)]
    command += ["--templates", str(REPO / "templates"), "--ledger", str(mailed["ledger"])]
    result = CliRunner().invoke(cli, command)
    assert (result.exit_code, result.stderr) == (0, "")  # 6 = 2 + 1 + 3: they agree
    (path,) = (tmp_path / "r").glob("*.json")
    field = _field(json.loads(path.read_text(encoding="utf-8")), "response_to_people")
    assert "その後の数: 6名(2020年11月16日時点)" in field["value"].splitlines()
    (part,) = [p["substitute_notice"] for p in field["parts"] if "substitute_notice" in p]
    assert (part["shown"], part["shown_as_of"], part["value"], part["as_of"]) == (
        5,
        "2020-11-14",
        6,
        "2020-11-16",
    )


@pytest.mark.parametrize(
    ("facts", "count", "message"),
    [
        ("", "not_reachable", "substitute_notice.count: expected facts.<name>, got "
         "'not_reachable'"),
        ("", "facts.unreached", "substitute_notice.count: facts.unreached: no such fact in the "
         "incident record"),
        ("  unreached:\n    label: x\n    values:\n      - {as_of: 2020-11-14, value: many}\n",
         "facts.unreached", "substitute_notice.count: facts.unreached: expected a whole number "
         "of people, got 'many'"),
        ("  unreached:\n    label: x\n    values:\n      - {as_of: 2020-11-16, value: 3}\n",
         "facts.unreached", "substitute_notice.count: facts.unreached: not yet known on "
         "2020-11-14 (first known on 2020-11-16)"),
    ],
)  # fmt: skip
def test_a_substitute_notice_needs_a_count_known_on_its_date(
    mailed: dict[str, Path], tmp_path: Path, facts: str, count: str, message: str
) -> None:
    content = _copy(mailed, tmp_path, facts, f"substitute_notice: {{count: {count}}}\n")
    command = ["build", "--no-pdf", "--content", str(content), "--out", str(tmp_path / "site")]
    command += ["--templates", str(REPO / "templates"), "--as-of", "2020-11-20T00:00+09:00"]
    result = CliRunner().invoke(cli, command)
    release = content / "incidents" / "emotet-2020" / "releases" / "2020-11-14.yaml"
    line = len(release.read_text(encoding="utf-8").splitlines())
    assert result.exit_code == 1
    (found,) = [e for e in result.stderr.splitlines() if f"2020-11-14.yaml:{line}:28: " in e]
    assert message in found


@pytest.mark.parametrize(
    ("lang", "unit", "shown"),
    [("ja", "名", "1,350名"), ("en", " customers", "1,350 customers"), ("ja", None, "1,350件")],
)
def test_report_counts_are_grouped_as_the_language_writes_them(
    lang: str, unit: str | None, shown: str
) -> None:
    strings = load_theme(None).strings_for(lang)
    assert words_for(lang, strings).count(1350, unit) == shown


def test_the_ledger_defaults_to_publisher_yamls(
    mailed: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    shutil.copytree(mailed["content"], project / "content")
    shutil.copy(mailed["ledger"], project / "kept.sqlite")
    (project / "publisher.yaml").write_text("ledger: kept.sqlite\n", encoding="utf-8")
    monkeypatch.chdir(project)
    command = ["report", "emotet-2020", "--regime", "appi", "--as-of", "2020-11-14"]
    command += ["--out", str(tmp_path / "r"), "--no-pdf", "--templates", str(REPO / "templates")]
    result = CliRunner().invoke(cli, command)
    assert result.exit_code == 0, result.output
    (path,) = (tmp_path / "r").glob("*.json")
    field = _field(json.loads(path.read_text(encoding="utf-8")), "response_to_people")
    assert _mail(field)["transports"]["sendgrid"]["segments"]["customers"]["notified"]["count"] == 6


@pytest.mark.parametrize(
    ("until", "notified", "unreached", "bounced"),
    [
        ("2020-11-14T00:59:59+00:00", 0, 0, 0),  # before the mailout
        ("2020-11-14T10:00:00+09:00", 6, 3, 0),  # sent and listed at 01:00 UTC
        ("2020-11-14T11:59:59+09:00", 6, 3, 0),  # the bounce came at 12:00 in Tokyo
        ("2020-11-14T12:00:00+09:00", 6, 3, 1),
        ("2020-11-16T04:00:00+00:00", 6, 3, 2),
    ],
)
def test_the_proof_counts_what_the_ledger_had_by_a_time(
    mailed: dict[str, Path], until: str, notified: int, unreached: int, bounced: int
) -> None:
    found = notice_proof(mailed["ledger"], RELEASE, datetime.fromisoformat(until))
    customers = {p.segment: p for p in found["sendgrid"]}["customers"]
    assert customers.measures["notified"].count == notified
    assert sum(customers.not_reachable.values()) == unreached
    assert customers.measures["bounced"].count == bounced
