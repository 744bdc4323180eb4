"""The `roadmap` command line."""

from __future__ import annotations

import gc
import signal
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
    # A run builds one large, mostly acyclic model: collecting cycles every 700
    # allocations costs ~15% of a big check and finds next to nothing.
    gc.set_threshold(50_000, 20, 20)


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


@main.command()
@_root_option
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
    from .pipeline import check as run_check
    from .scoring import records, terminal

    result = run_check(_project_root(root))
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


@main.command()
@_root_option
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
def build(
    root: Path, audience: str, out: Path | None, jobs: int | None, no_cache: bool, force: bool
) -> None:
    """Validate, score and render the static site.

    The new site is written beside the old one and swapped in only when complete:
    invalid content fails the build and leaves the previous site untouched. An
    existing --out folder is replaced only when it is empty or a site that roadmap
    build made (it holds a .roadmap-site file), unless --force is given.
    """
    import time

    from .build import build as run_build
    from .site.outfolder import OutputRefused

    started = time.perf_counter()
    project = _project_root(root)
    target = out if out is not None else project / "site"
    _stop_on_signals()
    try:
        result = run_build(project, target, audience, jobs, not no_cache, force)  # type: ignore[arg-type]
    except OutputRefused as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        click.echo("build interrupted: the previous site is untouched", err=True)
        sys.exit(130)
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        click.echo(
            f"build failed: {exc.strerror or exc}{where}; the previous site is untouched", err=True
        )
        sys.exit(1)
    report = result.check.report
    if report.diagnostics:
        click.echo(report.render("text", result.check.files_checked), err=True)
    if result.files == 0:
        click.echo("build failed: fix the errors above (the previous site is untouched)", err=True)
        sys.exit(1)
    elapsed = time.perf_counter() - started
    click.echo(
        f"built the {audience} site: {result.files} files, {result.bytes / 1e6:.1f} MB "
        f"into {target} in {elapsed:.1f} s"
    )


def _interrupted(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _stop_on_signals() -> None:
    """SIGTERM stops as cleanly as Ctrl-C (the half-written site is removed), and Ctrl-C
    works even in a background job, which a shell starts with SIGINT ignored."""
    for stop in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop, _interrupted)


@main.command()
@_root_option
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
    from . import diff as roadmap_diff
    from .content.loading import ContentTree
    from .git import GitError, read_revision
    from .pipeline import check as run_check

    project = _project_root(root)
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


@main.group()
def new() -> None:
    """Create a valid request or roadmap item file to start from."""


@new.command("request")
@_root_option
@click.argument("title")
@click.option("--account", "accounts", multiple=True, help="Account name (repeatable).")
@click.option(
    "--arr",
    "arrs",
    multiple=True,
    type=click.FloatRange(min=0),
    help="ARR of each --account, in order.",
)
@click.option(
    "--stage",
    "stages",
    multiple=True,
    type=click.Choice(["prospect", "customer", "churn-risk"]),
    help="Stage of each --account, in order.",
)
@click.option("--requester", help="Who logs it (default: git user.name).")
@click.option("--roadmap", "item_id", metavar="ID", help="Id of the roadmap item that answers it.")
def new_request(
    root: Path, title: str, accounts: tuple[str, ...], arrs: tuple[float, ...],
    stages: tuple[str, ...], requester: str | None, item_id: str | None,
) -> None:  # fmt: skip
    """Write content/requests/<slug>.md for TITLE and print its path."""
    from .config import today
    from .content.loading import CONTENT_DIRS, Kind
    from .scaffold import AccountArg, default_requester, request_text, write_new

    project = _project_root(root)
    _check_title(title)
    if len(arrs) > len(accounts) or len(stages) > len(accounts):
        raise click.UsageError("give one --account before each --arr or --stage")
    if item_id is not None and not (project / CONTENT_DIRS[Kind.ITEM] / f"{item_id}.md").is_file():
        raise click.BadParameter(f"no roadmap item '{item_id}'", param_hint="--roadmap")
    listed = [
        AccountArg(name, arrs[n] if n < len(arrs) else None, stages[n] if n < len(stages) else None)
        for n, name in enumerate(accounts)
    ]
    text = request_text(title, today(), requester or default_requester(project), listed, item_id)
    click.echo(write_new(project, Kind.REQUEST, title, text).relative_to(project).as_posix())


@new.command("item")
@_root_option
@click.argument("title")
@click.option(
    "--status", type=click.Choice(["now", "next", "later", "shipped", "declined"]),
    default="later", show_default=True,
)  # fmt: skip
@click.option("--owner", help="Accountable product manager.")
def new_item(root: Path, title: str, status: str, owner: str | None) -> None:
    """Write content/roadmap/<slug>.md for TITLE and print its path."""
    from .config import today
    from .content.loading import Kind
    from .scaffold import item_text, write_new

    project = _project_root(root)
    _check_title(title)
    text = item_text(title, today(), status, owner)
    click.echo(write_new(project, Kind.ITEM, title, text).relative_to(project).as_posix())


def _check_title(title: str) -> None:
    if not title.strip() or len(title.strip()) > 200:
        raise click.BadParameter("a title is 1-200 characters", param_hint="TITLE")


@main.command()
@_root_option
@click.option(
    "--format", "fmt", type=click.Choice(["json-schema", "frontmatter-cms"]),
    default="json-schema", show_default=True,
    help="json-schema: JSON Schemas of request and item frontmatter; frontmatter-cms: a "
    "frontmatter.json for the Front Matter CMS extension of VS Code.",
)  # fmt: skip
@click.option("--kind", type=click.Choice(["request", "item"]), help="Only this kind's schema.")
def schema(root: Path, fmt: str, kind: str | None) -> None:
    """Print editor schemas generated from the models `roadmap check` uses."""
    import json

    from .config import CONFIG_FILE, load_config
    from .content.loading import Kind
    from .diagnostics import Report
    from .editor import frontmatter_cms, json_schema

    project = root.resolve()
    report = Report()
    config_path = project / CONFIG_FILE
    config = load_config(config_path.read_bytes() if config_path.is_file() else None, report)
    if report.errors:
        click.echo(report.render("text", 0), err=True)
        sys.exit(1)
    if fmt == "frontmatter-cms":
        document = frontmatter_cms(config)
    elif kind:
        document = json_schema(Kind(kind), config)
    else:
        document = {k.value: json_schema(k, config) for k in Kind}
    click.echo(json.dumps(document, indent=2, ensure_ascii=False))


@main.command()
@_root_option
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
    import webbrowser

    from .serve.server import serve as run_serve

    project = _project_root(root)

    def ready(url: str) -> None:
        if open_browser:
            webbrowser.open(url)

    try:
        run_serve(project, host, port, audience, lambda m: click.echo(m), ready)  # type: ignore[arg-type]
    except OSError as exc:
        raise click.UsageError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
