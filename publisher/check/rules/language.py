"""Prose in the language its release declares: a Japanese release's text has kana or kanji, an
English one's is not mostly Japanese.

A site left at `language: ja` with English content renders 記, 以上 and 2023年2月13日 around it;
this says so at each field, from the text as written (Jinja expressions and link targets aside).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from publisher.check.prose import Prose, mail_prose, release_prose
from publisher.check.rule import Rule, Subject
from publisher.errors import Problem
from publisher.messages import _
from publisher.model.content import ReleaseRecord

_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_ASIDE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\]\([^)]*\)|<[^>]*>|https?://\S+", re.DOTALL)
LEAST = 12
"""Letters a text needs before its language is judged (names and short labels are not)."""


def script_mismatch(text: str, lang: str) -> str | None:
    """What is wrong with `text` as prose in `lang` (None: nothing, or too short to tell)."""
    bare = _ASIDE.sub(" ", text)
    japanese, latin = len(_JAPANESE.findall(bare)), len(_LATIN.findall(bare))
    if japanese + latin < LEAST:
        return None
    if lang.split("-")[0] == "ja":
        return None if japanese else _("has no kana or kanji")
    if japanese > latin:
        return _("is mostly Japanese")
    return None


def mismatches(subject: Subject) -> Iterator[Problem]:
    """Each piece of release and mail prose whose script does not fit the release's language."""
    site_lang = subject.content.site.language
    for incident in subject.content.incidents:
        for record in (v for original in incident.releases for v in original.versions):
            lang = record.release.lang or site_lang
            said = f"lang: {lang}" if record.release.lang else _("site.yaml's language: {lang}")
            said = said.format(lang=lang)
            for prose in _prose(record):
                wrong = script_mismatch(prose.text, lang)
                if wrong:
                    message = _(
                        "the release is in '{lang}' ({said}) but this text {wrong}; set the "
                        "release's lang: (or the site's language:) to the language it is in"
                    ).format(lang=lang, said=said, wrong=wrong)
                    yield prose.at(0, message)


def _prose(record: ReleaseRecord) -> Iterator[Prose]:
    yield from release_prose(record)
    for i, section in enumerate(record.release.sections):
        yield Prose(record.doc, ("sections", i, "heading"), section.heading)
    yield from mail_prose(record)


RULES = (
    Rule(
        "language-mismatch",
        "warning",
        "A release's prose is in the language it declares (its lang:, else site.yaml's "
        f"language:): under ja, a text of {LEAST} letters or more has kana or kanji; under "
        "another language, it is not mostly Japanese. Jinja expressions and link targets are "
        "left out; shorter texts (names, labels) are not judged.",
        "publisher/check/rules/language.py",
        mismatches,
    ),
)
