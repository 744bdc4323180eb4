"""`roadmap new`: a valid file to start from, with the optional fields as comments."""

from __future__ import annotations

import datetime as dt
import getpass
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .content.files import CONTENT_DIRS, Kind
from .formatting import slugify

MAX_ID = 80


@dataclass(frozen=True, slots=True)
class AccountArg:
    name: str
    arr: float | None = None
    stage: str | None = None
    file: str | None = None
    """Id of the account file it names, when there is one: then written as `account: id`."""


def account_files(root: Path) -> dict[str, str]:
    """Account file id by each id, name and alias (`account_key`), read from the project's
    account files; files that cannot be read are left to `roadmap check`."""
    from .content.files import discover
    from .content.loading import load_file
    from .content.model import account_key
    from .content.tree import ContentTree
    from .diagnostics import Report

    tree = ContentTree(root)
    found: dict[str, str] = {}
    for kind, path in discover(tree):
        if kind is not Kind.ACCOUNT:
            continue
        source = load_file(tree, kind, path, Report())
        if source is None or not source.data:
            continue
        data = source.data
        aliases = data.get("aliases")
        spellings = [source.id, data.get("name"), *(aliases if isinstance(aliases, list) else ())]
        for spelling in spellings:
            if isinstance(spelling, str) and spelling.strip():
                found.setdefault(account_key(spelling), source.id)
    return found


def unique_id(title: str, folder: Path) -> str:
    """A slug of the title that no file in `folder` uses yet (never overwrite)."""
    base = slugify(title, "untitled")
    candidate, n = base, 2
    # lexists: a dangling link of that name is taken too (exists() says no, and the
    # exclusive create then fails on it forever)
    while os.path.lexists(folder / f"{candidate}.md"):
        suffix = f"-{n}"
        candidate, n = base[: MAX_ID - len(suffix)].rstrip("-") + suffix, n + 1
    return candidate


def default_requester(root: Path) -> str:
    """Who is logging it: git's user.name, else the login name."""
    try:
        name = subprocess.run(
            ["git", "-C", str(root), "config", "user.name"], capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        name = ""
    return name or getpass.getuser()


def field_line(key: str, value: Any) -> str:
    """One `key: value` line, quoted by YAML's own rules."""
    return yaml.safe_dump({key: value}, allow_unicode=True, width=10_000, sort_keys=False).strip()


def exact(number: float) -> int | float:
    """A whole number as an int, so that 10000000 is written as itself, not 1e+07."""
    return int(number) if number.is_integer() else number


def request_text(
    title: str,
    today: dt.date,
    requester: str,
    accounts: list[AccountArg],
    roadmap: str | None,
) -> str:
    lines = ["---", field_line("title", title), f"submitted: {today.isoformat()}",
             field_line("requester", requester)]  # fmt: skip
    if accounts:
        lines.append("accounts:")
        for account in accounts:
            if account.file is not None:  # its file holds the ARR and stage
                lines.append("  - " + field_line("account", account.file))
                continue
            lines.append("  - " + field_line("name", account.name))
            if account.arr is not None:
                lines.append("    " + field_line("arr", exact(account.arr)))
            stage = f"    stage: {account.stage}" if account.stage else "    # stage: customer"
            lines.append(stage + ("" if account.stage else "  # prospect, customer or churn-risk"))
    else:
        lines += ["# accounts:", "#   - name: Account name", "#     arr: 100000",
                  "#     stage: customer        # prospect, customer or churn-risk"]  # fmt: skip
    lines.append(field_line("roadmap", roadmap) if roadmap else
                 "# roadmap: item-id           # the roadmap item that answers it")  # fmt: skip
    lines += [
        "# duplicate_of: request-id    # or the request it duplicates (never both)",
        "# area: Product area",
        "# tags: [tag]",
        "# visibility: internal        # public: may be shown on the customer site",
        '# rice: {reach: 100, impact: 1, confidence: "80%", effort: 2}',
        "---",
        "What is the customer trying to do, in their words? What happens if we do nothing?",
        "",
    ]
    return "\n".join(lines)


def item_text(title: str, today: dt.date, status: str, owner: str | None) -> str:
    lines = ["---", field_line("title", title), f"status: {status}"]
    lines.append(field_line("owner", owner) if owner else "# owner: Accountable PM")
    lines += ["# theme: Strategic theme", "# target: 2027-Q1"]
    if status == "shipped":
        lines.append(f"shipped: {today.isoformat()}")
    lines.append("# rice: {impact: 2, confidence: 0.8, effort: 3}   # reach: from linked requests")
    if status == "declined":
        lines += ["decisions:", f"  - date: {today.isoformat()}", "    outcome: declined",
                  "    summary: Why we decided not to build it.",
                  "alternatives: What sales can offer instead."]  # fmt: skip
    else:
        lines += ["decisions:", f"  - date: {today.isoformat()}",
                  "    outcome: accepted  # accepted, deferred, declined, shipped, reprioritized",
                  f"    summary: Added to {status}.",
                  "# alternatives: What sales can offer instead"]  # fmt: skip
    lines += ["# visibility: internal", "---", "## Problem", "", "## Proposal", "",
              "## Rationale", ""]  # fmt: skip
    return "\n".join(lines)


def write_new(root: Path, kind: Kind, title: str, text: str) -> Path:
    """Write under a fresh id; `x` mode so an existing file is never overwritten."""
    folder = root / CONTENT_DIRS[kind]
    folder.mkdir(parents=True, exist_ok=True)
    while True:
        path = folder / f"{unique_id(title, folder)}.md"
        try:
            with path.open("x", encoding="utf-8") as handle:
                handle.write(text)
            return path
        except FileExistsError:  # created between the check and the write: pick again
            continue
