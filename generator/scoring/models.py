"""The scoring models: one registry entry each, and everything about a model lives in it.

An entry names the model, says how people call it and how its formula reads, which
frontmatter block holds its inputs, how a score is computed from an entry, and where
a score sits on the priorities chart. Adding a model is one entry here (and, for new
inputs, their block in :mod:`generator.content.frontmatter`); the settings, the
terminal, the site and the chart read the registry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..formatting import fmt

if TYPE_CHECKING:  # types only: the registry is read by roadmap.toml's settings
    from ..content.frontmatter import ItemMeta, RequestMeta
    from .demand import Demand
    from .formula import Formula


@dataclass(frozen=True, slots=True)
class Input:
    """One number that went into a score."""

    name: str
    """Input name as in the formula (`reach`, `ease`, a custom field...)."""
    value: float | str | bool
    """Its value."""
    source: str
    """Where it came from: `stated`, `sum of 2 requests`, `demand`, `custom field`."""
    requests: tuple[str, ...] = ()
    """Requests it was derived from, when derived."""


@dataclass(frozen=True, slots=True)
class Score:
    """A score, or the reason there is none."""

    value: float | None
    """The score; None when unscored."""
    inputs: tuple[Input, ...]
    """The inputs used (or found, when unscored)."""
    explanation: str
    """One line, e.g. `RICE 220 = reach 550 (sum of 2 requests) x impact 2 x ...`."""

    @property
    def scored(self) -> bool:
        return self.value is not None


@dataclass(frozen=True, slots=True)
class Entry:
    """What a model may read of one roadmap item or request."""

    meta: RequestMeta | ItemMeta
    """Its frontmatter: the input blocks and the custom fields."""
    rice: Mapping[str, Input] | None
    """Its RICE inputs (an item's reach derived from its requests), None without a block."""
    demand: Demand
    """The requests and accounts behind it."""
    fields: frozenset[str]
    """The custom fields declared in roadmap.toml."""
    formula: Formula | None
    """The custom formula, for the custom model."""
    theme_weight: Input | None = None
    """The weight of its strategic theme (1 without one), for the custom formula."""


@dataclass(frozen=True, slots=True)
class ScoringModel:
    """One way of scoring, as `scoring.model` in roadmap.toml names it."""

    name: str
    """As in roadmap.toml: `rice`, `ice`, `wsjf`, `custom`."""
    label: str
    """As people call it: `RICE`, `custom formula`."""
    formula: str
    """Its formula in words (the custom model shows the expression itself)."""
    block: str | None
    """The frontmatter block of its inputs; None when it reads other models' inputs."""
    axes: tuple[str, str]
    """Labels of the priorities chart's x (effort) and y (value) axes."""
    score: Callable[[Entry], Score]
    """The score of one entry, with its explanation."""
    chart: Callable[[Score], tuple[float, float] | None]
    """(value, effort) of a score on the chart; None when it cannot be placed."""


def _numbers(score: Score) -> dict[str, float]:
    return {i.name: float(i.value) for i in score.inputs if isinstance(i.value, int | float)}


def rice_score(rice: Mapping[str, Input] | None) -> Score:
    """RICE from its inputs; item reach may come from linked requests."""
    if rice is None:
        return Score(None, (), "unscored: no `rice` inputs")
    if "reach" not in rice:
        return Score(None, tuple(rice.values()), "unscored: no reach stated, and no linked "
                     "request states one")  # fmt: skip
    r, i, c, e = (rice[n] for n in ("reach", "impact", "confidence", "effort"))
    reach, impact, confidence, effort = (_number(x) for x in (r, i, c, e))
    value = reach * impact * confidence / effort
    reach_note = f" ({r.source})" if r.source != "stated" else ""
    text = (
        f"RICE {fmt(value)} = reach {fmt(reach)}{reach_note} x impact {fmt(impact)} "
        f"x confidence {fmt(confidence)} / effort {fmt(effort)}"
    )
    return Score(value, (r, i, c, e), text)


def _number(item: Input) -> float:
    assert isinstance(item.value, int | float), item  # block inputs are validated numbers
    return float(item.value)


def _rice_chart(score: Score) -> tuple[float, float] | None:
    n = _numbers(score)
    if score.value is None or not {"reach", "impact", "confidence", "effort"} <= n.keys():
        return None
    return n["reach"] * n["impact"] * n["confidence"], n["effort"]


def _stated(entry: Entry, block: str) -> dict[str, float] | None:
    inputs = getattr(entry.meta, block)
    if inputs is None:
        return None
    return {name: getattr(inputs, name) for name in type(inputs).model_fields}


def _ice(entry: Entry) -> Score:
    v = _stated(entry, "ice")
    if v is None:
        return Score(None, (), "unscored: no `ice` inputs")
    value = v["impact"] * v["confidence"] * v["ease"]
    text = (
        f"ICE {fmt(value)} = impact {fmt(v['impact'])} x confidence {fmt(v['confidence'])} "
        f"x ease {fmt(v['ease'])}"
    )
    return Score(value, tuple(Input(n, x, "stated") for n, x in v.items()), text)


def _wsjf(entry: Entry) -> Score:
    v = _stated(entry, "wsjf")
    if v is None:
        return Score(None, (), "unscored: no `wsjf` inputs")
    value = (v["value"] + v["time_criticality"] + v["risk_reduction"]) / v["job_size"]
    text = (
        f"WSJF {fmt(value)} = (value {fmt(v['value'])} + time criticality "
        f"{fmt(v['time_criticality'])} + risk reduction {fmt(v['risk_reduction'])}) "
        f"/ job size {fmt(v['job_size'])}"
    )
    return Score(value, tuple(Input(n, x, "stated") for n, x in v.items()), text)


#: Names a custom formula may use besides the declared custom fields: the RICE inputs
#: (item reach derived as for RICE), the RICE score, the demand figures (all of it,
#: and the part from accounts in the target customer profile, and strategic accounts),
#: and the weight of the item's strategic theme.
FORMULA_INPUTS = (
    "reach", "impact", "confidence", "effort", "rice", "requests", "accounts", "arr",
    "requests_in_profile", "accounts_in_profile", "arr_in_profile", "strategic_accounts",
    "theme_weight",
)  # fmt: skip


def _custom(entry: Entry) -> Score:
    from .formula import EvaluationError

    formula = entry.formula
    assert formula is not None  # config refuses model = "custom" without a valid formula
    available: dict[str, Input] = dict(entry.rice or {})
    rice = rice_score(entry.rice)
    if rice.value is not None:
        available["rice"] = Input("rice", rice.value, "RICE score")
    demand = entry.demand
    available["requests"] = Input("requests", float(len(demand.requests)), "demand")
    available["accounts"] = Input("accounts", float(len(demand.accounts)), "demand")
    available["arr"] = Input("arr", demand.arr, "demand")
    in_profile = "demand in the target customer profile"
    available["requests_in_profile"] = Input(
        "requests_in_profile", float(demand.requests_in_profile), in_profile
    )
    available["accounts_in_profile"] = Input(
        "accounts_in_profile", float(len(demand.in_profile)), in_profile
    )
    available["arr_in_profile"] = Input("arr_in_profile", demand.arr_in_profile, in_profile)
    available["strategic_accounts"] = Input(
        "strategic_accounts", float(len(demand.strategic)), "strategic accounts in demand"
    )
    available["theme_weight"] = entry.theme_weight or Input("theme_weight", 1.0, "no theme")
    for name, value in entry.meta.fields.items():
        if name in entry.fields:
            available[name] = Input(name, value, "custom field")
    used = tuple(available[n] for n in sorted(formula.names) if n in available)
    missing = sorted(formula.names - available.keys())
    if missing:
        return Score(None, used, f"unscored: no value for `{'`, `'.join(missing)}`")
    values = {i.name: i.value for i in used}
    try:
        value = formula.evaluate(values)
    except EvaluationError as exc:
        return Score(None, used, f"unscored: {exc}")
    return Score(value, used, f"score {fmt(value)} = {formula.filled_in(values, fmt)}")


def _custom_chart(score: Score) -> tuple[float, float] | None:
    if (placed := _rice_chart(score)) is not None:
        return placed
    effort = _numbers(score).get("effort")
    if score.value is None or effort is None:
        return None
    return score.value * effort, effort


def _ice_chart(score: Score) -> tuple[float, float] | None:
    n = _numbers(score)
    return None if score.value is None else (n["impact"] * n["confidence"], 11 - n["ease"])


def _wsjf_chart(score: Score) -> tuple[float, float] | None:
    n = _numbers(score)
    if score.value is None:
        return None
    return n["value"] + n["time_criticality"] + n["risk_reduction"], n["job_size"]


def _rice(entry: Entry) -> Score:
    return rice_score(entry.rice)


_REGISTRY = (
    ScoringModel(
        "rice", "RICE", "reach x impact x confidence / effort", "rice",
        ("Effort (person-months)", "Value: reach x impact x confidence"), _rice, _rice_chart,
    ),
    ScoringModel(
        "ice", "ICE", "impact x confidence x ease", "ice",
        ("Effort: 11 - ease", "Value: impact x confidence"), _ice, _ice_chart,
    ),
    ScoringModel(
        "wsjf", "WSJF", "(value + time criticality + risk reduction) / job size", "wsjf",
        ("Job size", "Cost of delay"), _wsjf, _wsjf_chart,
    ),
    ScoringModel(
        "custom", "custom formula", "", None, ("Effort (person-months)", "Value"),
        _custom, _custom_chart,
    ),
)  # fmt: skip

#: Every scoring model by name, in the order the documentation lists them.
MODELS: dict[str, ScoringModel] = {model.name: model for model in _REGISTRY}
