"""`roadmap intake`: a request file from an issue made with the customer-request form."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import click

from .options import project_root, root_option

if TYPE_CHECKING:
    from ..intake import Problem


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:  # a date, or a timestamp as GitHub gives it (2026-11-23T09:14:02Z)
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise click.BadParameter(f"not a date: {value!r}", param_hint="--submitted") from None


@click.command()
@root_option
@click.argument("body_file", type=click.File("r", encoding="utf-8", errors="replace"))
@click.option("--title", required=True, help="The issue's title: the request's title.")
@click.option(
    "--requester", default="",
    help="Who asks when the form's \"Who asks\" is empty (the workflow passes the issue's "
    "author).",
)  # fmt: skip
@click.option("--issue", type=click.IntRange(min=1), help="The issue's number (named in the body).")
@click.option("--submitted", help="Date it was submitted (default: today); a timestamp works.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "markdown"]), default="text",
    show_default=True,
    help="How problems are printed: markdown is a comment ready to post on the issue.",
)  # fmt: skip
@click.option("--dry-run", is_flag=True, help="Check and print the file; write nothing.")
def intake(
    root: Path, body_file: TextIO, title: str, requester: str, issue: int | None,
    submitted: str | None, fmt: str, dry_run: bool,
) -> None:  # fmt: skip
    """Turn an issue made with the customer-request form into a request file.

    BODY_FILE holds the issue's body as GitHub wrote it (`-` reads standard input).
    The file is checked with the whole roadmap before it is written, under a new id
    made from the title (never a path from the issue). Prints the file's path; with
    problems, prints each, in the form's words, writes nothing and exits 1.
    """
    from ..clock import today
    from ..intake import intake as run_intake
    from ..scaffold import default_requester

    project = project_root(root)
    body = body_file.read()
    done = run_intake(
        project, body, title, requester.strip() or default_requester(project),
        _date(submitted) or today(), issue, write=not dry_run,
    )  # fmt: skip
    if done.problems:
        click.echo(_comment(done.problems) if fmt == "markdown" else
                   "\n".join(p.text() for p in done.problems))  # fmt: skip
        sys.exit(1)
    click.echo(done.text if dry_run else done.path)


def _comment(problems: tuple[Problem, ...]) -> str:
    lines = [
        "Thanks for logging this request. Before it can go on the roadmap, please fix:",
        "",
    ]
    for problem in problems:
        where = f"**{problem.label}**: " if problem.label else ""
        lines.append(f"- {where}{_inline(problem.message)}")
    lines += ["", "Edit the issue to fix them: it is read again when you save."]
    return "\n".join(lines)


def _inline(text: str) -> str:
    """One line of a markdown list, with nothing that pings, links or formats by accident."""
    flat = " ".join(text.split())
    for char in "\\*_[]<>@#|":
        flat = flat.replace(char, "\\" + char)
    return flat
