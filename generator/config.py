"""Project settings from the optional `roadmap.toml`, validated like content.

Every setting and its default is declared once, on the models below; the README
table is written from them.
"""

from __future__ import annotations

import math
import re
import tomllib
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .diagnostics import Report, describe_pydantic_error
from .scoring.formula import Formula, FormulaError
from .scoring.models import FORMULA_INPUTS, MODELS

CONFIG_FILE = "roadmap.toml"

_FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def _field_name(name: str) -> str:
    if not _FIELD_NAME.match(name):
        raise PydanticCustomError(
            "field_name",
            "custom field name '{name}' must be lowercase letters, digits and _, starting "
            "with a letter (formulas use it as a name)",
            {"name": name},
        )
    return name


FieldName = Annotated[str, AfterValidator(_field_name)]


_QUARTER = re.compile(r"^\d{4}-Q[1-4]$")


def _quarter_key(name: str) -> str:
    if not _QUARTER.match(name):
        raise PydanticCustomError(
            "quarter_format", "capacity is declared per quarter like \"2027-Q1\", got '{name}'",
            {"name": name},
        )  # fmt: skip
    return name


def _person_months(value: Any, where: str) -> float:
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    if not ok or not 0 <= value <= 1e6:
        raise PydanticCustomError(
            "capacity_value", "{where} must be a number of person-months from 0 to 1,000,000",
            {"where": where},
        )  # fmt: skip
    return float(value)


def _capacity(value: Any) -> float | dict[str, float]:
    """A quarter's capacity: a number, or a table of numbers by team."""
    if not isinstance(value, dict):
        return _person_months(value, "a quarter's capacity")
    teams = {}
    for team, months in value.items():
        if not _FIELD_NAME.match(team):
            raise PydanticCustomError(
                "team_name", "team name '{team}' must be lowercase letters, digits and _, "
                "starting with a letter", {"team": team},
            )  # fmt: skip
        teams[team] = _person_months(months, f"team `{team}`'s capacity")
    return teams


QuarterKey = Annotated[str, AfterValidator(_quarter_key)]
Capacity = Annotated[
    float | dict[str, float],
    PlainValidator(_capacity, json_schema_input_type=float | dict[str, float]),
]


def _known_model(name: str) -> str:
    if name not in MODELS:
        quoted = [repr(m) for m in MODELS]
        expected = ", ".join(quoted[:-1]) + " or " + quoted[-1]
        raise PydanticCustomError(
            "literal_error", "Input should be {expected}", {"expected": expected}
        )
    return name


class _Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SiteSettings(_Settings):
    """`[site]`: how the site presents itself."""

    title: str = Field(
        "Product roadmap", min_length=1, max_length=120, pattern=r"^[^\x00-\x1f\x7f]+$"
    )
    """Site title, shown in the header and the feed."""
    base_url: str = Field("", pattern=r"^(https?://[^\s<>\"'`]+)?$", max_length=500)
    """Absolute http(s) URL the public site is served from (used only in the Atom feed ids);
    anything else (a `javascript:` or `data:` URL) is refused."""
    currency: str = Field("USD", pattern=r"^[A-Z]{3}$")
    """ISO 4217 code used when showing ARR."""
    repository: str = Field(
        "", max_length=300,
        pattern=r"^([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+|https://[A-Za-z0-9.-]+(:[0-9]+)?"
        r"/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+/?)?$",
    )  # fmt: skip
    """GitHub repository of the roadmap (`owner/name`, or its https URL on a GitHub
    Enterprise host): the internal site then offers "Log a request" links to its issue form."""
    public_intake_url: str = Field("", pattern=r"^(https?://[^\s<>\"'`]+)?$", max_length=500)
    """Where customers may suggest a feature (an http(s) URL): the public site links to it;
    without it the public site offers no such link."""

    @property
    def repository_url(self) -> str:
        """The repository's web address without a trailing slash; "" when not set."""
        if not self.repository:
            return ""
        if self.repository.startswith("https://"):
            return self.repository.rstrip("/")
        return f"https://github.com/{self.repository}"


class CheckSettings(_Settings):
    """`[check]`: thresholds of the warnings."""

    untriaged_days: int = Field(30, ge=1)
    """A request without a roadmap link older than this many days is a warning."""
    balance_margin: int = Field(10, ge=0, le=100)
    """Percentage points a category's share of effort may stray from its target (in a
    quarter with declared capacity, or over the last four quarters) before a warning."""


class ScoringSettings(_Settings):
    """`[scoring]`: how items and requests are prioritised."""

    model: Annotated[str, AfterValidator(_known_model)] = "rice"
    """Scoring model: one of the registry's (rice, ice, wsjf, or custom: a formula)."""
    formula: str | None = None
    """For `model = "custom"`: an expression over RICE inputs, custom fields and demand."""

    @model_validator(mode="after")
    def _formula_for_custom(self) -> ScoringSettings:
        if self.model == "custom" and not (self.formula or "").strip():
            raise PydanticCustomError("setting_missing", 'model = "custom" needs a `formula`')
        return self


class FieldSpec(_Settings):
    """`[fields.<name>]`: a custom frontmatter field and its type."""

    type: Literal["number", "string", "boolean", "choice"]
    """Value type; `choice` takes one of `values`."""
    values: list[str] = []
    """Allowed values of a `choice` field."""
    description: str = ""
    """What the field means, shown in the editor schema."""

    @model_validator(mode="after")
    def _values_for_choice(self) -> FieldSpec:
        if self.type == "choice" and not self.values:
            raise PydanticCustomError("setting_missing", "a choice field needs a list of `values`")
        return self

    def check(self, value: Any) -> str | None:
        """Why `value` does not fit this field, or None when it does."""
        if self.type == "number":
            ok = isinstance(value, int | float) and not isinstance(value, bool)
            if ok and not math.isfinite(value):
                return f"expected a finite number, got {value!r}"
            return None if ok else f"expected a number, got {value!r}"
        if self.type == "boolean":
            return None if isinstance(value, bool) else f"expected true or false, got {value!r}"
        if self.type == "string":
            return None if isinstance(value, str) else f"expected a string, got {value!r}"
        if value not in self.values:
            return f"must be one of {', '.join(map(repr, self.values))}, got {value!r}"
        return None


class AccountSettings(_Settings):
    """`[accounts]`: account files (`content/accounts/<id>.md`) and their attributes."""

    attributes: dict[FieldName, FieldSpec] = {}
    """`[accounts.attributes.<name>]`: attributes account files may state (segment, seats,
    region...), each with its type; the target customer profile's criteria read them."""
    renewal_days: int = Field(90, ge=1, le=366)
    """Renewals this many days ahead with open requests are listed for customer success."""

    @model_validator(mode="after")
    def _no_builtin_names(self) -> AccountSettings:
        taken = sorted(set(self.attributes) & set(ACCOUNT_FIELDS))
        if taken:
            raise PydanticCustomError(
                "setting_invalid",
                "`{name}` is a built-in account field: give the attribute another name",
                {"name": taken[0]},
            )
        return self


#: The fields every account file may carry; declared attributes come on top.
ACCOUNT_FIELDS = (
    "name", "arr", "stage", "strategic", "owner", "renewal", "aliases", "visibility", "tags",
)  # fmt: skip


class Config(_Settings):
    """The whole of `roadmap.toml`; an absent file means all defaults."""

    site: SiteSettings = SiteSettings()
    check: CheckSettings = CheckSettings()
    scoring: ScoringSettings = ScoringSettings()
    fields: dict[FieldName, FieldSpec] = {}
    """Custom fields items and requests may carry under `fields:`."""
    accounts: AccountSettings = AccountSettings()
    capacity: dict[QuarterKey, Capacity] = {}
    """`[capacity]`: person-months each quarter can take, `"2027-Q1" = 14`, or per team,
    `"2027-Q1" = { platform = 8, integrations = 6 }` (items name their `team`)."""


def load_config(raw_bytes: bytes | None, report: Report) -> Config:
    """Parse `roadmap.toml` (None when absent); on any problem report it and use defaults."""
    if raw_bytes is None:
        return Config()
    text = raw_bytes.decode("utf-8-sig", errors="replace")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, col = (int(match.group(1)), int(match.group(2))) if match else (1, 1)
        report.add(CONFIG_FILE, line, col, "E501", str(exc).split(" (at line")[0])
        return Config()
    try:
        config = Config.model_validate(raw)
    except ValidationError as exc:
        for error in exc.errors():
            code, message, loc = describe_pydantic_error(error, _known_settings(error["loc"]))
            code = {"E201": "E502", "E202": "E503"}.get(code, "E503")
            report.add(CONFIG_FILE, toml_line(text, loc), 1, code, message)
        return Config()
    if config.scoring.model == "custom":
        known = frozenset(FORMULA_INPUTS) | frozenset(config.fields)
        try:
            Formula.parse(config.scoring.formula or "", known)
        except FormulaError as exc:
            line = toml_line(text, ("scoring", "formula"))
            report.add(CONFIG_FILE, line, 1, "E504", f"`scoring.formula`: {exc}")
            # keep the rest of the settings so content is still checked against them
            return config.model_copy(update={"scoring": ScoringSettings()})
    return config


def _known_settings(loc: tuple[str | int, ...]) -> list[str]:
    """Names allowed at the level of `loc`, for "did you mean" hints."""
    model: type[BaseModel] = Config
    for part in loc[:-1]:
        annotation = model.model_fields.get(str(part))
        inner = getattr(annotation, "annotation", None)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            model = inner
        else:
            return []
    return list(model.model_fields)


_TABLE = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-\"'. ]+?)\s*=")


def toml_line(text: str, loc: tuple[str | int, ...]) -> int:
    """Line of the deepest table or key on the path `loc` (tomllib keeps no positions)."""
    target = [str(part) for part in loc if not isinstance(part, int)]
    best, best_depth, table = 1, 0, []
    for number, line in enumerate(text.splitlines(), start=1):
        if match := _TABLE.match(line):
            table = _split_key(match.group(1))
            path = table
        elif match := _KEY.match(line):
            path = table + _split_key(match.group(1))
        else:
            continue
        depth = _common_prefix(path, target)
        if depth == len(path) and depth > best_depth:
            best, best_depth = number, depth
    return best


def _split_key(key: str) -> list[str]:
    return [part.strip().strip("\"'") for part in key.split(".")]


def _common_prefix(a: list[str], b: list[str]) -> int:
    depth = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        depth += 1
    return depth
