"""The frontmatter contract: typed models for requests and roadmap items.

The value rules live here, next to the fields they constrain: a validator for
each scale, date and quarter, and :meth:`rule_violations` for the rules that
span several fields. The same models produce the JSON Schema (`roadmap schema`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)
from pydantic import StringConstraints as Str
from pydantic_core import PydanticCustomError

Status = Literal["now", "next", "later", "shipped", "declined"]
Outcome = Literal["accepted", "deferred", "declined", "shipped", "reprioritized"]
Stage = Literal["prospect", "customer", "churn-risk"]
Visibility = Literal["public", "internal"]
Reason = Literal["capacity", "strategy", "fit", "demand", "technical", "compliance"]

STATUSES: tuple[str, ...] = ("now", "next", "later", "shipped", "declined")
STAGES: tuple[str, ...] = ("prospect", "customer", "churn-risk")
#: Why a decision says no or not yet, as sales read it.
REASONS: dict[str, str] = {
    "capacity": "no capacity in the quarter",
    "strategy": "outside our strategy",
    "fit": "outside our target customers",
    "demand": "not enough demand yet",
    "technical": "technical constraints",
    "compliance": "legal or compliance",
}
#: Outcomes that are a no or a not-yet: the ones a `reason` explains.
REASONED_OUTCOMES: tuple[str, ...] = ("deferred", "declined", "reprioritized")
IMPACT_SCALE: tuple[float, ...] = (0.25, 0.5, 1, 2, 3)
FIBONACCI: tuple[int, ...] = (1, 2, 3, 5, 8, 13, 20)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_PERCENT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%\s*$")


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        raise PydanticCustomError("date_format", "expected a date YYYY-MM-DD without a time")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _DATE.match(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError as exc:
            raise PydanticCustomError(
                "date_invalid",
                "invalid date '{value}': {reason}",
                {"value": value, "reason": str(exc)},
            ) from None
    raise PydanticCustomError(
        "date_format", "expected a date YYYY-MM-DD, got '{value}'", {"value": value}
    )


def _quarter(value: Any) -> str:
    if isinstance(value, str) and _QUARTER.match(value.strip()):
        return value.strip()
    raise PydanticCustomError(
        "quarter_format", "expected a quarter like 2026-Q3, got '{value}'", {"value": value}
    )


def _impact(value: float) -> float:
    if value not in IMPACT_SCALE:
        raise PydanticCustomError(
            "impact_scale", "impact is off the scale: use one of 0.25, 0.5, 1, 2 or 3"
        )
    return value


def _confidence(value: Any) -> float:
    if isinstance(value, str):
        match = _PERCENT.match(value)
        if not match:
            raise PydanticCustomError(
                "confidence_format",
                "confidence must be a number in (0, 1] or a percentage like \"80%\", got '{value}'",
                {"value": value},
            )
        value = float(match.group(1)) / 100
    elif isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError(
            "confidence_format",
            'confidence must be a number in (0, 1] or a percentage like "80%"',
        )
    if not 0 < value <= 1:
        raise PydanticCustomError(
            "confidence_range",
            "confidence must be above 0 and at most 1 (100%), got {value}",
            {"value": value},
        )
    return float(value)


def _fibonacci(value: float) -> float:
    if value not in FIBONACCI:
        raise PydanticCustomError(
            "fibonacci_scale", "use a Fibonacci value: 1, 2, 3, 5, 8, 13 or 20"
        )
    return value


Date = Annotated[dt.date, BeforeValidator(_date, json_schema_input_type=dt.date)]
Quarter = Annotated[
    str,
    BeforeValidator(_quarter, json_schema_input_type=Annotated[str, Str(pattern=_QUARTER.pattern)]),
]
Text = Annotated[str, Str(strict=True, strip_whitespace=True, min_length=1)]
Title = Annotated[str, Str(strict=True, strip_whitespace=True, min_length=1, max_length=200)]
# Upper bounds far above any real roadmap keep every sum and score a finite number
# (two ARRs of 1.7e308 once overflowed to infinity and crashed the build).
Reach = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=0, le=1e12)]
Money = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=0, le=1e15)]
Effort = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=0.01, le=1e6)]
Impact = Annotated[float, Field(strict=True), AfterValidator(_impact)]
Confidence = Annotated[
    float,
    BeforeValidator(
        _confidence,
        json_schema_input_type=float | Annotated[str, Str(pattern=r"^\s*\d+(\.\d+)?\s*%\s*$")],
    ),
]
TenScale = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=1, le=10)]
Fibonacci = Annotated[float, Field(strict=True), AfterValidator(_fibonacci)]


class StrictModel(BaseModel):
    """Base of every frontmatter model: unknown keys refused, values frozen."""

    # field docstrings become descriptions in the JSON Schema (`roadmap schema`)
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, use_attribute_docstrings=True
    )


class Rice(StrictModel):
    """RICE inputs: score = reach x impact x confidence / effort."""

    reach: Reach | None = None
    """People or accounts affected per period; items may leave it to their requests."""
    impact: Impact
    """Effect on each: 0.25 minimal, 0.5 low, 1 medium, 2 high, 3 massive."""
    confidence: Confidence
    """How sure we are of the estimates, in (0, 1]; "80%" is accepted."""
    effort: Effort
    """Person-months to build (0.01 to 1,000,000)."""


class RequestRice(Rice):
    """A request's RICE block must state its reach: there is nothing to derive it from."""

    reach: Reach


class Ice(StrictModel):
    """ICE inputs, each on a 1-10 scale: score = impact x confidence x ease."""

    impact: TenScale
    """How much it moves the goal, 1-10."""
    confidence: TenScale
    """How sure we are, 1-10."""
    ease: TenScale
    """How easy it is to build, 1-10."""


class Wsjf(StrictModel):
    """WSJF inputs, Fibonacci 1-20: (value + time criticality + risk reduction) / job size."""

    value: Fibonacci
    """Business value to users and the company."""
    time_criticality: Fibonacci
    """How fast the value decays if we wait."""
    risk_reduction: Fibonacci
    """Risk reduced or opportunity enabled."""
    job_size: Fibonacci
    """Relative size of the work."""


def _account_shorthand(value: Any) -> Any:
    """`accounts: [globex]`: a bare string names an account file by id (or name)."""
    return {"account": value} if isinstance(value, str) else value


class Account(StrictModel):
    """An account behind a request: an account file by id, or a name written inline."""

    account: Text | None = None
    """Id of `content/accounts/<id>.md` (its name or an alias is accepted too); the
    file holds the account's ARR, stage and owner."""
    name: Text | None = None
    """Account (company) name, for an account without a file; matched across requests
    case-insensitively, and to an account file by its name or aliases."""
    arr: Money | None = None
    """Annual recurring revenue, in the site currency (with `name` only)."""
    stage: Stage | None = None
    """prospect, customer or churn-risk (with `name` only)."""
    note: Text | None = None
    """What this account in particular needs, or said (shown on its page)."""

    @model_validator(mode="after")
    def _one_way(self) -> Account:
        # neither `account` nor `name` is RequestMeta.rule_violations' (reported beside
        # the entry's other errors, which a validator here would wait for)
        if self.account is not None and self.name is not None:
            raise PydanticCustomError(
                "account_entry",
                "name the account either by its file (`account: globex`, or just `globex`) "
                "or inline (`name: Globex`), not both",
            )
        if self.account is not None and (self.arr is not None or self.stage is not None):
            raise PydanticCustomError(
                "account_entry",
                "`account: {id}` takes its ARR and stage from content/accounts/{id}.md: "
                "remove `arr` and `stage` here (or update the file)",
                {"id": self.account},
            )
        return self


AccountOrId = Annotated[
    Account,
    BeforeValidator(_account_shorthand, json_schema_input_type=str | Account),
]


class Decision(StrictModel):
    """One entry of an item's decision history."""

    date: Date
    """Day the decision was taken."""
    outcome: Outcome
    """accepted, deferred, declined, shipped or reprioritized."""
    summary: Text
    """What was decided and why, in a sentence or two."""
    by: Text | None = None
    """Who decided (person or forum)."""
    reason: Reason | None = None
    """Why not (declined, deferred or reprioritized): capacity, strategy, fit (outside the
    target customer profile), demand, technical or compliance."""


@dataclass(frozen=True, slots=True)
class RuleViolation:
    """A rule spanning several fields, found on the raw frontmatter."""

    loc: tuple[str | int, ...]
    code: str
    message: str


class _Document(StrictModel):
    """Fields shared by requests and roadmap items."""

    title: Title
    """One line, 1-200 characters."""
    tags: list[Text] = []
    """Free labels."""
    visibility: Visibility = "internal"
    """`public` files may appear on the customer-facing site; everything else never does."""
    fields: dict[str, Any] = {}
    """Custom fields declared in roadmap.toml (checked against their declared type)."""
    rice: Rice | None = None
    """RICE scoring inputs."""
    ice: Ice | None = None
    """ICE scoring inputs (used when roadmap.toml selects the ICE model)."""
    wsjf: Wsjf | None = None
    """WSJF scoring inputs (used when roadmap.toml selects the WSJF model)."""

    @classmethod
    def rule_violations(cls, data: Mapping[str, Any]) -> list[RuleViolation]:
        """Rules across fields, checked on raw data so they are reported with type errors."""
        return []


class RequestMeta(_Document):
    """Frontmatter of `content/requests/<id>.md`. The body is the customer need."""

    submitted: Date
    """Day the request was logged."""
    requester: Text
    """Who logged it: sales rep, CSM or support agent."""
    accounts: list[AccountOrId] = []
    """Accounts asking for it: account ids (`[globex]`), `{account: id, note}`, or
    `{name, arr, stage}` for an account without a file."""
    roadmap: str | None = None
    """Id of the roadmap item that answers this request."""
    duplicate_of: str | None = None
    """Id of the request this one duplicates (never together with `roadmap`)."""
    area: Text | None = None
    """Product area."""
    rice: RequestRice | None = None
    """RICE inputs; a request states all four."""

    @classmethod
    def rule_violations(cls, data: Mapping[str, Any]) -> list[RuleViolation]:
        found = []
        if data.get("roadmap") is not None and data.get("duplicate_of") is not None:
            found.append(
                RuleViolation(
                    ("duplicate_of",),
                    "E304",
                    "a request links either to a roadmap item or, as a duplicate, to another "
                    "request, not both: keep `roadmap` on the canonical request",
                )
            )
        entries = data.get("accounts")
        for n, entry in enumerate(entries if isinstance(entries, list) else ()):
            if isinstance(entry, dict) and "account" not in entry and "name" not in entry:
                found.append(
                    RuleViolation(
                        ("accounts", n, "name"),
                        "E202",
                        f"missing required field `accounts[{n}].name` (or `account: <id>` "
                        "for an account with a file in content/accounts/)",
                    )
                )
        return found


class ItemMeta(_Document):
    """Frontmatter of `content/roadmap/<id>.md`. The body is problem, proposal, rationale."""

    status: Status
    """now, next, later, shipped or declined."""
    theme: Text | None = None
    """Strategic theme the item serves: a theme id of `content/strategy.md` when there is
    one (free text otherwise)."""
    category: Text | None = None
    """Investment category: innovation, maintenance, quality, or one the strategy declares."""
    effort: Effort | None = None
    """Person-months to build, for capacity when the item has no RICE block (never both)."""
    team: Text | None = None
    """Team that builds it, for a quarter's capacity declared per team."""
    owner: Text | None = None
    """Accountable product manager."""
    target: Quarter | None = None
    """Target quarter, `YYYY-Qn`."""
    shipped: Date | None = None
    """Ship date; required when status is shipped."""
    decisions: list[Decision] = []
    """Decision history, each with outcome and rationale."""
    alternatives: Text | None = None
    """What sales can offer instead (workaround, partner, other feature)."""

    @classmethod
    def rule_violations(cls, data: Mapping[str, Any]) -> list[RuleViolation]:
        found = []
        status = data.get("status")
        if status == "shipped" and data.get("shipped") is None:
            found.append(
                RuleViolation(("status",), "E401", "status is shipped: add `shipped: YYYY-MM-DD`")
            )
        if status == "declined" and not data.get("decisions"):
            found.append(
                RuleViolation(
                    ("status",),
                    "E402",
                    "status is declined: record at least one decision explaining why",
                )
            )
        rice = data.get("rice")
        if data.get("effort") is not None and isinstance(rice, dict) and "effort" in rice:
            found.append(RuleViolation(("effort",), "E405", "effort is stated twice: keep "
                                       "`rice.effort` and remove `effort`"))  # fmt: skip
        decisions = data.get("decisions")
        for n, decision in enumerate(decisions if isinstance(decisions, list) else ()):
            if not isinstance(decision, dict) or decision.get("reason") is None:
                continue
            if decision.get("outcome") not in REASONED_OUTCOMES:
                found.append(RuleViolation(
                    ("decisions", n, "reason"), "E404",
                    f"a `reason` explains a no or a not-yet: outcome `{decision.get('outcome')}` "
                    f"takes none (only {', '.join(REASONED_OUTCOMES)})",
                ))  # fmt: skip
        return found


def quarter_key(quarter: str) -> tuple[int, int]:
    """Sort key for a `YYYY-Qn` quarter."""
    match = _QUARTER.match(quarter)
    return (int(match.group(1)), int(match.group(2))) if match else (0, 0)
