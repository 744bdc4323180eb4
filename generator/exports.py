"""Machine-readable files beside the pages: JSON, CSV and the Atom feed of decisions.

The internal build uses the documented record formats of `roadmap score`. The public
build writes only an allowlist of fields taken from the public views, so a field
added to the records later cannot leak by default.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from jinja2 import Environment

from .model import Roadmap
from .records import SCHEMA_VERSION, dump_json, ranking, to_csv, to_json, write_csv
from .scoring import Scores
from .views import Site

PUBLIC_ITEM_FIELDS = ("id", "title", "status", "theme", "target", "shipped", "alternatives")
PUBLIC_REQUEST_FIELDS = ("id", "title", "status", "item", "canonical", "submitted", "area")


def exports(
    env: Environment, site: Site, roadmap: Roadmap, scores: Scores
) -> Iterator[tuple[str, bytes]]:
    """(path, bytes) of every export file."""
    if site.internal:
        items = ranking(roadmap, scores, "items")
        requests = ranking(roadmap, scores, "requests")
        yield "roadmap.json", to_json(scores, "items", items).encode()
        yield "requests.json", to_json(scores, "requests", requests).encode()
        yield "requests.csv", to_csv("requests", requests).encode()
    else:
        items = [_public_item(i) for i in site.items]
        requests = [_public_request(r) for r in site.requests]
        yield "roadmap.json", _public_json("items", items)
        yield "requests.json", _public_json("requests", requests)
        yield "requests.csv", write_csv(PUBLIC_REQUEST_FIELDS, requests).encode()
    yield "feed.xml", _feed(env, site, roadmap.config.site.base_url)


def _public_item(item) -> dict[str, Any]:
    record = {name: getattr(item, name) or None for name in PUBLIC_ITEM_FIELDS}
    record["decisions"] = [
        {"date": d.date, "outcome": d.outcome, "summary": d.summary} for d in item.decisions
    ]
    return record


def _public_request(request) -> dict[str, Any]:
    record: dict[str, Any] = {
        name: getattr(request, name) or None for name in PUBLIC_REQUEST_FIELDS
    }
    record["item"] = request.item.id if request.item else None
    record["canonical"] = request.canonical.id if request.canonical else None
    return record


def _public_json(kind: str, entries: list[dict[str, Any]]) -> bytes:
    document = {"schema": SCHEMA_VERSION, "kind": kind, "audience": "public", "entries": entries}
    return dump_json(document).encode()


def _feed(env: Environment, site: Site, base_url: str) -> bytes:
    base = base_url if not base_url or base_url.endswith("/") else base_url + "/"
    slug = re.sub(r"[^a-z0-9]+", "-", site.title.lower()).strip("-") or "roadmap"
    feed_id = f"{base}feed.xml" if base else f"urn:roadmap:{slug}"
    updated = f"{site.decisions[0].date}T00:00:00Z" if site.decisions else "1970-01-01T00:00:00Z"
    template = env.get_template("feed.xml")
    return template.render(site=site, base=base, feed_id=feed_id, updated=updated).encode()
