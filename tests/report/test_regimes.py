"""The GDPR notification and the California submission, for a small English incident.

The shop's record changes between its two notices: 1,200 customers on 3/4, 1,350 on 3/20, the
records counted and the way in known only on 3/20. Each report shows the record as of its date.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from tests.conftest import MakeTree
from tests.pagetext import squeeze
from tests.report.conftest import Invoke, shop_tree

DELAY = "The breach was confirmed only on March 5, after forensic analysis."


def _report(invoke: Invoke, out: Path, regime: str, *args: str) -> dict[str, Any]:
    result = invoke("report", "shop", "--regime", regime, "--out", str(out), *args)
    assert result.exit_code == 0, result.output
    [found] = [p for p in out.iterdir() if p.suffix == ".json"]
    data: dict[str, Any] = json.loads(found.read_text(encoding="utf-8"))
    return data


def _fields(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["key"]: f for f in data["fields"]}


def test_gdpr_notification_as_of_the_update(make_tree: MakeTree, invoke: Invoke) -> None:
    shop_tree(make_tree)
    data = _report(invoke, Path("out"), "gdpr", "--as-of", "2026-03-20", "--no-pdf")
    fields = _fields(data)
    assert [f["basis"] for f in data["fields"]][4:] == [
        "Art. 33(3)(a)",
        "Art. 33(3)(a)",
        "Art. 33(3)(a)",
        "Art. 33(3)(a)",
        "Art. 33(3)(b)",
        "Art. 33(3)(c)",
        "Art. 33(3)(d)",
        "Art. 34, 34(3)(c)",
        "Art. 33(1)",
    ]
    assert fields["controller"]["value"] == "Example Corp"
    assert fields["aware"]["value"] == "2026-03-02"
    assert fields["notified"]["value"] == "2026-03-20"
    assert fields["overview"]["value"].startswith(
        "March 1, 2026 The attacker got in through an unpatched plugin.\n"
        "March 2, 2026 Unusual traffic detected; the shop was taken offline.\n\n"
        "March 4, 2026 “Notice of Data Breach”\n"
        "https://www.example.com/incidents/shop/2026-03-04/\n"
        "What Happened:\n"
    )
    assert fields["data_items"]["value"] == (
        "Personal data involved: names, e-mail addresses, order history"
    )
    assert fields["people"]["value"] == "Customers affected: 1,350 customers"
    assert fields["records"]["value"] == "Order records: 4,100"
    assert fields["contact_point"]["value"].startswith("Example Help Desk\nhelp@example.com\n\n")
    assert fields["contact_point"]["value"].endswith(
        "For More Information:\nWrite to help@example.com."
    )
    assert fields["consequences"]["status"] == "unknown as of 2026-03-20"
    assert fields["consequences"]["value"] == (
        "Unknown as of March 20, 2026\nNo misuse of the data has been seen."
    )
    assert fields["prevention"]["value"] == (
        "Taken:\n- March 2, 2026 The shop taken offline\n"
        "- March 20, 2026 Plugins patched and passwords reset\n"
        "Planned:\n- A web application firewall"
    )
    assert fields["delay_reason"] == {
        "key": "delay_reason",
        "label": "Reasons for the delay",
        "basis": "Art. 33(1)",
        "status": "from the record",
        "value": DELAY,
        "sources": ["disclosure.reports"],
    }
    assert data["deadline"] == {"due": "2026-03-05", "hours": 72, "past": True}
    assert data["reports_recorded"] == [
        {"stage": "preliminary", "date": "2026-03-06", "delay_reason": DELAY}
    ]
    assert any("data protection officer" in line for line in data["left_to_fill"])


def test_gdpr_notification_within_72_hours(make_tree: MakeTree, invoke: Invoke) -> None:
    shop_tree(make_tree)
    data = _report(
        invoke, Path("out"), "gdpr", "--stage", "preliminary", "--as-of", "2026-03-04", "--no-pdf"
    )
    fields = _fields(data)
    assert (
        fields["stage"]["value"] == "initial notification, to be completed in phases (Art. 33(4))"
    )
    assert fields["people"]["value"] == "Customers affected: 1,200 customers"
    assert fields["records"]["status"] == "not yet known as of 2026-03-04"
    assert fields["consequences"]["status"] == "unknown as of 2026-03-04"
    assert fields["consequences"]["value"] == "Unknown as of March 4, 2026"  # no later note
    assert fields["delay_reason"]["status"] == "not needed"
    assert "unpatched plugin" not in json.dumps(data)
    assert data["reports_recorded"] == []  # made on 3/6


def test_ca_submission_with_the_sample_notice(make_tree: MakeTree, invoke: Invoke) -> None:
    shop_tree(make_tree)
    out = Path("out")
    data = _report(invoke, out, "ca", "--as-of", "2026-03-20")
    assert sorted(p.name for p in out.iterdir()) == [
        "shop-ca-2026-03-20-sample-notice.pdf",
        "shop-ca-2026-03-20.html",
        "shop-ca-2026-03-20.json",
        "shop-ca-2026-03-20.pdf",
    ]
    fields = _fields(data)
    assert data["stage"] is None
    assert fields["breach_dates"]["value"] == "2026-03-01"
    assert fields["discovery_dates"]["value"] == "2026-03-02"
    assert fields["notice_dates"]["value"] == "2026-03-04, 2026-03-20"
    assert fields["data_items"]["value"].endswith("names, e-mail addresses, order history")
    assert fields["residents"]["value"] == "612"
    assert data["submission_required"] is True
    sample = fields["sample"]
    assert sample["sources"] == ["release:2026-03-20"]
    assert sample["value"].startswith(
        "March 20, 2026\nExample Corp\nNotice of Data Breach: update\n"
    )
    for heading in ("What Happened", "What Information Was Involved", "What We Are Doing",
                    "What You Can Do", "For More Information"):  # fmt: skip
        assert heading in sample["value"]
    assert "1,350 customers are concerned" in sample["value"]
    notice = PdfReader(out / "shop-ca-2026-03-20-sample-notice.pdf")
    assert notice.metadata is not None and notice.metadata.title == "Notice of Data Breach: update"
    printed = squeeze("".join(page.extract_text() for page in notice.pages))
    assert squeeze("What Information Was Involved") in printed
    assert squeeze("1,350 customers") in printed
    report = PdfReader(out / "shop-ca-2026-03-20.pdf")
    assert squeeze("Number of California residents affected") in squeeze(
        "".join(page.extract_text() for page in report.pages)
    )


def test_ca_submission_before_the_residents_were_counted(
    make_tree: MakeTree, invoke: Invoke
) -> None:
    shop_tree(make_tree)
    data = _report(invoke, Path("out"), "ca", "--as-of", "2026-03-04", "--no-pdf")
    fields = _fields(data)
    assert fields["residents"]["status"] == "not yet known as of 2026-03-04"
    assert data["submission_required"] is None
    assert fields["notice_dates"]["value"] == "2026-03-04"
    assert fields["breach_dates"]["value"] == "2026-03-02"  # the 3/1 entry was found on 3/20
    assert fields["sample"]["sources"] == ["release:2026-03-04"]
    assert "1,200 customers are concerned" in fields["sample"]["value"]
