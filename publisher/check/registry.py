"""Every rule of `publisher check`, by id: the one list `--explain` and the runner read."""

from __future__ import annotations

import difflib

from publisher.check.rule import Rule
from publisher.check.rules import (
    appi,
    ca,
    characters,
    disclosure,
    gdpr,
    history,
    language,
    lures,
    notice_content,
    numbers,
    rendering,
    safety,
    series,
    translation,
)
from publisher.messages import _

SCHEMA = Rule(
    id="schema",
    severity="error",
    summary=(
        "Every YAML file parses and matches the typed models: no unknown keys (with a "
        "suggestion), no duplicate keys, no anchors or aliases, no values YAML converted "
        "silently (an unquoted no read as false, 1.10 read as 1.1, a bare date where text "
        "is meant), no impossible dates, files in UTF-8."
    ),
    source="publisher/model/schema.py and publisher/load/yamlfile.py (shared with the build)",
)

RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        SCHEMA,
        *series.RULES,
        *rendering.RULES,
        *disclosure.RULES,
        *appi.RULES,
        *gdpr.RULES,
        *ca.RULES,
        *notice_content.RULES,
        *safety.RULES,
        *lures.RULES,
        *characters.RULES,
        *language.RULES,
        *translation.RULES,
        *numbers.RULES,
        *history.RULES,
    )
}


def unknown_rule(name: str) -> str:
    """What to say of a rule id that is not one: the ids it is nearest (misspelt, in capitals
    or with underscores, or a part of the id), else every id."""
    ids = list(RULES)
    written = "-".join(name.lower().replace("_", " ").split())
    near = [written] if written in RULES else [i for i in ids if written and written in i]
    if not near:
        near = difflib.get_close_matches(written, ids, n=3, cutoff=0.6)
    if near:
        meant = _(" or ").join(map(repr, near[:5]))
        return _("no rule {rule}; did you mean {rules}?").format(rule=repr(name), rules=meant)
    return _("no rule {rule}; rules: {rules}").format(rule=repr(name), rules=", ".join(ids))
