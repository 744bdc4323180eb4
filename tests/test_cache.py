"""The build cache: a warm build renders no markdown, parses no frontmatter, same bytes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from helpers import ITEM, REQUEST, write_tree
from markupsafe import Markup

from generator import build as build_module
from generator.build import build, markdown_cache
from generator.cache import Cache
from generator.content import loading


def snapshot(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def tree(tmp_path: Path) -> Path:
    return write_tree(
        tmp_path / "project",
        {
            "content/roadmap/i.md": ITEM.replace("Body.", "## Problem\n\nSome *text*."),
            "content/requests/r.md": REQUEST.replace("---\nBody", "roadmap: i\n---\nBody"),
        },
    )


def count_misses(monkeypatch) -> list:
    caches = []
    real = build_module.markdown_cache

    def spy(root):
        cache = real(root)
        caches.append(cache)
        return cache

    monkeypatch.setattr(build_module, "markdown_cache", spy)
    return caches


def test_warm_build_renders_no_markdown_and_gives_the_same_bytes(tmp_path, monkeypatch):
    root = tree(tmp_path)
    caches = count_misses(monkeypatch)
    build(root, tmp_path / "cold", "internal")
    build(root, tmp_path / "warm", "internal")
    assert caches[0].misses == 2 and caches[0].hits == 0
    assert caches[1].misses == 0 and caches[1].hits == 2
    assert snapshot(tmp_path / "cold") == snapshot(tmp_path / "warm")
    uncached = build(root, tmp_path / "none", "internal", use_cache=False)
    assert uncached.files and snapshot(tmp_path / "none") == snapshot(tmp_path / "cold")


def test_an_edited_body_is_rendered_again_alone(tmp_path, monkeypatch):
    root = tree(tmp_path)
    caches = count_misses(monkeypatch)
    build(root, tmp_path / "a", "internal")
    (root / "content/requests/r.md").write_text(REQUEST.replace("Body.", "New body."))
    build(root, tmp_path / "b", "internal")
    assert (caches[1].hits, caches[1].misses) == (1, 1)


def test_template_config_or_version_change_empties_the_cache(tmp_path, monkeypatch):
    root = tree(tmp_path)
    build(root, tmp_path / "a", "internal")
    assert markdown_cache(root).path.stat().st_size > 0
    first = markdown_cache(root).stamp
    (root / "roadmap.toml").write_text('[site]\ntitle = "Other"\n')
    assert markdown_cache(root).stamp != first
    caches = count_misses(monkeypatch)
    build(root, tmp_path / "b", "internal")
    assert caches[0].misses == 2  # the old entries were dropped with the old fingerprint
    (root / "templates").mkdir()
    (root / "templates" / "404.html").write_text("custom")
    build(root, tmp_path / "c", "internal")
    assert caches[1].misses == 2
    monkeypatch.setattr(build_module, "fingerprint", lambda files, options: "another tool version")
    assert markdown_cache(root).stamp == "another tool version"


def test_warm_build_parses_no_frontmatter_and_gives_the_same_bytes(tmp_path, monkeypatch):
    root = tree(tmp_path)
    build(root, tmp_path / "cold", "internal", jobs=1)
    parsed = []
    real = loading.load_yaml
    monkeypatch.setattr(loading, "load_yaml", lambda *a: parsed.append(a) or real(*a))
    build(root, tmp_path / "warm", "internal", jobs=1)
    assert parsed == []  # both files came from the cache
    assert snapshot(tmp_path / "warm") == snapshot(tmp_path / "cold")
    path = root / "content/requests/r.md"
    path.write_text(path.read_text().replace("A request", "An edited request"))
    build(root, tmp_path / "edited", "internal", jobs=1)
    assert [a[1] for a in parsed] == ["content/requests/r.md"]


def test_frontmatter_with_problems_is_never_cached(tmp_path):
    root = write_tree(
        tmp_path / "project",
        {"content/requests/r.md": REQUEST.replace("title: A request", "title: A\ntitle: B")},
    )
    for _ in range(2):  # the second run must report it again
        result = build(root, tmp_path / "site", "internal", jobs=1)
        assert [d.code for d in result.check.report.errors] == ["E106"]


def test_markdown_lookups_ask_sqlite_only_for_stored_bodies(tmp_path):
    rendered: list[str] = []

    def renderer(text: str) -> Markup:
        rendered.append(text)
        return Markup(f"<p>{text}</p>")

    cache = Cache(tmp_path / "cache.sqlite3", "stamp", renderer)
    queries: list[str] = []
    cache._connect().set_trace_callback(queries.append)  # the connection lookups use
    assert cache.render("one") == "<p>one</p>"
    assert not [q for q in queries if "FROM html WHERE" in q]  # an empty cache: no lookup
    cache.save()
    assert cache.render("one") == "<p>one</p>"  # saved in this process: found, not rendered
    assert rendered == ["one"] and cache.hits == 1
    again = Cache(tmp_path / "cache.sqlite3", "stamp", renderer)
    assert again.render("one") == "<p>one</p>" and again.render("two") == "<p>two</p>"
    assert rendered == ["one", "two"] and (again.hits, again.misses) == (1, 1)


def test_only_values_that_json_holds_exactly_are_cached(tmp_path):
    cache = Cache(tmp_path / "cache.sqlite3", "stamp")
    kept = {
        "a": "text", "n": 1, "x": 0.1, "b": True, "none": None, "when": dt.date(2026, 1, 31),
        "list": [1, {"nested": dt.date(2026, 2, 1)}],
    }  # fmt: skip
    cache.keep_frontmatter("kept", kept)
    for text, data in (
        ("int key", {1: "a"}),
        ("datetime", {"at": dt.datetime(2026, 1, 1, 12, 0)}),
        ("set", {"s": {1, 2}}),
        ("tag-like key", {"\0date": "2026-01-01"}),
    ):
        cache.keep_frontmatter(text, data)
    cache.save()
    again = Cache(tmp_path / "cache.sqlite3", "stamp")
    assert again.frontmatter("kept") == kept
    assert type(again.frontmatter("kept")["n"]) is int
    for text in ("int key", "datetime", "set", "tag-like key"):
        assert again.frontmatter(text) is None
    assert Cache(tmp_path / "cache.sqlite3", "another stamp").frontmatter("kept") is None


def test_stored_markdown_is_read_without_writing_from_any_path(tmp_path, monkeypatch):
    from generator.cache import stored_markdown, text_key

    cache = Cache(tmp_path / "odd #name?" / "cache.sqlite3", "stamp", lambda t: Markup(t))
    cache.render("kept")
    cache.save()
    cache.close()
    before = (tmp_path / "odd #name?" / "cache.sqlite3").read_bytes()
    monkeypatch.chdir(tmp_path)
    for path in (tmp_path / "odd #name?" / "cache.sqlite3", Path("odd #name?/cache.sqlite3")):
        assert stored_markdown(path) == {text_key("kept")}
    assert stored_markdown(tmp_path / "missing.sqlite3") == set()
    (tmp_path / "not.sqlite3").write_text("not a database")
    assert stored_markdown(tmp_path / "not.sqlite3") == set()
    assert (tmp_path / "odd #name?" / "cache.sqlite3").read_bytes() == before
