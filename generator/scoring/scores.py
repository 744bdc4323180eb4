"""Scores and rankings: the same numbers for the terminal, the site and the exports.

Every score carries its explanation: the inputs, where each came from, and the
formula with the numbers filled in. An item or request that cannot be scored is
unscored (value None) with the reason, and ranks after every scored one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from ..config import Config
from ..content.model import Item, Reach, Request, Roadmap, account_key
from .demand import (
    Account,
    Demand,
    accounts,
    demand_of,
    item_demand,
    request_demand,
    some_accounts,
)
from .formula import Formula
from .models import MODELS, Entry, Input, Score


@dataclass(frozen=True, slots=True)
class Scores:
    """Scores, demand and rankings for a whole roadmap."""

    model: str
    """Scoring model: rice, ice, wsjf or custom."""
    formula: str
    """The model's formula, in words (or the custom expression)."""
    items: Mapping[str, Score]
    """Score of each roadmap item."""
    requests: Mapping[str, Score]
    """Score of each request."""
    item_demand: Mapping[str, Demand]
    """Requests and distinct accounts behind each item."""
    request_demand: Mapping[str, Demand]
    """Each request's own accounts, with its duplicates."""
    accounts: Mapping[str, Account]
    """Every account, by slug."""
    item_ranking: tuple[str, ...]
    """Item ids, best first: score desc, ARR desc, id; unscored last."""
    request_ranking: tuple[str, ...]
    """Request ids in the same order."""
    item_ranks: Mapping[str, int | None]
    """1-based rank of each item among scored items; None when unscored."""
    request_ranks: Mapping[str, int | None]
    """1-based rank of each request among scored requests; None when unscored."""
    account_slugs: Mapping[str, str]
    """Account page slug (an account file's id) by `account_key` of the account's name."""


def score(roadmap: Roadmap, previous: Scores | None = None, reach: Reach | None = None) -> Scores:
    """Score every item and request of a valid roadmap.

    With `previous` and `reach` (for `roadmap serve`: the model was updated in place,
    see :func:`generator.content.linking.link`), only what the edit reaches is scored
    again: its items, its requests and their canonical requests, and the accounts named
    on them. Duplicate links and the accounts named on each request are as when
    `previous` was scored, so each request's family and each account's requests hold.
    """
    formula = _formula(roadmap.config)
    if previous is None or reach is None:
        by_item, by_request = dict(item_demand(roadmap)), dict(request_demand(roadmap))
        items, requests = list(roadmap.items), list(roadmap.requests)
        item_scores: dict[str, Score] = {}
        request_scores: dict[str, Score] = {}
    else:
        by_item, by_request = dict(previous.item_demand), dict(previous.request_demand)
        items, requests = list(reach.items), list(reached_requests(roadmap, reach))
        item_scores, request_scores = dict(previous.items), dict(previous.requests)
        for item_id in items:
            by_item[item_id] = demand_of(
                roadmap.requests[r] for r in roadmap.items[item_id].requests
            )
        for request_id in requests:  # all demands first: a score may read a family's demand
            family = previous.request_demand[request_id].requests
            by_request[request_id] = demand_of(roadmap.requests[r] for r in family)
    for item_id in items:
        item = roadmap.items[item_id]
        rice = _item_rice(item, roadmap)
        weight = theme_weight(item, roadmap) if formula is not None else None
        item_scores[item_id] = _score(item, rice, by_item[item_id], roadmap.config, formula, weight)
    for request_id in requests:
        request = roadmap.requests[request_id]
        demand = by_request[request_id]
        request_scores[request_id] = _score(
            request, _stated_rice(request), demand, roadmap.config, formula
        )
    if previous is None or reach is None:
        by_account = accounts(roadmap)
    else:
        reached = {
            account_key(previous.accounts[slug].name): slug
            for slug in reached_accounts(roadmap, previous, reach)
        }
        named_on = {r for slug in reached.values() for r in previous.accounts[slug].requests}
        again = some_accounts(reached, (roadmap.requests[r] for r in named_on))
        by_account = MappingProxyType({**previous.accounts, **again})
    return _scores(
        roadmap, formula, item_scores, request_scores, MappingProxyType(by_item),
        MappingProxyType(by_request), by_account, previous if reach is not None else None,
    )  # fmt: skip


def reached_requests(roadmap: Roadmap, reach: Reach) -> set[str]:
    """The requests an edit reaches, and the canonical requests whose demand holds them."""
    return set(reach.requests) | {roadmap.requests[r].canonical for r in reach.requests}


def reached_accounts(roadmap: Roadmap, previous: Scores, reach: Reach) -> set[str]:
    """Slugs of the accounts named on the requests an edit reaches."""
    slugs = {account_key(a.name): a.id for a in previous.accounts.values()}
    return {slugs[a.key] for r in reach.requests for a in roadmap.requests[r].accounts}


def _formula(config: Config) -> Formula | None:
    return Formula.parse(config.scoring.formula or "") if config.scoring.model == "custom" else None


def _scores(
    roadmap: Roadmap,
    formula: Formula | None,
    item_scores: dict[str, Score],
    request_scores: dict[str, Score],
    by_item: Mapping[str, Demand],
    by_request: Mapping[str, Demand],
    by_account: Mapping[str, Account],
    previous: Scores | None = None,
) -> Scores:
    model = roadmap.config.scoring.model
    if previous is not None and _same_order(previous, item_scores, by_item, request_scores,
                                            by_request):  # fmt: skip
        item_ranking, item_ranks = previous.item_ranking, previous.item_ranks
        request_ranking, request_ranks = previous.request_ranking, previous.request_ranks
    else:
        item_ranking = _ranking(item_scores, by_item)
        request_ranking = _ranking(request_scores, by_request)
        item_ranks = _ranks(item_ranking, item_scores)
        request_ranks = _ranks(request_ranking, request_scores)
    return Scores(
        model=model,
        formula=formula.source if formula else MODELS[model].formula,
        items=MappingProxyType(item_scores),
        requests=MappingProxyType(request_scores),
        item_demand=by_item,
        request_demand=by_request,
        accounts=by_account,
        item_ranking=item_ranking,
        request_ranking=request_ranking,
        item_ranks=item_ranks,
        request_ranks=request_ranks,
        account_slugs=MappingProxyType({account_key(a.name): a.id for a in by_account.values()}),
    )


def _same_order(
    previous: Scores,
    item_scores: Mapping[str, Score],
    by_item: Mapping[str, Demand],
    request_scores: Mapping[str, Score],
    by_request: Mapping[str, Demand],
) -> bool:
    """True when no score or ARR that the rankings sort on differs from `previous`."""
    for old_scores, old_demand, scores, demand in (
        (previous.items, previous.item_demand, item_scores, by_item),
        (previous.requests, previous.request_demand, request_scores, by_request),
    ):
        for entry_id, entry_score in scores.items():
            if entry_score is not old_scores[entry_id] and (
                entry_score.value != old_scores[entry_id].value
                or demand[entry_id].arr != old_demand[entry_id].arr
            ):
                return False
    return True


def _ranking(scores: Mapping[str, Score], demand: Mapping[str, Demand]) -> tuple[str, ...]:
    def key(entry_id: str) -> tuple[bool, float, float, str]:
        value = scores[entry_id].value
        # rounding keeps float noise (0.1 * 3) from deciding between equal scores
        return (value is None, -round(value or 0, 9), -demand[entry_id].arr, entry_id)

    return tuple(sorted(scores, key=key))


def _ranks(ranking: tuple[str, ...], scores: Mapping[str, Score]) -> Mapping[str, int | None]:
    return MappingProxyType(
        {entry: (n if scores[entry].scored else None) for n, entry in enumerate(ranking, 1)}
    )


def _stated_rice(entry: Item | Request) -> dict[str, Input] | None:
    rice = entry.meta.rice
    if rice is None:
        return None
    inputs = {}
    for name in ("reach", "impact", "confidence", "effort"):
        value = getattr(rice, name)
        if value is not None:
            inputs[name] = Input(name, value, "stated")
    return inputs


def _item_rice(item: Item, roadmap: Roadmap) -> dict[str, Input] | None:
    """An item's RICE inputs; reach falls back to the sum over its canonical requests."""
    inputs = _stated_rice(item)
    if inputs is None or "reach" in inputs:
        return inputs
    canonical = sorted({roadmap.requests[r].canonical for r in item.requests})
    reach = {c: rice.reach for c in canonical if (rice := roadmap.requests[c].meta.rice)}
    reaching = list(reach)
    if reaching:
        total = sum(reach.values())
        noun = "request" if len(reaching) == 1 else "requests"
        inputs["reach"] = Input("reach", total, f"sum of {len(reaching)} {noun}", tuple(reaching))
    return inputs


def _score(
    entry: Item | Request,
    rice: dict[str, Input] | None,
    demand: Demand,
    config: Config,
    formula: Formula | None,
    weight: Input | None = None,
) -> Score:
    model = MODELS[config.scoring.model]
    fields = frozenset(config.fields)
    return model.score(Entry(entry.meta, rice, demand, fields, formula, weight))


def theme_weight(item: Item, roadmap: Roadmap) -> Input:
    """The weight of an item's theme in the strategy: 1 without a theme, or a strategy."""
    strategy = roadmap.strategy
    theme = strategy.meta.theme(item.meta.theme) if strategy and item.meta.theme else None
    if theme is None:
        return Input("theme_weight", 1.0, "no theme in the strategy")
    return Input("theme_weight", theme.weight, f"theme `{theme.id}`")
