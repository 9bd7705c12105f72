"""What a transport is, and how a delivery can end other than in acceptance.

NotifyError
├── Refused          nothing was delivered (the request never went out, or was refused,
│                    or the service kept failing) → failed, tried again on the next run
└── OutcomeUnknown   the request went out but no answer says what became of it: maybe
                     delivered → unknown, not sent again unless --resend-unknown
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from publisher.errors import NotifyError
from publisher.notify.ledger import Queued
from publisher.notify.message import Notice


class Refused(NotifyError):
    """The batch was certainly not accepted; its recipients can be tried again later."""


class OutcomeUnknown(NotifyError):
    """The batch may have been accepted; it is not sent again unless asked."""


class Transport(Protocol):
    """Delivers one batch of a notice, all or nothing."""

    name: str
    repeatable: bool
    """Whether delivering a batch twice still leaves each person one copy (the outbox's files),
    so that a batch whose outcome is unknown can simply be delivered again."""

    def send(self, notice: Notice, batch: int, recipients: Sequence[Queued]) -> str | None:
        """Deliver `recipients` their copy of `notice`; return the service's message id."""
