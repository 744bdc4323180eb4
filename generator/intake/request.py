"""From a form's answers to a request file, and from the validator's findings back to
the questions that caused them.

The file is written line by line, remembering which question each line came from, so
that a problem `roadmap check` finds at `content/requests/x.md:7` reads as "ARR: ..."
in the comment the submitter sees (they never see the file). Nothing the submitter
wrote is lost: whatever is not a frontmatter value is in the body, and the answers as
written close the body in a fenced block.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..content.model import account_key
from ..scaffold import exact, field_line
from .form import YES_NO, FormField

_MULTIPLIERS = {"": 1.0, "k": 1e3, "m": 1e6, "b": 1e9}
_AMOUNT = re.compile(r"(?P<number>\d+(?:\.\d+)?)(?P<unit>[kmb]?)")
_THOUSANDS = re.compile(r"\d{1,3}(,\d{3})+(\.\d+)?")
_CURRENCY = re.compile(r"^(?:[a-z]{3}|[$€£¥])|(?:[a-z]{3}|[$€£¥])$")
_URL = re.compile(r"https?://[^\s<>\"'`]+")
_ITEM_ID = re.compile(r"[a-z0-9][a-z0-9-]*")


@dataclass(frozen=True, slots=True)
class Problem:
    """Something to fix, said in the words of the form."""

    label: str
    """The question it is about ("" for the issue as a whole)."""
    message: str

    def text(self) -> str:
        return f"{self.label}: {self.message}" if self.label else self.message


@dataclass(frozen=True, slots=True)
class Draft:
    """A request file made from an issue, before it is written."""

    text: str
    labels: Mapping[int, str] = field(default_factory=dict)
    """Question label by 1-based line of the file: where a problem found there came from."""


@dataclass(frozen=True, slots=True)
class Submission:
    """What intake knows besides the answers."""

    title: str
    """The issue's title: the request's title."""
    submitted: dt.date
    requester: str
    """Who asks when the form leaves it empty: the issue's author."""
    issue: int | None
    """The issue's number, for the body's last section."""
    accounts: Mapping[str, str]
    """Account file id by `account_key` of each id, name and alias."""
    items: frozenset[str]
    """Ids of the roadmap items."""


def amount(text: str) -> float | None:
    """An amount as people write it (120000, 120,000, $120k, 1.2M, EUR 50 000); None if not."""
    cleaned = re.sub(r"[\s_']", "", text).casefold()
    cleaned = _CURRENCY.sub("", cleaned)
    if _THOUSANDS.fullmatch(cleaned.rstrip("kmb")):
        cleaned = cleaned.replace(",", "")
    cleaned = cleaned.replace(",", ".")
    match = _AMOUNT.fullmatch(cleaned)
    if not match:
        return None
    return float(match.group("number")) * _MULTIPLIERS[match.group("unit")]


def item_id(text: str) -> str:
    """The id in an item's id, page address or file name as pasted."""
    last = text.strip().rstrip("/").rsplit("/", 1)[-1]
    return last.removesuffix(".html").removesuffix(".md").strip().casefold()


def _fence(text: str) -> str:
    """A backtick fence longer than any backtick run in `text` (so it cannot close early)."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.labels: dict[int, str] = {}

    def add(self, text: str, label: str = "") -> None:
        for line in text.split("\n"):
            self.lines.append(line)
            if label:
                self.labels[len(self.lines)] = label


def draft(
    answers: Mapping[str, str | None],
    fields: tuple[FormField, ...],
    submission: Submission,
    original: str,
) -> tuple[Draft, list[Problem]]:
    """The request file for these answers, and the problems found on the way (the answers
    at fault are left out of the file, so the rest can still be checked)."""
    problems = [
        Problem(f.label, "this question is missing from the issue: it was not made with the "
                "current form; open a new issue with the form, or add the heading back")
        if answers.get(f.id) is None else Problem(f.label, "required: please answer it")
        for f in fields if f.required and not (answers.get(f.id) or "").strip()
    ]  # fmt: skip
    value = {f.id: (answers.get(f.id) or "").strip() for f in fields}
    label = {f.id: f.label for f in fields}
    out = _Writer()
    out.add("---")
    out.add(field_line("title", submission.title.strip()), "Title")
    out.add(f"submitted: {submission.submitted.isoformat()}")
    out.add(field_line("requester", value["requester"] or submission.requester), label["requester"])
    names = [value["account"]] if value["account"] else []
    names += [line.strip(" -*\t") for line in value["other_accounts"].split("\n")]
    names = list(dict.fromkeys(n for n in names if n))
    if names:
        out.add("accounts:")
    for position, name in enumerate(names):
        which = label["account"] if position == 0 else label["other_accounts"]
        file_id = submission.accounts.get(account_key(name))
        if file_id is not None:  # its file holds the ARR and stage
            out.add("  - " + field_line("account", file_id), which)
            continue
        out.add("  - " + field_line("name", name), which)
        if position == 0 and value["arr"]:
            arr = amount(value["arr"])
            if arr is None:
                problems.append(Problem(label["arr"], f"'{value['arr']}' is not an amount: "
                                        "write it as 120000, 120k or 1.2M"))  # fmt: skip
            else:
                out.add("    " + field_line("arr", exact(arr)), label["arr"])
        if position == 0 and value["stage"]:
            out.add("    " + field_line("stage", value["stage"]), label["stage"])
    if value["item"]:
        wanted = item_id(value["item"])
        if _ITEM_ID.fullmatch(wanted) and wanted in submission.items:
            out.add(field_line("roadmap", wanted), label["item"])
        else:
            problems.append(Problem(
                label["item"],
                f"there is no roadmap item '{value['item']}': give the id from its page "
                "address, or leave it empty",
            ))  # fmt: skip
    if value["area"]:
        out.add(field_line("area", value["area"]), label["area"])
    custom = [f for f in fields if f.custom and value[f.id]]
    if custom:
        out.add("fields:")
    for f in custom:
        answer: object = value[f.id]
        if f.options == YES_NO and answer in YES_NO:
            answer = answer == "yes"
        elif f.custom_type == "number":
            number = amount(value[f.id])
            if number is None:
                problems.append(Problem(f.label, f"'{value[f.id]}' is not a number"))
                continue
            answer = exact(number)
        out.add("  " + field_line(str(f.custom), answer), f.label)
    crm = value["crm"]
    if crm and not _URL.fullmatch(crm):
        problems.append(Problem(label["crm"], "give a link that starts with https://"))
    out.add("---")
    out.add(value["need"], label["need"])
    out.add("")
    out.add("## How it blocks them", label["impact"])
    out.add("")
    out.add(value["impact"], label["impact"])
    if crm:
        out.add("")
        out.add("## CRM record")
        out.add("")
        out.add(f"<{crm}>", label["crm"])
    text = original.strip("\n")
    fence = _fence(text)
    source = f"issue #{submission.issue}" if submission.issue is not None else "the request form"
    out.add("")
    out.add("## As submitted")
    out.add("")
    out.add(f"Logged from {source}. The answers as written:")
    out.add("")
    out.add(f"{fence}text\n{text}\n{fence}")
    out.add("")
    return Draft("\n".join(out.lines), out.labels), problems
