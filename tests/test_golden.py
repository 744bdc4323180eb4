"""The golden site: the whole output of a small fixture roadmap, kept in tests/golden/.

Any change to any page, export, asset or the marker shows up here as a readable diff
in review (Pelican's and Zola's approach). After a change that is meant to alter the
output, write the new copies and read their diff before committing:

    ROADMAP_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

import pytest
from helpers import FIXED_EPOCH, FIXTURES

from generator.build import build

GOLDEN = Path(__file__).parent / "golden"
HEADER = "===== {} =====\n"


def snapshot(site: Path) -> str:
    """Every file of a built site, in path order, each under a header line: one text to diff."""
    parts = []
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        text = path.read_bytes().decode("utf-8")  # every file the site has is text
        ending = "" if text.endswith("\n") else "\n" + HEADER.format("(no newline at end)")
        parts.append(HEADER.format(path.relative_to(site).as_posix()) + text + ending)
    return "".join(parts)


def built(tmp_path: Path, audience: str) -> Path:
    """The fixture built outside any git repository (so history reads the same everywhere)."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "golden", project)
    site = tmp_path / "site"
    result = build(project, site, audience, jobs=1, use_cache=False)  # type: ignore[arg-type]
    assert result.files, result.check.report.render("text", result.check.files_checked)
    return site


@pytest.mark.parametrize("audience", ["internal", "public"])
def test_the_built_site_is_the_golden_copy(tmp_path, monkeypatch, audience):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    actual = snapshot(built(tmp_path, audience))
    kept = GOLDEN / f"{audience}.txt"
    if os.environ.get("ROADMAP_UPDATE_GOLDEN"):
        kept.parent.mkdir(exist_ok=True)
        kept.write_text(actual, encoding="utf-8")
    expected = kept.read_text(encoding="utf-8")
    if actual != expected:
        diff = difflib.unified_diff(
            expected.splitlines(),
            actual.splitlines(),
            f"golden/{audience}.txt",
            "built",
            lineterm="",
        )
        shown = "\n".join(list(diff)[:200])
        pytest.fail(f"the {audience} site differs from tests/golden/{audience}.txt:\n{shown}")


def test_the_snapshot_keeps_every_byte(tmp_path):
    site = tmp_path / "s"
    (site / "a").mkdir(parents=True)
    (site / "a" / "x.html").write_text("one\n")
    (site / "b.json").write_text("{}")
    assert snapshot(site) == (
        "===== a/x.html =====\none\n===== b.json =====\n{}\n===== (no newline at end) =====\n"
    )
