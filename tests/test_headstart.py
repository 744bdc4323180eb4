"""The markdown worker forked as a build starts: same bytes, only whole results, gone after."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from helpers import ITEM, REPO, REQUEST, write_tree

from generator import build as build_module
from generator.build import build
from generator.cache import Cache, text_key
from generator.site.headstart import HeadStart
from generator.site.markup import render


def snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file()}  # fmt: skip


def request(body: str) -> str:
    return REQUEST.replace("Body.\n", body)


def taken(head: HeadStart, wait: bool = True) -> dict[str, str]:
    """What the worker rendered, by key, as `finish` hands it to a cache."""
    cache = Cache(None, "stamp", render)
    head.finish(cache, wait=wait)
    return cache.adopted


def gone(pid: int) -> bool:
    """No such process, or only its exit status left (a zombie nobody reaped yet)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def test_the_worker_renders_each_body_once_split_as_loading_splits_it(tmp_path):
    outside = tmp_path / "outside.md"
    outside.write_text(request("A secret body outside the project.\n"))
    root = write_tree(tmp_path / "p", {
        "content/requests/a.md": request("*Export* to `csv`.\n\n| a | b |\n|---|---|\n| 1 | x |\n"),
        "content/requests/same.md": request("*Export* to `csv`.\n\n| a | b |\n|---|---|\n| 1 | x |\n"),
        "content/requests/crlf.md": request("Line one\nline two.\n").replace("\n", "\r\n"),
        "content/requests/blank.md": request("\n  \n"),
        "content/requests/nofence.md": "No frontmatter at all.\n",
        "content/requests/latin1.md": request("caf\xe9\n").encode("latin-1"),
        "content/requests/_template.md": request("A template, not content.\n"),
        "content/roadmap/i.md": ITEM.replace("Body.", "Item <b>raw</b> body."),
        "content/profile.md": "---\ntitle: Profile\n---\nWho we serve.\n",
    })  # fmt: skip
    (root / "content/requests/leak.md").symlink_to(outside)
    done = taken(HeadStart(root, use_cache=False, jobs=2, least=0))
    bodies = [
        "*Export* to `csv`.\n\n| a | b |\n|---|---|\n| 1 | x |\n",
        "Line one\nline two.\n",  # \r\n read as \n, as loading reads it
        "Item <b>raw</b> body.\n",
        "Who we serve.\n",
    ]
    assert done == {text_key(body): str(render(body)) for body in bodies}
    assert "&lt;b&gt;raw" in done[text_key(bodies[2])]  # rendered as the pages render it


def test_bodies_rendered_from_the_start_give_the_same_bytes_and_are_cached(tmp_path, monkeypatch):
    """A build of enough files on two cores forks the worker itself (slowed here, so
    that every body is done before the pages need it)."""
    files = {"content/roadmap/i.md": ITEM.replace("Body.", "Item *body*.")}
    for n in range(500):
        files[f"content/requests/r{n:03d}.md"] = request(
            f"Need {n}: *export* to `csv`.\n\n| a | b |\n|---|---|\n| {n} | x |\n"
        )
    root = write_tree(tmp_path / "project", files)
    adopted: list[int] = []
    real_adopt, real_present = Cache.adopt, build_module.present

    def spy_adopt(cache, entries):
        adopted.append(len(entries))
        real_adopt(cache, entries)

    def slow_present(*args, **kwargs):
        time.sleep(1)  # 501 short bodies take ~0.1 s
        return real_present(*args, **kwargs)

    monkeypatch.setattr(Cache, "adopt", spy_adopt)
    monkeypatch.setattr(build_module, "present", slow_present)
    build(root, tmp_path / "ahead", "internal", jobs=2)
    monkeypatch.setattr(build_module, "present", real_present)
    assert adopted == [501]  # every body rendered by the worker, handed to the parent's cache
    rows = sqlite3.connect(root / ".cache" / "markdown.sqlite3").execute(
        "SELECT count(*) FROM html"
    )
    assert rows.fetchone()[0] == 501  # and saved
    build(root, tmp_path / "serial", "internal", jobs=1, use_cache=False)
    assert snapshot(tmp_path / "ahead") == snapshot(tmp_path / "serial")
    build(root, tmp_path / "nocache", "internal", jobs=2, use_cache=False)
    assert snapshot(tmp_path / "nocache") == snapshot(tmp_path / "serial")
    (tmp_path / "ahead" / "index.html").unlink()  # not up to date any more: a warm build
    build(root, tmp_path / "ahead", "internal", jobs=2)
    assert adopted[-1] == 0  # every body is in the cache file: the worker rendered none


def test_a_cache_file_spares_the_worker_what_it_holds(tmp_path):
    root = write_tree(tmp_path / "p", {
        f"content/requests/r{n}.md": request(f"Body number {n}.\n") for n in range(20)
    })  # fmt: skip
    build(root, tmp_path / "site", "internal", jobs=1)
    assert taken(HeadStart(root, use_cache=True, jobs=2, least=0)) == {}
    (root / "content/requests/r3.md").write_text(request("Edited body.\n"))
    edited = {text_key("Edited body.\n"): str(render("Edited body.\n"))}
    assert taken(HeadStart(root, use_cache=True, jobs=2, least=0)) == edited
    assert len(taken(HeadStart(root, use_cache=False, jobs=2, least=0))) == 20


def test_stopped_midway_it_gives_only_whole_results_and_is_gone(tmp_path):
    root = write_tree(tmp_path / "p", {
        f"content/requests/r{n:04d}.md": request(f"Body {n}\n\n" + "*word* " * 300 + "\n")
        for n in range(1500)
    })  # fmt: skip
    head = HeadStart(root, use_cache=False, jobs=2, least=0)
    pid = head.pid
    time.sleep(0.5)
    done = taken(head, wait=False)
    assert head.pid == 0 and gone(pid)  # stopped and reaped, not left running
    assert 0 < len(done) < 1500
    bodies = {
        text_key(b): b for b in (f"Body {n}\n\n" + "*word* " * 300 + "\n" for n in range(1500))
    }
    assert all(html == str(render(bodies[key])) for key, html in done.items())


def test_files_are_read_once_and_an_edit_after_that_makes_the_next_build(tmp_path):
    """The build takes the files the worker read at the start, with the stamps it took
    before reading them: an edit saved after that is not lost, the next build shows it."""
    root = write_tree(tmp_path / "p", {
        f"content/requests/r{n}.md": request(f"Old body {n}.\n") for n in range(5)
    })  # fmt: skip
    site, page = tmp_path / "site", tmp_path / "site/requests/r2.html"
    build(root, site, "internal", jobs=1)  # a record to compare with: the digest's other path
    (root / "content/requests/r1.md").write_text(request("Changed before the build.\n"))
    head = HeadStart(root, use_cache=True, jobs=2, least=0)
    time.sleep(1)  # it has read every file by now
    (root / "content/requests/r2.md").write_text(request("New body, saved since.\n"))
    opened: list[str] = []
    real_open = os.open
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            os, "open", lambda path, *a, **k: opened.append(str(path)) or real_open(path, *a, **k)
        )
        result = build(root, site, "internal", jobs=2, head_start=head)
    assert not result.up_to_date
    assert not [p for p in opened if "/content/" in p]  # read once, by the worker
    assert "Changed before the build." in (site / "requests/r1.html").read_text()
    assert "Old body 2." in page.read_text()  # as read at the start
    again = build(root, site, "internal", jobs=2)
    assert not again.up_to_date and "New body, saved since." in page.read_text()
    assert build(root, site, "internal", jobs=2).up_to_date


def test_it_runs_at_the_lowest_priority_and_only_when_it_can_help(tmp_path):
    small = write_tree(tmp_path / "small", {"content/requests/a.md": request("A body.\n")})
    assert HeadStart(small, use_cache=False, jobs=2).pid == 0  # fewer files than it is worth
    assert HeadStart(small, use_cache=False, jobs=1, least=0).pid == 0  # one process asked for
    with HeadStart(small, use_cache=False, jobs=2, least=0) as head:
        assert head.pid != 0
        deadline = time.monotonic() + 5
        while os.getpriority(os.PRIO_PROCESS, head.pid) != 19 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert os.getpriority(os.PRIO_PROCESS, head.pid) == 19
        pid = head.pid
    assert gone(pid)  # leaving the block stops it


def test_the_worker_ends_with_its_parent_however_the_parent_ends(tmp_path):
    root = write_tree(tmp_path / "p", {
        f"content/requests/r{n:04d}.md": request(f"Body {n}\n\n" + "*word* " * 300 + "\n")
        for n in range(3000)
    })  # fmt: skip
    code = textwrap.dedent(f"""
        import os, sys
        from pathlib import Path
        from generator.site.headstart import HeadStart
        head = HeadStart(Path({str(root)!r}), False, 2, least=0)
        print(head.pid, flush=True)
        os._exit(0)  # no close, no exit handlers: as when killed
    """)
    with open(tmp_path / "pid", "w") as out:  # a file: a pipe would stay open in the worker
        subprocess.run([sys.executable, "-c", code], cwd=REPO, stdout=out, check=True, timeout=60)
    output = (tmp_path / "pid").read_text()
    pid = int(output)
    deadline = time.monotonic() + 5  # its 3,000 long bodies would take it ~12 s
    while not gone(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert gone(pid)


def test_a_result_cut_short_by_the_stop_is_left_out(tmp_path):
    from generator.site import headstart

    with open(tmp_path / "results", "w+b") as results:
        headstart._write(results.fileno(), {"k1": "<p>one</p>", "k2": "<p>two</p>"})
        first = os.fstat(results.fileno()).st_size
        headstart._write(results.fileno(), {"k3": "<p>three</p>"})
        whole = os.fstat(results.fileno()).st_size
        assert len(headstart._read_results(results.fileno())) == 3
        for cut in (whole - 1, whole - 20, first + 4):  # in the second's text, its length
            os.truncate(results.fileno(), cut)
            done = headstart._read_results(results.fileno())
            assert done == {"k1": "<p>one</p>", "k2": "<p>two</p>"}
