"""Machine-readable files beside the pages: JSON, CSV, the Atom feed of decisions and
(internal build) the feeds of each account and requester.

The audience says which fields are written (:mod:`generator.site.audience`): the
internal site writes the documented record formats of `roadmap score`; an audience
with an allowlist gets only those fields, taken from its own views, so a field
added to the records later cannot leak by default.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, TypeVar

from jinja2 import Environment

from ..content.model import Roadmap
from ..formatting import slugify
from ..scoring.records import (
    ACCOUNT_COLUMNS,
    ITEM_COLUMNS,
    REQUEST_COLUMNS,
    SCHEMA_VERSION,
    account_record,
    csv_line,
    csv_row,
    item_record,
    json_document,
    json_entry,
    request_record,
)
from ..scoring.scores import Scores
from .follow import feeds, xml_bytes
from .views import ItemView, RequestView, Site

#: What a row is made from: compared with what it was last made from to decide to keep it.
Inputs = TypeVar("Inputs", bound=tuple[object, ...])


class Rows:
    """Encoded export rows, kept between rebuilds of `roadmap serve`.

    A row is encoded again only when one of its inputs is not the very object (or an
    equal value) it was encoded from; `roadmap serve` keeps the model objects an edit
    cannot reach, so a save re-encodes only the rows it changed.
    """

    def __init__(self) -> None:
        self._kept: dict[str, dict[str, tuple[object, tuple[str, str]]]] = {}
        self.feeds: dict[str, tuple[object, bytes]] = {}
        """Account and requester feeds with what each was made from (`follow.feeds`)."""

    def encode(
        self,
        kind: str,
        entries: Iterable[tuple[str, Inputs]],
        record: Callable[[str, Inputs], dict[str, Any]],
        columns: tuple[str, ...],
    ) -> list[tuple[str, str]]:
        """(JSON entry, CSV line) of each (id, inputs), in order; `record` makes a record."""
        kept, used, encoded = self._kept.get(kind, {}), {}, []
        for entry_id, inputs in entries:
            found = kept.get(entry_id)
            if found is None or found[0] != inputs:
                made = record(entry_id, inputs)
                found = (inputs, (json_entry(made), csv_row(columns, made)))
            used[entry_id] = found
            encoded.append(found[1])
        self._kept[kind] = used  # only the rows of this rebuild: nothing piles up
        return encoded


def exports(
    env: Environment, site: Site, roadmap: Roadmap, scores: Scores, rows: Rows | None = None
) -> Iterator[tuple[str, bytes]]:
    """(path, bytes) of every export file."""
    rows = rows or Rows()
    item_fields = site.audience.item_export_fields
    request_fields = site.audience.request_export_fields
    if item_fields is None or request_fields is None:
        items = _ranked(
            rows, "items", scores.item_ranking,
            (roadmap.items, scores.items, scores.item_demand, scores.item_ranks),
            lambda i, _: item_record(roadmap, scores, i), ITEM_COLUMNS,
        )  # fmt: skip
        requests = _ranked(
            rows, "requests", scores.request_ranking,
            (roadmap.requests, scores.requests, scores.request_demand, scores.request_ranks),
            lambda r, _: request_record(roadmap, scores, r), REQUEST_COLUMNS,
        )  # fmt: skip
        request_columns: tuple[str, ...] = REQUEST_COLUMNS
        head: dict[str, Any] = {"model": scores.model, "formula": scores.formula}
        accounts = rows.encode(
            "accounts", ((a, (scores.accounts[a], roadmap.accounts.get(a), roadmap.profile))
                         for a in scores.accounts),
            lambda a, _: account_record(roadmap, scores, a), ACCOUNT_COLUMNS,
        )  # fmt: skip
        yield (
            "accounts.json",
            json_document(
                {"schema": SCHEMA_VERSION, "kind": "accounts"}, [entry for entry, _ in accounts]
            ).encode(),
        )
        yield (
            "accounts.csv",
            (csv_line(ACCOUNT_COLUMNS) + "".join(line for _, line in accounts)).encode(),
        )
    else:
        items = rows.encode(
            "items", ((i.id, (i,)) for i in site.items),
            lambda _, inputs: _listed_item(inputs[0], item_fields), item_fields,
        )  # fmt: skip
        requests = rows.encode(
            "requests", ((r.id, (r,)) for r in site.requests),
            lambda _, inputs: _listed_request(inputs[0], request_fields), request_fields,
        )  # fmt: skip
        request_columns = request_fields
        head = {"audience": site.audience.name}
    for path, kind, entries in (("roadmap.json", "items", items),
                                ("requests.json", "requests", requests)):  # fmt: skip
        document = {"schema": SCHEMA_VERSION, "kind": kind, **head}
        yield path, json_document(document, [entry for entry, _ in entries]).encode()
    csv_text = csv_line(request_columns) + "".join(line for _, line in requests)
    yield "requests.csv", csv_text.encode()
    yield "feed.xml", _feed(env, site, roadmap.config.site.base_url)
    yield from feeds(env, site, rows.feeds)


def _ranked(
    rows: Rows,
    kind: str,
    ranking: tuple[str, ...],
    sources: tuple[Mapping[str, Any], ...],
    record: Callable[[str, tuple[Any, ...]], dict[str, Any]],
    columns: tuple[str, ...],
) -> list[tuple[str, str]]:
    """Rows in rank order; a row's inputs are its entries in each of `sources`."""
    inputs = zip(*(map(source.__getitem__, ranking) for source in sources), strict=True)
    return rows.encode(kind, zip(ranking, inputs, strict=True), record, columns)


def _listed_item(item: ItemView, names: tuple[str, ...]) -> dict[str, Any]:
    record = {name: getattr(item, name) or None for name in names}
    record["decisions"] = [
        {"date": d.date, "outcome": d.outcome, "summary": d.summary} for d in item.decisions
    ]
    return record


def _listed_request(request: RequestView, names: tuple[str, ...]) -> dict[str, Any]:
    record: dict[str, Any] = {name: getattr(request, name) or None for name in names}
    for link in ("item", "canonical"):
        if link in record:
            found = getattr(request, link)
            record[link] = found.id if found else None
    return record


def _feed(env: Environment, site: Site, base_url: str) -> bytes:
    base = base_url if not base_url or base_url.endswith("/") else base_url + "/"
    slug = slugify(site.title, "roadmap", 200)
    feed_id = f"{base}feed.xml" if base else f"urn:roadmap:{slug}"
    updated = f"{site.decisions[0].date}T00:00:00Z" if site.decisions else "1970-01-01T00:00:00Z"
    template = env.get_template("feed.xml")
    text = template.render(site=site, base=base, feed_id=feed_id, updated=updated)
    return xml_bytes(text)
