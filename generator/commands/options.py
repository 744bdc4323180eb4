"""What every command shares: the project root option."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

ROOT_HELP = "Project root holding content/ and roadmap.toml (default: current folder)."
Command = TypeVar("Command", bound=Callable[..., object])


def root_option(func: Command) -> Command:
    return click.option(
        "--root",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("."),
        show_default=False,
        help=ROOT_HELP,
    )(func)


def project_root(root: Path) -> Path:
    """The project folder, or a usage error when it holds no content/."""
    root = root.resolve()
    if not (root / "content").is_dir():
        raise click.UsageError(f"no content/ folder under {root}: is this a roadmap project?")
    return root
