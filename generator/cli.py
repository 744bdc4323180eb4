"""The `roadmap` command line."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click

from . import __version__

ROOT_HELP = "Project root holding content/ and roadmap.toml (default: current folder)."


def _root_option(func: Callable) -> Callable:
    return click.option(
        "--root",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("."),
        show_default=False,
        help=ROOT_HELP,
    )(func)


def _project_root(root: Path) -> Path:
    root = root.resolve()
    if not (root / "content").is_dir():
        raise click.UsageError(f"no content/ folder under {root}: is this a roadmap project?")
    return root


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="roadmap")
def main() -> None:
    """Docs-as-code product roadmap: validate, score and publish requests and decisions."""


@main.command()
@_root_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    help="text for people, json for tools, github for workflow annotations.",
)
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def check(root: Path, fmt: str, strict: bool) -> None:
    """Validate every content file and report all problems at once.

    Exit status: 0 when clean, 1 on errors (or warnings with --strict), 2 on usage errors.
    """
    from .pipeline import check as run_check

    result = run_check(_project_root(root))
    report = result.report
    click.echo(report.render(fmt, result.files_checked))
    failed = bool(report.errors) or (strict and bool(report.warnings))
    sys.exit(1 if failed else 0)
