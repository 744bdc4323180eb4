"""Terminal views of the scores (rich): the ranking table and one score explained."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table

from ..content.model import Item, Request, Roadmap
from ..formatting import fmt, money
from .models import MODELS
from .scores import Scores

STATUS_STYLE = {
    "now": "bold green",
    "next": "cyan",
    "later": "blue",
    "shipped": "magenta",
    "declined": "red",
    "untriaged": "yellow",
    "duplicate": "dim",
}


#: How a fit verdict reads, everywhere it is shown.
FIT_WORDS = {"in": "in profile", "out": "outside profile", "unknown": "unknown"}


def _console() -> Console:
    # when piped, rich assumes 80 columns; titles read better wider than that
    console = Console()
    return console if console.is_terminal else Console(width=140)


def _status(status: str) -> str:
    return f"[{STATUS_STYLE.get(status, '')}]{status}[/]"


def ranking_table(roadmap: Roadmap, scores: Scores, kind: str, rows: list[dict[str, Any]]) -> None:
    currency = roadmap.config.site.currency
    model = MODELS[scores.model].label
    table = Table(
        title=f"{'Roadmap items' if kind == 'items' else 'Requests'} by {model}",
        caption=f"score = {scores.formula}; ties by ARR, then id; unscored last",
        box=box.SIMPLE_HEAD,
    )
    table.add_column("#", justify="right")
    table.add_column("id", style="bold", no_wrap=True)
    table.add_column("title", overflow="fold")
    table.add_column("status")
    table.add_column("score", justify="right")
    if kind == "items":
        table.add_column("requests", justify="right")
    table.add_column("accounts", justify="right")
    table.add_column("ARR", justify="right")
    for row in rows:
        cells = [
            "-" if row["rank"] is None else str(row["rank"]),
            row["id"],
            row["title"],
            _status(row["status"]),
            "unscored" if row["score"] is None else fmt(row["score"]),
        ]
        if kind == "items":
            cells.append(str(row["requests"]))
        cells += [str(row["accounts"]), money(row["arr"], currency, "-")]
        table.add_row(*cells)
    _console().print(table)


def explain(roadmap: Roadmap, scores: Scores, kind: str, entry_id: str) -> None:
    """The score of one entry, with every input's origin and the demand behind it."""
    console = _console()
    currency = roadmap.config.site.currency
    entry: Item | Request
    if kind == "items":
        entry, score = roadmap.items[entry_id], scores.items[entry_id]
        demand, rank = scores.item_demand[entry_id], scores.item_ranks[entry_id]
        total = sum(1 for s in scores.items.values() if s.scored)
    else:
        entry, score = roadmap.requests[entry_id], scores.requests[entry_id]
        demand, rank = scores.request_demand[entry_id], scores.request_ranks[entry_id]
        total = sum(1 for s in scores.requests.values() if s.scored)
    status = entry.status
    console.print(f"[bold]{entry.id}[/]: {entry.title}  {_status(status)}")
    noun = "items" if kind == "items" else "requests"
    position = f"rank {rank} of {total} scored {noun}" if rank else f"unscored ({total} scored)"
    console.print(f"{position}; model {MODELS[scores.model].label}: {scores.formula}")
    console.print(f"[bold]{score.explanation}[/]")
    if score.inputs:
        inputs = Table(box=box.SIMPLE_HEAD, title="inputs", title_justify="left")
        for column in ("input", "value", "from"):
            inputs.add_column(column, justify="right" if column == "value" else "left")
        for item in score.inputs:
            value = fmt(item.value) if isinstance(item.value, int | float) else str(item.value)
            origin = item.source + (f": {', '.join(item.requests)}" if item.requests else "")
            inputs.add_row(item.name, value, origin)
        console.print(inputs)
    console.print(
        f"demand: {len(demand.requests)} request(s), {len(demand.accounts)} account(s), "
        f"ARR {money(demand.arr, currency, '-')}"
    )
    profiled = roadmap.profile is not None
    if profiled and demand.accounts:
        share = f" ({demand.arr_in_profile / demand.arr:.0%} of ARR)" if demand.arr else ""
        console.print(
            f"in the target profile: {demand.requests_in_profile} request(s), "
            f"{len(demand.in_profile)} account(s), ARR "
            f"{money(demand.arr_in_profile, currency, '-')}{share}; "
            f"strategic accounts: {len(demand.strategic)}"
        )
    if demand.accounts:
        accounts = Table(box=box.SIMPLE_HEAD)
        columns = ("account", "ARR", "stage", *(("profile", "strategic") if profiled else ()))
        for column in columns:
            accounts.add_column(column, justify="right" if column == "ARR" else "left")
        for stake in demand.accounts:
            row = [stake.name, money(stake.arr, currency, "-"), stake.stage or "-"]
            if profiled:
                row += [FIT_WORDS.get(stake.fit, "-"), "yes" if stake.strategic else ""]
            accounts.add_row(*row)
        console.print(accounts)
    if kind == "items" and demand.requests:
        linked = Table(box=box.SIMPLE_HEAD, title="requests", title_justify="left")
        for column in ("id", "title", "status"):
            linked.add_column(column)
        for request_id in demand.requests:
            request = roadmap.requests[request_id]
            note = f" (duplicate of {request.canonical})" if request.is_duplicate else ""
            linked.add_row(request_id, request.title + note, _status(request.status))
        console.print(linked)
