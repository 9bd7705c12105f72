"""A release and its translation: pages, PDFs, hreflang, feeds, mail per language, and check."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest
from pypdf import PdfReader

from publisher.build import BuildConfig, build_site
from publisher.check.runner import check_content
from publisher.mailout import MailoutConfig, send_notices
from publisher.notify.ledger import Ledger, Mailing
from publisher.notify.outbox import OutboxTransport
from publisher.pdf.options import PdfOptions
from publisher.reporter import NullReporter, RecordingReporter
from tests.bilingual import INCIDENT, ORIGINAL, SITE, digest, translation, tree
from tests.conftest import MakeTree

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")
RELEASE = "leak-2026/2026-03-04"
PAGE = "leak-2026/2026-03-04/index.html"
EN_PAGE = "leak-2026/2026-03-04/en/index.html"


def _without_ja(html: str) -> str:
    """`html` without the elements marked lang="ja" (the switch names Japanese in Japanese)."""
    return re.sub(r'<(a|span|li)[^>]* lang="ja"[^>]*>[^<]*</\1>', "", html)


@pytest.fixture
def site(make_tree: MakeTree, tmp_path: Path) -> Path:
    root = make_tree(tree())
    out = tmp_path / "site"
    pdf = PdfOptions(cache=tmp_path / "pdf-cache", jobs=1)
    build_site(BuildConfig(root, None, out, pdf=pdf), NullReporter())
    return out


def test_each_language_has_its_own_page_and_pdf(site: Path) -> None:
    en = (site / EN_PAGE).read_text(encoding="utf-8")
    ja = (site / PAGE).read_text(encoding="utf-8")
    assert '<html lang="en">' in en and '<html lang="ja">' in ja
    assert "1,200 people are affected." in en and "影響を受けた方は1,200名です。" in ja
    assert "We detected suspicious traffic." in en and "The server was isolated." in en
    assert "Customer Desk" in en and "Weekdays 9:00 to 17:00" in en
    assert JAPANESE.findall(_without_ja(en)) == []
    text = "".join(
        page.extract_text()
        for page in PdfReader(site / "leak-2026/2026-03-04/en/leak-2026-2026-03-04-en.pdf").pages
    )
    assert "1,200 people are affected." in text
    assert JAPANESE.findall(text.replace("日本語", "")) == []  # the other version's name only
    assert (site / "leak-2026/2026-03-04/leak-2026-2026-03-04.pdf").is_file()


EN_WORDS = (
    "Affected people: 1,000 people",  # the corrected fact's label and unit
    "The investigation found more people affected.",  # its note
    "Advisory on unauthorised access",  # the reference's title
    "A zip file posing as an invoice",  # the attachment pattern
)
JA_WORDS = (
    "影響を受けた方: 1,000名",
    "調査の結果、対象の方が増えました。",
    "不正アクセスに関する注意喚起",
    "請求書を装ったzipファイル",
)


def _pdf_text(path: Path) -> str:
    return "".join(page.extract_text() for page in PdfReader(path).pages)


def test_the_record_s_words_show_in_each_version_s_language(site: Path) -> None:
    en = (site / EN_PAGE).read_text(encoding="utf-8")
    ja = (site / PAGE).read_text(encoding="utf-8")
    corrections = re.search(r'<aside class="corrections".*?</aside>', en, re.DOTALL)
    genuine = re.search(r'<aside class="genuine-mail".*?</aside>', en, re.DOTALL)
    assert corrections is not None and genuine is not None
    assert EN_WORDS[0] in corrections.group() and EN_WORDS[1] in corrections.group()
    assert "“Advisory on unauthorised access” (https://security.example.com/advisory/)" in (
        genuine.group()
    )
    assert '<a href="https://security.example.com/advisory/">Advisory on' in en
    assert "<li>A zip file posing as an invoice</li>" in en
    for words, html in ((EN_WORDS, en), (JA_WORDS, ja)):
        assert [w for w in words if w not in html] == []
    assert [w for w in JA_WORDS if w in en] == [] and [w for w in EN_WORDS if w in ja] == []
    en_pdf = _pdf_text(site / "leak-2026/2026-03-04/en/leak-2026-2026-03-04-en.pdf")
    ja_pdf = _pdf_text(site / "leak-2026/2026-03-04/leak-2026-2026-03-04.pdf")
    assert "A zip file posing as an invoice" in en_pdf and "Advisory on" in en_pdf
    assert "請求書を装ったzipファイル" in ja_pdf and "Advisory" not in ja_pdf


def test_each_pdf_names_the_other_version_by_its_page_address(site: Path) -> None:
    base = "https://www.example.jp/incident/leak-2026/2026-03-04/"
    en = _pdf_text(site / "leak-2026/2026-03-04/en/leak-2026-2026-03-04-en.pdf")
    ja = _pdf_text(site / "leak-2026/2026-03-04/leak-2026-2026-03-04.pdf")
    assert f"日本語 {base}\n" in en and f"English {base}en/\n" in ja
    links = {
        name: [
            str(a["/A"]["/URI"])
            for page in PdfReader(site / "leak-2026/2026-03-04" / name).pages
            for a in (ref.get_object() for ref in page.get("/Annots", []))
            if "/A" in a and "/URI" in a["/A"]
        ]
        for name in ("en/leak-2026-2026-03-04-en.pdf", "leak-2026-2026-03-04.pdf")
    }
    assert base in links["en/leak-2026-2026-03-04-en.pdf"]
    assert f"{base}en/" in links["leak-2026-2026-03-04.pdf"]


def test_the_pages_name_each_other_by_hreflang_and_the_switch_links_resolve(site: Path) -> None:
    base = "https://www.example.jp/incident/leak-2026/2026-03-04/"
    for path in (PAGE, EN_PAGE):
        html = (site / path).read_text(encoding="utf-8")
        assert f'<link rel="alternate" hreflang="ja" href="{base}">' in html
        assert f'<link rel="alternate" hreflang="en" href="{base}en/">' in html
        assert f'<link rel="alternate" hreflang="x-default" href="{base}">' in html
        switch = re.search(r'<nav class="language-switch".*?</nav>', html, re.DOTALL)
        assert switch is not None
        (href,) = re.findall(r'href="([^"]+)"', switch.group())
        assert (site / path).parent.joinpath(href, "index.html").resolve().is_file()
    en_switch = (site / EN_PAGE).read_text(encoding="utf-8")
    assert '<a href="../" hreflang="ja" lang="ja" rel="alternate">日本語</a>' in en_switch
    listing = (site / "leak-2026/index.html").read_text(encoding="utf-8")
    words = re.sub(r'</?span( class="phrase")?>', "", listing)  # titles break between phrases
    assert words.count("不正アクセスに関するお詫びとお知らせ</a>") == 1
    assert '<a class="version" href="2026-03-04/en/" hreflang="en" lang="en">English</a>' in listing


def test_each_language_has_its_feeds(site: Path) -> None:
    for folder in ("", "leak-2026/"):
        ja = (site / f"{folder}feed.xml").read_text(encoding="utf-8")
        en = (site / f"{folder}feed.en.xml").read_text(encoding="utf-8")
        assert 'xml:lang="ja"' in ja and "/2026-03-04/</id>" in ja and "/en/</id>" not in ja
        assert 'xml:lang="en"' in en and "/2026-03-04/en/</id>" in en
        assert JAPANESE.findall(en) == []
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    base = "https://www.example.jp/incident/leak-2026/2026-03-04/"
    both = (
        f'<xhtml:link rel="alternate" hreflang="ja" href="{base}"/>'
        f'<xhtml:link rel="alternate" hreflang="en" href="{base}en/"/>'
    )
    assert f"<url><loc>{base}</loc>{both}</url>" in sitemap
    assert f"<url><loc>{base}en/</loc>{both}</url>" in sitemap
    assert "<url><loc>https://www.example.jp/incident/leak-2026/</loc></url>" in sitemap


# --- mail: each contact in their language, once ---

CONTACTS = """\
email,name,language
ja1@example.jp,山田 太郎,ja
en1@example.com,Jane Doe,en
en2@example.com,,EN
gb@example.com,,en-GB
none@example.jp,,
fr1@example.com,Jean,fr
"""


def _config(root: Path, tmp_path: Path, **changes: object) -> MailoutConfig:
    contacts = tmp_path / "contacts.csv"
    contacts.write_text(CONTACTS, encoding="utf-8")
    options: dict[str, object] = {
        "content": root,
        "templates": None,
        "release": RELEASE,
        "contacts": contacts,
        "ledger": tmp_path / "ledger.sqlite",
        "outbox": tmp_path / "outbox",
        **changes,
    }
    return MailoutConfig(**options)  # type: ignore[arg-type]


def _clock() -> datetime:
    return datetime(2026, 3, 5, 1, 0, tzinfo=UTC)


def _send(config: MailoutConfig, reporter: RecordingReporter | None = None) -> int:
    result = send_notices(
        config,
        lambda: OutboxTransport(config.outbox, _clock),
        reporter or RecordingReporter(),
        lambda plan: True,
        _clock,
    )
    return result.sent


def _mails(outbox: Path) -> dict[str, EmailMessage]:
    found = {}
    for path in sorted((outbox / RELEASE).glob("*.eml")):
        mail = message_from_bytes(path.read_bytes(), policy=default)
        assert isinstance(mail, EmailMessage)
        found[str(mail["To"].addresses[0].addr_spec)] = mail
    return found


def _text(mail: EmailMessage) -> str:
    part = mail.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def test_each_contact_gets_the_mail_in_their_language_else_the_original(
    make_tree: MakeTree, tmp_path: Path
) -> None:
    config = _config(make_tree(tree()), tmp_path)
    assert _send(config) == 6
    mails = _mails(config.outbox)
    english = {a for a, m in mails.items() if m["Subject"].startswith("Apology")}
    assert english == {"en1@example.com", "en2@example.com", "gb@example.com"}
    for address in english:
        text = _text(mails[address])
        assert JAPANESE.findall(text) == [], text
        assert str(mails[address]["From"]) == "Example Corp <notice@example.jp>"
        html = mails[address].get_body(("html",))
        assert html is not None and JAPANESE.findall(str(html.get_content())) == []
        assert "https://www.example.jp/incident/leak-2026/2026-03-04/en/" in text
    for address in ("ja1@example.jp", "none@example.jp", "fr1@example.com"):
        assert mails[address]["Subject"] == "不正アクセスに関するお詫びとお知らせ"
        assert mails[address]["From"].addresses[0].display_name == "株式会社エグザンプル"
        assert "/2026-03-04/en/" not in _text(mails[address])


def test_the_ledger_keeps_one_row_per_person_with_the_digest_of_their_language(
    make_tree: MakeTree, tmp_path: Path
) -> None:
    config = _config(make_tree(tree()), tmp_path)
    _send(config)
    with Ledger.read(config.ledger_path) as ledger:
        rows = {r["email"]: r for r in ledger.records(RELEASE)}
        assert ledger.counts(Mailing(RELEASE, "outbox"))["sent"] == 6
    assert len(rows) == 6
    digests = {r["email"]: r["digest"] for r in rows.values()}
    assert digests["en2@example.com"] != digests["none@example.jp"]  # same shape, other language
    assert digests["en2@example.com"] == digests["gb@example.com"]
    assert digests["en1@example.com"] not in (digests["en2@example.com"], digests["ja1@example.jp"])


def test_a_resumed_mailout_sends_nobody_twice(make_tree: MakeTree, tmp_path: Path) -> None:
    config = _config(make_tree(tree()), tmp_path)
    assert _send(config) == 6
    before = {p.name: p.read_bytes() for p in (config.outbox / RELEASE).glob("*.eml")}
    assert _send(config) == 0
    after = {p.name: p.read_bytes() for p in (config.outbox / RELEASE).glob("*.eml")}
    assert after == before


def test_a_dry_run_writes_one_sample_per_language(make_tree: MakeTree, tmp_path: Path) -> None:
    config = _config(make_tree(tree()), tmp_path, dry_run=True)
    reporter = RecordingReporter()
    result = send_notices(
        config, lambda: OutboxTransport(config.outbox, _clock), reporter, lambda p: True, _clock
    )
    assert result.sample == config.outbox / "dry-run" / RELEASE / "sample.eml"
    samples = sorted(p.name for p in (config.outbox / "dry-run" / RELEASE).glob("*.eml"))
    assert samples == ["sample.eml", "sample.en.eml"]
    english = message_from_bytes(
        (config.outbox / "dry-run" / RELEASE / "sample.en.eml").read_bytes(), policy=default
    )
    assert english["Subject"] == "Apology and notice of unauthorised access"


# --- check: what a translation must not do, one case each ---

T = "content/incidents/leak-2026/releases/2026-03-04.en.yaml"
ORIGINAL_FILE = "incidents/leak-2026/releases/2026-03-04.yaml"
SECTIONS_WITHOUT_LAST = (
    "\n  - heading: What happened\n"
    "    body: |\n"
    "      {{ facts.affected_people }} people are affected.\n"
    "  - heading: Timeline\n"
    "    timeline: true"
)
EDITED = ORIGINAL.replace("速やかに", "直ちに")
CHECK_CASES: list[tuple[str, dict[str, str | None], list[str]]] = [
    (
        "a section left out",
        {
            "incidents/leak-2026/releases/2026-03-04.en.yaml": translation(
                sections=SECTIONS_WITHOUT_LAST
            )
        },
        [
            f"{T}:9:3: error: translation-incomplete: sections: section 3 of the original "
            "(2026-03-04.yaml: 対応) is missing; translate every section, in the original's order"
        ],
    ),
    (
        "the closing left out",
        {"incidents/leak-2026/releases/2026-03-04.en.yaml": translation(closing="")},
        [
            f"{T}:1:1: error: translation-incomplete: closing: the original (2026-03-04.yaml) "
            "has closing; translate it"
        ],
    ),
    (
        "the original edited after the translation",
        {ORIGINAL_FILE: EDITED, "incidents/leak-2026/releases/2026-03-04.en.yaml": translation()},
        [
            f"{T}:2:18: warning: translation-stale: translated_from: the original changed after "
            "this translation was made; bring the translation up to date with 2026-03-04.yaml, "
            f"then set translated_from: {digest(EDITED)} (its sha256sum now)"
        ],
    ),
    (
        "no stamp",
        {"incidents/leak-2026/releases/2026-03-04.en.yaml": translation(translated_from="")},
        [
            f"{T}:1:1: warning: translation-stale: translated_from: no translated_from: which "
            "version of the original is this? bring the translation up to date with "
            f"2026-03-04.yaml, then set translated_from: {digest(ORIGINAL)} (its sha256sum now)"
        ],
    ),
    (
        "a translation without its original",
        {
            "incidents/leak-2026/releases/2026-03-05.en.yaml": translation(),
        },
        [
            "content/incidents/leak-2026/releases/2026-03-05.en.yaml: error: schema: a "
            "translation of 2026-03-05.yaml, which is missing or invalid beside it"
        ],
    ),
    (
        "a language its file name does not say",
        {"incidents/leak-2026/releases/2026-03-04.en.yaml": translation(lang="fr")},
        [
            f"{T}:1:7: error: schema: lang: the file's name says 'en'; name it "
            "2026-03-04.fr.yaml or fix lang"
        ],
    ),
    (
        "a translation into the original's own language (the site's)",
        {
            "incidents/leak-2026/releases/2026-03-04.en.yaml": None,
            "incidents/leak-2026/releases/2026-03-04.ja.yaml": translation(
                lang="ja",
                title="不正アクセスについて",
                summary="個人情報が漏えいしたおそれがあります。",
            ),
        },
        [
            "content/incidents/leak-2026/releases/2026-03-04.ja.yaml:1:7: error: "
            "translation-incomplete: lang: the original (2026-03-04.yaml) is in 'ja' already"
        ],
    ),
    (
        "a timeline event and a measure the record does not give in English",
        {
            "incidents/leak-2026/incident.yaml": INCIDENT.replace(
                "    translations: {en: We detected suspicious traffic.}\n", ""
            ).replace("    translations: {en: The server was isolated.}\n", "")
        },
        [
            "content/incidents/leak-2026/incident.yaml:17:11: error: translation-incomplete: "
            "timeline[1].text: not in 'en': 2026-03-04.en.yaml shows it; add translations: "
            "{en: ...}",
            "content/incidents/leak-2026/incident.yaml:20:11: error: translation-incomplete: "
            "measures[1].text: not in 'en': 2026-03-04.en.yaml shows it; add translations: "
            "{en: ...}",
        ],
    ),
    (
        "a corrected fact's label not given in English",
        {
            "incidents/leak-2026/incident.yaml": INCIDENT.replace(
                '    translations: {en: {label: Affected people, unit: " people"}}\n', ""
            )
        },
        [
            "content/incidents/leak-2026/incident.yaml:6:12: error: translation-incomplete: "
            "facts.affected_people.label: not in 'en': 2026-03-04.en.yaml shows it; add "
            "translations: {en: {label: ...}}"
        ],
    ),
    (
        "a corrected fact's unit not given in English",
        {
            "incidents/leak-2026/incident.yaml": INCIDENT.replace(
                '{label: Affected people, unit: " people"}', "{label: Affected people}"
            )
        },
        [
            "content/incidents/leak-2026/incident.yaml:7:11: error: translation-incomplete: "
            "facts.affected_people.unit: '名' is not in 'en': 2026-03-04.en.yaml shows it; "
            "add unit: to translations.en"
        ],
    ),
    (
        "a correction's note not given in English",
        {
            "incidents/leak-2026/incident.yaml": INCIDENT.replace(
                "        translations: {en: The investigation found more people affected.}\n", ""
            )
        },
        [
            "content/incidents/leak-2026/incident.yaml:13:15: error: translation-incomplete: "
            "facts.affected_people.values[2].note: not in 'en': 2026-03-04.en.yaml shows it; "
            "add translations: {en: ...} beside the note"
        ],
    ),
    (
        "a linked reference's title and a named attachment pattern not given in English",
        {
            "incidents/leak-2026/incident.yaml": INCIDENT.replace(
                "    translations: {en: Advisory on unauthorised access}\n", ""
            ).replace("      translations: {en: A zip file posing as an invoice}\n", "")
        },
        [
            "content/incidents/leak-2026/incident.yaml:26:13: error: translation-incomplete: "
            "advice.attachment_patterns[1].text: not in 'en': 2026-03-04.en.yaml shows it; add "
            "translations: {en: ...}",
            "content/incidents/leak-2026/incident.yaml:29:12: error: translation-incomplete: "
            "references[1].title: not in 'en': 2026-03-04.en.yaml shows it; add translations: "
            "{en: ...}",
        ],
    ),
    (
        "the organisation's names not given in English",
        {
            "site.yaml": SITE.replace(
                "  translations:\n"
                "    en: {name: Example Corp, short_name: Example, self_reference: we}\n",
                "",
            )
        },
        [
            "content/site.yaml:2:9: error: translation-incomplete: organization.name: not in "
            "'en': 2026-03-04.en.yaml shows it; add translations: {en: {name: ..., "
            "short_name: ..., self_reference: ...}}"
        ],
    ),
    (
        "the mail's sender's name not given in English",
        {"site.yaml": SITE.replace("  translations: {en: Example Corp}\n", "")},
        [
            "content/site.yaml:18:9: error: translation-incomplete: notify_from.name: not in "
            "'en': the mail of 2026-03-04.en.yaml shows it; add translations: {en: ...}"
        ],
    ),
    (
        "the desk's hours left in the site's language",
        {
            "incidents/leak-2026/releases/2026-03-04.en.yaml": translation(
                contact="\n  name: Customer Desk"
            )
        },
        [
            f"{T}:25:3: error: translation-incomplete: contact.hours: the contact desk's hours "
            "would show as site.yaml has it ('平日 9時〜17時'); give contact: {hours: ...} in "
            "this language"
        ],
    ),
    (
        "a section that is not the timeline where the original's is",
        {
            "incidents/leak-2026/releases/2026-03-04.en.yaml": translation(
                sections=SECTIONS_WITHOUT_LAST.replace("    timeline: true", "    body: Soon.")
                + "\n  - heading: What we did\n    body: Done."
            )
        },
        [
            f"{T}:12:5: error: translation-incomplete: sections[2]: section 2 of the original "
            "(経緯) is the timeline and has no body; the translation's must be the same"
        ],
    ),
    (
        "a text left in the original's language",
        {
            "incidents/leak-2026/releases/2026-03-04.en.yaml": translation(
                summary="弊社サーバへの不正アクセスにより、お客様の個人情報が漏えいしたおそれがあります。"
            )
        },
        [
            f"{T}:4:10: warning: language-mismatch: summary: the release is in 'en' (lang: en) "
            "but this text is mostly Japanese; set the release's lang: (or the site's "
            "language:) to the language it is in"
        ],
    ),
    (
        "a count typed with the fact's unit, which prose-count-literal reads in translations too",
        {
            "incidents/leak-2026/releases/2026-03-04.en.yaml": translation(
                summary="Personal data of 1,200名 may have leaked."
            )
        },
        [
            f"{T}:4:27: warning: prose-count-literal: summary: 1,200名 is facts.affected_people "
            "typed as text: write {{ facts.affected_people }} instead"
        ],
    ),
    (
        "a number the original does not state",
        {
            "incidents/leak-2026/releases/2026-03-04.en.yaml": translation(
                summary="Personal data of 1,300 customers may have leaked."
            )
        },
        [
            f"{T}:4:27: error: translation-number: summary: 1300 is neither in the original "
            "(2026-03-04.yaml) nor a fact's value as of its date; write the number as the "
            "original does ({{ facts.NAME }} for a count)"
        ],
    ),
]


@pytest.mark.parametrize(
    ("changes", "expected"), [c[1:] for c in CHECK_CASES], ids=[c[0] for c in CHECK_CASES]
)
def test_check_reports_what_a_translation_gets_wrong(
    make_tree: MakeTree, changes: dict[str, str | None], expected: list[str]
) -> None:
    root = make_tree(tree() | changes)
    rules = {line.split(": ")[2] for line in expected}  # the case's rules, each exactly
    found = [str(f) for f in check_content(root).findings if f.rule in rules]
    assert found == expected


def test_a_faithful_translation_has_no_findings(make_tree: MakeTree) -> None:
    numbers = translation(summary="All 1,200 affected people were told on March 4, 2026.")
    root = make_tree(tree() | {"incidents/leak-2026/releases/2026-03-04.en.yaml": numbers})
    assert [str(f) for f in check_content(root).findings] == []
