"""What a public file may say: no account or requester names in its text.

`visibility: public` is a promise that the file can be shown to customers. The
public build leaves out the structured internal fields, but free text (title,
body, alternatives, decisions) is shown as written, so it must not name an
account or a requester. This is an error, pointing at the line, so that the
promise is kept before anything is published.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .diagnostics import Report
from .loading import Kind, SourceFile
from .model import Roadmap

MIN_NAME_LENGTH = 3  # shorter names match inside too many ordinary words


def check_public_text(
    roadmap: Roadmap, sources: dict[tuple[Kind, str], SourceFile], report: Report
) -> None:
    names = {a.name for r in roadmap.requests.values() for a in r.meta.accounts}
    names |= {r.meta.requester.split(" (")[0] for r in roadmap.requests.values()}
    names = {n.strip() for n in names if len(n.strip()) >= MIN_NAME_LENGTH}
    if not names:
        return
    # one alternation, longest first, so "Globex Corporation" wins over "Globex"
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
    for kind, entries in ((Kind.ITEM, roadmap.items), (Kind.REQUEST, roadmap.requests)):
        for entry in entries.values():
            if entry.meta.visibility != "public":
                continue
            source = sources[(kind, entry.id)]
            for loc, text, line in _texts(source):
                for match in pattern.finditer(text):
                    offset = text.count("\n", 0, match.start())
                    report.add(
                        source.path,
                        line + offset,
                        1,
                        "E403",
                        f"public file names '{match.group(0)}' (an account or requester) in "
                        f"`{loc}`: reword it, or make the file `visibility: internal`",
                    )


def _texts(source: SourceFile) -> Iterator[tuple[str, str, int]]:
    """(field, text, first line) of the free text of a file that is shown publicly."""
    data = source.data or {}
    for key in ("title", "alternatives", "theme", "area"):
        if isinstance(data.get(key), str):
            yield key, data[key], source.position((key,))[0]
    for n, decision in enumerate(data.get("decisions") or []):
        if isinstance(decision, dict) and isinstance(decision.get("summary"), str):
            loc = ("decisions", n, "summary")
            yield f"decisions[{n}].summary", decision["summary"], source.position(loc)[0]
    yield "body", source.body, source.body_line
