"""How numbers, money and names are written for people and URLs: one way everywhere."""

from __future__ import annotations

import functools
import math
import re
import unicodedata


# A pure function called for every figure of every view (about ten per request), on a
# handful of distinct values: remembering them saves more than formatting costs.
@functools.lru_cache(maxsize=8192)
def fmt(number: float) -> str:
    """Numbers as people read them: `220`, `0.8`, `1,400`, `12.35`."""
    if not math.isfinite(number):
        return "n/a"  # never reached by validated input; a page must still render
    if abs(number - round(number)) < 1e-9:
        return f"{round(number):,}"
    return f"{number:,.2f}".rstrip("0").rstrip(".")


def money(value: float | None, currency: str, none: str = "") -> str:
    """`410,000 USD`; `none` when there is no amount (None or 0)."""
    return f"{fmt(value)} {currency}" if value else none


def plain(value: object, none: str = "") -> str:
    """A field's value for people: numbers by `fmt`, `yes`/`no` for booleans, `none` for None."""
    if value is None:
        return none
    if isinstance(value, bool):
        return "yes" if value else "no"
    return fmt(value) if isinstance(value, int | float) else str(value)


def slugify(text: str, fallback: str, length: int = 60) -> str:
    """ASCII, lowercase, hyphenated, at most `length` long; `fallback` when nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:length].strip("-")
    return slug or fallback
