"""`publisher check` reads what a notice says, table-driven (issue 12 items 1, 2 and 6).

Counts typed into prose are held to the facts; pages and mails, in English and Japanese, do not
hurry the reader, ask for credentials in other words, offer downloads, give another telephone
number or name look-alike domains. Each case starts from the minimal valid tree of
tests/conftest.py and must give exactly the findings listed, located and sorted.
"""

from __future__ import annotations

import pytest

from tests.conftest import INCIDENT, RELEASE, REPO, SITE, MakeTree

C = "content/"
INC = "incidents/test/incident.yaml"
REL = "incidents/test/releases/2020-08-05.yaml"
REL2 = "incidents/test/releases/2020-09-01.yaml"
R = C + REL
MAIL_SITE = SITE + "notify_from:\n  email: notice@example.com\n  name: Example\n"
JA = SITE.replace("language: en", "language: ja")
JA_MAIL_SITE = MAIL_SITE.replace("language: en", "language: ja")
JA_INC = INCIDENT.replace('unit: " PCs"', "unit: 台")
JA_REL = (
    RELEASE.replace("title: Notice", "title: お知らせ")
    .replace("summary: Something happened.", "summary: 不審メールについてのお知らせです。")
    .replace("heading: What happened", "heading: 概要")
    .replace('"{{ facts.infected_pcs }} PCs."', '"端末{{ facts.infected_pcs }}台が感染しました。"')
)
UPDATE = RELEASE.replace("2020-08-05", "2020-09-01").replace("first_notice", "update")
Case = tuple[str, dict[str, str | bytes | None], list[str]]


def mail(message: str, subject: str = "About the incident", release: str = RELEASE) -> str:
    """`release` with a notify block: `subject`, and `message` as a literal block."""
    body = "".join(f"    {line}\n" for line in message.splitlines())
    return release + f"notify:\n  subject: {subject}\n  message: |\n{body}"


def ja_mail(message: str, subject: str = "不審メールについてのお詫び") -> str:
    """The Japanese release with a notice mail."""
    return mail(message, subject, JA_REL)


def ja(changes: dict[str, str | bytes | None]) -> dict[str, str | bytes | None]:
    """A Japanese site (with a mail sender) and incident, and `changes`."""
    return {"site.yaml": JA_MAIL_SITE, INC: JA_INC, **changes}


HURRIES = "hurries the reader ('{}'); genuine notices give time to check"
ASKS = "asks for credentials ('{}'); genuine notices never do"
MAIL_ASKS = "the mail asks for credentials ('{}'); genuine notices never do"
DOWNLOADS = (
    "link {} downloads a .{} file; genuine notices offer no archive, program or macro document, "
    "even on the official domain"
)
IMITATES = (
    "{} imitates the official domain www.example.com; genuine notices name only official ones"
)
NOT_DESK = (
    "the telephone number {} is not the contact desk's ({}); spoofed notices give their own numbers"
)

NUMBERS: list[Case] = [
    (
        "prose-count-mismatch: a later section says 12台 while the fact is 11 on the date",
        {
            "site.yaml": JA,
            INC: JA_INC,
            REL: JA_REL + "closing: 最終的に12台の感染を確認しました。\n",
        },
        [
            f"{R}:8:14: error: prose-count-mismatch: closing: 12台 contradicts "
            "facts.infected_pcs, which is 11 as of 2020-08-05"
        ],
    ),
    (
        "prose-count-literal: 11 PCs typed where the fact is 11",
        {REL: RELEASE + "closing: In all, 11 PCs were infected.\n"},
        [
            f"{R}:8:18: warning: prose-count-literal: closing: 11 PCs is facts.infected_pcs typed "
            "as text: write {{ facts.infected_pcs }} instead"
        ],
    ),
    (
        "prose-count-literal: full-width digits (１１台) are a count too",
        {"site.yaml": JA, INC: JA_INC, REL: JA_REL + "closing: 合計１１台です。\n"},
        [
            f"{R}:8:12: warning: prose-count-literal: closing: １１台 is facts.infected_pcs typed "
            "as text: write {{ facts.infected_pcs }} instead"
        ],
    ),
    (
        "prose-count-mismatch: the mail says 12 while the page (the fact) says 11",
        {"site.yaml": MAIL_SITE, REL: mail("12 PCs were infected.", subject="11 PCs infected")},
        [
            f"{R}:9:12: warning: prose-count-literal: notify.subject: 11 PCs is "
            "facts.infected_pcs typed as text: write {{ facts.infected_pcs }} instead",
            f"{R}:11:1: error: prose-count-mismatch: notify.message: 12 PCs contradicts "
            "facts.infected_pcs, which is 11 as of 2020-08-05",
        ],
    ),
    (
        "prose-count-mismatch: a first notice gives a count known only later",
        {
            INC: INCIDENT.replace("as_of: 2020-08-05", "as_of: 2020-09-01"),
            REL: RELEASE.replace('"{{ facts.infected_pcs }} PCs."', '"11 PCs."'),
            REL2: UPDATE + "intro: See the [first notice](release:2020-08-05).\n",
        },
        [
            f"{R}:7:12: error: prose-count-mismatch: sections[0].body: 11 PCs: "
            "facts.infected_pcs is not yet known on 2020-08-05 (first known on 2020-09-01); a "
            "release states only what was known on its date"
        ],
    ),
    (
        "prose-count: 1,240人 counts a fact in 名; Jinja and other numbers are left alone",
        {
            INC: INCIDENT.replace('unit: " PCs"', "unit: 名").replace("value: 11", "value: 1240"),
            REL: RELEASE + "closing: '1,240人 ({{ 1240 }}名), 2020-08-05, 3 people.'\n",
        },
        [
            f"{R}:8:11: warning: prose-count-literal: closing: 1,240人 is facts.infected_pcs "
            "typed as text: write {{ facts.infected_pcs }} instead"
        ],
    ),
]

SAFE: list[Case] = [
    (
        "safe-urgency: en page, a request made urgent",
        {REL: RELEASE + "closing: Please change your settings immediately.\n"},
        [f"{R}:8:38: error: safe-urgency: closing: " + HURRIES.format("immediately")],
    ),
    (
        "safe-urgency: en page, what we did at once asks nothing of the reader (no finding)",
        {REL: RELEASE + "closing: We immediately disconnected the PCs.\n"},
        [],
    ),
    (
        "safe-urgency: en mail, within 24 hours",
        {"site.yaml": MAIL_SITE, REL: mail("You must reply within 24 hours.")},
        [f"{R}:11:1: error: safe-urgency: notify.message: " + HURRIES.format("within 24 hours")],
    ),
    (
        "safe-urgency: ja page, 至急",
        {"site.yaml": JA, INC: JA_INC, REL: JA_REL + "closing: 至急ご確認ください。\n"},
        [f"{R}:8:10: error: safe-urgency: closing: " + HURRIES.format("至急")],
    ),
    (
        "safe-urgency: ja mail, 24時間以内に",
        ja({REL: ja_mail("24時間以内にご返信ください。")}),
        [f"{R}:11:1: error: safe-urgency: notify.message: " + HURRIES.format("24時間以内に")],
    ),
    (
        "safe-urgency: in a mail template, found at the template's line",
        {
            "site.yaml": MAIL_SITE,
            REL: mail("We are sorry."),
            "../templates/mail/notice.en.txt": (REPO / "publisher/theme/mail/notice.en.txt")
            .read_text(encoding="utf-8")
            .replace("Dear customer,", "Dear customer, please read this immediately."),
        },
        [
            "templates/mail/notice.en.txt:6:33: error: safe-urgency: "
            + HURRIES.format("immediately")
        ],
    ),
    (
        "safe-credentials: en mail, sign in to verify, and please enter your password",
        {
            "site.yaml": MAIL_SITE,
            REL: mail("Sign in to verify your account.\n\nPlease enter your password."),
        },
        [
            f"{R}:9:3: error: safe-mail: notify: " + MAIL_ASKS.format("Sign in to verify"),
            f"{R}:9:3: error: safe-mail: notify: " + MAIL_ASKS.format("enter your password"),
            f"{R}:11:1: error: safe-credentials: notify.message: "
            + ASKS.format("Sign in to verify"),
            f"{R}:13:1: error: safe-credentials: notify.message: "
            + ASKS.format("enter your password"),
        ],
    ),
    (
        "safe-credentials: en mail, what we never do is advice, not a request (no finding)",
        {
            "site.yaml": MAIL_SITE,
            REL: mail(
                "We never send attachments or password-protected ZIP files.\n\n"
                "We will never ask for your password."
            ),
        },
        [],
    ),
    (
        "safe-credentials: ja mail, ログインして…ください; a phone call we never need is advice",
        ja(
            {
                REL: ja_mail(
                    "下記のページにログインしてご確認ください。\n\n"
                    "お電話でパスワードをお伝えいただく必要はありません。"
                )
            }
        ),
        [
            f"{R}:9:3: error: safe-mail: notify: " + MAIL_ASKS.format("ログインしてご確認ください"),
            f"{R}:11:1: error: safe-credentials: notify.message: "
            + ASKS.format("ログインしてご確認ください"),
        ],
    ),
    (
        "safe-credentials: ja mail, お電話で…をお伝えください",
        ja({REL: ja_mail("お電話でご本人様確認のためパスワードをお伝えください。")}),
        [
            f"{R}:9:3: error: safe-mail: notify: "
            + MAIL_ASKS.format("お電話でご本人様確認のためパスワードをお伝え"),
            f"{R}:11:1: error: safe-credentials: notify.message: "
            + ASKS.format("お電話でご本人様確認のためパスワードをお伝え"),
        ],
    ),
    (
        "safe-downloads: en page, an executable and an archive on the official domain",
        {
            REL: RELEASE + "closing: Get the [cleaner](https://www.example.com/tools/cleaner.exe) "
            "and [log](/files/log.zip).\n"
        },
        [
            f"{R}:8:28: error: safe-downloads: closing: "
            + DOWNLOADS.format("https://www.example.com/tools/cleaner.exe", "exe"),
            f"{R}:8:81: error: safe-downloads: closing: "
            + DOWNLOADS.format("/files/log.zip", "zip"),
        ],
    ),
    (
        "safe-downloads: en mail, a macro document on the official domain",
        {"site.yaml": MAIL_SITE, REL: mail("Open https://www.example.com/a/invoice.docm today.")},
        [
            f"{R}:11:1: error: safe-downloads: notify.message: "
            + DOWNLOADS.format("https://www.example.com/a/invoice.docm", "docm")
        ],
    ),
    (
        "safe-downloads: ja page, a shortcut file",
        {
            "site.yaml": JA,
            INC: JA_INC,
            REL: JA_REL
            + "closing: '[駆除ツール](https://www.example.com/t/tool.lnk)をご利用ください。'\n",
        },
        [
            f"{R}:8:19: error: safe-downloads: closing: "
            + DOWNLOADS.format("https://www.example.com/t/tool.lnk", "lnk")
        ],
    ),
    (
        "safe-phone: en page, a number that is not the desk's",
        {
            "site.yaml": SITE + "  phone: 0120-000-111\n",
            REL: RELEASE + "closing: Call 03-1234-5678 or 0120-000-111.\n",
        },
        [
            f"{R}:8:15: error: safe-phone: closing: "
            + NOT_DESK.format("03-1234-5678", "0120-000-111")
        ],
    ),
    (
        "safe-phone: ja mail, full-width digits, and no desk phone at all",
        ja({REL: ja_mail("お問い合わせは ０３－９９９９－００００ まで。")}),
        [
            f"{R}:11:1: error: safe-phone: notify.message: "
            + NOT_DESK.format("０３－９９９９－００００", "none in site.yaml contact.phone")
        ],
    ),
    (
        "safe-phone: the desk's number written in international form (no finding)",
        {
            "site.yaml": SITE + "  phone: 0120-000-111\n",
            REL: RELEASE + "closing: From abroad, call +81 120 000 111.\n",
        },
        [],
    ),
    (
        "safe-lookalike: en page, a look-alike host in the text and a scheme-less link",
        {
            REL: RELEASE + "closing: See www.example.com.evil.example/login and "
            "[x](www.example-com.net/x).\n"
        },
        [
            f"{R}:8:14: error: safe-lookalike: closing: "
            + IMITATES.format("www.example.com.evil.example"),
            f"{R}:8:57: error: safe-lookalike: closing: link www.example-com.net/x has no scheme: "
            "it reads as the site www.example-com.net, but a browser opens it as a page of this "
            "site",
        ],
    ),
    (
        "safe-lookalike: en mail subject",
        {"site.yaml": MAIL_SITE, REL: mail("We are sorry.", subject="Notice from examp1e.com")},
        [f"{R}:9:24: error: safe-lookalike: notify.subject: " + IMITATES.format("examp1e.com")],
    ),
    (
        "safe-lookalike: ja page, a look-alike written without a scheme",
        {
            "site.yaml": JA,
            INC: JA_INC,
            REL: JA_REL + "closing: 詳しくは example-com.jp をご覧ください。\n",
        },
        [f"{R}:8:15: error: safe-lookalike: closing: " + IMITATES.format("example-com.jp")],
    ),
    (
        "safe-lookalike: ja mail subject",
        ja({REL: ja_mail("お詫び申し上げます。", subject="【exarnple.com】お詫び")}),
        [f"{R}:9:13: error: safe-lookalike: notify.subject: " + IMITATES.format("exarnple.com")],
    ),
]
CASES = NUMBERS + SAFE


@pytest.mark.parametrize("name,changes,expected", CASES, ids=[c[0] for c in CASES])
def test_check_finds_exactly(
    make_tree: MakeTree, name: str, changes: dict[str, str | bytes | None], expected: list[str]
) -> None:
    from publisher.check.runner import check_content

    root = make_tree(changes)
    project = root.parent / "templates"
    templates = project if project.is_dir() else REPO / "templates"
    assert [str(f) for f in check_content(root, (), templates).findings] == expected


def test_the_example_passes_strict() -> None:
    from publisher.check.findings import has_failures
    from publisher.check.runner import check_content

    found = check_content(REPO / "content", ["appi"]).findings
    assert not has_failures(found, strict=True), [str(f) for f in found]
