"""Validating parsed files against the schema and the declared custom fields.

Each file is checked on its own here; links between files are checked in
:mod:`generator.content.linking`. Warnings about content that is valid but needs
care are in :mod:`generator.lint`, which runs on the linked, scored model.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from ..config import ACCOUNT_FIELDS, Config
from ..diagnostics import Diagnostic, Report, describe_pydantic_error, dotted
from .customers import AccountMeta, ProfileMeta, attribute_specs
from .files import Kind
from .frontmatter import ItemMeta, RequestMeta
from .loading import SourceFile
from .strategy import StrategyMeta

#: The typed frontmatter of any kind of content file.
Meta = RequestMeta | ItemMeta | AccountMeta | ProfileMeta | StrategyMeta

SCHEMAS: dict[Kind, type[Meta]] = {
    Kind.REQUEST: RequestMeta,
    Kind.ITEM: ItemMeta,
    Kind.ACCOUNT: AccountMeta,
    Kind.PROFILE: ProfileMeta,
    Kind.STRATEGY: StrategyMeta,
}


@dataclass(frozen=True, slots=True)
class ValidFile:
    """A file whose frontmatter passed every per-file check."""

    source: SourceFile
    """Where it came from, with positions for later diagnostics."""
    meta: Meta
    """Its typed frontmatter."""


#: What `validate` remembers between runs (for `roadmap serve`): by path, the source
#: it checked (the very object, reused by the load memo while the file is unchanged),
#: its typed frontmatter and the problems found.
ValidationMemo = dict[str, tuple[SourceFile, "Meta | None", list[Diagnostic]]]


def validate(
    sources: Iterable[SourceFile],
    config: Config,
    report: Report,
    memo: ValidationMemo | None = None,
) -> list[ValidFile]:
    """Typed frontmatter for every file that passes; every problem goes to `report`."""
    valid = []
    for source in sources:
        known = memo.get(source.path) if memo is not None else None
        if known is not None and known[0] is source:
            _, meta, diagnostics = known
        else:
            own = Report()
            meta = validate_one(source, config, own)
            diagnostics = own.diagnostics
            if memo is not None:
                memo[source.path] = (source, meta, diagnostics)
        report.extend(diagnostics)
        if meta is not None:
            valid.append(ValidFile(source, meta))
    return valid


def validate_one(source: SourceFile, config: Config, report: Report) -> Meta | None:
    schema = SCHEMAS[source.kind]
    assert source.data is not None
    ok = True
    if issubclass(schema, RequestMeta | ItemMeta):
        for violation in schema.rule_violations(source.data):
            line, col = source.position(violation.loc, key=True)
            report.add(source.path, line, col, violation.code, violation.message)
            ok = False
        ok = _check_custom_fields(source, config, report) and ok
    elif schema is AccountMeta:
        ok = _check_attributes(source, config, report)
    try:
        meta = schema.model_validate(source.data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            known = _fields_at(schema, tuple(error["loc"]))
            code, message, loc = describe_pydantic_error(error, known)
            line, col = source.position(loc, key=code in ("E201", "E202"))
            report.add(source.path, line, col, code, message)
        return None
    if isinstance(meta, ProfileMeta):
        ok = _check_criteria(source, meta, config, report)
    elif isinstance(meta, StrategyMeta):
        for loc, code, message in meta.problems():
            line, col = source.position(loc)
            report.add(source.path, line, col, code, message)
            ok = False
    return meta if ok else None


def _check_attributes(source: SourceFile, config: Config, report: Report) -> bool:
    """An account file's keys beyond the built-in fields: declared attributes, of their type."""
    assert source.data is not None
    declared = config.accounts.attributes
    ok = True
    for name, value in source.data.items():
        if name in ACCOUNT_FIELDS:
            continue
        spec = declared.get(str(name))
        if spec is None:
            line, col = source.position((name,), key=True)
            known = [*ACCOUNT_FIELDS, *declared]
            hint = difflib.get_close_matches(str(name), known, n=1)
            advice = (
                f" (did you mean `{hint[0]}`?)"
                if hint
                else f"; declare it in roadmap.toml as [accounts.attributes.{name}] with its type"
            )
            report.add(source.path, line, col, "E210",
                       f"account attribute `{name}` is undeclared{advice}")  # fmt: skip
            ok = False
        elif (problem := spec.check(value)) is not None:
            line, col = source.position((name,))
            report.add(source.path, line, col, "E209", f"`{name}`: {problem}")
            ok = False
    return ok


def _check_criteria(
    source: SourceFile, profile: ProfileMeta, config: Config, report: Report
) -> bool:
    """The profile's criteria against the account attributes they read."""
    specs = attribute_specs(config.accounts.attributes)
    ok = True
    for index, criterion in enumerate(profile.criteria):
        for loc, code, message in criterion.problems(specs):
            line, col = source.position(("criteria", index, *loc))
            report.add(source.path, line, col, code, f"`criteria[{index}]`: {message}")
            ok = False
    return ok


def _check_custom_fields(source: SourceFile, config: Config, report: Report) -> bool:
    fields = source.data.get("fields") if source.data else None
    if not isinstance(fields, dict):
        return True  # a wrong type is reported by the schema
    ok = True
    for name, value in fields.items():
        spec = config.fields.get(str(name))
        if spec is None:
            line, col = source.position(("fields", name), key=True)
            hint = difflib.get_close_matches(str(name), list(config.fields), n=1)
            advice = (
                f" (did you mean `{hint[0]}`?)"
                if hint
                else f"; declare it in roadmap.toml as [fields.{name}] with its type"
            )
            report.add(
                source.path, line, col, "E208", f"custom field `{name}` is undeclared{advice}"
            )
            ok = False
        elif (problem := spec.check(value)) is not None:
            line, col = source.position(("fields", name))
            report.add(source.path, line, col, "E209", f"`{dotted(('fields', name))}`: {problem}")
            ok = False
    return ok


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Field names of the (nested) model that holds the last part of `loc`."""
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        nested = _model_in(field.annotation) if field else None
        if nested is None:
            return []
        model = nested
    return list(model.model_fields)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model inside `X`, `list[X]` or `X | None`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) in (
        list,
        typing.Union,
    ):
        for arg in typing.get_args(annotation):
            if found := _model_in(arg):
                return found
    return None
