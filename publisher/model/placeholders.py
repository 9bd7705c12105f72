"""Placeholders: text that promises information instead of giving it (TBD, Coming soon, 未定).

One declared list (publisher/model/placeholders.yaml) for every rule that asks for real words:
the California headings' bodies, the reasons for a late report, and a correction's what and why
in the publication record (the model's, so that the model and the check rules share it).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from publisher.files import packaged_yaml


@functools.cache
def placeholders() -> tuple[str, ...]:
    """The declared placeholders, English then Japanese, as the list writes them."""
    raw = packaged_yaml(Path(__file__).with_name("placeholders.yaml"))
    return tuple(str(word) for language in ("en", "ja") for word in raw[language])


def words(text: str | None) -> str:
    """`text` as placeholders are compared: in lower case, punctuation and spaces one space."""
    return re.sub(r"[\s\W_]+", " ", (text or "").casefold()).strip()


@functools.cache
def _marks() -> frozenset[str]:
    return frozenset(words(word) for word in placeholders())


def placeholder(text: str | None) -> bool:
    """Whether `text` is empty or only a placeholder ("TBD", "[未定]", "Coming soon.")."""
    said = words(text)
    return not said or said in _marks()
