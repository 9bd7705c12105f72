"""A mailout: plan (contacts + checked notice) → ledger → transport, resumable after a crash.

Everything is read and checked before anything is sent: the content, the notice against the
safety rules (its sender's addresses too), and the whole contact list (staged in the ledger's
temporary tables, so memory does not grow with it). Then each batch is recorded in flight, sent, and
recorded as sent. The ledger's rows are those of the chosen transport: what the outbox wrote is
never taken for what SendGrid sent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from publisher.check.runner import checked
from publisher.clock import Clock
from publisher.errors import NotifyError, OutcomeUnknown, RecipientRefused, Refused
from publisher.messages import N_, _, counted
from publisher.model.schedule import published_at
from publisher.model.schema import Release
from publisher.notify.contacts import ContactReport, read_contacts
from publisher.notify.ledger import Ledger, Mailing, Queued, UnknownBatch
from publisher.notify.ledger_file import ledger_path
from publisher.notify.message import Notice, build_mime, plan_notice, shape_of
from publisher.notify.outbox import write_eml
from publisher.notify.transport import Transport, batch_limit, close
from publisher.render.theme import load_theme
from publisher.reporter import Reporter

BATCH_SIZE = 1000
REFUSALS_SHOWN = 10  # a recipient refused by an SMTP server is a warning; past these, a count
CHECK_FIRST = {"sendgrid": N_("SendGrid's activity feed"), "smtp": N_("the mail server's log")}
THE_RECORD = N_("the transport's record")
"""Where to look first for an unknown outcome, by transport (THE_RECORD for any other)."""


@dataclass(frozen=True)
class MailoutConfig:
    """What to send to whom, and where the record is kept."""

    content: Path
    templates: Path | None
    release: str
    contacts: Path
    transport: str = "outbox"
    encoding: str = "utf-8"
    segments: tuple[str, ...] = ()
    ledger: Path | None = None
    outbox: Path = Path("outbox")
    dry_run: bool = False
    resend_unknown: bool = False
    batch_size: int = BATCH_SIZE

    @property
    def ledger_path(self) -> Path:
        """The ledger file: --ledger, or notify.ledger.sqlite beside the content folder."""
        return ledger_path(self.ledger, self.content)

    @property
    def mailing(self) -> Mailing:
        """The key of this mailout's ledger rows: the release, by the transport."""
        return Mailing(self.release, self.transport)


@dataclass
class Plan:
    """What a run would do: the notice, the list as read, and the recipients by ledger state."""

    notice: Notice
    report: ContactReport
    states: dict[str, int]
    transport: str
    to_send: int = 0
    resend_unknown: bool = False

    @property
    def unknown(self) -> int:
        """Recipients whose earlier outcome is unknown."""
        return self.states.get("unknown", 0)


@dataclass
class MailoutResult:
    """What a run did."""

    plan: Plan
    sent: int = 0
    batches: int = 0
    refused: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    unknown: list[UnknownBatch] = field(default_factory=list)
    sample: Path | None = None


def send_notices(
    config: MailoutConfig,
    make_transport: Callable[[], Transport],
    reporter: Reporter,
    confirm: Callable[[Plan], bool],
    clock: Clock,
    now: datetime | None = None,
) -> MailoutResult:
    """Plan the mailout of config.release, ask `confirm`, then send what is due.

    `now` is the command's one publication moment (the real time, as for `build`): it decides
    whether the release is public (default: `clock()`). `clock` dates what is written (ledger
    rows, mails) and may follow SOURCE_DATE_EPOCH.
    """
    notice = _notice(config, clock() if now is None else now, reporter)
    transport = None if config.dry_run else make_transport()  # a missing key stops us here
    if transport is not None and transport.name != config.transport:
        raise ValueError(f"transport {transport.name!r} for a {config.transport!r} mailout")
    with _open_ledger(config) as ledger:
        if transport is not None:
            ledger.recover(config.mailing, _stamp(clock), transport.repeatable)
        plan = _plan(config, notice, ledger, reporter)
        show_plan(plan, reporter)
        result = MailoutResult(plan)
        if config.dry_run:
            result.sample = _dry_run(config, notice, ledger, plan, reporter, clock)
        elif transport is not None and plan.to_send and confirm(plan):
            try:
                _send(config, notice, ledger, transport, reporter, clock, result)
            finally:
                close(transport)
        result.counts = ledger.counts(config.mailing)
        result.unknown = ledger.unknown_batches(config.mailing)
    return result


def _notice(config: MailoutConfig, now: datetime, reporter: Reporter) -> Notice:
    check = checked(config.content, config.templates, reporter)
    content = check.content
    assert content is not None
    record = content.find_release(config.release)
    if record is None:
        message = _("no release {release} (ids look like emotet-2020/2020-11-14)")
        raise NotifyError(message.format(release=repr(config.release)))
    not_public = _not_public(record.release, content.site.timezone, now)
    if not_public and not config.dry_run:
        message = _("{release}: {why}; its notice would link to a missing page")
        raise NotifyError(message.format(release=record.id, why=not_public))
    if not_public:
        reporter.warn(f"{record.id}: {not_public}")
    notice = plan_notice(content, record, check.theme or load_theme(config.templates))
    unknown = sorted(set(config.segments) - set(notice.segments)) if notice.segments else []
    if unknown:
        told = ", ".join(notice.segments)
        message = _("segment {segment} is not told by this release (it tells: {told})")
        raise NotifyError(message.format(segment=repr(unknown[0]), told=told))
    return notice


def _not_public(release: Release, timezone: str, now: datetime) -> str:
    """Why the release's page is not public at `now` ('' if it is)."""
    if release.draft:
        return _("the release is a draft")
    due = published_at(release, timezone)
    published = _("the release is published at {moment}")
    return published.format(moment=due.isoformat()) if due > now else ""


def _open_ledger(config: MailoutConfig) -> Ledger:
    path = config.ledger_path
    if not config.dry_run:
        return Ledger.open(path)
    return Ledger.read(path) if path.is_file() else Ledger.scratch()


def _plan(config: MailoutConfig, notice: Notice, ledger: Ledger, reporter: Reporter) -> Plan:
    report = ContactReport(config.contacts.as_posix())
    wanted = config.segments or notice.segments
    ledger.begin_staging()
    explicit = bool(config.segments)
    for _contact in read_contacts(
        config.contacts, ledger, report, config.encoding, wanted, explicit
    ):
        pass
    ledger.end_staging()
    if not report.accepted:
        _left_out(report, reporter)
        message = _("{path}: no valid recipient in the list; nothing was sent")
        raise NotifyError(message.format(path=report.path))
    states = ledger.run_states(config.mailing)
    plan = Plan(notice, report, states, config.transport, resend_unknown=config.resend_unknown)
    plan.to_send = ledger.fill_queue(config.mailing, _due(config))
    return plan


def _due(config: MailoutConfig) -> tuple[str, ...]:
    """The ledger states this run sends to."""
    return ("pending", "failed", "unknown") if config.resend_unknown else ("pending", "failed")


def question(plan: Plan, outbox: Path) -> str:
    """What to ask before a mailout: `Send 5 mails by sendgrid?`, or for the outbox, which only
    writes files, `Write 5 mails into outbox/ (nothing is sent)?`."""
    n = plan.to_send
    if plan.transport == "outbox":
        return counted(
            n,
            "Write {n} mail into {outbox}/ (nothing is sent)?",
            "Write {n} mails into {outbox}/ (nothing is sent)?",
            outbox=outbox.as_posix(),
        )
    return counted(
        n,
        "Send {n} mail by {transport}?",
        "Send {n} mails by {transport}?",
        transport=plan.transport,
    )


def show_plan(plan: Plan, reporter: Reporter) -> None:
    """Say what the run found in the list and what it will send."""
    report = plan.report
    release = _("release {release}: {subject}")
    reporter.info(release.format(release=plan.notice.release_id, subject=plan.notice.subject))
    rows = counted(
        report.rows,
        "{path}: {n} row, {recipients}, {invalid} invalid, {duplicates}, "
        "{others} in other segments",
        "{path}: {n} rows, {recipients}, {invalid} invalid, {duplicates}, "
        "{others} in other segments",
        path=report.path,
        recipients=counted(report.accepted, "{n} recipient", "{n} recipients"),
        invalid=report.invalid,
        duplicates=counted(report.duplicates, "{n} duplicate", "{n} duplicates"),
        others=report.not_addressed,
    )
    reporter.info(rows)
    for segment, n in sorted(report.segments.items()):
        said = _("  segment {segment}: {n}")
        reporter.info(said.format(segment=segment or _("(none)"), n=n))
    _left_out(report, reporter)
    hidden = report.invalid + report.duplicates - len(report.samples)
    if hidden > 0:
        more = counted(hidden, "... and {n} more row left out", "... and {n} more rows left out")
        reporter.warn(more)
    states = ", ".join(f"{n} {s}" for s, n in sorted(plan.states.items()))
    ledger = _("ledger ({transport}): {states}; to send now: {n}")
    reporter.info(ledger.format(transport=plan.transport, states=states, n=plan.to_send))
    if plan.unknown and not plan.resend_unknown:
        reporter.warn(
            counted(
                plan.unknown,
                "{n} recipient with an unknown outcome is not sent again",
                "{n} recipients with an unknown outcome are not sent again",
            )
        )


def _left_out(report: ContactReport, reporter: Reporter) -> None:
    """Warn of each sample row the contact list left out, and why."""
    for problem in report.samples:
        left = _("{path}:{line}: left out: {message}")
        reporter.warn(left.format(path=report.path, line=problem.line, message=problem.message))


def _batches(ledger: Ledger, size: int, notice: Notice) -> Iterator[list[Queued]]:
    """The queue in batches of at most `size` recipients, each of one mail: one language
    (the notice each gets, Notice.for_contact) and one shape."""
    after = 0
    while rows := ledger.queued(after, size):
        kind = _mail_of(notice, rows[0])
        batch = list(_prefix(rows, kind, notice))
        after = batch[-1].position
        yield batch


def _mail_of(notice: Notice, row: Queued) -> tuple[str, str]:
    """Which mail a queued contact gets: (its notice's language, its shape)."""
    return notice.for_contact(row.contact).lang, shape_of(row.contact)


def _prefix(rows: list[Queued], kind: tuple[str, str], notice: Notice) -> Iterator[Queued]:
    for row in rows:
        if _mail_of(notice, row) != kind:
            return
        yield row


def _send(
    config: MailoutConfig,
    notice: Notice,
    ledger: Ledger,
    transport: Transport,
    reporter: Reporter,
    clock: Clock,
    result: MailoutResult,
) -> None:
    ledger.record_run(config.mailing, _stamp(clock))
    ledger.record_notice(config.mailing, notice, result.plan.report, _stamp(clock))
    ledger.fill_queue(config.mailing, _due(config))  # again: first-time recipients now have ids
    size = batch_limit(transport, config.batch_size)
    with reporter.task("sending", result.plan.to_send) as progress:
        for batch in _batches(ledger, size, notice):
            addresses = [q.contact.address for q in batch]
            batch_id = ledger.begin_batch(config.mailing, addresses, _stamp(clock))
            refused = _deliver(ledger, transport, notice, batch_id, batch, clock, result)
            if refused and result.refused <= REFUSALS_SHOWN:
                reporter.warn(refused)
            elif refused and result.refused == REFUSALS_SHOWN + 1:
                reporter.warn(_("... more recipients refused: counted at the end"))
            progress.advance(len(batch))


def _deliver(
    ledger: Ledger,
    transport: Transport,
    notice: Notice,
    batch_id: int,
    batch: list[Queued],
    clock: Clock,
    result: MailoutResult,
) -> str:
    """Send one batch and record its outcome; raise if the mailout must stop, and return what
    to say of a recipient refused alone ('' if none was)."""
    try:  # a batch is of one language: its first contact's notice is everyone's
        message_id = transport.send(notice.for_contact(batch[0].contact), batch_id, batch)
    except RecipientRefused as exc:  # this one person; the others still go
        ledger.finish_batch(batch_id, "failed", _stamp(clock), error=str(exc))
        result.refused += len(batch)
        lines = ", ".join(str(q.contact.line) for q in batch)
        said = _("batch {batch} (line {lines} of the list): {error}")
        return said.format(batch=batch_id, lines=lines, error=exc)
    except Refused as exc:
        ledger.finish_batch(batch_id, "failed", _stamp(clock), error=str(exc))
        said = _("batch {batch} ({recipients}): {error}; {resume}")
        recipients = _recipients(len(batch))
        raise NotifyError(
            said.format(batch=batch_id, recipients=recipients, error=exc, resume=_resume())
        ) from None
    except OutcomeUnknown as exc:
        ledger.finish_batch(batch_id, "unknown", _stamp(clock), error=str(exc))
        said = _(
            "batch {batch} ({recipients}): outcome unknown: {error}; {resume} "
            "(they are not sent again unless --resend-unknown)"
        )
        recipients = _recipients(len(batch))
        raise NotifyError(
            said.format(batch=batch_id, recipients=recipients, error=exc, resume=_resume())
        ) from None
    try:
        ledger.finish_batch(batch_id, "sent", _stamp(clock), message_id)
    except NotifyError as exc:
        if transport.repeatable:
            said = _(
                "batch {batch} ({recipients}) was delivered by {transport}, but the ledger could "
                "not record it: {error}; on the next run its recipients are written again"
            )
        else:
            said = _(
                "batch {batch} ({recipients}) was delivered by {transport}, but the ledger could "
                "not record it: {error}; on the next run its recipients count as unknown"
            )
        recipients = _recipients(len(batch))
        raise NotifyError(
            said.format(batch=batch_id, recipients=recipients, transport=transport.name, error=exc)
        ) from None
    result.sent += len(batch)
    result.batches += 1
    return ""


def _recipients(n: int) -> str:
    return counted(n, "{n} recipient", "{n} recipients")


def _resume() -> str:
    return _("the ledger records who was sent; run the same command again to continue")


def _dry_run(
    config: MailoutConfig,
    notice: Notice,
    ledger: Ledger,
    plan: Plan,
    reporter: Reporter,
    clock: Clock,
) -> Path | None:
    """Go through the queue in the batches the send would make, build and check the message of
    each shape found in it, and write the first as a sample .eml.

    A contact's mail is its shape's mail, rendered and checked against the safety rules when the
    notice was planned, with the contact's own fields (checked when the list was read) put in
    place of tokens; so, as the send renders once per shape, one built message per shape checks
    what every recipient of that shape will get.
    """
    samples: dict[str, Path] = {}
    now = clock()
    built: set[tuple[str, str]] = set()
    with reporter.task("checking", plan.to_send) as progress:
        for batch in _batches(ledger, config.batch_size, notice):
            kind = _mail_of(notice, batch[0])
            if kind not in built:
                built.add(kind)
                version = notice.for_contact(batch[0].contact)
                mail = build_mime(version, batch[0].contact, now)
                if version.lang not in samples:  # one sample in each language
                    name = f"sample.{version.lang}.eml" if version.lang else "sample.eml"
                    samples[version.lang] = config.outbox / "dry-run" / notice.release_id / name
                    write_eml(samples[version.lang], mail.as_bytes())
            progress.advance(len(batch))
    for lang, path in samples.items():
        if lang:
            said = _("dry run: sample message in '{lang}': {path}")
            reporter.info(said.format(lang=lang, path=path))
    return samples.get("") or next(iter(samples.values()), None)  # the original's, if any


def _stamp(clock: Clock) -> str:
    return clock().isoformat(timespec="seconds")


def transport_factory(name: str, outbox: Path, clock: Clock) -> Callable[[], Transport]:
    """A maker of the named transport (outbox, sendgrid or smtp); SendGrid's client and the
    SMTP transport are imported only when used."""

    def make() -> Transport:
        if name == "sendgrid":
            from publisher.notify.sendgrid import SendGridTransport

            return SendGridTransport.from_environment()
        if name == "smtp":
            from publisher.notify.smtp import SmtpTransport

            return SmtpTransport.from_environment(clock)
        from publisher.notify.outbox import OutboxTransport

        return OutboxTransport(outbox, clock)

    return make


def summarize(result: MailoutResult, reporter: Reporter) -> None:
    """Say what the run did, and list the batches whose outcome is unknown."""
    if result.sample is not None:
        said = _("dry run: nothing sent; sample message: {path}")
        reporter.info(said.format(path=result.sample))
    elif not result.plan.to_send:
        reporter.info(_("nothing to send: everyone in the list has been sent or is unknown"))
    elif not result.batches:
        reporter.info(_("nothing was sent"))
    else:
        batches = counted(result.batches, "{n} batch", "{n} batches")
        sent = counted(
            result.sent,
            "sent {n} mail in {batches}",
            "sent {n} mails in {batches}",
            batches=batches,
        )
        reporter.info(sent)
    if result.refused:
        reporter.warn(
            counted(
                result.refused,
                "{n} recipient was refused or deferred by the mail server: failed, tried again "
                "by the next run (notify export lists each one's error)",
                "{n} recipients were refused or deferred by the mail server: failed, tried again "
                "by the next run (notify export lists each one's error)",
            )
        )
    counts = ", ".join(f"{n} {s}" for s, n in result.counts.items() if n)
    if counts:
        plan = result.plan
        said = _("ledger for {release} ({transport}): {counts}")
        reporter.info(
            said.format(release=plan.notice.release_id, transport=plan.transport, counts=counts)
        )
    where = _(CHECK_FIRST.get(result.plan.transport, THE_RECORD))
    for batch in result.unknown:
        said = _(
            "batch {batch}: {recipients} with an unknown outcome (started {started}); "
            "check {where}, or --resend-unknown"
        )
        recipients = _recipients(batch.size)
        reporter.warn(
            said.format(
                batch=batch.id, recipients=recipients, started=batch.started_at, where=where
            )
        )
