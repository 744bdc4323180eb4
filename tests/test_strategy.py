"""Strategy, capacity and balance: the checks at their lines, the sums by hand, the diff.

The plan fixture (today is 2026-01-10, so the current quarter is 2026-Q1 and the last
four quarters run 2025-Q2 to 2026-Q1):

| item | status | target | effort | category | team |
|---|---|---|---|---|---|
| a | now | 2027-Q1 | 5 (rice) | innovation | platform |
| b | next | 2027-Q1 | 3 (`effort`) | maintenance | platform |
| c | later | 2027-Q1 | 2 (rice) | quality | data |
| d | declined | 2027-Q1 | 8 | innovation | platform (not counted) |
| e | shipped | 2026-Q1 | 4 | innovation | - |
| f | now | - | 1 | - | - |
| g | now | 2027-Q1 | - | - | - |

2026-Q1 (current, capacity 6): e, innovation 100%: all three categories off target.
2027-Q1: capacity platform 6 + data 4 = 10, planned 5 + 3 + 2 = 10 (full, not over);
platform 8 of 6, 2 over (a alone makes it up). Shares: innovation 50%, maintenance 30%,
quality 20%; targets 40/40/20 within 5 points: innovation and maintenance off. Last four
quarters: e only, innovation 100%: all three off (quality 0 against 20).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from helpers import FIXED_EPOCH, ITEM, REPO, problems, roadmap, write_tree

from generator.build import build
from generator.pipeline import check
from generator.scoring.plan import plan, quarters_back

STRATEGY = """\
---
title: Our strategy
visibility: public
themes:
  - id: trust
    title: Scores people trust
    goal: Every CSM acts on the score the same day.
    measure: 80% weekly active CSMs.
    weight: 2
  - id: secret-bet
    title: The quiet bet
    goal: Something we do not announce.
    visibility: internal
categories:
  - id: innovation
    target: 40%
  - id: maintenance
    target: 40%
  - id: quality
    target: 20%
---
We win on trust.
"""

CONFIG = """\
[check]
balance_margin = 5

[capacity]
"2026-Q1" = 6
"2027-Q1" = { platform = 6, data = 4 }
"""


def item(status: str, target: str | None, effort: str, extra: str = "") -> str:
    lines = ["---", f"title: Item {status} {target}", f"status: {status}"]
    if target:
        lines.append(f"target: {target}")
    lines += [effort, extra, "---", "Body.", ""] if effort else [extra, "---", "Body.", ""]
    return "\n".join(line for line in lines if line) + "\n"


RICE = "rice: {{reach: 10, impact: 1, confidence: 1, effort: {}}}"
DECIDED = "decisions: [{date: 2026-01-02, outcome: declined, summary: No., reason: capacity}]"


def plan_tree(root: Path) -> Path:
    return write_tree(root, {
        "roadmap.toml": CONFIG,
        "content/strategy.md": STRATEGY,
        "content/roadmap/a.md": item("now", "2027-Q1", RICE.format(5),
                                     "theme: trust\ncategory: innovation\nteam: platform"),
        "content/roadmap/b.md": item("next", "2027-Q1", "effort: 3",
                                     "category: maintenance\nteam: platform"),
        "content/roadmap/c.md": item("later", "2027-Q1", RICE.format(2),
                                     "theme: secret-bet\ncategory: quality\nteam: data"),
        "content/roadmap/d.md": item("declined", "2027-Q1", "effort: 8",
                                     f"category: innovation\nteam: platform\n{DECIDED}"),
        "content/roadmap/e.md": item("shipped", "2026-Q1", "effort: 4",
                                     "category: innovation\nshipped: 2026-01-03"),
        "content/roadmap/f.md": item("now", None, "effort: 1", "owner: Ann"),
        "content/roadmap/g.md": item("now", "2027-Q1", "", "owner: Ann"),
    })  # fmt: skip


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return plan_tree(tmp_path)


def test_capacity_and_balance_sums_by_hand(tree):
    result = check(tree)
    assert result.roadmap is not None
    import datetime as dt

    found = plan(result.roadmap, dt.date(2026, 1, 10))
    assert [q.quarter for q in found.quarters] == ["2026-Q1", "2027-Q1"]
    q1 = found.quarter("2027-Q1")
    assert q1 is not None
    assert [(p.item, p.effort) for p in q1.items] == [("a", 5), ("b", 3), ("c", 2)]
    assert (q1.planned, q1.capacity, q1.over) == (10, 10, 0)
    assert q1.team_load() == [("platform", 8, 6), ("data", 2, 4)]
    assert [p.item for p in q1.excess(2, "platform")] == ["a"]
    assert dict(q1.balance.effort) == {"innovation": 5, "maintenance": 3, "quality": 2}
    assert q1.balance.share("maintenance") == pytest.approx(0.3)
    targets = {"innovation": 0.4, "maintenance": 0.4, "quality": 0.2}
    assert q1.balance.off_target(targets, 0.05) == [
        ("innovation", pytest.approx(0.5), 0.4), ("maintenance", pytest.approx(0.3), 0.4)
    ]  # fmt: skip
    assert dict(found.window.effort) == {"innovation": 4}
    assert found.unplanned == ("f", "g")
    assert quarters_back("2026-Q1", 4) == ["2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1"]


def test_check_warns_at_the_lines_with_the_items_biggest_first(tree):
    result = roadmap("check", "--root", str(tree))
    assert result.returncode == 0, result.stdout
    lines = result.stdout.splitlines()
    assert (
        "roadmap.toml:6:1: warning[W106]: 2027-Q1, team platform, is over capacity: 8 of 6 "
        "person-months planned, 2 over; biggest first: `a` (5), and 1 smaller"
    ) in lines
    assert not any("2027-Q1 is over capacity" in line for line in lines)  # 10 of 10 is full
    assert any(line.startswith("content/roadmap/f.md:3:1: warning[W107]: item is in `now` but "
                               "has no target quarter") for line in lines)  # fmt: skip
    assert any(line.startswith("content/roadmap/g.md:3:1: warning[W107]: item is in `now` but "
                               "has no effort") for line in lines)  # fmt: skip
    balance = sorted(line for line in lines if "W108" in line)
    assert balance == sorted([
        "content/strategy.md:16:13: warning[W108]: 2027-Q1: innovation is 50% of planned effort "
        "(5 of 10 person-months), target 40% within 5 points",
        "content/strategy.md:18:13: warning[W108]: 2027-Q1: maintenance is 30% of planned effort "
        "(3 of 10 person-months), target 40% within 5 points",
        "content/strategy.md:16:13: warning[W108]: last 4 quarters: innovation is 100% of planned "
        "effort (4 of 4 person-months), target 40% within 5 points",
        "content/strategy.md:18:13: warning[W108]: last 4 quarters: maintenance is 0% of planned "
        "effort (0 of 4 person-months), target 40% within 5 points",
        "content/strategy.md:20:13: warning[W108]: last 4 quarters: quality is 0% of planned "
        "effort (0 of 4 person-months), target 20% within 5 points",
    ] + [  # 2026-Q1, the current quarter, has capacity declared: judged like the window
        line.replace("last 4 quarters", "2026-Q1") for line in lines
        if "W108]: last 4 quarters" in line
    ])  # fmt: skip
    assert roadmap("check", "--strict", "--root", str(tree)).returncode == 1


def test_without_capacity_there_is_no_capacity_warning(tree):
    (tree / "roadmap.toml").write_text("")
    codes = {code for _, _, code in problems(check(tree))}
    assert not codes & {"W106", "W107"}


@pytest.mark.parametrize(
    ("path", "edit", "line", "code", "text"),
    [
        ("content/roadmap/a.md", ("theme: trust", "theme: Scores people trust"), 6, "E307",
         "unknown theme `Scores people trust` (did you mean `trust`?); content/strategy.md "
         "declares: trust, secret-bet"),
        ("content/roadmap/a.md", ("theme: trust", "theme: trusted"), 6, "E307",
         "(did you mean `trust`?)"),
        ("content/roadmap/b.md", ("category: maintenance", "category: maintenence"), 6, "E308",
         "unknown investment category `maintenence` (did you mean `maintenance`?)"),
        ("content/roadmap/b.md", ("effort: 3", "effort: 3\nrice: {reach: 1, impact: 1, "
         "confidence: 1, effort: 2}"), 5, "E405", "effort is stated twice"),
        ("content/roadmap/d.md", ("outcome: declined", "outcome: accepted"), 8, "E404",
         "outcome `accepted` takes none"),
        ("content/roadmap/d.md", ("reason: capacity", "reason: budget"), 8, "E205",
         "'capacity', 'strategy'"),
        ("content/strategy.md", ("id: secret-bet", "id: trust"), 10, "E213",
         "`trust` is declared twice"),
        ("content/strategy.md", ("target: 20%", "target: 30%"), 15, "E214", "add up to 110%"),
        ("content/strategy.md", ("    target: 20%\n", ""), 19, "E214", "for every category"),
        ("content/strategy.md", ("target: 20%", "target: 120%"), 20, "E204", "between 0% and 100%"),
    ],
)  # fmt: skip
def test_each_error_at_its_line(tree, path, edit, line, code, text):
    file = tree / path
    before = file.read_text()
    assert edit[0] in before
    file.write_text(before.replace(edit[0], edit[1], 1))
    result = roadmap("check", "--root", str(tree))
    assert result.returncode == 1
    found = [x for x in result.stdout.splitlines() if f"error[{code}]" in x]
    assert found and found[0].startswith(f"{path}:{line}:"), result.stdout
    assert text in found[0], found[0]
    assert "Traceback" not in result.stderr


def test_a_category_without_a_strategy_file_is_checked_against_the_defaults(tmp_path):
    root = write_tree(tmp_path, {
        "content/roadmap/i.md": ITEM.replace("status: later", "status: later\ncategory: qa\n"
                                             "theme: Anything goes"),
    })  # fmt: skip
    result = roadmap("check", "--root", str(root))
    assert result.returncode == 1
    assert (
        "content/roadmap/i.md:4:11: error[E308]: unknown investment category `qa`; the "
        "default categories are: innovation, maintenance, quality"
    ) in result.stdout
    assert "E307" not in result.stdout  # without a strategy a theme is free text


def test_bad_capacity_settings_are_e503_at_their_line(tmp_path):
    root = write_tree(tmp_path, {"roadmap.toml": '[capacity]\n"2027-Q1" = 4\n"next" = 3\n'
                                 '"2027-Q2" = { Platform = 2 }\n"2027-Q3" = -1\n'})  # fmt: skip
    result = roadmap("check", "--root", str(root))
    assert result.returncode == 1
    assert [line.split(": error")[0] for line in result.stdout.splitlines()[:-1]] == [
        "roadmap.toml:3:1", "roadmap.toml:4:1", "roadmap.toml:5:1"
    ]  # fmt: skip


def test_an_edit_in_place_finds_the_capacity_warnings_again(tree):
    first = check(tree)
    assert sum(d.code == "W106" for d in first.report.diagnostics) == 1
    path = "content/roadmap/a.md"
    (tree / path).write_text((tree / path).read_text().replace("effort: 5", "effort: 1"))
    again = check(tree, previous=first, edited=[path])
    assert again.reach is not None  # applied in place, not checked afresh
    assert not any(d.code == "W106" for d in again.report.diagnostics)  # platform 4 of 6 now
    # 2027-Q1 is now 1 + 3 + 2: all three categories off, as in 2026-Q1 and the window
    balance = [d.message for d in again.report.diagnostics if d.code == "W108"]
    assert len(balance) == len(set(balance)) == 9  # found again, none kept twice
    assert "2027-Q1: innovation is 17% of planned effort (1 of 6 person-months)" in "\n".join(
        balance
    )


def test_theme_weight_in_a_custom_formula_and_explain(tree):
    (tree / "roadmap.toml").write_text(CONFIG + '\n[scoring]\nmodel = "custom"\n'
                                       'formula = "rice * theme_weight"\n')  # fmt: skip
    result = roadmap("score", "--explain", "a", "--root", str(tree))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "theme_weight" in result.stdout and "theme `trust`" in result.stdout
    assert "score 4 = rice 2 * theme_weight 2" in result.stdout.replace("x", "*")
    other = roadmap("score", "--explain", "b", "--root", str(tree))
    assert "no theme in the strategy" in other.stdout


def test_diff_reports_a_quarter_going_over_capacity(tree):
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tree, check=True, capture_output=True)

    git("init", "-q")
    git("add", "-A")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "base")
    path = tree / "content/roadmap/f.md"
    path.write_text(path.read_text().replace("status: now", "status: now\ntarget: 2027-Q1"))
    strategy = tree / "content/strategy.md"
    strategy.write_text(strategy.read_text().replace("weight: 2", "weight: 3"))
    result = roadmap("diff", "HEAD", "--root", str(tree))
    assert result.returncode == 0, result.stdout
    assert "- 2027-Q1 goes over capacity by 1 person-months with this change (11 of 10 planned)" \
        in result.stdout  # fmt: skip
    assert "Scores people trust (trust): weight 2 -> 3" in result.stdout
    assert "target none -> 2027-Q1" in result.stdout


@pytest.fixture
def sites(tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    for name in ("b", "c"):  # public items under a public and an internal theme
        path = tree / f"content/roadmap/{name}.md"
        path.write_text(path.read_text().replace("status:", "visibility: public\nstatus:"))
    out = {}
    for audience in ("internal", "public"):
        out[audience] = tmp_path / audience
        assert build(tree, out[audience], audience, jobs=1, use_cache=False).files  # type: ignore[arg-type]
    return out


def test_the_strategy_page_and_item_pages(sites):
    page = (sites["internal"] / "strategy.html").read_text()
    assert "We win on trust." in page and "Every CSM acts on the score the same day." in page
    assert page.count('<svg class="stacked"') == 1 and page.count('<svg class="capacity"') == 1
    assert "2027-Q1: 10 planned of 10" in page and "platform 8 of 6" in page
    assert re.search(r'<option value="capacity">No capacity in the quarter</option>',
                     (sites["internal"] / "decisions.html").read_text())  # fmt: skip
    item = (sites["internal"] / "items/a.html").read_text()
    assert 'href="../strategy.html#theme-trust">Scores people trust</a>' in item
    assert "<dt>Goal</dt><dd>Every CSM acts on the score the same day.</dd>" in item
    assert "5 person-months, team platform" in item


def test_the_public_build_shows_public_themes_and_no_plan(sites):
    site = sites["public"]
    page = (site / "strategy.html").read_text()
    assert "Scores people trust" in page and "We win on trust." in page
    every = "\n".join(p.read_text() for p in site.rglob("*") if p.is_file())
    for internal in ("The quiet bet", "secret-bet", "Something we do not announce",
                     "person-months", "Capacity", "capacity_chart", "platform", "maintenance",
                     '<svg class="stacked', "Weight in the scoring"):  # fmt: skip
        assert internal not in every, internal
    assert "Theme" not in (site / "items/c.html").read_text()  # its theme is internal


def test_an_internal_strategy_is_not_public(tree, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    strategy = tree / "content/strategy.md"
    strategy.write_text(strategy.read_text().replace("visibility: public\n", ""))
    assert build(tree, tmp_path / "p", "public", jobs=1, use_cache=False).files
    assert not (tmp_path / "p" / "strategy.html").exists()
    assert "Strategy" not in (tmp_path / "p" / "index.html").read_text()


#: 2026-11-23, the day the README's charts were drawn.
DOCS_EPOCH = "1795392000"


@pytest.mark.parametrize(("name", "css"), [("balance", "stacked"), ("capacity", "capacity")])
def test_the_readme_charts_are_the_example_content_built(tmp_path, monkeypatch, name, css):
    """docs/<name>.svg is the chart of the example content; to draw them again:
    ROADMAP_UPDATE_DOCS=1 python -m pytest tests/test_strategy.py -k readme_charts"""
    import os

    monkeypatch.setenv("SOURCE_DATE_EPOCH", DOCS_EPOCH)
    assert build(REPO, tmp_path / "site", "internal", jobs=1, use_cache=False).files
    page = (tmp_path / "site" / "strategy.html").read_text()
    found = re.search(rf'<svg class="{css}".*?</svg>', page, re.S)
    assert found
    kept = REPO / "docs" / f"{name}.svg"
    if os.environ.get("ROADMAP_UPDATE_DOCS"):
        kept.parent.mkdir(exist_ok=True)
        kept.write_text(found.group(0) + "\n")
    assert kept.read_text() == found.group(0) + "\n"
    assert f"docs/{name}.svg" in (REPO / "README.md").read_text()
