"""The `roadmap` command line: the group and its commands (each in `generator.commands`)."""

from __future__ import annotations

import gc

import click

from . import __version__
from .commands.check import check, score
from .commands.review import diff
from .commands.site import build, serve
from .commands.write import new, schema


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="roadmap")
def main() -> None:
    """Docs-as-code product roadmap: validate, score and publish requests and decisions."""
    # A run builds one large, mostly acyclic model: collecting cycles every 700
    # allocations costs ~15% of a big check and finds next to nothing.
    gc.set_threshold(50_000, 20, 20)
    from .config import source_date_epoch_problem  # here: pydantic is slow to import

    if problem := source_date_epoch_problem():  # one clean line, before any work
        raise click.UsageError(problem)


for command in (check, score, build, diff, new, schema, serve):
    main.add_command(command)
