"""The internal register of personal data breaches (GDPR Art. 33(5)) as CSV (pure).

One row per incident discovered by the date: the facts relating to the breach, its effects,
the remedial action taken, and the reports made to regulators and the releases that told the
people concerned, each as the record knew it on that date. Every incident is in it, whether
or not a regulator was told, as Art. 33(5) asks.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from publisher.model.schema import RegulatorReport
from publisher.report.form import FieldReader
from publisher.report.items import fact_text, measures_part
from publisher.report.snapshot import Snapshot

COLUMNS = (
    "incident",
    "title",
    "category",
    "discovered",
    "as_of",
    "facts",
    "nature",
    "personal_data",
    "data_subjects",
    "records",
    "effects",
    "remedial_action",
    "reports",
    "communicated",
)
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def register_row(snapshot: Snapshot) -> dict[str, str]:
    """The register's row for one incident, as known on the snapshot's date."""
    reader = FieldReader(snapshot)

    def value(key: str) -> str:
        item = reader.item(key)
        return item.value(snapshot.words) or item.status

    said = [reader.item(key) for key in ("consequences", "secondary_damage")]
    effects = [i.value(snapshot.words) for i in said if i.state != "absent"]
    measures = measures_part(snapshot)
    row = {
        "incident": snapshot.id,
        "title": snapshot.incident.incident.title,
        "category": snapshot.incident.incident.category,
        "discovered": snapshot.discovered.isoformat(),
        "as_of": snapshot.as_of.isoformat(),
        "facts": "\n".join(fact_text(f, snapshot.words) for f in snapshot.facts.values()),
        "nature": value("overview"),
        "personal_data": value("data_items"),
        "data_subjects": value("people"),
        "records": value("records"),
        "effects": "\n\n".join(effects) or "not in the record",
        "remedial_action": measures.text if measures else "",
        "reports": "\n".join(_report_line(r) for r in snapshot.reports),
        "communicated": "\n".join(
            f"{r.date.isoformat()} {r.title} {r.url}" for r in snapshot.releases
        ),
    }
    reader.done()
    return row


def _report_line(report: RegulatorReport) -> str:
    line = f"{report.date.isoformat()} {report.regime} {report.stage}"
    return f"{line} (delay: {report.delay_reason})" if report.delay_reason else line


def register_csv(rows: Iterable[dict[str, str]]) -> bytes:
    """The register as UTF-8 CSV with a header row; a cell a spreadsheet would take for a
    formula starts with a quote."""
    stream = io.StringIO(newline="")
    writer = csv.DictWriter(stream, COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "'" + v if v.startswith(_FORMULA) else v for k, v in row.items()})
    return stream.getvalue().encode("utf-8")
