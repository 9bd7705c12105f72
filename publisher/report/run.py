"""`publisher report` and `publisher register`: load and check everything, make it, then write.

Nothing is written until the whole report (JSON, HTML and PDFs) or the whole register is made,
and then only into the folder or file `--out` names, never into the site or the content.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from publisher.clock import Clock, wall_clock
from publisher.errors import Problem, PublisherError, display_path
from publisher.load.content import load_content
from publisher.messages import _
from publisher.model.content import Content, IncidentRecord
from publisher.notify.record import notice_proof
from publisher.pdf.plan import PdfJob
from publisher.render.theme import Theme, load_theme
from publisher.report.appi import appi_report
from publisher.report.ca import ca_report, sample_release
from publisher.report.document import report_html, report_json
from publisher.report.form import Report
from publisher.report.gdpr import gdpr_report
from publisher.report.notice import Mailout, NoticeRecord, disagreements, mailed_releases
from publisher.report.output import out_problem, write_files
from publisher.report.printing import notice_job, print_jobs, report_job
from publisher.report.register import register_csv, register_row
from publisher.report.snapshot import Snapshot, take_snapshot
from publisher.report.text import html_text
from publisher.reporter import NullReporter, Reporter

REGIMES = ("appi", "gdpr", "ca")
STAGES = ("preliminary", "final")


@dataclass(frozen=True)
class ReportConfig:
    """What to report, from which content, as of when, and where to."""

    content: Path
    templates: Path | None
    incident: str
    regime: str
    stage: str
    out: Path
    as_of: date | None = None
    """None: today, in the site's time zone."""
    pdf: bool = True
    guarded: Mapping[str, Path | None] = field(default_factory=dict)
    """Further folders `out` must stay out of (the site the build writes), by what they are."""
    ledger: Path | None = None
    """The notification ledger whose counts the report states (None: not consulted)."""

    @property
    def folders(self) -> dict[str, Path | None]:
        """Every folder `out` must stay out of."""
        return {"the content": self.content, "the templates": self.templates, **self.guarded}


@dataclass(frozen=True)
class RegisterConfig:
    """The register's content, date and file."""

    content: Path
    templates: Path | None
    out: Path
    as_of: date | None = None
    guarded: Mapping[str, Path | None] = field(default_factory=dict)

    @property
    def folders(self) -> dict[str, Path | None]:
        """Every folder `out` must stay out of."""
        return {"the content": self.content, "the templates": self.templates, **self.guarded}


def write_report(
    config: ReportConfig, reporter: Reporter | None = None, clock: Clock = wall_clock
) -> list[Path]:
    """Make the report of `config` and write its files into `config.out`; the paths written.
    Where a substitute notice's count differs from the ledger's, the reporter is warned."""
    _refuse(config.out, config.folders)
    files = make_report(config, reporter or NullReporter(), clock)
    return write_files(config.out, files)


def make_report(config: ReportConfig, reporter: Reporter, clock: Clock) -> dict[str, bytes]:
    """Every file of the report (name → bytes), written nowhere."""
    content, theme = _load(config.content, config.templates)
    incident = find_incident(content, config.incident)
    day = _day(content, config.as_of, clock)
    if day < incident.incident.discovered:
        discovered = incident.incident.discovered
        said = _("--as-of {day} is before {incident} was discovered ({discovered})")
        raise PublisherError(said.format(day=day, incident=incident.id, discovered=discovered))
    snapshot = take_snapshot(content, incident, theme, day)
    stage = "" if config.regime == "ca" else f"-{config.stage}"
    name = f"{incident.id}-{config.regime}{stage}-{day.isoformat()}"
    notices = read_notices(config.ledger, snapshot)
    report, jobs = _report(config, content, theme, snapshot, name, notices)
    found = disagreements(snapshot, notices)
    for problem in found:
        reporter.warn(str(problem))
    if found:
        findings = _findings(found, config.content)
        report = replace(report, extra={**report.extra, "findings": findings})
    html = report_html(theme, report, f"{name}.html", snapshot.words)
    files = {f"{name}.json": report_json(report), f"{name}.html": html.encode("utf-8")}
    if config.pdf:
        sources = (incident.doc.path, *(r.doc.path for r in incident.releases))
        pdfs = print_jobs([report_job(theme, html, f"{name}.pdf", sources), *jobs], reporter)
        files |= pdfs
    return files


def read_notices(ledger: Path | None, snapshot: Snapshot) -> NoticeRecord | None:
    """The notice mails of the snapshot's releases, counted in `ledger` by the end of its date
    (None if no ledger is to be consulted); counts and times only, never an address."""
    if ledger is None:
        return None
    zone = ZoneInfo(snapshot.site.timezone)
    until = datetime.combine(snapshot.as_of, time.max, zone)
    if not ledger.is_file():
        return NoticeRecord(False, until)
    mailouts = []
    for release, key in mailed_releases(snapshot):
        transports = notice_proof(ledger, key, until)
        if any(transports.values()):
            mailouts.append(Mailout(release, key, transports))
    return NoticeRecord(True, until, tuple(mailouts))


def _findings(found: list[Problem], content: Path) -> list[dict[str, object]]:
    """Warnings as JSON, each file named inside the content folder."""
    return [
        {
            "file": display_path(Path(p.path), content),
            "line": p.line,
            "column": p.col,
            "field": p.field,
            "severity": p.severity,
            "message": p.message,
        }
        for p in found
    ]


def _report(
    config: ReportConfig,
    content: Content,
    theme: Theme,
    snapshot: Snapshot,
    name: str,
    notices: NoticeRecord | None,
) -> tuple[Report, list[PdfJob]]:
    """The report, and (California) the print job of the sample notice it attaches."""
    if config.regime == "appi":
        return appi_report(snapshot, config.stage, notices), []
    if config.regime == "gdpr":
        return gdpr_report(snapshot, config.stage, notices), []
    if config.regime != "ca":
        said = _("unknown regime {regime}; expected one of {regimes}")
        raise PublisherError(said.format(regime=repr(config.regime), regimes=REGIMES))
    sample = sample_release(snapshot)
    if sample is None:
        return ca_report(snapshot, None, ""), []
    job = notice_job(theme, sample.rendered, config.content)
    text = html_text(job.html, snapshot.words.bullet)
    sample_job = replace(job, release_id=f"{name}-sample-notice.pdf")
    return ca_report(snapshot, sample, text), [sample_job]


def write_register(config: RegisterConfig, clock: Clock = wall_clock) -> tuple[Path, int]:
    """Write the register of every incident discovered by the date; the file and its rows."""
    _refuse(config.out, config.folders)
    content, theme = _load(config.content, config.templates)
    day = _day(content, config.as_of, clock)
    incidents = sorted(content.incidents, key=lambda i: (i.incident.discovered, i.id))
    rows = [
        register_row(take_snapshot(content, incident, theme, day))
        for incident in incidents
        if incident.incident.discovered <= day
    ]
    write_files(config.out.parent, {config.out.name: register_csv(rows)})
    return config.out, len(rows)


def find_incident(content: Content, incident_id: str) -> IncidentRecord:
    """The incident `incident_id`; PublisherError naming the ones there are if it is missing."""
    for incident in content.incidents:
        if incident.id == incident_id:
            return incident
    known = ", ".join(sorted(i.id for i in content.incidents)) or "none"
    said = _("no incident {incident} in the content (incidents: {known})")
    raise PublisherError(said.format(incident=repr(incident_id), known=known))


def _load(content_folder: Path, templates: Path | None) -> tuple[Content, Theme]:
    return load_content(content_folder), load_theme(templates)


def _day(content: Content, as_of: date | None, clock: Clock) -> date:
    """`as_of`, or today in the site's time zone."""
    return as_of or clock().astimezone(ZoneInfo(content.site.timezone)).date()


def _refuse(out: Path, folders: Mapping[str, Path | None]) -> None:
    problem = out_problem(out, folders)
    if problem:
        raise PublisherError(f"--out {problem}")
