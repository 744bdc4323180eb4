"""Every import comes from a declared dependency, so a fresh `pip install` runs every command.

An undeclared module passes on a machine where someone installed it by hand and breaks
for every new user (it happened: `watchdog`, imported by `roadmap serve`). The package's
imports must be in `[project].dependencies`; the tests' in those or in the `test` extra.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from helpers import REPO

PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared(requirements: list[str]) -> set[str]:
    return {_normalise(re.split(r"[ <>=!~;\[(]", r.strip(), maxsplit=1)[0]) for r in requirements}


RUNTIME = _declared(PROJECT["dependencies"])
TEST = _declared(PROJECT["optional-dependencies"]["test"])


class _RuntimeOnly(ast.NodeTransformer):
    """Drops `if TYPE_CHECKING:` blocks: what they import is never imported at run time."""

    def visit_If(self, node: ast.If) -> ast.AST | None:
        if isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            return None
        return self.generic_visit(node)


def _imported(folder: Path) -> dict[str, str]:
    """Top-level modules imported by the .py files under `folder`: module -> first file."""
    found: dict[str, str] = {}
    for path in sorted(folder.rglob("*.py")):
        tree = _RuntimeOnly().visit(ast.parse(path.read_text("utf-8"), str(path)))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], path.relative_to(folder.parent).as_posix())
    return found


def _undeclared(folder: Path, local: set[str], allowed: set[str]) -> list[str]:
    owners = packages_distributions()
    missing = []
    for module, where in sorted(_imported(folder).items()):
        if module in sys.stdlib_module_names or module in local:
            continue
        distributions = {_normalise(d) for d in owners.get(module, [])}
        if not distributions & allowed:
            shown = ", ".join(sorted(distributions)) or "not installed"
            missing.append(f"{module} (imported in {where}; distribution: {shown})")
    return missing


def test_the_package_imports_only_declared_dependencies():
    assert _undeclared(REPO / "generator", {"generator"}, RUNTIME) == []


def test_the_tests_import_only_declared_dependencies():
    local = {p.stem for folder in ("tests", "bench") for p in (REPO / folder).rglob("*.py")}
    local.add("generator")
    assert _undeclared(REPO / "tests", local, RUNTIME | TEST) == []


def test_the_benchmark_imports_only_declared_dependencies():
    assert _undeclared(REPO / "bench", {"generator"}, RUNTIME | TEST) == []


@pytest.mark.parametrize("module", ["watchdog", "markupsafe", "pydantic_core"])
def test_modules_used_directly_are_declared_themselves(module):
    # not merely brought in by another dependency, which may drop them one day
    assert {_normalise(d) for d in packages_distributions()[module]} & RUNTIME


def test_the_scan_finds_an_undeclared_import(tmp_path):
    # the check can fail: a module from an installed but undeclared distribution is caught
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "a.py").write_text("import yaml\nfrom hypothesis import given\nimport os\n")
    missing = _undeclared(package, set(), {"pyyaml"})
    assert [m.split(" ")[0] for m in missing] == ["hypothesis"]
