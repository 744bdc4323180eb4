"""`roadmap diff`: what a change does to the roadmap."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from .options import project_root, root_option


@click.command()
@root_option
@click.argument("base")
@click.argument("head", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="markdown is ready for a pull-request comment or job summary.",
)
@click.option(
    "--threshold",
    type=click.FloatRange(min=0),
    default=10.0,
    show_default=True,
    help="Report score changes above this many percent.",
)
@click.option(
    "--rank-threshold",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Report rank moves of at least this many places.",
)
def diff(
    root: Path, base: str, head: str | None, fmt: str, threshold: float, rank_threshold: int
) -> None:
    """What changed in the roadmap between two git revisions.

    BASE and HEAD are git revisions (a branch, tag or commit); HEAD defaults to the
    working tree. Both sides are read straight from git objects, nothing is checked
    out. Exit status: 0 when both sides are valid, 1 when either has errors.
    """
    from .. import diff as roadmap_diff
    from ..content.tree import ContentTree
    from ..git import GitError, read_revision
    from ..pipeline import check as run_check

    project = project_root(root)
    try:
        base_tree = read_revision(project, base)
        head_tree = read_revision(project, head) if head else ContentTree(project)
    except GitError as exc:
        raise click.UsageError(str(exc) or f"unknown revision: {base}") from None
    before, after = run_check(base_tree), run_check(head_tree)
    result = roadmap_diff.compare(
        before, after, base, head or "working tree", threshold / 100, rank_threshold
    )
    shown = after.roadmap or before.roadmap
    currency = shown.config.site.currency if shown is not None else "USD"
    click.echo(roadmap_diff.render(result, fmt, currency))
    sys.exit(0 if result.valid else 1)


@click.command()
@root_option
@click.option(
    "--since", required=True, type=click.DateTime(formats=["%Y-%m-%d"]),
    help="First day to report (YYYY-MM-DD): changes made on or after it.",
)  # fmt: skip
@click.option("--account", help="Only this account's requests (file id, name or alias).")
@click.option("--requester", help="Only the requests this person logged.")
@click.option(
    "--format", "fmt", type=click.Choice(["markdown", "html", "json"]), default="markdown",
    show_default=True, help="markdown for chat and plain e-mail, html for an e-mail body.",
)  # fmt: skip
def digest(
    root: Path, since: dt.datetime, account: str | None, requester: str | None, fmt: str
) -> None:
    """What changed since a date for the requests an account or a person follows.

    Compares the roadmap at the last commit before --since with the roadmap at HEAD
    (committed changes only), and dates status moves from git history: requests
    logged, status moves, decisions with their summary, new alternatives.
    Exit status: 0, or 1 when HEAD (or that commit) has errors.
    """
    from .. import digest as roadmap_digest
    from ..content.model import account_key
    from ..git import GitError, commit_before, history, read_revision
    from ..pipeline import check as run_check

    if account is not None and requester is not None:
        raise click.UsageError("give --account or --requester, not both")
    project = project_root(root)
    day = since.date().isoformat()
    try:
        after = run_check(read_revision(project, "HEAD"))
        base = commit_before(project, day)
        before = run_check(read_revision(project, base)) if base else None
    except GitError as exc:
        raise click.UsageError(f"a digest is made from git history: {exc}") from None
    for side, result in (("HEAD", after), (f"commit {base}", before)):
        if result is not None and result.roadmap is None:
            click.echo(f"the roadmap at {side} has errors (run `roadmap check`):", err=True)
            click.echo(result.report.render("text", 20), err=True)
            sys.exit(1)
    assert after.roadmap is not None
    roadmap = after.roadmap
    if account is not None:
        key = account_key(account)
        known = {a.key for r in roadmap.requests.values() for a in r.accounts}
        if (
            key not in known
            and key not in roadmap.account_names
            and account not in roadmap.accounts
        ):
            raise click.UsageError(f"no account {account!r} on any request or account file")
    old = before.roadmap if before is not None else None
    made = roadmap_digest.digest(old, roadmap, history(project), day, base, account, requester)
    click.echo(roadmap_digest.render(made, fmt, roadmap.config.site.title), nl=False)
