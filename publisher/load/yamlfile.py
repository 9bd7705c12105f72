"""Reading one YAML file into plain data that remembers where every value came from.

libyaml (PyYAML's C loader) does the parsing when it is available; the event stream is screened
first, so aliases and deep nesting are refused before anything is composed.

PyYAML's composed nodes carry line and column; this module keeps them in a `Located` document
so that validation errors can point at `file:line:col`. It also closes PyYAML's traps: duplicate
keys are reported instead of silently winning, anchors and aliases are refused (no alias bombs),
nesting depth and file size are bounded, impossible dates and bad encodings become problems.
A text that holds a control character or a Unicode non-character (written as an escape such as
`"\\x01"`, `"\\0"` or `"\\uFFFF"`, which YAML allows) is refused where it was written: such a
character is no text a reader can be shown, and it makes a feed that is not well-formed XML.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from publisher.errors import Problem, YamlRefused
from publisher.files import file_bytes
from publisher.messages import N_, _
from publisher.source import Loc, Located, Mark, dotted

MAX_BYTES = 2_000_000
MAX_DEPTH = 40
EMPTY = N_("file is empty")
"""What reading a file with no YAML document in it (nothing, or only comments) says."""

UNPRINTABLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17))
    + "]"
)
"""A control character (but tab and line feed), a surrogate or a Unicode non-character."""


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _screen(text: str) -> None:
    """Refuse aliases and deep nesting from the event stream, before anything is composed."""
    depth = 0
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, yaml.AliasEvent):
            raise YamlRefused(
                event.start_mark, _("anchors and aliases (*name) are not allowed in content")
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                deeper = _("nesting deeper than {levels} levels").format(levels=MAX_DEPTH)
                raise YamlRefused(event.start_mark, deeper)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def read_yaml(path: Path, shown: str) -> tuple[Located | None, list[Problem]]:
    """Read `path` (named `shown` in messages) into a Located document, or return its problems."""
    raw, problems = read_bytes(path, shown)
    return (None, problems) if raw is None else yaml_document(raw, shown)


def read_bytes(path: Path, shown: str) -> tuple[bytes | None, list[Problem]]:
    """The bytes of the file at `path` (named `shown`), or why they cannot be read."""
    try:
        raw = file_bytes(path)
    except OSError as exc:
        message = _("cannot read file: {error}").format(error=exc.strerror)
        return None, [Problem(shown, message=message)]
    return raw, []


def yaml_document(raw: bytes, shown: str) -> tuple[Located | None, list[Problem]]:
    """The bytes of a YAML file (named `shown`) as a Located document, or its problems."""
    if len(raw) > MAX_BYTES:
        message = _("file is larger than {bytes} bytes").format(bytes=MAX_BYTES)
        return None, [Problem(shown, 1, 1, message=message)]
    text, problem = _decode(raw, shown)
    if problem:
        return None, [problem]
    return parse_yaml(text, shown)


def parse_yaml(text: str, shown: str) -> tuple[Located | None, list[Problem]]:
    """Parse YAML text into a Located document, or return the problems that stop it."""
    try:
        _screen(text)
        root = yaml.compose(text, Loader=_LOADER)
    except YamlRefused as exc:
        return None, [_problem_at(shown, exc.mark, exc.message)]
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_error(shown, text, exc)]
    except yaml.reader.ReaderError as exc:
        line, col = _line_col(text, exc.position)
        message = _("character {character} is not allowed").format(character=repr(exc.character))
        return None, [Problem(shown, line, col, message=message)]
    if root is None:
        return None, [Problem(shown, 1, 1, message=_(EMPTY))]
    doc = Located(shown, None)
    problems: list[Problem] = []
    doc.data = _convert(root, (), doc, problems)
    return doc, problems


def _runaway_quote(text: str, problem: Any) -> tuple[Any, Any] | None:
    """The start and end of the quoted text that ran over lines into the place PyYAML gave up
    at (a quote left open is closed by the next quote in the file), or None."""
    if problem is None:
        return None
    last = None
    try:
        for token in yaml.scan(text, Loader=_LOADER):
            if token.start_mark.index >= problem.index:
                break
            multiline = token.end_mark.line > token.start_mark.line
            if isinstance(token, yaml.ScalarToken) and token.style in ("'", '"') and multiline:
                last = (token.start_mark, token.end_mark)
    except yaml.MarkedYAMLError:
        pass
    if last is None or problem.line - last[1].line > 1:
        return None
    return last


_RUNS_ON = N_("the quoted text that starts here runs on over lines: is its closing quote missing?")
_UNCLOSED = {
    "while scanning a quoted scalar": N_("the quoted text that starts here is never closed"),
    "while parsing a quoted scalar": N_("the quoted text that starts here is never closed"),
    "while parsing a flow sequence": N_("the list '[' that starts here is not closed by ']'"),
    "while parsing a flow mapping": N_("the mapping '{{' that starts here is not closed by '}}'"),
}
"""PyYAML's contexts whose mistake is where the context starts, not where PyYAML gave up (each a
message, formatted as every message is: its braces doubled)."""


def _syntax_error(shown: str, text: str, exc: yaml.MarkedYAMLError) -> Problem:
    """A YAML syntax error at the place the mistake is: an unclosed quote or bracket at its
    opening (PyYAML notices it only at the end of the file, or lines later), a key without its
    ':' on the key's line (PyYAML says so at the next one, or lines later), a tab that indents
    as a tab."""
    typed = _fullwidth_key(text, exc.problem_mark or exc.context_mark)
    if typed is not None:
        line, message = typed
        return Problem(shown, line + 1, 1, message=_(message))
    if str(exc.context) == "while scanning a simple key" and exc.context_mark is not None:
        said = _("YAML syntax error: this line has no ':' after its key; write it as `key: value`")
        return _problem_at(shown, exc.context_mark, said)
    tab = "tab" in str(exc.problem) or "cannot start any token" in str(exc.problem)
    if tab and _at(text, exc.problem_mark) == "\t":
        said = _("YAML syntax error: a tab character here; YAML indents with spaces, never tabs")
        return _problem_at(shown, exc.problem_mark, said)
    unclosed = _UNCLOSED.get(str(exc.context))
    start, problem = exc.context_mark, exc.problem_mark
    if unclosed and start is not None and problem is not None and start.line != problem.line:
        if "quoted" in str(exc.context) and str(exc.problem) != "found unexpected end of stream":
            unclosed = _RUNS_ON
        said = _("YAML syntax error: {mistake} ({problem} at line {line})")
        message = said.format(
            mistake=_(unclosed).format(), problem=exc.problem, line=problem.line + 1
        )
        return _problem_at(shown, start, message)
    runaway = _runaway_quote(text, exc.problem_mark)
    if runaway is not None:
        start, end = runaway
        message = _(
            "YAML syntax error: the quoted text that starts here is not closed on its line "
            "(the next quote, on line {line}, closes it); add its closing quote"
        )
        return _problem_at(shown, start, message.format(line=end.line + 1))
    mark = exc.problem_mark or exc.context_mark
    message = " ".join(str(p) for p in (exc.context, exc.problem) if p)
    return _problem_at(shown, mark, _("YAML syntax error: {problem}").format(problem=message))


_LINE_BREAK_KEPT = re.compile("(\r\n|[\r\n\x85\u2028\u2029])")
"""What ends a line for YAML, which counts its marks' lines by these (str.splitlines() also
breaks at form feeds and other separators, which YAML reads as text); kept in what it splits,
a line and its break taking turns."""


def _at(text: str, mark: Any) -> str:
    """The character of `text` at PyYAML's `mark` ('' if there is none)."""
    parts = _LINE_BREAK_KEPT.split(text)  # line, break, line, break, ..., line
    if mark is None or 2 * mark.line >= len(parts):
        return ""
    line: str = parts[2 * mark.line]
    return line[mark.column : mark.column + 1]


def _fullwidth_key(text: str, mark: Any) -> tuple[int, str] | None:
    """The line (from 0), at or before the error's `mark`, whose key is followed by a
    full-width colon, or by ':' and a full-width space, as a Japanese input method types them
    (neither is YAML's), with what to say of it; None if there is none. PyYAML stops lines
    later (at the next key, or the end of the document): a line is taken for the mistake when
    the error goes, or moves past `mark`, with its key's colon typed as YAML's. A '：' between
    digits is a time (12：00), and prose in a block scalar fixes no error."""
    if mark is None:
        return None
    parts = _LINE_BREAK_KEPT.split(text)  # line, break, line, break, ..., line
    lines = range(min(mark.line, len(parts) // 2), -1, -1)
    tried = (line for line in lines if _FULLWIDTH.search(parts[2 * line]))
    for line in itertools.islice(tried, _TRIED):
        written = parts[2 * line]
        found = _FULLWIDTH.search(written)
        assert found is not None  # as `tried` found
        fixed = [*parts]
        fixed[2 * line] = written[: found.start()] + ": " + written[found.end() :]
        try:
            yaml.compose("".join(fixed), Loader=_LOADER)
        except yaml.YAMLError as again:
            later = getattr(again, "problem_mark", None) or getattr(again, "context_mark", None)
            if later is None or later.line <= mark.line:
                continue
        return line, _TYPED[found.group() == ":\u3000"]
    return None


_TRIED = 64
"""At most this many lines are tried, the nearest first (each a parse of the file)."""
_FULLWIDTH = re.compile(r"(?<![0-9０-９])：|：(?![0-9０-９])|:\u3000")
_TYPED = (
    N_(
        "YAML syntax error: this line has a full-width colon '：' where its key needs ':'; "
        "type ':' in half-width, then a space"
    ),
    N_(
        "YAML syntax error: the ':' on this line is followed by a full-width space; a key's "
        "':' needs a half-width space after it"
    ),
)
"""What to say of a key's full-width colon, and of a full-width space after its colon."""


def _decode(raw: bytes, shown: str) -> tuple[str, Problem | None]:
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        bad = raw[exc.start : exc.start + 1].hex()
        message = _("not valid UTF-8 (byte 0x{byte}); save the file as UTF-8").format(byte=bad)
        return "", Problem(shown, line, col, message=message)


def _line_col(text: str, position: int) -> tuple[int, int]:
    line = text.count("\n", 0, position) + 1
    return line, position - (text.rfind("\n", 0, position) + 1) + 1


def _problem_at(shown: str, mark: Any, message: str) -> Problem:
    if mark is None:
        return Problem(shown, 1, 1, message=message)
    return Problem(shown, mark.line + 1, mark.column + 1, message=message)


def _mark(node: Node) -> Mark:
    start = node.start_mark
    if isinstance(node, ScalarNode):
        end = (node.end_mark.line + 1, node.end_mark.column + 1)
        return Mark(start.line + 1, start.column + 1, node.value, node.style or None, end)
    return Mark(start.line + 1, start.column + 1)


def _convert(node: Node, loc: Loc, doc: Located, problems: list[Problem]) -> Any:
    doc.values[loc] = _mark(node)
    if isinstance(node, MappingNode):
        return _convert_mapping(node, loc, doc, problems)
    if isinstance(node, SequenceNode):
        return [_convert(item, (*loc, i), doc, problems) for i, item in enumerate(node.value)]
    assert isinstance(node, ScalarNode)
    return _convert_scalar(node, loc, doc, problems)


def _convert_mapping(node: MappingNode, loc: Loc, doc: Located, problems: list[Problem]) -> Any:
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key_mark = _mark(key_node)
        if not isinstance(key_node, ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
            where = _problem_at(doc.path, key_node.start_mark, "")
            if isinstance(key_node, ScalarNode):
                said = _("key {key} must be text").format(key=repr(key_node.value))
            else:
                said = _("a key must be text, not a list or a mapping")
            problems.append(Problem(doc.path, where.line, where.col, dotted(loc), said))
            continue
        key = key_node.value
        if key in result:
            first = doc.keys[(*loc, key)]
            problems.append(
                Problem(
                    doc.path,
                    key_mark.line,
                    key_mark.col,
                    dotted((*loc, key)),
                    _("duplicate key (first given at line {line})").format(line=first.line),
                )
            )
            continue
        if UNPRINTABLE.search(key):  # said here, and not echoed by the model's unknown key
            problems.append(_unprintable(doc.path, key_mark, key, dotted(loc)))
            continue
        doc.keys[(*loc, key)] = key_mark
        result[key] = _convert(value_node, (*loc, key), doc, problems)
    return result


def _convert_scalar(node: ScalarNode, loc: Loc, doc: Located, problems: list[Problem]) -> Any:
    try:
        value = SafeConstructor().construct_object(node, deep=True)
    except (ConstructorError, ValueError) as exc:
        mark = _mark(node)
        if node.tag.endswith(":timestamp"):
            impossible = _("impossible date {value}: {reason}")
        else:
            impossible = _("impossible value {value}: {reason}")
        reason = getattr(exc, "problem", None) or str(exc)
        message = impossible.format(value=repr(node.value), reason=reason)
        problems.append(Problem(doc.path, mark.line, mark.col, dotted(loc), message))
        return node.value
    if isinstance(value, str) and UNPRINTABLE.search(value):
        problems.append(_unprintable(doc.path, _mark(node), value, dotted(loc)))
        return UNPRINTABLE.sub("", value)  # said once, here: the model need not say it again
    return value


def _unprintable(path: str, mark: Mark, text: str, field: str) -> Problem:
    """The problem of a text holding a control character or non-character, at the character
    when the text stands in the file as it is, else where the text starts."""
    found = UNPRINTABLE.search(text)
    assert found is not None
    offset = found.start()
    line, col = mark.line, mark.col
    if mark.style == "|":
        line, col = mark.text_line + text.count("\n", 0, offset), 1
    elif mark.verbatim:
        col += offset + (1 if mark.quoted else 0)
    message = _("holds {character}, which is no text a reader can be shown; remove it")
    return Problem(
        path, line, col, field, message.format(character=unprintable_name(found.group()))
    )


def unprintable_name(char: str) -> str:
    """`the control character U+0001` (or surrogate, or non-character): what `char` is."""
    code = ord(char)
    if code >= 0xE000:
        return _("the non-character U+{code}").format(code=f"{code:04X}")
    if code >= 0xD800:
        return _("the surrogate U+{code}").format(code=f"{code:04X}")
    return _("the control character U+{code}").format(code=f"{code:04X}")
