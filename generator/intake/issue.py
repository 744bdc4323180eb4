"""Reading an issue made with the customer-request form: its answers, by question.

GitHub writes a form's answers into the issue body as markdown: each question as a
`### Label` heading, then the answer as typed; an optional question left empty reads
`_No response_`. The body is untrusted text that can be edited after submission, so
nothing here trusts its shape: headings are looked for in the form's order (an answer
may itself hold a `###` heading), line ends of any kind are accepted, and control
characters (which no one can see or fix in a form) are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .form import FormField

NO_RESPONSE = "_No response_"
# An optional dropdown left on its empty choice reads "None".
#: C0 controls except tab and line feed, DEL and C1 controls: invisible in a form.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def normalise(body: str) -> str:
    """The body with `\\n` line ends, no control characters and no byte-order mark."""
    text = body.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text)


def answers(body: str, fields: Sequence[FormField]) -> dict[str, str | None]:
    """Each field's answer by id: the text ("" when left empty), or None when its heading
    is missing from the body (a question the issue was not asked, or an edited body)."""
    lines = normalise(body).split("\n")
    found: dict[str, str | None] = {field.id: None for field in fields}
    kinds = {field.id: field.kind for field in fields}
    # where each heading is: searched in form order, each after the one before it
    starts: list[tuple[int, str]] = []
    position = 0
    for field in fields:
        heading = f"### {field.label}"
        for number in range(position, len(lines)):
            if lines[number].rstrip() == heading:
                starts.append((number, field.id))
                position = number + 1
                break
    for index, (number, field_id) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(lines)
        text = "\n".join(lines[number + 1 : end]).strip("\n").rstrip()
        text = _dedent_blank(text)
        empty = text.strip() == NO_RESPONSE or (kinds[field_id] == "dropdown" and text == "None")
        found[field_id] = "" if empty else text
    return found


def _dedent_blank(text: str) -> str:
    """Leading blank lines and trailing spaces gone; the answer's own indentation kept."""
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")
