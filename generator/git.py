"""What git knows about the content: revisions, and who changed what and when.

Everything here runs a fixed, small number of git processes, whatever the size of
the roadmap: one `ls-tree` and one `cat-file --batch` to read a revision, one
`log -p` for the whole history.
"""

from __future__ import annotations

import os
import posixpath
import re
import subprocess
from collections.abc import Iterable
from pathlib import Path
from types import MappingProxyType

from .config import CONFIG_FILE
from .content.files import CONTENT_DIRS, CONTENT_FILES
from .content.history import Commit, FileHistory, History, StatusChange
from .content.tree import MemoryTree


class GitError(RuntimeError):
    """git refused: not a repository, unknown revision, or git missing."""


def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args], input=stdin, capture_output=True, timeout=300
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GitError(f"cannot run git: {exc}") from None
    if done.returncode != 0:
        raise GitError(done.stderr.decode(errors="replace").strip() or "git failed")
    return done.stdout


def _text(root: Path, *args: str) -> str | None:
    try:
        return _git(root, *args).decode().strip()
    except GitError:
        return None


def head(root: Path) -> str | None:
    """The commit id of HEAD, or None outside git (or before the first commit)."""
    return _text(root, "rev-parse", "--verify", "--quiet", "HEAD")


def commit_stamp(root: Path) -> str:
    """Short commit id of HEAD, marked when content differs from it; "" outside git."""
    head = _text(root, "rev-parse", "--short=12", "HEAD")
    if not head:
        return ""
    dirty = _text(root, "status", "--porcelain", "--", "content", CONFIG_FILE, "templates")
    return f"{head} (with uncommitted changes)" if dirty else head


def resolve(root: Path, revision: str) -> str:
    """The full commit id of `revision`; GitError if it names no commit."""
    if revision.startswith("-"):
        raise GitError(f"not a revision: {revision!r}")
    try:
        return (
            _git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
            .decode()
            .strip()
        )
    except GitError:
        raise GitError(f"unknown revision {revision!r} (not a commit in {root})") from None


def commit_before(root: Path, day: str) -> str | None:
    """The last commit of HEAD's history made before `day` (YYYY-MM-DD, UTC); None when
    there is none that old."""
    found = _text(root, "rev-list", "-1", f"--before={day}T00:00:00Z", "HEAD", "--")
    return found or None


def read_revision(root: Path, revision: str) -> MemoryTree:
    """The project's content files and roadmap.toml at `revision`, from git objects."""
    commit = resolve(root, revision)
    prefix = _git(root, "rev-parse", "--show-prefix").decode().strip()
    listing = _git(
        root, "ls-tree", "-r", "-z", "--full-name", commit, "--",
        *[f"{folder}/" for folder in CONTENT_DIRS.values()], *CONTENT_FILES.values(), CONFIG_FILE,
    )  # fmt: skip
    entries: list[tuple[str, str]] = []
    links: set[str] = set()
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        meta, path = entry.decode(errors="surrogateescape").split("\t", 1)
        mode, kind, sha = meta.split()
        if kind == "blob" and path.startswith(prefix):
            entries.append((sha, path[len(prefix) :]))
            if mode == "120000":  # a symbolic link: its blob is the path it points to
                links.add(path[len(prefix) :])
    blobs = _cat_blobs(root, [sha for sha, _ in entries])
    files = {path: blob for (_, path), blob in zip(entries, blobs, strict=True)}
    return MemoryTree(*_follow_links(files, links))


def _follow_links(
    files: dict[str, bytes], links: set[str]
) -> tuple[dict[str, bytes], dict[str, str]]:
    """Links resolved to the files they name in the revision; others refused (never read)."""
    targets = {path: os.fsdecode(files[path]) for path in links}
    refused: dict[str, str] = {}
    for path, target in sorted(targets.items()):
        current, seen = path, set()
        while current in targets and current not in seen:  # a link to a link
            seen.add(current)
            hop = targets[current]
            current = posixpath.normpath(posixpath.join(posixpath.dirname(current), hop))
            if hop.startswith("/") or current.startswith("../"):
                break
        if current in targets or current not in files or current.startswith("../"):
            refused[path] = target  # leads out of the content read, or loops
            del files[path]
        else:
            files[path] = files[current]
    return files, refused


def _cat_blobs(root: Path, shas: list[str]) -> list[bytes]:
    """Contents of many blobs through one `git cat-file --batch` process."""
    if not shas:
        return []
    output = _git(root, "cat-file", "--batch", stdin="".join(f"{s}\n" for s in shas).encode())
    blobs, position = [], 0
    for _ in shas:
        header_end = output.index(b"\n", position)
        size = int(output[position:header_end].split()[2])
        blobs.append(output[header_end + 1 : header_end + 1 + size])
        position = header_end + 1 + size + 1
    return blobs


_STATUS_LINE = re.compile(rb"^([-+])status:\s*['\"]?([a-z]+)", re.MULTILINE)


def history(root: Path) -> History:
    """Who created and changed each content file, and when; one pass over `git log`."""
    if _text(root, "rev-parse", "--is-inside-work-tree") != "true":
        return History(MappingProxyType({}), "not a git repository: no history")
    if _text(root, "rev-parse", "--is-shallow-repository") == "true":
        return History(
            MappingProxyType({}), "shallow clone: history left out (fetch the full history)"
        )
    if _text(root, "rev-parse", "--verify", "--quiet", "HEAD") is None:
        return History(MappingProxyType({}), "no commits yet: no history")
    log = _git(
        root, "log", "-p", "-M", "--unified=0", "--no-color", "--no-ext-diff", "--relative",
        "--format=%x00%H%x00%an%x00%ad%x00%s", "--date=short", "--",
        *CONTENT_DIRS.values(),
    )  # fmt: skip
    # NUL separates the fields: the one byte git keeps out of names and messages (a
    # subject holding 0x1E, the separator used before, once broke every build); a header
    # is a line that starts with NUL, which no patch line does (each starts with its sign)
    commits = [_parse_commit(record) for record in (b"\n" + log).split(b"\n\0")[1:]]
    return History(MappingProxyType(_fold(reversed(commits))))


#: new path, old path, kind of change, (old status or None, new status) pairs
_Change = tuple[str, str, str, list[tuple[str | None, str]]]


def _parse_commit(record: bytes) -> tuple[Commit, list[_Change]]:
    """A commit from its header line (hash, author, date, subject) and its patch."""
    header, _, patch = record.partition(b"\n")
    sha, author, date, subject = header.decode(errors="replace").split("\0", 3)
    changes: list[_Change] = []
    for section in re.split(rb"^diff --git ", patch, flags=re.MULTILINE)[1:]:
        first = section.split(b"\n", 1)[0].decode(errors="replace")
        match = re.match(r'"?a/(.+?)"? "?b/(.+?)"?$', first)
        if not match:
            continue
        old, new = match.group(1), match.group(2)
        kind = "modified"
        if b"\nnew file mode" in section:
            kind = "added"
        elif b"\ndeleted file mode" in section:
            kind = "deleted"
        elif b"\nrename from " in section:
            kind = "renamed"
        removed = [s.decode() for sign, s in _STATUS_LINE.findall(section) if sign == b"-"]
        added = [s.decode() for sign, s in _STATUS_LINE.findall(section) if sign == b"+"]
        before: list[str | None] = list(removed) or [None] * len(added)
        statuses = list(zip(before, added, strict=False))
        changes.append((new, old, kind, statuses))
    return Commit(sha, author, date, subject), changes


def _fold(commits: Iterable[tuple[Commit, list[_Change]]]) -> dict[str, FileHistory]:
    """Oldest first: follow each file through renames to its path at HEAD."""
    events: dict[str, list[tuple[Commit, list[tuple[str | None, str]]]]] = {}
    for commit, changes in commits:
        for new, old, kind, statuses in changes:
            if kind == "deleted":
                events.pop(old, None)
                continue
            if kind == "renamed" and old in events:
                events[new] = events.pop(old)
            events.setdefault(new, []).append((commit, statuses))
    result = {}
    for path, entries in events.items():
        moves = tuple(
            StatusChange(commit, before, after)
            for commit, statuses in entries
            for before, after in statuses
            if before != after
        )
        result[path] = FileHistory(entries[0][0], entries[-1][0], len(entries), moves)
    return dict(sorted(result.items()))
