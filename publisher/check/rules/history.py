"""Published history is append-only: the build applies this rule (it alone knows what is public
at its moment); `publisher check --explain published-history` says how to record a correction."""

from __future__ import annotations

from publisher.check.rule import Rule

RULES = (
    Rule(
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
            "One correction allows one new version. The build then records version N+1, keeps "
            "version N published at <page folder>vN/ (its page and PDF as they were), and the "
            "current page lists every version with its date and the correction's what and why. "
            "A published release may not disappear from the site either. Previews (--as-of, "
            "--drafts, another --out, publisher serve) check against the record but never "
            "write it."
        ),
        source="publisher/render/history.py (applied by publisher build); issue 12 item 3",
    ),
)
