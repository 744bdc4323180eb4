"""Problems found in content and configuration, collected and reported together.

Every problem is a :class:`Diagnostic` with a stable code. Commands collect them
in a :class:`Report` and print all of them at the end, in one of three formats:
plain text (``path:line:col: error[CODE]: message``), JSON for tools, and GitHub
workflow commands so a pull request shows each error on its line.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from enum import StrEnum

from pydantic_core import ErrorDetails


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


#: Every code the tool can report, with a one-line title. Codes are stable:
#: never reuse or renumber one (the README lists them from this table).
CODES: dict[str, str] = {
    # Files and frontmatter
    "E101": "file is not valid UTF-8",
    "E102": "missing frontmatter (the file must start with a `---` line)",
    "E103": "unterminated frontmatter (no closing `---` line)",
    "E104": "YAML syntax error",
    "E105": "frontmatter is not a mapping",
    "E106": "duplicate key",
    "E107": "YAML anchors, aliases and tags are not allowed",
    "E108": "invalid id (file name)",
    "E109": "symbolic link leading outside the project (not read)",
    "E110": "file cannot be read",
    "E111": "control character in a text value",
    # Fields
    "E201": "unknown field",
    "E202": "missing required field",
    "E203": "wrong type",
    "E204": "value out of range",
    "E205": "value not among the allowed values",
    "E206": "invalid date",
    "E207": "invalid quarter",
    "E208": "undeclared custom field",
    "E209": "invalid custom field value",
    "E210": "undeclared account attribute",
    "E211": "profile criterion does not fit its attribute",
    "E212": "account entry names no account, or names it two ways",
    "E213": "strategy declares a theme or category id twice",
    "E214": "category target shares do not add up to 100%",
    # Links between files
    "E301": "link to a roadmap item that does not exist",
    "E302": "link to a request that does not exist",
    "E303": "duplicate_of chain loops",
    "E304": "roadmap and duplicate_of together",
    "E305": "link to an account that does not exist",
    "E306": "two account files claim the same name or alias",
    "E307": "theme not declared in the strategy",
    "E308": "unknown investment category",
    # Rules across fields
    "E401": "shipped item without a shipped date",
    "E402": "declined item without a decision",
    "E403": "public file names an account or requester",
    "E404": "a decision reason on an outcome that is not a no",
    "E405": "effort stated twice (`effort` and `rice.effort`)",
    # Configuration (roadmap.toml)
    "E501": "roadmap.toml syntax error",
    "E502": "unknown setting",
    "E503": "invalid setting",
    "E504": "invalid scoring formula",
    # The project's own templates
    "E601": "project template does not compile",
    # Warnings: reported, fail only with --strict
    "W101": "request untriaged for too long",
    "W102": "item in `now` without an owner",
    "W103": "empty body",
    "W104": "item in now/next without scoring inputs",
    "W105": "a request's ARR for an account differs from its account file",
    "W106": "a quarter (or a team in it) is over capacity",
    "W107": "item in `now` without a target quarter or an effort (with capacity declared)",
    "W108": "an investment category is off its target share",
}


@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    """One problem, pointing at the line of the file that causes it."""

    path: str
    """File path as shown to the user, relative to the project root, with `/`."""
    line: int
    """1-based line in the file itself (not in the frontmatter block); 0 if unknown."""
    col: int
    """1-based column; 0 if unknown."""
    code: str
    """Stable code from :data:`CODES`."""
    message: str
    """What is wrong and, where it helps, how to fix it."""
    severity: Severity = Severity.ERROR
    """Errors fail `roadmap check`; warnings only with `--strict`."""

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unknown diagnostic code {self.code}")

    def text(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity}[{self.code}]: {self.message}"

    def github(self) -> str:
        command = "error" if self.severity is Severity.ERROR else "warning"
        props = {
            "file": self.path,
            "line": str(max(self.line, 1)),
            "col": str(max(self.col, 1)),
            "title": f"{self.code} {CODES[self.code]}",
        }
        rendered = ",".join(f"{k}={_escape_property(v)}" for k, v in props.items())
        return f"::{command} {rendered}::{_escape_data(self.message)}"


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


@dataclass
class Report:
    """Collects diagnostics while the pipeline runs; never raises on bad input."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def add(
        self,
        path: str,
        line: int,
        col: int,
        code: str,
        message: str,
        severity: Severity | None = None,
    ) -> None:
        if severity is None:
            severity = Severity.WARNING if code.startswith("W") else Severity.ERROR
        self.diagnostics.append(Diagnostic(path, line, col, code, message, severity))

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics.extend(diagnostics)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]

    def sorted(self) -> list[Diagnostic]:
        """Stable order: by file, then line, so output is reproducible."""
        return sorted(set(self.diagnostics))

    def summary(self, files_checked: int) -> str:
        errors, warnings = len(self.errors), len(self.warnings)
        noun = "file" if files_checked == 1 else "files"
        if not errors and not warnings:
            return f"checked {files_checked} {noun}: no problems"
        return (
            f"checked {files_checked} {noun}: {errors} error{'s' * (errors != 1)}, "
            f"{warnings} warning{'s' * (warnings != 1)}"
        )

    def render(self, fmt: str, files_checked: int, warning_limit: int | None = None) -> str:
        """The whole report in `text`, `json` or `github` format.

        In text, with a `warning_limit`, errors are all shown but warnings only up to the
        limit; the rest are counted, one line per code with the first file as example.
        """
        items = self.sorted()
        if fmt == "json":
            payload = {
                "files_checked": files_checked,
                "errors": len(self.errors),
                "warnings": len(self.warnings),
                "diagnostics": [asdict(d) for d in items],
            }
            return json.dumps(payload, indent=2, ensure_ascii=False)
        if fmt == "github":
            lines = [d.github() for d in items]
        elif warning_limit is None or len(self.warnings) <= warning_limit:
            lines = [d.text() for d in items]
        else:
            lines = _summarised(items, warning_limit)
        lines.append(self.summary(files_checked))
        return "\n".join(lines)


def _summarised(items: list[Diagnostic], limit: int) -> list[str]:
    """Every error, the first `limit` warnings, then a count per code of the others."""
    lines: list[str] = []
    shown = 0
    more: dict[str, list[Diagnostic]] = {}
    for diagnostic in items:
        if diagnostic.severity is Severity.ERROR or shown < limit:
            lines.append(diagnostic.text())
            shown += diagnostic.severity is Severity.WARNING
        else:
            more.setdefault(diagnostic.code, []).append(diagnostic)
    for code, rest in sorted(more.items()):
        lines.append(f"{code} x {len(rest):,} more, e.g. {rest[0].path}: {CODES[code]}")
    lines.append(
        f"({sum(map(len, more.values())):,} warnings not shown: --verbose shows every one)"
    )
    return lines


#: Warnings shown one by one in a text report before the rest are counted by code.
WARNINGS_SHOWN = 20


#: pydantic error types, mapped to our codes. Custom types come from schema.py.
_PYDANTIC_CODES: dict[str, str] = {
    "missing": "E202",
    "extra_forbidden": "E201",
    "literal_error": "E205",
    "impact_scale": "E205",
    "fibonacci_scale": "E205",
    "date_format": "E206",
    "date_invalid": "E206",
    "quarter_format": "E207",
    "confidence_format": "E203",
    "confidence_range": "E204",
    "share_range": "E204",
    "greater_than": "E204",
    "greater_than_equal": "E204",
    "less_than": "E204",
    "less_than_equal": "E204",
    "string_too_short": "E204",
    "string_too_long": "E204",
    "too_short": "E204",
    "too_long": "E204",
    "finite_number": "E204",
    "account_entry": "E212",
    "criterion_empty": "E202",
    "account_visibility": "E205",
}


def dotted(loc: tuple[str | int, ...]) -> str:
    """`('accounts', 0, 'arr')` -> `accounts[0].arr`."""
    out = ""
    for part in loc:
        if part == "[key]":  # pydantic's marker for an error in a mapping key
            continue
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def describe_pydantic_error(
    error: ErrorDetails, known_fields: Iterable[str] = ()
) -> tuple[str, str, tuple[str | int, ...]]:
    """(code, message, loc) for one entry of `ValidationError.errors()`."""
    import difflib  # only needed on the error path

    kind = error["type"]
    loc = tuple(error["loc"])
    name = dotted(loc)
    code = _PYDANTIC_CODES.get(kind, "E203")
    if kind == "missing":
        return code, f"missing required field `{name}`", loc
    if kind == "extra_forbidden":
        field_name = str(loc[-1]) if loc else ""
        hint = difflib.get_close_matches(field_name, list(known_fields), n=1, cutoff=0.6)
        known = ", ".join(sorted(known_fields))
        suggestion = f" (did you mean `{hint[0]}`?)" if hint else f"; known fields: {known}"
        return code, f"unknown field `{name}`{suggestion}", loc
    message = error["msg"]
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        message = f"must be one of {expected}"
    given = error.get("input")
    shown = "" if isinstance(given, dict | list) else f" (got {given!r})"
    if kind in ("date_format", "date_invalid", "quarter_format", "confidence_format", "field_name"):
        shown = ""
    return code, f"`{name}`: {message[0].lower()}{message[1:]}{shown}", loc
