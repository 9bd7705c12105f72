"""The GDPR Art. 33(5) register: one CSV row per incident, as the record knew it on a date."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from publisher.report.register import COLUMNS, register_csv
from tests.conftest import MakeTree
from tests.report.conftest import SHOP, Invoke, shop_tree


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        assert tuple(reader.fieldnames or ()) == COLUMNS
        return list(reader)


def test_every_incident_is_a_row(make_tree: MakeTree, invoke: Invoke) -> None:
    root = shop_tree(make_tree)
    other = SHOP.replace("discovered: 2026-03-02", "discovered: 2025-01-10")
    other = other.split("disclosure:")[0].replace("2026-03-01", "2025-01-09")
    other = other.replace("2026-03-02", "2025-01-10").replace("web shop", "mail server")
    (root / "incidents" / "mail" / "releases").mkdir(parents=True)
    (root / "incidents" / "mail" / "incident.yaml").write_text(other, encoding="utf-8")
    result = invoke("register", "--out", "reports/register.csv", "--as-of", "2026-03-20")
    assert result.exit_code == 0, result.output
    assert result.output == "wrote reports/register.csv: 2 incidents\n"
    mail, shop = _rows(Path("reports/register.csv"))
    assert (mail["incident"], shop["incident"]) == ("mail", "shop")
    assert mail["title"] == "Unauthorized access to the mail server"
    assert mail["nature"] == "not in the record"  # no disclosure block; still in the register
    assert mail["reports"] == ""
    assert shop["discovered"] == "2026-03-02"
    assert shop["as_of"] == "2026-03-20"
    assert "Customers affected: 1,350 customers" in shop["facts"].splitlines()
    assert "California residents notified: 612" in shop["facts"].splitlines()
    assert shop["data_subjects"] == "Customers affected: 1,350 customers"
    assert shop["records"] == "Order records: 4,100"
    assert shop["effects"] == ("Unknown as of March 20, 2026\nNo misuse of the data has been seen.")
    assert "- March 20, 2026 Plugins patched and passwords reset" in shop["remedial_action"]
    assert shop["reports"] == (
        "2026-03-06 gdpr preliminary (delay: The breach was confirmed only on March 5, "
        "after forensic analysis.)"
    )
    assert shop["communicated"].splitlines() == [
        "2026-03-04 Notice of Data Breach https://www.example.com/incidents/shop/2026-03-04/",
        "2026-03-20 Notice of Data Breach: update https://www.example.com/incidents/shop/2026-03-20/",
    ]


def test_the_register_as_of_an_earlier_date(make_tree: MakeTree, invoke: Invoke) -> None:
    shop_tree(make_tree)
    result = invoke("register", "--out", "early.csv", "--as-of", "2026-03-04")
    assert result.exit_code == 0, result.output
    [shop] = _rows(Path("early.csv"))
    assert shop["data_subjects"] == "Customers affected: 1,200 customers"
    assert shop["records"] == "Not yet known as of March 4, 2026"
    assert shop["reports"] == ""  # made on 3/6
    assert "Plugins patched" not in shop["remedial_action"]
    assert invoke("register", "--out", "none.csv", "--as-of", "2026-03-01").exit_code == 0
    assert _rows(Path("none.csv")) == []  # discovered on 3/2


def test_a_cell_that_looks_like_a_formula_is_quoted() -> None:
    row = dict.fromkeys(COLUMNS, "") | {"title": '=HYPERLINK("x")', "facts": "-1", "nature": "ok"}
    [written] = csv.DictReader(io.StringIO(register_csv([row]).decode("utf-8")))
    assert written["title"] == '\'=HYPERLINK("x")'
    assert written["facts"] == "'-1"
    assert written["nature"] == "ok"
