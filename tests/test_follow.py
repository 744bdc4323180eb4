"""Ways in and ways to follow on the site: "Log a request" links prefilled for GitHub's
issue form, account and requester Atom feeds (internal only), and the public
"Suggest a feature" link only when it is set."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from helpers import ITEM, write_tree

from generator.build import build
from generator.intake.form import FORM_FILE
from generator.pipeline import check
from generator.site.follow import FORM_TEMPLATE

ATOM = "{http://www.w3.org/2005/Atom}"
SETTINGS = '[site]\ntitle = "Northwind"\nrepository = "acme/roadmap"\n'

FILES = {
    "content/roadmap/sso.md": ITEM.replace("An item", "Single sign-on").replace(
        "status: later", "status: next\nvisibility: public\ndecisions:\n"
        "  - {date: 2026-01-04, outcome: accepted, summary: Five deals wait.}"
    ),
    "content/accounts/globex.md": "---\nname: Globex Corporation\narr: 250000\n---\n",
    "content/requests/okta.md": "---\ntitle: Okta login\nsubmitted: 2026-01-02\n"
    "requester: Sam Lee (AE)\naccounts: [globex]\nroadmap: sso\n---\nB.\n",
    "content/requests/saml.md": "---\ntitle: SAML for Initech\nsubmitted: 2026-01-03\n"
    "requester: Sam  LEE (AE)\naccounts: [{name: Initech, arr: 1000}]\n---\nB.\n",
    "content/requests/sam-lee.md": "---\ntitle: Other Sam\nsubmitted: 2026-01-03\n"
    "requester: Sam-Lee AE\n---\nB.\n",
}  # fmt: skip


def site(tmp_path: Path, settings: str, audience: str = "internal") -> Path:
    project = write_tree(tmp_path / "p", {"roadmap.toml": settings, **FILES})
    result = build(project, project / "site", audience=audience, use_cache=False)
    assert result.check.roadmap is not None, result.check.report.render("text", 0)
    return project / "site"


def hrefs(page: Path, marker: str) -> list[str]:
    text = page.read_text()
    return [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]+)"', text)
            if marker in h]  # fmt: skip


def test_links_open_the_form_intake_reads():
    assert FORM_TEMPLATE == FORM_FILE  # the site names the form without importing intake


def test_log_a_request_links_are_prefilled(tmp_path: Path):
    out = site(tmp_path, SETTINGS)
    (nav,) = set(hrefs(out / "index.html", "issues/new"))
    assert nav == "https://github.com/acme/roadmap/issues/new?template=customer-request.yml"
    account = [h for h in hrefs(out / "accounts/globex.html", "issues/new") if "account=" in h]
    assert parse_qs(urlsplit(account[0]).query) == {
        "template": ["customer-request.yml"], "account": ["globex"],
    }  # fmt: skip
    inline = [h for h in hrefs(out / "accounts/initech.html", "issues/new") if "account=" in h]
    assert parse_qs(urlsplit(inline[0]).query)["account"] == ["Initech"]
    item = [h for h in hrefs(out / "items/sso.html", "issues/new") if "item=" in h]
    assert parse_qs(urlsplit(item[0]).query)["item"] == ["sso"]


def test_enterprise_host_and_no_repository(tmp_path: Path):
    out = site(tmp_path, '[site]\nrepository = "https://git.example.com/pm/roadmap/"\n')
    assert hrefs(out / "index.html", "issues/new") == [
        "https://git.example.com/pm/roadmap/issues/new?template=customer-request.yml"
    ]
    bare = site(tmp_path / "b", "")
    for page in bare.rglob("*.html"):
        assert "issues/new" not in page.read_text(), page  # no dead links


def test_account_and_requester_feeds_parse_as_atom(tmp_path: Path):
    out = site(tmp_path, SETTINGS)
    feed = ET.parse(out / "feeds/accounts/globex.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}title") == "Northwind: Globex Corporation: requests"
    assert feed.findtext(f"{ATOM}updated") == "2026-01-04T00:00:00Z"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "Okta login: accepted (Single sign-on)",
        "Logged: Okta login",
    ]
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids) and all(i.startswith("urn:roadmap:northwind:") for i in ids)
    for entry in entries:  # what RFC 4287 requires of each entry
        assert entry.find(f"{ATOM}updated") is not None and entry.find(f"{ATOM}link") is not None
    assert entries[0].find(f"{ATOM}link").get("href") == "../../items/sso.html"
    # "Sam Lee (AE)" and "Sam  LEE (AE)" are one requester; "Sam-Lee AE" another, whose
    # slug would be the same: it gets its own
    sam = ET.parse(out / "feeds/requesters/sam-lee-ae.xml").getroot()
    assert sorted(e.findtext(f"{ATOM}title") for e in sam.findall(f"{ATOM}entry")) == [
        "Logged: Okta login", "Logged: SAML for Initech", "Okta login: accepted (Single sign-on)",
    ]  # fmt: skip
    other = ET.parse(out / "feeds/requesters/sam-lee-ae-2.xml").getroot()
    assert [e.findtext(f"{ATOM}title") for e in other.findall(f"{ATOM}entry")] == [
        "Logged: Other Sam"
    ]
    account_page = (out / "accounts/globex.html").read_text()
    assert 'type="application/atom+xml"' in account_page
    assert 'href="../feeds/accounts/globex.xml"' in account_page
    assert (
        'href="../feeds/requesters/sam-lee-ae-2.xml"' in (out / "requests/sam-lee.html").read_text()
    )


@pytest.mark.parametrize("suggest", ["", 'public_intake_url = "https://acme.example/ideas"\n'])
def test_public_build_offers_no_internal_way_in(tmp_path: Path, suggest: str):
    out = site(tmp_path, SETTINGS + suggest, audience="public")
    assert not (out / "feeds").exists()
    text = "".join(p.read_text() for p in out.rglob("*") if p.is_file())
    assert "issues/new" not in text and "acme/roadmap" not in text
    assert ("Suggest a feature" in text) == bool(suggest)
    if suggest:
        assert 'href="https://acme.example/ideas"' in (out / "index.html").read_text()
    internal = site(tmp_path / "i", SETTINGS + suggest)
    assert "Suggest a feature" not in (internal / "index.html").read_text()


@pytest.mark.parametrize("value", [
    "javascript:alert(1)", "acme", "https://github.com/acme", "acme/road map", "ftp://x/y/z",
])  # fmt: skip
def test_repository_setting_refuses_what_is_not_a_repository(tmp_path: Path, value: str):
    project = write_tree(tmp_path, {"roadmap.toml": f'[site]\nrepository = "{value}"\n'})
    assert [(d.path, d.line, d.code) for d in check(project).report.diagnostics] == [
        ("roadmap.toml", 2, "E503")
    ]


def test_a_feed_carries_the_fifty_most_recent_entries(tmp_path: Path):
    many = {
        f"content/requests/r{n:02d}.md": f"---\ntitle: R{n}\nsubmitted: 2026-01-{n % 9 + 1:02d}\n"
        "requester: Busy Bee\n---\nB.\n"
        for n in range(60)
    }  # fmt: skip
    project = write_tree(tmp_path, many)
    build(project, project / "site", audience="internal", use_cache=False)
    feed = ET.parse(project / "site/feeds/requesters/busy-bee.xml").getroot()
    dates = [e.findtext(f"{ATOM}updated") for e in feed.findall(f"{ATOM}entry")]
    assert len(dates) == 50 and dates == sorted(dates, reverse=True)
    assert dates[0] == "2026-01-09T00:00:00Z" and feed.findtext(f"{ATOM}updated") == dates[0]
