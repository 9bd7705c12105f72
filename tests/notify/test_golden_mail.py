"""The example list's notices, compared as a whole tree with reviewed golden files.

Golden files hold each mail decoded (headers, text part, HTML part) so that a change reads as a
diff; `pytest --update-golden` rewrites them. The raw .eml bytes must be reproducible.
"""

from __future__ import annotations

from email import message_from_bytes, policy
from email.header import decode_header, make_header
from email.message import EmailMessage
from pathlib import Path

import pytest

from publisher.mailout import MailoutConfig, send_notices
from publisher.notify.outbox import OutboxTransport
from publisher.reporter import NullReporter
from tests.notify.conftest import RELEASE, REPO, fixed_clock

GOLDEN = REPO / "tests" / "golden" / "mail"
HEADERS = ("From", "To", "Reply-To", "Subject", "Date", "Message-ID", "Content-Type")


def write_outbox(folder: Path) -> Path:
    config = MailoutConfig(
        REPO / "content",
        REPO / "templates",
        RELEASE,
        REPO / "examples" / "contacts.csv",
        ledger=folder / "ledger.sqlite",
        outbox=folder / "outbox",
    )
    make = lambda: OutboxTransport(config.outbox, fixed_clock)  # noqa: E731
    send_notices(config, make, NullReporter(), lambda plan: True, fixed_clock)
    return config.outbox / RELEASE


def readable(data: bytes) -> str:
    mail = message_from_bytes(data, policy=policy.default)
    assert isinstance(mail, EmailMessage)
    # Headers through the RFC 2047 decoder: the new parser puts a space between the adjacent
    # encoded words of a folded display name, which mail readers do not.
    raw = message_from_bytes(data)
    lines = [f"{h}: {make_header(decode_header(raw[h]))}" for h in HEADERS if raw[h] is not None]
    for part in mail.iter_parts():
        content = part.get_content().replace("\r\n", "\n").rstrip("\n")  # type: ignore[attr-defined]
        lines += ["", f"--- {part.get_content_type()} ---", content]
    return "\n".join(lines).replace("\r\n", "\n") + "\n"


def tree(folder: Path, suffix: str) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob(f"*{suffix}"))}


def test_the_example_notices_match_the_reviewed_golden_mails(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    outbox = write_outbox(tmp_path)
    built = {p.stem + ".txt": readable(p.read_bytes()) for p in sorted(outbox.glob("*.eml"))}
    if request.config.getoption("--update-golden"):
        for old in GOLDEN.glob("*.txt"):
            old.unlink()
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for name, text in built.items():
            (GOLDEN / name).write_text(text, encoding="utf-8")
    golden = tree(GOLDEN, ".txt")
    assert sorted(built) == sorted(golden), "mails differ; run pytest --update-golden and review"
    for name, text in built.items():
        assert text == golden[name], f"{name} differs from golden"


def test_the_eml_bytes_are_reproducible(tmp_path: Path) -> None:
    first = write_outbox(tmp_path / "one")
    second = write_outbox(tmp_path / "two")
    names = sorted(p.name for p in first.glob("*.eml"))
    assert len(names) == 5
    assert all((first / n).read_bytes() == (second / n).read_bytes() for n in names)
