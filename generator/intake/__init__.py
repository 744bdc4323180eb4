"""Intake: customer requests from people who never open git.

A GitHub issue form (:mod:`.form`) asks the questions; `roadmap intake` reads the
issue (:mod:`.issue`), drafts the request file (:mod:`.request`) and checks it with
the whole roadmap exactly as `roadmap check` would, before anything is written.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass
from pathlib import Path

from ..config import CONFIG_FILE, load_config
from ..content.files import CONTENT_DIRS, Kind
from ..content.tree import ContentTree
from ..diagnostics import Report, Severity
from .form import form_fields
from .issue import answers
from .request import Draft, Problem, Submission, draft

__all__ = ["Intake", "Problem", "intake"]


@dataclass(frozen=True, slots=True)
class Intake:
    """What intake made of an issue."""

    path: str | None
    """The request file (relative to the project), or None when there are problems."""
    text: str
    """Its text ("" when there are problems)."""
    problems: tuple[Problem, ...]
    """What the submitter must fix, in the order of the form."""


class _WithFile(ContentTree):
    """The project's files on disk, plus one file that is not written yet."""

    def __init__(self, root: Path, relative: str, data: bytes) -> None:
        super().__init__(root)
        self._extra = (relative, data)

    def names(self, folder: str) -> list[str]:
        names = super().names(folder)
        if posixpath.dirname(self._extra[0]) == folder.rstrip("/"):
            names.append(posixpath.basename(self._extra[0]))
        return names

    def read(self, relative: str) -> bytes | None:
        return self._extra[1] if relative == self._extra[0] else super().read(relative)

    def stamp(self, relative: str) -> tuple[int, int, int] | None:
        return None if relative == self._extra[0] else super().stamp(relative)


def intake(
    project: Path,
    body: str,
    title: str,
    requester: str,
    submitted: dt.date,
    issue: int | None = None,
    write: bool = True,
) -> Intake:
    """Turn an issue's body into `content/requests/<id>.md`, checked like any request.

    Nothing is written when there is any problem, or when `write` is false (a dry run).
    """
    from ..pipeline import check
    from ..scaffold import account_files, unique_id, write_new

    report = Report()
    config_path = project / CONFIG_FILE
    config = load_config(config_path.read_bytes() if config_path.is_file() else None, report)
    if report.errors:
        broken = f"{CONFIG_FILE} has errors: a product manager must fix them first"
        return Intake(None, "", (Problem("", broken),))
    fields = form_fields(config)
    found = answers(body, fields)
    if all(value is None for value in found.values()):
        stray = ("this issue was not made with the Customer request form: open a new issue "
                 "and choose that form")  # fmt: skip
        return Intake(None, "", (Problem("", stray),))
    folder = CONTENT_DIRS[Kind.REQUEST]
    tree = ContentTree(project)
    items = frozenset(n.removesuffix(".md") for n in tree.names(CONTENT_DIRS[Kind.ITEM]))
    submission = Submission(title, submitted, requester, issue, account_files(project), items)
    made, problems = draft(found, fields, submission, body)
    relative = f"{folder}/{unique_id(title, project / folder)}.md"
    result = check(_WithFile(project, relative, made.text.encode()))
    problems += _problems(result.report, relative, made)
    if problems:
        order = {label: n for n, label in enumerate(["Title", *(f.label for f in fields)])}
        problems.sort(key=lambda p: order.get(p.label, len(order)))
        return Intake(None, "", tuple(problems))
    if not write:
        return Intake(relative, made.text, ())
    path = write_new(project, Kind.REQUEST, title, made.text)
    return Intake(path.relative_to(project).as_posix(), made.text, ())


def _problems(report: Report, relative: str, made: Draft) -> list[Problem]:
    """The errors `roadmap check` found in the drafted file, as questions to fix; errors in
    other files are not the submitter's to fix (the pull request's checks show them)."""
    return [
        Problem(made.labels.get(d.line, "Request"), f"{d.message} ({d.code})")
        for d in report.sorted()
        if d.path == relative and d.severity is Severity.ERROR
    ]
