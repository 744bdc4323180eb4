"""`roadmap serve` in a real browser: the error overlay and the live reload."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def served(tmp_path):
    root = tmp_path / "project"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "roadmap.toml", root / "roadmap.toml")
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--root", str(root), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    for line in process.stdout:
        if match := re.search(r"serving internal site at (http://127\.0\.0\.1:\d+/)", line):
            url = match.group(1)
            break
    yield root, url
    process.send_signal(signal.SIGINT)
    process.wait(timeout=20)


def test_overlay_appears_on_errors_and_the_page_reloads_when_fixed(watched, served):
    page, problems = watched
    root, url = served
    item = root / "content/roadmap/webhooks.md"
    original = item.read_text()
    page.goto(url + "items/webhooks.html")
    page.wait_for_function("() => true")
    item.write_text(original.replace("status: next", "status: soon"))
    overlay = page.locator("#roadmap-errors")
    overlay.wait_for(state="visible", timeout=15_000)
    assert "content/roadmap/webhooks.md:3:9: error[E205]" in overlay.inner_text()
    assert page.locator("h1").inner_text() == "Outbound webhooks for account events"  # last good
    item.write_text(original.replace("title: Outbound webhooks", "title: Signed webhooks"))
    page.wait_for_function(
        "() => document.querySelector('h1').textContent === 'Signed webhooks for account events'",
        timeout=15_000,
    )
    assert overlay.count() == 0
    assert problems.console == []
    # Closing the event stream to reload is reported by Chromium as an aborted request;
    # anything else that failed is a real problem.
    failed = [f for f in problems.failed if not f.endswith("/__roadmap__/events: net::ERR_ABORTED")]
    assert failed == []
