"""What time it is for a build: now, or `SOURCE_DATE_EPOCH` for reproducible builds.

Kept apart from the settings so that the command line can check the variable before
it imports anything slow.
"""

from __future__ import annotations

import datetime as dt
import os


def now() -> dt.datetime:
    """The current time in UTC, or `SOURCE_DATE_EPOCH` when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch and source_date_epoch_problem() is None:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime.now(tz=dt.UTC)


#: 9999-12-31T23:59:59Z: the last second a date can show.
_LAST_EPOCH = 253_402_300_799


def source_date_epoch_problem() -> str | None:
    """Why `SOURCE_DATE_EPOCH` cannot be used, or None when it is unset or valid."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None or epoch == "":
        return None
    if not (epoch.isascii() and epoch.isdigit()) or int(epoch[:20]) > _LAST_EPOCH:
        return (
            f"SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01 UTC, from 0 to "
            f"{_LAST_EPOCH} (9999-12-31), got {epoch[:40]!r}"
        )
    return None


def today() -> dt.date:
    """Today's date (UTC), or the day of `SOURCE_DATE_EPOCH`."""
    return now().date()
