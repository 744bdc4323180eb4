"""`roadmap new` and `roadmap schema`: files to start from, and editor support."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .options import project_root, root_option


@click.group()
def new() -> None:
    """Create a valid request or roadmap item file to start from."""


@new.command("request")
@root_option
@click.argument("title")
@click.option(
    "--account", "accounts", multiple=True,
    help="Account name or account file id (repeatable); one with a file is written by id.",
)  # fmt: skip
@click.option(
    "--arr",
    "arrs",
    multiple=True,
    type=click.FloatRange(min=0, max=1e15),
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
    from ..clock import today
    from ..content.files import CONTENT_DIRS, Kind
    from ..content.model import account_key
    from ..scaffold import AccountArg, account_files, default_requester, request_text, write_new

    project = project_root(root)
    _check_title(title)
    if any(arr != arr for arr in arrs):  # NaN passes FloatRange: it compares false
        raise click.BadParameter("not a number", param_hint="--arr")
    if len(arrs) > len(accounts) or len(stages) > len(accounts):
        raise click.UsageError("give one --account before each --arr or --stage")
    if item_id is not None and not (project / CONTENT_DIRS[Kind.ITEM] / f"{item_id}.md").is_file():
        raise click.BadParameter(f"no roadmap item '{item_id}'", param_hint="--roadmap")
    files = account_files(project) if accounts else {}
    listed = [
        AccountArg(name, arrs[n] if n < len(arrs) else None, stages[n] if n < len(stages) else None,
                   files.get(account_key(name)))
        for n, name in enumerate(accounts)
    ]  # fmt: skip
    text = request_text(title, today(), requester or default_requester(project), listed, item_id)
    click.echo(write_new(project, Kind.REQUEST, title, text).relative_to(project).as_posix())


@new.command("item")
@root_option
@click.argument("title")
@click.option(
    "--status", type=click.Choice(["now", "next", "later", "shipped", "declined"]),
    default="later", show_default=True,
)  # fmt: skip
@click.option("--owner", help="Accountable product manager.")
def new_item(root: Path, title: str, status: str, owner: str | None) -> None:
    """Write content/roadmap/<slug>.md for TITLE and print its path."""
    from ..clock import today
    from ..content.files import Kind
    from ..scaffold import item_text, write_new

    project = project_root(root)
    _check_title(title)
    text = item_text(title, today(), status, owner)
    click.echo(write_new(project, Kind.ITEM, title, text).relative_to(project).as_posix())


def _check_title(title: str) -> None:
    if not title.strip() or len(title.strip()) > 200:
        raise click.BadParameter("a title is 1-200 characters", param_hint="TITLE")


@click.command()
@root_option
@click.option(
    "--format", "fmt", type=click.Choice(["json-schema", "frontmatter-cms"]),
    default="json-schema", show_default=True,
    help="json-schema: JSON Schemas of every kind of content file; frontmatter-cms: a "
    "frontmatter.json for the Front Matter CMS extension of VS Code.",
)  # fmt: skip
@click.option(
    "--kind", type=click.Choice(["request", "item", "account", "profile"]),
    help="Only this kind's schema.",
)  # fmt: skip
@click.option(
    "--issue-form", is_flag=True,
    help="Instead: the GitHub issue form for customer requests, for "
    ".github/ISSUE_TEMPLATE/customer-request.yml (read back by `roadmap intake`).",
)  # fmt: skip
def schema(root: Path, fmt: str, kind: str | None, issue_form: bool) -> None:
    """Print editor schemas generated from the models `roadmap check` uses."""
    import json

    from ..config import CONFIG_FILE, load_config
    from ..content.files import Kind
    from ..diagnostics import Report
    from ..editor import frontmatter_cms, json_schema

    project = root.resolve()
    report = Report()
    config_path = project / CONFIG_FILE
    config = load_config(config_path.read_bytes() if config_path.is_file() else None, report)
    if report.errors:
        click.echo(report.render("text", 0), err=True)
        sys.exit(1)
    if issue_form:
        from ..intake.form import issue_form as form_yaml

        click.echo(form_yaml(config), nl=False)
        return
    if fmt == "frontmatter-cms":
        document = frontmatter_cms(config)
    elif kind:
        document = json_schema(Kind(kind), config)
    else:
        document = {k.value: json_schema(k, config) for k in Kind}
    click.echo(json.dumps(document, indent=2, ensure_ascii=False))
