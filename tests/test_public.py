"""The public build leaks nothing internal, in any page, export, feed or asset.

Builds the bundled example publicly and scans every byte of every output file for
every internal value: account names, ARR figures (as written and as displayed),
requesters, and the ids and titles of internal items and requests.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import REPO
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
        for account in request.meta.accounts:
            values.add(account.name)
            if account.arr:
                values.update({fmt(account.arr), str(int(account.arr)), f"{account.arr:.1f}"})
        if request.meta.visibility == "internal":
            values.update({request.title, f"requests/{request.id}", f'"{request.id}"'})
    for item in roadmap.items.values():
        if item.meta.visibility == "internal":
            values.update({item.title, f"items/{item.id}", f'"{item.id}"', f"#{item.id}-"})
    values.update({"Internal, do not forward", "accounts.html", "priorities.html"})
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
