"""The Jinja environments: one for pages (autoescaped HTML), one for content prose (Markdown).

Both use StrictUndefined, so a missing field stops the build instead of printing an empty string
into a public apology. Wording lives in templates and in `templates/strings/<lang>.yaml`; the
filters here only arrange numbers the way a language's strings say.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

Strings = Mapping[str, Any]


def page_environment(layers: Sequence[Path], default: Path) -> jinja2.Environment:
    """The environment for the templates in `layers` (the first that has a name wins; `default:`
    names the `default` theme's own): autoescaped, strict."""
    own = jinja2.PrefixLoader({"default": jinja2.FileSystemLoader(default)}, delimiter=":")
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(list(layers)), own]),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": True}
    _add_filters(env)
    return env


def prose_environment() -> jinja2.Environment:
    """The sandboxed environment for Markdown written in content files.

    It is not autoescaped because its output is Markdown, which is rendered with raw HTML
    disabled afterwards: escaping happens once, in the Markdown renderer.
    """
    env = ImmutableSandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False)
    _add_filters(env)
    return env


def _add_filters(env: jinja2.Environment) -> None:
    env.filters["date_long"] = date_long
    env.filters["date_short"] = date_short
    env.filters["bullets"] = bullets
    env.filters["fact_text"] = fact_text


@jinja2.pass_context
def date_long(context: jinja2.runtime.Context, day: date) -> str:
    """`2020年11月14日` (or the language's long form), from the strings in the context."""
    return _format_date(context["strings"], "date_long", day)


@jinja2.pass_context
def date_short(context: jinja2.runtime.Context, day: date) -> str:
    """`7月29日` (or the language's short form, without the year)."""
    return _format_date(context["strings"], "date_short", day)


def _format_date(strings: Strings, key: str, day: date) -> str:
    months = strings.get("month_names") or []
    month_name = months[day.month - 1] if len(months) == 12 else str(day.month)
    return str(strings[key]).format(
        year=day.year, month=day.month, day=day.day, month_name=month_name
    )


def bullets(items: list[str]) -> str:
    """A Markdown bullet list of `items`, for use inside content prose."""
    return "\n".join(f"- {item}" for item in items) + "\n"


@jinja2.pass_context
def fact_text(context: jinja2.runtime.Context, value: object) -> str:
    """A fact's value as text: a list joined with the language's list separator."""
    if isinstance(value, list):
        return str(context["strings"].get("list_separator", ", ")).join(str(v) for v in value)
    return str(value)
