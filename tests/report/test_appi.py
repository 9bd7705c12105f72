"""The PPC report (APPI) of the bundled example, from the record as of a date.

The final report as of 2020-11-14 is compared whole with a reviewed golden JSON (rewritten only
by `pytest --update-golden`; review the diff), and its page's visible text likewise.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from tests.conftest import REPO
from tests.pagetext import element_text, squeeze
from tests.report.conftest import report_group

GOLDEN = REPO / "tests" / "golden" / "report"
NAME = "emotet-2020-appi-final-2020-11-14"
ITEM_LABELS = (
    "概要",
    "漏えい等が発生し、又は発生したおそれがある個人データの項目",
    "漏えい等が発生し、又は発生したおそれがある個人データに係る本人の数",
    "原因",
    "二次被害又はそのおそれの有無及びその内容",
    "本人への対応の実施状況",
    "公表の実施状況",
    "再発防止のための措置",
    "その他参考となる事項",
)


def _report(out: Path, *args: str) -> list[str]:
    """`publisher report emotet-2020 --regime appi ARGS` on the example; the files written."""
    command = ["report", "emotet-2020", "--regime", "appi", "--out", str(out)]
    command += ["--content", str(REPO / "content"), "--templates", str(REPO / "templates")]
    command += ["--ledger", str(out.parent / "no-ledger.sqlite")]  # none: no mail was recorded
    result = CliRunner().invoke(report_group(), [*command, *args])
    assert result.exit_code == 0, result.output
    return sorted(p.name for p in out.iterdir())


@pytest.fixture(scope="module")
def final(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The final report as of 2020-11-14, PDF included, written once for the module."""
    out = tmp_path_factory.mktemp("reports")
    assert _report(out, "--stage", "final", "--as-of", "2020-11-14") == [
        f"{NAME}.html",
        f"{NAME}.json",
        f"{NAME}.pdf",
    ]
    return out


def _json(folder: Path, name: str = NAME) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
    return data


def _fields(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["key"]: f for f in data["fields"]}


def _golden(name: str, text: str, request: pytest.FixtureRequest) -> str:
    path = GOLDEN / name
    if request.config.getoption("--update-golden"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return path.read_text(encoding="utf-8")


def test_the_final_report_is_the_reviewed_golden_json(
    final: Path, request: pytest.FixtureRequest
) -> None:
    written = (final / f"{NAME}.json").read_text(encoding="utf-8")
    golden = _golden(f"{NAME}.json", written, request)
    assert written == golden, "the report differs; run pytest --update-golden and review"


def test_the_final_report_holds_the_form_fields_in_order(final: Path) -> None:
    data = _json(final)
    keys = [f["key"] for f in data["fields"]]
    assert keys[:6] == ["reporter", "stage", "report_date", "discovered", "occurred", "reportable"]
    assert [f["label"] for f in data["fields"][6:]] == list(ITEM_LABELS)
    assert [f["basis"] for f in data["fields"][6:]] == [
        f"規則第8条第1項第{n}号" for n in range(1, 10)
    ]
    fields = _fields(data)
    assert fields["reporter"]["value"] == "横浜トヨペット株式会社"
    assert fields["stage"]["value"] == "確報"
    assert fields["report_date"]["value"] == "2020-11-14"
    assert fields["discovered"]["value"] == "2020-07-29"
    assert fields["occurred"]["value"] == "2020-07-28"
    assert fields["reportable"]["value"].startswith("第3号 不正の目的をもって行われたおそれがある")
    assert (
        fields["data_items"]["value"]
        == "漏洩した情報: 送受信した相手のメールアドレスと名前、メール本文"
    )
    assert "パソコン端末12台がコンピュータウイルス" in fields["overview"]["value"]
    assert (
        "・出口対策(漏洩対策、セキュリティインシデント対応チームの設営)"
        in fields["prevention"]["value"]
    )
    assert data["facts"]["infected_pcs"]["value"] == 12
    assert data["clock"] == {
        "due": "2020-09-28",  # day 60 (7/29 is day 1) a Saturday: the Monday
        "days": 60,
        "basis": "規則第8条第2項: 60日以内 (第7条第3号の事態)",
        "mandatory": False,
    }


def test_an_unknown_item_says_unknown_as_of_its_date(final: Path) -> None:
    people = _fields(_json(final))["people"]
    assert people["status"] == "unknown as of 2020-11-14"
    assert people["value"] == (
        "不明(2020年11月14日時点)\n"
        "ウイルスが活動の痕跡を消しており、抜き取られた情報数は把握できていない。"
    )
    text = element_text((final / f"{NAME}.html").read_text(encoding="utf-8"))
    assert "unknown as of 2020-11-14" in text


def test_the_page_shows_every_field_and_is_the_reviewed_text(
    final: Path, request: pytest.FixtureRequest
) -> None:
    html = (final / f"{NAME}.html").read_text(encoding="utf-8")
    text = element_text(html)
    shown = squeeze(text)
    for field in _json(final)["fields"]:
        for part in (field["label"], field["status"], field["value"]):
            assert squeeze(part) in shown, f"{field['key']}: {part[:40]!r} is not on the page"
    assert "<script" not in html and 'lang="ja"' in html
    golden = _golden(f"{NAME}.txt", text, request)
    assert text == golden, "the page's text differs; run pytest --update-golden and review"


def test_as_of_an_earlier_date_facts_learned_later_are_not_shown(tmp_path: Path) -> None:
    name = "emotet-2020-appi-preliminary-2020-08-05"
    assert _report(tmp_path, "--stage", "preliminary", "--as-of", "2020-08-05", "--no-pdf") == [
        f"{name}.html",
        f"{name}.json",
    ]
    data = _json(tmp_path, name)
    fields = _fields(data)
    assert data["facts"]["infected_pcs"] == {
        "fact": "infected_pcs",
        "label": "感染を確認した端末",
        "value": 11,
        "unit": "台",
        "as_of": "2020-08-05",
    }
    assert "leaked" not in data["facts"]
    everything = (tmp_path / f"{name}.json").read_text(encoding="utf-8")
    everything += (tmp_path / f"{name}.html").read_text(encoding="utf-8")
    assert "12台" not in everything
    assert "11拠点11台の感染が確実となった" in fields["overview"]["value"]
    assert "2020年7月28日" not in everything  # the first infection, known only on 11/14
    assert "release:2020-11-14" not in fields["overview"]["sources"]
    assert fields["occurred"]["value"] == "2020-07-29"
    assert fields["stage"]["value"] == "速報"
    assert fields["data_items"]["status"] == "not yet known as of 2020-08-05"
    assert fields["data_items"]["value"] == "2020年8月5日時点では判明していない"
    # unknown on 11/14, so on 8/5 too; the note, written on 11/14, is not shown
    assert fields["people"]["status"] == "unknown as of 2020-08-05"
    assert fields["people"]["value"] == "不明(2020年8月5日時点)"
    assert "感染疑いのある端末のネットワーク切り離し" in fields["prevention"]["value"]
    assert "マクロ自動実行の無効化" not in fields["prevention"]["value"]  # a measure of 9/30
    assert [p["release"] for p in fields["publication"]["parts"]] == [
        "2020-07-29",
        "2020-07-31",
        "2020-08-05",
    ]
    assert data["clock"]["due"] == "2020-08-03"


def test_the_pdf_is_a_real_pdf_with_the_items(final: Path) -> None:
    path = final / f"{NAME}.pdf"
    assert path.read_bytes().startswith(b"%PDF-")
    reader = PdfReader(path)
    assert reader.metadata is not None
    assert reader.metadata.title == "個人データの漏えい等報告(確報) | 横浜トヨペット株式会社"
    assert reader.metadata.author == "横浜トヨペット株式会社"
    text = squeeze("".join(page.extract_text() for page in reader.pages))
    for label in ITEM_LABELS:
        assert squeeze(label) in text
    assert "パソコン端末12台" in text
    assert "unknownasof2020-11-14" in text
    assert len(reader.pages) >= 2


def test_a_report_holds_no_contact_data(final: Path) -> None:
    with (REPO / "examples" / "contacts.csv").open(encoding="utf-8") as stream:
        addresses = [row["email"] for row in csv.DictReader(stream) if row.get("email")]
    assert addresses
    for name in (f"{NAME}.json", f"{NAME}.html"):
        text = (final / name).read_text(encoding="utf-8")
        assert not [a for a in addresses if a in text]


def test_the_same_record_gives_the_same_bytes(final: Path, tmp_path: Path) -> None:
    _report(tmp_path, "--stage", "final", "--as-of", "2020-11-14")
    for name in (f"{NAME}.json", f"{NAME}.html", f"{NAME}.pdf"):
        assert (tmp_path / name).read_bytes() == (final / name).read_bytes(), name
