"""Generated content trees for benchmarks: N releases over N/10 incidents in the example voice."""

from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

PARAGRAPH = (
    "弊社内LANに接続しているパソコン端末がコンピュータウイルスに感染し、弊社社員等の名前を騙った"
    "不審なメールが送信されていることを確認いたしました。関係者の皆様に多大なご迷惑とご心配を"
    "おかけしておりますことを深くお詫び申し上げます。"
)


def release_yaml(day: str, number: int, previous: str | None = None) -> str:
    """One release in the formal layout, using a fact so the view is exercised."""
    body = "\n\n".join([PARAGRAPH] * 3)
    link = f"[前回のリリース](release:{previous})の続報です。" if previous else ""
    indented = "\n".join("      " + line if line else "" for line in body.splitlines())
    return f"""date: {day}
kind: {"first_notice" if number == 0 else "update"}
title: コンピュータウイルス感染に関するお詫びとご報告(第{number + 1}報)
summary: 第{number + 1}報です。
greeting: 日頃よりご愛顧いただきありがとうございます。
intro: |
  {link}{PARAGRAPH}
sections:
  - heading: 事象概要
    body: |
      感染を確認した端末は{{{{ facts.infected_pcs }}}}台です。

{indented}
  - heading: 経緯
    timeline: true
  - heading: 今後の対策について
    body: |
{indented}
closing: 重ねてお詫び申し上げます。
"""


SITE = """organization:
  name: ベンチマーク株式会社
  short_name: ベンチマーク
  self_reference: 弊社
  mail_domains: [example.jp]
  web_domain: www.example.jp
base_url: https://www.example.jp/incident/
language: ja
contact:
  name: お客様相談室
  phone: 0120-000-000
"""

INCIDENT = """title: ベンチマーク用の事案 {n}
discovered: 2021-01-01
category: malware
facts:
  infected_pcs:
    label: 感染を確認した端末
    unit: 台
    values:
      - {{as_of: 2021-01-01, value: 3}}
timeline:
  - date: 2021-01-01
    text: 感染を確認。
"""


def write_corpus(root: Path, releases: int, per_incident: int = 10) -> Path:
    """Write a content tree of `releases` releases under `root`/content; return that folder."""
    content = root / "content"
    if content.exists():
        shutil.rmtree(content)
    content.mkdir(parents=True)
    (content / "site.yaml").write_text(SITE, encoding="utf-8")
    for i in range(releases):
        incident, number = divmod(i, per_incident)
        folder = content / "incidents" / f"bench-{incident:04d}"
        if number == 0:
            (folder / "releases").mkdir(parents=True)
            (folder / "incident.yaml").write_text(INCIDENT.format(n=incident), encoding="utf-8")
        day, previous = _day(number), _day(number - 1) if number else None
        (folder / "releases" / f"{day}.yaml").write_text(
            release_yaml(day, number, previous), "utf-8"
        )
    return content


def _day(number: int) -> str:
    return f"2021-{1 + number // 28:02d}-{1 + number % 28:02d}"
