"""Plain records of the ranking, for tools: the JSON and CSV formats.

These shapes are a public contract (documented in the README): add keys, never
rename or remove one. `roadmap score` and the site's exports both use them.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from ..content.customers import outside
from ..content.model import SETTLED, Roadmap
from .models import Score
from .plan import item_effort
from .scores import Scores

SCHEMA_VERSION = 1
ITEM_COLUMNS = (
    "rank", "id", "title", "status", "score", "requests", "accounts", "arr",
    "theme", "target", "owner", "explanation",
    "requests_in_profile", "accounts_in_profile", "arr_in_profile", "strategic_accounts",
    "category", "effort", "team",
)  # fmt: skip
REQUEST_COLUMNS = (
    "rank", "id", "title", "status", "score", "accounts", "arr", "item", "canonical",
    "submitted", "requester", "area", "explanation", "account_ids", "outside_profile",
)  # fmt: skip
ACCOUNT_COLUMNS = (
    "id", "name", "has_file", "arr", "stage", "strategic", "owner", "renewal", "fit",
    "requests", "open_requests", "items",
)  # fmt: skip


def _number(value: float | None) -> float | int | None:
    """Whole numbers as ints, so JSON reads `220`, not `220.0`."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(value, 6)


def _score_fields(score: Score) -> dict[str, Any]:
    return {
        "score": _number(score.value),
        "explanation": score.explanation,
        "inputs": [
            {
                "name": i.name,
                "value": _number(i.value) if isinstance(i.value, int | float) else i.value,
                "source": i.source,
                "requests": list(i.requests),
            }
            for i in score.inputs
        ],
    }


def item_record(roadmap: Roadmap, scores: Scores, item_id: str) -> dict[str, Any]:
    item, demand = roadmap.items[item_id], scores.item_demand[item_id]
    return {
        "rank": scores.item_ranks[item_id],
        "id": item.id,
        "title": item.title,
        "status": item.status,
        "theme": item.meta.theme,
        "target": item.meta.target,
        "owner": item.meta.owner,
        **_score_fields(scores.items[item_id]),
        "requests": len(demand.requests),
        "accounts": len(demand.accounts),
        "arr": _number(demand.arr),
        # the part from accounts in the target customer profile (zero without a profile)
        "requests_in_profile": demand.requests_in_profile,
        "accounts_in_profile": len(demand.in_profile),
        "arr_in_profile": _number(demand.arr_in_profile),
        "strategic_accounts": len(demand.strategic),
        # capacity planning: investment category, person-months and team
        "category": item.meta.category,
        "effort": _number(item_effort(item.meta)),
        "team": item.meta.team,
    }


def request_record(roadmap: Roadmap, scores: Scores, request_id: str) -> dict[str, Any]:
    request, demand = roadmap.requests[request_id], scores.request_demand[request_id]
    slugs = scores.account_slugs
    return {
        "rank": scores.request_ranks[request_id],
        "id": request.id,
        "title": request.title,
        "status": request.status,
        "item": request.item,
        "canonical": request.canonical,
        "submitted": request.meta.submitted.isoformat(),
        "requester": request.meta.requester,
        "area": request.meta.area,
        **_score_fields(scores.requests[request_id]),
        # demand of the request and its duplicates: the figures the ranking breaks ties on
        "accounts": len(demand.accounts),
        "arr": _number(demand.arr),
        "account_names": [stake.name for stake in demand.accounts],
        # its own accounts: page slugs (an account file's id), and each one's fit
        "account_ids": [slugs[a.key] for a in request.accounts],
        "account_fits": [a.fit or None for a in request.accounts],
        "outside_profile": outside(a.fit for a in request.accounts),
    }


def account_record(roadmap: Roadmap, scores: Scores, slug: str) -> dict[str, Any]:
    """One account: its file's fields (when it has one), fit, and what it asked for."""
    account = scores.accounts[slug]
    record = roadmap.accounts.get(account.file) if account.file else None
    meta = record.meta if record else None
    statuses = roadmap.requests
    return {
        "id": slug,
        "name": account.name,
        "has_file": record is not None,
        "arr": _number(account.arr),
        "stage": account.stage,
        "strategic": account.strategic,
        "owner": meta.owner if meta else None,
        "renewal": meta.renewal.isoformat() if meta and meta.renewal else None,
        "fit": account.fit or None,
        "fit_missed": list(record.fit.missed) if record and record.fit else [],
        "attributes": dict(meta.model_extra or {}) if meta else {},
        "requests": list(account.requests),
        "open_requests": sum(1 for r in account.requests if statuses[r].status not in SETTLED),
        "items": list(account.items),
    }


def ranking(
    roadmap: Roadmap,
    scores: Scores,
    kind: str,
    statuses: Iterable[str] = (),
    top: int | None = None,
) -> list[dict[str, Any]]:
    """Records in rank order, optionally filtered by status and cut to the first `top`."""
    wanted = set(statuses)
    order = scores.item_ranking if kind == "items" else scores.request_ranking
    build = item_record if kind == "items" else request_record
    records = []
    for entry_id in order:
        record = build(roadmap, scores, entry_id)
        if wanted and record["status"] not in wanted:
            continue
        records.append(record)
        if top is not None and len(records) >= top:
            break
    return records


def to_json(scores: Scores, kind: str, records: list[dict[str, Any]]) -> str:
    return json_document(json_head(scores, kind), [json_entry(r) for r in records])


def json_head(scores: Scores, kind: str) -> dict[str, Any]:
    """The keys of a JSON export before its entries."""
    return {
        "schema": SCHEMA_VERSION,
        "kind": kind,
        "model": scores.model,
        "formula": scores.formula,
    }


def dump_json(document: Any) -> str:
    """Indented JSON; `<`, `>` and `&` escaped so no browser can read it as HTML."""
    return _escape(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"


def json_entry(record: dict[str, Any]) -> str:
    """One record on one line, as `json_document` places it (each can be kept and reused).

    One line per record keeps a diff of two exports readable, and is encoded by the
    C encoder (an indented one is not: it is many times slower on 10,000 records).
    """
    return _escape("    " + _ENTRY_ENCODER.encode(record))


#: The encoder of `json_entry` (`json.dumps` with options makes a new one per call); no
#: check for reference cycles: a record is a tree made afresh.
_ENTRY_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "), check_circular=False)


def json_document(head: dict[str, Any], entries: list[str]) -> str:
    """The head's keys indented, then `"entries"`: one record (from `json_entry`) per line."""
    text = dump_json({**head, "entries": []})
    if not entries:
        return text
    return text[: -len("[]\n}\n")] + "[\n" + ",\n".join(entries) + "\n  ]\n}\n"


def _escape(text: str) -> str:
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def to_csv(kind: str, records: list[dict[str, Any]]) -> str:
    return write_csv(ITEM_COLUMNS if kind == "items" else REQUEST_COLUMNS, records)


def write_csv(columns: tuple[str, ...], records: list[dict[str, Any]]) -> str:
    """CSV with a header row; cells a spreadsheet would run as formulas are defused."""
    return csv_line(columns) + "".join(csv_row(columns, record) for record in records)


def csv_row(columns: tuple[str, ...], record: dict[str, Any]) -> str:
    """One record as a CSV line (each can be kept and reused)."""
    return csv_line([_cell(record.get(k)) for k in columns])


def csv_line(cells: Iterable[Any]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)
    return out.getvalue()


#: First characters that make a spreadsheet run a cell as a formula.
_FORMULA_STARTS = frozenset(("=", "+", "-", "@", "\t", "\r"))


def _cell(value: Any) -> Any:
    """Empty for None; text that a spreadsheet would run as a formula is quoted."""
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if value[:1] in _FORMULA_STARTS else value
    if isinstance(value, list):  # ids: one cell, space separated (ids hold no spaces)
        return " ".join(str(v) for v in value)
    return value
