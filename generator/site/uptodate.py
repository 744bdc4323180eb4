"""Is the site already what this build would write? `make`'s question, asked first.

A build is a pure function of its inputs: the content files, roadmap.toml, the
templates and assets, the build time and git stamp shown in the footer, today's date
(what "recent" means), the audience, and the code and libraries that render. When all
of those are what they were at the last build into the same folder, and that folder
still holds exactly the files that build left there (same names, sizes, modification
times and inodes: a file edited or removed by hand makes a full build), a new build
would write the same bytes: it is skipped, and the last build's warnings are shown
again.

Files are compared by (modification time, size, inode), as `make` and `roadmap serve`
do, not by reading them: the point is to answer in a fraction of a second. The record
lives under `.cache/` with the markdown cache (`--no-cache` skips both), one per output
folder and audience; losing it only costs one full build.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..cache import CACHE_DIR, versions
from ..config import CONFIG_FILE
from ..content.files import discover
from ..content.tree import ContentTree, Stamp, file_stamp
from ..diagnostics import Diagnostic, Report, Severity
from . import theme

#: Libraries whose version can change the bytes of a page.
RENDERING_PACKAGES = ("jinja2", "MarkupSafe", "markdown-it-py", "mdit-py-plugins", "PyYAML",
                      "pydantic", "pydantic-core")  # fmt: skip
FORMAT = 1
"""Version of the record's layout: a record of another layout is ignored."""


@dataclass(frozen=True, slots=True)
class LastBuild:
    """What the last successful build into a folder was made from, and what it left."""

    inputs: str
    """Digest of everything the build read (see `inputs_digest`)."""
    files: dict[str, Stamp]
    """Every file of the site it wrote, relative to the site folder, with its stamp."""
    written: tuple[int, int]
    """(files, bytes) that build reported."""
    files_checked: int
    """Content files it checked."""
    diagnostics: tuple[Diagnostic, ...]
    """Its warnings, shown again when it is not repeated."""

    def report(self) -> Report:
        return Report(list(self.diagnostics))


def record_path(root: Path, out: Path, audience: str) -> Path:
    """Where the record of builds of `audience` into `out` is kept."""
    key = hashlib.sha256(f"{os.path.realpath(out)}\0{audience}".encode()).hexdigest()[:16]
    return root / CACHE_DIR / f"last-build-{key}.json"


class Inputs:
    """The digest of what a build is made from, each input stamped before it is read.

    With a record of an earlier build into the same folder, every content file is
    stamped at once, to compare with it. What is remembered after a build is made of
    the stamps taken as the files were read (`ContentTree.stamps`, each from the open
    file before reading it, so an edit made after that still makes the next build a
    full one): without a record (a first build, a fresh clone) that saves a `stat` per
    file where nothing else can overlap it, and files read before the comparison (by
    the head start) are remembered as they were read.
    """

    def __init__(self, root: Path, out: Path, audience: str, stamps: tuple[str, ...]) -> None:
        self._where = (root, out, audience)
        self._head = _head_digest(root, audience, stamps)
        self._before: str | None = None
        """The whole digest, when there was a record to compare it with."""
        if record_path(root, out, audience).is_file():
            self._before = _whole(self._head, _content_digest(*_content_stamps(root)))

    def last_build(self) -> LastBuild | None:
        """The last build into the folder, when it had these inputs and left it as it is."""
        return unchanged(*self._where, self._before) if self._before else None

    def digest(self, tree: ContentTree) -> str:
        """The digest to remember, once `tree` has read the content of this build: of the
        stamps taken as each file was read (by this process, or by the head start at the
        command's start), never of the earlier comparison, which may postdate a read."""
        return _whole(self._head, _content_digest(tree.stamps, tree.refused))


def _head_digest(root: Path, audience: str, stamps: tuple[str, ...]) -> str:
    """Digest of the inputs that are not content files: the settings of the build, the
    code and libraries that render, the templates and assets."""
    digest = hashlib.sha256()
    digest.update(repr((FORMAT, __version__, sys.version, audience, stamps)).encode())
    digest.update(versions(RENDERING_PACKAGES).encode())
    code = Path(__file__).resolve().parent.parent  # an edited install renders differently
    for path in sorted(code.rglob("*.py")):
        digest.update(repr((path.relative_to(code).as_posix(), file_stamp(path))).encode())
    for path in theme.template_files(root):  # the assets are under templates/ too
        digest.update(repr((str(path), file_stamp(path))).encode())
    return digest.hexdigest()


def _content_stamps(root: Path) -> tuple[dict[str, Stamp | None], dict[str, str]]:
    """The stamp of roadmap.toml and of every content file, and the links refused (E109)."""
    tree = ContentTree(root)
    tree.scan_links("templates")
    paths = [CONFIG_FILE, *(path for _, path in discover(tree))]
    return {relative: tree.stamp(relative) for relative in paths}, tree.refused


def _content_digest(stamps: Mapping[str, Stamp | None], refused: Mapping[str, str]) -> str:
    """Digest of the content files' stamps (a file without one is no input: it could not
    be read) and of the links refused."""
    stamped = sorted((path, stamp) for path, stamp in stamps.items() if stamp is not None)
    return hashlib.sha256(repr((stamped, sorted(refused.items()))).encode()).hexdigest()


def _whole(head: str, content: str) -> str:
    return hashlib.sha256(f"{head}\0{content}".encode()).hexdigest()


def site_files(site: Path) -> dict[str, Stamp] | None:
    """Every file under `site` with its stamp; None when it is not a plain folder of files."""
    found: dict[str, Stamp] = {}
    pending = [""]
    try:
        while pending:
            folder = pending.pop()
            with os.scandir(os.path.join(site, folder)) as entries:
                for entry in entries:
                    relative = f"{folder}/{entry.name}" if folder else entry.name
                    if entry.is_dir(follow_symlinks=False):
                        pending.append(relative)
                    elif entry.is_file(follow_symlinks=False):
                        info = entry.stat(follow_symlinks=False)
                        found[relative] = (info.st_mtime_ns, info.st_size, info.st_ino)
                    else:
                        return None  # a link or a device: not what a build leaves
    except OSError:
        return None
    return found


def unchanged(root: Path, out: Path, audience: str, inputs: str) -> LastBuild | None:
    """The last build, when it had these `inputs` and `out` still holds what it wrote."""
    path = record_path(root, out, audience)
    if _linked(path):
        return None
    try:
        raw = json.loads(path.read_bytes())
        if raw.get("format") != FORMAT or raw.get("inputs") != inputs:
            return None
        last = LastBuild(
            inputs,
            {path: (int(a), int(b), int(c)) for path, (a, b, c) in raw["files"].items()},
            (int(raw["written"][0]), int(raw["written"][1])),
            int(raw["files_checked"]),
            tuple(
                Diagnostic(p, int(line), int(col), code, message, Severity(severity))
                for p, line, col, code, message, severity in raw["diagnostics"]
            ),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # no record, or one this version cannot read: build
    if not last.files or site_files(out) != last.files:
        return None
    return last


def remember(root: Path, out: Path, audience: str, last: LastBuild) -> None:
    """Keep the record of a build that just succeeded; a cache that cannot be written
    only means the next build is a full one."""
    path = record_path(root, out, audience)
    if _linked(path):
        return  # never written through a link to who knows where (as the markdown cache)
    data = {
        "format": FORMAT,
        "inputs": last.inputs,
        "files": last.files,
        "written": last.written,
        "files_checked": last.files_checked,
        "diagnostics": [
            (d.path, d.line, d.col, d.code, d.message, d.severity.value) for d in last.diagnostics
        ],
    }
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(exist_ok=True)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
        with open(os.open(temporary, flags, 0o644), "w", encoding="utf-8") as handle:
            handle.write(json.dumps(data, separators=(",", ":")))
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


def _linked(path: Path) -> bool:
    return path.parent.is_symlink() or path.is_symlink()


def forget(root: Path, out: Path, audience: str) -> None:
    """Drop the record: the folder is about to change (a build that fails part way)."""
    path = record_path(root, out, audience)
    if not _linked(path):
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)
