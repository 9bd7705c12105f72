"""Reading the ledger back: counts by transport and state, the proof of notice by segment, and
the per-address record a regulator asks for.

The export is the state of notice to the people concerned (APPI report item 6): one row per
address and transport with its state (sent, failed, unknown, pending), when it was sent, the
message id, its segment, what SendGrid's events said became of it (delivery, delivery_at) and
the digest of the mail it was sent; beside it, FILE.counts.csv holds the proof by transport and
segment. Only SendGrid's rows are notice: an outbox row marked sent means its .eml file was
written, for someone to look at, not that anyone was told. Reading never writes to the ledger.

The proof, per transport and segment, with the first and last time of each:

    notified       accepted by the transport (sent), at sent_at
    delivered      accepted by the receiving server, or reported by the person as spam
    bounced        refused by the receiving server
    dropped        not sent by SendGrid (an address it suppresses)
    not reachable  the list's rows left out: invalid, duplicate, no address (counts only, as
                   of the last list read for that segment)
    mail sha256:…  the recipients sent each distinct mail (publisher.notify.proof)
"""

from __future__ import annotations

import csv
import json
import os
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from publisher.errors import NotifyError
from publisher.messages import N_, _, counted
from publisher.notify.events import ORDER as DELIVERY_ORDER
from publisher.notify.ledger import Ledger, Mailing, UnknownBatch
from publisher.notify.ledger_file import reported
from publisher.notify.proof import REASONS

EXPORT_COLUMNS = (
    "email", "transport", "state", "sent_at", "message_id", "batch", "attempts", "error",
    "segment", "delivery", "delivery_at", "digest",
)  # fmt: skip
COUNT_COLUMNS = ("transport", "segment", "what", "count", "first_at", "last_at")
MEANING = {"outbox": N_(" (.eml files written for review; nobody was told by them)")}
MEASURES = {
    "notified": ("state = 'sent'", "sent_at"),
    "delivered": ("delivery IN ('delivered', 'spamreport')", "delivery_at"),
    "bounced": ("delivery = 'bounced'", "delivery_at"),
    "dropped": ("delivery = 'dropped'", "delivery_at"),
}
"""What the proof counts of a segment's rows: which rows, and the time of their state."""
DELIVERY_MEASURE = {
    "delivered": "delivered", "spamreport": "delivered", "bounced": "bounced", "dropped": "dropped"
}  # fmt: skip
"""The measure that counts a row in each delivery state (the others are counted by none)."""


@dataclass(frozen=True)
class Measure:
    """How many rows, and the first and last time of their state (None if no row)."""

    count: int = 0
    first: str | None = None
    last: str | None = None


@dataclass
class SegmentProof:
    """The proof of notice of one segment by one transport."""

    segment: str
    measures: dict[str, Measure] = field(default_factory=dict)
    not_reachable: dict[str, int] = field(default_factory=lambda: dict.fromkeys(REASONS, 0))
    listed_at: str | None = None
    mails: dict[str, Measure] = field(default_factory=dict)


@dataclass(frozen=True)
class TransportStatus:
    """The recipients of a release by one transport: counts by state, batches still unknown,
    and the proof by segment."""

    transport: str
    counts: dict[str, int]
    unknown: list[UnknownBatch]
    segments: list[SegmentProof] = field(default_factory=list)


def _public_state(state: str) -> str:
    """At rest, a batch still in flight has an unknown outcome."""
    return "unknown" if state == "in_flight" else state


def ledger_status(path: Path, release: str) -> list[TransportStatus]:
    """Recipients of `release` by transport and state, with the batches whose outcome is
    unknown."""
    with Ledger.read(path) as ledger:
        found = [
            TransportStatus(
                name,
                ledger.counts(mailing),
                ledger.unknown_batches(mailing),
                proof(ledger, mailing),
            )
            for name in ledger.transports(release)
            for mailing in [Mailing(release, name)]
        ]
    if not found:
        said = _("{path}: no recipients of {release} in this ledger")
        raise NotifyError(said.format(path=path, release=repr(release)))
    for status in found:
        status.counts["unknown"] += status.counts.pop("in_flight")
    return found


def proof(ledger: Ledger, mailing: Mailing) -> list[SegmentProof]:
    """The proof of notice of `mailing`, by segment (in name order)."""
    key = (mailing.release, mailing.transport)
    found: dict[str, SegmentProof] = {}
    with reported(ledger.path):
        columns = ", ".join(
            f"count(CASE WHEN {rows} THEN 1 END), min(CASE WHEN {rows} THEN {at} END),"
            f" max(CASE WHEN {rows} THEN {at} END)"
            for rows, at in MEASURES.values()
        )
        cursor = ledger.db.execute(
            f"SELECT segment, {columns} FROM recipients WHERE release = ? AND transport = ?"
            " GROUP BY segment",
            key,
        )
        for segment, *values in cursor:
            measures = [Measure(*values[i : i + 3]) for i in range(0, len(values), 3)]
            found[segment] = SegmentProof(segment, dict(zip(MEASURES, measures, strict=True)))
        _add_left_out(ledger, key, found)
        _add_mails(ledger, key, found)
    return [found[name] for name in sorted(found)]


def _add_left_out(
    ledger: Ledger,
    key: tuple[str, str],
    found: dict[str, SegmentProof],
    until: datetime | None = None,
) -> None:
    cursor = ledger.db.execute(
        "SELECT segment, reason, count, recorded_at FROM left_out"
        " WHERE release = ? AND transport = ?",
        key,
    )
    for segment, reason, n, at in cursor:
        if until is not None and _at(at) > until:
            continue  # a list read later (it replaced any earlier list's counts)
        entry = found.setdefault(segment, SegmentProof(segment, dict.fromkeys(MEASURES, Measure())))
        entry.not_reachable[reason] = n
        entry.listed_at = max(entry.listed_at or at, at)


def _add_mails(ledger: Ledger, key: tuple[str, str], found: dict[str, SegmentProof]) -> None:
    cursor = ledger.db.execute(
        "SELECT r.segment, b.digest, count(*), min(r.sent_at), max(r.sent_at)"
        " FROM recipients r JOIN batches b ON b.id = r.batch"
        " WHERE r.release = ? AND r.transport = ? AND r.state = 'sent' AND b.digest IS NOT NULL"
        " GROUP BY r.segment, b.digest ORDER BY r.segment, min(r.sent_at), b.digest",
        key,
    )
    for segment, digest, n, first, last in cursor:
        found[segment].mails[digest] = Measure(n, first, last)


def notice_proof(path: Path, release: str, until: datetime) -> dict[str, list[SegmentProof]]:
    """The proof of notice of `release` by transport, as the ledger at `path` had recorded it
    by `until`: sent by then, the delivery state of the events dated by then, the rows left out
    of a list read by then ({} if no recipient of it was recorded). Counts and times only."""
    with Ledger.read(path) as ledger, reported(path):
        return {
            name: proof_until(ledger, Mailing(release, name), until)
            for name in ledger.transports(release)
        }


def proof_until(ledger: Ledger, mailing: Mailing, until: datetime) -> list[SegmentProof]:
    """proof() of `mailing` as it stood at `until`, by segment (in name order)."""
    key = (mailing.release, mailing.transport)
    rows = ledger.db.execute(
        "SELECT r.id, r.segment, r.state, r.sent_at, b.digest FROM recipients r"
        " LEFT JOIN batches b ON b.id = r.batch WHERE r.release = ? AND r.transport = ?",
        key,
    ).fetchall()
    found = {segment: SegmentProof(segment) for _, segment, *_ in rows}
    times: dict[str, dict[str, list[str]]] = {s: {m: [] for m in MEASURES} for s in found}
    mails: dict[str, dict[str, list[str]]] = {s: {} for s in found}
    delivery = _delivery_until(ledger, key, until)
    for row_id, segment, state, sent_at, digest in rows:
        if state == "sent" and sent_at and _at(sent_at) <= until:
            times[segment]["notified"].append(sent_at)
            if digest:
                mails[segment].setdefault(digest, []).append(sent_at)
        if row_id in delivery:
            what, at = delivery[row_id]
            times[segment][what].append(at)
    for segment, entry in found.items():
        entry.measures = {m: _measure(t) for m, t in times[segment].items()}
        entry.mails = {d: _measure(t) for d, t in mails[segment].items()}
    _add_left_out(ledger, key, found, until)
    return [found[name] for name in sorted(found)]


def _delivery_until(
    ledger: Ledger, key: tuple[str, str], until: datetime
) -> dict[int, tuple[str, str]]:
    """Each row's furthest delivery state among its events dated by `until`, as the measure
    that counts it (delivered, bounced, dropped) and the time of that event."""
    cursor = ledger.db.execute(
        "SELECT e.recipient, e.event, e.at FROM events e JOIN recipients r ON r.id = e.recipient"
        " WHERE r.release = ? AND r.transport = ? AND e.at <= ? ORDER BY e.at, e.sg_event_id",
        (*key, until.timestamp()),
    )
    furthest: dict[int, tuple[int, str, int]] = {}
    for recipient, event, at in cursor:
        rank = DELIVERY_ORDER[event]
        if rank > furthest.get(recipient, (0, "", 0))[0]:
            furthest[recipient] = (rank, event, at)
    return {
        recipient: (DELIVERY_MEASURE[event], _stamp(at))
        for recipient, (_, event, at) in furthest.items()
        if event in DELIVERY_MEASURE
    }


def _at(stamp: str) -> datetime:
    """A time the ledger recorded (ISO 8601; one without a zone is UTC)."""
    moment = datetime.fromisoformat(stamp)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _stamp(at: int) -> str:
    """An event's time as the ledger writes a delivery's (delivery_at)."""
    return datetime.fromtimestamp(at, UTC).isoformat(timespec="seconds")


def _measure(stamps: list[str]) -> Measure:
    if not stamps:
        return Measure()
    ordered = sorted(stamps, key=_at)
    return Measure(len(ordered), ordered[0], ordered[-1])


def format_status(release: str, found: list[TransportStatus], as_json: bool) -> str:
    """The status as text lines or as one JSON document."""
    if as_json:
        transports = {
            s.transport: {
                "counts": s.counts,
                "unknown_batches": [vars(b) for b in s.unknown],
                "segments": {p.segment: _proof_doc(p) for p in s.segments},
            }
            for s in found
        }
        doc = {"release": release, "transports": transports}
        return json.dumps(doc, ensure_ascii=False, indent=2)
    lines = []
    for s in found:
        total = sum(s.counts.values())
        meaning = _(MEANING[s.transport]) if s.transport in MEANING else ""
        said = counted(
            total,
            "{release} by {transport}{meaning}: {n} recipient",
            "{release} by {transport}{meaning}: {n} recipients",
            release=release,
            transport=s.transport,
            meaning=meaning,
        )
        lines.append(said)
        lines += [f"  {state}: {n}" for state, n in s.counts.items()]
        lines += [
            counted(
                b.size,
                "  unknown batch {batch}: {n} recipient, started {started}",
                "  unknown batch {batch}: {n} recipients, started {started}",
                batch=b.id,
                started=b.started_at,
            )
            for b in s.unknown
        ]
        for p in s.segments:
            lines += _proof_lines(p)
    return "\n".join(lines)


def _proof_doc(p: SegmentProof) -> dict[str, object]:
    doc = {name: asdict(m) for name, m in p.measures.items()}
    return doc | {
        "not_reachable": p.not_reachable,
        "listed_at": p.listed_at,
        "mails": {f"sha256:{d}": asdict(m) for d, m in p.mails.items()},
    }


def _proof_lines(p: SegmentProof) -> list[str]:
    counts = ", ".join(f"{m.count} {name}" for name, m in p.measures.items())
    left = p.not_reachable
    why = (
        f"{left['invalid']} invalid, {left['duplicate']} duplicate, {left['no_address']} no address"
    )
    lines = [
        f"  segment {p.segment or '(none)'}: {counts}; {sum(left.values())} not reachable ({why})"
    ]
    lines += [f"    {name} {_when(m)}" for name, m in p.measures.items() if m.count]
    lines += [f"    mail sha256:{d}: {m.count} recipients" for d, m in p.mails.items()]
    return lines


def _when(m: Measure) -> str:
    if m.first is None or m.last is None:
        return "(no time recorded)"
    return m.first if m.first == m.last else f"{m.first} to {m.last}"


def counts_path(out: Path) -> Path:
    """Where the export of `out` writes its counts: notice.csv → notice.counts.csv."""
    stem = out.name[: -len(".csv")] if out.name.lower().endswith(".csv") else out.name
    return out.with_name(stem + ".counts.csv")


def export_ledger(path: Path, release: str, out: Path) -> int:
    """Write one CSV row per address and transport of `release` to `out`, and the proof by
    transport and segment to counts_path(out), whole or not at all; return the number of rows."""
    counts = counts_path(out)
    if _a_ledger(out) or _a_ledger(counts):
        said = _(
            "{path}: that is a ledger (an SQLite database), or one of its files: the export "
            "would write over a record of who was told; name another file"
        )
        raise NotifyError(said.format(path=out))
    partials = [p.with_name(p.name + ".part") for p in (out, counts)]
    try:
        rows = _write_export(path, release, *partials)
    except OSError as exc:
        _remove(partials)
        said = _("{path}: cannot write the export: {error}")
        raise NotifyError(said.format(path=out, error=exc.strerror)) from None
    except BaseException:
        _remove(partials)
        raise
    if not rows:
        _remove(partials)
        said = _("{path}: no recipients of {release} in this ledger")
        raise NotifyError(said.format(path=path, release=repr(release)))
    os.replace(partials[1], counts)
    os.replace(partials[0], out)
    return rows


def _a_ledger(path: Path) -> bool:
    """Whether `path` is an SQLite database (this ledger, another, anyone's), or the journal,
    write-ahead log or shared memory of one."""
    for end in ("-journal", "-wal", "-shm"):
        if path.name.endswith(end):
            path = path.with_name(path.name.removesuffix(end))  # the database it belongs to
            break
    try:
        with path.open("rb") as file:
            return file.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def _remove(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def _cell(value: object) -> object:
    """A value a spreadsheet shows as text: one starting like a formula gets a leading quote."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _write_export(path: Path, release: str, partial: Path, counts: Path) -> int:
    rows = 0
    with Ledger.read(path) as ledger:
        with partial.open("w", newline="", encoding="utf-8") as stream:
            writer = csv.DictWriter(stream, EXPORT_COLUMNS, extrasaction="ignore")
            writer.writeheader()
            for record in ledger.records(release):
                record["state"] = _public_state(record["state"])
                writer.writerow({k: _cell(v) for k, v in record.items()})
                rows += 1
        with counts.open("w", newline="", encoding="utf-8") as stream:
            table = csv.writer(stream)
            table.writerow(COUNT_COLUMNS)
            for name in ledger.transports(release):
                for p in proof(ledger, Mailing(release, name)):
                    table.writerows([_cell(v) for v in row] for row in _count_rows(name, p))
    return rows


def _count_rows(transport: str, p: SegmentProof) -> list[tuple[object, ...]]:
    """The rows of one segment's proof in FILE.counts.csv."""
    found: list[tuple[object, ...]] = [
        (transport, p.segment, name, m.count, m.first, m.last) for name, m in p.measures.items()
    ]
    at = p.listed_at
    found += [
        (transport, p.segment, f"not reachable: {reason}", n, at, at)
        for reason, n in p.not_reachable.items()
    ]
    found += [
        (transport, p.segment, f"mail sha256:{d}", m.count, m.first, m.last)
        for d, m in p.mails.items()
    ]
    return found
