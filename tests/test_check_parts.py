"""The check in parts (publisher/check/parts.py): what the rules find part by part is what they
find in the whole content, a part's findings read nothing of the other incidents but its rules'
contexts, and a check after one release changed checks only that release's incident again."""

from __future__ import annotations

import re
import shutil
import textwrap
from datetime import datetime
from pathlib import Path

import pytest

from publisher.check import parts
from publisher.check.findings import found_by
from publisher.check.registry import RULES
from publisher.check.rule import Rule, Subject
from publisher.check.runner import check_content, run_rules
from publisher.errors import Problem, sort_problems
from publisher.load.content import read_content
from publisher.load.themefolders import DEFAULT_THEME
from publisher.model.content import IncidentRecord
from publisher.render.reuse import Reuse
from publisher.render.site import render_site
from publisher.render.theme import load_theme
from tests import bilingual
from tests.conftest import REPO

NOW = datetime.fromisoformat("2026-12-01T12:00:00+09:00")
EMOTET = "incidents/emotet-2020/releases/2020-08-05.yaml"
MEMBERS = "incidents/member-mail-2026/releases/2026-05-22.yaml"
DESK = "desk@member-help.example.com"
"""An address off the official mail domains that one incident configures and another links."""


def _three_incidents(root: Path, only: str | None = None) -> Path:
    """The repository's content with the examples' incidents beside its own (or `only` that
    one), and faults in two of them: an urgent line, a look-alike host and a link to an address
    off the mail domains in one; that address given as the contact in the other."""
    content = root / "content"
    shutil.copytree(REPO / "content", content, ignore=shutil.ignore_patterns(".publisher-cache"))
    for example in ("association-ja", "retailer-en"):
        for folder in (REPO / "examples" / example / "content" / "incidents").iterdir():
            shutil.copytree(folder, content / "incidents" / folder.name)
    emotet = content / EMOTET
    fault = f"至急ご確認ください。https://www.yokohama-toyopet.co/help か[窓口](mailto:{DESK})へ。"
    closing = "  調査により新たな事実"
    text = emotet.read_text().replace(closing, f"  {fault}\n\n{closing}")
    emotet.write_text(text)
    members = content / MEMBERS
    members.write_text(members.read_text() + f"contact:\n  email: {DESK}\n")
    if only is not None:
        for folder in (content / "incidents").iterdir():
            if folder.name != only:
                shutil.rmtree(folder)
    return content


def _subject(content: Path) -> Subject:
    loaded, problems = read_content(content)
    assert loaded is not None and not problems
    theme = load_theme(None)
    site = render_site(loaded, theme)
    return Subject(loaded, frozenset(loaded.site.regimes), theme, (), NOW, None, site)


def _rules(subject: Subject) -> list[Rule]:
    return [rule for rule in RULES.values() if rule.applies(subject.regimes)]


def _whole(subject: Subject) -> list[Problem]:
    """Every rule run on the whole content at once, as the check ran before it had parts."""
    found = []
    for rule in _rules(subject):
        assert rule.check is not None
        found += [found_by(p, rule.id, rule.severity) for p in rule.check(subject)]
    return sort_problems(found)


def _incident(subject: Subject, name: str) -> IncidentRecord:
    return next(i for i in subject.content.incidents if i.id == name)


def test_the_parts_find_what_the_whole_finds(tmp_path: Path) -> None:
    subject = _subject(_three_incidents(tmp_path))
    assert len(subject.content.incidents) == 3
    found = run_rules(subject)
    assert found == _whole(subject)
    rules = {f.rule for f in found}
    assert {"safe-urgency", "safe-lookalike", "safe-sender"} <= rules
    files = {f.path.rpartition("/incidents/")[2].partition("/")[0] for f in found}
    assert {"emotet-2020", "member-mail-2026"} <= files  # findings in more than one part
    # The address the other incident configures is said there, not where a page links it.
    senders = [f for f in found if f.rule == "safe-sender"]
    assert senders and all(f.path.endswith(MEMBERS) for f in senders)


@pytest.mark.parametrize("name", ["emotet-2020", "member-mail-2026", "order-database-2026"])
def test_a_part_reads_nothing_of_the_other_incidents_but_its_rules_contexts(
    tmp_path: Path, name: str
) -> None:
    together = _subject(_three_incidents(tmp_path / "together"))
    alone = _subject(_three_incidents(tmp_path / "alone", only=name))
    moved = str(tmp_path / "alone"), str(tmp_path / "together")
    for rule in _rules(together):
        if rule.whole:
            continue
        of_part = [
            parts._of_part(subject, [rule], _incident(subject, name))
            for subject in (together, alone)
        ]
        here = [f.path.replace(*moved) for f in of_part[1]]
        if rule.context and rule.context(together.content) != rule.context(alone.content):
            continue  # the context the part is kept by differs: so may its findings
        assert [f.path for f in of_part[0]] == here, rule.id
        assert of_part[0] == [
            Problem(p, f.line, f.col, f.field, f.message, f.severity, f.rule)
            for p, f in zip(here, of_part[1], strict=True)
        ], rule.id


def test_alone_the_linked_address_is_a_finding_on_the_page(tmp_path: Path) -> None:
    """Why safe-sender has a context: without the incident that configures the address, the
    page that links it is where the address is said."""
    alone = _subject(_three_incidents(tmp_path, only="emotet-2020"))
    senders = [f for f in run_rules(alone) if f.rule == "safe-sender"]
    assert senders and all(f.path.endswith(EMOTET) and DESK in f.message for f in senders)


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """The parts checked, as they are (None: the site's), all in this process."""
    found: list[str | None] = []
    real = parts._of_part

    def counted(subject: Subject, rules: list[Rule], incident: IncidentRecord | None) -> object:
        found.append(incident.id if incident else None)
        return real(subject, rules, incident)

    monkeypatch.setattr(parts, "_of_part", counted)
    monkeypatch.setenv("PUBLISHER_JOBS", "1")  # every part checked in this process, counted
    return found


def test_a_check_after_one_change_checks_that_incident_and_the_site_if_its_lists_changed(
    tmp_path: Path, checked: list[str | None]
) -> None:
    content = _three_incidents(tmp_path)
    reuse = Reuse("this theme and code")
    first = check_content(content, now=NOW, reuse=reuse).findings
    assert sorted(checked, key=str) == [
        None,
        "emotet-2020",
        "member-mail-2026",
        "order-database-2026",
    ]
    checked.clear()
    assert check_content(content, now=NOW, reuse=reuse).findings == first
    assert checked == []  # nothing changed: every part's findings as they were
    members = content / MEMBERS
    members.write_text(
        members.read_text().replace("時点で、本件による二次被害", "時点で、二次被害")
    )
    checked.clear()
    after = check_content(content, now=NOW, reuse=reuse).findings
    assert checked == ["member-mail-2026"]  # its prose: no list of the site shows it
    assert after == check_content(content, now=NOW).findings
    members.write_text(
        members.read_text().replace("確定いたしました", "確定しました")
    )  # its summary
    checked.clear()
    after = check_content(content, now=NOW, reuse=reuse).findings
    assert sorted(checked, key=str) == [None, "member-mail-2026"]
    assert after == check_content(content, now=NOW).findings  # as a check that keeps nothing
    # The address given elsewhere changes: what safe-sender reads of every incident, so every
    # part is checked again, and the page that links the address is where it is said now.
    members.write_text(members.read_text().replace(DESK, "desk@yokohama-toyopet.jp"))
    checked.clear()
    after = check_content(content, now=NOW, reuse=reuse).findings
    assert len(checked) == 4
    assert after == check_content(content, now=NOW).findings
    assert any(f.rule == "safe-sender" and f.path.endswith(EMOTET) for f in after)
    assert not any(f.rule == "safe-sender" and f.path.endswith(EMOTET) for f in first)


def test_a_changed_site_file_checks_every_part_again(
    tmp_path: Path, checked: list[str | None]
) -> None:
    content = _three_incidents(tmp_path)
    reuse = Reuse("this theme and code")
    first = check_content(content, now=NOW, reuse=reuse).findings
    site = content / "site.yaml"
    site.write_text("# a line more: every finding in site.yaml one line lower\n" + site.read_text())
    checked.clear()
    after = check_content(content, now=NOW, reuse=reuse).findings
    assert len(checked) == 4
    assert after == check_content(content, now=NOW).findings
    in_site = [(f.rule, f.line) for f in first if f.path.endswith("site.yaml")]
    assert in_site and [(f.rule, f.line) for f in after if f.path.endswith("site.yaml")] == [
        (rule, line + 1) for rule, line in in_site
    ]


def test_the_site_s_untranslated_words_are_said_once_for_all_incidents(tmp_path: Path) -> None:
    """translation-incomplete says the site's words a language lacks at the first translation
    into it in the whole content, not once in each incident's part."""
    content = tmp_path / "content"
    site = bilingual.SITE.replace(
        "  translations:\n    en: {name: Example Corp, short_name: Example, self_reference: we}\n",
        "",
    )
    assert site != bilingual.SITE
    files = {"site.yaml": site}
    for name, day in (("leak-2026", "2026-03-04"), ("leak-b-2026", "2026-03-05")):
        original = bilingual.ORIGINAL.replace("date: 2026-03-04", f"date: {day}")
        files[f"incidents/{name}/incident.yaml"] = bilingual.INCIDENT
        files[f"incidents/{name}/releases/{day}.yaml"] = original
        files[f"incidents/{name}/releases/{day}.en.yaml"] = bilingual.translation(original)
    for name, text in files.items():
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        (content / name).write_text(textwrap.dedent(text))
    subject = _subject(content)
    found = run_rules(subject)
    assert found == _whole(subject)
    said = [f for f in found if f.rule == "translation-incomplete" and f.path.endswith("site.yaml")]
    assert len(said) == 1
    rule = RULES["translation-incomplete"]
    assert parts._of_part(subject, [rule], None) == said  # the site's part, which reads all
    for incident in subject.content.incidents:
        assert not [f for f in parts._of_part(subject, [rule], incident) if f in said]


def test_nothing_is_kept_while_a_template_fails(tmp_path: Path) -> None:
    """A template that fails on one incident leaves every part without its pages: what the
    parts find then is not kept, so fixing that incident brings the others' page findings back."""
    content = _three_incidents(tmp_path)
    templates = tmp_path / "templates"
    templates.mkdir()
    page = (DEFAULT_THEME / "incident.html").read_text()
    shown = "<p>{{ incident.measures[0].text }}</p>\n{% endblock %}"
    (templates / "incident.html").write_text(page.replace("{% endblock %}", shown, 1))
    members = content / "incidents/member-mail-2026/incident.yaml"
    good = members.read_text()
    members.write_text(re.sub(r"^measures:\n(?:  .*\n)+", "measures: []\n", good, flags=re.M))
    reuse = Reuse("this theme and code")
    failing = check_content(content, templates=templates, now=NOW, reuse=reuse)
    assert failing.site.failed
    members.write_text(good)
    kept = check_content(content, templates=templates, now=NOW, reuse=reuse).findings
    assert kept == check_content(content, templates=templates, now=NOW).findings
    assert any(f.rule == "safe-urgency" and f.path.endswith(EMOTET) for f in kept)


def test_the_site_s_findings_move_with_the_lines_of_the_release_they_are_in(
    tmp_path: Path,
) -> None:
    """The index and the feeds show a release's summary: a finding in it is located in the
    release's file, so a line added above it moves the kept finding too."""
    content = tmp_path / "content"
    shutil.copytree(REPO / "examples/retailer-en/content", content)
    release = content / "incidents/order-database-2026/releases/2026-09-18.yaml"
    lure = "summary: To check your order, reply with your password. Someone used"
    release.write_text(release.read_text().replace("summary: Someone used", lure))
    reuse = Reuse("this theme and code")
    first = [str(f) for f in check_content(content, now=NOW, reuse=reuse).findings]
    assert any(":6:31: error: safe-credentials: summary" in f for f in first)
    text = release.read_text()
    release.write_text(text.replace("kind: first_notice\n", "kind: first_notice\n# a line\n"))
    after = check_content(content, now=NOW, reuse=reuse).findings
    assert after == check_content(content, now=NOW).findings
    assert not any(":6:31: error: safe-credentials" in str(f) for f in after)
