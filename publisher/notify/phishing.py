"""The marks of the phishing a notice warns about, as pattern tables: one place for every rule.

What spoofed mail asks of its reader (credentials, in so many words or reworded: log in, tell us
on the phone), how it hurries or threatens them (至急, within 24 hours, your account will be
suspended, 法的措置), what it makes them download (archives,
executables, macro documents) and the domains it borrows (look-alikes of the official ones). A
sentence that says the organisation never will ("We never send attachments or password-protected
ZIP files", 「パスワードの入力をお願いすることはございません」) is the advice genuine notices
give, not a request. Pure functions over text; the check rules and the mailout both read them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from urllib.parse import urlsplit

import phonenumbers
from babel.core import get_global

from publisher.notify.lines import LINES, hits, marked

_SECRET_JA = (
    r"(?:パスワード|暗証番号|認証コード|ログインID|ID|ＩＤ"
    r"|クレジットカード番号|カード番号|口座番号)"
)
REQUEST = re.compile(
    rf"({_SECRET_JA}"
    r"[^。\n]{0,20}?(?:入力|送信|返信|記入|提供|教え|お知らせ|ご連絡|お伝え)[^。\n]{0,8}?(?:ください|下さい|願い)"
    r"|(?:ログイン|サインイン)(?:して|の上|のうえ|後)[^。\n]{0,30}?(?:ください|下さい|願い)"
    rf"|お電話[でにて]+[^。\n]{{0,30}}?{_SECRET_JA}[^。\n]{{0,12}}?(?:お伝え|お知らせ|教え|ご連絡)"
    r"|\b(?:enter|confirm|verify|send|provide|update|reply with|type|tell us)\b[^.\n]{0,40}?"
    r"\b(?:password|passcode|pin|credentials?|card number|login details|account details)\b"
    r"|\b(?:sign|log)[ -]?(?:in|on)\b[^.\n]{0,30}?\bto\s+(?:verify|confirm|validate|restore|unlock"
    r"|reactivate|secure|update)\b)",
    re.IGNORECASE,
)
"""A request for credentials: to enter or send them, to log in, to read them out on the phone."""
URGENCY = re.compile(
    r"(至急|大至急|今すぐ|ただちに|直ちに|本日中に|[0-9０-９]+時間以内に|期限までに"
    r"|アカウント(?:が|を)(?:停止|凍結|削除)"
    r"|\b(?:immediately|urgent(?:ly)?|right away|act now|as soon as possible"
    r"|within \d+ (?:hours?|minutes?|days?)"
    r"|your account will be (?:suspended|closed|locked|deleted))\b)",
    re.IGNORECASE,
)
"""Hurry put on the reader: what spoofed mail says so nobody stops to check."""
_THREAT_JA = (
    r"(?:アカウント|ＩＤ|ID|口座|メールアドレス|会員資格)"
    r"(?:は|が|を|も)?[^。\n、]{0,12}?"
    r"(?:停止|凍結|削除|無効|閉鎖|ロック|解約|利用制限|制限|ご利用いただけなく|利用できなく)"
    r"(?:され|させていただき|いたし|し|とな|にな|と|に)(?:ます|る)"
    r"|法的(?:措置|手続き?|処置)|訴訟を(?:提起|起こ)"
)
THREAT = re.compile(
    rf"({_THREAT_JA}"
    r"|\byour (?:account|mailbox|e-?mail(?: address)?|access|membership|id)s? "
    r"(?:will|may|might|could|is going to|is about to|are going to) (?:soon )?be "
    r"(?:permanently |temporarily |immediately |automatically )?(?:suspended|closed|locked|"
    r"deleted|terminated|disabled|deactivated|restricted|blocked|cancell?ed|frozen)\b"
    r"|\b(?:result(?:s|ed)? in|lead(?:s)? to|led to|risk) (?:the )?(?:permanent |immediate )?"
    r"(?:suspension|closure|termination|deletion|deactivation|cancell?ation) of your "
    r"(?:account|mailbox|e-?mail(?: address)?|access|membership|id)s?\b"
    r"|\blegal (?:action|proceedings|steps)|\b(?:be|being) prosecuted\b|\ba lawsuit\b)",
    re.IGNORECASE,
)
"""A threat to the reader, asked for nothing or not: their account suspended, legal action."""
_OTHERS = re.compile(
    r"攻撃者|犯人|加害者|行為者|不正アクセスを行った|当該|該当|弊社|当社|社員|従業員|職員"
    r"|\b(?:attackers?|perpetrators?|criminals?|hackers?|those responsible|the responsible"
    r"|(?:person|persons|people|party|parties) responsible|whoever|offenders?|culprits?)\b",
    re.IGNORECASE,
)
"""Whom a genuine notice's action is against, or whose accounts it closes: not the reader."""
_ASKS = re.compile(
    r"ください|下さい|お願い|願います|してください|要があります"
    r"|\b(?:please|you must|you need to|you are required|required to|must be|or your|failure to)\b",
    re.IGNORECASE,
)
"""What makes a sentence ask the reader for something."""
_DENIED_BEFORE = re.compile(
    r"(?:\b(?:never|not|no longer)|n't)(?!\s+(?:forget|hesitate|fail)\b)\s+(?:[\w'-]+\s+){0,4}\Z",
    re.IGNORECASE,
)
_DENIED_AFTER = re.compile(
    r"[^。\n]{0,12}?(?:(?:こと|もの|必要)は(?:一切|決して)?(?:ございません|ありません|ない)"
    r"|いたしません|しません|しておりません)"
)
DOWNLOADS = frozenset(
    {
        "7z", "apk", "app", "bat", "cab", "chm", "cmd", "com", "cpl", "dll", "dmg", "docm",
        "dotm", "exe", "gz", "hta", "img", "iso", "jar", "js", "jse", "lnk", "msi", "one",
        "pif", "potm", "ppam", "pptm", "ps1", "rar", "reg", "scr", "tar", "tgz", "vbe", "vbs",
        "vhd", "vhdx", "wsf", "xlam", "xlsb", "xlsm", "xz", "zip",
    }
)  # fmt: skip
"""Archives, executables, scripts, disk images, shortcuts and macro documents: what Emotet and
its kind deliver; no notice offers one, on the official domain or off it."""
HOST = re.compile(
    r"(?<![\w.@/-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}(?![\w@-])", re.IGNORECASE
)
"""A host name written without a scheme (www.example.jp, example-jp.com)."""
PROTOCOL_RELATIVE = re.compile(
    r"(?<![\w:/])//((?:[a-z0-9-]+\.)+[a-z]{2,63})(?![\w-])(?:[/?#][^\s<>\"'()]*)?", re.I
)
"""A link written without its scheme (//host/...): the reader's browser picks it."""
PHONE = re.compile(
    r"(?<![0-9A-Za-z_+-])1[\s.-]?(?:\(\d{3}\)|\d{3})[\s.-]?\d{3}[\s.-]\d{4}(?![0-9A-Za-z_-])"
    r"|(?<![0-9A-Za-z_+-])(?:\+\d{1,3}(?:[\s.-]?\(0\))?[\s.-]?(?:\(\d{1,5}\)|\d{1,5})|\(\d{1,5}\)"
    r"|\d{1,5})[\s.-]?\d{1,4}[\s.-]\d{3,4}(?![0-9A-Za-z_-])"
    r"|(?<![0-9A-Za-z_+-])\+\d{10,13}(?![0-9A-Za-z_-])",
    re.ASCII,
)
"""A telephone number as written: groups of digits joined by hyphens, dots or spaces, from a
country code (+81, +44 (0)), an area code in brackets ((045)) or a digit; or a + and its
digits run together (+81451234567); or a North American number from its 1 (1-800-555-0142)."""
_NANP = re.compile(r"1[\s.-]?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}|\d{3}[.-]\d{3}[.-]\d{4}")
"""A North American number without its country's +: 555-010-0100, 1-800-555-0142,
1 (800) 555-0142."""
_WIDE = str.maketrans("０１２３４５６７８９＋（）－‐‑‒–−―ーｰ", "0123456789+()---------")
"""Full-width digits, and the dashes a number is written with in Japanese (the minus sign −,
the long vowel mark ー typed for a hyphen), read as ASCII (one character each: offsets hold)."""
_SENTENCE = re.compile(r"[^。．.!?！？\n]+[。．.!?！？]?")
_LOOKALIKE_DIGITS = str.maketrans("01345", "oleas")


def credential_requests(text: str) -> Iterator[re.Match[str]]:
    """Each place `text` asks for credentials; a sentence saying it never will is not one.

    Only the lines that hold a match are read (_asks_for): a request holds no line break but in
    REQUEST's `sign in to\\nverify`, and a text where one may begin (_SIGN_IN) is read whole."""
    lines = marked(_asks_for, text, _REQUESTS | _RUNS_ON)
    if any(bits & _RUNS_ON for _start, _end, bits in lines):
        lines = [(0, len(text), _REQUESTS)]
    for start, end, _bits in lines:
        for match in REQUEST.finditer(text, start, end):
            if not _denied(text, match):
                yield match


def urgent_asks(text: str) -> Iterator[re.Match[str]]:
    """Each urgency phrase in a sentence of `text` that asks the reader to do something.

    Only the sentences of the lines that hold a match are read (_hurries): a sentence ends at a
    line break, and no URGENCY match ends with what ends a sentence, so one found in a sentence
    is found in its line."""
    for start, end, _bits in marked(_hurries, text, 1):
        for sentence in _SENTENCE.finditer(text, start, end):
            if not _ASKS.search(sentence.group()):
                continue
            for match in URGENCY.finditer(text, sentence.start(), sentence.end()):
                if not (_reported(text, sentence.start(), match) or _denied(text, match)):
                    yield match


def threats(text: str) -> Iterator[re.Match[str]]:
    """Each threat to the reader in `text` (アカウントは本日停止されます, your account will be
    suspended, 法的措置); a sentence that says it never will, or aims at the attacker or at the
    organisation's own accounts (攻撃者に対し法的措置, 当該アカウントを停止します), is not one,
    nor are the spoofed mail's words quoted to describe it (「アカウントが停止されます」などと
    書かれたメール, messages saying "your account will be suspended").

    Only the sentences of the lines that hold a match are read, as in urgent_asks."""
    for start, end, _bits in marked(_threatens, text, 1):
        for sentence in _SENTENCE.finditer(text, start, end):
            if _OTHERS.search(sentence.group()):
                continue
            for match in THREAT.finditer(text, sentence.start(), sentence.end()):
                if not (_reported(text, sentence.start(), match) or _denied(text, match)):
                    yield match


_REQUESTS, _RUNS_ON = 1, 2
_SIGN_IN = re.compile(r"\b(?:sign|log)[ -]?(?:in|on)\b", re.IGNORECASE)
"""How a request that may run on to the next line begins (REQUEST's sign in ... to\\s+)."""

# A line remembers whether it holds a match of REQUEST, URGENCY or THREAT (publisher.notify.lines).
# None of them reads a line break otherwise than the end of the string (`[^。\n]` stops at either,
# `\b` reads both as no word, no lookaround names one), and only REQUEST's `\s+` takes one: a match
# without a line break is found in its line alone.


@functools.lru_cache(maxsize=LINES)
def _asks_for(line: str) -> int:
    """Whether `line` holds a REQUEST (_REQUESTS) or the start of one that may run on to the
    next line (_RUNS_ON), as bits."""
    return (_REQUESTS if REQUEST.search(line) else 0) | (_RUNS_ON if _SIGN_IN.search(line) else 0)


@functools.lru_cache(maxsize=LINES)
def _hurries(line: str) -> int:
    """1 if `line` holds an URGENCY match, else 0."""
    return 1 if URGENCY.search(line) else 0


@functools.lru_cache(maxsize=LINES)
def _threatens(line: str) -> int:
    """1 if `line` holds a THREAT match, else 0."""
    return 1 if THREAT.search(line) else 0


@functools.lru_cache(maxsize=8)
def _quoted(text: str) -> tuple[tuple[int, int], ...]:
    """Where `text` quotes a spoofed mail's words to describe it (_QUOTED); remembered for the
    few texts last read, which urgent_asks and threats read in turn."""
    return tuple(m.span("q") if m.group("q") else m.span("e") for m in _QUOTED.finditer(text))


def _reported(text: str, start: int, match: re.Match[str]) -> bool:
    """Whether `match` (in the sentence from `start`) is a spoofed mail's words, quoted or told
    to describe it, rather than the notice's own."""
    if any(a <= match.start() and match.end() <= b for a, b in _quoted(text)):
        return True
    told = _TOLD_BY_MAIL.search(text, start, match.start()) is not None
    return told or _TOLD_IN_MAIL.match(text, match.end()) is not None


_TOLD_BY_MAIL = re.compile(
    r"(?<!this )(?<!our )\b(?:messages?|e-?mails?|mails?|texts?|calls?|scams?|phishing|fake"
    r"|spoofed|fraudulent)\b[^.;:!?]*?(?<!to )\b(?:say|says|said|saying|claim|claims|claimed"
    r"|claiming|warn|warns|warning|threaten|threatens|threatening|tell|tells|telling)\s+(?:(?:you|readers?|recipients?)\s+)?"
    r"(?:that\s+)?\Z",
    re.IGNORECASE,
)
"""A spoofed mail's threat told in reported speech, without quotes: scam messages may say that
your account will be suspended, emails claiming your account will be closed (not this email,
nor a message sent to say it)."""
_TOLD_IN_MAIL = re.compile(
    r"[^。、「」]{0,10}?(?:など|等)?(?:と(?:いう|いった|の|書|記|称|脅)|といった)[^。、]{0,12}?"
    r"(?:メール|メッセージ|SMS|ショートメッセージ|電話|文面)"
)
"""The same in Japanese, without 「」: アカウントを停止しますなどと書かれたメール,
…停止されますといった内容の不審メール."""


_QUOTED = re.compile(
    r"(?P<q>「[^「」]*」)(?=\s*(?:など|等|といった|という|との|と(?:書|記|称|脅|い)))"
    r"|\b(?:saying|says|said|claiming|claims|reading|like|that)\s+"
    r"(?P<e>\"[^\"\n]*\"|“[^”\n]*”)",
    re.IGNORECASE,
)
"""Words quoted to describe a spoofed mail: 「…」などと, 「…」という; saying "…"."""


def phone_numbers(text: str) -> Iterator[tuple[int, str]]:
    """(offset, as written) of each telephone number in `text`: 10 to 13 digits, written from
    a +, a ( or a 0 (or as 555-010-0100, 1-800-555-0142), full-width digits too.

    Read a line at a time (publisher.notify.lines): PHONE's lookarounds name no line break,
    and it takes one only as the `[\\s.-]` between two groups of a number, after a digit or )
    and before a digit or ( (_WIDE's too): the lines either side of such a break are read
    together."""
    for start, numbers in hits(_line_phones, text, _number_breaks(text)):
        for at, written in numbers:
            yield start + at, written


_BREAK_BEFORE_NUMBER = re.compile(r"\n[0-9０-９(（]")
_ENDS_NUMBER = frozenset("0123456789０１２３４５６７８９)）")


def _number_breaks(text: str) -> set[int]:
    """The offsets of the line breaks in `text` that a telephone number may run over."""
    return {
        m.start()
        for m in _BREAK_BEFORE_NUMBER.finditer(text)
        if text[m.start() - 1 : m.start()] in _ENDS_NUMBER
    }


@functools.lru_cache(maxsize=LINES)
def _line_phones(line: str) -> tuple[tuple[int, str], ...]:
    """phone_numbers of one line (or lines read together)."""
    return tuple(_phones(line))


def _phones(text: str) -> Iterator[tuple[int, str]]:
    for match in PHONE.finditer(text.translate(_WIDE)):
        written = match.group()
        digits = re.sub(r"\D", "", written)
        nanp = _NANP.fullmatch(written) is not None
        if 10 <= len(digits) <= 13 and (written[0] in "+(0" or nanp):
            yield match.start(), text[match.start() : match.end()]


def dialled(number: str, region: str) -> phonenumbers.PhoneNumber | None:
    """The number `number` dials, read as dialled in `region` (JP, GB) unless it is written
    from + or the region's international prefix; None if it is no possible number."""
    try:
        parsed = phonenumbers.parse(number.translate(_WIDE), region)
    except phonenumbers.NumberParseException:
        return None
    return parsed if phonenumbers.is_possible_number(parsed) else None


@functools.lru_cache(maxsize=4096)
def same_phone(found: str, number: str, region: str) -> bool:
    """Whether `found` dials `number`, each read in `number`'s country (`region` unless
    `number` starts with +): in Japan, +81 45-123-4567, +81 (0)45 123 4567, (045) 123-4567 and
    ０４５－１２３－４５６７ are all 045-123-4567."""
    wanted = dialled(number, region)
    if wanted is None or wanted.country_code is None:
        return re.sub(r"\D", "", found.translate(_WIDE)) == re.sub(r"\D", "", number)
    country = phonenumbers.region_code_for_country_code(wanted.country_code)
    got = dialled(found, country)
    e164 = phonenumbers.PhoneNumberFormat.E164
    return got is not None and phonenumbers.format_number(got, e164) == phonenumbers.format_number(
        wanted, e164
    )


def phone_region(zone: str, language: str) -> str:
    """The country whose numbers a site writes without +: its time zone's (Asia/Tokyo: JP,
    Europe/London: GB), else its language's likeliest (ja: JP, en: US)."""
    territory = get_global("zone_territories").get(zone)
    if territory and territory != "ZZ":
        return str(territory)
    likely = str(get_global("likely_subtags").get(language.replace("-", "_").split("_")[0], ""))
    return likely.rsplit("_", 1)[-1] if likely.count("_") == 2 else "ZZ"


def _denied(text: str, match: re.Match[str]) -> bool:
    """Whether the sentence says it never will (`never ask ...`, `…ことはございません`)."""
    before = text[max(0, match.start() - 80) : match.start()]
    return bool(_DENIED_BEFORE.search(before) or _DENIED_AFTER.match(text, match.end()))


@functools.lru_cache(maxsize=LINES)
def download(url: str) -> str | None:
    """The kind of file `url` downloads (zip, exe, ...) if it is one no notice offers."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("", "http", "https"):
        return None  # mailto:, tel: — an address, not a file
    path = parts.path.rstrip("/")
    name = path.rsplit("/", 1)[-1]
    kind = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return kind if kind in DOWNLOADS else None


def official(host: str, domains: Iterable[str]) -> bool:
    """Whether `host` is one of `domains` or a host under one of them."""
    host = host.lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in domains)


def lookalike(host: str, domains: Iterable[str]) -> str | None:
    """The official domain that `host` (not itself official) imitates, if it imitates one: it
    holds the whole domain, however joined (yokohama-toyopet.jp.evil.example,
    yokohama-toyopet-jp.com), or reads as it with digits for letters or rn for m (examp1e.com,
    exarnple.com), or differs from it by a letter (example.co); or it carries a distinctive
    name of 8 letters or more under another ending (yokohama-toyopet.co.jp)."""
    return _imitated(host, tuple(domains))


@functools.lru_cache(maxsize=4096)
def _imitated(host: str, domains: tuple[str, ...]) -> str | None:
    """lookalike, remembered: every page names the same few hosts."""
    host = host.lower().rstrip(".")
    if official(host, domains):
        return None
    bare = host.removeprefix("www.")
    for domain in domains:
        core = domain.lower().removeprefix("www.")
        if _squeeze(core) in _squeeze(bare) or _one_apart(bare, core):
            return domain
        name = _squeeze(_name(core))
        if len(name) >= DISTINCTIVE and _squeeze(_name(bare)) == name:
            return domain
    return None


DISTINCTIVE = 8
"""The length from which an official domain's name is its own, whatever the ending: example
(7) is a common word, yokohama-toyopet is not."""


def _name(domain: str) -> str:
    """The distinctive label of a domain: yokohama-toyopet.co.jp → yokohama-toyopet."""
    labels = [label for label in domain.split(".") if label != "www"]
    return max(labels[:-1] or labels, key=len, default="")  # www.www: no name


def _squeeze(name: str) -> str:
    """`name` as it reads: digits that pass for letters as letters (0 as o), rn as m, vv as w,
    without hyphens and dots."""
    letters = re.sub(r"[^a-z0-9]", "", name.translate(_LOOKALIKE_DIGITS))
    return letters.replace("rn", "m").replace("vv", "w")


def _one_apart(one: str, two: str) -> bool:
    """Whether `one` and `two` differ by a letter at most (no Levenshtein distance is less
    than the difference of the lengths, so those more than one apart are not reckoned)."""
    return abs(len(one) - len(two)) <= 1 and _distance(one, two) <= 1


def _distance(one: str, two: str) -> int:
    """The Levenshtein distance of two short strings."""
    row = list(range(len(two) + 1))
    for i, a in enumerate(one, 1):
        last, row[0] = row[0], i
        for j, b in enumerate(two, 1):
            last, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, last + (a != b))
    return row[-1]
