"""`publisher build`: load and check everything, render, then write the site in one swap."""

from __future__ import annotations

import dataclasses
import functools
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from publisher import __version__
from publisher.clock import Clock, wall_clock
from publisher.errors import OptionError, PublisherError
from publisher.load.themefolders import theme_layers
from publisher.messages import N_, _
from publisher.pdf.options import default_cache
from publisher.reporter import Reporter
from publisher.stamp import (
    inputs_digest,
    read_renders,
    read_stamp,
    recorded_stamps,
    renders_path,
    spare_path,
    stamp_path,
    write_renders,
    write_stamp,
)
from publisher.write.tree import tree_signature

if TYPE_CHECKING:
    from publisher.load.publication import Publication
    from publisher.model.content import Content
    from publisher.pdf.options import PdfOptions
    from publisher.pdf.stage import PdfResult
    from publisher.render.history import History
    from publisher.render.pages import Output
    from publisher.render.reuse import Made, Reuse
    from publisher.render.site import SiteRendering
    from publisher.render.theme import Theme
    from publisher.write.site import WriteResult


@dataclass(frozen=True)
class BuildConfig:
    """Where the content, templates and output are; how to make PDFs (None: no PDFs)."""

    content: Path
    templates: Path | None
    """The project's templates folder, laid over the default theme (None: the default alone)."""
    out: Path
    pdf: PdfOptions | None = None
    as_of: datetime | None = None
    drafts: bool = False
    cache: Path | None = None
    """What later builds reuse: the last build's stamp (and rendered PDFs, by the CLI's choice);
    default .publisher-cache in the content folder."""
    signing_key: Path | None = None
    """The SSH key that signs SHA256SUMS (None: the manifest is unsigned)."""
    record_publication: bool = False
    """Whether this build adds what it made public to the publication record (a real build
    into the deploy folder; never a preview, a test or `serve`)."""
    preview: bool = False
    """Whether this is `serve`'s preview, which only its server reads: the output folder is
    updated file by file rather than replaced in one swap, and what the next build reuses
    stays in memory, kept on disk only when `BuildResult.keep` is called (when serve stops)."""

    @property
    def cache_folder(self) -> Path:
        """The cache folder in use."""
        return self.cache or default_cache(self.content)

    @property
    def inputs(self) -> tuple[Path, ...]:
        """The folders whose files decide the output: the content and the theme's layers."""
        return (self.content, *theme_layers(self.templates))

    @property
    def caches(self) -> list[Path]:
        """The folders of reused outputs, never inputs even when they lie inside content/ (the
        default one too: a build with another --cache may have made it)."""
        pdf_cache = self.pdf.cache if self.pdf else None
        found = [self.cache_folder, default_cache(self.content), pdf_cache]
        return list(dict.fromkeys(f for f in found if f is not None))


@dataclass(frozen=True)
class BuildResult:
    """What a build made."""

    releases: int
    files: int
    written: int = 0
    pdfs_rendered: int = 0
    pdfs_reused: int = 0
    due: datetime | None = None
    """When the next scheduled release comes due (the site then needs building again)."""
    signed: bool = False
    """Whether SHA256SUMS carries a signature."""
    rendered: frozenset[str] = frozenset()
    """The files of the site rendered anew, with the prints (`print:<release id>`): the rest
    are the last build's, whose inputs did not change."""
    root: str = "/"
    """The path the site is deployed at (base_url's)."""
    keep: Callable[[], None] | None = None
    """What keeps on disk what the next build reuses, where a preview left that to its caller
    (None: kept already, or nothing to keep)."""


def _moment(when: datetime, content: Content) -> datetime:
    """`when`, in the site's time zone if it was given without one."""
    return when if when.tzinfo else when.replace(tzinfo=ZoneInfo(content.site.timezone))


def build_site(
    config: BuildConfig,
    reporter: Reporter,
    clock: Clock = wall_clock,
    written: Callable[[BuildResult], None] | None = None,
) -> BuildResult:
    """Build the site; on any problem raise before the output folder is touched.

    When the inputs are those of the previous build into the same folder, and no scheduled
    release has come due since, nothing is done at all. `written` is told the result as soon
    as the site is in place, before what the next build reuses is kept (`serve` reloads the
    page then).
    """
    _check_folders(config)
    now = config.as_of or clock()
    digest = inputs_digest(config.inputs, _options(config), config.caches)
    previous = _is_no_op(config, digest, now)
    if previous is not None:
        _remove_leftovers(config.out)
        result = _unchanged(config, previous, reporter)
        if written is not None:
            written(result)
        return result
    try:
        return _full_build(config, reporter, now, digest, written)
    except OSError as exc:  # the disk or the system failed it: a fault to report, not a bug
        raise PublisherError(_("the build stopped: {error}").format(error=exc)) from None


def _first(*moments: datetime | None) -> datetime | None:
    """The earliest of `moments` given (a release coming due, a legal deadline passing)."""
    return min((m for m in moments if m is not None), default=None)


def _remove_leftovers(out: Path) -> None:
    """What builds killed before their end left beside the output (write_site does the same;
    here the module that knows them is imported only if something is there)."""
    out = out.resolve() if out.is_symlink() else out
    try:
        names = os.listdir(out.parent)
    except OSError:
        return
    if any(name.startswith(f".{out.name}.") for name in names):
        from publisher.write.staging import remove_leftovers

        remove_leftovers(out)


def _unchanged(config: BuildConfig, previous: dict[str, Any], reporter: Reporter) -> BuildResult:
    """The previous build's result; PDFs kept are reported as reused, none rendered."""
    pdfs = previous.get("pdfs", 0) if config.pdf is not None else 0
    if config.pdf is not None:
        said = _("0 PDFs rendered, {pdfs} reused (nothing changed since the last build)")
        reporter.info(said.format(pdfs=pdfs))
    for warning in previous.get("warnings") or []:
        reporter.finding(str(warning))
    due = previous.get("valid_until")
    return BuildResult(
        previous["releases"],
        previous["files"],
        pdfs_reused=pdfs,
        due=datetime.fromisoformat(due) if due else None,  # checked by _still_current
        signed=previous.get("signed") is True,
        root=previous["root"],  # checked by _still_current
    )


def _full_build(
    config: BuildConfig,
    reporter: Reporter,
    now: datetime,
    digest: str,
    announce: Callable[[BuildResult], None] | None,
) -> BuildResult:
    """Load, check, render and write everything (imported here: a no-op needs none of it)."""
    from publisher import memo
    from publisher.check.runner import checked
    from publisher.load.publication import read_publication
    from publisher.model.schedule import next_publication, visible
    from publisher.render.theme import load_theme
    from publisher.render.urls import root_path

    code = _code_identity()
    reuse = _reuse(config, code)
    memo.load(_memo_file(config.cache_folder), code)
    check = checked(config.content, config.templates, reporter, now, reuse)
    full = check.content
    assert full is not None
    moment = _moment(now, full)
    content = visible(full, moment, config.drafts)
    theme = check.theme or load_theme(config.templates)  # loading again says what is wrong
    site = _site(full, content, theme, check.site, reuse)
    rendered = list(site.releases)
    publication = read_publication(config.content)
    if config.record_publication and config.pdf is None:
        _keeps_its_pdfs(publication)
    pdfs = _pdfs(config, theme, site, reporter)
    due = None if config.as_of else _first(next_publication(full, moment), check.next_deadline)
    stamp: dict[str, Any] = {
        "inputs": digest,
        "valid_until": due and due.isoformat(),
        "releases": len(rendered),
        "root": root_path(full.site),
    }
    stamp["pdfs"] = len(pdfs.files) if pdfs else 0
    stamp["pdf_keys"] = list(pdfs.keys) if pdfs else _pdf_keys(read_stamp(_stamp(config)))
    stamp["warnings"] = check.warnings  # said again by a build that does nothing
    kept = (publication, moment, config.record_publication)
    outputs, history = _outputs(content, theme, site, pdfs, config.signing_key, kept)
    saving = None if config.preview else _saving(config, reporter)
    try:
        written = _write(config, outputs)
        if written.leftover:
            said = _("could not remove {folder} (the previous output); remove it")
            reporter.warn(said.format(folder=written.leftover))
        stamp |= {"files": len(outputs), "tree": written.tree, "out": os.path.realpath(config.out)}
        stamp["signed"] = config.signing_key is not None
        if config.record_publication and history.changed:
            _keep_history(publication, history)
            stamp["inputs"] = inputs_digest(config.inputs, _options(config), config.caches)
        result = BuildResult(
            releases=len(rendered),
            files=len(outputs),
            written=written.written,
            pdfs_rendered=pdfs.rendered if pdfs else 0,
            pdfs_reused=pdfs.reused if pdfs else 0,
            due=due,
            signed=config.signing_key is not None,
            rendered=_rendered(site, pdfs),
            root=stamp["root"],
        )
        keep = functools.partial(_keep, config, stamp, site, pdfs is not None, reporter, saving)
        if config.preview:
            _previewed[renders_path(config.cache_folder, config.out)] = site.made
            result = dataclasses.replace(result, keep=keep)
        if announce is not None:
            announce(result)
        if config.preview:
            stamp["tree"] = tree_signature(config.out)  # now: the folder as this build left it
            memo.prune()  # held in memory from build to build: no more than this one used
        else:
            keep()
        return result
    finally:
        if saving is not None:  # whatever stopped this build, the other core's keeping ends
            saving(False)  # (if `keep` ended it, this does nothing)


def _write(config: BuildConfig, outputs: list[Output]) -> WriteResult:
    """The site written: a preview updated file by file, any other output in one swap (the
    output before the last kept in the cache folder, for the next build to update)."""
    from publisher.write.site import update_site, write_site

    try:
        if config.preview:
            return update_site(outputs, config.out)
        return write_site(outputs, config.out, spare_path(config.cache_folder, config.out))
    except OSError as exc:
        said = _("--out {out}: could not write the site: {error}")
        raise PublisherError(said.format(out=config.out, error=exc)) from None


def _keep(
    config: BuildConfig,
    stamp: dict[str, Any],
    site: SiteRendering,
    pdfs: bool,
    reporter: Reporter,
    saving: Callable[[bool], None] | None = None,
) -> None:
    """Keep what the next build reuses: the stamp, the pages and the memo (its keeping ended,
    where `saving` began it on the other core); and prune the PDF cache of what no recent build
    used."""
    _record(config, stamp, reporter)
    _keep_renders(config, site, reporter)
    if saving is None:
        _keep_memo(config, reporter)
    else:
        saving(True)
    if pdfs:
        _prune_pdfs(config, reporter)


def _saving(config: BuildConfig, reporter: Reporter) -> Callable[[bool], None]:
    """Begin keeping the memo for the next build, beside the writing of the site and of the
    pages kept (`parallel.aside`: on the other core, the two halves of the keeping at once);
    what ends it (told whether to keep it here, and say why not, where that failed)."""
    from publisher import memo, parallel

    memo_file = _memo_file(config.cache_folder)

    def work() -> None:
        memo.save(memo_file)

    def instead() -> None:
        _keep_memo(config, reporter)

    end = parallel.aside(work, instead)

    def ended(fall_back: bool) -> None:
        if end(fall_back):
            memo.saved_elsewhere(memo_file)

    return ended


def _rendered(site: SiteRendering, pdfs: PdfResult | None) -> frozenset[str]:
    """The site's files rendered anew: a PDF build renders every release and incident page
    again, to name the PDFs, and makes the PDFs the cache did not hold."""
    if pdfs is None:
        return site.rendered
    pages = {name for name in site.made if name.endswith("index.html")}
    return site.rendered | pages | set(pdfs.made)


def _reuse(config: BuildConfig, code: str) -> Reuse:
    """What the last build into the same folder kept for this one, and what the theme is: its
    files and the `code` that renders with it (a changed template, module or library renders
    everything anew)."""
    from publisher.render.reuse import Reuse

    theme = _theme_identity(config.templates, code, config.caches)
    path = renders_path(config.cache_folder, config.out)
    held = _previewed.get(path) if config.preview else None
    return Reuse(theme, held if held is not None else read_renders(path))


_previewed: dict[Path, Made] = {}
"""The pages and prints of the last preview into each folder, by where they are kept on disk:
`serve` takes them from here, and keeps them on disk when it stops."""


def _theme_identity(templates: Path | None, code: str, caches: list[Path]) -> str:
    """A digest of the theme's files (the project's `templates` over the default) and of the
    `code` that renders with them."""
    return inputs_digest(theme_layers(templates), {"code": code}, caches)


_RENDERING_LIBRARIES = ("jinja2", "markupsafe", "markdown_it", "mdit_py_plugins", "babel", "budoux")
_READING_LIBRARIES = ("yaml", "msgspec", "phonenumbers", "email_validator")


def _memo_file(cache: Path) -> Path:
    return cache / "memo.msgpack"


def read_memo(content: Path, templates: Path | None) -> Reuse:
    """Start from what the last build into the default cache folder kept in its memo, and say
    what the theme is (for a command that reads the content as a build does, and writes
    nothing: `check`); no pages are taken from the last build."""
    from publisher import memo
    from publisher.render.reuse import Reuse

    code = _code_identity()
    memo.load(_memo_file(default_cache(content)), code)
    return Reuse(_theme_identity(templates, code, [default_cache(content)]))


@functools.cache
def _code_identity() -> str:
    """What reads and renders: publisher's code and the libraries it reads and renders with
    (any change computes the memo and the pages anew); once per process, whose code is the
    one it started with (a long-running `serve` asks for every build)."""
    import sys

    package = Path(__file__).parent
    libraries = {n: _package_files(n) for n in (*_RENDERING_LIBRARIES, *_READING_LIBRARIES)}
    options = {"publisher": __version__, "python": sys.version, **libraries}
    return inputs_digest([package], options, list(package.rglob("__pycache__")))


def _keep_memo(config: BuildConfig, reporter: Reporter) -> None:
    """Keep what this build read, rendered and checked for the next; without it, the next
    computes it all again."""
    from publisher import memo

    try:
        memo.save(_memo_file(config.cache_folder))
    except OSError as exc:
        said = _(
            "could not keep what this build read for the next, it will read and render "
            "everything again: {error}"
        )
        reporter.warn(said.format(error=exc))


def _keep_renders(config: BuildConfig, site: SiteRendering, reporter: Reporter) -> None:
    """Keep the pages and prints for the next build; without them, it renders them all."""
    try:
        write_renders(renders_path(config.cache_folder, config.out), site.made)
    except OSError as exc:
        said = _("could not keep the pages for the next build, it will render them all: {error}")
        reporter.warn(said.format(error=exc))


def _outputs(
    content: Content,
    theme: Theme,
    site: SiteRendering,
    pdfs: PdfResult | None,
    key: Path | None,
    publication: tuple[Publication, datetime, bool],
) -> tuple[list[Output], History]:
    """Every file of the site: pages, PDFs, feeds, sitemap, the marker, and SHA256SUMS last
    (with its signature and the key that verifies it, if signed). `publication`: the record,
    the build's moment, and whether the build records what it publishes; a build that does
    not, of a project whose record and archive are empty, has nothing to reconcile (nor the
    pages' texts to digest)."""
    from publisher.render.history import History, as_published, with_revisions
    from publisher.render.manifest import sha256sums
    from publisher.render.site import with_pdfs
    from publisher.write.site import marker

    outputs = with_pdfs(site, content, theme, pdfs.files) if pdfs else site.outputs
    found, moment, recording = publication
    if recording or found.record.releases or found.archive:
        history = _history(found, moment, outputs, site, content.site.timezone)
    else:
        history = History(found.record)
    outputs = with_revisions(outputs + history.served, history.record, theme)
    history = as_published(history, found.record, outputs)
    outputs.append(marker())
    if key is None:
        outputs.append(sha256sums(outputs))
        return outputs, history
    from publisher.write.signing import allowed_signers, signature

    outputs.append(allowed_signers(key, content.site.organization.web_domain))
    outputs.append(manifest := sha256sums(outputs))
    outputs.append(signature(manifest, key))
    return outputs, history


def _history(
    publication: Publication, now: datetime, pages: list[Output], site: SiteRendering, zone: str
) -> History:
    """The publication record after this build; ContentError if a published release would
    change without a correction (nothing is written then)."""
    from publisher.check.history import reconciled
    from publisher.errors import ContentError

    history = reconciled(publication, now, pages, site.releases, site.prints, zone)
    if history.problems:
        raise ContentError(history.problems)
    return history


def _keeps_its_pdfs(publication: Publication) -> None:
    """ContentError if the record holds PDFs that a recording build without PDFs would drop."""
    from publisher.errors import ContentError
    from publisher.render.history import unprinted

    problems = unprinted(publication.record, publication.located, publication.shown)
    if problems:
        raise ContentError(problems)


def _keep_history(publication: Publication, history: History) -> None:
    """Write the record and the archive, now that the site they describe is in place."""
    from publisher.write.publication import write_publication

    try:
        write_publication(publication.path, history.record, history.archive, publication.raw)
    except OSError as exc:
        said = _(
            "{path}: the site was written but the publication record could not be ({error}); "
            "build again"
        )
        raise PublisherError(said.format(path=publication.shown, error=exc)) from None


def _site(
    full: Content, content: Content, theme: Theme, checked: SiteRendering, reuse: Reuse
) -> SiteRendering:
    """The render pass over `content`: the check's if nothing was held back.

    The check rendered the whole content; when scheduling or drafts held releases back, the
    visible ones are rendered anew, since their neighbours, links and indexes differ.
    """
    from publisher.errors import RenderError
    from publisher.render.site import render_site

    ids = tuple(v.id for i in content.incidents for r in i.releases for v in r.versions)
    everything = sum(len(r.versions) for incident in full.incidents for r in incident.releases)
    whole = len(ids) == everything and checked.ids == ids
    site = checked if whole else render_site(content, theme, reuse)
    if site.problems:
        raise RenderError(list(site.problems))
    return site


def _pdfs(
    config: BuildConfig, theme: Theme, site: SiteRendering, reporter: Reporter
) -> PdfResult | None:
    if config.pdf is None:
        return None
    from publisher.pdf.stage import build_pdfs

    roots = (*config.inputs, config.out)
    return build_pdfs(theme, list(site.releases), roots, config.pdf, reporter, site.prints)


def _options(config: BuildConfig) -> dict[str, Any]:
    """What besides the files decides the output."""
    return {
        "publisher": __version__,
        "pdf": _weasyprint_files() if config.pdf else None,
        "as_of": config.as_of,
        "drafts": config.drafts,
        "signing_key": _file_identity(config.signing_key),
    }


def _file_identity(path: Path | None) -> str | None:
    """A file told apart by its path, size and time (a new key changes the signature)."""
    if path is None:
        return None
    try:
        info = os.stat(path)
    except OSError:
        return f"{path}:missing"
    return f"{path}:{info.st_size}:{info.st_mtime_ns}"


def _still_current(stamp: dict[str, Any], digest: str, now: datetime) -> bool:
    """Same inputs, and nothing came due since; a stamp edited by hand into any other shape
    is not current (the build then simply does everything)."""
    counts = [stamp.get("files"), stamp.get("releases"), stamp.get("pdfs", 0)]
    if stamp.get("inputs") != digest or not all(_is_count(n) for n in counts):
        return False
    if not isinstance(stamp.get("root"), str):
        return False
    due = stamp.get("valid_until")
    if due is None:
        return True
    try:
        moment = datetime.fromisoformat(due)
    except (TypeError, ValueError):
        return False
    return moment.tzinfo is not None and now < moment


def _stamp(config: BuildConfig) -> Path:
    return stamp_path(config.cache_folder, config.out)


def _pdf_keys(stamp: dict[str, Any]) -> list[str]:
    """The PDF cache keys a stamp records (an HTML-only build carries its folder's over)."""
    keys = stamp.get("pdf_keys")
    return [k for k in keys if isinstance(k, str)] if isinstance(keys, list) else []


def _prune_pdfs(config: BuildConfig, reporter: Reporter) -> None:
    """Remove the cached PDFs that no output folder's last build used (their stamps say which);
    only from the cache folder that holds the stamps."""
    assert config.pdf is not None
    if config.pdf.cache is None or config.pdf.cache != config.cache_folder:
        return
    from publisher.pdf.cache import PdfCache

    keep = {key for stamp in recorded_stamps(config.cache_folder) for key in _pdf_keys(stamp)}
    if not keep:  # no stamp could be read back: prune nothing rather than everything
        return
    try:
        PdfCache(config.pdf.cache).prune(keep)
    except OSError as exc:
        said = _("could not prune the PDF cache {folder}: {error}")
        reporter.warn(said.format(folder=config.pdf.cache, error=exc))


def _record(config: BuildConfig, stamp: dict[str, Any], reporter: Reporter) -> None:
    """Keep the stamp for the next build; without it, that build does everything again."""
    try:
        write_stamp(stamp_path(config.cache_folder, config.out), stamp)
    except OSError as exc:
        said = _("could not record this build, the next one will redo everything: {error}")
        reporter.warn(said.format(error=exc))


def _is_count(value: object) -> bool:
    return type(value) is int and value >= 0


def _is_no_op(config: BuildConfig, digest: str, now: datetime) -> dict[str, Any] | None:
    """The previous build's stamp if it stands: same inputs, nothing due, output intact."""
    stamp = read_stamp(stamp_path(config.cache_folder, config.out))
    if _still_current(stamp, digest, now) and stamp.get("tree") == tree_signature(config.out):
        return stamp
    return None


def _weasyprint_files() -> str:
    """The installed WeasyPrint, told apart by its package file's size and time: an upgrade
    rewrites it. (importlib.metadata would say the version, but importing it costs 40 ms at
    every start, half of a no-op build.)"""
    return _package_files("weasyprint")


def _package_files(name: str) -> str:
    """An installed package, told apart by its package file's size and time."""
    from importlib.util import find_spec

    spec = find_spec(name)
    if spec is None or spec.origin is None:
        return "not installed"
    info = os.stat(spec.origin)
    return f"{info.st_size}:{info.st_mtime_ns}"


FOLDERS = {"content": N_("content"), "templates": N_("templates"), "output": N_("output")}
"""The folders a build reads and writes, as messages name them."""


def _check_folders(config: BuildConfig) -> None:
    """The output folder must not be, hold or sit inside the content or templates folder; the
    cache folders must not overlap any of the three, but for a hidden folder right under
    content/ (as the default), where the content is never read."""
    out = _resolved(config.out, "--out")
    inputs = {"content": _resolved(config.content, "--content")}
    if config.templates is not None:
        inputs["templates"] = _resolved(config.templates, "--templates")
    for name, folder in inputs.items():
        if _overlap(out, folder):
            said = _(
                "--out {out}: overlaps the {name} folder {folder}; the output would become an "
                "input of the next build"
            )
            raise OptionError(said.format(out=config.out, name=_(FOLDERS[name]), folder=folder))
    for cache in config.caches:
        where = _resolved(cache, "--cache")
        hidden_in_content = where.parent == inputs["content"] and where.name.startswith(".")
        for name, folder in {**inputs, "output": out}.items():
            if _overlap(where, folder) and not (name == "content" and hidden_in_content):
                said = _(
                    "--cache {cache}: overlaps the {name} folder {folder}; choose a folder apart "
                    "from them, or a hidden one right under the content folder"
                )
                raise OptionError(said.format(cache=cache, name=_(FOLDERS[name]), folder=folder))


def _resolved(folder: Path, option: str) -> Path:
    try:
        return folder.resolve()
    except RuntimeError:  # pathlib's word for a loop of symbolic links
        said = _("{option} {folder}: a loop of symbolic links")
        raise OptionError(said.format(option=option, folder=folder)) from None
    except OSError as exc:
        said = _("{option} {folder}: {error}")
        raise OptionError(said.format(option=option, folder=folder, error=exc.strerror)) from None


def _overlap(first: Path, second: Path) -> bool:
    return first == second or first in second.parents or second in first.parents
