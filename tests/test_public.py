"""The public build leaks nothing internal, in any page, export, feed or asset.

Builds the bundled example publicly and scans every byte of every output file for
every internal value: account names, ARR figures (as written and as displayed),
requesters, and the ids and titles of internal items and requests.
"""

from __future__ import annotations

import re
import subprocess
import textwrap
from pathlib import Path

import pytest
from helpers import REPO, write_tree
from htmlparse import parse

from generator.build import build
from generator.formatting import fmt
from generator.git import history
from generator.pipeline import check


@pytest.fixture(scope="module")
def public_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("public") / "site"
    result = build(REPO, out, "public")
    assert result.files > 0
    return out


def internal_values() -> set[str]:
    roadmap = check(REPO).roadmap
    values: set[str] = set()
    for request in roadmap.requests.values():
        values.add(request.meta.requester)
        values.add(request.meta.requester.split(" (")[0])  # the person, without the role
        for account in request.accounts:
            values.add(account.name)
            if account.arr:
                values.update({fmt(account.arr), str(int(account.arr)), f"{account.arr:.1f}"})
            if account.note:
                values.add(account.note)
        if request.meta.visibility == "internal":
            values.update({request.title, f"requests/{request.id}", f'"{request.id}"'})
    for item in roadmap.items.values():
        if item.meta.visibility == "internal":
            values.update({item.title, f"items/{item.id}", f'"{item.id}"', f"#{item.id}-"})
    for record in roadmap.accounts.values():  # account files: never published
        meta = record.meta
        values.update({meta.name, *meta.aliases, record.body.strip(), f"accounts/{record.id}"})
        if meta.owner:
            values.update({meta.owner, meta.owner.split()[0]})
        if meta.renewal:
            values.add(meta.renewal.isoformat())
    if roadmap.profile is not None:  # only the profile's free text may be public
        for criterion in roadmap.profile.meta.criteria:
            values.update({criterion.describe(), criterion.why or criterion.describe()})
    values.update(
        {
            "Internal, do not forward",
            "accounts.html",
            "priorities.html",
            "accounts.json",
            "outside our target profile",
            "in profile",
        }
    )
    for file in history(REPO).files.values():  # git authors are internal too
        values.update({file.created.author, file.last_changed.author})
    return values


def test_public_build_contains_no_internal_value(public_site):
    values = internal_values()
    assert len(values) > 100  # the scan is only as good as its list
    files = [p for p in public_site.rglob("*") if p.is_file()]
    assert len(files) > 20
    leaks = []
    for path in files:
        data = path.read_bytes()
        for value in values:
            if value.encode() in data:
                leaks.append(f"{path.relative_to(public_site)}: {value!r}")
    assert leaks == []


def test_public_build_still_shows_public_content(public_site):
    """The leak scan would pass on an empty site: make sure it is not one."""
    board = parse(public_site / "index.html")
    assert "SAML single sign-on and SCIM provisioning" in board.text
    assert "Internal, do not forward" not in board.text
    assert (public_site / "items" / "sso-saml.html").is_file()
    assert not (public_site / "items" / "salesforce-sync.html").exists()
    assert (public_site / "requests" / "okta-sso.html").is_file()
    assert not (public_site / "accounts").exists()
    page = parse(public_site / "requests" / "okta-sso.html")
    assert "Answered by SAML single sign-on and SCIM provisioning" in page.text
    assert "Score" not in page.text


def test_internal_build_does_show_the_internal_values(tmp_path):
    """The same scan finds the values in the internal build: the scan can fail."""
    out = tmp_path / "site"
    build(REPO, out, "internal")
    everything = b"".join(p.read_bytes() for p in out.rglob("*") if p.is_file())
    found = [v for v in internal_values() if v.encode() in everything]
    assert len(found) > 0.9 * len(internal_values())


# Every field of every file, planted with a canary: none may reach any byte of the public site.

CANARY_FILES = {
    "roadmap.toml": '[site]\ntitle = "Open roadmap"\n[fields.segment]\ntype = "string"\n'
    '[accounts.attributes.tier]\ntype = "string"\n',
    "content/accounts/zqfile-account.md": """\
        ---
        name: Zqfile Holdings
        arr: 666666
        stage: churn-risk
        strategic: true
        owner: Zqmanager Person
        renewal: 2026-02-01
        aliases: [Zqalias]
        tier: Zqtier
        tags: [zqtag]
        ---
        Zqnotes about the account.
        """,
    "content/profile.md": """\
        ---
        title: Zqprofile title
        criteria:
          - {attribute: tier, one_of: [Zqtier], why: Zqwhy it matters.}
        ---
        Zqprofile free text.
        """,
    "content/roadmap/open-item.md": """\
        ---
        title: Faster exports
        status: next
        theme: Performance
        owner: Zqowner Person
        tags: [speed]
        target: 2027-Q1
        rice: {reach: 10, impact: 1, confidence: 0.5, effort: 2}
        fields: {segment: Zqfield}
        visibility: public
        decisions:
          - {date: 2026-01-02, outcome: accepted, summary: Worth doing soon., by: Zqdecider Board}
        alternatives: Export in smaller batches meanwhile.
        ---
        Exports of large tables time out.
        """,
    "content/roadmap/zqsecret-item.md": """\
        ---
        title: Zqsecret internal plan
        status: now
        owner: Zqowner Person
        decisions: [{date: 2026-01-03, outcome: accepted, summary: Zqsecret decision.}]
        ---
        Zqsecret body.
        """,
    "content/requests/open-ask.md": """\
        ---
        title: Exports time out
        submitted: 2026-01-04
        requester: Zqrequester Person (AE)
        accounts:
          - {name: Zqaccount Holdings, arr: 777777, stage: churn-risk}
          - {account: zqfile-account, note: Zqnote of the request}
        roadmap: open-item
        area: Exports
        tags: [exports]
        rice: {reach: 10, impact: 1, confidence: 0.5, effort: 2}
        visibility: public
        ---
        Large exports fail after a minute.
        """,
    "content/requests/zqsecret-ask.md": """\
        ---
        title: Zqsecret internal request
        submitted: 2026-01-05
        requester: Zqrequester Person (AE)
        accounts: [{name: Zqother Corp, arr: 888888}]
        roadmap: zqsecret-item
        ---
        Zqsecret need.
        """,
}


def test_no_internal_field_of_any_file_reaches_the_public_site(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1768003200")
    root = write_tree(tmp_path / "project", CANARY_FILES)
    git = ["git", "-C", str(root), "-c", "user.name=Zqauthor Person", "-c", "user.email=zq@x"]
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "Zqsubject of a commit"], check=True)
    (root / "content/roadmap/open-item.md").write_text(
        (root / "content/roadmap/open-item.md").read_text().replace("status: next", "status: now")
    )
    subprocess.run([*git, "commit", "-qam", "Zqsubject of a status move"], check=True)
    out = tmp_path / "public"
    result = build(root, out, "public")
    assert result.files, result.check.report.render("text", 0)
    files = [p for p in out.rglob("*") if p.is_file()]
    assert "Faster exports" in (out / "items/open-item.html").read_text()  # not an empty site
    leaks = [
        f"{p.relative_to(out)}: {marker}"
        for p in files
        for marker in (b"zq", b"777", b"888", b"666", b"churn-risk", b"do not forward")
        if marker in p.read_bytes().lower()
    ]
    assert leaks == []
    internal = tmp_path / "internal"
    build(root, internal, "internal")  # the control: the same scan finds them all there
    everything = b"".join(p.read_bytes().lower() for p in internal.rglob("*") if p.is_file())
    for marker in (b"zqowner", b"zqdecider", b"zqrequester", b"zqaccount", b"zqsecret",
                   b"zqauthor", b"zqsubject", b"777,777", b"zqfile", b"zqmanager", b"zqalias",
                   b"zqtier", b"zqnotes", b"zqnote of", b"zqprofile", b"zqwhy", b"666,666",
                   b"2026-02-01"):  # fmt: skip
        assert marker in everything, marker


LEAKS = [
    ("title", "Exports for Zqaccount Holdings"),
    ("title", "Exports for Zqaccount"),  # the first word of a longer name
    ("title", "Exports for Zq&#97;ccount"),  # an HTML entity
    ("theme", "Zq\u200baccount"),  # a zero-width space
    ("alternatives", "Ask **Zq**account first."),  # emphasis
    ("tags", "[fast, Zqaccount]"),
    ("decisions", "[{date: 2026-01-02, outcome: accepted, summary: As Zqrequester asked.}]"),
    ("area", "IT at Zqaccount"),
    ("body", "Zqrequester Person said so."),
    ("body", "Our [Zq](https://example.com)account contact asked."),
]


@pytest.mark.parametrize(("field", "value"), LEAKS)
def test_a_name_in_any_public_field_is_an_error(tmp_path, field, value):
    kind = "requests" if field == "area" else "roadmap"
    path = f"content/{kind}/open-{'ask' if kind == 'requests' else 'item'}.md"
    files = dict(CANARY_FILES)
    text = textwrap.dedent(files[path])
    if field == "body":
        text += value + "\n"
    else:  # the field's lines (and indented continuation lines) replaced by the planted one
        text = re.sub(rf"^{field}:.*\n(?:[ ]+.*\n)*", "", text, count=1, flags=re.M)
        text = text.replace("---\n", f"---\n{field}: {value}\n", 1)
    files[path] = text
    result = check(write_tree(tmp_path, files))
    assert [(d.path, d.code) for d in result.report.errors] == [(path, "E403")], [
        d.text() for d in result.report.diagnostics
    ]


def test_a_public_file_named_after_an_account_is_an_error(tmp_path):
    files = dict(CANARY_FILES)
    files["content/requests/zqaccount-exports.md"] = files.pop("content/requests/open-ask.md")
    result = check(write_tree(tmp_path, files))
    [error] = result.report.errors
    assert (error.path, error.line, error.code) == (
        "content/requests/zqaccount-exports.md", 1, "E403",
    )  # fmt: skip


def test_a_public_profile_shows_its_free_text_and_nothing_else(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1768003200")
    files = dict(CANARY_FILES)
    files["content/profile.md"] = """\
        ---
        title: Who we build for
        visibility: public
        criteria:
          - {attribute: tier, one_of: [Zqtier], why: Zqwhy it matters.}
        ---
        Teams of twenty or more who share one view of their customers.
        """
    root = write_tree(tmp_path / "project", files)
    out = tmp_path / "public"
    result = build(root, out, "public")
    assert result.files, result.check.report.render("text", 0)
    page = parse(out / "profile.html")
    assert "Teams of twenty or more" in page.text
    assert 'href="profile.html"' in (out / "index.html").read_text()  # in the navigation
    leaks = [
        f"{p.relative_to(out)}: {marker}"
        for p in out.rglob("*") if p.is_file()
        for marker in (b"zq", b"tier", b"666", b"in profile", b"outside")
        if marker in p.read_bytes().lower()
    ]  # fmt: skip
    assert leaks == []


def test_an_internal_profile_is_not_in_the_public_build(tmp_path):
    root = write_tree(tmp_path / "project", CANARY_FILES)
    build(root, tmp_path / "public", "public")
    assert not (tmp_path / "public" / "profile.html").exists()
    assert b"profile.html" not in (tmp_path / "public" / "index.html").read_bytes()


@pytest.mark.parametrize(
    "text", ["Ask Zqfile Holdings.", "Like Zqalias does.", "Zqmanager knows.", "**Zq**alias"]
)
def test_a_public_profile_naming_an_account_or_its_manager_is_an_error(tmp_path, text):
    files = dict(CANARY_FILES)
    files["content/profile.md"] = f"---\nvisibility: public\n---\nFine text.\n{text}\n"
    result = check(write_tree(tmp_path / "project", files))
    [error] = result.report.errors
    assert (error.path, error.line, error.code) == ("content/profile.md", 5, "E403")
