"""The Jinja environments: one for pages (autoescaped HTML), one for content prose (Markdown).

Both use StrictUndefined, so a missing field stops the build instead of printing an empty string
into a public apology. Wording lives in templates and in `templates/strings/<lang>.yaml`; the
filters here write dates and numbers in the CLDR formats a language's strings name
(publisher.render.formats). In prose, `{{ facts.count }}` prints grouped (1,240) and a date in the
language's long form.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from publisher.messages import _
from publisher.model.schema import DateRange
from publisher.render.formats import format_day, format_number, format_range
from publisher.render.phrases import phrase_html

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
    env.filters["phrases"] = phrases  # HTML: not for prose, whose Markdown would escape it
    return env


def prose_environment() -> jinja2.Environment:
    """The sandboxed environment for Markdown written in content files.

    It is not autoescaped because its output is Markdown, which is rendered with raw HTML
    disabled afterwards: escaping happens once, in the Markdown renderer.
    """
    env = ImmutableSandboxedEnvironment(
        undefined=jinja2.StrictUndefined, autoescape=False, finalize=_finalize
    )
    _add_filters(env)
    return env


def _add_filters(env: jinja2.Environment) -> None:
    env.filters["date_long"] = date_long
    env.filters["date_short"] = date_short
    env.filters["date_weekday"] = date_weekday
    env.filters["date"] = date_as
    env.filters["date_range"] = date_range
    env.filters["number"] = number
    env.filters["bullets"] = bullets
    env.filters["fact_text"] = fact_text


@jinja2.pass_context
def date_long(context: jinja2.runtime.Context, day: date) -> str:
    """`2020年11月14日` (or the language's long form), from the strings in the context."""
    return format_day(context["strings"], "long", day)


@jinja2.pass_context
def date_short(context: jinja2.runtime.Context, day: date) -> str:
    """`7月29日` (or the language's short form, without the year)."""
    return format_day(context["strings"], "short", day)


@jinja2.pass_context
def date_weekday(context: jinja2.runtime.Context, day: date) -> str:
    """`2022年3月8日(火)` (or the language's long form with the weekday)."""
    return format_day(context["strings"], "weekday", day)


@jinja2.pass_context
def date_as(context: jinja2.runtime.Context, day: date, name: str = "long") -> str:
    """`day` in the strings' date format `name` (`{{ d | date("short_weekday") }}`)."""
    return format_day(context["strings"], name, day)


@jinja2.pass_context
def date_range(
    context: jinja2.runtime.Context,
    start: date | DateRange,
    end: date | None = None,
    name: str = "range",
) -> str:
    """The days from `start` to `end` (or a range fact's) as one range: `2022年3月1日～8日`,
    `Mar 1 – 8, 2022`."""
    first, last = (start.start, start.end) if isinstance(start, DateRange) else (start, end)
    if last is None:
        raise ValueError(_("date_range: give the last day (start | date_range(end))"))
    return format_range(context["strings"], name, first, last)


@jinja2.pass_context
def number(context: jinja2.runtime.Context, value: int | float) -> str:
    """`value` grouped as the language writes numbers (1,240)."""
    return format_number(context["strings"], value)


@jinja2.pass_context
def phrases(context: jinja2.runtime.Context, text: str) -> Markup:
    """A title or heading whose lines break only between phrases, in the strings' language."""
    return phrase_html(str(text), str(context["strings"].get("locale", "")))


def bullets(items: list[str]) -> str:
    """A Markdown bullet list of `items`, for use inside content prose."""
    return "\n".join(f"- {item}" for item in items) + "\n"


@jinja2.pass_context
def fact_text(context: jinja2.runtime.Context, value: object) -> str:
    """A fact's value as text: a list joined with the language's list separator, a number
    grouped, a date in the long form."""
    strings = context["strings"]
    if isinstance(value, list):
        return str(strings.get("list_separator", ", ")).join(str(v) for v in value)
    return str(shown(strings, value))


@jinja2.pass_context
def _finalize(context: jinja2.runtime.Context, value: object) -> object:
    """What `{{ ... }}` prints in prose: numbers grouped and dates written as the language does."""
    return shown(context["strings"], value)


def shown(strings: Strings, value: object) -> object:
    """`value` as prose prints it: an int grouped, a date in the long form, a DateRange as a
    range; others as they are."""
    if isinstance(value, int) and not isinstance(value, bool):
        return format_number(strings, value)
    if isinstance(value, date):
        return format_day(strings, "long", value)
    if isinstance(value, DateRange):
        return format_range(strings, "range", value.start, value.end)
    return value
