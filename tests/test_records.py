"""The documented CSV columns are the ones written."""

from __future__ import annotations

from helpers import REPO

from generator.scoring.records import ITEM_COLUMNS, REQUEST_COLUMNS, _cell


def test_readme_documents_the_csv_columns():
    readme = (REPO / "README.md").read_text()
    assert f"- items: `{','.join(ITEM_COLUMNS)}`" in readme
    assert f"- requests: `{','.join(REQUEST_COLUMNS)}`" in readme


def test_spreadsheet_formulas_are_defused():
    assert _cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert _cell("@SUM") == "'@SUM"
    assert _cell("plain") == "plain"
    assert _cell(None) == ""
    assert _cell(-5) == -5
