"""publisher's own messages in Japanese for a Japanese site, English kept as the fallback.

Every message marked in the package (`_()`, `counted()`, `ngettext()`, `N_()`) has a Japanese
translation with exactly its named placeholders, and the catalogue holds no message the code no
longer says; the real CLI speaks Japanese on the Japanese example without the tests' override,
English with `--messages en`.
"""

from __future__ import annotations

import ast
import io
import shutil
import string
import unicodedata
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from click.testing import CliRunner

from publisher import messages
from publisher.cli import cli
from publisher.exits import site_language
from publisher.messages import KEYWORDS, LOCALE, counted, speaking
from tests.conftest import REPO

PACKAGE = REPO / "publisher"
CATALOGUE = LOCALE / "ja" / "LC_MESSAGES" / "publisher.po"
UPDATE = "run `.venv/bin/python scripts/update-messages` and translate what it lists"


def _extracted() -> dict[str, tuple[str, ...]]:
    """Each message marked in the package, by its msgid: its forms (one, or singular and plural)."""
    found = extract_from_dir(PACKAGE, [("**.py", "python")], keywords=KEYWORDS)
    return {
        (m if isinstance(m, str) else m[0]): ((m,) if isinstance(m, str) else tuple(m))
        for _, _, m, _, _ in found
    }


def _catalogue(path: Path) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """The catalogue at `path`: by msgid, (the English forms, the translated forms)."""
    with path.open("rb") as file:
        catalog = read_po(file)
    return {
        (m.id if isinstance(m.id, str) else m.id[0]): (
            (m.id,) if isinstance(m.id, str) else tuple(m.id),
            (m.string,) if isinstance(m.string, str) else tuple(m.string),
        )
        for m in catalog
        if m.id
    }


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_message_has_japanese_with_the_same_placeholders() -> None:
    said = _extracted()
    catalogue = _catalogue(CATALOGUE)
    assert sorted(set(said) - set(catalogue)) == [], f"not in the catalogue: {UPDATE}"
    assert sorted(set(catalogue) - set(said)) == [], f"stale in the catalogue: {UPDATE}"
    for msgid, (english, japanese) in catalogue.items():
        assert english == said[msgid], f"{msgid!r}: its plural changed: {UPDATE}"
        assert japanese and all(japanese), f"{msgid!r} has no Japanese"
        for form in japanese:
            assert _fields(form) == _fields(english[-1]), f"{msgid!r}: {form!r}"
    assert len(catalogue) > 80


def test_the_template_holds_the_messages_of_the_code() -> None:
    assert set(_catalogue(LOCALE / "publisher.pot")) == set(_extracted()), UPDATE


def test_messages_are_whole_sentences_with_named_placeholders() -> None:
    """An f-string inside `_()` would be looked up already filled in, and never be found."""
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in KEYWORDS:
                for arg in node.args:
                    positional = isinstance(arg, ast.Constant) and "{}" in str(arg.value)
                    if isinstance(arg, ast.JoinedStr) or positional:
                        wrong.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert wrong == []


@pytest.mark.parametrize(
    ("n", "english", "japanese"),
    [
        (0, "0 releases", "リリース0件"),
        (1, "1 release", "リリース1件"),
        (2, "2 releases", "リリース2件"),
    ],
)
def test_counted_says_the_count_in_each_language(n: int, english: str, japanese: str) -> None:
    assert counted(n, "{n} release", "{n} releases") == english
    with speaking("ja"):
        assert counted(n, "{n} release", "{n} releases") == japanese
    with speaking("fr"):  # a language publisher does not speak: English
        assert counted(n, "{n} release", "{n} releases") == english


def test_a_message_the_catalogue_lacks_is_said_in_english() -> None:
    with speaking("ja"):
        assert messages._("a message nobody translated") == "a message nobody translated"
        assert messages._("no findings") == "指摘なし"
    assert messages._("no findings") == "no findings"


@pytest.mark.parametrize(
    ("site", "language"),
    [
        ("language: ja\n", "ja"),
        ("base_url: x\nlanguage: 'en'\n", "en"),
        ('language: "ja"  # the releases\n', "ja"),
        ("organization:\n  language: ja\n", "en"),  # not the site's own key
        ("language: fr\n", "en"),
        ("title: [unclosed\nlanguage: ja\n", "ja"),  # a broken site.yaml still says its language
        ("\ufefflanguage: ja\n", "ja"),  # saved with a byte order mark
        ("language: ja-JP\n", "ja"),
        (None, "en"),
    ],
)
def test_the_site_language_is_read_cheaply(tmp_path: Path, site: str | None, language: str) -> None:
    if site is not None:
        (tmp_path / "site.yaml").write_text(site)
    assert site_language(tmp_path) == language


@pytest.fixture
def japanese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the Japanese example as the working folder, without the tests' English."""
    monkeypatch.delenv("PUBLISHER_MESSAGES")
    monkeypatch.setenv("HOME", str(tmp_path))  # nothing may be written there
    monkeypatch.chdir(tmp_path)
    messages._catalogue.cache_clear()
    shutil.copytree(REPO / "content", tmp_path / "content")
    return tmp_path / "content"


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_a_clean_check_of_the_japanese_example_is_summed_up_in_japanese(japanese: Path) -> None:
    code, out, err = _run("check")
    assert (code, out) == (0, "")
    assert err.startswith("インシデント1件（リリース5件、通知メール1件）を appi のルール")
    assert err.endswith("件で確認しました: 指摘なし\n")
    assert _run("--messages", "en", "check")[2].startswith("checked 1 incident (5 releases")


def test_the_compiled_catalogue_is_the_po_compiled() -> None:
    """publisher reads the committed .mo; it must say what the reviewed .po says."""
    with CATALOGUE.open("rb") as file:
        catalog = read_po(file, locale="ja", domain="publisher")
    out = io.BytesIO()
    write_mo(out, catalog)
    assert CATALOGUE.with_suffix(".mo").read_bytes() == out.getvalue(), UPDATE


def test_a_catalogue_that_cannot_be_read_leaves_the_messages_in_english(
    japanese: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert "指摘なし" in _run("check")[2]
    broken = tmp_path / "locale" / "ja" / "LC_MESSAGES" / "publisher.mo"
    broken.parent.mkdir(parents=True)
    broken.write_bytes(b"damaged")
    monkeypatch.setattr(messages, "LOCALE", tmp_path / "locale")
    messages._catalogue.cache_clear()
    code, _out, err = _run("check")
    assert code == 0 and err.endswith(": no findings\n")


def test_japanese_messages_write_nothing(japanese: Path, tmp_path: Path) -> None:
    before = sorted(p for p in tmp_path.rglob("*"))
    assert "指摘なし" in _run("check")[2]
    assert sorted(p for p in tmp_path.rglob("*")) == before


def test_the_language_is_the_option_then_the_environment_then_the_site(
    japanese: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    english = REPO / "examples" / "retailer-en" / "content"
    assert "checked 1 incident" in _run("check", "--content", str(english))[2]
    monkeypatch.setenv("PUBLISHER_MESSAGES", "ja")
    assert "インシデント1件" in _run("check", "--content", str(english))[2]
    assert "checked 1 incident" in _run("--messages", "en", "check")[2]
    code, _, err = _run("--messages", "fr", "check")
    assert code == 2 and "'fr' is not one of 'en', 'ja'" in err


INCIDENT = "incidents/emotet-2020/incident.yaml"
RELEASE = "incidents/emotet-2020/releases/2020-07-31.yaml"
BROKEN: list[tuple[str, str, str, str, str, str]] = [
    (
        "a misspelt key",
        INCIDENT,
        "\ndiscovered: ",
        "\ndiscoverd: ",
        "incident.yaml:4:1",
        "discoverd: 不明な項目です。'discovered'（必須の項目）の誤りではありませんか？",
    ),
    (
        "a value of a wrong type",
        INCIDENT,
        "category: malware",
        "category: [malware]",
        "incident.yaml:5:11",
        "category: 'malware'、'unauthorized_access'、'misdelivery'、'loss'"
        "または'other' のいずれかを書いてください。書かれている値: リスト",
    ),
    (
        "a YAML syntax error, at the opening quote",
        RELEASE,
        "\ntitle: ",
        '\ntitle: "',
        "2020-07-31.yaml:{title}:8",
        "YAML の構文エラー: ここから始まる引用符付きの文字列が複数行にまた"
        "がっています。閉じる引用符が抜けていませんか？"
        "（{escape}行目: found unknown escape character）",
    ),
]
ENGLISH = {
    "a misspelt key": "discoverd: unknown field; did you mean 'discovered'? (a required field)",
    "a value of a wrong type": "category: expected one of 'malware', 'unauthorized_access', "
    "'misdelivery', 'loss' or 'other', got a list",
    "a YAML syntax error, at the opening quote": "YAML syntax error: the quoted text that starts "
    "here runs on over lines: is its closing quote missing? (found unknown escape character at "
    "line {escape})",
}


@pytest.mark.parametrize(
    ("case", "file", "old", "new", "where", "said"), BROKEN, ids=[c[0] for c in BROKEN]
)
def test_problems_in_the_japanese_example_are_said_in_japanese(
    japanese: Path, case: str, file: str, old: str, new: str, where: str, said: str
) -> None:
    path = japanese / file
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    lines = text.splitlines()
    title = next(n for n, line in enumerate(lines, 1) if line.startswith("title: "))
    escape = next((n for n, line in enumerate(lines, 1) if n > title and "\\" in line), 0)
    where, said = (t.format(title=title, escape=escape) for t in (where, said))
    code, out, err = _run("build", "--no-pdf")
    assert (code, out) == (1, "")
    folder = file.rsplit("/", 1)[0]
    line = f"content/{folder}/{where}: error: schema: {said}"
    assert err == f"{line}\n問題1件。何も書き込んでいません。\n"
    code, out, err = _run("--messages", "en", "build", "--no-pdf")
    assert err.splitlines()[0].endswith(": " + ENGLISH[case].format(escape=escape))
    assert err.splitlines()[1:] == ["1 problem; nothing was written."]


def _columns(line: str, cell: str) -> int:
    """Where `cell` starts on `line`, in terminal columns (a kanji takes two)."""
    before = line[: line.index(cell)]
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in before)


def test_the_deadlines_table_is_in_japanese_and_aligned(japanese: Path) -> None:
    code, out, _err = _run("deadlines", "--as-of", "2026-12-01T09:00+09:00")
    heading, columns, *rows = out.splitlines()
    assert (code, heading) == (0, "2026-12-01 09:00 +09:00 時点")
    assert columns.split() == ["インシデント", "義務", "期限", "状況", "ルール"]
    assert rows[0].split()[:2] == ["emotet-2020", "個人情報保護委員会への速報"]
    due = [_columns(columns, "期限"), *(_columns(row, " 2020-") + 1 for row in rows[:2])]
    assert due == [due[0]] * 3  # the due column starts at the same place on every line


# What a message is built with: errors, problems and the reporter's lines.
SAID_BY = {
    "Problem",
    "PublisherError",
    "ContentError",
    "NotifyError",
    "ValueError",
    "TypeError",
    "OSError",
    "ViewError",
    "FormatError",
    "RenderError",
    "FontMissing",
}
REPORTED = {"warn", "info"}
SEVERITIES = {"error", "warning", "info"}
# Messages that stay English on purpose, by file and how the literal starts (ast.unparse).
ENGLISH_ON_PURPOSE = {
    # a bug in publisher, for its developers, not something a user can act on
    ("publisher/mailout.py", "f'transport "),
    ("publisher/notify/sendgrid.py", "f'a batch holds 1 to "),
    ("publisher/notify/smtp.py", "f'an SMTP batch is one recipient"),
    ("publisher/write/project.py", "f'internal: "),
    ("publisher/write/site.py", "f'internal: "),
    # the reference documentation's generator (docs/ is English)
    ("publisher/model/reference.py", "f'{model.__name__}."),
    ("publisher/model/reference.py", "f'no words for "),
    # a key, an option or a method name as written, before words already in the user's language
    # or in a library's own words (Babel's, for a number pattern)
    ("publisher/model/schema.py", "f'value: {exc}'"),
    ("publisher/render/formats.py", "f'number_format "),
    ("publisher/report/run.py", "f'--out {problem}'"),
    ("publisher/notify/webhook.py", "f'POST: {tally}'"),
}


def _has_words(node: ast.expr) -> bool:
    """A string literal or f-string with words of its own (not only placeholders between
    punctuation, which join messages already said in the user's language)."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and any(c.isalpha() for c in node.value)
    if isinstance(node, ast.JoinedStr):
        return any(_has_words(part) for part in node.values if isinstance(part, ast.Constant))
    return False


def _message_args(call: ast.Call, name: str) -> list[ast.expr]:
    """The arguments of `call` that hold its message."""
    said = [k.value for k in call.keywords if k.arg == "message"]
    if name != "Problem":
        return [*call.args[:1], *said]
    args = call.args
    if any(isinstance(a, ast.Starred) for a in args):  # Problem(*where, [field,] message[, sev])
        tail = [a for a in args if not isinstance(a, ast.Starred)]
        if tail and isinstance(tail[-1], ast.Constant) and tail[-1].value in SEVERITIES:
            tail = tail[:-1]
        return [*tail[-1:], *said]
    return [*args[4:5], *said]  # Problem(path, line, col, field, message, severity)


def _english(tree: ast.AST, where: str) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = getattr(func, "id", None) or getattr(func, "attr", None)
        if name in SAID_BY:
            args = _message_args(node, name)
        elif name in REPORTED and isinstance(func, ast.Attribute):
            args = node.args[:1]
        else:
            continue
        for arg in args:
            literal = ast.unparse(arg)
            allowed = any(where == f and literal.startswith(s) for f, s in ENGLISH_ON_PURPOSE)
            if _has_words(arg) and not allowed:
                found.append(f"{where}:{node.lineno}: {literal[:70]}")
    return found


def test_no_message_is_written_in_english_outside_the_catalogue() -> None:
    """Each error, problem and reporter line is said through `_()`: a literal passed to one
    directly would stay English on a Japanese site. What stays English on purpose is listed in
    ENGLISH_ON_PURPOSE; what mail services answer (Refused, kept in the ledger) is not scanned."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        found += _english(ast.parse(path.read_text(), str(path)), str(path.relative_to(REPO)))
    assert found == [], "wrap these in _() and run scripts/update-messages"


@pytest.mark.parametrize(
    ("code", "found"),
    [
        ('raise ValueError("must not be empty")', 1),
        ('raise ValueError(f"{name}: must not be empty")', 1),
        ('raise ValueError(_("must not be empty"))', 0),
        ('raise NotifyError(f"{path}: {exc}")', 0),  # a path and a message already said
        ('problems.append(Problem(doc.path, 1, 1, message="expected a mapping"))', 1),
        ('Problem(*where, "releases.x", "is gone")', 1),
        ('Problem(*where, f"releases.{x}", said)', 0),  # a field name, then the message
        ('Problem(path, 1, 1, "facts.x", f"{RULE}: {said}", "warning")', 0),
        ('reporter.warn(f"could not keep {path}")', 1),
        ("reporter.warn(said.format(path=path))", 0),
        ('raise Refused(f"{where} refused {said}")', 0),  # the mail service's answer: English
    ],
)
def test_the_scan_finds_english_messages(code: str, found: int) -> None:
    assert len(_english(ast.parse(code), "publisher/x.py")) == found


def test_a_pdf_worker_says_its_problems_in_the_language_of_the_build(tmp_path: Path) -> None:
    """The workers are started by a forkserver, which does not inherit the build's language."""
    from publisher.pdf.plan import PdfJob
    from publisher.pdf.workers import render_in_workers

    (tmp_path / "outside.png").write_bytes(b"x")
    root = tmp_path / "project"
    root.mkdir()
    html = '<p>x<img src="../outside.png"></p>'
    jobs = [
        PdfJob(f"i/{n}", ("r.yaml",), f"{n}.pdf", html, root.as_uri() + "/", (), (str(root),))
        for n in ("a", "b")
    ]
    with speaking("ja"):
        japanese = render_in_workers(jobs, 2, lambda: None)
    english = render_in_workers(jobs, 2, lambda: None)
    for outcomes, said in ((japanese, "PDF の作成中に "), (english, "refusing to read ")):
        assert [str(o).split(": ", 1)[1][: len(said)] for o in outcomes.values()] == [said] * 2
