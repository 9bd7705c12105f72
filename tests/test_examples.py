"""The bundled example projects under examples/, each run through the CLI as a writer would.

Each example is a whole project (publisher.yaml found from its folder). Every command runs in a
subprocess with its working folder there, and writes its site, cache, outbox and ledger under
tmp_path: nothing is written into examples/. The pages, feeds and mails are compared with the
reviewed golden files under tests/golden/examples/<name>/ (`pytest --update-golden` rewrites
them; review the diff).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from html import unescape
from pathlib import Path

import msgspec
import pytest
import yaml
from pypdf import PdfReader

from publisher.model.schema import ContactDesk, Fact, convert
from publisher.render.formats import format_day
from publisher.render.prose import markdown_html, unrendered
from tests.conftest import REPO
from tests.notify.test_golden_mail import readable

EXAMPLES = REPO / "examples"
GOLDEN = REPO / "tests" / "golden" / "examples"
EPOCH = "1790000000"
"""SOURCE_DATE_EPOCH for the mails' Date (2026-09-21): the outbox is the same bytes each run."""
RELEASES = {
    "retailer-en": ("order-database-2026/2026-09-18", "order-database-2026/2026-10-09"),
    "association-ja": ("member-mail-2026/2026-05-13", "member-mail-2026/2026-05-22"),
}
JAPANESE = re.compile(
    "[\u3000-\u303f\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\uff00-\uffef]"
)
"""Kana, kanji, CJK punctuation and full-width forms."""
GOLDEN_SUFFIXES = (".html", ".json", ".xml")


@dataclass
class Run:
    """One example, run through check, build and both releases' mailouts into `out`."""

    name: str
    out: Path
    results: dict[str, subprocess.CompletedProcess[str]] = field(default_factory=dict)
    untouched: bool = False

    @property
    def site(self) -> Path:
        """The built site."""
        return self.out / "site"

    def page(self, release: str) -> str:
        """The HTML page of `release` (incident/date)."""
        return (self.site / release / "index.html").read_text(encoding="utf-8")

    def pdf_text(self, release: str) -> str:
        """The text of `release`'s PDF, as pypdf extracts it, every run of spaces (thin ones and
        line breaks too) made one space."""
        (path,) = (self.site / release).glob("*.pdf")
        return _flat(" ".join(page.extract_text() for page in PdfReader(path).pages))

    def mails(self, release: str) -> dict[str, str]:
        """The mails sent for `release`, decoded (headers, text part, HTML part), by file stem."""
        folder = self.out / "outbox" / release
        return {p.stem: readable(p.read_bytes()) for p in sorted(folder.glob("*.eml"))}


def _parts(mail: str) -> tuple[str, str]:
    """A decoded mail's text part, and its HTML part's visible text (tags left out)."""
    text, html = mail.split("\n--- text/plain ---\n", 1)[1].split("\n--- text/html ---\n", 1)
    body = re.sub(r"<br\s*/?>|</(p|li|h[1-6]|div|td)>", "\n", html.split("<body", 1)[1])
    return text, unescape(re.sub(r"<[^>]*>", "", "<body" + body))


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _listing(folder: Path) -> dict[str, float]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime for p in folder.rglob("*")}


def _cli(name: str, *args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    env.pop("PUBLISHER_SIGNING_KEY", None)
    return subprocess.run(
        [sys.executable, "-m", "publisher", *map(str, args)],
        cwd=EXAMPLES / name,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _run(name: str, out: Path) -> Run:
    run = Run(name, out)
    before = _listing(EXAMPLES / name)
    run.results["check"] = _cli(name, "check", "--strict")
    run.results["build"] = _cli(name, "build", "--out", out / "site", "--cache", out / "cache")
    mailbox = ("--contacts", "contacts.example.csv", "--outbox", out / "outbox")
    for release in RELEASES[name]:
        ledger = ("--ledger", out / "ledger.sqlite")
        run.results[f"dry-run {release}"] = _cli(
            name, "notify", "send", release, *mailbox, *ledger, "--dry-run"
        )
        run.results[f"send {release}"] = _cli(
            name, "notify", "send", release, *mailbox, *ledger, "--yes"
        )
    run.untouched = _listing(EXAMPLES / name) == before
    return run


@pytest.fixture(scope="module")
def example_run(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Run]:
    """Each example's run, made once for the module."""
    runs: dict[str, Run] = {}

    def get(name: str) -> Run:
        if name not in runs:
            runs[name] = _run(name, tmp_path_factory.mktemp(name))
        return runs[name]

    return get


@pytest.fixture(params=sorted(RELEASES))
def run(request: pytest.FixtureRequest, example_run: Callable[[str], Run]) -> Run:
    """Each example in turn."""
    return example_run(request.param)


@pytest.fixture
def retailer(example_run: Callable[[str], Run]) -> Run:
    """The English example: a California retailer's Notice of Data Breach and its update."""
    return example_run("retailer-en")


@pytest.fixture
def association(example_run: Callable[[str], Run]) -> Run:
    """The Japanese example: an association's 第1報 and 第2報, with a form-only desk."""
    return example_run("association-ja")


def _ok(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_example_passes_check_strict_with_its_regimes(run: Run) -> None:
    _ok(run.results["check"])
    assert run.results["check"].stderr.strip().endswith("no findings")


def test_the_example_builds_with_its_pdfs(run: Run) -> None:
    _ok(run.results["build"])
    for release in RELEASES[run.name]:
        assert run.pdf_text(release).strip()


def test_the_example_dry_runs_and_sends_its_mailouts(run: Run) -> None:
    for release in RELEASES[run.name]:
        dry, sent = run.results[f"dry-run {release}"], run.results[f"send {release}"]
        _ok(dry)
        _ok(sent)
        assert "dry run: nothing sent" in dry.stdout
        assert f"ledger for {release} (outbox): 4 sent" in sent.stdout
        assert len(run.mails(release)) == 4


def test_the_example_folder_is_left_as_it_was(run: Run) -> None:
    assert run.untouched, f"a command wrote into examples/{run.name}"


def _tree(run: Run) -> dict[str, str]:
    files = {
        f"site/{p.relative_to(run.site).as_posix()}": p.read_text(encoding="utf-8")
        for p in sorted(run.site.rglob("*"))
        if p.is_file() and p.suffix in GOLDEN_SUFFIXES
    }
    for release in RELEASES[run.name]:
        files |= {f"mail/{release}/{s}.txt": text for s, text in run.mails(release).items()}
    return files


def test_the_example_matches_its_reviewed_golden_files(
    run: Run, request: pytest.FixtureRequest
) -> None:
    built, golden_root = _tree(run), GOLDEN / run.name
    if request.config.getoption("--update-golden"):
        for old in golden_root.rglob("*"):
            if old.is_file():
                old.unlink()
        for name, text in built.items():
            (golden_root / name).parent.mkdir(parents=True, exist_ok=True)
            (golden_root / name).write_text(text, encoding="utf-8")
    golden = {
        p.relative_to(golden_root).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(golden_root.rglob("*"))
        if p.is_file()
    }
    assert sorted(built) == sorted(golden), "files differ; run pytest --update-golden and review"
    for name, text in built.items():
        assert text == golden[name], f"{name} differs from golden"


# --- the English example -------------------------------------------------------------------
FIRST, UPDATE = RELEASES["retailer-en"]
THIN = "\u2009"
"""CLDR's interval form puts thin spaces around the dash: Sep 2 – 9, 2026."""
FIRST_RANGE = f"Sep 2{THIN}–{THIN}9, 2026"
LATER_RANGE = f"Aug 27{THIN}–{THIN}Sep 9, 2026"


def test_no_japanese_character_reaches_the_english_example(retailer: Run) -> None:
    texts = _tree(retailer)
    texts |= {f"{r}.pdf": retailer.pdf_text(r) for r in RELEASES["retailer-en"]}
    for name, text in texts.items():
        found = JAPANESE.search(text)
        where = text[found.start() - 40 : found.end() + 40] if found else ""
        assert found is None, f"{name}: {where!r}"


def test_the_mail_names_the_organisation_once_with_its_full_stop(retailer: Run) -> None:
    for release in RELEASES["retailer-en"]:
        for mail in retailer.mails(release).values():
            for part in _parts(mail):
                assert "This is Marrowbrook Garden Supply, Inc.\n" in part
                assert "Inc.." not in part


def _article(page: str) -> str:
    return page.split("<article", 1)[1].split("</article>", 1)[0]


def _corrections(page: str) -> str:
    return page.split('<aside class="corrections"', 1)[1].split("</aside>", 1)[0]


def test_the_update_gives_the_corrected_count_and_dates_with_their_notes(retailer: Run) -> None:
    page = retailer.page(UPDATE)
    assert "1,350 customers" in _article(page)
    assert LATER_RANGE in _article(page)
    aside = _corrections(page)
    assert "1,240 (as of September 16) → 1,350 (October 6, 2026)" in aside
    assert f"{FIRST_RANGE} (as of September 14) → {LATER_RANGE} (October 6, 2026)" in aside
    assert "Archived database logs, restored and reviewed after our first notice" in aside
    assert "Our first review covered the 30 days of logs" in aside
    pdf = retailer.pdf_text(UPDATE)
    assert "1,350 customers" in pdf and _flat(LATER_RANGE) in pdf


def test_the_first_notice_keeps_the_values_known_on_its_date(retailer: Run) -> None:
    page, pdf = retailer.page(FIRST), retailer.pdf_text(FIRST)
    for text in (_flat(_article(page)), pdf):
        assert "1,240 customers" in text and _flat(FIRST_RANGE) in text
        assert "1,350" not in text and "Aug 27" not in text and "August 27" not in text
    assert 'class="corrections"' not in page


def test_the_english_notice_has_the_california_headings_unnumbered(retailer: Run) -> None:
    article = _article(retailer.page(FIRST))
    for heading in ("What Happened", "What Information Was Involved", "What We Are Doing"):
        assert f"<h2>{heading}</h2>" in article
    assert "<h2>What You Can Do</h2>" in article and "<h2>For More Information</h2>" in article


# --- the Japanese example ------------------------------------------------------------------
JA_FIRST, JA_UPDATE = RELEASES["association-ja"]
FORM = "https://www.example.jp/contact/privacy/"
HOURS = "平日10時〜17時（土日祝日・年末年始を除く。フォームへのご入力は24時間可能です）"


def test_the_association_writes_its_dates_with_the_weekday(association: Run) -> None:
    page, pdf = association.page(JA_FIRST), association.pdf_text(JA_FIRST)
    assert '<time datetime="2026-05-13">2026年5月13日(水)</time>' in page
    assert '<time datetime="2026-05-12">5月12日(火)</time>' in page  # the timeline
    assert "2026年5月12日(火)午前10時15分頃" in page
    assert "2026年5月13日(水)" in pdf and "5月12日(火)" in pdf
    assert "2026年5月22日(金)時点で" in association.page(JA_UPDATE)
    assert all("2026年5月13日(水)" in mail for mail in association.mails(JA_FIRST).values())


def test_the_definition_list_in_prose_renders_as_a_dl(association: Run) -> None:
    page = association.page(JA_FIRST)
    assert "<dl>\n<dt>差出人</dt>\n<dd>一般社団法人みどり野市民文化協会 事務局" in page
    assert "<dt>件名</dt>\n<dd>【みどり野文化だより】6月の催しのご案内</dd>" in page


def test_the_form_only_desk_shows_its_form_and_hours_and_no_phone(association: Run) -> None:
    for release in RELEASES["association-ja"]:
        desk = association.page(release).split('<address class="contact">', 1)[1]
        desk = desk.split("</address>", 1)[0]
        pdf = association.pdf_text(release).replace(" ", "")
        assert f'<a href="{FORM}">{FORM}</a>' in desk and HOURS in desk
        assert FORM in pdf and HOURS in pdf
        assert "電話" not in desk and "tel:" not in desk and "お電話" not in pdf
        for mail in association.mails(release).values():
            assert f"お問い合わせフォーム: {FORM}" in mail and f"受付時間: {HOURS}" in mail
            for part in _parts(mail):
                desk = part.split("お問い合わせ先\n", 1)[1]
                assert "電話" not in desk
            assert "tel:" not in mail


def test_the_second_report_corrects_the_number_of_people(association: Run) -> None:
    aside = _corrections(association.page(JA_UPDATE))
    assert "影響を受けた会員の方: 1,482名(5月12日(火)時点)→ 1,475名(2026年5月20日(水))" in aside
    assert "1,475名" not in _article(association.page(JA_FIRST))


# --- the README's guide shows what the examples hold -----------------------------------------
def _readme_blocks(heading: str) -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    part = readme[readme.index(f"### {heading}\n") :].split("\n### ", 1)[0]
    return re.findall(r"```yaml\n(.*?)\n```", part, re.S)


def test_the_readme_desks_are_valid_and_the_examples_own() -> None:
    desks = [
        convert(yaml.safe_load(b)["contact"], ContactDesk) for b in _readme_blocks("Contact desks")
    ]
    phone, form = desks
    assert phone.phone and not form.phone and form.form == FORM and form.hours == HOURS
    site = yaml.safe_load(
        (EXAMPLES / "association-ja" / "content" / "site.yaml").read_text("utf-8")
    )
    own = convert(site["contact"], ContactDesk)
    assert msgspec.structs.replace(own, address=(own.address or "").strip()) == form


def test_the_readme_range_fact_and_weekday_strings_work() -> None:
    fact_block, strings_block = _readme_blocks("Dates, numbers and ranges of dates")
    fact = convert(yaml.safe_load(fact_block)["intrusion"], Fact)
    assert [v.note is not None for v in fact.values] == [False, True]
    strings = {"locale": "ja", **yaml.safe_load(strings_block)}
    assert format_day(strings, "long", date(2026, 5, 13)) == "2026年5月13日(水)"
    assert format_day(strings, "short", date(2026, 5, 12)) == "5月12日(火)"


def test_the_readme_prose_example_makes_a_table_a_dl_and_a_footnote() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    part = readme[readme.index("### Prose: tables, definition lists and footnotes\n") :]
    (block,) = re.findall(r"```markdown\n(.*?)\n```", part.split("\n### ", 1)[0], re.S)
    html = markdown_html(block.replace("{{ facts.addresses }}", "1,482"))
    assert '<td style="text-align:right">1,482件</td>' in html
    assert "<dl>\n<dt>差出人</dt>" in html and "<dt>件名</dt>" in html
    assert 'class="footnote-ref"' in html and "Payments are handled by our payment" in html
    assert unrendered(block) == []
