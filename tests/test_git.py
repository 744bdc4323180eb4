"""Git: diff between revisions and history, on a throw-away repository with scripted commits.

c1 Initial roadmap     Ann   alpha (next), beta (later), r1 -> alpha, r2 untriaged
c2 Move alpha to now   Bob   alpha next -> now, with a decision
c3 Log a request       Cy    r3 -> beta
c4 Rename beta         Ann   beta.md -> gamma.md, r3 relinked
c5 Mark duplicate      Bob   r2 duplicate of r1
c6 Revert c2           Cy    alpha back to next, decision gone
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from helpers import ITEM, REQUEST, roadmap, write_tree

from generator import git as git_module
from generator.build import build
from generator.content.tree import ContentTree
from generator.diff import compare, render
from generator.git import history, read_revision
from generator.pipeline import check


def git(repo: Path, *args: str, author: str = "Ann", day: int = 1) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": f"{author.lower()}@example.com",
        "GIT_COMMITTER_NAME": author, "GIT_COMMITTER_EMAIL": f"{author.lower()}@example.com",
        "GIT_AUTHOR_DATE": f"2026-01-{day:02d}T12:00:00Z",
        "GIT_COMMITTER_DATE": f"2026-01-{day:02d}T12:00:00Z",
    }  # fmt: skip
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def item(status: str, title: str, decisions: str = "") -> str:
    return ITEM.replace("title: An item", f"title: {title}").replace("later", status + decisions)


def request(title: str, extra: str = "") -> str:
    return REQUEST.replace("A request", title).replace("---\nBody", extra + "---\nBody")


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    repo = tmp_path_factory.mktemp("repo")
    git(repo, "init", "-q", "-b", "main")
    write_tree(repo, {
        "content/roadmap/alpha.md": item("next", "Alpha"),
        "content/roadmap/beta.md": item("later", "Beta"),
        "content/requests/r1.md": request("One", "roadmap: alpha\naccounts: [{name: Globex, arr: 100000}]\n"),
        "content/requests/r2.md": request("Two"),
    })  # fmt: skip
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Initial roadmap", day=1)
    alpha = repo / "content/roadmap/alpha.md"
    alpha.write_text(
        item(
            "now", "Alpha", "\ndecisions:\n  - {date: 2026-01-02, outcome: accepted, summary: Go.}"
        )
    )
    git(repo, "commit", "-qam", "Move alpha to now", author="Bob", day=2)
    (repo / "content/requests/r3.md").write_text(request("Three", "roadmap: beta\n"))
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Log a request", author="Cy", day=3)
    git(repo, "mv", "content/roadmap/beta.md", "content/roadmap/gamma.md")
    (repo / "content/requests/r3.md").write_text(request("Three", "roadmap: gamma\n"))
    git(repo, "commit", "-qam", "Rename beta", day=4)
    (repo / "content/requests/r2.md").write_text(request("Two", "duplicate_of: r1\n"))
    git(repo, "commit", "-qam", "Mark duplicate", author="Bob", day=5)
    git(repo, "revert", "--no-edit", "HEAD~3", author="Cy", day=6)
    return repo


def changes(
    repo: Path, base: str, head: str | None
) -> list[tuple[str, str, str | None, str | None]]:
    before = check(read_revision(repo, base))
    after = check(read_revision(repo, head) if head else ContentTree(repo))
    diff = compare(before, after, base, head or "working tree")
    assert diff.valid, diff.errors
    return [(c.kind, c.id, c.before, c.after) for c in diff.changes]


def test_status_move_and_new_decision(repo):
    assert changes(repo, "HEAD~5", "HEAD~4") == [
        ("status", "alpha", "next", "now"),
        ("decision", "alpha", None, "accepted"),
    ]


def test_new_request(repo):
    assert changes(repo, "HEAD~4", "HEAD~3") == [("request-added", "r3", None, "later")]


def test_rename_is_one_change_and_relinks(repo):
    assert changes(repo, "HEAD~3", "HEAD~2") == [
        ("item-renamed", "gamma", "beta", "gamma"),
        ("request-linked", "r3", "beta", "gamma"),
    ]


def test_duplicate(repo):
    assert changes(repo, "HEAD~2", "HEAD~1") == [("request-duplicate", "r2", None, "r1")]


def test_revert(repo):
    assert changes(repo, "HEAD~1", "HEAD") == [("status", "alpha", "now", "next")]


def test_whole_range_and_demand(repo):
    before, after = check(read_revision(repo, "HEAD~5")), check(read_revision(repo, "HEAD"))
    text = render(compare(before, after, "HEAD~5", "HEAD"), "text")
    assert text.splitlines() == [
        "Roadmap changes: HEAD~5 -> HEAD",
        "",
        "Roadmap items:",
        "- Beta (gamma): renamed from `beta` (1 request, 0 accounts)",
        "",
        "Requests:",
        "- Three (r3): new request (linked to `gamma`) (1 request, 0 accounts)",
        "- Two (r2): marked duplicate of `r1` (1 request, 0 accounts)",
    ]


def test_empty_diff_says_so_in_one_line(repo):
    out = roadmap("diff", "HEAD", "HEAD", "--root", str(repo))
    assert out.returncode == 0
    assert out.stdout.strip() == "No roadmap changes between HEAD and HEAD."


def test_cli_markdown_and_json(repo):
    markdown = roadmap("diff", "HEAD~5", "HEAD~4", "--root", str(repo), "--format", "markdown")
    assert markdown.stdout.splitlines()[0] == "### Roadmap changes: HEAD~5 -> HEAD~4"
    assert (
        "- **Alpha** (`alpha`): next -> now (1 request, 1 account, 100,000 USD)" in markdown.stdout
    )
    document = json.loads(
        roadmap("diff", "HEAD~5", "HEAD~4", "--root", str(repo), "--format", "json").stdout
    )
    assert document["valid"] is True
    assert document["changes"][0] == {
        "kind": "status", "id": "alpha", "title": "Alpha", "before": "next", "after": "now",
        "summary": "next -> now", "requests": 1, "accounts": 1, "arr": 100000.0, "items": [],
    }  # fmt: skip


def test_invalid_working_tree_is_reported_not_a_crash(repo, tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(repo), str(clone)], check=True)
    (clone / "content/roadmap/alpha.md").write_text(item("soon", "Alpha"))
    out = roadmap("diff", "HEAD", "--root", str(clone))
    assert out.returncode == 1
    assert "The head (working tree) has 1 error(s)" in out.stdout
    assert "content/roadmap/alpha.md:3:9: error[E205]" in out.stdout
    assert "Traceback" not in out.stderr


def test_unknown_revision_is_a_usage_error(repo):
    out = roadmap("diff", "no-such-branch", "--root", str(repo))
    assert out.returncode == 2
    assert "unknown revision 'no-such-branch'" in out.stderr


def test_history_follows_renames_and_status_moves(repo):
    found = history(repo)
    assert found.unavailable == ""
    alpha = found.files["content/roadmap/alpha.md"]
    assert (alpha.created.author, alpha.created.date, alpha.created.subject) == (
        "Ann",
        "2026-01-01",
        "Initial roadmap",
    )
    assert (alpha.last_changed.author, alpha.last_changed.date) == ("Cy", "2026-01-06")
    assert alpha.commits == 3
    assert [(c.old, c.new, c.commit.author, c.commit.date) for c in alpha.status_changes] == [
        (None, "next", "Ann", "2026-01-01"),
        ("next", "now", "Bob", "2026-01-02"),
        ("now", "next", "Cy", "2026-01-06"),
    ]
    gamma = found.files["content/roadmap/gamma.md"]
    assert (gamma.created.date, gamma.last_changed.date, gamma.commits) == (
        "2026-01-01",
        "2026-01-04",
        2,
    )
    assert "content/roadmap/beta.md" not in found.files
    assert found.files["content/requests/r3.md"].created.subject == "Log a request"


def test_history_is_one_git_log_not_one_process_per_file(repo, monkeypatch):
    calls = []
    real_run = subprocess.run

    def counting_run(args, **kwargs):
        calls.append(args)
        return real_run(args, **kwargs)

    monkeypatch.setattr(git_module.subprocess, "run", counting_run)
    history(repo)
    assert len(calls) <= 4
    assert sum("log" in call for call in calls) == 1


def test_history_outside_git_and_in_a_shallow_clone(repo, tmp_path):
    plain = write_tree(tmp_path / "plain", {"content/roadmap/i.md": ITEM})
    assert history(plain).unavailable == "not a git repository: no history"
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", repo.as_uri(), str(shallow)], check=True)
    found = history(shallow)
    assert found.unavailable.startswith("shallow clone")
    assert found.files == {}


def test_site_shows_history_and_what_changed(repo, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1768003200")  # 2026-01-10
    build(repo, tmp_path / "site", "internal")
    item_page = (tmp_path / "site/items/alpha.html").read_text()
    assert "Created 2026-01-01 by Ann; last changed 2026-01-06 by Cy (3 commits)" in item_page
    assert item_page.count("<tr><td><time") == 3  # three status commits
    changes_page = (tmp_path / "site/changes.html").read_text()
    assert changes_page.index("Status now -&gt; next") < changes_page.index("Status next -&gt; now")
    build(repo, tmp_path / "public", "public")
    public = b"".join(p.read_bytes() for p in (tmp_path / "public").rglob("*") if p.is_file())
    assert b"Ann" not in public and b"Bob" not in public and b"Initial roadmap" not in public
