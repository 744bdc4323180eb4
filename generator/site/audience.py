"""Who a site is for: the one place that decides what each audience sees.

The internal site is for the company; the public site may be shown to customers and
must never carry an account, an ARR figure, a requester, an owner or who decided, a
score, git authors, an internal file, or a link to one. The free text it does show
is checked for names by :mod:`generator.content.disclosure`. Every difference between
the two lives here:

* which files appear (`shows`),
* which fields of each view are shown (an allowlist per view type: a field not on
  it is replaced by its empty default, so a new field stays internal until it is
  listed here),
* which index pages exist and which export fields are written,
* how the board is ordered.

Views are built by :mod:`generator.site.present`, which puts every view through
:meth:`Audience.redact`; templates and exports read only what they are given.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, fields, replace
from functools import cache
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from .strategy import StrategyView, ThemeView
from .views import DecisionView, ItemView, Link, ProfileView, RecentChange, RequestView, Site

AudienceName = Literal["internal", "public"]
if TYPE_CHECKING:
    from _typeshed import DataclassInstance

View = TypeVar("View", bound="DataclassInstance")


@dataclass(frozen=True, slots=True)
class Audience:
    """The rules of one audience."""

    name: AudienceName
    """`internal` or `public`, as `--audience` names it."""
    internal: bool
    """True for the company's own site (banner, noindex, every field and page)."""
    public_only: bool
    """Only files marked `visibility: public` appear."""
    fields: tuple[tuple[type, frozenset[str]], ...] | None
    """The fields shown of each view type; None shows every field of every view."""
    index_pages: tuple[tuple[str, str], ...]
    """(template name, navigation entry) of the pages that list the whole roadmap."""
    item_export_fields: tuple[str, ...] | None
    """Fields of `roadmap.json` entries; None writes the full record of `roadmap score`."""
    request_export_fields: tuple[str, ...] | None
    """Fields of `requests.json` and `requests.csv`; None: the full record."""
    board_by_rank: bool
    """Board columns in rank order (else by target quarter, then title)."""

    def __str__(self) -> str:
        return self.name

    def shows(self, visibility: str) -> bool:
        """Whether a file with this `visibility` appears at all."""
        return visibility == "public" or not self.public_only

    def shows_field(self, view_type: Any, name: str) -> bool:
        return name not in _hidden(self, view_type)

    def redact(self, view: View) -> View:
        """`view` with every field this audience may not see replaced by its empty default."""
        hidden = _hidden(self, type(view))
        return replace(view, **hidden) if hidden else view


@cache
def _hidden(audience: Audience, view_type: Any) -> dict[str, Any]:  # Any: a dataclass type
    """Field name -> empty value, for the fields of `view_type` that `audience` hides."""
    if audience.fields is None:
        return {}
    shown = dict(audience.fields).get(view_type, frozenset())
    hidden = {}
    for field in fields(view_type):
        if field.name in shown:
            continue
        if field.default is MISSING:
            raise TypeError(f"{view_type.__name__}.{field.name} is hidden but has no empty default")
        hidden[field.name] = field.default
    return hidden


_INDEX_PAGES = (
    ("index", "board"),
    ("timeline", "timeline"),
    ("changes", "changes"),
    ("decisions", "decisions"),
    ("requests", "requests"),
    ("404", ""),
)

INTERNAL = Audience(
    name="internal",
    internal=True,
    public_only=False,
    fields=None,
    index_pages=(*_INDEX_PAGES, ("accounts", "accounts"), ("priorities", "priorities")),
    item_export_fields=None,
    request_export_fields=None,
    board_by_rank=True,
)

#: What the public audience may see of each view: every field not listed is emptied.
_PUBLIC_FIELDS: tuple[tuple[type, frozenset[str]], ...] = (
    (Site, frozenset({
        "title", "audience", "built", "commit", "model", "model_label", "formula",
        "currency", "items", "requests", "decisions", "item_index", "recent", "history_note",
        "profile", "suggest", "strategy",
    })),
    (StrategyView, frozenset({"title", "vision", "themes"})),
    (ThemeView, frozenset({"id", "title", "goal", "measure", "url", "items"})),
    (ProfileView, frozenset({"title", "body"})),
    (ItemView, frozenset({
        "id", "url", "title", "status", "theme", "target", "shipped", "body", "decisions",
        "alternatives", "tags", "theme_url", "goal",
    })),
    (RequestView, frozenset({
        "id", "url", "title", "status", "submitted", "area", "tags", "body", "item",
        "canonical", "duplicates",
    })),
    (DecisionView, frozenset({"date", "outcome", "summary", "item", "reason",
                              "reason_label"})),
    (RecentChange, frozenset({"date", "item", "kind", "text"})),
    (Link, frozenset({"id", "title", "url", "status"})),
)  # fmt: skip

PUBLIC = Audience(
    name="public",
    internal=False,
    public_only=True,
    fields=_PUBLIC_FIELDS,
    index_pages=_INDEX_PAGES,
    item_export_fields=("id", "title", "status", "theme", "target", "shipped", "alternatives"),
    request_export_fields=("id", "title", "status", "item", "canonical", "submitted", "area"),
    board_by_rank=False,
)

AUDIENCES: dict[str, Audience] = {a.name: a for a in (INTERNAL, PUBLIC)}
