"""Content prose: Jinja expressions over the release's view, then Markdown, then link resolution.

A link written `[7月29日リリース](release:2020-07-29)` becomes a relative link to that release's
page; a link to a release that does not exist, or is dated after the page, stops the build.
"""

from __future__ import annotations

import functools
import re
import traceback
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import jinja2
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from publisher import memo, messages
from publisher.errors import Problem, ProseError, ViewError
from publisher.messages import N_, _

LinkResolver = Callable[[str], str]

_FOOTNOTE_LEFT = re.compile(r"\[\^([^\]\s]+)\]")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")


def _backref(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    """The link back from a footnote: an arrow every PDF font has (the plugin's ↩︎ carries an
    emoji variation selector)."""
    ident = self.rules["footnote_anchor_name"](tokens, idx, options, env)
    if tokens[idx].meta["subId"] > 0:
        ident += f":{tokens[idx].meta['subId']}"
    return f' <a href="#fnref{ident}" class="footnote-backref">↑</a>'


def _markdown() -> MarkdownIt:
    """CommonMark without raw HTML, with tables, definition lists and footnotes."""
    md = MarkdownIt("commonmark", {"breaks": True, "html": False}).enable("table")
    md.use(deflist_plugin).use(footnote_plugin)
    md.add_render_rule("footnote_anchor", _backref)
    return md


_MARKDOWN = _markdown()
_Rendered = tuple[str, tuple[tuple[str, str], ...]]
"""Markdown's HTML, with each link as written and as resolved."""


@dataclass(frozen=True)
class ProseSource:
    """A piece of prose and where it was written, so errors can point into the content file."""

    text: str
    path: str
    line: int
    field: str


def render_prose(
    source: ProseSource,
    env: jinja2.Environment,
    context: Mapping[str, Any],
    resolve: LinkResolver,
) -> Markup:
    """Render `source` to HTML, raising ProseError located in the content file."""
    try:
        markdown = _expand(env, source.text, context)
        html = _markdown_html(markdown, _doc_id(source.field), resolve)
    except jinja2.TemplateSyntaxError as exc:
        raise _error(source, exc.lineno, f"template syntax: {exc.message}") from None
    except (
        jinja2.TemplateError,
        ViewError,
        ValueError,
        ArithmeticError,
        LookupError,
        TypeError,
    ) as exc:
        raise _error(source, _template_line(exc), _describe(exc)) from None
    return Markup(html)


def _markdown_html(markdown: str, doc_id: str, resolve: LinkResolver) -> str:
    """`markdown` as HTML, its footnotes named by `doc_id`, its links resolved by `resolve`.

    The memo keeps the HTML with each link as written and as it was resolved: the HTML is the
    same while every link still resolves the same (a link that no longer resolves raises here as
    it would in rendering, the first of them first)."""
    name = memo.key("markdown", markdown, doc_id)
    kept: _Rendered | None = memo.get(name, _Rendered)
    if kept is not None and all(resolve(href) == resolved for href, resolved in kept[1]):
        return kept[0]
    page_env = {"docId": doc_id}
    tokens = _MARKDOWN.parse(markdown, page_env)
    links = tuple(_resolve_links(tokens, resolve))
    html = str(_MARKDOWN.renderer.render(tokens, _MARKDOWN.options, page_env))
    memo.put(name, (html, links), _Rendered)
    return html


def markdown_html(text: str) -> str:
    """`text` as the prose renderer turns Markdown into HTML (no Jinja, no link resolution)."""
    name = memo.key("markdown-html", text)
    html: str | None = memo.get(name, str)
    if html is None:
        html = str(_MARKDOWN.render(text))
        memo.put(name, html, str)
    return html


def unrendered(text: str) -> list[tuple[int, str]]:
    """(line index in `text`, what is wrong) for markup that would come out as plain text: rows
    of a table that is not one, a footnote reference without its note."""
    if "|" not in text and "[^" not in text:  # neither a table row nor a footnote reference
        return []
    name = memo.key("unrendered", messages.language(), text)
    found: list[tuple[int, str]] | None = memo.get(name, list[tuple[int, str]])
    if found is None:
        found = _unrendered(text)
        memo.put(name, found, list[tuple[int, str]])
    return found


def _unrendered(text: str) -> list[tuple[int, str]]:
    found = []
    tokens = _MARKDOWN.parse(text, {})
    for i, token in enumerate(tokens):
        if token.type != "paragraph_open" or token.map is None:
            continue
        lines = tokens[i + 1].content.splitlines()
        for n, line in enumerate(lines):
            if _TABLE_ROW.match(line):
                found.append((token.map[0] + n, _(_NOT_A_TABLE)))
                break
        left = {
            m[1] for t in tokens[i + 1].children or [] for m in _FOOTNOTE_LEFT.finditer(t.content)
        }
        for name in sorted(left):
            n = next((n for n, line in enumerate(lines) if f"[^{name}]" in line), 0)
            said = _("footnote [^{name}] has no note; add '[^{name}]: ...'").format(name=name)
            found.append((token.map[0] + n, said))
    return sorted(found)


_NOT_A_TABLE = N_(
    "rows of a table that is not one: it would print as text with pipes; a table needs a header "
    "row, then a delimiter row like |---|---|, and each row on its own line"
)


def _doc_id(field: str) -> str:
    """A prefix for the footnote ids of one piece of prose, unique on its page."""
    return re.sub(r"[^a-z0-9]+", "-", field.lower()).strip("-")


def _expand(env: jinja2.Environment, text: str, context: Mapping[str, Any]) -> str:
    """Text with its Jinja expressions evaluated; plain text (the usual case) as it is."""
    if "{" not in text:
        return text
    return _compiled(env, text).render(context)


@functools.lru_cache(maxsize=4096)
def _compiled(env: jinja2.Environment, text: str) -> jinja2.Template:
    return env.from_string(text)


def _resolve_links(tokens: list[Token], resolve: LinkResolver) -> Iterator[tuple[str, str]]:
    """Resolve every link of `tokens` in place, in order; yield each as written and resolved."""
    for token in tokens:
        if token.type == "link_open":
            href = str(token.attrGet("href") or "")
            resolved = resolve(href)
            token.attrSet("href", resolved)
            yield href, resolved
        if token.children:
            yield from _resolve_links(token.children, resolve)


def _describe(exc: Exception) -> str:
    if isinstance(exc, jinja2.UndefinedError):
        said = _("{error}; check the spelling, or the field is not available here")
        return said.format(error=exc.message)  # Jinja's own words, then ours
    if isinstance(exc, TypeError) and "no loader for this environment" in str(exc):
        return _(
            "prose cannot include, import or extend a template ({{% include %}}, "
            "{{% import %}}, {{% extends %}}); write the text here, or change the theme's "
            "template that shows it"
        ).format()  # a message's braces are doubled, as any message's are
    return str(exc)


def _template_line(exc: BaseException) -> int:
    """The line inside the prose where Jinja failed (1 if it cannot be told)."""
    lines = [
        f.lineno for f in traceback.extract_tb(exc.__traceback__) if f.filename == "<template>"
    ]
    return lines[-1] if lines and lines[-1] else 1


def _error(source: ProseSource, line: int | None, message: str) -> ProseError:
    at = source.line + max((line or 1) - 1, 0)
    return ProseError(Problem(source.path, at, 1, source.field, message))
