"""The build's notion of now, injected: SOURCE_DATE_EPOCH when set, so builds are reproducible."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """Now, in UTC; SOURCE_DATE_EPOCH (seconds since 1970) overrides it when set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC)
