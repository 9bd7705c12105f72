"""Published history is append-only: what the content makes now, held to the publication
record, as a build now would hold it (publisher/check/history.py, shared with the build, which
holds what it writes at its own moment); `publisher check --explain published-history` says how
to record a correction."""

from __future__ import annotations

from collections.abc import Iterator

from publisher.check.history import reconciled
from publisher.check.rule import Rule, Subject
from publisher.errors import Problem
from publisher.model.content import Content
from publisher.model.schedule import visible
from publisher.render.site import SiteRendering, render_site
from publisher.render.theme import Theme


def held_to_the_record(subject: Subject) -> Iterator[Problem]:
    """What a build now would refuse: a published release changed without a correction, gone,
    its archive not as recorded, a correction dated after today."""
    publication, theme, now = subject.publication, subject.theme, subject.now
    if publication is None or theme is None or now is None:
        return
    if not publication.record.releases and not publication.archive:
        return  # nothing published yet
    zone = subject.content.site.timezone
    site = _site(subject, visible(subject.content, now), theme)
    if site.problems or site.failed:
        return  # prose-renders says why (a template's failure, the build)
    pages = site.outputs
    yield from reconciled(publication, now, pages, site.releases, site.prints, zone).problems


def _site(subject: Subject, content: Content, theme: Theme) -> SiteRendering:
    """The render pass over `content` (what is public now): the check's if nothing is held
    back, else anew, since neighbours, links and indexes differ."""
    ids = tuple(
        v.id for incident in content.incidents for r in incident.releases for v in r.versions
    )
    everything = subject.content.incidents
    total = sum(len(r.versions) for incident in everything for r in incident.releases)
    if len(ids) == total and subject.site.ids == ids:
        return subject.site
    return render_site(content, theme)


HISTORY = Rule(
    id="published-history",
    severity="error",
    summary=(
        "A release, once a build into the deploy folder has made it public, is recorded in "
        "content/publication.lock.yaml: the SHA-256 of its own text as its page shows it "
        "(the article and the box of corrected facts, whitespace collapsed: not the "
        "navigation, footer, genuine-mail box or stylesheet), the same of its print (what "
        "its PDF says), each fact's value as known on its date, and the digests of its "
        "page and PDF; the "
        "page and PDF themselves are archived in content/published/<page folder>v<N>/. "
        "Commit both with the content. A later build that would change what a published "
        "release says (its page's or its PDF's text, or a fact value with as_of on or before "
        "its date) stops "
        "with exit 1, naming the release and what changed, unless its entry carries a "
        "correction:\n\n"
        "  releases:\n"
        "    emotet-2020/2020-08-05/:\n"
        "      ...\n"
        "      corrections:\n"
        "        - date: 2020-11-14\n"
        "          what: 8月5日時点の感染端末数を11台から10台に訂正\n"
        "          why: 重複して数えていた端末が1台あったため\n\n"
        "One correction allows one new version. Its date is the day it is published: not "
        "before the release, not after the build that uses it; what and why are real words "
        "(not TBD or 未定), why not a repeat of what. Once used, a correction stays as "
        "published: the version it made public records its digest, and rewording or redating it "
        "afterwards is refused. The build then records version N+1, keeps "
        "version N published at <page folder>vN/ (its page and PDF as they were), and the "
        "current page lists every version with its date and the correction's what and why. "
        "A published release may not disappear from the site either. The archive is held to "
        "the record: a file under content/published/ that is missing or not as recorded, or a "
        "version there the record does not list (an entry deleted), is refused with how to "
        "restore it from version control, never recorded anew. A build into the deploy folder "
        "without PDFs (--no-pdf) is refused once the record holds PDFs: a published PDF stays "
        "published. A translation is a page of its own, recorded when first made public. "
        "`publisher check` holds what the content makes now to the record, as a build now "
        "would; previews (--as-of, --drafts, another --out, publisher serve) check against "
        "the record but never write it."
    ),
    source=(
        "publisher/render/history.py and render/archive.py (applied by publisher build to what "
        "it writes, and by publisher check to what the content makes now); issue 12 item 3"
    ),
    check=held_to_the_record,
    whole=True,  # the clock and the record
)
RULES = (HISTORY,)
