"""Generated press releases for benchmarks: N releases over N/10 incidents, in three forms.

Each release is a realistic disclosure of about 2,500 characters of Japanese prose: an intro
linking the previous release, several sections with bullet lists, one Markdown table, facts
used in the prose and the incident's timeline. The same documents are written for publisher
(YAML records: `write_corpus`), for Pelican (Markdown with metadata: `write_pelican`) and for
Hugo (Markdown with front matter and a minimal layout: `write_hugo`); for the last two the
facts, the timeline and the release links are written out as publisher would render them.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PER_INCIDENT = 10
FACTS = {
    "infected_pcs": ("感染を確認した端末", "台"),
    "affected": ("流出した可能性のある件数", "件"),
}
TIMELINE = [
    (0, "弊社内LANに接続しているパソコン端末にて、Wordファイルが添付されたメールを受信し、"
        "添付ファイルを開いたことにより端末がウイルスに感染。"),
    (0, "弊社社員の名前を騙った不審なメールが、取引先の皆様に送信されていることを"
        "お客様からのご連絡により確認。"),
    (1, "感染の疑いがある端末をネットワークから切断し、外部の専門機関に調査を依頼。"),
    (2, "個人情報保護委員会および所管の警察署に報告。"),
    (4, "全拠点の端末を対象とした攻撃痕跡調査を開始。"),
    (7, "攻撃痕跡調査が完了し、感染した端末と流出した可能性のある情報の範囲を特定。"),
]  # fmt: skip
"""(day of the incident, event): the incident's timeline, each event known on its day."""
CORRECTION = "調査の進展により、前回のご報告から数値を更新いたしました。"


@dataclass(frozen=True)
class Release:
    """One release: its place in the series and its text, with publisher's placeholders."""

    incident: int
    number: int
    title: str
    summary: str
    greeting: str
    intro: str
    sections: list[tuple[str, str | None]]
    """(heading, Markdown body); a body of None is the incident's timeline."""
    closing: str

    @property
    def day(self) -> str:
        """The release's date, also its file name and URL."""
        return _day(self.number)

    @property
    def previous(self) -> str | None:
        """The date of the release before it in the series."""
        return _day(self.number - 1) if self.number else None


def release(incident: int, number: int) -> Release:
    """The `number`th release of incident `incident`; its counts differ from release to release."""
    n = f"第{number + 1}報"
    base = 120 + 37 * number + incident % 50
    rows = [
        ("取引先のご担当者様", base * 3, "個別にご連絡済み"),
        ("お客様(法人)", base * 2, "ご連絡を順次開始"),
        ("お客様(個人)", base, "郵送にてご案内予定"),
        ("弊社グループ会社社員", base // 2, "社内にて周知済み"),
    ]
    table = "\n".join(
        ["| 区分 | 件数 | 対応状況 |", "|---|---:|---|"]
        + [f"| {who} | {count:,} | {status} |" for who, count, status in rows]
    )
    link = (
        f"[{_day(number - 1)}のリリース](release:{_day(number - 1)})の続報として、"
        if number
        else "本日、"
    )
    return Release(
        incident=incident,
        number=number,
        title=f"コンピュータウイルス感染による不審メールの送信に関するお詫びとご報告({n})",
        summary=f"弊社端末のウイルス感染と、弊社を騙った不審メールの送信について{n}としてご報告いたします。",
        greeting="日頃より格別のお引き立てを賜り、誠にありがとうございます。",
        intro=(
            f"{link}弊社内LANに接続しているパソコン端末がコンピュータウイルスに感染し、弊社社員等の"
            "名前を騙った不審なメールが、取引先の皆様をはじめ多くの方に送信されていることについて、"
            "現時点で判明している事実と弊社の対応をご報告いたします。\n\n"
            "関係者の皆様に多大なご迷惑とご心配をおかけしておりますことを、深くお詫び申し上げます。"
        ),
        sections=[
            (
                "事象概要",
                "感染を確認した端末は{{ facts.infected_pcs }}台です。"
                "これらの端末のメールソフトに保存されていた送受信履歴から、メールアドレスと氏名、"
                "過去のメール本文の一部が外部に流出した可能性があり、その件数は"
                "{{ facts.affected }}件と見込んでおります。\n\n"
                "現時点で確認している事象は、次のとおりです。\n\n"
                "- 弊社社員の氏名を表示名に用いた不審なメールが、"
                "弊社とは無関係なアドレスから送信されている\n"
                "- 不審なメールには、過去に弊社とやり取りしたメールの件名や"
                "本文の一部が引用されている\n"
                "- パスワード付きのZIPファイルや、Word形式のファイルが添付されている場合がある\n"
                "- 本文中のリンクから、ファイルのダウンロードを促す場合がある",
            ),
            ("経緯", None),
            (
                "流出した可能性のある情報と対象の皆様",
                "攻撃痕跡調査の途中経過から、流出した可能性のある情報の対象は次のとおりです。"
                "件数は送受信履歴から重複を除いて数えたもので、調査の進展により変わる可能性がございます。\n\n"
                f"{table}\n\n"
                "なお、当該端末ではクレジットカード情報や銀行口座情報は扱っておらず、"
                "これらの情報が流出した事実は確認されておりません。",
            ),
            (
                "不審なメールを受信された皆様へのお願い",
                "弊社社員を名乗るメールを受信された場合は、送信元のメールアドレスをご確認ください。"
                "弊社社員が業務に用いるメールアドレスは、すべて「@example.jp」で終わるものです。"
                "これ以外のアドレスから届いた心当たりのないメールにつきましては、次の点にご注意のうえ、"
                "削除していただきますようお願い申し上げます。\n\n"
                "- 添付ファイルを開かない(特にパスワード付きZIPファイルやWord形式のファイル)\n"
                "- 本文中のリンクをクリックしない\n"
                "- 「コンテンツの有効化」や「編集を有効にする」を押さない\n"
                "- 誤って開いてしまった場合は、端末をネットワークから切断し、"
                "貴社のシステム管理者にご相談いただく\n\n"
                "ご不明な点がございましたら、下記のお問い合わせ窓口までご連絡ください。",
            ),
            (
                "原因と調査の状況",
                "今回の感染は、取引先を装った電子メールに添付されたファイルを社員が開いたことにより、"
                "マクロが実行されて端末にウイルスが侵入したことが原因と考えております。"
                "侵入したウイルスは、端末のメールソフトから送受信履歴を読み取り、外部のサーバに送信する"
                "機能を持っていることが、外部の専門機関による解析で判明しております。\n\n"
                "現在、全拠点の端末およびサーバを対象に、攻撃の痕跡の有無を調査しております。"
                "新たな事実が判明した場合には、速やかにお知らせいたします。",
            ),
            (
                "関係機関への報告",
                "本件につきましては、個人情報保護委員会に報告するとともに、所管の警察署に相談し、"
                "捜査に協力しております。また、流出した可能性のある情報の対象となる皆様には、"
                "電子メールまたは郵送にて個別にお知らせを差し上げております。お知らせがお手元に届いて"
                "いない場合でも、不審なメールにお心当たりのある方は、お手数ですが下記の窓口まで"
                "ご連絡くださいますようお願い申し上げます。",
            ),
            (
                "今後の対策について",
                "弊社では、これまでに次の対策を実施いたしました。\n\n"
                "1. 感染した端末のネットワークからの切断と初期化\n"
                "2. 全社員のメールアカウントのパスワード変更\n"
                "3. ウイルス対策ソフトの定義ファイルの更新と全端末の検査\n"
                "4. マクロ付きファイルの実行を制限する設定の全端末への適用\n"
                "5. 外部から届くメールの添付ファイルを検査する仕組みの強化\n\n"
                "今後は、端末上の対策に加えて外部への不正な通信を検知する仕組みを導入するとともに、"
                "研修等を通じて社員一人ひとりの情報セキュリティに関する意識の向上に努めてまいります。",
            ),
            (
                "本件に関するお問い合わせ先",
                "本件に関するお問い合わせは、お客様相談室(電話 0120-000-000、受付時間 平日9時から"
                "17時まで)にて承っております。お電話が混み合う場合がございますので、あらかじめご了承ください。",
            ),
        ],
        closing="関係者の皆様に多大なご迷惑をおかけしておりますことを、重ねてお詫び申し上げます。",
    )


def fact_value(name: str, incident: int, number: int) -> int:
    """The value of fact `name` as of the `number`th release (it grows over the first three)."""
    infected = [2, 3, 4][min(number, 2)] + incident % 3
    return infected if name == "infected_pcs" else 800 * infected + 7 * (incident % 50)


def release_yaml(item: Release) -> str:
    """The release as a publisher record (formal layout)."""
    lines = [
        f"date: {item.day}",
        f"kind: {'first_notice' if item.number == 0 else 'update'}",
        f"title: {item.title}",
        f"summary: {item.summary}",
        f"greeting: {item.greeting}",
        "intro: |",
        *_indent(item.intro, 2),
        "sections:",
    ]
    for heading, body in item.sections:
        lines.append(f"  - heading: {heading}")
        lines += ["    timeline: true"] if body is None else ["    body: |", *_indent(body, 6)]
    lines.append(f"closing: {item.closing}")
    return "\n".join(lines) + "\n"


def _indent(text: str, spaces: int) -> list[str]:
    return [" " * spaces + line if line else "" for line in text.splitlines()]


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


def incident_yaml(incident: int, releases: int) -> str:
    """The incident record: facts whose values change over the first releases, and a timeline
    each of whose events is announced by the release of its day."""
    lines = [
        f"title: ベンチマーク用の事案 {incident}",
        "discovered: 2021-01-01",
        "category: malware",
        "facts:",
    ]
    for name, (label, unit) in FACTS.items():
        lines += [f"  {name}:", f"    label: {label}", f"    unit: {unit}", "    values:"]
        for number in range(min(releases, 3)):
            value = fact_value(name, incident, number)
            note = f", note: {CORRECTION}" if number else ""
            lines.append(f"      - {{as_of: {_day(number)}, value: {value}{note}}}")
    lines.append("timeline:")
    for offset, text in TIMELINE:
        if offset < releases:
            lines += [f"  - date: {_day(offset)}", f"    release: {_day(offset)}"]
            lines.append(f"    text: {text}")
    return "\n".join(lines) + "\n"


def write_corpus(root: Path, releases: int, per_incident: int = PER_INCIDENT) -> Path:
    """Write a content tree of `releases` releases under `root`/content; return that folder."""
    content = _fresh(root / "content")
    (content / "site.yaml").write_text(SITE, encoding="utf-8")
    for incident, number in _series(releases, per_incident):
        folder = content / "incidents" / f"bench-{incident:04d}"
        if number == 0:
            (folder / "releases").mkdir(parents=True)
            count = min(per_incident, releases - incident * per_incident)
            (folder / "incident.yaml").write_text(incident_yaml(incident, count), "utf-8")
        item = release(incident, number)
        (folder / "releases" / f"{item.day}.yaml").write_text(release_yaml(item), "utf-8")
    return content


def markdown_body(item: Release, link: str) -> str:
    """The release as one Markdown document, as publisher renders it: facts as of its date, the
    timeline up to its date, `link` (with {day} in it) for the link to the previous release."""
    text = "\n\n".join([item.greeting, item.intro])
    for heading, body in item.sections:
        if body is None:
            body = "\n".join(f"- {_day(o)}: {e}" for o, e in TIMELINE if o <= item.number)
        text += f"\n\n## {heading}\n\n{body}"
    text += f"\n\n{item.closing}\n"
    for name in FACTS:
        value = str(fact_value(name, item.incident, min(item.number, 2)))
        text = text.replace(f"{{{{ facts.{name} }}}}", value)
    if item.previous:
        text = text.replace(f"(release:{item.previous})", f"({link.format(day=item.previous)})")
    return text


PELICAN_CONF = """SITENAME = 'bench'
RELATIVE_URLS = True
TIMEZONE = 'Asia/Tokyo'
DEFAULT_LANG = 'ja'
ARTICLE_URL = ARTICLE_SAVE_AS = '{category}/{slug}/index.html'
CATEGORY_URL = CATEGORY_SAVE_AS = '{slug}/index.html'
CATEGORY_FEED_ATOM = '{slug}/feed.xml'
FEED_ALL_ATOM = TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TAGS_SAVE_AS = TAG_SAVE_AS = AUTHORS_SAVE_AS = AUTHOR_SAVE_AS = ''
ARCHIVES_SAVE_AS = CATEGORIES_SAVE_AS = ''
"""
"""Pelican's output narrowed to what publisher builds: a page per release, a page and a feed
per incident (its category), the index; no tag, author or archive pages."""


def write_pelican(root: Path, releases: int, per_incident: int = PER_INCIDENT) -> Path:
    """Write the same releases as Pelican articles under `root`/pelican, and `root`/pelicanconf.py
    (see PELICAN_CONF); return the articles' folder."""
    source = _fresh(root / "pelican")
    for incident, number in _series(releases, per_incident):
        item = release(incident, number)
        head = f"Title: {item.title}\nDate: {item.day}\nCategory: bench-{incident:04d}\n"
        head += f"Slug: {item.day}\nSummary: {item.summary}\n\n"
        target = source / f"bench-{incident:04d}" / f"{item.day}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(head + markdown_body(item, "{{filename}}{day}.md"), "utf-8")
    (root / "pelicanconf.py").write_text(PELICAN_CONF, encoding="utf-8")
    return source


HUGO_CONFIG = """baseURL = 'https://www.example.jp/incident/'
languageCode = 'ja'
title = 'bench'
hasCJKLanguage = true
disableKinds = ['taxonomy', 'term', 'robotsTXT']
[outputs]
home = ['HTML', 'JSON']
section = ['HTML', 'RSS']
page = ['HTML']
"""
HUGO_LAYOUTS = {
    "_default/baseof.html": """<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><title>{{ .Title }} | {{ site.Title }}</title>
<link rel="stylesheet" href="{{ "style.css" | relURL }}"></head>
<body><header><a href="{{ "/" | relURL }}">{{ site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
""",
    "_default/single.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p><time>{{ .Date.Format "2006年1月2日" }}</time></p>{{ .Content }}</article>
<nav><h2>{{ .CurrentSection.Title }}</h2><ol>{{ range .CurrentSection.Pages.ByDate }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }}</li>
{{ end }}</ol></nav>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ol>{{ range .Pages.ByDate }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }}
<p>{{ .Summary }}</p></li>{{ end }}</ol>{{ end }}
""",
    "index.html": """{{ define "main" }}<h1>{{ site.Title }}</h1><ul>{{ range .Sections }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> ({{ len .Pages }})</li>{{ end }}</ul>{{ end }}
""",
    "index.json": """[{{ range $i, $p := site.RegularPages }}{{ if $i }},{{ end }}
{"url": {{ $p.Permalink | jsonify }}, "title": {{ $p.Title | jsonify }},
 "date": {{ $p.Date.Format "2006-01-02" | jsonify }}}{{ end }}]
""",
    "404.html": """{{ define "main" }}<h1>ページが見つかりません</h1>{{ end }}
""",
}  # fmt: skip
"""A minimal layout with what publisher's theme has: each release page lists its series, each
incident page its releases, the index the incidents; releases.json's like, a feed per incident
(Hugo's section RSS), sitemap.xml and 404.html. No taxonomies."""


def write_hugo(root: Path, releases: int, per_incident: int = PER_INCIDENT) -> Path:
    """Write the same releases as a Hugo site under `root`/hugo (content, config, layouts);
    return the site's folder."""
    site = _fresh(root / "hugo")
    (site / "config.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        (site / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (site / "layouts" / name).write_text(text, encoding="utf-8")
    (site / "static").mkdir()
    (site / "static" / "style.css").write_text("body { max-width: 40em; }\n", encoding="utf-8")
    for incident, number in _series(releases, per_incident):
        item = release(incident, number)
        folder = site / "content" / f"bench-{incident:04d}"
        if number == 0:
            folder.mkdir(parents=True)
            index = f"---\ntitle: ベンチマーク用の事案 {incident}\n---\n"
            (folder / "_index.md").write_text(index, encoding="utf-8")
        head = f"---\ntitle: {item.title}\ndate: {item.day}\nsummary: {item.summary}\n---\n\n"
        body = markdown_body(item, "../{day}/")
        (folder / f"{item.day}.md").write_text(head + body, encoding="utf-8")
    return site


def _series(releases: int, per_incident: int) -> list[tuple[int, int]]:
    return [divmod(i, per_incident) for i in range(releases)]


def _fresh(folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder


def _day(number: int) -> str:
    return f"2021-{1 + number // 28:02d}-{1 + number % 28:02d}"
