"""`publisher deadlines`: every legal obligation of the incidents, its due moment and status.

The obligations are publisher.check.deadlines' (the same the check rules judge); this module
reads the content, picks the incident and lays them out as a table or as JSON.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from publisher.check.deadlines import Obligation, obligations, shown, status
from publisher.errors import ContentError, PublisherError
from publisher.load.content import read_content
from publisher.messages import N_, _
from publisher.model.content import Content

HEADINGS = (N_("incident"), N_("obligation"), N_("due"), N_("status"), N_("rule"))


@dataclass(frozen=True)
class Row:
    """One obligation as the table shows it."""

    incident: str
    obligation: str
    due: datetime
    state: str
    status: str
    rule: str
    source: str

    def cells(self) -> tuple[str, ...]:
        """The text of each column, in the order of HEADINGS."""
        return (self.incident, self.obligation, shown(self.due), self.status, self.source)


def deadline_rows(
    root: Path, regimes: tuple[str, ...], now: datetime, incident: str | None
) -> tuple[datetime, list[Row]]:
    """The moment judged at (in the site's zone if given without one) and every obligation of
    the content under `root` (of `incident` alone, if named) under the site's regimes plus
    `regimes`."""
    content, problems = read_content(root)
    if content is None or problems:
        raise ContentError(problems)
    zone = ZoneInfo(content.site.timezone)
    now = now.astimezone(zone) if now.tzinfo else now.replace(tzinfo=zone)  # said in the site's
    in_force = frozenset(content.site.regimes) | frozenset(regimes)
    rows = [_row(obligation, now) for obligation in obligations(_only(content, incident), in_force)]
    return now, rows


def _only(content: Content, incident: str | None) -> Content:
    """`content` with only `incident` (all when None); a PublisherError if there is none."""
    if incident is None:
        return content
    found = tuple(i for i in content.incidents if i.id == incident)
    if not found:
        known = ", ".join(i.id for i in content.incidents) or "none"
        said = _("no incident {incident}; incidents: {known}")
        raise PublisherError(said.format(incident=repr(incident), known=known))
    return Content(content.site, content.site_doc, found)


def _row(obligation: Obligation, now: datetime) -> Row:
    found = status(obligation, now)
    return Row(
        obligation.incident,
        obligation.name,
        obligation.due,
        found.state,
        found.text,
        obligation.rule,
        obligation.source,
    )


def format_rows(now: datetime, rows: list[Row], form: str) -> str:
    """The rows as an aligned text table under the moment, or as JSON (`form`: text, json)."""
    if form == "json":
        data = [
            {
                "incident": r.incident,
                "obligation": r.obligation,
                "due": r.due.isoformat(),
                "state": r.state,
                "status": r.status,
                "rule": r.rule,
                "source": r.source,
            }
            for r in rows
        ]
        return json.dumps(
            {"as_of": now.isoformat(), "obligations": data}, ensure_ascii=False, indent=2
        )
    if not rows:
        said = _("as of {moment}: no obligations (no regime in force: appi, gdpr, ca)")
        return said.format(moment=shown(now, end_of_day=False))
    table = [tuple(_(heading) for heading in HEADINGS), *(r.cells() for r in rows)]
    widths = [max(_width(line[i]) for line in table) for i in range(len(HEADINGS) - 1)]
    lines = [
        "  ".join(_pad(cell, w) for cell, w in zip(line, widths, strict=False)) + "  " + line[-1]
        for line in table
    ]
    heading = _("as of {moment}").format(moment=shown(now, end_of_day=False))
    return heading + "\n" + "\n".join(line.rstrip() for line in lines)


def _width(text: str) -> int:
    """Columns `text` takes in a terminal: two for each wide (CJK) character."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
