"""The package's layout is its architecture: phases import only what comes before them.

foundations (config, diagnostics, formatting, cache, collector, parallel) <- content <- scoring
<- site, with the commands, `roadmap serve` and the pipeline drivers on top. config may
read the scoring registry and formula language it validates settings against.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from helpers import REPO

PACKAGE = REPO / "generator"
FOUNDATIONS = {
    "config",
    "diagnostics",
    "formatting",
    "cache",
    "collector",
    "parallel",
    "progress",
    "signals",
    "__version__",
}
ORDER = ["content", "scoring", "site"]
ALLOWED_EXTRA = {"config": {"scoring.models", "scoring.formula"}}


def _module(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE).with_suffix("").parts)


def _imports(path: Path, module: str | None = None) -> set[str]:
    """Modules of the package that `path` imports, as dotted names below `generator`."""
    here = (module or _module(path)).split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = here[: len(here) - node.level + 1]
            target = [*base, *(node.module.split(".") if node.module else [])]
            if node.module is None:  # from . import x
                found.update(".".join([*target, alias.name]) for alias in node.names)
            else:
                found.add(".".join(target))
    return found


def _layer(module: str) -> tuple[int, str]:
    top = module.split(".")[0]
    if top in FOUNDATIONS or top == "__init__":
        return 0, top
    if top in ORDER:
        return ORDER.index(top) + 1, top
    return len(ORDER) + 1, top  # commands and drivers


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p.name != "__init__.py")


@pytest.mark.parametrize("path", MODULES, ids=_module)
def test_no_module_imports_a_later_phase(path):
    module = _module(path)
    layer, _ = _layer(module)
    upward = []
    for target in _imports(path):
        if target in ALLOWED_EXTRA.get(module, ()) or target == "":
            continue
        if _layer(target)[0] > layer:
            upward.append(target)
    assert upward == [], f"{module} imports from a later phase: {upward}"


@pytest.mark.parametrize("path", MODULES, ids=_module)
def test_no_module_is_over_400_lines(path):
    assert len(path.read_text().splitlines()) <= 400


def test_the_check_catches_an_upward_import(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("from ..site.views import Site\nfrom .model import Roadmap\n")
    assert _imports(probe, "content.probe") == {"site.views", "content.model"}
    assert _layer("site.views")[0] > _layer("content.probe")[0]
