"""publisher.yaml: the project file, for what would otherwise be repeated on every command line.

It is found from the working folder upward, as mkdocs.yml is; its paths are relative to the folder
it lies in, and an option given on the command line wins over it.
"""

from __future__ import annotations

from typing import Annotated, Literal

from msgspec import Meta, field

from publisher.model.schema import Regime, Strict, Text

PROJECT_FILE = "publisher.yaml"


class Project(Strict, frozen=True, kw_only=True):
    """publisher.yaml: where a project's folders are, and how it sends by default."""

    content: Annotated[
        Text, Meta(description="The folder of the content: site.yaml and incidents/.")
    ] = "content"
    templates: Annotated[
        Text,
        Meta(description="The folder of the project's own templates, over the default theme's."),
    ] = "templates"
    out: Annotated[
        Text, Meta(description="The folder `publisher build` writes the site into, as a whole.")
    ] = "site"
    cache: Annotated[
        Text | None,
        Meta(
            description="The folder of rendered PDFs and build stamps; default: "
            "`.publisher-cache` in the content folder."
        ),
    ] = None
    ledger: Annotated[
        Text | None,
        Meta(
            description="The SQLite record of who was told; default: `notify.ledger.sqlite` "
            "beside the content folder."
        ),
    ] = None
    outbox: Annotated[
        Text, Meta(description="The folder the `outbox` transport writes its .eml files into.")
    ] = "outbox"
    transport: Annotated[
        Literal["outbox", "sendgrid", "smtp"],
        Meta(
            description="How notice mails go: `outbox` writes files, `sendgrid` sends them "
            "with SENDGRID_API_KEY, `smtp` through PUBLISHER_SMTP_HOST."
        ),
    ] = "outbox"
    regimes: Annotated[
        list[Regime],
        Meta(description="Laws whose rules `publisher check` applies, besides site.yaml's."),
    ] = field(default_factory=list)
