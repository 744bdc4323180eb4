"""`roadmap serve` as a real process on a free loopback port, spoken to over HTTP."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import FIXED_EPOCH, REPO, REQUEST, site_files
from serving import Server

from generator.build import build
from generator.serve.server import inject_reload, site_path


@pytest.fixture
def server(tmp_path) -> Iterator[Server]:
    root = tmp_path / "project"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "roadmap.toml", root / "roadmap.toml")
    running = Server(root)
    yield running
    running.stop()


def fetch_all(server: Server, paths: list[str]) -> dict[str, bytes]:
    files = {}
    for path in paths:
        status, _, body = server.get("/" + path)
        assert status == 200, path
        files[path] = body.replace(inject_reload(b"</body>")[: -len(b"</body>")], b"")
    return files


def snapshot(site: Path) -> dict[str, bytes]:
    return site_files(site)


def test_edits_rebuild_incrementally_and_match_a_full_build(server, tmp_path):
    mark = server.edit(
        "content/requests/dark-mode.md",
        (REPO / "content/requests/dark-mode.md")
        .read_text()
        .replace("title: Dark mode", "title: Dark mode, please"),
    )
    line = server.wait_for(r"rebuilt: (\d+) page\(s\) rendered", after=mark)
    rendered = int(re.search(r"rebuilt: (\d+)", line).group(1))
    assert 0 < rendered < 12  # the request, its pages and the indexes: not all 83
    assert b"Dark mode, please" in server.get("/requests/dark-mode.html")[2]
    new = server.edit(
        "content/requests/zz-new.md",
        REQUEST.replace("A request", "Brand new ask").replace(
            "---\nBody", "roadmap: webhooks\n---\nBody"
        ),
    )
    server.wait_for(r"rebuilt:", after=new)
    os.environ["SOURCE_DATE_EPOCH"] = FIXED_EPOCH
    full = build(server.root, tmp_path / "full", "internal", use_cache=False)
    expected = snapshot(tmp_path / "full")
    assert full.files == len(expected)
    assert fetch_all(server, sorted(expected)) == expected  # byte for byte


def test_errors_keep_the_last_good_site_and_clear_when_fixed(server):
    good = server.get("/items/webhooks.html")[2]
    original = (server.root / "content/roadmap/webhooks.md").read_text()
    mark = server.edit(
        "content/roadmap/webhooks.md", original.replace("status: next", "status: soon")
    )
    server.wait_for(r"content/roadmap/webhooks\.md:\d+:\d+: error\[E205\]", after=mark)
    server.wait_for("still serving the last good site", after=mark)
    assert server.get("/items/webhooks.html")[2] == good
    fixed = server.edit(
        "content/roadmap/webhooks.md", original.replace("Outbound webhooks", "Webhooks")
    )
    server.wait_for(r"rebuilt:", after=fixed)
    assert b"<h1>Webhooks for account events</h1>" in server.get("/items/webhooks.html")[2]


def read_events(server: Server, count: int, collected: list) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=20)
    connection.request("GET", "/__roadmap__/events")
    response = connection.getresponse()
    assert response.getheader("Content-Type") == "text/event-stream"
    event = {}
    while len(collected) < count:
        line = response.fp.readline().decode().rstrip("\n")
        if line.startswith("event: "):
            event = {"event": line[7:]}
        elif line.startswith("data: "):
            event["data"] = json.loads(line[6:])
            collected.append(event)


def test_reload_and_error_events(server):
    events: list[dict] = []
    reader = threading.Thread(target=read_events, args=(server, 4, events), daemon=True)
    reader.start()
    deadline = time.monotonic() + 10
    while not events and time.monotonic() < deadline:
        time.sleep(0.02)
    assert events[0] == {"event": "hello", "data": {"errors": [], "version": 1}}
    original = (server.root / "content/roadmap/webhooks.md").read_text()
    server.edit("content/roadmap/webhooks.md", original.replace("status: next", "status: soon"))
    while len(events) < 2 and time.monotonic() < deadline + 10:
        time.sleep(0.02)
    assert events[1]["event"] == "errors"
    assert "content/roadmap/webhooks.md:3:9: error[E205]" in events[1]["data"]["errors"][0]
    server.edit(
        "content/roadmap/webhooks.md", original.replace("title: Outbound", "title: Signed outbound")
    )
    reader.join(timeout=20)
    reloads = [e for e in events if e["event"] == "reload"]
    assert reloads and "items/webhooks.html" in reloads[-1]["data"]["changed"]


def test_pages_carry_the_reload_script_but_builds_never_do(server, tmp_path):
    status, headers, body = server.get("/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert b'new EventSource("/__roadmap__/events")' in body
    build(REPO, tmp_path / "site", "internal")
    built = b"".join(p.read_bytes() for p in (tmp_path / "site").rglob("*") if p.is_file())
    assert b"__roadmap__" not in built


@pytest.mark.parametrize(
    "path",
    ["/../../etc/passwd", "/items/../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
     "/assets/..%2f..%2froadmap.toml", "/..\\\\roadmap.toml", "/content/roadmap/webhooks.md",
     "/roadmap.toml"],
)  # fmt: skip
def test_nothing_outside_the_site_is_served(server, path):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.putrequest("GET", path, skip_host=False)  # sent as written, not normalised
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    assert response.status == 404
    assert b"root:" not in body and b"[site]" not in body and b"status:" not in body


def test_site_path():
    assert site_path("/") == "index.html"
    assert site_path("/items/") == "items/index.html"
    assert site_path("/items/a.html?x=1#y") == "items/a.html"
    assert site_path("/a/../b") is None and site_path("/%2e%2e/x") is None
    assert site_path("/a\\\\b") is None


def test_listens_on_loopback_only_and_stops_cleanly_on_ctrl_c(server):
    listening = server.wait_for(r"serving internal site at")
    assert "http://127.0.0.1:" in listening
    assert server.stop() == 0
    assert server.lines[-1] == "stopping"


def test_ctrl_c_stops_it_even_when_started_as_a_background_job(tmp_path):
    # `cmd &` in a script starts cmd with SIGINT ignored, and Python keeps it ignored
    root = tmp_path / "project"
    shutil.copytree(REPO / "content", root / "content")
    running = Server(root, background=True)
    try:
        assert running.stop() == 0
    finally:
        running.process.kill()
    assert running.lines[-1] == "stopping"


def test_a_broken_template_at_start_is_reported_and_served_once_fixed(tmp_path):
    """A project template that fails as it renders (an undefined name): one line saying
    where, the server up anyway, and the site served once a save fixes the template."""
    root = tmp_path / "project"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "roadmap.toml", root / "roadmap.toml")
    (root / "templates").mkdir()
    page = '{% extends "base.html" %}\n{% block content %}<p>{{ request.title'
    broken = page + " }}</p>\n{{ request.nope }}{% endblock %}\n"  # line 3: no such field
    (root / "templates/request.html").write_text(broken)
    running = Server(root)
    try:
        running.wait_for(r"rebuild failed: templates/request\.html:3: template error: .*nope")
        assert not any("Traceback" in line for line in running.lines)
        fixed = running.edit("templates/request.html", page + " }} (fixed)</p>{% endblock %}\n")
        running.wait_for("rebuilt:", after=fixed)
        request = sorted((root / "content/requests").glob("[!_]*.md"))[0].stem
        status, _, body = running.get(f"/requests/{request}.html")
        assert status == 200 and b"(fixed)" in body
    finally:
        running.stop()
