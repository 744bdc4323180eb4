"""`roadmap build`: pages, links, exports, escaping, atomicity and determinism."""

from __future__ import annotations

import csv
import io
import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from helpers import FIXED_EPOCH, FIXTURES, ITEM, REPO, REQUEST, roadmap, write_tree
from htmlparse import parse

from generator.build import build


@pytest.fixture(scope="module")
def internal_site(tmp_path_factory) -> Path:
    """The golden fixture roadmap (tests/fixtures/golden), built for the company."""
    import os

    os.environ["SOURCE_DATE_EPOCH"] = FIXED_EPOCH
    work = tmp_path_factory.mktemp("internal")
    project = work / "project"
    shutil.copytree(FIXTURES / "golden", project)
    out = work / "site"
    result = build(project, out, "internal")
    assert result.files > 0, result.check.report.render("text", 0)
    return out


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_page_type_is_written(internal_site):
    names = {
        p.relative_to(internal_site).as_posix() for p in internal_site.rglob("*") if p.is_file()
    }
    for expected in (
        "index.html", "timeline.html", "decisions.html", "requests.html", "accounts.html",
        "priorities.html", "404.html", "items/sso.html", "requests/okta.html",
        "accounts/globex.html", "roadmap.json", "requests.json", "requests.csv",
        "feed.xml", "assets/style.css", "assets/site.js",
    ):  # fmt: skip
        assert expected in names
    assert len([n for n in names if n.startswith("items/")]) == 6
    assert len([n for n in names if n.startswith("requests/")]) == 8
    assert len([n for n in names if n.startswith("accounts/")]) == 4


def test_every_internal_link_resolves(internal_site):
    checked = 0
    for page_path in html_files(internal_site):
        for href in parse(page_path).links():
            parts = urlsplit(href)
            assert not href.startswith("/"), f"{page_path}: absolute link {href}"
            if parts.scheme in ("http", "https", "mailto") or href.startswith(("data:", "#")):
                assert parts.scheme != "http" or "example" in href, f"external resource {href}"
                continue
            target = (page_path.parent / unquote(parts.path)).resolve()
            assert target.is_file(), f"{page_path.relative_to(internal_site)}: broken link {href}"
            assert target.is_relative_to(internal_site.resolve())
            checked += 1
    assert checked > 400


def test_board_columns_and_stamp(internal_site):
    board = parse(internal_site / "index.html")
    now = board.find("section", class_="column column-now")[0]
    titles = [
        " ".join(h.text.split())
        for h in now.children
        if h.tag == "article"
        for h in h.children
        if h.tag == "h3"
    ]
    assert titles == ["Single sign-on with SAML", "Webhooks for status changes"]  # by rank
    assert "Built 2026-01-10 00:00 UTC" in board.text
    assert "Internal, do not forward." in board.text
    assert "Score 300" in board.text and "660,000 EUR" in board.text
    assert "Recently shipped" in board.text and "Scheduled PDF reports" in board.text


def test_item_page(internal_site):
    page = parse(internal_site / "items" / "mobile.html")
    assert page.h1 == "Native phone apps"
    assert "What to offer instead" in page.text
    rows = page.find("tr", **{"data-outcome": "declined"})
    assert len(rows) == 1
    table = next(e for e in page.find("table") if any(c.tag == "tbody" for c in e.children))
    decision_dates = [" ".join(row.text.split()[:1]) for row in table.children[1].children]
    assert decision_dates == ["2026-01-02", "2025-11-02"]  # newest first
    assert "RICE 5 = reach 100 x impact 1 x confidence 0.5 / effort 10" in page.text
    linked = [a.attrs["href"] for a in page.find("a") if a.attrs["href"].startswith("../requests/")]
    assert linked == ["../requests/iphone.html"]


def test_request_page_says_where_it_stands_and_why(internal_site):
    page = parse(internal_site / "requests" / "iphone.html")
    assert "Where it stands: declined" in page.text
    assert "Answered by Native phone apps (declined)" in page.text
    assert "What to offer instead:" in page.text
    assert "Hooli" in page.text
    duplicate = parse(internal_site / "requests" / "azure-ad.html")
    assert "Where it stands: now" in duplicate.text
    assert "Duplicate of Okta login for 2,000 staff" in duplicate.text
    assert "Globex" in duplicate.text


def test_account_page(internal_site):
    page = parse(internal_site / "accounts" / "globex.html")
    assert page.h1 == "Globex"
    assert "410,000 EUR" in page.text
    requests = [a.text for a in page.find("a") if a.attrs["href"].startswith("../requests/")]
    # each request, and the request a duplicate stands for
    assert requests == [
        "Sign-in with Azure AD", "Okta login for 2,000 staff", "Weekly PDF digest by e-mail",
    ]  # fmt: skip


def test_decision_log_newest_first_with_outcome_filter(internal_site):
    page = parse(internal_site / "decisions.html")
    dates = [e.attrs["datetime"] for e in page.find("time")]
    assert dates == sorted(dates, reverse=True) and len(dates) == 7
    options = [o.attrs["value"] for o in page.find("option")]
    assert options == ["", "accepted", "declined", "deferred", "reprioritized", "shipped"]


def test_request_index_has_filter_data(internal_site):
    page = parse(internal_site / "requests.html")
    body = next(e for e in page.by_id("request-table").children if e.tag == "tbody")
    assert len([r for r in body.children if r.tag == "tr"]) == 8
    okta = next(r for r in page.find("tr") if "okta" in r.attrs.get("data-search", ""))
    assert okta.attrs["data-status"] == "now"
    assert " initech " in okta.attrs["data-accounts"]
    assert float(okta.attrs["data-score"]) == 337.5
    for control in ("request-search", "status-filter", "area-filter", "account-filter"):
        assert page.find("label", for_=control)


def test_priorities_chart_is_inline_svg(internal_site):
    page = parse(internal_site / "priorities.html")
    svg = page.find("svg")
    assert svg and svg[0].attrs["aria-labelledby"] == "chart-title chart-desc"
    assert len(page.find("circle")) == 5  # every scored item (dark mode has no inputs)
    assert not page.find("script", src="https://")


def test_exports(internal_site):
    items = json.loads((internal_site / "roadmap.json").read_text())
    assert items["kind"] == "items" and items["entries"][0]["id"] == "sso"
    requests = json.loads((internal_site / "requests.json").read_text())
    assert len(requests["entries"]) == 8
    rows = list(csv.DictReader(io.StringIO((internal_site / "requests.csv").read_text())))
    assert len(rows) == 8 and rows[0]["id"] == "okta"
    feed = ET.parse(internal_site / "feed.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = feed.findall("a:entry", ns)
    assert len(entries) == 7
    assert entries[0].find("a:updated", ns).text == "2026-01-05T00:00:00Z"
    assert len({e.find("a:id", ns).text for e in entries}) == 7


def test_hostile_input_is_escaped(tmp_path):
    hostile = '<script>alert("x")</script>'
    root = write_tree(
        tmp_path,
        {
            "content/roadmap/evil.md": ITEM.replace("An item", f"'{hostile}'").replace(
                "Body.",
                '<img src=x onerror=alert(1)> [click](javascript:alert(1)) <a href="javascript:x">y</a>',
            ),
            "content/requests/evil-req.md": REQUEST.replace("A request", f"'{hostile}'").replace(
                "---\nBody",
                'roadmap: evil\naccounts: [{name: "\\"><svg onload=alert(1)>", arr: 5}]\n---\nBody',
            ),
        },
    )
    result = build(root, tmp_path / "site", "internal")
    assert result.files > 0, result.check.report.render("text", 0)
    for path in (tmp_path / "site").rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".json"):
            text = path.read_text()
            assert "<script>alert" not in text, path
            assert "<img src=x" not in text and "<svg onload" not in text, path
            assert 'href="javascript:' not in text, path
    exported = json.loads((tmp_path / "site" / "roadmap.json").read_text())
    assert exported["entries"][0]["title"] == hostile  # escaped in the file, same value
    page = (tmp_path / "site" / "items" / "evil.html").read_text()
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page


def snapshot(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def test_same_input_same_bytes(tmp_path):
    # the bundled example, from the repository with its git history
    first = build(REPO, tmp_path / "a", "internal")
    second = build(REPO, tmp_path / "b", "internal")
    assert first.files == second.files
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")


def test_invalid_content_leaves_the_old_site_byte_identical(tmp_path):
    root = write_tree(tmp_path / "project", {"content/roadmap/i.md": ITEM})
    site = tmp_path / "project" / "site"
    assert roadmap("build", "--root", str(root)).returncode == 0
    before = snapshot(site)
    (root / "content" / "roadmap" / "i.md").write_text(ITEM.replace("later", "soon"))
    failed = roadmap("build", "--root", str(root))
    assert failed.returncode == 1
    assert "error[E205]" in failed.stderr and "previous site is untouched" in failed.stderr
    assert snapshot(site) == before


@pytest.mark.parametrize(
    ("template", "said"),
    [
        ("{% block content %}{{ request.title \n{% endblock %}",
         "templates/request.html:3:1: error[E601]: expected token 'end of print statement'"),
        ("{% block content %}\n<p>{{ request.nope }}</p>\n{% endblock %}",
         "build failed: templates/request.html:3: template error: "
         "'generator.site.views.RequestView object' has no attribute 'nope'"),
    ],
    ids=["syntax", "undefined"],
)  # fmt: skip
def test_a_broken_project_template_fails_the_build_in_one_line(tmp_path, template, said):
    """A project's own template is its author's input: where it breaks, in one line, no
    traceback (a syntax error is found by the check phase: E601), and the previous site
    stays."""
    request = REQUEST.replace("---\nBody", "roadmap: i\n---\nBody")
    files = {"content/roadmap/i.md": ITEM, "content/requests/r.md": request}
    root = write_tree(tmp_path / "project", files)
    site = root / "site"
    assert roadmap("build", "--root", str(root)).returncode == 0
    before = snapshot(site)
    (root / "templates").mkdir()
    (root / "templates/request.html").write_text('{% extends "base.html" %}\n' + template)
    failed = roadmap("build", "--root", str(root))
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    assert said in failed.stderr, failed.stderr
    assert "the previous site is untouched" in failed.stderr
    assert snapshot(site) == before


def test_a_template_failing_in_a_page_worker_is_located_too(tmp_path):
    """Past rendering.PARALLEL_FROM pages, workers render: the error comes back as the
    worker's traceback text, and the template line is found in it."""
    files = {f"content/requests/r{n:03d}.md": REQUEST for n in range(450)}
    root = write_tree(tmp_path / "project", files)
    (root / "templates").mkdir()
    (root / "templates/request.html").write_text(
        '{% extends "base.html" %}\n{% block content %}\n\n<p>{{ request.nope }}</p>'
        "\n{% endblock %}"
    )
    failed = roadmap("build", "--root", str(root), "--jobs", "2")
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    assert "build failed: templates/request.html:4: template error:" in failed.stderr


def test_a_failure_while_writing_leaves_the_old_site_and_no_debris(tmp_path):
    root = write_tree(tmp_path / "project", {"content/roadmap/i.md": ITEM})
    site = tmp_path / "project" / "site"
    build(root, site, "internal")
    before = snapshot(site)
    templates = root / "templates"
    templates.mkdir()
    (templates / "item.html").write_text("{{ no_such_variable }}")  # StrictUndefined raises
    with pytest.raises(Exception, match="no_such_variable"):
        build(root, site, "internal")
    assert snapshot(site) == before
    assert sorted(p.name for p in site.parent.iterdir()) == [
        ".cache",
        "content",
        "site",
        "templates",
    ]


def test_project_templates_override_the_theme(tmp_path):
    root = write_tree(tmp_path, {"content/roadmap/i.md": ITEM, "templates/404.html": "custom 404"})
    build(root, tmp_path / "site", "internal")
    assert (tmp_path / "site" / "404.html").read_text() == "custom 404"
    assert "An item" in (tmp_path / "site" / "items" / "i.html").read_text()


def test_a_rebuild_links_unchanged_files_and_writes_only_changed_ones(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    files = {"content/roadmap/i.md": ITEM, "content/roadmap/j.md": ITEM.replace("An item", "J")}
    root = write_tree(tmp_path / "project", files)
    site = tmp_path / "site"
    build(root, site, "internal")
    before = {path: (site / path).stat() for path in ("items/i.html", "items/j.html")}
    (root / "content/roadmap/j.md").write_text(ITEM.replace("An item", "J, edited"))
    build(root, site, "internal")
    after = {path: (site / path).stat() for path in before}
    unchanged, edited = before["items/i.html"], before["items/j.html"]
    assert after["items/i.html"].st_ino == unchanged.st_ino  # linked from the old site
    assert after["items/i.html"].st_mtime_ns == unchanged.st_mtime_ns
    assert after["items/j.html"].st_ino != edited.st_ino
    assert "J, edited" in (site / "items/j.html").read_text()
    build(root, tmp_path / "fresh", "internal", use_cache=False)
    assert snapshot(site) == snapshot(tmp_path / "fresh")


def test_a_rebuild_never_links_through_a_symbolic_link_in_the_old_site(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    root = write_tree(tmp_path / "project", {"content/roadmap/i.md": ITEM})
    site = tmp_path / "site"
    build(root, site, "internal")
    outside = tmp_path / "outside.html"
    outside.write_bytes((site / "items/i.html").read_bytes())
    (site / "items/i.html").unlink()
    (site / "items/i.html").symlink_to(outside)
    build(root, site, "internal")
    page = site / "items/i.html"
    assert not page.is_symlink() and page.stat().st_ino != outside.stat().st_ino
    assert page.read_bytes() == outside.read_bytes()


def test_a_file_written_twice_is_replaced_not_written_through(tmp_path):
    from generator.site.output import write_into

    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    (old / "a.html").write_bytes(b"same")
    write_into(new, "a.html", b"same", previous=old)
    assert (new / "a.html").stat().st_ino == (old / "a.html").stat().st_ino
    write_into(new, "a.html", b"other", previous=old)
    assert (old / "a.html").read_bytes() == b"same"  # the old site is untouched
    assert (new / "a.html").read_bytes() == b"other"


@pytest.mark.parametrize("change", [0, 5000, 9999])  # head, middle, tail
def test_a_file_differing_anywhere_is_written_not_linked(tmp_path, change):
    from generator.site.output import write_into

    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    data = bytes(range(256)) * 40  # 10,240 bytes, more than is compared from the end first
    (old / "a.html").write_bytes(data[:change] + b"!" + data[change + 1 :])
    write_into(new, "a.html", data, previous=old)
    assert (new / "a.html").stat().st_ino != (old / "a.html").stat().st_ino
    assert (new / "a.html").read_bytes() == data


@pytest.mark.parametrize("relative", ["../x.html", "/etc/x", "a/../../x", ""])
def test_nothing_is_written_outside_the_site(tmp_path, relative):
    from generator.site.output import UnsafePathError, write_into

    with pytest.raises(UnsafePathError):
        write_into(tmp_path / "site", relative, b"x")
    assert not any(tmp_path.rglob("*"))


def test_writes_create_their_folders(tmp_path):
    from generator.site.output import write_into

    (tmp_path / "site").mkdir()
    assert write_into(tmp_path / "site", "a/b/c.html", b"hello").st_size == 5
    assert (tmp_path / "site/a/b/c.html").read_bytes() == b"hello"
