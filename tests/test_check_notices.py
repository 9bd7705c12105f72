"""`publisher check` reads what a notice says, table-driven (issue 12 items 1, 2 and 6).

Counts typed into prose are held to the facts; pages and mails, in English and Japanese, do not
hurry the reader, ask for credentials in other words, offer downloads, give another telephone
number or name look-alike domains. Each case starts from the minimal valid tree of
tests/conftest.py and must give exactly the findings listed, located and sorted.
"""

from __future__ import annotations

import pytest

from publisher.check.rules import lures, notice_content, numbers, safety
from tests.conftest import INCIDENT, RELEASE, REPO, SITE, THEME, MakeTree

C = "content/"
INC = "incidents/test/incident.yaml"
REL = "incidents/test/releases/2020-08-05.yaml"
REL2 = "incidents/test/releases/2020-09-01.yaml"
R = C + REL
MAIL_SITE = SITE + "notify_from:\n  email: notice@example.com\n  name: Example\n"
JA = SITE.replace("language: en", "language: ja")
JA_MAIL_SITE = MAIL_SITE.replace("language: en", "language: ja")
JA_DESK_SITE = JA + "  phone: 045-123-4567\n" + MAIL_SITE.removeprefix(SITE)
"""A Japanese site with a mail sender and a desk telephone."""
JA_INC = INCIDENT.replace('unit: " PCs"', "unit: 台")
JA_REL = (
    RELEASE.replace("title: Notice", "title: お知らせ")
    .replace("summary: Something happened.", "summary: 不審メールについてのお知らせです。")
    .replace("heading: What happened", "heading: 概要")
    .replace('"{{ facts.infected_pcs }} PCs."', '"端末{{ facts.infected_pcs }}台が感染しました。"')
)
UPDATE = RELEASE.replace("2020-08-05", "2020-09-01").replace("first_notice", "update")
Case = tuple[str, dict[str, str | bytes | None], list[str], list[str]]


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


MAIL_TEXT = (REPO / "publisher/theme/mail/notice.en.txt").read_text(encoding="utf-8")
"""The default plain-text mail, which a project's copy extends by a line."""
HURRIES = "hurries the reader ('{}'); genuine notices give time to check"
THREATENS = "threatens the reader ('{}'); genuine notices do not"
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

NUMBERS: list[tuple[str, dict[str, str | bytes | None], list[str]]] = [
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
            f"{R}:7:12: error: prose-count-mismatch: sections[1].body: 11 PCs: "
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


def with_facts(incident: str, *facts: tuple[str, str, str, int]) -> str:
    """`incident` with more integer facts: (name, label, unit, value as of 2020-08-05)."""
    added = "".join(
        f"  {name}:\n    label: {label}\n    unit: {unit!r}\n    values:\n"
        f"      - {{as_of: 2020-08-05, value: {value}}}\n"
        for name, label, unit, value in facts
    )
    return incident.replace("timeline:\n", added + "timeline:\n", 1)


JA_CUSTOMERS = with_facts(JA_INC, ("customers", "影響を受けた顧客", "名", 1350))
EN_CUSTOMERS = with_facts(
    INCIDENT, ("customers", "Customers whose information was involved", " people", 1350)
)
TWO_IN_KEN = with_facts(
    JA_INC,
    ("addresses", "他の送信先に表示されたメールアドレス", "件", 1482),
    ("reports", "不審なメールを受け取ったとのご連絡", "件", 3),
)
COUNTS_OF_OTHERS: list[tuple[str, dict[str, str | bytes | None], list[str]]] = [
    (
        "prose-count: 従業員1名 is no count of 影響を受けた顧客; 1,240名のお客様 is",
        {
            "site.yaml": JA,
            INC: JA_CUSTOMERS,
            REL: JA_REL + "closing: 従業員1名の誤りにより、1,240名のお客様に届きました。\n",
        },
        [
            f"{R}:8:22: error: prose-count-mismatch: closing: 1,240名 contradicts "
            "facts.customers, which is 1350 as of 2020-08-05"
        ],
    ),
    (
        "prose-count: うち従業員1名 and 社員の2名 are not the customers; お客様1,350名 is",
        {
            "site.yaml": JA,
            INC: JA_CUSTOMERS,
            REL: JA_REL + "closing: お客様1,350名（うち従業員1名）と、社員の2名です。\n",
        },
        [
            f"{R}:8:13: warning: prose-count-literal: closing: 1,350名 is facts.customers typed "
            "as text: write {{ facts.customers }} instead"
        ],
    ),
    (
        "prose-count: ご利用者様1名 (an honorific between) is no count of 影響を受けた会員の方",
        {
            "site.yaml": JA,
            INC: with_facts(JA_INC, ("members", "影響を受けた会員の方", "名", 1482)),
            REL: JA_REL + "closing: ご利用者様1名からご連絡がありました。\n",
        },
        [],
    ),
    (
        "prose-count: of two facts counted in 件, 3件のご連絡 is the one labelled ご連絡",
        {
            "site.yaml": JA,
            INC: TWO_IN_KEN,
            REL: JA_REL + "closing: 3件のご連絡をいただきました。\n",
        },
        [
            f"{R}:8:10: warning: prose-count-literal: closing: 3件 is facts.reports typed as "
            "text: write {{ facts.reports }} instead"
        ],
    ),
    (
        "prose-count: in 11拠点13台 and {{ facts.sites }}拠点12台, 拠点 is the count before it",
        {
            "site.yaml": JA,
            INC: with_facts(JA_INC, ("sites", "感染を確認した拠点", "拠点", 11)),
            REL: JA_REL + "closing: 11拠点13台の端末と、{{ facts.sites }}拠点12台の端末です。\n",
        },
        [
            f"{R}:8:10: warning: prose-count-literal: closing: 11拠点 is facts.sites typed as "
            "text: write {{ facts.sites }} instead",
            f"{R}:8:14: error: prose-count-mismatch: closing: 13台 contradicts "
            "facts.infected_pcs, which is 11 as of 2020-08-05",
            f"{R}:8:41: error: prose-count-mismatch: closing: 12台 contradicts "
            "facts.infected_pcs, which is 11 as of 2020-08-05",
        ],
    ),
    (
        "prose-count: 2 people on our staff, employees (2 people) are not the customers",
        {
            INC: EN_CUSTOMERS,
            REL: RELEASE + "closing: >-\n  2 people on our staff and two employees (2 people) "
            "opened it; 1,240 people were affected.\n",
        },
        [
            f"{R}:9:1: error: prose-count-mismatch: closing: 1,240 people contradicts "
            "facts.customers, which is 1350 as of 2020-08-05"
        ],
    ),
]

SAFE: list[tuple[str, dict[str, str | bytes | None], list[str]]] = [
    (
        "safe-links: a mail's address no URL parser reads (http://[x) is a finding, not a crash",
        {"site.yaml": MAIL_SITE, REL: mail("See http://[x for details.")},
        [
            *(
                f"{R}:9:3: error: safe-mail: notify: {THEME}/mail/notice.en.{part}: link to "
                "http://[x is not https://www.example.com/"
                for part in ("html", "txt")
            ),
            f"{R}:11:1: error: safe-links: notify.message: http://[x is not a well-formed "
            "address: no reader can follow it",
        ],
    ),
    (
        "a page naming http://[x and the host www.www beside a distinctive official name: no "
        "finding, and no crash (each stopped check before)",
        {
            "site.yaml": SITE.replace("www.example.com", "www.example-retail.com"),
            REL: RELEASE + "closing: See http://[x or www.www today.\n",
        },
        [],
    ),
    (
        "a page linking http://[::1 (its port no number): a finding, not a crash",
        {REL: RELEASE + "closing: See [the log](http://[::1).\n"},
        [f"{R}:8:10: error: safe-links: closing: link http://:1%5B: is not https"],
    ),
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
        "safe-urgency: ja page, a threat that asks nothing (アカウントは本日停止されます)",
        {"site.yaml": JA, INC: JA_INC, REL: JA_REL + "closing: アカウントは本日停止されます。\n"},
        [
            f"{R}:8:10: error: safe-urgency: closing: "
            + THREATENS.format("アカウントは本日停止されます")
        ],
    ),
    (
        "safe-urgency: ja mail, 法的措置 and a frozen account",
        ja({REL: ja_mail("ご対応がない場合、法的措置を取ります。\nIDを凍結いたします。")}),
        [
            f"{R}:11:1: error: safe-urgency: notify.message: " + THREATENS.format("法的措置"),
            f"{R}:12:1: error: safe-urgency: notify.message: "
            + THREATENS.format("IDを凍結いたします"),
        ],
    ),
    (
        "safe-urgency: en mail, the account suspended within 24 hours, nothing asked",
        {"site.yaml": MAIL_SITE, REL: mail("Your account will be suspended within 24 hours.")},
        [
            f"{R}:11:1: error: safe-urgency: notify.message: "
            + THREATENS.format("Your account will be suspended")
        ],
    ),
    (
        "safe-urgency: en page, legal action and prosecution",
        {REL: RELEASE + "closing: Ignoring this means legal action. You may be prosecuted.\n"},
        [
            f"{R}:8:30: error: safe-urgency: closing: " + THREATENS.format("legal action"),
            f"{R}:8:52: error: safe-urgency: closing: " + THREATENS.format("be prosecuted"),
        ],
    ),
    (
        "safe-urgency: what a genuine notice says of accounts and the law (no finding)",
        {
            REL: RELEASE + "closing: >-\n  We disabled the affected accounts. We will take legal "
            "action against those responsible. Your account will not be suspended.\n"
        },
        [],
    ),
    (
        "safe-urgency: ja, the attacker, the organisation's own accounts, a denial (no finding)",
        {
            "site.yaml": JA,
            INC: JA_INC,
            REL: JA_REL + "closing: >-\n  攻撃者に対しては法的措置を検討しております。"
            "当該アカウントは停止いたしました。お客様のアカウントが停止されることはございません。\n",
        },
        [],
    ),
    (
        "safe-urgency: ja, the accounts concerned (該当する) closed to protect them (no finding)",
        {
            "site.yaml": JA,
            INC: JA_INC,
            REL: JA_REL + "closing: 安全のため、該当するお客様のアカウントは停止いたします。\n",
        },
        [],
    ),
    (
        "safe-urgency: the spoofed mail's threats quoted to describe it (no finding)",
        {
            "site.yaml": JA,
            INC: JA_INC,
            REL: JA_REL
            + "closing: >-\n  「お客様のアカウントは本日停止されます」などと書かれたメールや、"
            "「法的措置を取ります」といったメールにご注意ください。\n",
        },
        [],
    ),
    (
        'safe-urgency: en, messages saying "your account will be suspended" (no finding)',
        {
            REL: RELEASE + 'closing: >-\n  Messages saying "your account will be suspended within'
            ' 24 hours" or claiming "legal action" are not ours.\n'
        },
        [],
    ),
    (
        "safe-urgency: a threat as a noun (failure to reply will result in suspension of your "
        "account)",
        {
            REL: RELEASE + "closing: >-\n  Failure to reply will result in suspension of your "
            "account.\n"
        },
        [
            f"{R}:9:1: error: safe-urgency: closing: "
            + THREATENS.format("result in suspension of your account")
        ],
    ),
    (
        "safe-urgency: prosecution of the person responsible, whoever did it (no finding)",
        {
            REL: RELEASE + "closing: >-\n  The person responsible may be prosecuted. Whoever "
            "misuses the data will face legal action.\n"
        },
        [],
    ),
    (
        "safe-urgency: the spoofed mail's threats told without quotes (no finding)",
        {
            REL: RELEASE + "closing: >-\n  Please beware: scam messages may say that your account "
            "will be suspended; emails claiming legal action are not ours.\n"
        },
        [],
    ),
    (
        "safe-urgency: ja, the spoofed mail's threats told without 「」 (no finding)",
        {
            "site.yaml": JA,
            INC: JA_INC,
            REL: JA_REL + "closing: >-\n  アカウントを停止しますなどと書かれたメールや、"
            "法的措置を取りますといった内容の不審メール、「アカウントを停止します」という"
            "メールにご注意ください。\n",
        },
        [],
    ),
    (
        "safe-urgency: a mail sent to say the threat is still one",
        {
            REL: RELEASE + "closing: >-\n  This message is to tell you that your account will "
            "be suspended, and this email says legal action follows.\n"
        },
        [
            f"{R}:9:1: error: safe-urgency: closing: " + THREATENS.format("legal action"),
            f"{R}:9:1: error: safe-urgency: closing: "
            + THREATENS.format("your account will be suspended"),
        ],
    ),
    (
        "safe-urgency: in a mail template, found at the template's line",
        {
            "site.yaml": MAIL_SITE,
            REL: mail("We are sorry."),
            "../templates/mail/notice.en.txt": MAIL_TEXT + "Please read this immediately.\n",
        },
        [
            f"templates/mail/notice.en.txt:{MAIL_TEXT.count(chr(10)) + 1}:18: error: safe-urgency: "
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
        "safe-phone: in a page template, found at the template's line",
        {
            "../templates/release-body.html": '{% include "default:release-body.html" %}\n'
            "<p>Questions? Call 03-9999-0000.</p>\n"
        },
        [
            "templates/release-body.html:2:20: error: safe-phone: "
            + NOT_DESK.format("03-9999-0000", "none in site.yaml contact.phone")
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
        "safe-phone: ja mail, a number written against Japanese text, without spaces",
        ja({REL: ja_mail("ご不明な点は03-9999-0000までお電話ください。")}),
        [
            f"{R}:11:1: error: safe-phone: notify.message: "
            + NOT_DESK.format("03-9999-0000", "none in site.yaml contact.phone")
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
    *(
        (
            f"safe-phone: the desk's {desk} written as {written} (no finding)",
            {
                "site.yaml": SITE.replace("language: en", f"language: en\ntimezone: {zone}")
                + f"  phone: {desk}\n",
                REL: RELEASE + f"closing: From abroad, call {written}.\n",
            },
            [],
        )
        for zone, desk, written in (
            ("Asia/Tokyo", "045-123-4567", "+81 45-123-4567"),
            ("Asia/Tokyo", "045-123-4567", "+81 (0)45 123 4567"),
            ("Asia/Tokyo", "045-123-4567", "+81451234567"),
            ("Asia/Tokyo", "045-123-4567", "(045) 123-4567"),
            ("Asia/Tokyo", "045-123-4567", "045.123.4567"),
            ("Asia/Tokyo", "+81 45-123-4567", "045-123-4567"),
            ("Europe/London", "020 7946 0000", "+44 20 7946 0000"),
            ("Europe/London", "020 7946 0000", "+44 (0)20 7946 0000"),
            ("Europe/London", "+44 20 7946 0000", "(020) 7946-0000"),
            ("America/Los_Angeles", "1-800-555-0142", "+1 800 555 0142"),
            ("America/Los_Angeles", "1-800-555-0142", "(800) 555-0142"),
            ("America/Los_Angeles", "+1 800 555 0142", "1-800-555-0142"),
            ("America/Los_Angeles", "(800) 555-0142", "1 (800) 555-0142"),
        )
    ),
    (
        "safe-phone: en page, a North American number written from its 1, a digit apart",
        {
            "site.yaml": SITE.replace("language: en", "language: en\ntimezone: America/New_York")
            + "  phone: 1-800-555-0142\n",
            REL: RELEASE + "closing: Call 1-800-555-0143 or 1.800.555.0144.\n",
        },
        [
            f"{R}:8:15: error: safe-phone: closing: "
            + NOT_DESK.format("1-800-555-0143", "1-800-555-0142"),
            f"{R}:8:33: error: safe-phone: closing: "
            + NOT_DESK.format("1.800.555.0144", "1-800-555-0142"),
        ],
    ),
    (
        "safe-phone: a desk phone written with its hours is the number in it (no finding)",
        {
            "site.yaml": SITE + "  phone: 0120-000-111（平日9時〜17時）\n",
            REL: RELEASE + "closing: Call 0120-000-111 or +81 120 000 111.\n",
        },
        [],
    ),
    (
        "safe-phone: ja mail, the desk's number in full-width and international forms (no finding)",
        {
            "site.yaml": JA_DESK_SITE,
            INC: JA_INC,
            REL: ja_mail("お問い合わせは０４５－１２３－４５６７（海外から+81 45-123-4567）まで。"),
        },
        [],
    ),
    (
        "safe-phone: numbers that differ from the desk's by a digit or a country code",
        {
            "site.yaml": SITE.replace("language: en", "language: en\ntimezone: Europe/London")
            + "  phone: 020 7946 0000\n",
            REL: RELEASE + "closing: Call +44 (0)20 7946 0001 or +81 20 7946 0000.\n",
        },
        [
            f"{R}:8:15: error: safe-phone: closing: "
            + NOT_DESK.format("+44 (0)20 7946 0001", "020 7946 0000"),
            f"{R}:8:38: error: safe-phone: closing: "
            + NOT_DESK.format("+81 20 7946 0000", "020 7946 0000"),
        ],
    ),
    (
        "safe-phone: ja mail, a number written with a minus sign or the long vowel mark",
        ja(
            {
                "site.yaml": JA_DESK_SITE,
                REL: ja_mail("お電話は０４５−１２３−４５６８、または045ー123ー4569へ。"),
            }
        ),
        [
            f"{R}:11:1: error: safe-phone: notify.message: "
            + NOT_DESK.format("045ー123ー4569", "045-123-4567"),
            f"{R}:11:1: error: safe-phone: notify.message: "
            + NOT_DESK.format("０４５−１２３−４５６８", "045-123-4567"),
        ],
    ),
    (
        "safe-phone: ja mail, the desk's number with a minus sign or ー (no finding)",
        {
            "site.yaml": JA_DESK_SITE,
            INC: JA_INC,
            REL: ja_mail("お電話は０４５−１２３−４５６７、または045ー123ー4567へ。"),
        },
        [],
    ),
    (
        "safe-phone: ja mail, another number in international and run-together forms",
        ja(
            {
                "site.yaml": JA_DESK_SITE,
                REL: ja_mail("海外からは+81 (0)45 123 4568、または+819012345678へ。"),
            }
        ),
        [
            f"{R}:11:1: error: safe-phone: notify.message: "
            + NOT_DESK.format("+81 (0)45 123 4568", "045-123-4567"),
            f"{R}:11:1: error: safe-phone: notify.message: "
            + NOT_DESK.format("+819012345678", "045-123-4567"),
        ],
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
        "safe-lookalike: en page, a protocol-relative address written out as text",
        {REL: RELEASE + "closing: Log in at //login.example.net/account.\n"},
        [
            f"{R}:8:20: error: safe-lookalike: closing: //login.example.net is a link without its "
            "scheme to a host not official"
        ],
    ),
    (
        "safe-lookalike: ja mail subject, a protocol-relative address",
        ja(
            {
                REL: ja_mail(
                    "お詫び申し上げます。",
                    subject="【重要】//www.example.com.evil.example/ のご案内",
                )
            }
        ),
        [
            f"{R}:9:16: error: safe-lookalike: notify.subject: //www.example.com.evil.example is a "
            "link without its scheme to a host not official"
        ],
    ),
    (
        "safe-lookalike: en mail subject",
        {"site.yaml": MAIL_SITE, REL: mail("We are sorry.", subject="Notice from examp1e.com")},
        [f"{R}:9:24: error: safe-lookalike: notify.subject: " + IMITATES.format("examp1e.com")],
    ),
    (
        "safe-lookalike: ja page, a look-alike URL right after Japanese text, in 「」",
        {
            "site.yaml": JA,
            INC: JA_INC,
            REL: JA_REL + "closing: 詳しくはhttps://examp1e.com/loginを、または「https://"
            "www.example.com.evil.example/」をご覧ください。\n",
        },
        [
            f"{R}:8:14: error: safe-links: closing: link https://examp1e.com/login is not on the "
            "official web domain www.example.com",
            f"{R}:8:22: error: safe-lookalike: closing: " + IMITATES.format("examp1e.com"),
            f"{R}:8:45: error: safe-links: closing: link https://www.example.com.evil.example/ is "
            "not on the official web domain www.example.com",
            f"{R}:8:53: error: safe-lookalike: closing: "
            + IMITATES.format("www.example.com.evil.example"),
        ],
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
CA_INC = (
    INCIDENT
    + """\
disclosure:
  data_categories: [ssn, contact]
  breach_dates: {present: ["release:2020-08-05#What Happened"]}
  law_enforcement_delay: {present: ["release:2020-08-05#What Happened"]}
  credit_bureaus: {present: ["release:2020-08-05#What You Can Do"]}
  identity_theft_offer: {present: ["release:2020-08-05#What You Can Do"]}
"""
)
CA_REL = """\
date: 2020-08-05
kind: first_notice
title: Notice of Data Breach
summary: Something happened.
sections:
  - heading: What Happened
    body: >-
      Between July 20 and July 28, 2020 an attacker read our customer database. This notice
      was not delayed by a law enforcement investigation.
  - heading: What Information Was Involved
    body: "Names and Social Security numbers of 2,400 people; {{ facts.infected_pcs }} PCs."
  - heading: What We Are Doing
    body: We closed the hole.
  - heading: What You Can Do
    body: >-
      You may place a fraud alert with Equifax (1-800-685-1111), Experian ((888) 397-3742) and
      TransUnion (1-888-909-8872). We offer you 24 months of identity theft protection, free.
  - heading: For More Information
    body: Call our help desk.
"""
BARE_CA = INCIDENT + "disclosure:\n  data_categories: [ssn]\n"
APPI_ALL = """\
disclosure:
  overview: {present: [timeline, "release:2020-08-05#notify"]}
  data_items: {present: [facts.infected_pcs, "release:2020-08-05#notify"]}
  people: {unknown: 2020-08-05}
  cause: {present: [timeline, "release:2020-08-05#notify"]}
  secondary_damage: {present: [release:2020-08-05]}
  response_to_people: {present: [release:2020-08-05]}
  publication: {present: [release:2020-08-05]}
  prevention: {present: [timeline]}
  other: {unknown: 2020-08-05}
"""
TIMELINE = "  - heading: Timeline\n    timeline: true\n"
LINK_ONLY = "notify:\n  subject: About the incident\n"
DOES_NOT = "{} does not state {}: say it, and {}, or mark it unknown"
ON_PAGE = "point disclosure.{}.present at release:2020-08-05[#<heading>]"
IN_MAIL = "list {0} in notify.states (or point disclosure.{0}.present at release:2020-08-05#notify)"
BREACH_DATES = "the date, the estimated date or the date range of the breach (§1798.82(d)(2)(D))"
LAW = (
    "whether notification was delayed as a result of a law enforcement investigation "
    "(§1798.82(d)(2)(E))"
)
BUREAUS = (
    "the toll-free telephone numbers and addresses of the major credit reporting agencies "
    "(§1798.82(d)(2)(F))"
)
OFFER = (
    "an offer of identity theft prevention and mitigation services at no cost for not less "
    "than 12 months (§1798.82(d)(2)(G))"
)
PAGE, MAIL = "the release page", "the notice mail"
CA_ITEMS = (
    (BREACH_DATES, "breach_dates"),
    (LAW, "law_enforcement_delay"),
    (BUREAUS, "credit_bureaus"),
    (OFFER, "identity_theft_offer"),
)
GDPR_ITEMS = (
    ("the nature of the personal data breach (Art. 34(2))", "overview"),
    (
        "the name and contact details of the data protection officer or other contact point "
        "(Art. 33(3)(b))",
        "contact_point",
    ),
    ("the likely consequences of the breach (Art. 33(3)(c))", "consequences"),
    (
        "the measures taken or proposed to address the breach and mitigate its effects "
        "(Art. 33(3)(d))",
        "prevention",
    ),
)
APPI_MAIL = (
    ("概要 (第8条第1項第1号)", "overview"),
    ("漏えい等が発生し、又は発生したおそれがある個人データの項目 (同第2号)", "data_items"),
    ("原因 (同第4号)", "cause"),
    ("二次被害又はそのおそれの有無及びその内容 (同第5号)", "secondary_damage"),
)


def lacks(rule: str, where: str, items: tuple[tuple[str, str], ...]) -> list[str]:
    """The findings of `rule` for each item the page (`where` = "6:3") or the mail lacks."""
    part, loc, how = (MAIL, "notify", IN_MAIL) if where != "6:3" else (PAGE, "sections", ON_PAGE)
    return [
        f"{R}:{where}: error: {rule}: {loc}: " + DOES_NOT.format(part, what, how.format(field))
        for what, field in items
    ]


CONTENTS: list[Case] = [
    (
        "ca-notice-items: a complete California notice (no finding)",
        {INC: CA_INC, REL: CA_REL},
        ["ca"],
        [],
    ),
    (
        "ca-notice-items: 2,400 SSNs exposed; no dates, law-enforcement word, bureaus or offer",
        {INC: BARE_CA, REL: CA_REL},
        ["ca"],
        sorted(lacks("ca-notice-items", "6:3", CA_ITEMS)),
    ),
    (
        "ca-notice-items: a mail that is only a link states nothing",
        {"site.yaml": MAIL_SITE, INC: CA_INC, REL: CA_REL + LINK_ONLY},
        ["ca"],
        sorted(lacks("ca-notice-items", "21:3", CA_ITEMS)),
    ),
    (
        "ca-notice-items: one bureau named, an offer of 6 months",
        {
            INC: CA_INC,
            REL: CA_REL.replace(
                "Experian ((888) 397-3742) and\n      TransUnion (1-888-909-8872)", "Experian"
            ).replace("24 months", "6 months"),
        },
        ["ca"],
        [
            f"{R}:6:3: error: ca-notice-items: sections: {PAGE} states {OFFER} but offers no "
            "period of 12 months or more",
            f"{R}:6:3: error: ca-notice-items: sections: {PAGE} states {BUREAUS} but does not "
            "name TransUnion",
        ],
    ),
    (
        "ca-notice-items: names and e-mail only: no bureaus or offer are due; an unknown category",
        {
            INC: CA_INC.replace("[ssn, contact]", "[contact, ssm]")
            .replace("  credit_bureaus", "  #")
            .replace("  identity_theft_offer", "  #"),
            REL: CA_REL,
        },
        ["ca"],
        [
            f"{C}{INC}:14:30: error: ca-notice-items: disclosure.data_categories[2]: unknown data "
            "category 'ssm'; known: ssn, drivers-license, ca-id-card, tax-id, passport, "
            "military-id, government-id, account-number, medical, health-insurance, biometric, "
            "credentials, contact, mail-content"
        ],
    ),
    (
        "ca-headings-form: headings out of the statute's order, a TBD body and a 未定 one",
        {
            INC: CA_INC,
            REL: CA_REL.replace("body: We closed the hole.", "body: TBD")
            .replace("body: Call our help desk.", "body: '[未定]'")
            .replace("  - heading: What We Are Doing\n    body: TBD\n", "")
            + "  - heading: What We Are Doing\n    body: TBD\n",
        },
        ["ca"],
        [
            f'{R}:17:11: error: ca-headings-form: sections[4].body: "For More Information" says '
            "'[未定]': the notice gives its information here",
            f'{R}:18:14: error: ca-headings-form: sections[5].heading: "What We Are Doing" comes '
            'after "For More Information"; the statute orders them "What Happened", "What '
            'Information Was Involved", "What We Are Doing", "What You Can Do", "For More '
            'Information"',
            f'{R}:19:11: error: ca-headings-form: sections[5].body: "What We Are Doing" says '
            "'TBD': the notice gives its information here",
        ],
    ),
    *(
        (
            f"ca-headings-form: a body that only promises information ({body!r})",
            {INC: CA_INC, REL: CA_REL.replace("body: Call our help desk.", f"body: {body}")},
            ["ca"],
            [
                f'{R}:19:11: error: ca-headings-form: sections[5].body: "For More Information" '
                f"says {body.strip(chr(39))!r}: the notice gives its information here"
            ],
        )
        for body in (
            "Coming soon",
            "To be announced.",
            "'N/A'",
            "None",
            "Under investigation",
            "準備中",
            "未定",
            "後日お知らせします",
        )
    ),
    (
        "appi-notice-items: a mail that is only a link; a page without the timeline it points at",
        {"site.yaml": MAIL_SITE, INC: INCIDENT + APPI_ALL, REL: RELEASE + LINK_ONLY},
        ["appi"],
        sorted(
            lacks("appi-notice-items", "6:3", (APPI_MAIL[0], APPI_MAIL[2]))
            + lacks("appi-notice-items", "9:3", APPI_MAIL)
        ),
    ),
    (
        "appi-notice-items: a mail whose message states what the record points at (no finding)",
        {
            "site.yaml": MAIL_SITE,
            INC: INCIDENT
            + APPI_ALL.replace(
                "[release:2020-08-05]}\n  response",
                "[release:2020-08-05, release:2020-08-05#notify]}\n  response",
            ),
            REL: mail("Malware on our PCs sent mail in our name.", release=RELEASE + TIMELINE),
        },
        ["appi"],
        [],
    ),
    (
        "appi-notice-items: notify.states names what the message says; a name that is no item",
        {
            "site.yaml": MAIL_SITE,
            INC: INCIDENT + APPI_ALL.replace(', "release:2020-08-05#notify"', ""),
            REL: mail("Malware on our PCs sent mail in our name.", release=RELEASE + TIMELINE)
            + "  states: [overview, data_items, cause, secondary_damage, damage]\n",
        },
        ["appi"],
        [
            f"{R}:14:59: error: appi-notice-items: notify.states[5]: no disclosure item 'damage' "
            "(an item of the disclosure block); did you mean 'secondary_damage'?"
        ],
    ),
    (
        "gdpr-notice-items: a communication to the data subjects that says none of Art. 34(2)",
        {"site.yaml": MAIL_SITE, REL: RELEASE + LINK_ONLY},
        ["gdpr"],
        sorted(
            lacks("gdpr-notice-items", "6:3", GDPR_ITEMS)
            + lacks("gdpr-notice-items", "9:3", GDPR_ITEMS)
        ),
    ),
]
CASES: list[Case] = [(n, c, [], e) for n, c, e in NUMBERS + COUNTS_OF_OTHERS + SAFE] + CONTENTS


@pytest.mark.parametrize("name,changes,regimes,expected", CASES, ids=[c[0] for c in CASES])
def test_check_finds_exactly(
    make_tree: MakeTree,
    name: str,
    changes: dict[str, str | bytes | None],
    regimes: list[str],
    expected: list[str],
) -> None:
    from publisher.check.runner import check_content

    root = make_tree(changes)
    project = root.parent / "templates"
    templates = project if project.is_dir() else REPO / "templates"
    found = check_content(root, regimes, templates).findings
    assert [str(f) for f in found if f.rule in RULES_HERE] == expected


RULES_HERE = {
    rule.id for module in (lures, notice_content, numbers, safety) for rule in module.RULES
}
"""The rules this table is about; the deadline and completeness rules have their own table."""


def test_the_example_passes_strict() -> None:
    from publisher.check.findings import has_failures
    from publisher.check.runner import check_content

    found = check_content(REPO / "content", ["appi"]).findings
    assert not has_failures(found, strict=True), [str(f) for f in found]
