"""A report as JSON (the form's fields in its order, to copy one by one) and as HTML."""

from __future__ import annotations

import json
from typing import Any

from publisher.render.pages import render_page
from publisher.render.theme import Theme
from publisher.report.form import Field, Report
from publisher.report.items import fact_data, fact_value
from publisher.report.words import Words

TEMPLATE = "report/report.html"
STYLESHEET = "report/report.css"


def report_data(report: Report) -> dict[str, Any]:
    """The report as JSON data: the form, then its fields in the form's order."""
    return {
        "form": {"title": report.form.title, "url": report.form.url},
        "title": report.title,
        "regime": report.regime,
        "stage": report.stage or None,
        "incident": report.incident,
        "organization": report.organization,
        "as_of": report.as_of.isoformat(),
        "fields": [_field(f) for f in report.fields],
        "facts": {f.name: fact_data(f) for f in report.facts},
        "left_to_fill": list(report.left_to_fill),
        **report.extra,
        "sources": [{"title": s.title, "url": s.url} for s in report.cited],
    }


def _field(field: Field) -> dict[str, Any]:
    data: dict[str, Any] = {
        "key": field.key,
        "label": field.label,
        "basis": field.basis,
        "status": field.status,
        "value": field.value,
        "sources": list(field.sources),
    }
    if field.parts:
        data["parts"] = [dict(p) for p in field.parts]
    return data


def report_json(report: Report) -> bytes:
    """The report's JSON, UTF-8, keys in the order above, ending in a line break."""
    text = json.dumps(report_data(report), ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")


def report_html(theme: Theme, report: Report, name: str, words: Words) -> str:
    """The report as a standalone HTML document (its stylesheet inside), from the theme."""
    stylesheet = theme.find(STYLESHEET).read_text(encoding="utf-8")
    facts = [
        {"label": f.label, "value": fact_value(f, words), "as_of": f.as_of} for f in report.facts
    ]
    context = {"report": report, "stylesheet": stylesheet, "facts": facts}
    return render_page(theme, TEMPLATE, name, context).data.decode("utf-8")
