"""One change to the roadmap, as `roadmap diff` reports it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Change:
    """One change to the roadmap."""

    kind: str
    """item-added, item-removed, item-renamed, status, target, decision, request-added,
    request-removed, request-linked, request-declined, request-duplicate, score, rank,
    account-added, account-removed, account (a change to an account file's ARR, stage,
    strategic flag, owner, renewal or fit), and the strategy's (:mod:`generator.strategy_diff`):
    theme-added, theme-removed, theme, item-theme, category, capacity, over-capacity,
    balance."""
    id: str
    """Id of the item or request on the head side (the base side when removed)."""
    title: str
    before: str | None
    after: str | None
    summary: str
    """One line for people."""
    requests: int = 0
    accounts: int = 0
    arr: float = 0.0
    items: tuple[str, ...] = ()
    """For account changes: ids of the roadmap items its requests lead to."""
