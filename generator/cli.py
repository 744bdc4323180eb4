"""The `roadmap` command line: the group and its commands (each in `generator.commands`)."""

from __future__ import annotations

import signal

# Ctrl-C interrupts every command from its first moment, even a background job (a shell
# starts those with SIGINT ignored, and Python keeps it ignored): set before the slower
# imports below; commands that must clean up install their own handlers
signal.signal(signal.SIGINT, signal.default_int_handler)

import click  # noqa: E402

from . import __version__  # noqa: E402
from .collector import tune as tune_collector  # noqa: E402
from .commands.check import check, score  # noqa: E402
from .commands.intake import intake  # noqa: E402
from .commands.options import leave  # noqa: E402
from .commands.review import diff, digest  # noqa: E402
from .commands.site import build, serve  # noqa: E402
from .commands.write import new, schema  # noqa: E402


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            # Ctrl-C before a command took over its signals: one line, and the shell's
            # status for it (click would say "Aborted!" and exit 1)
            # (leave: CPython would otherwise re-raise SIGINT on itself at exit)
            click.echo("interrupted while starting: nothing was changed", err=True)
            leave(130)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="roadmap")
def main() -> None:
    """Docs-as-code product roadmap: validate, score and publish requests and decisions."""
    tune_collector()
    from .clock import source_date_epoch_problem

    if problem := source_date_epoch_problem():  # one clean line, before any work
        raise click.UsageError(problem)


for command in (check, score, build, diff, digest, new, schema, serve, intake):
    main.add_command(command)
