"""Content prose: Jinja expressions over the release's view, then Markdown, then link resolution.

A link written `[7月29日リリース](release:2020-07-29)` becomes a relative link to that release's
page; a link to a release that does not exist, or is dated after the page, stops the build.
"""

from __future__ import annotations

import functools
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import jinja2
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

from publisher.errors import Problem
from publisher.model.view import ViewError

LinkResolver = Callable[[str], str]

_MARKDOWN = MarkdownIt("commonmark", {"breaks": True, "html": False})


@dataclass(frozen=True)
class ProseSource:
    """A piece of prose and where it was written, so errors can point into the content file."""

    text: str
    path: str
    line: int
    field: str


class ProseError(Exception):
    """A piece of prose could not be rendered; carries the located problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def render_prose(
    source: ProseSource,
    env: jinja2.Environment,
    context: Mapping[str, Any],
    resolve: LinkResolver,
) -> Markup:
    """Render `source` to HTML, raising ProseError located in the content file."""
    try:
        markdown = _expand(env, source.text, context)
        tokens = _MARKDOWN.parse(markdown)
        _resolve_links(tokens, resolve)
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
    html = _MARKDOWN.renderer.render(tokens, _MARKDOWN.options, {})
    return Markup(html)


def markdown_html(text: str) -> str:
    """`text` as the prose renderer turns Markdown into HTML (no Jinja, no link resolution)."""
    return str(_MARKDOWN.render(text))


def _expand(env: jinja2.Environment, text: str, context: Mapping[str, Any]) -> str:
    """Text with its Jinja expressions evaluated; plain text (the usual case) as it is."""
    if "{" not in text:
        return text
    return _compiled(env, text).render(context)


@functools.lru_cache(maxsize=4096)
def _compiled(env: jinja2.Environment, text: str) -> jinja2.Template:
    return env.from_string(text)


def _resolve_links(tokens: list[Token], resolve: LinkResolver) -> None:
    for token in tokens:
        if token.type == "link_open":
            token.attrSet("href", resolve(str(token.attrGet("href") or "")))
        if token.children:
            _resolve_links(token.children, resolve)


def _describe(exc: Exception) -> str:
    if isinstance(exc, jinja2.UndefinedError):
        return f"{exc.message}; check the spelling, or the field is not available here"
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
