"""Reading the ledger back: counts by transport and state, and the per-address record a
regulator asks for.

The export is the state of notice to the people concerned (APPI report item 6): one row per
address and transport with its state (sent, failed, unknown, pending), when it was sent and the
message id. Only SendGrid's rows are notice: an outbox row marked sent means its .eml file was
written, for someone to look at, not that anyone was told. Reading never writes to the ledger.
"""

from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass
from pathlib import Path

from publisher.errors import NotifyError
from publisher.notify.ledger import Ledger, Mailing, UnknownBatch

EXPORT_COLUMNS = (
    "email", "transport", "state", "sent_at", "message_id", "batch", "attempts", "error",
)  # fmt: skip
MEANING = {"outbox": " (.eml files written for review; nobody was told by them)"}


@dataclass(frozen=True)
class TransportStatus:
    """The recipients of a release by one transport: counts by state, batches still unknown."""

    transport: str
    counts: dict[str, int]
    unknown: list[UnknownBatch]


def _public_state(state: str) -> str:
    """At rest, a batch still in flight has an unknown outcome."""
    return "unknown" if state == "in_flight" else state


def ledger_status(path: Path, release: str) -> list[TransportStatus]:
    """Recipients of `release` by transport and state, with the batches whose outcome is
    unknown."""
    with Ledger.read(path) as ledger:
        found = [
            TransportStatus(name, ledger.counts(mailing), ledger.unknown_batches(mailing))
            for name in ledger.transports(release)
            for mailing in [Mailing(release, name)]
        ]
    if not found:
        raise NotifyError(f"{path}: no recipients of {release!r} in this ledger")
    for status in found:
        status.counts["unknown"] += status.counts.pop("in_flight")
    return found


def format_status(release: str, found: list[TransportStatus], as_json: bool) -> str:
    """The status as text lines or as one JSON document."""
    if as_json:
        transports = {
            s.transport: {"counts": s.counts, "unknown_batches": [vars(b) for b in s.unknown]}
            for s in found
        }
        doc = {"release": release, "transports": transports}
        return json.dumps(doc, ensure_ascii=False, indent=2)
    lines = []
    for s in found:
        total = sum(s.counts.values())
        meaning = MEANING.get(s.transport, "")
        lines.append(f"{release} by {s.transport}{meaning}: {total} recipients")
        lines += [f"  {state}: {n}" for state, n in s.counts.items()]
        lines += [
            f"  unknown batch {b.id}: {b.size} recipients, started {b.started_at}"
            for b in s.unknown
        ]
    return "\n".join(lines)


def export_ledger(path: Path, release: str, out: Path) -> int:
    """Write one CSV row per address and transport of `release` to `out`, whole or not at all;
    return the number of rows."""
    partial = out.with_name(out.name + ".part")
    try:
        rows = _write_export(path, release, partial)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise NotifyError(f"{out}: cannot write the export: {exc.strerror}") from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    if not rows:
        partial.unlink()
        raise NotifyError(f"{path}: no recipients of {release!r} in this ledger")
    os.replace(partial, out)
    return rows


def _cell(value: object) -> object:
    """A value a spreadsheet shows as text: one starting like a formula gets a leading quote."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _write_export(path: Path, release: str, partial: Path) -> int:
    rows = 0
    with Ledger.read(path) as ledger, partial.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, EXPORT_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for record in ledger.records(release):
            record["state"] = _public_state(record["state"])
            writer.writerow({k: _cell(v) for k, v in record.items()})
            rows += 1
    return rows
