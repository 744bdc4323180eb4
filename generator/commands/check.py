"""`roadmap check` and `roadmap score`: the first phase, and the ranking it gives."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .options import leave, output_options, project_root, root_option


@click.command()
@root_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    help="text for people, json for tools, github for workflow annotations.",
)
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@output_options
def check(root: Path, fmt: str, strict: bool, quiet: bool, verbose: bool) -> None:
    """Validate every content file and report all problems at once.

    Exit status: 0 when clean, 1 on errors (or warnings with --strict), 2 on usage errors.
    """
    from ..collector import paused
    from ..diagnostics import WARNINGS_SHOWN
    from ..pipeline import check as run_check
    from .progress import progress_for

    progress = progress_for(quiet, fmt)
    try:
        with paused():  # a one-shot run: the model is built, reported on, dropped
            result = run_check(project_root(root), progress=progress)
    finally:
        progress.close()
    report = result.report
    click.echo(report.render(fmt, result.files_checked, None if verbose else WARNINGS_SHOWN))
    failed = bool(report.errors) or (strict and bool(report.warnings))
    leave(1 if failed else 0)


@click.command()
@root_option
@click.option(
    "--kind",
    type=click.Choice(["items", "requests"]),
    default="items",
    show_default=True,
    help="Rank roadmap items or requests.",
)
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice(["now", "next", "later", "shipped", "declined", "untriaged", "duplicate"]),
    help="Only entries with this status (repeatable).",
)
@click.option("--top", type=click.IntRange(min=1), help="Only the first N entries.")
@click.option(
    "--explain", "explain_id", metavar="ID", help="Explain one item's or request's score."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="table for people; csv and json are stable formats for tools.",
)
def score(
    root: Path,
    kind: str,
    statuses: tuple[str, ...],
    top: int | None,
    explain_id: str | None,
    fmt: str,
) -> None:
    """Rank items or requests by score, with the demand behind each."""
    from ..pipeline import check as run_check
    from ..scoring import records, terminal

    result = run_check(project_root(root))
    if result.roadmap is None or result.scores is None:
        click.echo(result.report.render("text", result.files_checked), err=True)
        click.echo("cannot score: fix the errors above first (roadmap check)", err=True)
        sys.exit(1)
    roadmap, scores = result.roadmap, result.scores
    if explain_id is not None:
        if explain_id in roadmap.items and (kind == "items" or explain_id not in roadmap.requests):
            kind = "items"
        elif explain_id in roadmap.requests:
            kind = "requests"
        else:
            raise click.BadParameter(
                f"no item or request with id '{explain_id}'", param_hint="--explain"
            )
        build = records.item_record if kind == "items" else records.request_record
        record = build(roadmap, scores, explain_id)
        if fmt == "json":
            click.echo(records.to_json(scores, kind, [record]), nl=False)
        else:
            terminal.explain(roadmap, scores, kind, explain_id)
        return
    rows = records.ranking(roadmap, scores, kind, statuses, top)
    if fmt == "json":
        click.echo(records.to_json(scores, kind, rows), nl=False)
    elif fmt == "csv":
        click.echo(records.to_csv(kind, rows), nl=False)
    else:
        terminal.ranking_table(roadmap, scores, kind, rows)
