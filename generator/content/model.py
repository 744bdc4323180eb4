"""The validated, linked roadmap: one immutable model that every command reads.

Built by :mod:`generator.linking` from valid files only; nothing here changes
after construction, so the scoring, the site and the terminal can share it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType

from ..config import Config
from .customers import AccountMeta, Fit, ProfileMeta
from .frontmatter import ItemMeta, RequestMeta
from .strategy import Category, StrategyMeta, categories_of

UNTRIAGED = "untriaged"
DUPLICATE = "duplicate"
#: Where a request stands once it is settled; in any other status it is still open.
SETTLED = frozenset({"shipped", "declined"})


@lru_cache(maxsize=1 << 16)  # the same few hundred names come back for every request
def account_key(name: str) -> str:
    """How account names are matched: case-insensitively, ignoring surrounding spaces."""
    return " ".join(name.split()).casefold()


def derived_status(answering_status: str | None, is_duplicate: bool) -> str:
    """Where a request stands: the status of the item that answers it (through its
    canonical request), else `duplicate` (not linked yet) or `untriaged`."""
    if answering_status is not None:
        return answering_status
    return DUPLICATE if is_duplicate else UNTRIAGED


@dataclass(frozen=True, slots=True)
class Item:
    """A roadmap item: a problem we decided to solve (or not), with its history."""

    id: str
    """File name without `.md`."""
    path: str
    """File path relative to the project root."""
    meta: ItemMeta
    """Validated frontmatter."""
    body: str
    """Markdown body: problem, proposal, rationale."""
    requests: tuple[str, ...]
    """Ids of requests answered by this item: linked directly or as duplicates of one that is."""

    @property
    def title(self) -> str:
        return self.meta.title

    @property
    def status(self) -> str:
        return self.meta.status


@dataclass(frozen=True, slots=True)
class AccountRef:
    """One account named on a request, resolved: to its account file when it has one."""

    key: str
    """How it is matched across requests: `account_key` of its name."""
    name: str
    """Display name: the account file's, else as written."""
    arr: float | None
    """ARR: the account file's when it states one, else as written on the request."""
    stage: str | None
    """Stage: the account file's when it states one, else as written."""
    account: str | None
    """Id of its account file; None for an account named only inline."""
    note: str | None
    """What the request says about this account in particular."""
    fit: str = ""
    """Against the target customer profile: `in`, `out`, `unknown`; "" without a profile."""
    strategic: bool = False
    """Marked strategic in its account file."""


@dataclass(frozen=True, slots=True)
class AccountRecord:
    """An account file: who the customer is, who owns it, and how it fits the profile."""

    id: str
    """File name without `.md`."""
    path: str
    """File path relative to the project root."""
    meta: AccountMeta
    """Validated frontmatter."""
    body: str
    """Free notes (internal)."""
    fit: Fit | None
    """How it measures against the target customer profile; None without a profile."""

    @property
    def name(self) -> str:
        return self.meta.name


@dataclass(frozen=True, slots=True)
class Profile:
    """The target customer profile (`content/profile.md`)."""

    path: str
    """File path relative to the project root."""
    meta: ProfileMeta
    """Validated frontmatter: the criteria."""
    body: str
    """Free text: what makes a good fit and a bad one."""


@dataclass(frozen=True, slots=True)
class Strategy:
    """The strategy (`content/strategy.md`): vision, themes, investment categories."""

    path: str
    """File path relative to the project root."""
    meta: StrategyMeta
    """Validated frontmatter: themes and categories."""
    body: str
    """The vision, in markdown."""


@dataclass(frozen=True, slots=True)
class Request:
    """A customer request, with where it stands derived from its links."""

    id: str
    """File name without `.md`."""
    path: str
    """File path relative to the project root."""
    meta: RequestMeta
    """Validated frontmatter."""
    body: str
    """Markdown body: the customer need."""
    canonical: str
    """Id of the request at the end of the `duplicate_of` chain (its own id if none)."""
    item: str | None
    """Id of the roadmap item that answers it, through the canonical request."""
    status: str
    """Derived: the answering item's status, else `duplicate` or `untriaged`."""
    accounts: tuple[AccountRef, ...] = ()
    """The accounts it names, resolved to their files: one per entry of `meta.accounts`."""

    @property
    def title(self) -> str:
        return self.meta.title

    @property
    def is_duplicate(self) -> bool:
        return self.canonical != self.id


@dataclass(frozen=True, slots=True)
class Roadmap:
    """Everything the content says, validated and cross-linked."""

    config: Config
    """Settings from roadmap.toml (defaults when absent)."""
    items: Mapping[str, Item]
    """Roadmap items by id, in id order."""
    requests: Mapping[str, Request]
    """Requests by id, in id order."""
    accounts: Mapping[str, AccountRecord] = field(default_factory=lambda: MappingProxyType({}))
    """Account files by id, in id order."""
    profile: Profile | None = None
    """The target customer profile, when `content/profile.md` exists."""
    account_names: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Account file id by `account_key` of each name and alias (how inline names resolve)."""
    strategy: Strategy | None = None
    """The strategy, when `content/strategy.md` exists."""

    @property
    def categories(self) -> tuple[Category, ...]:
        """The investment categories: the strategy's, else the defaults."""
        return categories_of(self.strategy.meta if self.strategy else None)

    @classmethod
    def create(
        cls,
        config: Config,
        items: list[Item],
        requests: list[Request],
        accounts: list[AccountRecord] | None = None,
        profile: Profile | None = None,
        account_names: Mapping[str, str] | None = None,
        strategy: Strategy | None = None,
    ) -> Roadmap:
        return cls(
            config,
            MappingProxyType({i.id: i for i in sorted(items, key=lambda i: i.id)}),
            MappingProxyType({r.id: r for r in sorted(requests, key=lambda r: r.id)}),
            MappingProxyType({a.id: a for a in sorted(accounts or (), key=lambda a: a.id)}),
            profile,
            MappingProxyType(dict(account_names or {})),
            strategy,
        )


@dataclass(frozen=True, slots=True)
class Reach:
    """What an edit applied in place to a previous model can have changed (`roadmap serve`).

    Each phase that can update its previous result reads it: scores, warnings, views
    and pages are made again for these and kept for everything else.
    """

    files: frozenset[tuple[str, str]]
    """(kind, id) of the files edited."""
    requests: frozenset[str]
    """Requests whose linked form may differ: edited, or moved along with one."""
    items: frozenset[str]
    """Items whose linked form or demand may differ: edited, or answering one of `requests`
    (before or after the edit)."""
