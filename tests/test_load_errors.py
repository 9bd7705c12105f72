"""Bad input, table-driven: each malformed content tree gives exactly these located messages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from publisher.check.runner import check_content
from publisher.errors import ContentError
from publisher.load.content import load_content
from publisher.render.pages import render_releases
from publisher.render.theme import load_theme
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
        "an unclosed quote is said at its opening line, not where the next quote closes it",
        {REL: RELEASE.replace("title: Notice", 'title: "Notice')},
        [
            C + REL + ":3:8: YAML syntax error: the quoted text that starts here is not closed "
            "on its line (the next quote, on line 7, closes it); add its closing quote"
        ],
    ),
    (
        "an unclosed quote that PyYAML trips over lines later (a backslash) is said where it opens",
        {REL: RELEASE.replace("title: Notice", 'title: "Notice').replace("happened.", "C:\\q")},
        [
            C + REL + ":3:8: YAML syntax error: the quoted text that starts here runs on over "
            "lines: is its closing quote missing? (found unknown escape character at line 4)"
        ],
    ),
    (
        "a quote never closed is said at its opening line, not at the end of the file",
        {REL: RELEASE.replace('"{{ facts.infected_pcs }} PCs."', "'{{ facts.infected_pcs }}")},
        [
            C + REL + ":7:11: YAML syntax error: the quoted text that starts here is never "
            "closed (found unexpected end of stream at line 8)"
        ],
    ),
    (
        "an unclosed list is said where it opens",
        {INC: INCIDENT.replace("title: Test incident", "title: [Test incident")},
        [
            C + INC + ":1:8: YAML syntax error: the list '[' that starts here is not closed "
            "by ']' (did not find expected ',' or ']' at line 2)"
        ],
    ),
    (
        "a full-width colon after a key is said on the key's line, not on the next",
        {INC: INCIDENT.replace("discovered: 2020-07-29", "discovered\uff1a 2020-07-29")},
        [
            C + INC + ":2:1: YAML syntax error: this line has a full-width colon '\uff1a' where "
            "its key needs ':'; type ':' in half-width, then a space"
        ],
    ),
    (
        "a full-width colon after the first key, which PyYAML finds wrong lines later",
        {INC: INCIDENT.replace("title: Test incident", "title\uff1a Test incident")},
        [
            C + INC + ":1:1: YAML syntax error: this line has a full-width colon '\uff1a' where "
            "its key needs ':'; type ':' in half-width, then a space"
        ],
    ),
    (
        "a full-width colon after a space after the key",
        {INC: INCIDENT.replace("discovered: 2020-07-29", "discovered \uff1a2020-07-29")},
        [
            C + INC + ":2:1: YAML syntax error: this line has a full-width colon '\uff1a' where "
            "its key needs ':'; type ':' in half-width, then a space"
        ],
    ),
    (
        "a full-width colon in prose above the mistake is not taken for it",
        {REL: RELEASE + "intro: |\n  日時\uff1a8月5日\nno colon here\n"},
        [
            C + REL + ":10:1: YAML syntax error: this line has no ':' after its key; write it "
            "as `key: value`"
        ],
    ),
    (
        "a tab after a plain scalar, which libyaml says violates indentation, is a tab",
        {INC: INCIDENT.replace("    unit:", "\tunit:")},
        [
            C + INC + ":7:1: YAML syntax error: a tab character here; YAML indents with spaces, "
            "never tabs"
        ],
    ),
    (
        "a full-width space after a key's colon is said on the key's line",
        {INC: INCIDENT.replace("discovered: 2020-07-29", "discovered:\u30002020-07-29")},
        [
            C + INC + ":2:1: YAML syntax error: the ':' on this line is followed by a full-width "
            "space; a key's ':' needs a half-width space after it"
        ],
    ),
    (
        "a full-width colon in the value of a key without its colon is not the key's",
        {INC: INCIDENT.replace("discovered: 2020-07-29", "discovered 2020-07-29 12\uff1a00")},
        [
            C + INC + ":2:1: YAML syntax error: this line has no ':' after its key; write it as "
            "`key: value`"
        ],
    ),
    (
        "a tab that indents is said as a tab",
        {INC: INCIDENT.replace("    label:", "\tlabel:")},
        [
            C
            + INC
            + ":6:1: YAML syntax error: a tab character here; YAML indents with spaces, never tabs"
        ],
    ),
    (
        "a key without its colon is said on its line",
        {INC: INCIDENT.replace("discovered: 2020-07-29", "discovered 2020-07-29")},
        [
            C + INC + ":2:1: YAML syntax error: this line has no ':' after its key; write it as "
            "`key: value`"
        ],
    ),
    (
        "a misspelt required key is one problem, at the misspelling",
        {INC: INCIDENT.replace("title:", "titel:")},
        [C + INC + ":1:1: titel: unknown field; did you mean 'title'? (a required field)"],
    ),
    (
        "a misspelt key deep inside, suggestion from the right model",
        {INC: INCIDENT.replace("    label:", "    lable:")},
        [
            C + INC + ":6:5: facts.infected_pcs.lable: unknown field; did you mean 'label'? "
            "(a required field)"
        ],
    ),
    (
        "an unknown key far from any field, beside a missing one: both said",
        {INC: INCIDENT.replace("title:", "zzz:")},
        [
            C + INC + ":1:1: title: required field is missing",
            C + INC + ":1:1: zzz: unknown field; expected one of: advice, category, disclosure, "
            "discovered, facts, measures, references, timeline, title",
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
        "every fault of one file, each at its own place",
        {
            "site.yaml": SITE.replace("[example.com]", "[]")
            .replace("www.example.com\n", "www.example.com\ntimezone: Asia/Nowhere\n")
            .replace("https://www.example.com/incidents/", "http://www.example.com/")
            .replace("language: en", "language: English")
            .replace("help@example.com", "help.example.com")
        },
        [
            C + "site.yaml:5:17: organization.mail_domains: must not be empty",
            C + "site.yaml:7:11: timezone: unknown time zone 'Asia/Nowhere'; expected a name "
            "like Asia/Tokyo",
            C + "site.yaml:8:11: base_url: expected an https:// URL, got 'http://www.example.com/'",
            C + "site.yaml:9:11: language: 'English' does not have the expected form",
            C + "site.yaml:12:10: contact.email: expected an e-mail address, got "
            "'help.example.com'",
        ],
    ),
    (
        "a domain that is not one, a mapping where a mapping is not asked for",
        {
            "site.yaml": SITE.replace("web_domain: www.example.com", "web_domain: www")
            + "notify_from: noreply@example.com\n"
        },
        [
            C + "site.yaml:6:15: organization.web_domain: expected a domain name such as "
            "example.jp, got 'www'",
            C + "site.yaml:12:14: notify_from: expected a mapping, got 'noreply@example.com'",
        ],
    ),
    (
        "blank text, and a bad item in a list a fact may hold",
        {
            INC: INCIDENT.replace("title: Test incident", "title: ' '").replace(
                "value: 11", "value: [Tokyo, 3, {a: b}]"
            )
        },
        [
            C + INC + ":1:8: title: must not be empty",
            C + INC + ":9:36: facts.infected_pcs.values[1].value: item 2 of the list: expected "
            "text, got the number 3 (put it in quotes for text)",
        ],
    ),
    (
        "a blank fact value, said at the value by the model's own check",
        {INC: INCIDENT.replace("value: 11", "value: ' '")},
        [C + INC + ":9:36: facts.infected_pcs.values[1].value: must not be empty"],
    ),
    (
        "the model's own check is said beside another field's fault",
        {INC: INCIDENT.replace("as_of: 2020-08-05, value: 11", "as_of: soon, value: ' '")},
        [
            C + INC + ":9:17: facts.infected_pcs.values[1].as_of: expected a date like 2020-07-29",
            C + INC + ":9:30: facts.infected_pcs.values[1].value: must not be empty",
        ],
    ),
    (
        "a fact value of no allowed kind",
        {INC: INCIDENT.replace("value: 11", "value: yes")},
        [
            C + INC + ":9:36: facts.infected_pcs.values[1].value: expected a number (11), a "
            "text, a list of texts, a date (2026-03-01) or a range {from: 2026-03-01, to: "
            "2026-03-08}, got true (YAML reads yes, no, on and off so; put it in quotes)",
        ],
    ),
    (
        "publication time without its zone, a date with a time",
        {
            REL: RELEASE.replace("date: 2020-08-05", "date: 2020-08-05 10:00:00")
            + "publish_at: 2020-08-05T10:00\n"
        },
        [
            C + REL + ":1:7: date: expected a date like 2020-07-29, got a date and time",
            C + REL + ":8:13: publish_at: expected a date and time with its zone, like "
            "2020-11-14T10:00:00+09:00",
        ],
    ),
    (
        "mail header text: one line, no control characters, no trailing line break",
        {
            REL: RELEASE
            + 'notify:\n  subject: "\\e[31mURGENT: verify your account"\n'
            + '  segments: ["customers\\n", partners]\n'
            + "contact: {email: help.example.com}\n",
            "site.yaml": SITE
            + "timezone: 9\nnotify_from:\n  email: info@example.com\n  name: |\n    Desk\n",
        },
        [
            C + REL + ":9:12: notify.subject: holds the control character U+001B, which is no "
            "text a reader can be shown; remove it",
            C + REL + ":10:14: notify.segments[1]: 'customers\\n' does not have the expected form",
            C + REL + ":11:18: contact.email: expected an e-mail address, got 'help.example.com'",
            C + "site.yaml:12:11: timezone: expected text, got 9 (YAML reads it as the number 9; "
            "put it in quotes)",
            C + "site.yaml:15:9: notify_from.name: must be one line of text (no line breaks or "
            "control characters)",
        ],
    ),
    (
        "a next line character in a subject, a time zone name too deep to be one",
        {
            REL: RELEASE + 'notify:\n  subject: "A\\NB"\n',
            "site.yaml": SITE + "timezone: " + "a/" * 300 + "b\n",
        },
        [
            C + REL + ":9:12: notify.subject: holds the control character U+0085, which is no "
            "text a reader can be shown; remove it",
            C + "site.yaml:12:11: timezone: unknown time zone '" + "a/" * 300 + "b'; expected a "
            "name like Asia/Tokyo",
        ],
    ),
    (
        "a control character written as an escape, in a summary",
        {REL: RELEASE.replace("summary: Something happened.", 'summary: "Some\\x01thing"')},
        [
            C + REL + ":4:10: summary: holds the control character U+0001, which is no text a "
            "reader can be shown; remove it"
        ],
    ),
    (
        "a NUL in a timeline event, a non-character in a fact's label",
        {
            INC: INCIDENT.replace("text: Found.", 'text: "Found.\\0"').replace(
                "label: Infected PCs", 'label: "Infected \\uFFFF"'
            )
        },
        [
            C + INC + ":6:12: facts.infected_pcs.label: holds the non-character U+FFFF, which is "
            "no text a reader can be shown; remove it",
            C + INC + ":12:11: timeline[1].text: holds the control character U+0000, which is no "
            "text a reader can be shown; remove it",
        ],
    ),
    (
        "a non-character written as it is: at its column, or its line in a literal block",
        {
            REL: RELEASE.replace("title: Notice", "title: Not\ufdd0ice")
            + "closing: |\n  Thanks.\n  Bye\U0001fffe.\n"
        },
        [
            C + REL + ":3:11: title: holds the non-character U+FDD0, which is no text a reader "
            "can be shown; remove it",
            C + REL + ":10:1: closing: holds the non-character U+1FFFE, which is no text a reader "
            "can be shown; remove it",
        ],
    ),
    (
        "a control character in a key: said once, never echoed",
        {REL: RELEASE + '"x\\x7f": 1\n'},
        [
            C + REL + ":8:1: holds the control character U+007F, which is no text a reader can be "
            "shown; remove it",
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
        [C + INC + ":13:14: timeline[1].release: no release of this incident is dated 2020-07-30"],
    ),
    (
        "missing incident record",
        {INC: None},
        [C + INC + ": file not found"],
    ),
    *(
        (
            f"a translation's file named {tag!r}",
            {f"incidents/test/releases/2020-08-05.{tag}.yaml": RELEASE},
            [
                C + f"incidents/test/releases/2020-08-05.{tag}.yaml: the language tag {tag!r} is "
                f"not written as publisher reads it: name the file 2020-08-05.{written}.yaml (the "
                "language in lower case, a region in capitals; <date>.yaml for a release, "
                "<date>.<lang>.yaml for its translation)"
            ],
        )
        for tag, written in (
            ("JA", "ja"),
            ("Ja", "ja"),
            ("EN", "en"),
            ("en_gb", "en-GB"),
            ("en-gb", "en-GB"),
            ("EN-GB", "en-GB"),
        )
    ),
    *(
        (
            f"a release file named with {tag!r}, which is no language",
            {f"incidents/test/releases/2020-08-05.{tag}.yaml": RELEASE},
            [
                C + f"incidents/test/releases/2020-08-05.{tag}.yaml: {tag!r} is not a language tag "
                "publisher knows: name the file <date>.yaml for a release, <date>.<lang>.yaml "
                "for its translation, with <lang> a language code as ja or en, or a language "
                "and its region as en-GB"
            ],
        )
        for tag in ("jp", "xx", "en-XX", "draft", "ja.en", "yaml", "j", "日本語")
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
            "sections[1].body: facts.infected_pcs: not yet known on 2020-07-30 (first known on "
            "2020-08-05); a release can only show what was known on its date"
        ],
    ),
    (
        "misspelt fact",
        {REL: RELEASE.replace("facts.infected_pcs", "facts.infected_pc")},
        [
            C + REL + ":7:1: sections[1].body: facts.infected_pc: no such fact in the incident "
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
        "a template included in prose",
        {REL: RELEASE + "intro: \"{% include 'base.html' %}\"\n"},
        [
            C + REL + ":8:1: intro: prose cannot include, import or extend a template "
            "({% include %}, {% import %}, {% extends %}); write the text here, or change the "
            "theme's template that shows it"
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


SECRET = "root:x:0:0:the secret of another folder:/root:/bin/bash\n"
OUTSIDE = "a symbolic link that leads outside the content folder; publisher reads nothing from "
OUTSIDE += "outside it (copy the file in instead)"
LINKS: list[tuple[str, str, str]] = [
    # (the link, made in place of this file or folder; what it points at, outside content/)
    ("site.yaml", "site.yaml", "file"),
    ("incident record", INC, "file"),
    ("release file", REL, "file"),
    ("release file to a folder", "incidents/test/releases/2020-09-01.yaml", "folder"),
    ("releases folder", "incidents/test/releases", "folder"),
    ("incident folder", "incidents/test", "folder"),
    ("incidents folder", "incidents", "folder"),
]


@pytest.mark.parametrize("name,link,kind", LINKS, ids=[c[0] for c in LINKS])
def test_a_link_out_of_the_content_folder_names_the_link_not_what_it_holds(
    make_tree: MakeTree, tmp_path: Path, name: str, link: str, kind: str
) -> None:
    root = make_tree()
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.yaml").write_text(SECRET, encoding="utf-8")
    target = outside / "secret.yaml" if kind == "file" else outside
    if kind == "folder" and link.endswith(("releases", "test", "incidents")):
        shutil.copytree(root / link, outside, dirs_exist_ok=True)
    path = root / link
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)
    path.symlink_to(target)
    with pytest.raises(ContentError) as caught:
        load_content(root)
    shown = [str(p) for p in caught.value.problems]
    assert shown[0] == f"{C}{link}: {OUTSIDE}"
    assert not any("secret" in line for line in shown)


def test_a_link_that_stays_inside_the_content_folder_is_read(make_tree: MakeTree) -> None:
    root = make_tree({"incidents/test/drafts/2020-08-05.yaml": RELEASE, REL: None})
    (root / REL).parent.mkdir()
    (root / REL).symlink_to("../drafts/2020-08-05.yaml")
    assert load_content(root).incidents[0].releases[0].release.title == "Notice"


THEME_LINKS: list[tuple[str, str]] = [
    ("static/passwd.txt", "file"),
    ("static/fonts", "folder"),
    ("release.html", "file"),
    ("strings/en.yaml", "file"),
    ("mail/notice.en.txt", "file"),
]


@pytest.mark.parametrize("link,kind", THEME_LINKS, ids=[c[0] for c in THEME_LINKS])
def test_a_link_out_of_the_templates_folder_names_the_link_and_publishes_nothing(
    make_tree: MakeTree, tmp_path: Path, link: str, kind: str
) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET, encoding="utf-8")
    templates = tmp_path / "templates"
    (templates / link).parent.mkdir(parents=True)
    (templates / link).symlink_to(outside / "secret.txt" if kind == "file" else outside)
    with pytest.raises(ContentError) as caught:
        load_theme(templates)
    assert [str(p) for p in caught.value.problems] == [
        f"templates/{link}: a symbolic link that leads outside templates/; nothing from outside "
        "the project is published (copy the file in instead)"
    ]
    found = check_content(make_tree(), templates=templates).findings
    assert [(f.path, f.severity) for f in found] == [(f"templates/{link}", "error")]


def test_a_link_that_stays_inside_the_templates_folder_is_published(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    (templates / "static").mkdir(parents=True)
    (templates / "logo.svg").write_text("<svg/>", encoding="utf-8")
    (templates / "static" / "logo.svg").symlink_to("../logo.svg")
    assert load_theme(templates).static["static/logo.svg"] == b"<svg/>"
