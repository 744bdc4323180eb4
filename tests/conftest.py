"""Fixtures shared by every test."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import FIXED_EPOCH, write_tree

from generator.pipeline import CheckResult, check


@pytest.fixture
def tree(tmp_path: Path):
    """Build a tree and check it: `tree({...})` -> CheckResult."""

    def make(files: dict[str, str | bytes]) -> CheckResult:
        return check(write_tree(tmp_path, files))

    return make


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fixed "today" so age-based warnings do not depend on the calendar."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
