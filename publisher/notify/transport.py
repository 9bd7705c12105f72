"""What a transport is, and how a delivery can end other than in acceptance.

NotifyError
├── Refused              nothing was delivered (the request never went out, or was refused,
│   │                    or the service kept failing) → failed, tried again on the next run;
│   │                    the mailout stops
│   └── RecipientRefused this batch's one recipient was refused or deferred (an SMTP server's
│                        4xx or 5xx for them) → failed, tried again on the next run; the
│                        mailout goes on with the others
└── OutcomeUnknown       the request went out but no answer says what became of it: maybe
                         delivered → unknown, not sent again unless --resend-unknown

A transport may also have `max_batch` (the most recipients one batch may hold: 1 for a transport
that learns each recipient's outcome apart, since the ledger records one outcome per batch) and
`close()` (called once the mailout is done with it); `batch_limit` and `close` read them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from publisher.notify.ledger import Queued
from publisher.notify.message import Notice


class Transport(Protocol):
    """Delivers one batch of a notice, all or nothing."""

    name: str
    repeatable: bool
    """Whether delivering a batch twice still leaves each person one copy (the outbox's files),
    so that a batch whose outcome is unknown can simply be delivered again."""

    def send(self, notice: Notice, batch: int, recipients: Sequence[Queued]) -> str | None:
        """Deliver `recipients` their copy of `notice`; return the service's message id."""


def batch_limit(transport: Transport, wanted: int) -> int:
    """The batch size to use with `transport`: `wanted`, or less if the transport says so."""
    limit = getattr(transport, "max_batch", None)
    return min(wanted, limit) if isinstance(limit, int) and limit > 0 else wanted


def close(transport: Transport) -> None:
    """Let `transport` end what it holds open (an SMTP connection), if it holds anything."""
    closing = getattr(transport, "close", None)
    if callable(closing):
        closing()


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to wait before trying a delivery again."""

    attempts: int = 6
    base: float = 1.0
    longest: float = 60.0

    def backoff(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number `attempt` (1-based)."""
        return min(self.longest, self.base * 2.0 ** (attempt - 1))
