"""The strategy as data: `content/strategy.md`, its themes and investment categories.

The body is the vision, in the PM's words; the frontmatter lists the themes (each
with a goal and how we will know it is met, and a weight a custom scoring formula
may read) and the investment categories with the share of effort each should take.
Items name their theme and category by id; the value rules live here, with the
suggestion an unknown id gets (:func:`unknown_id`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BeforeValidator, Field
from pydantic import StringConstraints as Str
from pydantic_core import PydanticCustomError

from .frontmatter import StrictModel, Text, Title, Visibility

_PERCENT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%\s*$")
Slug = Annotated[str, Str(strict=True, pattern=r"^[a-z0-9][a-z0-9-]{0,59}$")]


def _share(value: Any) -> float:
    if isinstance(value, str) and (match := _PERCENT.match(value)):
        value = float(match.group(1)) / 100
    elif isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError(
            "share_format", 'a share is a percentage like "40%" (or a number from 0 to 1)'
        )
    if not 0 <= value <= 1:
        raise PydanticCustomError(
            "share_range", 'a share lies between 0% and 100%: write "40%" or 0.4'
        )
    return float(value)


Share = Annotated[
    float,
    BeforeValidator(_share, json_schema_input_type=float | Annotated[str, Str(pattern=r"%\s*$")]),
]
Weight = Annotated[float, Field(strict=True, allow_inf_nan=False, gt=0, le=100)]


class Theme(StrictModel):
    """A strategic theme: an outcome we invest in, with how we will know it is met."""

    id: Slug
    """What items write in `theme:`: lowercase letters, digits and `-`."""
    title: Title
    """Name as shown."""
    goal: Text
    """The outcome we want, in a sentence."""
    measure: Text | None = None
    """How we will know the goal is met (a metric and its target)."""
    weight: Weight = 1.0
    """How much the theme counts now: `theme_weight` in a custom scoring formula."""
    visibility: Visibility | None = None
    """`internal` keeps a theme off the public site even when the strategy is public."""


class Category(StrictModel):
    """An investment category, with the share of effort it should take."""

    id: Slug
    """What items write in `category:`."""
    title: Title | None = None
    """Name as shown (the id, capitalised, when absent)."""
    target: Share | None = None
    """Share of planned effort it should take: "50%" or 0.5."""
    description: Text | None = None
    """What belongs in it."""

    @property
    def label(self) -> str:
        return self.title or self.id.capitalize()


#: The categories when the strategy declares none: shares are shown, not judged.
DEFAULT_CATEGORIES: tuple[Category, ...] = (
    Category(id="innovation", description="New capabilities for customers."),
    Category(id="maintenance", description="Keeping what exists working: upgrades, debt, scale."),
    Category(id="quality", description="Reliability, performance, security and polish."),
)


class StrategyMeta(StrictModel):
    """Frontmatter of `content/strategy.md`. The body is the vision."""

    title: Title = "Strategy"
    """Heading of the strategy page."""
    visibility: Visibility = "internal"
    """`public`: the vision and the themes not marked internal appear on the public site
    (never effort, capacity or the balance)."""
    themes: tuple[Theme, ...] = ()
    """The strategic themes, in the order shown."""
    categories: tuple[Category, ...] = DEFAULT_CATEGORIES
    """Investment categories with their target shares (innovation, maintenance and quality
    without targets when absent)."""

    def theme(self, theme_id: str) -> Theme | None:
        return next((t for t in self.themes if t.id == theme_id), None)

    def shows(self, theme: Theme, public_only: bool) -> bool:
        """Whether an audience showing only public files sees `theme`."""
        if not public_only:
            return True
        return self.visibility == "public" and (theme.visibility or "public") == "public"

    @property
    def targets(self) -> dict[str, float]:
        """Target share by category id, for the categories that state one."""
        return {c.id: c.target for c in self.categories if c.target is not None}

    def problems(self) -> list[tuple[tuple[str | int, ...], str, str]]:
        """(loc, code, message) of the rules across themes and categories."""
        found: list[tuple[tuple[str | int, ...], str, str]] = []
        for name, ids in (("themes", [t.id for t in self.themes]),
                          ("categories", [c.id for c in self.categories])):  # fmt: skip
            seen: set[str] = set()
            for n, entry_id in enumerate(ids):
                if entry_id in seen:
                    found.append(((name, n, "id"), "E213", f"`{name}[{n}].id`: `{entry_id}` "
                                  f"is declared twice: give each an id of its own"))  # fmt: skip
                seen.add(entry_id)
        stated = [c.target for c in self.categories if c.target is not None]
        if stated and len(stated) != len(self.categories):
            missing = next(n for n, c in enumerate(self.categories) if c.target is None)
            found.append((("categories", missing), "E214", "state a `target` for every "
                          "category or for none (the shares are judged together)"))  # fmt: skip
        elif stated and abs(sum(stated) - 1) > 0.005:
            total = round(sum(stated) * 100, 1)
            found.append((("categories",), "E214", f"category targets add up to {total:g}%, "
                          "not 100%"))  # fmt: skip
        return found


def categories_of(strategy: StrategyMeta | None) -> tuple[Category, ...]:
    """The categories items may name."""
    return strategy.categories if strategy is not None else DEFAULT_CATEGORIES


def unknown_id(value: str, known: Mapping[str, str], noun: str, where: str) -> str:
    """The message for an id that names no theme or category (`known`: titles by id), with
    the likeliest one: the id of a title written instead, else the closest id."""
    by_title = {title.casefold(): i for i, title in known.items()}
    hint = by_title.get(value.casefold()) or next(
        iter(difflib.get_close_matches(value.casefold(), list(known), n=1)), None
    )
    advice = f" (did you mean `{hint}`?)" if hint else ""
    listed = ", ".join(known) if known else "none"
    return f"unknown {noun} `{value}`{advice}; {where}: {listed}"
