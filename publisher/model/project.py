"""publisher.yaml: the project file, for what would otherwise be repeated on every command line.

It is found from the working folder upward, as mkdocs.yml is; its paths are relative to the folder
it lies in, and an option given on the command line wins over it.
"""

from __future__ import annotations

from typing import Literal

from msgspec import field

from publisher.model.schema import Regime, Strict, Text

PROJECT_FILE = "publisher.yaml"


class Project(Strict, frozen=True, kw_only=True):
    """publisher.yaml: where a project's folders are, and how it sends by default."""

    content: Text = "content"
    templates: Text = "templates"
    out: Text = "site"
    cache: Text | None = None
    ledger: Text | None = None
    outbox: Text = "outbox"
    transport: Literal["outbox", "sendgrid"] = "outbox"
    regimes: list[Regime] = field(default_factory=list)
