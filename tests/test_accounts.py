"""Account files and the target customer profile: resolution, checks, fit and demand."""

from __future__ import annotations

import pytest
from helpers import ITEM, REQUEST, problems

from generator.config import ACCOUNT_FIELDS
from generator.content.customers import AccountMeta, Criterion, ProfileMeta, fit

TOML = """\
[accounts.attributes.segment]
type = "choice"
values = ["smb", "mid-market", "enterprise"]

[accounts.attributes.seats]
type = "number"
"""

GLOBEX = """\
---
name: Globex Corporation
arr: 410000
stage: customer
segment: enterprise
seats: 2000
strategic: true
owner: Maya Chen
renewal: 2027-01-15
aliases: [Globex, Globex Corp]
---
Notes.
"""

INITECH = """\
---
name: Initech
arr: 95000
stage: churn-risk
segment: smb
seats: 80
---
"""

PROFILE = """\
---
criteria:
  - attribute: segment
    one_of: [mid-market, enterprise]
  - attribute: seats
    at_least: 200
---
Good fit: many seats.
"""

G = "content/accounts/globex.md"
P = "content/profile.md"
R = "content/requests/r.md"


def request(accounts: str, extra: str = "") -> str:
    return REQUEST.replace("---\nBody", f"accounts:\n{accounts}{extra}---\nBody")


def base(**files: str) -> dict[str, str]:
    tree = {"roadmap.toml": TOML, G: GLOBEX, "content/accounts/initech.md": INITECH}
    tree.update({k.replace("__", "/").replace("_md", ".md"): v for k, v in files.items()})
    return tree


def test_built_in_account_fields_are_the_models_fields():
    assert set(AccountMeta.model_fields) == set(ACCOUNT_FIELDS)


@pytest.mark.parametrize(
    "entry",
    [
        "  - globex\n",
        "  - {account: globex, note: renewal blocker}\n",
        "  - {name: globex corp}\n",  # an alias, any case
        "  - {name: Globex Corporation, stage: prospect}\n",
        "  - Globex\n",  # an id-form value that is a name
    ],
)
def test_every_way_of_naming_an_account_resolves_to_its_file(tree, entry):
    result = tree({**base(), R: request(entry)})
    assert result.report.diagnostics == []
    [named] = result.roadmap.requests["r"].accounts
    assert (named.account, named.name, named.arr, named.stage) == (
        "globex", "Globex Corporation", 410000, "customer",
    )  # fmt: skip
    account = result.scores.accounts["globex"]
    assert account.requests == ("r",) and account.strategic


def test_an_account_is_counted_once_per_item_whatever_its_spelling(tree):
    files = {
        **base(),
        "content/roadmap/i.md": ITEM,
        R: request("  - globex\n", "roadmap: i\n"),
        "content/requests/s.md": request("  - {name: GLOBEX, arr: 410000}\n", "roadmap: i\n"),
    }
    result = tree(files)
    assert result.report.errors == []
    demand = result.scores.item_demand["i"]
    assert [s.name for s in demand.accounts] == ["Globex Corporation"]
    assert demand.arr == 410000


def test_inline_accounts_without_a_file_keep_working_and_get_their_own_page(tree):
    result = tree({**base(), R: request("  - {name: Hooli, arr: 5, stage: customer}\n")})
    assert result.report.diagnostics == []
    assert result.scores.accounts["hooli"].file is None
    assert result.scores.accounts["hooli"].arr == 5


def test_an_inline_name_never_takes_an_account_files_page(tree):
    # "initech" is an account file id; an inline account "Initech Ltd" slugs differently,
    # and one named exactly like a file id (but not its name) must not take that page
    files = {**base(), R: request("  - {name: Globex Holdings}\n  - {name: initech-2}\n")}
    result = tree(files)
    slugs = set(result.scores.accounts)
    assert {"globex", "initech", "globex-holdings", "initech-2"} <= slugs


def test_account_files_without_requests_are_accounts_too(tree):
    result = tree(base())
    assert set(result.scores.accounts) == {"globex", "initech"}
    assert result.scores.accounts["initech"].requests == ()


def test_unknown_account_id_is_an_error_at_its_line_with_a_suggestion(tree):
    result = tree({**base(), R: request("  - globx\n")})
    assert problems(result) == [(R, 6, "E305")]
    assert "did you mean `globex`?" in result.report.diagnostics[0].message
    assert result.roadmap is None


def test_unknown_account_id_is_reported_beside_a_type_error(tree):
    result = tree({**base(), R: request("  - {account: nobody}\n", "area: [1]\n")})
    assert {d.code for d in result.report.diagnostics} == {"E305", "E203"}


def test_an_inline_arr_that_differs_from_the_file_warns_with_both_lines(tree):
    result = tree({**base(), R: request("  - name: Globex\n    arr: 400000\n")})
    [warning] = result.report.diagnostics
    assert (warning.path, warning.line, warning.code) == (R, 7, "W105")
    assert f"{G}:3" in warning.message  # the file's `arr:` line
    assert result.roadmap.requests["r"].accounts[0].arr == 410000  # the file wins


def test_two_files_claiming_one_name_or_alias(tree):
    other = "---\nname: Globex Holdings\naliases: [GLOBEX]\n---\n"
    result = tree({**base(), "content/accounts/holdings.md": other})
    [error] = result.report.diagnostics
    # files are read in id order: globex keeps its alias, holdings is told where it is
    assert (error.path, error.line, error.code) == ("content/accounts/holdings.md", 3, "E306")
    assert f"{G}:10" in error.message


@pytest.mark.parametrize(
    ("line", "code", "text"),
    [
        ("renewal: next spring", "E206", "expected a date"),
        ("segmnt: smb", "E210", "did you mean `segment`?"),
        ("seats: many", "E209", "expected a number"),
        ("segment: huge", "E209", "must be one of"),
        ("visibility: public", "E205", "never published"),
        ("strategic: maybe", "E203", ""),
    ],
)
def test_account_file_values_are_checked(tree, line, code, text):
    key = line.split(":")[0]
    lines = [x for x in INITECH.splitlines() if not x.startswith(f"{key}:")]
    lines.insert(1, line)
    result = tree({**base(), "content/accounts/initech.md": "\n".join(lines) + "\n"})
    [error] = result.report.diagnostics
    assert (error.line, error.code) == (2, code)
    assert text in error.message


def test_an_account_entry_names_its_account_one_way(tree):
    both = tree({**base(), R: request("  - {account: globex, name: Globex}\n")})
    assert [d.code for d in both.report.diagnostics] == ["E212"]
    arr = tree({**base(), R: request("  - {account: globex, arr: 5}\n")})
    assert [d.code for d in arr.report.diagnostics] == ["E212"]
    neither = tree({**base(), R: request("  - {note: who?}\n")})
    assert [(d.line, d.code) for d in neither.report.diagnostics] == [(6, "E202")]


@pytest.mark.parametrize(
    ("criterion", "line", "code", "text"),
    [
        ("  - attribute: seat\n    at_least: 3\n", 3, "E210", "did you mean `seats`?"),
        ("  - attribute: segment\n    at_least: 3\n", 4, "E211", "use one_of or equals"),
        ("  - attribute: segment\n    one_of: [medium]\n", 4, "E211", "must be one of"),
        ("  - attribute: strategic\n    equals: 3\n", 4, "E211", "expected true or false"),
        ("  - attribute: seats\n", 3, "E202", "needs a test"),
    ],
)
def test_profile_criteria_are_checked_against_the_attributes(tree, criterion, line, code, text):
    result = tree({**base(), P: f"---\ncriteria:\n{criterion}---\n"})
    [error] = result.report.diagnostics
    assert (error.path, error.line, error.code) == (P, line, code)
    assert text in error.message


def test_fit_meets_misses_and_unknown():
    profile = ProfileMeta.model_validate(
        {"criteria": [
            {"attribute": "segment", "one_of": ["mid-market", "enterprise"]},
            {"attribute": "seats", "at_least": 200, "at_most": 5000},
            {"attribute": "region", "none_of": ["apac"]},
        ]}
    )  # fmt: skip
    inside = fit(profile, {"segment": "Enterprise", "seats": 200, "region": "eu"})
    assert inside.verdict == "in" and len(inside.met) == 3
    outside = fit(profile, {"segment": "smb", "seats": 9000, "region": "apac"})
    assert outside.verdict == "out" and len(outside.missed) == 3
    unknown = fit(profile, {"segment": "enterprise", "seats": 300})
    assert unknown.verdict == "unknown"
    assert unknown.unknown == ("region is not apac",)
    missed_wins = fit(profile, {"segment": "smb"})
    assert missed_wins.verdict == "out"


def test_criteria_read_as_words():
    criterion = Criterion.model_validate(
        {"attribute": "segment", "one_of": ["smb", "mid-market", "enterprise"]}
    )
    assert criterion.describe() == "segment is smb, mid-market or enterprise"
    ranged = Criterion.model_validate({"attribute": "seats", "at_least": 200, "at_most": 1000})
    assert ranged.describe() == "seats at least 200 and at most 1,000"
    assert (
        Criterion.model_validate({"attribute": "strategic", "equals": True}).meets(False) is False
    )


def test_demand_splits_by_profile_and_strategic_accounts(tree):
    files = {
        **base(),
        P: PROFILE,
        "content/roadmap/i.md": ITEM,
        R: request("  - globex\n", "roadmap: i\n"),
        "content/requests/s.md": request("  - initech\n", "roadmap: i\n"),
        "content/requests/t.md": request("  - {name: Unknown Co, arr: 1000}\n", "roadmap: i\n"),
    }
    result = tree(files)
    assert result.report.errors == []
    demand = result.scores.item_demand["i"]
    assert [s.fit for s in demand.accounts] == ["in", "out", "unknown"]
    assert demand.arr == 410000 + 95000 + 1000
    assert demand.arr_in_profile == 410000
    assert demand.requests_in_profile == 1
    assert [s.name for s in demand.strategic] == ["Globex Corporation"]
    assert not demand.outside_profile
    assert result.roadmap.accounts["initech"].fit.missed == (
        "segment is mid-market or enterprise", "seats at least 200",
    )  # fmt: skip


def test_an_item_whose_accounts_are_all_outside_the_profile(tree):
    files = {**base(), P: PROFILE, "content/roadmap/i.md": ITEM,
             R: request("  - initech\n", "roadmap: i\n")}  # fmt: skip
    result = tree(files)
    assert result.scores.item_demand["i"].outside_profile


def test_custom_formula_reads_the_profile_split(tree):
    toml = TOML + '[scoring]\nmodel = "custom"\nformula = "arr_in_profile + strategic_accounts"\n'
    files = {
        **base(),
        "roadmap.toml": toml,
        P: PROFILE,
        "content/roadmap/i.md": ITEM,
        R: request("  - globex\n", "roadmap: i\n"),
        "content/requests/s.md": request("  - initech\n", "roadmap: i\n"),
    }
    result = tree(files)
    assert result.report.errors == []
    assert result.scores.items["i"].value == 410001
    assert "arr_in_profile" in result.scores.items["i"].explanation


def test_without_a_profile_nothing_is_in_or_out(tree):
    result = tree({**base(), R: request("  - globex\n")})
    assert result.roadmap.profile is None
    assert result.roadmap.accounts["globex"].fit is None
    assert result.scores.request_demand["r"].accounts[0].fit == ""


def test_diff_reports_account_changes_with_the_items_they_affect(tmp_path):
    import subprocess

    from helpers import write_tree

    from generator.content.tree import ContentTree
    from generator.diff import compare, render
    from generator.git import read_revision
    from generator.pipeline import check

    files = {**base(), P: PROFILE, "content/roadmap/i.md": ITEM,
             R: request("  - globex\n", "roadmap: i\n")}  # fmt: skip
    root = write_tree(tmp_path, files)
    git = ["git", "-C", str(root), "-c", "user.name=A", "-c", "user.email=a@x"]
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "base"], check=True)
    path = root / G
    text = (
        path.read_text().replace("arr: 410000", "arr: 450000").replace("seats: 2000", "seats: 20")
    )
    path.write_text(text.replace("owner: Maya Chen", "owner: Jo Lee"))
    (root / "content/accounts/new.md").write_text("---\nname: New Co\n---\n")
    diff = compare(check(read_revision(root, "HEAD")), check(ContentTree(root)), "HEAD", "work")
    kinds = {c.kind: c for c in diff.changes}
    assert set(kinds) == {"account", "account-added"}
    change = kinds["account"]
    assert change.items == ("i",)
    assert change.summary == (
        "ARR 410,000 -> 450,000; owner Maya Chen -> Jo Lee; profile fit in -> out; affects `i`"
    )
    assert "Accounts:" in render(diff, "text")


def test_serve_checks_again_in_full_after_an_account_file_edit(tmp_path):
    from helpers import write_tree

    from generator.pipeline import check

    g1 = "content/accounts/g1.md"  # an id that is not one of its names
    files = {**base(), R: request("  - {account: g1, note: old}\n"), g1: GLOBEX}
    del files[G]
    root = write_tree(tmp_path, files)
    first = check(root)
    assert first.report.diagnostics == []
    (root / g1).write_text(GLOBEX.replace("arr: 410000", "arr: 1"))
    again = check(root, previous=first, edited=[g1])
    assert again.reach is None  # not applied in place: every request may read it
    assert again.roadmap.requests["r"].accounts[0].arr == 1
    (root / R).write_text(request("  - {account: g1, note: new}\n"))
    edited = check(root, previous=again, edited=[R])
    assert edited.report.diagnostics == []
    assert edited.reach is not None  # the same account: applied in place
    assert edited.roadmap.requests["r"].accounts[0].note == "new"
    assert edited.roadmap.requests["r"].accounts[0].arr == 1
