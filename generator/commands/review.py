"""`roadmap diff`: what a change does to the roadmap."""

from __future__ import annotations

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
