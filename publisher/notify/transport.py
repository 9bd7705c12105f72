"""What a transport is, and how a delivery can end other than in acceptance.

NotifyError
├── Refused          the service said no, or kept failing: nothing was delivered → failed
└── OutcomeUnknown   the request went out but no answer came back: maybe delivered → unknown
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

    def send(self, notice: Notice, batch: int, recipients: Sequence[Queued]) -> str | None:
        """Deliver `recipients` their copy of `notice`; return the service's message id."""
