"""Who the customers are: account files and the target customer profile, as data.

`content/accounts/<id>.md` holds one account (name, ARR, stage, owner, renewal,
aliases, and the attributes `roadmap.toml` declares under `[accounts.attributes]`);
`content/profile.md` holds the target customer profile: criteria on those
attributes, and free text on what makes a good and a bad fit. The value rules
live here too: which criteria fit which attribute, and how an account is measured
against the profile (:func:`fit`).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ConfigDict, Field, StrictBool, model_validator
from pydantic_core import PydanticCustomError

from ..config import FieldSpec
from ..formatting import fmt
from .frontmatter import STAGES, Date, Money, Stage, StrictModel, Text, Title, Visibility


def _internal(value: Any) -> Any:
    if value != "internal":
        raise PydanticCustomError(
            "account_visibility",
            "account files are never published: `visibility` can only be internal "
            "(the public site shows no account)",
        )
    return value


class AccountMeta(StrictModel):
    """Frontmatter of `content/accounts/<id>.md`. The body is free notes (internal).

    Keys other than these fields are the account's attributes, each declared in
    roadmap.toml under `[accounts.attributes.<name>]` with its type.
    """

    model_config = ConfigDict(extra="allow")

    name: Text
    """Account (company) name as shown; requests naming it inline resolve to this file."""
    arr: Money | None = None
    """Annual recurring revenue, in the site currency: the one figure every request uses."""
    stage: Stage | None = None
    """prospect, customer or churn-risk."""
    strategic: StrictBool = False
    """A strategic account: its asks can move the roadmap."""
    owner: Text | None = None
    """Account manager: who handles the push-back when the roadmap says no."""
    renewal: Date | None = None
    """Next renewal date."""
    aliases: tuple[Text, ...] = ()
    """Other spellings requests use for it (matched case-insensitively)."""
    visibility: Annotated[Literal["internal"], BeforeValidator(_internal)] = "internal"
    """Always internal: account files never appear on the public site."""
    tags: tuple[Text, ...] = ()
    """Free labels."""

    @property
    def attributes(self) -> dict[str, Any]:
        """Every attribute a profile criterion may read: the built-in ones and the declared."""
        return {
            "arr": self.arr,
            "stage": self.stage,
            "strategic": self.strategic,
            **(self.model_extra or {}),
        }


#: Attributes every account has, with their types; roadmap.toml declares the others.
BUILT_IN_ATTRIBUTES: dict[str, FieldSpec] = {
    "arr": FieldSpec(type="number", description="Annual recurring revenue."),
    "stage": FieldSpec(type="choice", values=list(STAGES), description="Account stage."),
    "strategic": FieldSpec(type="boolean", description="A strategic account."),
}

Scalar = str | bool | int | float


class Criterion(StrictModel):
    """One criterion of the target customer profile, on one account attribute."""

    attribute: Text
    """`arr`, `stage`, `strategic`, or an attribute declared in roadmap.toml."""
    one_of: list[Scalar] | None = Field(None, min_length=1)
    """The attribute must be one of these values."""
    none_of: list[Scalar] | None = Field(None, min_length=1)
    """The attribute must be none of these values."""
    at_least: Annotated[float, Field(strict=True, allow_inf_nan=False)] | None = None
    """A number attribute must be at least this."""
    at_most: Annotated[float, Field(strict=True, allow_inf_nan=False)] | None = None
    """A number attribute must be at most this."""
    equals: Scalar | None = None
    """The attribute must be exactly this (`strategic: true`)."""
    why: Text | None = None
    """Why it matters, in a sentence (shown on the profile page)."""

    @model_validator(mode="after")
    def _some_test(self) -> Criterion:
        tests = (self.one_of, self.none_of, self.at_least, self.at_most, self.equals)
        if all(t is None for t in tests):
            raise PydanticCustomError(
                "criterion_empty",
                "a criterion needs a test: one_of, none_of, at_least, at_most or equals",
            )
        return self

    def describe(self) -> str:
        """The criterion in words: `segment is mid-market or enterprise`, `seats at least 200`."""
        parts = []
        if self.one_of is not None:
            parts.append("is " + _either(self.one_of, "or"))
        if self.none_of is not None:
            parts.append("is not " + _either(self.none_of, "or"))
        if self.equals is not None:
            parts.append("is " + _shown(self.equals))
        if self.at_least is not None:
            parts.append(f"at least {fmt(self.at_least)}")
        if self.at_most is not None:
            parts.append(f"at most {fmt(self.at_most)}")
        return f"{self.attribute} {' and '.join(parts)}"

    def meets(self, value: Any) -> bool | None:
        """Whether an account's `value` meets this criterion; None when it is not stated."""
        if value is None:
            return None
        if self.one_of is not None and not any(_same(value, v) for v in self.one_of):
            return False
        if self.none_of is not None and any(_same(value, v) for v in self.none_of):
            return False
        if self.equals is not None and not _same(value, self.equals):
            return False
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if self.at_least is not None and not (number and value >= self.at_least):
            return False
        return not (self.at_most is not None and not (number and value <= self.at_most))

    def problems(self, specs: Mapping[str, FieldSpec]) -> list[tuple[tuple[str, ...], str, str]]:
        """(loc, code, message) of each way this criterion does not fit its attribute."""
        spec = specs.get(self.attribute)
        if spec is None:
            hint = difflib.get_close_matches(self.attribute, list(specs), n=1)
            advice = (
                f" (did you mean `{hint[0]}`?)"
                if hint
                else "; declare it in roadmap.toml as "
                f"[accounts.attributes.{self.attribute}] with its type"
            )
            known = ", ".join(sorted(specs))
            return [(("attribute",), "E210", f"unknown account attribute "
                     f"`{self.attribute}`{advice}; known: {known}")]  # fmt: skip
        found: list[tuple[tuple[str, ...], str, str]] = []
        ranged = spec.type == "number"
        for name in ("at_least", "at_most"):
            if getattr(self, name) is not None and not ranged:
                message = f"`{name}` compares numbers, but `{self.attribute}` is a {spec.type}"
                found.append(((name,), "E211", f"{message}: use one_of or equals"))
        listed = [("one_of", v) for v in self.one_of or ()] + [
            ("none_of", v) for v in self.none_of or ()
        ]
        if self.equals is not None:
            listed.append(("equals", self.equals))
        for name, value in listed:
            if (problem := spec.check(value)) is not None:
                found.append(((name,), "E211", f"`{name}` value {_shown(value)} does not fit "
                              f"`{self.attribute}`: {problem}"))  # fmt: skip
        return found


def _same(value: Any, expected: Scalar) -> bool:
    if isinstance(value, str) and isinstance(expected, str):
        return value.casefold() == expected.casefold()
    if isinstance(value, bool) or isinstance(expected, bool):
        return value is expected
    return bool(value == expected)


def _shown(value: Scalar) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return fmt(value) if isinstance(value, int | float) else value


def _either(values: list[Scalar], word: str) -> str:
    shown = [_shown(v) for v in values]
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} {word} {shown[-1]}"


class ProfileMeta(StrictModel):
    """Frontmatter of `content/profile.md`, the target customer profile.

    The body is free text: what makes a good fit and a bad one, in the PM's words.
    """

    title: Title = "Who we build for"
    """Heading of the profile page."""
    visibility: Visibility = "internal"
    """`public`: the free text (never the criteria or any account) may appear on the
    public site."""
    criteria: tuple[Criterion, ...] = ()
    """What an account must be to be in the profile: every criterion must be met."""


@dataclass(frozen=True, slots=True)
class Fit:
    """How an account measures against the target customer profile."""

    met: tuple[str, ...]
    """The criteria it meets, in words."""
    missed: tuple[str, ...]
    """The criteria it misses."""
    unknown: tuple[str, ...]
    """The criteria it cannot be measured on: the attribute is not stated."""

    @property
    def verdict(self) -> Literal["in", "out", "unknown"]:
        """`in` the profile (meets every criterion), `out` (misses one) or `unknown`."""
        if self.missed:
            return "out"
        return "unknown" if self.unknown else "in"


def outside(verdicts: Iterable[str]) -> bool:
    """Whether accounts with these fit verdicts put their request outside the profile: one
    is out and none is in."""
    found = set(verdicts)
    return "out" in found and "in" not in found


def fit(profile: ProfileMeta, attributes: Mapping[str, Any]) -> Fit:
    """How an account with these `attributes` measures against `profile`."""
    met: list[str] = []
    missed: list[str] = []
    unknown: list[str] = []
    for criterion in profile.criteria:
        outcome = criterion.meets(attributes.get(criterion.attribute))
        bucket = unknown if outcome is None else met if outcome else missed
        bucket.append(criterion.describe())
    return Fit(tuple(met), tuple(missed), tuple(unknown))


def attribute_specs(declared: Mapping[str, FieldSpec]) -> dict[str, FieldSpec]:
    """Every attribute a criterion may name: the built-in ones, then the declared."""
    return {**BUILT_IN_ATTRIBUTES, **declared}
