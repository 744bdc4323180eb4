"""`roadmap digest`: what changed since a date, from a scripted git history.

c1 2026-01-01  alpha (later) answers r1 (Globex, by Ann); beta (next) answers r2 (Initech)
c2 2026-01-03  alpha later -> next with a decision
c3 2026-01-05  alpha gets alternatives; r3 logged for Globex by Bo (untriaged)
c4 2026-01-06  r3 linked to beta; beta declined with a decision
c5 2026-01-07  r2's account note edited (nothing a reader follows)

--since 2026-01-02 compares c1 with c5.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import roadmap, write_tree
from test_git import git

GLOBEX = "accounts: [{name: Globex, arr: 100000}]\n"
INITECH = "accounts: [{name: Initech, arr: 50000}]\n"


def item(title: str, status: str, extra: str = "") -> str:
    return f"---\ntitle: {title}\nstatus: {status}\n{extra}---\nBody.\n"


def request(title: str, requester: str, extra: str) -> str:
    return f"---\ntitle: {title}\nsubmitted: 2026-01-01\nrequester: {requester}\n{extra}---\nB.\n"


DECIDED = "decisions:\n  - {date: 2026-01-03, outcome: reprioritized, summary: Three deals wait., by: Dee}\n"
DECLINED = "decisions:\n  - {date: 2026-01-06, outcome: declined, summary: Not our market.}\n"


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    repo = tmp_path_factory.mktemp("digest")
    git(repo, "init", "-q", "-b", "main")
    write_tree(repo, {
        "content/roadmap/alpha.md": item("Alpha", "later"),
        "content/roadmap/beta.md": item("Beta", "next"),
        "content/requests/r1.md": request("One", "Ann", GLOBEX + "roadmap: alpha\n"),
        "content/requests/r2.md": request("Two", "Bo", INITECH + "roadmap: beta\n"),
    })  # fmt: skip
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "c1", day=1)
    (repo / "content/roadmap/alpha.md").write_text(item("Alpha", "next", DECIDED))
    git(repo, "commit", "-qam", "c2", day=3)
    (repo / "content/roadmap/alpha.md").write_text(
        item("Alpha", "next", DECIDED + "alternatives: Use the CSV export meanwhile.\n")
    )
    (repo / "content/requests/r3.md").write_text(
        request("Three", "Bo", GLOBEX).replace("2026-01-01", "2026-01-05")
    )
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "c3", day=5)
    (repo / "content/requests/r3.md").write_text(
        request("Three", "Bo", GLOBEX + "roadmap: beta\n").replace("2026-01-01", "2026-01-05")
    )
    (repo / "content/roadmap/beta.md").write_text(item("Beta", "declined", DECLINED))
    git(repo, "commit", "-qam", "c4", day=6)
    (repo / "content/requests/r2.md").write_text(
        request("Two", "Bo", INITECH.replace("arr: 50000", "arr: 50000, note: Q3")
                + "roadmap: beta\n")
    )  # fmt: skip
    git(repo, "commit", "-qam", "c5", day=7)
    return repo


def digest(repo: Path, *args: str) -> dict:
    done = roadmap("digest", "--since", "2026-01-02", "--format", "json", *args, cwd=repo)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def updates(document: dict) -> list[tuple[str, str, str, str]]:
    return [(u["request"], u["kind"], u["date"], u["text"])
            for r in document["requests"] for u in r["updates"]]  # fmt: skip


def test_all_requests_since_a_date(repo: Path):
    document = digest(repo)
    assert document["base"] == git(repo, "rev-parse", "HEAD~4")  # c1: the last before the 2nd
    assert document["followed"] == 3
    assert document["counts"] == {"logged": 1, "status": 2, "decision": 3, "alternatives": 1}
    assert updates(document) == [
        # a new request: logged, and the decision on the item it was linked to since
        ("r3", "logged", "2026-01-05", "logged by Bo"),
        ("r3", "decision", "2026-01-06", "declined: Not our market."),
        ("r2", "status", "2026-01-06", "next -> declined (Beta)"),
        ("r2", "decision", "2026-01-06", "declined: Not our market."),
        ("r1", "status", "2026-01-03", "later -> next (Alpha)"),
        ("r1", "decision", "2026-01-03", "reprioritized: Three deals wait. (Dee)"),
        ("r1", "alternatives", "", "what to offer instead: Use the CSV export meanwhile."),
    ]


def test_one_account_and_one_requester(repo: Path):
    globex = digest(repo, "--account", "globex")
    assert globex["scope"] == "account globex" and globex["followed"] == 2
    assert [r["id"] for r in globex["requests"]] == ["r3", "r1"]
    bo = digest(repo, "--requester", "bo")
    assert bo["scope"] == "requests logged by Bo" and bo["followed"] == 2
    assert [r["id"] for r in bo["requests"]] == ["r3", "r2"]


def test_since_after_the_last_change_reports_nothing(repo: Path):
    done = roadmap("digest", "--since", "2026-01-08", cwd=repo)
    assert done.returncode == 0
    assert "3 requests followed, 0 with news" in done.stdout
    assert "Nothing changed for these requests." in done.stdout


def test_before_the_first_commit_only_dated_facts_count(repo: Path):
    document = json.loads(
        roadmap("digest", "--since", "2025-12-01", "--format", "json", cwd=repo).stdout
    )
    assert document["base"] is None
    assert document["counts"] == {"logged": 3, "status": 3, "decision": 3, "alternatives": 0}


def test_markdown_and_html_are_ready_to_send(repo: Path):
    text = roadmap("digest", "--since", "2026-01-02", "--account", "Globex", cwd=repo).stdout
    assert text.splitlines()[:3] == [
        "# Product roadmap: what changed since 2026-01-02 (account Globex)", "",
        "2 requests followed, 2 with news: 1 logged, 1 status moves, 2 decisions, "
        "1 new alternatives.",
    ]  # fmt: skip
    assert "- 2026-01-03 decision: reprioritized: Three deals wait. (Dee)" in text
    html = roadmap("digest", "--since", "2026-01-02", "--format", "html", cwd=repo).stdout
    assert html.startswith("<h1>Product roadmap: what changed since 2026-01-02")
    assert "<li>2026-01-06 decision: declined: Not our market.</li>" in html


def test_usage_errors(repo: Path, tmp_path: Path):
    both = roadmap("digest", "--since", "2026-01-02", "--account", "x", "--requester", "y",
                   cwd=repo)  # fmt: skip
    assert both.returncode == 2
    unknown = roadmap("digest", "--since", "2026-01-02", "--account", "Nobody", cwd=repo)
    assert unknown.returncode == 2 and "no account 'Nobody'" in unknown.stderr
    plain = write_tree(tmp_path, {})
    outside = roadmap("digest", "--since", "2026-01-02", cwd=plain)
    assert outside.returncode == 2 and "git history" in outside.stderr
    assert "Traceback" not in outside.stderr
