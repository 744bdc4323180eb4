"""Which folder a build may replace: proof that it is ours before anything is deleted.

Losing a user's files is the worst thing this tool can do. A build replaces its output
folder only when the folder does not exist, is empty, or carries the marker file that
an earlier `roadmap build` wrote into it (:data:`MARKER`). `--force` also replaces a
folder without the marker, but nothing replaces a protected place: the filesystem
root, a home folder, the project or anything that contains it, its content, templates
or cache, a git folder, or another project, whether named directly or through a
symbolic link. Zola, mkdocs and Hugo draw the same lines.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

#: The file a build leaves in every site folder: the proof that the folder is a site.
MARKER = ".roadmap-site"
TOOL = "roadmap"


class OutputRefused(Exception):
    """The output folder may not be written; the message says what is in the way and what to do."""


def marker(out: Path, root: Path) -> bytes:
    """The marker's bytes: the tool's name and the content root, relative to the site.

    Relative, so that the same content built in another checkout gives the same bytes.
    """
    content = os.path.relpath(os.path.join(root, "content"), os.path.abspath(out))
    return (json.dumps({"tool": TOOL, "content": Path(content).as_posix()}) + "\n").encode()


def is_site(folder: Path) -> bool:
    """True when `folder` holds the marker of a roadmap build (a regular file, not a link)."""
    path = folder / MARKER
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > 4096:
            return False
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("tool") == TOOL


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def protected(out: Path, root: Path) -> str | None:
    """Why `out` may never be replaced, not even with `--force`; None when it may."""
    real_root = os.path.realpath(root)
    home = os.path.realpath(os.path.expanduser("~"))
    inputs = {
        os.path.join(real_root, "content"): "the project's content folder",
        os.path.join(real_root, "templates"): "the project's templates folder",
        os.path.join(real_root, ".cache"): "the project's build cache",
    }
    for path in dict.fromkeys((os.path.abspath(out), os.path.realpath(out))):
        if path == os.sep:
            return "the filesystem root"
        if _within(real_root, path):
            return "the project root" if path == real_root else "a folder holding the project"
        if _within(home, path):
            return "your home folder" if path == home else "a folder holding your home folder"
        for folder, name in inputs.items():
            if _within(path, folder):
                return name if path == folder else f"inside {name}"
        if ".git" in Path(path).parts:
            return "a git folder"
        for entry, what in ((".git", "a git repository"), ("roadmap.toml", "a roadmap project"),
                            ("content/requests", "a roadmap project"),
                            ("content/roadmap", "a roadmap project")):  # fmt: skip
            if os.path.lexists(os.path.join(path, entry)):
                return f"{what} (it holds {entry})"
    return None


def check_output(out: Path, root: Path, force: bool = False) -> None:
    """Raise OutputRefused unless a build may write its site into `out`.

    Run before anything is read or written, and again just before the new site is
    swapped in, in case the folder changed in between.
    """
    shown = str(out)
    if "\0" in shown:
        raise OutputRefused("the --out path holds a NUL character: choose another --out")
    reason = protected(out, root)
    if reason is not None:
        raise OutputRefused(
            f"refusing to write the site into {shown}: it is {reason}, which a build never "
            "replaces (not even with --force); choose another --out"
        )
    if out.is_symlink() and not out.exists():
        raise OutputRefused(f"{shown} is a broken symbolic link: remove it or choose another --out")
    if not out.exists():
        parent = Path(os.path.abspath(out)).parent
        if not parent.is_dir():
            raise OutputRefused(
                f"cannot write the site into {shown}: its parent folder {parent} does not "
                "exist; create it first, or choose another --out"
            )
        return
    if not out.is_dir():
        raise OutputRefused(f"{shown} is a file, not a folder: choose another --out")
    if is_site(out) or force:
        return
    try:
        entries = sorted(os.listdir(out))
    except OSError as exc:
        raise OutputRefused(f"cannot read {shown}: {exc.strerror}") from None
    if entries:
        example = ", ".join(entries[:3]) + (", ..." if len(entries) > 3 else "")
        raise OutputRefused(
            f"{shown} is not empty and is not a site made by roadmap build "
            f"({len(entries)} entries: {example}); choose a new or empty folder, "
            "or add --force to replace it"
        )
