"""A small bilingual content tree: a Japanese original and its English translation."""

from __future__ import annotations

import hashlib
import textwrap

SITE = """\
organization:
  name: 株式会社エグザンプル
  short_name: エグザンプル
  self_reference: 弊社
  mail_domains: [example.jp]
  web_domain: www.example.jp
  translations:
    en: {name: Example Corp, short_name: Example, self_reference: we}
base_url: https://www.example.jp/incident/
language: ja
contact:
  name: お客様相談室
  phone: 0120-000-000
  hours: 平日 9時〜17時
  email: soudan@example.jp
notify_from:
  email: notice@example.jp
  name: 株式会社エグザンプル
  translations: {en: Example Corp}
"""

INCIDENT = """\
title: 不正アクセスによる個人情報漏えいについて
discovered: 2026-03-02
category: unauthorized_access
facts:
  affected_people:
    label: 影響を受けた方
    unit: 名
    translations: {en: {label: Affected people, unit: " people"}}
    values:
      - {as_of: 2026-03-03, value: 1000}
      - as_of: 2026-03-04
        value: 1200
        note: 調査の結果、対象の方が増えました。
        translations: {en: The investigation found more people affected.}
timeline:
  - date: 2026-03-02
    text: 不審な通信を検知しました。
    translations: {en: We detected suspicious traffic.}
measures:
  - date: 2026-03-02
    text: 該当サーバの隔離
    translations: {en: The server was isolated.}
advice:
  attachment_patterns:
    - as_of: 2026-03-02
      text: 請求書を装ったzipファイル
      translations: {en: A zip file posing as an invoice}
references:
  - id: advisory
    title: 不正アクセスに関する注意喚起
    translations: {en: Advisory on unauthorised access}
    url: https://security.example.com/advisory/
    as_of: 2026-03-01
"""

ORIGINAL = """\
date: 2026-03-04
kind: first_notice
title: 不正アクセスに関するお詫びとお知らせ
summary: 弊社サーバへの不正アクセスにより、お客様の個人情報が漏えいしたおそれがあります。
greeting: 平素より格別のご愛顧を賜り、厚く御礼申し上げます。
intro: |
  このたび、弊社サーバへの不正アクセスを確認いたしました。深くお詫び申し上げます。
sections:
  - heading: 事象概要
    body: |
      影響を受けた方は{{ facts.affected_people }}名です。

      次のような添付ファイルのあるメールは開かずに削除してください。

      {{ attachment_patterns | bullets }}

      詳しくは[{{ references.advisory.title }}]({{ references.advisory.url }})をご覧ください。
  - heading: 経緯
    timeline: true
  - heading: 対応
    body: "{{ measures.taken | bullets }}"
closing: |
  新たな事実が判明しましたら、速やかにご報告いたします。
notify:
  subject: 不正アクセスに関するお詫びとお知らせ
  message: |
    弊社サーバへの不正アクセスにより、お客様の個人情報が漏えいしたおそれがあります。
"""


def digest(text: str) -> str:
    """The SHA-256 of a file written with this text (as make_tree writes it)."""
    return hashlib.sha256(textwrap.dedent(text).encode("utf-8")).hexdigest()


def translation(original: str = ORIGINAL, **changes: str) -> str:
    """The English translation of `original`, stamped with its digest; `changes` replace
    top-level parts of it (a key: YAML text)."""
    parts = {
        "lang": "en",
        "translated_from": digest(original),
        "title": "Apology and notice of unauthorised access",
        "summary": "Personal data of our customers may have leaked through unauthorised access.",
        "greeting": "Thank you for your continued patronage.",
        "intro": "|\n  We found unauthorised access to one of our servers. We sincerely apologise.",
        "sections": (
            "\n  - heading: What happened\n"
            "    body: |\n"
            "      {{ facts.affected_people }} people are affected.\n\n"
            "      Delete, unopened, any mail with an attachment like these:\n\n"
            "      {{ attachment_patterns | bullets }}\n\n"
            "      See [{{ references.advisory.title }}]({{ references.advisory.url }}).\n"
            "  - heading: Timeline\n"
            "    timeline: true\n"
            "  - heading: What we did\n"
            '    body: "{{ measures.taken | bullets }}"'
        ),
        "closing": "|\n  We will report any new findings promptly.",
        "contact": "\n  name: Customer Desk\n  hours: Weekdays 9:00 to 17:00",
        "notify": (
            "\n  subject: Apology and notice of unauthorised access\n"
            "  message: |\n"
            "    Personal data of our customers may have leaked through unauthorised access."
        ),
    }
    parts.update(changes)
    return "".join(f"{key}: {value}\n" for key, value in parts.items() if value)


def tree(**changes: str | None) -> dict[str, str | bytes | None]:
    """make_tree's changes for the bilingual tree (test's own release removed)."""
    files: dict[str, str | bytes | None] = {
        "site.yaml": SITE,
        "incidents/test/incident.yaml": None,
        "incidents/test/releases/2020-08-05.yaml": None,
        "incidents/leak-2026/incident.yaml": INCIDENT,
        "incidents/leak-2026/releases/2026-03-04.yaml": ORIGINAL,
        "incidents/leak-2026/releases/2026-03-04.en.yaml": translation(),
    }
    files.update(changes)
    return files
