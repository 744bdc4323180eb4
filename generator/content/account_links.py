"""Requests to account files: which account each request names, and the checks on it.

A request names an account by its file id (`accounts: [globex]`, `{account: globex}`)
or inline (`{name: Globex, arr: ...}`); an inline name, or an id-form value that is
not an id, resolves to the account file whose name or alias it matches
(case-insensitively). An account file's ARR and stage are the ones every request uses.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Set
from typing import Any

from ..diagnostics import Report
from .customers import fit
from .frontmatter import Account, RequestMeta
from .loading import SourceFile
from .model import AccountRecord, AccountRef, Profile, account_key


def account_names(sources: Iterable[SourceFile], report: Report) -> dict[str, str]:
    """Account file id by the key of each name and alias; a name two files claim is E306.

    Read from the raw frontmatter (a file with a type error elsewhere still claims its
    names), in id order: the first file keeps a name, the others are reported.
    """
    claimed: dict[str, tuple[SourceFile, tuple[str | int, ...]]] = {}
    for source in sorted(sources, key=lambda s: s.id):
        data = source.data or {}
        spellings: list[tuple[Any, tuple[str | int, ...]]] = [(data.get("name"), ("name",))]
        aliases = data.get("aliases")
        if isinstance(aliases, list):
            spellings += [(alias, ("aliases", n)) for n, alias in enumerate(aliases)]
        for spelling, loc in spellings:
            if not isinstance(spelling, str) or not spelling.strip():
                continue  # the schema reports it
            key = account_key(spelling)
            first = claimed.get(key)
            if first is None:
                claimed[key] = (source, loc)
            elif first[0].id != source.id:
                line, col = source.position(loc)
                other_line, _ = first[0].position(first[1])
                report.add(source.path, line, col, "E306",
                           f"`{spelling.strip()}` is already claimed by {first[0].path}:"
                           f"{other_line}: an account name or alias must lead to one account "
                           "file; merge the two files or drop this spelling")  # fmt: skip
    return {key: source.id for key, (source, _) in claimed.items()}


def check_account_links(
    sources: Iterable[SourceFile], ids: Set[str], names: Mapping[str, str], report: Report
) -> None:
    """E305 for each account id on a request that names no account file (raw frontmatter,
    so that it is reported in the same run as type errors beside it)."""
    for source in sources:
        entries = source.data.get("accounts") if source.data else None
        if not isinstance(entries, list):
            continue
        for index, entry in enumerate(entries):
            wanted, loc = _named_by_id(entry, index)
            if wanted is None or wanted in ids or account_key(wanted) in names:
                continue
            hint = difflib.get_close_matches(wanted, sorted(ids), n=1)
            advice = f" (did you mean `{hint[0]}`?)" if hint else ""
            line, col = source.position(loc)
            report.add(source.path, line, col, "E305",
                       f"account `{wanted}` has no file (content/accounts/{wanted}.md) and is "
                       f"no account's name or alias{advice}; for an account without a file, "
                       f"write `{{name: {wanted}}}`")  # fmt: skip


def _named_by_id(entry: Any, index: int) -> tuple[str | None, tuple[str | int, ...]]:
    if isinstance(entry, str):
        return entry.strip(), ("accounts", index)
    if isinstance(entry, dict) and isinstance(entry.get("account"), str):
        return entry["account"].strip(), ("accounts", index, "account")
    return None, ()


def resolve(
    meta: RequestMeta,
    records: Mapping[str, AccountRecord],
    names: Mapping[str, str],
    profile: Profile | None,
    made: dict[Account, AccountRef] | None = None,
) -> tuple[AccountRef, ...]:
    """The accounts `meta` names, in the order written, each resolved to its file if any
    and measured against the `profile` (ids are checked beforehand: an unknown one is
    left out). An account without a file is measured on its ARR and stage alone.

    `made` (for one linking run) keeps the reference made for each distinct entry: the
    same few hundred accounts come back on every request, and one object each is both
    faster to make and lighter to keep than one per mention.
    """
    resolved = []
    for entry in meta.accounts:
        if made is not None and (known := made.get(entry)) is not None:
            resolved.append(known)
            continue
        if entry.account is not None:
            found = entry.account if entry.account in records else names.get(
                account_key(entry.account)
            )  # fmt: skip
            if found is None:
                continue
        else:
            assert entry.name is not None
            found = names.get(account_key(entry.name))
        if found is None:
            assert entry.name is not None
            measured = (
                fit(profile.meta, {"arr": entry.arr, "stage": entry.stage}) if profile else None
            )
            ref = AccountRef(account_key(entry.name), entry.name, entry.arr, entry.stage, None,
                             entry.note, measured.verdict if measured else "")  # fmt: skip
        else:
            record = records[found]
            file = record.meta
            arr = file.arr if file.arr is not None else entry.arr
            stage = file.stage if file.stage is not None else entry.stage
            verdict = record.fit.verdict if record.fit else ""
            ref = AccountRef(account_key(file.name), file.name, arr, stage, found, entry.note,
                             verdict, file.strategic)  # fmt: skip
        if made is not None:
            made[entry] = ref
        resolved.append(ref)
    return tuple(resolved)
