"""`publisher check`, table-driven: each inconsistent content tree gives exactly these findings.

Every case starts from the minimal valid tree of tests/conftest.py (which has no findings) and
changes a few files; the findings must match line for line, located and sorted.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from publisher.check.published import UNTRACED
from publisher.check.runner import check_content
from tests.conftest import INCIDENT, RELEASE, REPO, SITE, MakeTree

C = "content/"
MOSTLY_JAPANESE = (
    "the release is in 'en' (site.yaml's language: en) but this text is mostly Japanese; set "
    "the release's lang: (or the site's language:) to the language it is in"
)
NO_KANA = (
    "the release is in 'ja' (site.yaml's language: ja) but this text has no kana or kanji; set "
    "the release's lang: (or the site's language:) to the language it is in"
)
Case = tuple[str, dict[str, str | bytes | None], list[str], list[str]]
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
"""The moment every case's legal deadlines are judged at."""

INC = "incidents/test/incident.yaml"
REL = "incidents/test/releases/2020-08-05.yaml"
REL2 = "incidents/test/releases/2020-09-01.yaml"
REL23 = "incidents/test/releases/2023-03-02.yaml"
UPDATE = RELEASE.replace("2020-08-05", "2020-09-01").replace("first_notice", "update")
LINKED = UPDATE + "intro: See the [first notice](release:2020-08-05).\n"
REFS = (
    INCIDENT
    + """\
references:
  - id: cert
    title: CERT advisory
    url: https://cert.example.org/advisory
    as_of: 2020-08-01
"""
)
APPI_ALL = """\
disclosure:
  overview: {present: [timeline]}
  data_items: {present: [facts.infected_pcs]}
  people: {unknown: 2020-08-05}
  cause: {present: [timeline]}
  secondary_damage: {present: [release:2020-08-05]}
  response_to_people: {present: ["release:2020-08-05#What happened"]}
  publication: {present: [release:2020-08-05]}
  prevention: {present: [timeline]}
  other: {unknown: 2020-08-05}
"""
LATER = INCIDENT.replace("2020-07-29", "2023-03-01")
LATER_REL = RELEASE.replace("2020-08-05", "2023-03-02")
GDPR = """\
  records: {unknown: 2020-08-05}
  contact_point: {present: [release:2020-08-05]}
  consequences: {present: [release:2020-08-05]}
"""
NOTIFY = """\
notify:
  subject: About the incident
  message: |
    We are sorry.

    Read more at http://www.example.com/incidents/ please.
"""
CA_REL = (
    RELEASE.replace("title: Notice", "title: Notice of Data Breach")
    + """\
  - heading: What Information Was Involved
    body: Names.
  - heading: What We Are Doing
    body: Fixing.
"""
)

REL26 = "incidents/test/releases/2026-02-20.yaml"
CA_REL26 = (
    CA_REL.replace("2020-08-05", "2026-02-20")
    + """\
  - heading: What You Can Do
    body: Watch your accounts.
  - heading: For More Information
    body: Call us.
"""
)
CA_INC = (
    INCIDENT.replace("2020-07-29", "2026-01-05")
    .replace("2020-08-05", "2026-01-06")
    .replace(
        "timeline:\n",
        "  residents:\n    label: California residents\n    values:\n"
        "      - {as_of: 2026-01-06, value: 812}\ntimeline:\n",
    )
    + "disclosure:\n  residents: {present: [facts.residents]}\n"
    # What its notice must state besides (ca-notice-items), not yet known when it was written.
    + "  breach_dates: {unknown: 2026-01-06}\n  law_enforcement_delay: {unknown: 2026-01-06}\n"
)

CASES: list[Case] = [
    (
        "schema: unknown key inside disclosure, with a suggestion",
        {INC: INCIDENT + "disclosure:\n  peple: {unknown: 2020-08-05}\n"},
        [],
        [
            C
            + "incidents/test/incident.yaml:14:3: error: schema: disclosure.peple: unknown field; "
            "did you mean 'people'?",
        ],
    ),
    (
        "schema: duplicate key",
        {REL: RELEASE + "kind: update\n"},
        [],
        [
            C + "incidents/test/releases/2020-08-05.yaml:8:1: error: schema: kind: duplicate key "
            "(first given at line 2)",
        ],
    ),
    (
        "schema: unquoted no where text is meant",
        {REL: RELEASE.replace("title: Notice", "title: no")},
        [],
        [
            C + "incidents/test/releases/2020-08-05.yaml:3:8: error: schema: title: expected text, "
            "got no (YAML reads it as false; put it in quotes)",
        ],
    ),
    (
        "schema: 1.10 where text is meant",
        {REL: RELEASE.replace("title: Notice", "title: 1.10")},
        [],
        [
            C + "incidents/test/releases/2020-08-05.yaml:3:8: error: schema: title: expected text, "
            "got 1.10 (YAML reads it as the number 1.1; put it in quotes)",
        ],
    ),
    (
        "schema: bare date where text is meant",
        {REL: RELEASE.replace("summary: Something happened.", "summary: 2020-08-05")},
        [],
        [
            C + "incidents/test/releases/2020-08-05.yaml:4:10: error: schema: summary: expected "
            "text, got 2020-08-05 (YAML reads it as a date; put it in quotes)",
        ],
    ),
    (
        "schema: unknown regime in site.yaml",
        {"site.yaml": SITE + "regimes: [hipaa]\n"},
        [],
        [
            C
            + "site.yaml:12:11: error: schema: regimes[1]: expected one of 'appi', 'gdpr' or 'ca', "
            "got 'hipaa'",
        ],
    ),
    (
        "schema: report stage not one of the choices",
        {
            INC: INCIDENT
            + "disclosure:\n  reports:\n    - {regime: appi, stage: interim, date: 2020-08-01}\n"
        },
        [],
        [
            C + "incidents/test/incident.yaml:15:29: error: schema: disclosure.reports[1].stage: "
            "expected one of 'preliminary', 'final' or 'combined', got 'interim'",
        ],
    ),
    (
        "series: two releases on one date",
        {"incidents/test/releases/2020-08-05-b.yaml": RELEASE},
        [],
        [
            C
            + "incidents/test/releases/2020-08-05-b.yaml:1:7: error: release-file-name: date: the "
            "file is named 2020-08-05-b.yaml but the release is dated 2020-08-05",
            C + "incidents/test/releases/2020-08-05.yaml:1:1: warning: link-previous: intro: does "
            "not link the previous release ([...](release:2020-08-05))",
            C + "incidents/test/releases/2020-08-05.yaml:1:7: error: series-duplicate-date: date: "
            "another release of this incident has the same date: "
            "content/incidents/test/releases/2020-08-05-b.yaml",
            C
            + "incidents/test/releases/2020-08-05.yaml:2:7: warning: series-kinds: kind: only the "
            "first release is a first_notice (the series began 2020-08-05)",
        ],
    ),
    (
        "series: release before discovery",
        {
            REL: None,
            "incidents/test/releases/2020-07-01.yaml": RELEASE.replace("2020-08-05", "2020-07-01"),
        },
        [],
        [
            C
            + "incidents/test/releases/2020-07-01.yaml:1:7: error: series-before-discovery: date: "
            "release is dated before the incident was discovered (2020-07-29)",
            C + "incidents/test/releases/2020-07-01.yaml:7:15: error: dated-after-release: "
            "sections[1].body: facts.infected_pcs is first known on 2020-08-05, after 2020-07-01",
        ],
    ),
    (
        "series: timeline names a missing release",
        {INC: INCIDENT + "    release: 2020-07-30\n"},
        [],
        [
            C + "incidents/test/incident.yaml:13:14: error: timeline-release-missing: "
            "timeline[1].release: no release of this incident is dated 2020-07-30",
        ],
    ),
    (
        "series: file not named by its date",
        {REL: RELEASE.replace("2020-08-05", "2020-08-06")},
        [],
        [
            C + "incidents/test/releases/2020-08-05.yaml:1:7: error: release-file-name: date: the "
            "file is named 2020-08-05.yaml but the release is dated 2020-08-06",
        ],
    ),
    (
        "series: a second first notice",
        {
            REL2: RELEASE.replace("2020-08-05", "2020-09-01")
            + "intro: After [the notice](release:2020-08-05).\n"
        },
        [],
        [
            C
            + "incidents/test/releases/2020-09-01.yaml:2:7: warning: series-kinds: kind: only the "
            "first release is a first_notice (the series began 2020-08-05)",
        ],
    ),
    (
        "series: the first release is an update",
        {REL: RELEASE.replace("first_notice", "update")},
        [],
        [
            C
            + "incidents/test/releases/2020-08-05.yaml:2:7: warning: series-kinds: kind: the first "
            "release of the series must be a first_notice, not update",
        ],
    ),
    (
        "dated: a fact shown before it was known",
        {
            REL2: LINKED,
            REL: RELEASE.replace("{{ facts.infected_pcs }} PCs.", "Soon.")
            + 'closing: "{{ facts.infected_pcs }} PCs were hit."\n',
            INC: INCIDENT.replace("as_of: 2020-08-05", "as_of: 2020-08-20"),
        },
        [],
        [
            C
            + "incidents/test/releases/2020-08-05.yaml:8:14: error: dated-after-release: closing: "
            "facts.infected_pcs is first known on 2020-08-20, after 2020-08-05",
        ],
    ),
    (
        "dated: a reference dated after the release",
        {
            INC: REFS.replace("as_of: 2020-08-01", "as_of: 2020-08-20"),
            REL: RELEASE + 'closing: |\n  See\n  {{ references["cert"].url }}\n',
        },
        [],
        [
            C
            + "incidents/test/releases/2020-08-05.yaml:10:1: error: dated-after-release: closing: "
            "references['cert'] is dated 2020-08-20, after 2020-08-05",
        ],
    ),
    (
        "dated: a link to a later release",
        {REL2: LINKED, REL: RELEASE + 'closing: "Next: [update](release:2020-09-01)."\n'},
        [],
        [
            C
            + "incidents/test/releases/2020-08-05.yaml:8:26: error: dated-after-release: closing: "
            "links the release of 2020-09-01, published after 2020-08-05",
        ],
    ),
    (
        "dated: an event known before it happened",
        {INC: INCIDENT + "    known: 2020-07-01\n"},
        [],
        [
            C
            + "incidents/test/incident.yaml:13:12: error: dated-after-release: timeline[1].known: "
            "known on 2020-07-01, before it happened (2020-07-29)",
        ],
    ),
    (
        "dated: an event announced before it was known",
        {INC: INCIDENT + "    known: 2020-09-01\n    release: 2020-08-05\n"},
        [],
        [
            C + "incidents/test/incident.yaml:14:14: error: dated-after-release: "
            "timeline[1].release: announced by the release of 2020-08-05, before it was known",
        ],
    ),
    (
        "dated: an event's fact not yet known when the event became known",
        {
            INC: INCIDENT.replace(
                "    text: Found.", "    text: Found {{ facts.infected_pcs }} PCs."
            )
        },
        [],
        [
            C + "incidents/test/incident.yaml:12:20: error: dated-after-release: timeline[1].text: "
            "facts.infected_pcs is first known on 2020-08-05, after 2020-07-29",
        ],
    ),
    (
        "resolves: a fact that does not exist",
        {REL: RELEASE.replace("facts.infected_pcs", "facts.infected_pc")},
        [],
        [
            C + "incidents/test/releases/2020-08-05.yaml:7:15: error: reference-resolves: "
            "sections[1].body: facts.infected_pc: no such fact in the incident record; did you "
            "mean 'infected_pcs'?",
        ],
    ),
    (
        "resolves: a reference that does not exist",
        {INC: REFS, REL: RELEASE + "closing: \"{{ references['cret'].title }}\"\n"},
        [],
        [
            C + "incidents/test/releases/2020-08-05.yaml:8:14: error: reference-resolves: closing: "
            "references['cret']: no such reference in the incident record; did you mean 'cert'?",
        ],
    ),
    (
        "resolves: a malformed release link",
        {REL2: UPDATE + "intro: See [the notice](release:2020-8-5).\n"},
        [],
        [
            C + "incidents/test/releases/2020-09-01.yaml:8:8: warning: link-previous: intro: does "
            "not link the previous release ([...](release:2020-08-05))",
            C + "incidents/test/releases/2020-09-01.yaml:8:25: error: reference-resolves: intro: "
            "link release:2020-8-5: expected release:YYYY-MM-DD",
        ],
    ),
    (
        "resolves: a link to a release that does not exist",
        {
            REL2: UPDATE
            + "intro: See [the notice](release:2020-08-04) and [this](release:2020-08-05).\n"
        },
        [],
        [
            C + "incidents/test/releases/2020-09-01.yaml:8:25: error: reference-resolves: intro: "
            "link release:2020-08-04: no release of this incident is dated 2020-08-04",
        ],
    ),
    (
        "correction: a published value changes without a note",
        {
            REL2: LINKED + 'closing: "Now {{ facts.infected_pcs }}."\n',
            INC: INCIDENT.replace(
                "      - {as_of: 2020-08-05, value: 11}",
                "      - {as_of: 2020-08-05, value: 11}\n      - {as_of: 2020-09-01, value: 12}",
            ),
        },
        [],
        [
            C + "incidents/test/incident.yaml:10:9: error: correction-note: "
            "facts.infected_pcs.values[2]: changes the value 11 a release published; add a note "
            "explaining the correction",
        ],
    ),
    (
        "correction: a value changes before any release showed it (no finding)",
        {
            REL: RELEASE.replace("{{ facts.infected_pcs }} PCs.", "Soon."),
            INC: INCIDENT.replace(
                "      - {as_of: 2020-08-05, value: 11}",
                "      - {as_of: 2020-08-05, value: 11}\n      - {as_of: 2020-09-01, value: 12}",
            ),
        },
        [],
        [],
    ),
    (
        "correction: a noted change that no release shows before the value changes again",
        {
            "incidents/test/releases/2020-09-15.yaml": LINKED.replace("2020-09-01", "2020-09-15"),
            INC: INCIDENT.replace(
                "      - {as_of: 2020-08-05, value: 11}",
                "      - {as_of: 2020-08-05, value: 11}\n"
                "      - {as_of: 2020-08-20, value: 12, note: One more PC was found.}\n"
                "      - {as_of: 2020-09-10, value: 13, note: And one more.}",
            ),
        },
        [],
        [
            C + "incidents/test/incident.yaml:10:46: error: correction-note: "
            "facts.infected_pcs.values[2].note: no release dated from 2020-08-20 to before "
            "2020-09-10 shows this correction",
        ],
    ),
    (
        "series-ordinals: updates counted from the second release, the first notice unnumbered",
        {REL2: LINKED.replace("title: Notice", "title: Notice (Update 1)")},
        [],
        [],
    ),
    (
        "series-ordinals: an update numbered as if the first notice were one",
        {REL2: LINKED.replace("title: Notice", "title: Notice (Update 2)")},
        [],
        [
            C + "incidents/test/releases/2020-09-01.yaml:3:8: warning: series-ordinals: title: "
            "the title numbers it update 2, but it is update 1 of the series (the first release "
            "is no update)",
        ],
    ),
    (
        "series-ordinals: a number that is not the release's place",
        {
            REL: RELEASE.replace("title: Notice", "title: Notice (第1報)"),
            REL2: LINKED.replace("title: Notice", "title: Notice (第３報)"),
        },
        [],
        [
            C + "incidents/test/releases/2020-09-01.yaml:3:8: warning: series-ordinals: title: "
            "the title numbers it 3, but it is release 2 of the series",
        ],
    ),
    (
        "series-ordinals: a final report may go unnumbered, 第1報 and 第二報 agree",
        {
            REL: RELEASE.replace("title: Notice", "title: Notice (第1報)"),
            REL2: LINKED.replace("title: Notice", "title: Notice (第二報)"),
            "incidents/test/releases/2020-10-01.yaml": RELEASE.replace("2020-08-05", "2020-10-01")
            .replace("first_notice", "final_report")
            .replace("title: Notice", "title: Final report")
            + "intro: See the [update](release:2020-09-01).\n",
        },
        [],
        [],
    ),
    (
        "link-previous: an update that does not link the release before",
        {REL2: UPDATE},
        [],
        [
            C + "incidents/test/releases/2020-09-01.yaml:1:1: warning: link-previous: intro: does "
            "not link the previous release ([...](release:2020-08-05))",
        ],
    ),
    (
        "prose-renders: a name the prose cannot know",
        {REL: RELEASE.replace("{{ facts.infected_pcs }} PCs.", "{{ fact.infected_pcs }} PCs.")},
        [],
        [
            C + "incidents/test/releases/2020-08-05.yaml:7:1: error: prose-renders: "
            "sections[1].body: 'fact' is undefined; check the spelling, or the field is not "
            "available here",
        ],
    ),
    (
        "prose-renders: a template syntax error",
        {REL: RELEASE + "closing: |\n  Thanks.\n  {% if %}\n"},
        [],
        [
            C + "incidents/test/releases/2020-08-05.yaml:10:1: error: prose-renders: closing: "
            "template syntax: Expected an expression, got 'end of statement block'",
        ],
    ),
    (
        "prose-renders: a language without wording",
        {REL: RELEASE + "lang: fr\n"},
        [],
        [
            C + "incidents/test/releases/2020-08-05.yaml:8:7: error: prose-renders: lang: "
            "no wording for language 'fr' (add templates/strings/fr.yaml)",
        ],
    ),
    (
        "prose-markup: rows of pipes that are not a table",
        {REL: RELEASE + "closing: |\n  Counts:\n\n  | PCs | servers |\n  | 11 | 1 |\n"},
        [],
        [
            C + "incidents/test/releases/2020-08-05.yaml:11:1: error: prose-markup: closing: "
            "rows of a table that is not one: it would print as text with pipes; a table needs "
            "a header row, then a delimiter row like |---|---|, and each row on its own line",
        ],
    ),
    (
        "prose-markup: a footnote without its note",
        {REL: RELEASE + "closing: |\n  Thanks.\n  See the report.[^report]\n"},
        [],
        [
            C + "incidents/test/releases/2020-08-05.yaml:10:1: error: prose-markup: closing: "
            "footnote [^report] has no note; add '[^report]: ...'",
        ],
    ),
    (
        "prose-markup: a table, a definition list and a footnote that render",
        {
            REL: RELEASE + "closing: |\n  | PCs | servers |\n  |---|---|\n  | 11 | 1 |\n\n"
            "  Sender\n  : info@example.com\n\n  Thanks.[^1]\n\n  [^1]: A note.\n"
        },
        [],
        [],
    ),
    (
        "language-mismatch: English prose under a Japanese site, and a Japanese release's "
        "English heading and mail subject",
        {
            "site.yaml": SITE.replace("language: en", "language: ja")
            + "notify_from: {email: notice@example.com, name: Example}\n",
            REL: RELEASE.replace("title: Notice", "title: 不正アクセスに関するお知らせ")
            + "closing: We apologise for the concern this has caused.\n"
            + "notify:\n  subject: Notice of unauthorised access\n",
        },
        [],
        [
            C + "incidents/test/releases/2020-08-05.yaml:4:10: warning: language-mismatch: "
            "summary: " + NO_KANA,
            C + "incidents/test/releases/2020-08-05.yaml:6:14: warning: language-mismatch: "
            "sections[1].heading: " + NO_KANA,
            C + "incidents/test/releases/2020-08-05.yaml:8:10: warning: language-mismatch: "
            "closing: " + NO_KANA,
            C + "incidents/test/releases/2020-08-05.yaml:10:12: warning: language-mismatch: "
            "notify.subject: " + NO_KANA,
        ],
    ),
    (
        "language-mismatch: a release's own lang wins over the site's, and short texts are not "
        "judged",
        {
            "site.yaml": SITE.replace("language: en", "language: ja"),
            REL: RELEASE + "lang: en\nclosing: 以上です。\n",
        },
        [],
        [],
    ),
    (
        "disclosure: both present and unknown",
        {INC: INCIDENT + "disclosure:\n  people: {present: [timeline], unknown: 2020-08-05}\n"},
        [],
        [
            C + "incidents/test/incident.yaml:14:11: error: disclosure-pointer: disclosure.people: "
            "give exactly one of present: or unknown:",
        ],
    ),
    (
        "disclosure: neither present nor unknown",
        {INC: INCIDENT + "disclosure:\n  people: {note: ask the vendor}\n"},
        [],
        [
            C + "incidents/test/incident.yaml:14:11: error: disclosure-pointer: disclosure.people: "
            "give exactly one of present: or unknown:",
        ],
    ),
    (
        "disclosure: unknown as of a date before the discovery",
        {INC: INCIDENT + "disclosure:\n  people: {unknown: 2020-07-01}\n"},
        [],
        [
            C + "incidents/test/incident.yaml:14:21: error: disclosure-pointer: "
            "disclosure.people.unknown: unknown as of 2020-07-01, before the incident was "
            "discovered (2020-07-29)",
        ],
    ),
    (
        "disclosure: a pointer to a fact that does not exist",
        {INC: INCIDENT + "disclosure:\n  data_items:\n    present: [facts.leaked]\n"},
        [],
        [
            C + "incidents/test/incident.yaml:15:15: error: disclosure-pointer: "
            "disclosure.data_items.present[1]: no fact 'leaked' in the incident record",
        ],
    ),
    (
        "disclosure: a pointer to a section heading that does not exist",
        {INC: INCIDENT + "disclosure:\n  cause:\n    present: ['release:2020-08-05#Cause']\n"},
        [],
        [
            C + "incidents/test/incident.yaml:15:15: error: disclosure-pointer: "
            "disclosure.cause.present[1]: the release of 2020-08-05 has no section headed 'Cause'",
        ],
    ),
    (
        "disclosure: a pointer that cannot be told",
        {INC: INCIDENT + "disclosure:\n  cause:\n    present: [the investigation report]\n"},
        [],
        [
            C + "incidents/test/incident.yaml:15:15: error: disclosure-pointer: "
            "disclosure.cause.present[1]: cannot tell where 'the investigation report' points; "
            "use facts.<name>, timeline, measures, references or release:<YYYY-MM-DD>[#<section "
            "heading>|#notify]",
        ],
    ),
    (
        "disclosure: a pointer to an empty list",
        {INC: INCIDENT + "disclosure:\n  prevention:\n    present: [measures]\n"},
        [],
        [
            C + "incidents/test/incident.yaml:15:15: error: disclosure-pointer: "
            "disclosure.prevention.present[1]: the record's measures is empty",
        ],
    ),
    (
        "disclosure: a pointer to a notice mail that does not exist",
        {
            INC: INCIDENT
            + "disclosure:\n  response_to_people:\n    present: ['release:2020-08-05#notify']\n"
        },
        [],
        [
            C + "incidents/test/incident.yaml:15:15: error: disclosure-pointer: "
            "disclosure.response_to_people.present[1]: the release of 2020-08-05 has no notify "
            "block",
        ],
    ),
    (
        "disclosure: a report dated before the discovery",
        {INC: INCIDENT + "disclosure:\n  reports:\n    - {regime: gdpr, date: 2020-07-28}\n"},
        [],
        [
            C + "incidents/test/incident.yaml:15:28: error: disclosure-pointer: "
            "disclosure.reports[1].date: a report dated before the incident was discovered "
            "(2020-07-29)",
        ],
    ),
    (
        "appi: no disclosure block at all",
        {},
        ["appi"],
        [
            C + "incidents/test/incident.yaml:1:1: error: appi-items: disclosure.cause: APPI "
            "(施行規則第8条第1項) requires 原因 (item 4, cause): say where the record states it ("
            "present: "
            "[...]) or since when it is unknown (unknown: YYYY-MM-DD)",
            C + "incidents/test/incident.yaml:1:1: error: appi-items: disclosure.data_items: APPI "
            "(施行規則第8条第1項) requires 漏えい等が発生し又は発生したおそれがある個人データの項"
            "目 (item 2, data_items): say where "
            "the record states it (present: [...]) or since when it is unknown (unknown: "
            "YYYY-MM-DD)",
            C + "incidents/test/incident.yaml:1:1: error: appi-items: disclosure.other: APPI "
            "(施行規則第8条第1項) requires その他参考となる事項 (item 9, other): say where the re"
            "cord states it "
            "(present: [...]) or since when it is unknown (unknown: YYYY-MM-DD)",
            C + "incidents/test/incident.yaml:1:1: error: appi-items: disclosure.overview: APPI "
            "(施行規則第8条第1項) requires 概要 (item 1, overview): say where the record states it "
            "(present: [...]) or since when it is unknown (unknown: YYYY-MM-DD)",
            C + "incidents/test/incident.yaml:1:1: error: appi-items: disclosure.people: APPI "
            "(施行規則第8条第1項) requires 漏えい等が発生し又は発生したおそれがある個人データに係"
            "る本人の数 (item 3, people): say where "
            "the record states it (present: [...]) or since when it is unknown (unknown: "
            "YYYY-MM-DD)",
            C + "incidents/test/incident.yaml:1:1: error: appi-items: disclosure.prevention: APPI "
            "(施行規則第8条第1項) requires 再発防止のための措置 (item 8, prevention): say where t"
            "he record states "
            "it (present: [...]) or since when it is unknown (unknown: YYYY-MM-DD)",
            C + "incidents/test/incident.yaml:1:1: error: appi-items: disclosure.publication: APPI "
            "(施行規則第8条第1項) requires 公表の実施状況 (item 7, publication): say where the re"
            "cord states it "
            "(present: [...]) or since when it is unknown (unknown: YYYY-MM-DD)",
            C
            + "incidents/test/incident.yaml:1:1: error: appi-items: disclosure.response_to_people: "
            "APPI (施行規則第8条第1項) requires 本人への対応の実施状況 (item 6, response_to_peopl"
            "e): say where the "
            "record states it (present: [...]) or since when it is unknown (unknown: YYYY-MM-DD)",
            C + "incidents/test/incident.yaml:1:1: error: appi-items: disclosure.secondary_damage: "
            "APPI (施行規則第8条第1項) requires 二次被害又はそのおそれの有無及びその内容 (item 5,"
            " secondary_damage): say "
            "where the record states it (present: [...]) or since when it is unknown (unknown: "
            "YYYY-MM-DD)",
        ],
    ),
    (
        "appi: one item missing",
        {INC: INCIDENT + APPI_ALL.replace("  cause: {present: [timeline]}\n", "")},
        ["appi"],
        [
            C + "incidents/test/incident.yaml:14:3: error: appi-items: disclosure.cause: APPI "
            "(施行規則第8条第1項) requires 原因 (item 4, cause): say where the record states it ("
            "present: "
            "[...]) or since when it is unknown (unknown: YYYY-MM-DD)",
        ],
    ),
    (
        "appi: every item accounted for (no finding before 2022)",
        {INC: INCIDENT + APPI_ALL},
        ["appi"],
        [],
    ),
    (
        "appi: mandatory since 2022, no reports recorded, reportability not recorded",
        {INC: LATER + APPI_ALL.replace("2020-08-05", "2023-03-02"), REL: None, REL23: LATER_REL},
        ["appi"],
        [
            C + "incidents/test/incident.yaml:14:3: warning: appi-final-deadline: "
            "disclosure.reports: 確報 to the PPC (60 days): overdue by 1310 days, nothing "
            "recorded; due by 2023-05-01 24:00 +09:00",
            C + "incidents/test/incident.yaml:14:3: warning: appi-preliminary-deadline: "
            "disclosure.reports: 速報 to the PPC: overdue by 1366 days, nothing recorded; due by "
            "2023-03-06 24:00 +09:00",
            C + "incidents/test/incident.yaml:14:3: warning: appi-reportable: disclosure: record "
            "whether a report to the commission is due (施行規則第7条): reportable: {appi: "
            "{grounds: [第7条第3号]}} (the cases that apply), or {appi: {not_reportable: why}}; "
            "until then the deadlines count as due",
        ],
    ),
    (
        "appi: preliminary report late; the final report's Sunday deadline moves to Monday",
        {
            INC: LATER + APPI_ALL.replace("2020-08-05", "2023-03-02") + "  reports:\n"
            "    - {regime: appi, stage: preliminary, date: 2023-03-07}\n"
            "    - {regime: appi, stage: preliminary, date: 2023-03-09}\n"
            "    - {regime: appi, stage: final, date: 2023-05-01}\n"
            "  reportable: {appi: {grounds: [第7条第3号]}}\n",
            REL: None,
            REL23: LATER_REL,
        },
        ["appi"],
        [
            C + "incidents/test/incident.yaml:24:48: warning: appi-preliminary-deadline: "
            "disclosure.reports[1].date: 速報 to the PPC: done on 2023-03-07, 24 hours late; due "
            "by 2023-03-06 24:00 +09:00",
        ],
    ),
    (
        "appi: final report on day 45 is late without an unlawful purpose",
        {
            INC: LATER
            + APPI_ALL.replace("2020-08-05", "2023-03-02")
            + "  unlawful_purpose: false\n  reports:\n"
            "    - {regime: appi, stage: preliminary, date: 2023-03-04}\n"
            "    - {regime: appi, stage: final, date: 2023-04-15}\n"
            "  reportable: {appi: {grounds: [第7条第4号]}}\n",
            REL: None,
            REL23: LATER_REL,
        },
        ["appi"],
        [
            C + "incidents/test/incident.yaml:26:42: warning: appi-final-deadline: "
            "disclosure.reports[2].date: 確報 to the PPC (30 days): done on 2023-04-15, 16 days "
            "late; due by 2023-03-30 24:00 +09:00",
        ],
    ),
    (
        "appi: one combined report is both 速報 and 確報",
        {
            INC: LATER + APPI_ALL.replace("2020-08-05", "2023-03-02") + "  reports:\n"
            "    - {regime: appi, stage: combined, date: 2023-03-03}\n"
            "  reportable: {appi: {grounds: [第7条第3号]}}\n",
            REL: None,
            REL23: LATER_REL,
        },
        ["appi"],
        [],
    ),
    (
        "appi: not reportable, with the reason: nothing is due",
        {
            INC: LATER + APPI_ALL.replace("2020-08-05", "2023-03-02") + "  reportable:\n"
            "    appi: {not_reportable: 高度な暗号化が施されていた (規則第7条柱書)}\n",
            REL: None,
            REL23: LATER_REL,
        },
        ["appi"],
        [],
    ),
    (
        "appi: reportability gives both grounds and a reason, and a ground that is no case",
        {
            INC: LATER + APPI_ALL.replace("2020-08-05", "2023-03-02") + "  reportable:\n"
            "    appi: {grounds: [第7条第5号], not_reportable: encrypted}\n"
            "  reports:\n    - {regime: appi, stage: combined, date: 2023-03-03}\n",
            REL: None,
            REL23: LATER_REL,
        },
        ["appi"],
        [
            C + "incidents/test/incident.yaml:24:11: error: disclosure-pointer: "
            "disclosure.reportable.appi: give exactly one of grounds: or not_reportable:",
            C + "incidents/test/incident.yaml:24:22: error: disclosure-pointer: "
            "disclosure.reportable.appi.grounds[1]: '第7条第5号' is not a case of 施行規則第7条: "
            "第7条第1号, 第7条第2号, 第7条第3号, 第7条第4号",
        ],
    ),
    (
        "gdpr: items missing and no notification recorded",
        {INC: INCIDENT + APPI_ALL},
        ["gdpr"],
        [
            C
            + "incidents/test/incident.yaml:14:3: error: gdpr-items: disclosure.consequences: GDPR "
            "(Art. 33(3), 34(2)) requires the likely consequences of the breach (Art. 33(3)(c), "
            "consequences): say where the record states it (present: [...]) or since when it is "
            "unknown (unknown: YYYY-MM-DD)",
            C + "incidents/test/incident.yaml:14:3: error: gdpr-items: disclosure.contact_point: "
            "GDPR (Art. 33(3), 34(2)) requires the contact point where more information can be "
            "obtained (Art. 33(3)(b), contact_point): say where the record states it (present: "
            "[...]) or since when it is unknown (unknown: YYYY-MM-DD)",
            C + "incidents/test/incident.yaml:14:3: error: gdpr-items: disclosure.records: GDPR "
            "(Art. 33(3), 34(2)) requires the approximate number of personal data records "
            "concerned (Art. 33(3)(a), records): say where the record states it (present: [...]) "
            "or since when it is unknown (unknown: YYYY-MM-DD)",
            C + "incidents/test/incident.yaml:14:3: warning: gdpr-72h: disclosure.reports: "
            "notification to the supervisory authority (72 hours): overdue by 2314 days, nothing "
            "recorded; due by 2020-07-31 24:00 +09:00",
        ],
    ),
    (
        "gdpr: notified after 72 hours without a reason",
        {INC: INCIDENT + APPI_ALL + GDPR + "  reports:\n    - {regime: gdpr, date: 2020-08-02}\n"},
        ["gdpr"],
        [
            C
            + "incidents/test/incident.yaml:27:28: warning: gdpr-72h: disclosure.reports[1].date: "
            "notification to the supervisory authority (72 hours): done on 2020-08-02, 2 days "
            "late; due by 2020-07-31 24:00 +09:00; give the reasons for the delay (delay_reason)",
        ],
    ),
    (
        "gdpr: notified after 72 hours with a reason (no finding)",
        {
            INC: INCIDENT
            + APPI_ALL
            + GDPR
            + "  reports:\n    - regime: gdpr\n      date: 2020-08-02\n"
            "      delay_reason: The scope was unknown until the forensics came back.\n"
        },
        ["gdpr"],
        [],
    ),
    (
        "gdpr: a placeholder is no reasons for the delay",
        {
            INC: INCIDENT
            + APPI_ALL
            + GDPR
            + "  reports:\n    - {regime: gdpr, date: 2020-08-02, delay_reason: 未定}\n"
        },
        ["gdpr"],
        [
            C
            + "incidents/test/incident.yaml:27:28: warning: gdpr-72h: disclosure.reports[1].date: "
            "notification to the supervisory authority (72 hours): done on 2020-08-02, 2 days "
            "late; due by 2020-07-31 24:00 +09:00; delay_reason '未定' gives no reasons for the "
            "delay",
        ],
    ),
    (
        "gdpr: 72 hours counted in hours, from an awareness in Berlin to a report in Tokyo",
        {
            INC: INCIDENT
            + APPI_ALL
            + GDPR
            + "  reports:\n    - {regime: gdpr, date: 2020-08-01, at: 2020-08-01T23:30+09:00}\n"
            "  aware_at: 2020-07-29T18:00+02:00\n"
        },
        ["gdpr"],
        [],
    ),
    (
        "gdpr: one hour past the 72 (17:00 UTC against 16:00 UTC)",
        {
            INC: INCIDENT
            + APPI_ALL
            + GDPR
            + "  reports:\n    - {regime: gdpr, date: 2020-08-02, at: 2020-08-02T02:00+09:00}\n"
            "  aware_at: 2020-07-29T18:00+02:00\n"
        },
        ["gdpr"],
        [
            C + "incidents/test/incident.yaml:27:44: warning: gdpr-72h: disclosure.reports[1].at: "
            "notification to the supervisory authority (72 hours): done on "
            "2020-08-02T02:00+09:00, 1 hour late; due by 2020-08-01 18:00 +02:00; give the "
            "reasons for the delay (delay_reason)",
        ],
    ),
    (
        "gdpr: not reportable (unlikely to result in a risk): no notification due",
        {
            INC: INCIDENT
            + APPI_ALL
            + GDPR
            + "  reportable:\n    gdpr: {not_reportable: the data were encrypted at rest}\n"
        },
        ["gdpr"],
        [],
    ),
    (
        "ca: notice 46 days after the discovery, no sample copy to the Attorney General",
        {INC: CA_INC, REL: None, REL26: CA_REL26},
        ["ca"],
        [
            C + "incidents/test/incident.yaml:2:13: warning: ca-notice-deadline: discovered: "
            "notice to California residents (30 days): done on 2026-02-20, 16 days late; due by "
            "2026-02-04 24:00 -08:00",
            C + "incidents/test/incident.yaml:18:3: warning: ca-ag-copy: disclosure.reports: "
            "sample copy to the Attorney General (15 days after the notice): overdue by 269 "
            "days, nothing recorded; due by 2026-03-07 24:00 -08:00",
        ],
    ),
    (
        "ca: more than 500 residents, notice and sample copy in time",
        {
            INC: CA_INC.replace("value: 812", "value: 501")
            + "  reports:\n    - {regime: ca, date: 2026-02-19}\n",
            REL: None,
            REL26.replace("02-20", "02-04"): CA_REL26.replace("2026-02-20", "2026-02-04"),
        },
        ["ca"],
        [],
    ),
    (
        "ca: 500 residents: no sample copy due",
        {
            INC: CA_INC.replace("value: 812", "value: 500"),
            REL: None,
            REL26.replace("02-20", "02-04"): CA_REL26.replace("2026-02-20", "2026-02-04"),
        },
        ["ca"],
        [],
    ),
    (
        "ca: title and two headings missing",
        {REL: CA_REL.replace("Notice of Data Breach", "Notice")},
        ["ca"],
        [
            C + "incidents/test/releases/2020-08-05.yaml:3:8: error: ca-title: title: the notice "
            'must be titled "Notice of Data Breach"',
            C + "incidents/test/releases/2020-08-05.yaml:6:3: error: ca-headings: sections: no "
            'section headed "For More Information"',
            C + "incidents/test/releases/2020-08-05.yaml:6:3: error: ca-headings: sections: no "
            'section headed "What You Can Do"',
            C + "incidents/test/releases/2020-08-05.yaml:6:3: error: ca-notice-items: sections: "
            "the release page does not state the date, the estimated date or the date range of "
            "the breach (§1798.82(d)(2)(D)): say it, and point disclosure.breach_dates.present at "
            "release:2020-08-05[#<heading>], or mark it unknown",
            C + "incidents/test/releases/2020-08-05.yaml:6:3: error: ca-notice-items: sections: "
            "the release page does not state whether notification was delayed as a result of a "
            "law enforcement investigation (§1798.82(d)(2)(E)): say it, and point "
            "disclosure.law_enforcement_delay.present at release:2020-08-05[#<heading>], or mark "
            "it unknown",
        ],
    ),
    (
        "safe-links: an http link on a page",
        {REL: RELEASE + "closing: Details at http://www.example.com/faq.\n"},
        [],
        [
            C + "incidents/test/releases/2020-08-05.yaml:8:21: error: safe-links: closing: link "
            "http://www.example.com/faq is not https",
        ],
    ),
    (
        "safe-links: a link to an undeclared site; a declared reference is fine",
        {
            INC: REFS,
            REL: RELEASE
            + "closing: |\n  See <https://cert.example.org/advisory>\n  and <https://evil.example.net/login>.\n",
        },
        [],
        [
            C + "incidents/test/releases/2020-08-05.yaml:10:1: error: safe-links: closing: link "
            "https://evil.example.net/login is not a declared reference or on the official web "
            "domain www.example.com",
        ],
    ),
    (
        "safe-links: a mail links off the official web domain",
        {REL: RELEASE + NOTIFY.replace("http://www.example.com", "https://example-support.net")},
        [],
        [
            C + "incidents/test/releases/2020-08-05.yaml:9:3: error: safe-mail: notify: "
            "content/site.yaml: no notify_from sender is configured",
            C + "incidents/test/releases/2020-08-05.yaml:13:1: error: safe-links: notify.message: "
            "link https://example-support.net/incidents/ is not on the official web domain "
            "www.example.com",
        ],
    ),
    (
        "safe-links: the site is served from another domain",
        {
            "site.yaml": SITE.replace(
                "https://www.example.com/incidents/", "https://example.github.io/incidents/"
            )
        },
        [],
        [
            C + "site.yaml:7:11: error: safe-links: base_url: the site must be served from the "
            "official web domain www.example.com",
        ],
    ),
    (
        "safe-sender: the notice sender is not on an official domain",
        {
            "site.yaml": SITE + "notify_from:\n  email: notice@example-mail.net\n  name: Example\n"
            "  reply_to: help@example.com\n"
        },
        [],
        [
            C
            + "site.yaml:13:10: error: safe-sender: notify_from.email: notice@example-mail.net is "
            "not on an official mail domain (example.com)",
        ],
    ),
    (
        "safe-sender: a release moves the contact desk to a free mail address",
        {REL: RELEASE + "contact:\n  email: example.help@gmail.com\n"},
        [],
        [
            C + "incidents/test/releases/2020-08-05.yaml:9:10: error: safe-sender: contact.email: "
            "example.help@gmail.com is not on an official mail domain (example.com)",
        ],
    ),
    (
        "safe-credentials: a release asks for a password (Japanese)",
        {REL: RELEASE + "closing: 確認のため、パスワードを下記フォームに入力してください。\n"},
        [],
        [
            C + "incidents/test/releases/2020-08-05.yaml:8:10: warning: language-mismatch: "
            "closing: " + MOSTLY_JAPANESE,
            C + "incidents/test/releases/2020-08-05.yaml:8:16: error: safe-credentials: closing: "
            "asks for credentials ('パスワードを下記フォームに入力してください'); genuine notices"
            " never do",
        ],
    ),
    (
        "safe-mail: a notice mail without a configured sender",
        {
            REL: RELEASE
            + NOTIFY.replace(
                "http://www.example.com/incidents/", "https://www.example.com/incidents/"
            )
        },
        [],
        [
            C + "incidents/test/releases/2020-08-05.yaml:9:3: error: safe-mail: notify: "
            "content/site.yaml: no notify_from sender is configured",
        ],
    ),
    (
        "safe-credentials: a mail asks to confirm credentials (English)",
        {
            REL: RELEASE
            + NOTIFY.replace(
                "http://www.example.com/incidents/", "https://www.example.com/incidents/"
            ).replace(
                "We are sorry.", "Please reply with your login details to confirm your account."
            )
        },
        [],
        [
            C + "incidents/test/releases/2020-08-05.yaml:9:3: error: safe-mail: notify: "
            "content/site.yaml: no notify_from sender is configured",
            C + "incidents/test/releases/2020-08-05.yaml:11:1: error: safe-credentials: "
            "notify.message: asks for credentials ('reply with your login details'); genuine "
            "notices never do",
        ],
    ),
    (
        "safe-credentials: a release says it will never ask for a password (English)",
        {
            REL: RELEASE + "closing: We will never ask you to enter your password, and we never "
            "send attachments or password-protected ZIP files.\n"
        },
        [],
        [],
    ),
    (
        "safe-credentials: a release says it will never ask for a password (Japanese)",
        {REL: RELEASE + "closing: 弊社からパスワードの入力をお願いすることはございません。\n"},
        [],
        [
            C + "incidents/test/releases/2020-08-05.yaml:8:10: warning: language-mismatch: "
            "closing: " + MOSTLY_JAPANESE,
        ],
    ),
    (
        "safe-credentials: a denial does not reach into the next sentence",
        {REL: RELEASE + "closing: We never send attachments. Please enter your password below.\n"},
        [],
        [
            C + "incidents/test/releases/2020-08-05.yaml:8:44: error: safe-credentials: closing: "
            "asks for credentials ('enter your password'); genuine notices never do",
        ],
    ),
    (
        "safe-credentials: 'do not forget to' is still a request",
        {REL: RELEASE + "closing: Do not forget to enter your password.\n"},
        [],
        [
            C + "incidents/test/releases/2020-08-05.yaml:8:27: error: safe-credentials: closing: "
            "asks for credentials ('enter your password'); genuine notices never do",
        ],
    ),
]


TIMELINE = "  - heading: Timeline\n    timeline: true\n"
TEMPLATE = "../templates/release-body.html"
"""A file of the project's templates folder (beside content/), laid over the default theme."""
OVER = '{% include "default:release-body.html" %}\n'
OFF = "is not on the official web domain www.example.com"
R, R2, INC_AT, T = C + REL, C + REL2, C + INC, "templates/release-body.html"
ASKS = "asks for credentials ('{}'); genuine notices never do"
HOLDS = "the published text holds the {}, which is not text"
LATER = "  - date: 2020-07-28\n    known: 2020-09-01\n    text: The attacker was in since July.\n"
SITE_FACT = (
    "  site:\n    label: Site\n    values:\n"
    "      - {as_of: 2020-08-01, value: '[here](https://evil.example/f)'}\ntimeline:"
)
MEASURE = "measures:\n  - date: 2020-08-01\n    text: See [x](https://evil.example/m)\n"
IN_TEMPLATE = (
    '<p><a href="javascript:alert(1)">x</a> <a href="{{ "https:" ~ "//evil.example/t" }}">'
)
SCREENED: list[Case] = [
    # Pages, feeds and prints are read as rendered: every text that reaches a reader is screened.
    (
        "safe-links: a link in a timeline event the release shows",
        {
            INC: INCIDENT.replace("text: Found.", "text: Found. [x](https://evil.example/)"),
            REL: RELEASE + TIMELINE,
        },
        [],
        [f"{INC_AT}:12:22: error: safe-links: timeline[1].text: link https://evil.example/ {OFF}"],
    ),
    (
        "safe-links: a link in a measure, shown through measures.taken",
        {INC: INCIDENT + MEASURE, REL: RELEASE + "closing: '{{ measures.taken | bullets }}'\n"},
        [],
        [f"{INC_AT}:15:19: error: safe-links: measures[1].text: link https://evil.example/m {OFF}"],
    ),
    (
        "safe-links: a link in a fact's value, shown through facts",
        {
            INC: INCIDENT.replace("timeline:", SITE_FACT),
            REL: RELEASE + "closing: 'At {{ facts.site }}.'\n",
        },
        [],
        [
            f"{INC_AT}:13:44: error: safe-links: facts.site.values[1].value: link "
            f"https://evil.example/f {OFF}"
        ],
    ),
    (
        "safe-links: a protocol-relative image and link",
        {REL: RELEASE + "closing: |\n  ![p](//evil.example/p.png)\n  [q](//evil.example/q)\n"},
        [],
        [
            f"{R}:9:1: error: safe-links: closing: link //evil.example/p.png {OFF}",
            f"{R}:10:1: error: safe-links: closing: link //evil.example/q {OFF}",
        ],
    ),
    (
        "safe-links: a URL assembled by a Jinja expression in prose",
        {REL: RELEASE + 'closing: \'Go to {{ "https://" ~ "evil.example" }}/login now.\'\n'},
        [],
        [f"{R}:8:11: error: safe-links: closing: link https://evil.example/login {OFF}"],
    ),
    (
        "safe-links: links written into a template, or assembled there",
        {REL2: LINKED, TEMPLATE: OVER + IN_TEMPLATE + "t</a></p>\n"},
        [],
        [
            f"{R}: error: safe-links: link https://evil.example/t {OFF}{UNTRACED}",
            f"{R2}: error: safe-links: link https://evil.example/t {OFF}{UNTRACED}",
            f"{T}:2:13: error: safe-links: link javascript:alert(1) is not https",
        ],
    ),
    (
        "safe-credentials: a password request in a timeline event",
        {
            INC: INCIDENT.replace("text: Found.", "text: Found. Please enter your password here."),
            REL: RELEASE + TIMELINE,
        },
        [],
        [
            f"{INC_AT}:12:25: error: safe-credentials: timeline[1].text: "
            + ASKS.format("enter your password")
        ],
    ),
    (
        "safe-credentials: a request split by Markdown emphasis",
        {REL: RELEASE + "closing: Please enter your **password** below.\n"},
        [],
        [f"{R}:8:10: error: safe-credentials: closing: " + ASKS.format("enter your password")],
    ),
    (
        "safe-credentials: a request in the summary, which only the feed and page head show",
        {REL: RELEASE.replace("Something happened.", "Please confirm your password.")},
        [],
        [f"{R}:4:17: error: safe-credentials: summary: " + ASKS.format("confirm your password")],
    ),
    (
        "safe-sender: a mailto: link to a free mail address in prose",
        {REL: RELEASE + "closing: Write to [us](mailto:example.help@gmail.com).\n"},
        [],
        [
            f"{R}:8:31: error: safe-sender: closing: example.help@gmail.com is not on an "
            "official mail domain (example.com)"
        ],
    ),
    (
        "dated-after-release: a template shows the raw record's later event",
        {
            INC: INCIDENT.replace("timeline:\n", "timeline:\n" + LATER),
            TEMPLATE: OVER + "<p>{{ view.incident.incident.timeline[0].text }}</p>\n",
        },
        [],
        [
            f"{R}: error: dated-after-release: shows timeline[1].text ({INC_AT}:13), first known "
            f"on 2020-09-01, after 2020-08-05{UNTRACED}"
        ],
    ),
    (
        "dated-after-release: a link to a reference dated after the release",
        {
            INC: REFS.replace("as_of: 2020-08-01", "as_of: 2020-08-20"),
            REL: RELEASE + "closing: See <https://cert.example.org/advisory>.\n",
        },
        [],
        [
            f"{R}:8:15: error: dated-after-release: closing: links references['cert'], dated "
            "2020-08-20, after 2020-08-05"
        ],
    ),
    (
        "control-characters: made by a Jinja expression in prose, and in a template",
        {
            REL: RELEASE + "closing: 'Done{{ \"\\x01\" }}.'\n",
            TEMPLATE: OVER + "<p>&#xFFFF;</p>\n",
        },
        [],
        [
            f"{R}:8:11: error: control-characters: closing: "
            + HOLDS.format("control character U+0001"),
            f"{T}:2:4: error: control-characters: " + HOLDS.format("non-character U+FFFF"),
        ],
    ),
    (
        "safe-links: a style's url(), a srcset and a backslashed path in a template",
        {
            TEMPLATE: OVER + '<div style="background: url(//evil.example/bg.png)"></div>\n'
            '<img alt="" srcset="../a.png 1x, https://evil.example/b.png 2x">\n'
            '<a href="/\\evil.example/x">x</a>\n'
        },
        [],
        [
            f"{T}:2:29: error: safe-links: link //evil.example/bg.png {OFF}",
            f"{T}:3:34: error: safe-links: link https://evil.example/b.png {OFF}",
            f"{T}:4:10: error: safe-links: link /\\evil.example/x {OFF}",
        ],
    ),
]
CASES += SCREENED


@pytest.mark.parametrize("name,changes,regimes,expected", CASES, ids=[c[0] for c in CASES])
def test_check_finds_exactly(
    make_tree: MakeTree,
    name: str,
    changes: dict[str, str | bytes | None],
    regimes: list[str],
    expected: list[str],
) -> None:
    root = make_tree(changes)
    project = root.parent / "templates"
    templates = project if project.is_dir() else REPO / "templates"
    found = [str(f) for f in check_content(root, regimes, templates, NOW).findings]
    assert found == expected


def test_the_minimal_tree_has_no_findings_under_any_regime(make_tree: MakeTree) -> None:
    found = check_content(make_tree(), ["gdpr", "ca"], REPO / "templates").findings
    rules = [f.rule for f in found]
    # Its one section is headed "What happened": four of the five California headings are missing,
    # and it says neither when the breach was nor whether law enforcement delayed the notice.
    california = ["ca-title"] + ["ca-headings"] * 4 + ["ca-notice-items"] * 2
    assert rules == ["gdpr-items"] * 6 + ["gdpr-72h", *california]
    assert check_content(make_tree(), (), REPO / "templates").findings == []


def test_the_table_is_large_enough() -> None:
    assert len(CASES) >= 40
    assert len({c[0] for c in CASES}) == len(CASES)
