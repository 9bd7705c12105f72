"""Now, injected where it matters: what is due for publication, and the dates mails carry.

Publication follows the real time (or an explicit --as-of): SOURCE_DATE_EPOCH, which build
environments set to fixed and often old values, must not decide what goes public. Mails take
their Date from it when set, so outboxes are reproducible.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def wall_clock() -> datetime:
    """Now, in UTC: what decides which releases are due."""
    return datetime.now(UTC)


def system_clock() -> datetime:
    """Now, in UTC; SOURCE_DATE_EPOCH (seconds since 1970) overrides it when set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC)
