"""Warnings: reported, but the model is still built."""

from __future__ import annotations

from helpers import ITEM, REQUEST, problems


def test_warnings(tree):
    old = REQUEST.replace("2026-01-05", "2025-10-01")  # 101 days before the fixed today
    result = tree(
        {
            "content/requests/old.md": old,
            "content/requests/fresh.md": REQUEST,
            "content/requests/empty.md": REQUEST.replace("Body.\n", "  \n"),
            "content/roadmap/now.md": ITEM.replace("later", "now"),
            "content/roadmap/next.md": ITEM.replace("later", "next\nowner: Bo"),
            "content/roadmap/scored.md": ITEM.replace(
                "later", "next\nrice: {reach: 5, impact: 1, confidence: 1, effort: 1}"
            ),
            "content/roadmap/no-reach.md": ITEM.replace(
                "later", "next\nrice: {impact: 1, confidence: 1, effort: 1}"
            ),
        }
    )
    assert result.roadmap is not None
    assert problems(result) == [
        ("content/requests/empty.md", 5, "W103"),
        ("content/requests/old.md", 3, "W101"),
        ("content/roadmap/next.md", 3, "W104"),
        ("content/roadmap/no-reach.md", 3, "W104"),
        ("content/roadmap/now.md", 3, "W102"),
        ("content/roadmap/now.md", 3, "W104"),
    ]
    stale = next(d for d in result.report.diagnostics if d.code == "W101")
    assert "untriaged for 101 days (limit 30)" in stale.message
    unscored = {d.path: d.message for d in result.report.diagnostics if d.code == "W104"}
    assert unscored["content/roadmap/next.md"] == "item is in `next` but unscored: no `rice` inputs"
    assert (
        "no reach stated, and no linked request states one"
        in unscored["content/roadmap/no-reach.md"]
    )


def test_untriaged_limit_comes_from_config(tree):
    old = REQUEST.replace("2026-01-05", "2025-10-01")
    result = tree(
        {"content/requests/old.md": old, "roadmap.toml": "[check]\nuntriaged_days = 200\n"}
    )
    assert result.report.diagnostics == []
