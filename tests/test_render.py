"""Rendering the bundled example: the 11/14 page against the seed, the golden tree, dated views."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from publisher.build import BuildConfig, build_site
from publisher.errors import ContentError
from publisher.load.content import load_content
from publisher.render.pages import render_releases
from publisher.render.theme import load_theme
from publisher.reporter import NullReporter
from tests.conftest import INCIDENT, RELEASE, REPO, MakeTree
from tests.pagetext import element_text, missing_in_order, seed_sentences

INC = "incidents/test/incident.yaml"
REL = "incidents/test/releases/2020-08-05.yaml"

GOLDEN = Path(__file__).parent / "golden" / "site"


@pytest.fixture(scope="module")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("example") / "site"
    build_site(BuildConfig(REPO / "content", REPO / "templates", out), NullReporter())
    return out


def _page(site: Path, release_id: str) -> str:
    return (site / release_id / "index.html").read_text(encoding="utf-8")


def test_seed_has_sentences_to_check() -> None:
    sentences = seed_sentences()
    assert sentences[0] == "2020年11月14日"
    assert sentences[-1] == "メールアドレスinfo@yokohama-toyopet.jp"
    assert len(sentences) > 50


def test_final_report_holds_every_seed_sentence_in_order(example_site: Path) -> None:
    text = element_text(_page(example_site, "emotet-2020/2020-11-14"), "article")
    assert missing_in_order(seed_sentences(), text) == []


def test_sentence_check_notices_a_dropped_sentence(example_site: Path) -> None:
    text = element_text(_page(example_site, "emotet-2020/2020-11-14"), "article")
    damaged = text.replace("専門調査機関を交えた対策チームの設立。", "")
    assert missing_in_order(seed_sentences(), damaged) == ["専門調査機関を交えた対策チームの設立。"]


def test_final_report_timeline_comes_from_the_record(example_site: Path) -> None:
    content = load_content(REPO / "content")
    events = content.incidents[0].incident.timeline
    page = _page(example_site, "emotet-2020/2020-11-14")
    timeline = page[page.index('<dl class="timeline">') : page.index("</dl>")]
    assert len(re.findall(r"<p>", timeline)) == len(events)
    assert timeline.count("<dt>") == len({e.date for e in events})


def _later_values(release_date: object) -> list[str]:
    """Numbers and names that facts first took after `release_date` (never before it).

    List-valued facts (what leaked) are left out: earlier releases may name the same items as
    possibilities in their prose.
    """
    content = load_content(REPO / "content")
    words = []
    for fact in content.incidents[0].incident.facts.values():
        known = [v.value for v in fact.values if v.as_of <= release_date]  # type: ignore[operator]
        for later in (v for v in fact.values if v.as_of > release_date):  # type: ignore[operator]
            if later.value not in known and not isinstance(later.value, list):
                words.append(f"{later.value}{fact.unit}")
    return words


@pytest.mark.parametrize("day", ["2020-07-29", "2020-07-31", "2020-08-05", "2020-09-30"])
def test_no_release_shows_a_fact_from_its_future(example_site: Path, day: str) -> None:
    from datetime import date

    text = element_text(_page(example_site, f"emotet-2020/{day}"), "article")
    later = _later_values(date.fromisoformat(day))
    assert later, "the example should have facts that change after this date"
    assert [w for w in later if w in text] == []


def test_first_notice_cannot_name_the_malware(example_site: Path) -> None:
    for day in ("2020-07-29", "2020-07-31"):
        assert "Emotet" not in element_text(_page(example_site, f"emotet-2020/{day}"), "article")
    assert "Emotet" in element_text(_page(example_site, "emotet-2020/2020-08-05"), "article")


def test_release_references_link_the_release_pages(example_site: Path) -> None:
    page = _page(example_site, "emotet-2020/2020-11-14")
    assert '<a href="../2020-09-30/">9月30日のリリース</a>の通り' in page
    assert '(<a href="../2020-07-29/">7月29日リリース</a>)' in page


def test_english_release_needs_content_only(make_tree: MakeTree, tmp_path: Path) -> None:
    root = make_tree()
    build_site(BuildConfig(root, REPO / "templates", tmp_path / "out"), NullReporter())
    page = (tmp_path / "out" / "test" / "2020-08-05" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in page
    assert "August 5, 2020" in page
    assert "11 PCs." in page
    assert re.findall(r"[\u3040-\u30ff\u4e00-\u9fff]", page) == []


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and (p.suffix in (".html", ".json"))
    }


def test_site_matches_the_reviewed_golden_tree(
    example_site: Path, request: pytest.FixtureRequest
) -> None:
    built = _tree(example_site)
    if request.config.getoption("--update-golden"):
        for old in GOLDEN.rglob("*"):
            if old.is_file():
                old.unlink()
        for name, data in built.items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_bytes(data)
    golden = _tree(GOLDEN)
    assert sorted(built) == sorted(golden), "files differ; run pytest --update-golden and review"
    for name in built:
        assert built[name].decode() == golden[name].decode(), f"{name} differs from golden"


LATER_EVENT = "  - date: 2020-07-28\n    known: 2020-09-01\n    text: Found out in September.\n"
AS_OF_INCIDENT = INCIDENT.replace("timeline:\n", "timeline:\n" + LATER_EVENT) + (
    "measures:\n  - {date: 2020-09-01, text: A measure of September.}\n"
    "references:\n  - {id: later, title: A later page, url: 'https://cert.example.org/x', "
    "as_of: 2020-09-01}\n"
)


def test_prose_reaches_the_incident_only_as_known_on_the_release_date(
    make_tree: MakeTree, tmp_path: Path
) -> None:
    closing = (
        "closing: '{{ incident.timeline[0].text }} {{ incident.timeline | length }} events, "
        "{{ incident.measures | length }} measures, {{ incident.references | length }} "
        "references, {{ incident.facts.infected_pcs }} PCs, {{ incident.title }}.'\n"
    )
    root = make_tree({INC: AS_OF_INCIDENT, REL: RELEASE + closing})
    build_site(BuildConfig(root, None, tmp_path / "out"), NullReporter())
    page = (tmp_path / "out" / "test" / "2020-08-05" / "index.html").read_text(encoding="utf-8")
    assert "Found. 1 events, 0 measures, 0 references, 11 PCs, Test incident." in page
    assert "September" not in page and "later" not in page


def test_prose_cannot_reach_the_disclosure_block(make_tree: MakeTree) -> None:
    root = make_tree({REL: RELEASE + "closing: '{{ incident.disclosure }}'\n"})
    with pytest.raises(ContentError) as caught:
        render_releases(load_content(root), load_theme(None))
    assert [str(p) for p in caught.value.problems] == [
        "content/incidents/test/releases/2020-08-05.yaml:8:1: closing: 'publisher.model.view."
        "KnownIncident object' has no attribute 'disclosure'; check the spelling, or the field "
        "is not available here"
    ]
