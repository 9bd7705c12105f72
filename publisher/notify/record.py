"""Reading the ledger back: counts by state, and the per-address record a regulator asks for.

The export is the state of notice to the people concerned (APPI report item 6): one row per
address with its state (sent, failed, unknown, pending), when it was sent and the message id.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

from publisher.errors import NotifyError
from publisher.notify.ledger import Ledger, UnknownBatch

EXPORT_COLUMNS = ("email", "state", "sent_at", "message_id", "batch", "attempts", "error")


def _open(path: Path) -> Ledger:
    if not path.is_file():
        raise NotifyError(f"{path}: no ledger here; has a mailout been run?")
    return Ledger.open(path, lock=False)


def _public_state(state: str) -> str:
    """At rest, a batch still in flight has an unknown outcome."""
    return "unknown" if state == "in_flight" else state


def ledger_status(path: Path, release: str) -> tuple[dict[str, int], list[UnknownBatch]]:
    """Recipients of `release` by state, and the batches whose outcome is unknown."""
    with _open(path) as ledger:
        counts = ledger.counts(release)
        unknown = ledger.unknown_batches(release)
    if not any(counts.values()):
        raise NotifyError(f"{path}: no recipients of {release!r} in this ledger")
    counts["unknown"] += counts.pop("in_flight")
    return counts, unknown


def format_status(
    release: str, counts: dict[str, int], unknown: list[UnknownBatch], as_json: bool
) -> str:
    """The status as text lines or as one JSON document."""
    if as_json:
        batches = [vars(b) for b in unknown]
        doc = {"release": release, "counts": counts, "unknown_batches": batches}
        return json.dumps(doc, ensure_ascii=False, indent=2)
    total = sum(counts.values())
    lines = [f"{release}: {total} recipients"]
    lines += [f"  {state}: {n}" for state, n in counts.items()]
    lines += [
        f"  unknown batch {b.id}: {b.size} recipients, started {b.started_at}" for b in unknown
    ]
    return "\n".join(lines)


def export_ledger(path: Path, release: str, out: Path) -> int:
    """Write one CSV row per address of `release` to `out`; return the number of rows."""
    partial = out.with_name(out.name + ".part")
    try:
        rows = _write_export(path, release, partial)
    except OSError as exc:
        raise NotifyError(f"{out}: cannot write the export: {exc.strerror}") from None
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
    with _open(path) as ledger, partial.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, EXPORT_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for record in ledger.records(release):
            record["state"] = _public_state(record["state"])
            writer.writerow({k: _cell(v) for k, v in record.items()})
            rows += 1
    return rows
