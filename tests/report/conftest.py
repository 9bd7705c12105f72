"""Report tests: the commands in a click group of their own, and a small English incident.

The commands are tested as publisher/cli.py will hold them (`cli.add_command(report)`), in a
group made for the test, so the real `cli` is never changed under the other tests.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from publisher.cli import cli
from publisher.commands.report import register, report
from tests.conftest import MakeTree

Invoke = Callable[..., Result]

SHOP = """\
title: Unauthorized access to the web shop
discovered: 2026-03-02
category: unauthorized_access
facts:
  customers:
    label: Customers affected
    unit: " customers"
    values:
      - {as_of: 2026-03-04, value: 1200}
      - {as_of: 2026-03-20, value: 1350, note: The investigation found 150 more.}
  records:
    label: Order records
    values:
      - {as_of: 2026-03-20, value: 4100}
  california_residents:
    label: California residents notified
    values:
      - {as_of: 2026-03-20, value: 612}
  data:
    label: Personal data involved
    values:
      - {as_of: 2026-03-04, value: [names, e-mail addresses, order history]}
timeline:
  - date: 2026-03-01
    known: 2026-03-20
    text: The attacker got in through an unpatched plugin.
  - date: 2026-03-02
    text: Unusual traffic detected; the shop was taken offline.
measures:
  - {date: 2026-03-02, text: The shop taken offline}
  - {date: 2026-03-20, text: Plugins patched and passwords reset}
  - {date: 2026-03-20, status: planned, text: A web application firewall}
disclosure:
  overview: {present: [timeline, "release:2026-03-04#What Happened"]}
  data_items: {present: [facts.data]}
  people: {present: [facts.customers]}
  records: {present: [facts.records]}
  contact_point: {present: ["release:2026-03-04#For More Information"]}
  consequences: {unknown: 2026-03-20, note: No misuse of the data has been seen.}
  prevention: {present: [measures]}
  publication: {present: ["release:2026-03-04", "release:2026-03-20"]}
  reports:
    - regime: gdpr
      stage: preliminary
      date: 2026-03-06
      delay_reason: The breach was confirmed only on March 5, after forensic analysis.
"""

NOTICE = """\
date: {date}
kind: {kind}
title: "Notice of Data Breach{suffix}"
summary: Someone got into our web shop.
intro: |
  We are writing to tell you about a breach of our web shop.
sections:
  - heading: What Happened
    body: "Someone got into our web shop; {{{{ facts.customers }}}} customers are concerned."
  - heading: What Information Was Involved
    body: "{{{{ facts.data | join(', ') }}}}."
  - heading: What We Are Doing
    body: "{{{{ measures.taken | bullets }}}}"
  - heading: What You Can Do
    body: Watch for mail that asks for your password; we never do.
  - heading: For More Information
    body: Write to help@example.com.
notify:
  subject: "Notice of Data Breach{suffix}"
"""


def shop_tree(make_tree: MakeTree) -> Path:
    """A content tree with the shop incident and its two notices (no other incident)."""
    first = NOTICE.format(date="2026-03-04", kind="first_notice", suffix="")
    second = NOTICE.format(date="2026-03-20", kind="update", suffix=": update")
    closing = "closing: See also [our first notice](release:2026-03-04).\n"
    return make_tree(
        {
            "incidents/test/incident.yaml": None,
            "incidents/test/releases/2020-08-05.yaml": None,
            "incidents/shop/incident.yaml": SHOP,
            "incidents/shop/releases/2026-03-04.yaml": first,
            "incidents/shop/releases/2026-03-20.yaml": second + closing,
        }
    )


def report_group() -> click.Group:
    """publisher's group with the two commands added, as cli.py will add them."""
    commands = {**cli.commands, "report": report, "register": register}
    return click.Group(
        "publisher",
        commands=commands,
        callback=cli.callback,
        params=cli.params,
        context_settings=cli.context_settings,
    )


@pytest.fixture
def invoke() -> Invoke:
    """Run `publisher ARGS...` with the report commands added; the result, stderr apart."""
    group = report_group()

    def run(*args: str) -> Result:
        return CliRunner().invoke(group, list(args))

    return run
