"""A build whose inputs and output are those of the last build does nothing, and says so;
any change to an input or to the site makes a full build (real processes, real files)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers import ITEM, REQUEST, roadmap, site_files, write_tree

from generator.build import build as build_here
from generator.content.tree import ContentTree

UP_TO_DATE = "is up to date: nothing changed since the last build"


def project(tmp_path: Path) -> Path:
    return write_tree(
        tmp_path / "project",
        {
            "content/roadmap/item.md": ITEM,
            "content/requests/ok.md": REQUEST.replace("---\nBody", "roadmap: item\n---\nBody"),
            # untriaged and old: a warning, which a skipped build must show again
            "content/requests/old.md": REQUEST.replace("2026-01-05", "2025-01-05"),
        },
    )


def build(root: Path, *args: str, env: dict[str, str] | None = None):
    result = roadmap("build", "--root", str(root), *args, env=env)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


def stamps(site: Path) -> dict[str, tuple[int, int]]:
    return {
        p.relative_to(site).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in site.rglob("*")
        if p.is_file()
    }


def test_a_second_build_with_nothing_changed_does_nothing_and_repeats_the_warnings(tmp_path):
    root = project(tmp_path)
    site = root / "site"
    first = build(root)
    assert UP_TO_DATE not in first.stdout and "built the internal site" in first.stdout
    assert "W" in first.stderr and "content/requests/old.md" in first.stderr  # the warning
    files, before = site_files(site), stamps(site)
    second = build(root)
    assert UP_TO_DATE in second.stdout, second.stdout
    assert second.stderr == first.stderr  # the same warnings, in the same words
    assert site_files(site) == files and stamps(site) == before  # not a byte touched


@pytest.mark.parametrize(
    "change",
    [
        "edit a request",
        "touch a request",
        "add a request",
        "remove a request",
        "edit roadmap.toml",
        "add a project template",
        "edit a page of the site",
        "remove a page of the site",
        "add a file to the site",
        "a new build time",
    ],
)
def test_any_change_to_an_input_or_to_the_site_makes_a_full_build(tmp_path, change):
    root = project(tmp_path)
    site = root / "site"
    build(root)
    expected = site_files(site)
    env = None
    request = root / "content/requests/ok.md"
    if change == "edit a request":
        request.write_text(request.read_text().replace("A request", "A changed request"))
    elif change == "touch a request":
        os.utime(request, ns=(1, 1))
    elif change == "add a request":
        (root / "content/requests/new.md").write_text(REQUEST)
    elif change == "remove a request":
        (root / "content/requests/old.md").unlink()
    elif change == "edit roadmap.toml":
        (root / "roadmap.toml").write_text('[site]\ntitle = "Another title"\n')
    elif change == "add a project template":
        (root / "templates").mkdir()
        (root / "templates/404.html").write_text("{% extends 'base.html' %}")
    elif change == "edit a page of the site":
        (site / "index.html").write_text("defaced")
    elif change == "remove a page of the site":
        (site / "index.html").unlink()
    elif change == "add a file to the site":
        (site / "stray.html").write_text("stray")
    else:
        env = {"SOURCE_DATE_EPOCH": "1768103200"}
    result = build(root, env=env)
    assert UP_TO_DATE not in result.stdout, result.stdout
    assert "built the internal site" in result.stdout
    if change.endswith("of the site") or change == "add a file to the site":
        assert site_files(site) == expected  # the site is whole again
    again = build(root, env=env)
    assert UP_TO_DATE in again.stdout  # and the record follows the new state


def test_a_first_build_of_every_kind_of_input_is_up_to_date_the_second_time(tmp_path):
    """A first build stamps what it reads; the next one stats everything before reading:
    both must agree on every kind of input (settings, accounts, profile, strategy)."""
    import shutil

    from helpers import REPO

    root = tmp_path / "example"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "roadmap.toml", root / "roadmap.toml")
    assert UP_TO_DATE not in build(root).stdout
    assert UP_TO_DATE in build(root).stdout


def test_a_file_edited_after_the_first_build_read_it_makes_the_next_build_a_full_one(
    tmp_path, monkeypatch
):
    """A first build stamps the content files as it reads them: a file edited once read
    must not pass, at the next build, for the file the site was made from."""
    root = project(tmp_path)
    request = root / "content/requests/ok.md"
    read = ContentTree.read

    def read_then_edit(tree: ContentTree, relative: str) -> bytes | None:
        data = read(tree, relative)
        if relative == "content/requests/ok.md":
            request.write_text(request.read_text().replace("A request", "An edited request"))
        return data

    monkeypatch.setattr(ContentTree, "read", read_then_edit)
    first = build_here(root, root / "site", "internal")
    monkeypatch.setattr(ContentTree, "read", read)  # not undo(): that drops the fixed time too
    page = root / "site/requests/ok.html"
    assert first.files and "An edited request" not in page.read_text()
    second = build_here(root, root / "site", "internal")
    assert not second.up_to_date and "An edited request" in page.read_text()
    assert build_here(root, root / "site", "internal").up_to_date


def test_the_record_of_a_build_on_workers_is_the_site_on_disk(tmp_path):
    """The record takes each file's stamp as it is written (by whichever process wrote
    it, or linked it from the previous site): it must be what a walk of the site finds."""
    import json

    from generator.site import uptodate

    files = {f"content/requests/r{n:03d}.md": REQUEST.replace("A request", f"Request {n}")
             for n in range(450)}  # fmt: skip  # above rendering.PARALLEL_FROM pages
    root = write_tree(tmp_path / "project", files)
    site = tmp_path / "site"

    def recorded() -> dict[str, tuple[int, int, int]]:
        path = uptodate.record_path(root, site, "internal")
        return {name: tuple(stamp) for name, stamp in json.loads(path.read_text())["files"].items()}

    build_here(root, site, "internal", jobs=2)
    first = recorded()
    assert len(first) > 450 and first == uptodate.site_files(site)
    (root / "content/requests/r007.md").write_text(REQUEST.replace("A request", "Edited"))
    build_here(root, site, "internal", jobs=2)  # most pages linked from the old site
    assert recorded() == uptodate.site_files(site) != first
    assert build_here(root, site, "internal", jobs=2).up_to_date


def test_each_folder_and_audience_has_its_own_record(tmp_path):
    root = project(tmp_path)
    internal, public = tmp_path / "internal", tmp_path / "public"
    build(root, "--out", str(internal))
    build(root, "--out", str(public), "--audience", "public")
    assert UP_TO_DATE in build(root, "--out", str(internal)).stdout
    assert UP_TO_DATE in build(root, "--out", str(public), "--audience", "public").stdout
    # the public build into the internal site's folder is no repeat of anything
    swapped = build(root, "--out", str(internal), "--audience", "public")
    assert UP_TO_DATE not in swapped.stdout
    assert site_files(internal) == site_files(public)


def test_no_cache_always_builds_and_a_failed_build_is_never_taken_for_a_good_one(tmp_path):
    root = project(tmp_path)
    build(root)
    assert UP_TO_DATE not in build(root, "--no-cache").stdout
    bad = root / "content/requests/bad.md"
    bad.write_text("---\ntitle: [\n---\n")
    assert roadmap("build", "--root", str(root)).returncode == 1
    assert roadmap("build", "--root", str(root)).returncode == 1  # still checked, still fails
    bad.unlink()
    assert UP_TO_DATE not in build(root).stdout  # the folder may hold the previous site


def test_a_cache_folder_that_is_a_link_is_neither_read_nor_written(tmp_path):
    root = project(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / ".cache").symlink_to(elsewhere)
    build(root)
    assert list(elsewhere.iterdir()) == []
    assert UP_TO_DATE not in build(root).stdout
