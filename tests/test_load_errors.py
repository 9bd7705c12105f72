"""Bad input, table-driven: each malformed content tree gives exactly these located messages."""

from __future__ import annotations

import pytest

from publisher.errors import ContentError
from publisher.load.content import load_content
from publisher.load.theme import load_theme
from publisher.render.pages import render_releases
from tests.conftest import INCIDENT, RELEASE, REPO, SITE, MakeTree

INC = "incidents/test/incident.yaml"
REL = "incidents/test/releases/2020-08-05.yaml"
C = "content/"

CASES: list[tuple[str, dict[str, str | bytes | None], list[str]]] = [
    (
        "yaml syntax error",
        {"site.yaml": SITE + "contact: [\n"},
        [
            C + "site.yaml:13:1: YAML syntax error: while parsing a flow node did not find "
            "expected node content"
        ],
    ),
    (
        "unknown key with a suggestion",
        {INC: INCIDENT.replace("title:", "titel:")},
        [
            C + INC + ":1:1: titel: unknown field; did you mean 'title'?",
            C + INC + ":1:1: title: required field is missing",
        ],
    ),
    (
        "unknown key deep inside, suggestion from the right model",
        {INC: INCIDENT.replace("    label:", "    lable:")},
        [
            C + INC + ":6:5: facts.infected_pcs.label: required field is missing",
            C + INC + ":6:5: facts.infected_pcs.lable: unknown field; did you mean 'label'?",
        ],
    ),
    (
        "wrong type: text for a date",
        {INC: INCIDENT.replace("discovered: 2020-07-29", "discovered: yesterday")},
        [C + INC + ":2:13: discovered: expected a date like 2020-07-29"],
    ),
    (
        "wrong type: a number for a choice",
        {REL: RELEASE.replace("kind: first_notice", "kind: 3")},
        [C + REL + ":2:7: kind: expected one of 'first_notice', 'update' or 'final_report', got 3"],
    ),
    (
        "wrong type: a list expected",
        {INC: INCIDENT.split("timeline:")[0] + "timeline: none\n"},
        [C + INC + ":10:11: timeline: expected a list, got 'none'"],
    ),
    (
        "missing field",
        {REL: RELEASE.replace("title: Notice\n", "")},
        [C + REL + ":1:1: title: required field is missing"],
    ),
    (
        "impossible date",
        {REL: RELEASE.replace("date: 2020-08-05", "date: 2020-02-30")},
        [C + REL + ":1:7: date: impossible date '2020-02-30': day is out of range for month"],
    ),
    (
        "duplicate key",
        {REL: RELEASE + "title: Again\n"},
        [C + REL + ":8:1: title: duplicate key (first given at line 3)"],
    ),
    (
        "two releases on one date",
        {"incidents/test/releases/2020-08-05-b.yaml": RELEASE},
        [
            C + "incidents/test/releases/2020-08-05.yaml:1:7: date: another release of this "
            "incident has the same date: content/incidents/test/releases/2020-08-05-b.yaml"
        ],
    ),
    ("empty file", {REL: "# nothing here\n"}, [C + REL + ":1:1: file is empty"]),
    (
        "not UTF-8",
        {REL: RELEASE.replace("Notice", "お知らせ").encode("cp932")},
        [C + REL + ":3:8: not valid UTF-8 (byte 0x82); save the file as UTF-8"],
    ),
    (
        "alias bomb",
        {REL: RELEASE + 'a: &a ["x", "x"]\nb: &b [*a, *a]\nc: [*b, *b]\n'},
        [C + REL + ":9:8: anchors and aliases (*name) are not allowed in content"],
    ),
    (
        "deep nesting",
        {REL: RELEASE + "x: " + "[" * 100 + "]" * 100 + "\n"},
        [C + REL + ":8:43: nesting deeper than 40 levels"],
    ),
    (
        "unquoted no where text is meant",
        {"site.yaml": SITE.replace("short_name: Example", "short_name: no")},
        [
            C + "site.yaml:3:15: organization.short_name: expected text, got no "
            "(YAML reads it as false; put it in quotes)"
        ],
    ),
    (
        "1.10 read as a number",
        {REL: RELEASE.replace("title: Notice", "title: 1.10")},
        [
            C + REL + ":3:8: title: expected text, got 1.10 "
            "(YAML reads it as the number 1.1; put it in quotes)"
        ],
    ),
    (
        "bare date where text is meant",
        {REL: RELEASE.replace("title: Notice", "title: 2020-08-05")},
        [
            C + REL + ":3:8: title: expected text, got 2020-08-05 "
            "(YAML reads it as a date; put it in quotes)"
        ],
    ),
    (
        "release before discovery",
        {REL: RELEASE.replace("2020-08-05", "2020-07-01")},
        [C + REL + ":1:7: date: release is dated before the incident was discovered (2020-07-29)"],
    ),
    (
        "timeline names a release that does not exist",
        {INC: INCIDENT + "    release: 2020-07-30\n"},
        [C + INC + ":13:14: timeline[0].release: no release of this incident is dated 2020-07-30"],
    ),
    (
        "missing incident record",
        {INC: None},
        [C + INC + ": file not found"],
    ),
    (
        "bad incident folder name",
        {"incidents/Bad_Name/incident.yaml": INCIDENT},
        [
            C + "incidents/Bad_Name: incident folder names use lower-case letters, digits and "
            "hyphens only"
        ],
    ),
]


@pytest.mark.parametrize("changes,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_content_is_reported_with_location(
    make_tree: MakeTree, changes: dict[str, str | bytes | None], expected: list[str]
) -> None:
    root = make_tree(changes)
    with pytest.raises(ContentError) as caught:
        load_content(root)
    assert [str(p) for p in caught.value.problems] == expected


RENDER_CASES: list[tuple[str, dict[str, str | bytes | None], list[str]]] = [
    (
        "fact not yet known on the release's date",
        {REL: None, "incidents/test/releases/2020-07-30.yaml": RELEASE.replace("08-05", "07-30")},
        [
            C + "incidents/test/releases/2020-07-30.yaml:7:1: "
            "sections[0].body: facts.infected_pcs: not yet known on 2020-07-30 (first known on "
            "2020-08-05); a release can only show what was known on its date"
        ],
    ),
    (
        "misspelt fact",
        {REL: RELEASE.replace("facts.infected_pcs", "facts.infected_pc")},
        [
            C + REL + ":7:1: sections[0].body: facts.infected_pc: no such fact in the incident "
            "record; did you mean 'infected_pcs'?"
        ],
    ),
    (
        "undefined name in prose",
        {REL: RELEASE + "closing: |\n  Thanks.\n\n  {{ contcat.name }}\n"},
        [
            C + REL + ":11:1: closing: 'contcat' is undefined; check the spelling, or the field "
            "is not available here"
        ],
    ),
    (
        "template syntax error in prose",
        {REL: RELEASE + "intro: 'See {{ facts.infected_pcs'\n"},
        [
            C + REL + ":8:1: intro: template syntax: unexpected end of template, expected 'end of "
            "print statement'."
        ],
    ),
    (
        "link to a release that does not exist",
        {REL: RELEASE + "intro: See [the notice](release:2020-08-01).\n"},
        [
            C + REL + ":8:1: intro: link 'release:2020-08-01': no release of this incident is "
            "dated 2020-08-01"
        ],
    ),
    (
        "link to a later release",
        {
            REL: RELEASE + "intro: See [the next one](release:2020-09-01).\n",
            "incidents/test/releases/2020-09-01.yaml": RELEASE.replace("2020-08-05", "2020-09-01"),
        },
        [
            C + REL + ":8:1: intro: link 'release:2020-09-01': a release cannot link to a later "
            "release"
        ],
    ),
    (
        "a list fact printed whole",
        {
            INC: INCIDENT.replace(
                "timeline:",
                "  leaked:\n    label: Leaked\n    values:\n"
                "      - {as_of: 2020-08-01, value: [names, addresses]}\ntimeline:",
            ),
            REL: RELEASE + "closing: 'Leaked: {{ facts.leaked }}'\n",
        },
        [
            C + REL + ":8:1: closing: facts.leaked is a list: write {{ facts.leaked | "
            "join('、') }}, loop over it, or use | bullets"
        ],
    ),
    (
        "language without wording",
        {REL: RELEASE + "lang: fr\n"},
        [C + REL + ":8:7: lang: no wording for language 'fr' (add templates/strings/fr.yaml)"],
    ),
]


@pytest.mark.parametrize(
    "changes,expected", [c[1:] for c in RENDER_CASES], ids=[c[0] for c in RENDER_CASES]
)
def test_bad_prose_is_reported_with_location(
    make_tree: MakeTree, changes: dict[str, str | bytes | None], expected: list[str]
) -> None:
    content = load_content(make_tree(changes))
    with pytest.raises(ContentError) as caught:
        render_releases(content, load_theme(REPO / "templates"))
    assert [str(p) for p in caught.value.problems] == expected


def test_every_problem_of_a_run_is_reported_sorted(make_tree: MakeTree) -> None:
    root = make_tree(
        {
            "site.yaml": SITE.replace("language: en", "language: 1"),
            INC: INCIDENT.replace("category: malware", "category: virus"),
            REL: RELEASE.replace("kind: first_notice", "kind: notice"),
        }
    )
    with pytest.raises(ContentError) as caught:
        load_content(root)
    assert [(p.path, p.line, p.field) for p in caught.value.problems] == [
        (C + INC, 3, "category"),
        (C + REL, 2, "kind"),
        (C + "site.yaml", 8, "language"),
    ]


def test_a_file_in_releases_that_is_not_yaml_is_not_silently_skipped(make_tree: MakeTree) -> None:
    root = make_tree(
        {"incidents/test/releases/2020-09-01.yml": RELEASE, "incidents/test/releases/.x.swp": "x"}
    )
    with pytest.raises(ContentError) as caught:
        load_content(root)
    assert [str(p) for p in caught.value.problems] == [
        C + "incidents/test/releases/2020-09-01.yml: not a release file: releases are files "
        "named YYYY-MM-DD.yaml"
    ]
