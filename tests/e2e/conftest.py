"""Browser fixtures: Debian's Chromium driven by Playwright, one browser per session.

The example content is built once per audience (as a real `roadmap build` process)
and served by a real HTTP server on 127.0.0.1, at the server root and under a
sub-path, the way GitHub Pages serves a project site.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, sync_playwright

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
EPOCH = "1768003200"


@pytest.fixture(scope="session")
def sites(tmp_path_factory) -> dict[str, Path]:
    """The example content, built once per audience."""
    built = {}
    for audience in ("internal", "public"):
        out = tmp_path_factory.mktemp(audience) / "site"
        done = subprocess.run(
            [sys.executable, "-m", "generator", "build", "--root", str(REPO),
             "--audience", audience, "--out", str(out)],
            capture_output=True, text=True, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH},
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        built[audience] = out
    return built


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def server(sites, tmp_path_factory) -> Iterator[str]:
    """http://127.0.0.1:PORT/ serving /internal/, /public/ and /project/sub/path/ (internal)."""
    webroot = tmp_path_factory.mktemp("webroot")
    shutil.copytree(sites["internal"], webroot / "internal")
    shutil.copytree(sites["public"], webroot / "public")
    shutil.copytree(sites["internal"], webroot / "project" / "sub" / "path")
    handler = functools.partial(_QuietHandler, directory=str(webroot))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright) -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} missing: the README's test command installs it"
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@dataclass
class Problems:
    """Console errors and failed requests seen by a page."""

    console: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.console or self.failed)


@pytest.fixture
def watched(browser) -> Iterator[tuple[Page, Problems]]:
    """A fresh page that records every console error and failed request."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    problems = Problems()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.console.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.console.append(f"{page.url}: {error}"))
    page.on("requestfailed", lambda r: problems.failed.append(f"{r.url}: {r.failure}"))
    page.on(
        "response",
        lambda r: problems.failed.append(f"{r.url}: HTTP {r.status}") if r.status >= 400 else None,
    )
    yield page, problems
    context.close()
