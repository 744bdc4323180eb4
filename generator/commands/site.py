"""`roadmap build` and `roadmap serve`: the site, written or served live."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, cast

import click

from ..signals import stop_on_signals
from .options import leave, output_options, project_root, root_option

if TYPE_CHECKING:
    from ..site.audience import AudienceName


@click.command()
@root_option
@click.option(
    "--audience",
    type=click.Choice(["internal", "public"]),
    default="internal",
    show_default=True,
    help="internal: for the company; public: for customers, public files only.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="Output folder (default: site/ under the root).",
)
@click.option(
    "--jobs", type=click.IntRange(min=1), help="Processes for rendering (default: all CPUs)."
)
@click.option(
    "--no-cache", is_flag=True, help="Render all markdown again, ignoring .cache/ (not saved)."
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace --out even when it is not a site made by roadmap build (never the project, "
    "its content, a home folder or a repository).",
)
@output_options
def build(
    root: Path, audience: str, out: Path | None, jobs: int | None, no_cache: bool, force: bool,
    quiet: bool, verbose: bool,
) -> None:  # fmt: skip
    """Validate, score and render the static site.

    The new site is written beside the old one and swapped in only when complete:
    invalid content fails the build and leaves the previous site untouched. An
    existing --out folder is replaced only when it is empty or a site that roadmap
    build made (it holds a .roadmap-site file), unless --force is given.
    """
    stop_on_signals()  # first: a stop at any moment removes the half-written site
    project = project_root(root)
    from ..site.headstart import HeadStart

    # forked before the imports below (a third of a second on one core): it renders
    # markdown on the other core meanwhile, and until the pages start
    head = HeadStart(project, not no_cache, jobs)
    from ..collector import paused

    with paused():  # modules: long-lived, next to no cycles (collecting during them: 25 ms)
        import time

        from jinja2 import TemplateError

        from ..build import build as run_build
        from ..diagnostics import WARNINGS_SHOWN
        from ..site.outfolder import OutputRefused
        from ..site.rendering import template_problem
        from .progress import progress_for

    started = time.perf_counter()
    target = out if out is not None else project / "site"
    progress = progress_for(quiet)
    try:
        chosen = cast("AudienceName", audience)  # click.Choice allows nothing else
        result = run_build(project, target, chosen, jobs, not no_cache, force, progress, head)
    except OutputRefused as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        # the half-written site and its locks are already cleaned up (finally blocks);
        # exit now, without the interpreter's exit hooks: one of them joins the worker
        # pool's manager thread, which a worker stopped mid-result leaves blocked forever
        progress.close()
        click.echo("build interrupted: the previous site is untouched", err=True)
        leave(130)
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        click.echo(
            f"build failed: {exc.strerror or exc}{where}; the previous site is untouched", err=True
        )
        sys.exit(1)
    except TemplateError as exc:  # a project's own template: its author's input, no traceback
        click.echo(f"build failed: {template_problem(exc, project)}; the previous site is "
                   "untouched", err=True)  # fmt: skip
        sys.exit(1)
    finally:
        head.close()  # build() stops it too; here also when it never ran
        progress.close()
    report = result.check.report
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    if report.diagnostics:
        limit = None if verbose else WARNINGS_SHOWN
        click.echo(report.render("text", result.check.files_checked, limit), err=True)
    if result.files == 0:
        click.echo("build failed: fix the errors above (the previous site is untouched)", err=True)
        sys.exit(1)
    elapsed = time.perf_counter() - started
    if result.up_to_date:
        click.echo(
            f"the {audience} site in {target} is up to date: nothing changed since the last "
            f"build ({result.files} files, {result.bytes / 1e6:.1f} MB; checked in {elapsed:.1f} s)"
        )
    else:
        click.echo(
            f"built the {audience} site: {result.files} files, {result.bytes / 1e6:.1f} MB "
            f"into {target} in {elapsed:.1f} s"
        )
    leave(0)


@click.command()
@root_option
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: any free port).")  # fmt: skip
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; the default only accepts this machine.")  # fmt: skip
@click.option("--audience", type=click.Choice(["internal", "public"]), default="internal",
              show_default=True)  # fmt: skip
@click.option("--open", "open_browser", is_flag=True, help="Open the site in a browser.")
def serve(root: Path, port: int, host: str, audience: str, open_browser: bool) -> None:
    """Preview the site: rebuild on every save and reload the open pages.

    Errors are shown in the terminal and over the page, and the last good site stays
    up until they are fixed. Stop with Ctrl-C.
    """
    stop_on_signals()  # first: a stop during start-up and the first build is clean too
    try:
        import webbrowser

        from ..serve.server import serve as run_serve

        project = project_root(root)

        def ready(url: str) -> None:
            if open_browser:
                webbrowser.open(url)

        chosen = cast("AudienceName", audience)  # click.Choice allows nothing else
        run_serve(project, host, port, chosen, lambda m: click.echo(m), ready)
    except KeyboardInterrupt:  # before serve took over
        click.echo("stopping")
    except OSError as exc:
        raise click.UsageError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    # stopped: leave now, without the interpreter's exit hooks, which would wait for a
    # rebuild's worker pool (the 60 s a stop once took) and for connection threads
    leave(0)
