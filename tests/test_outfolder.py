"""A build never destroys what it did not write: `--out` safety, links, failures, kills.

Every case runs the real `roadmap build` process against real folders in a temp dir,
hashes what must survive before and after, and checks the exit code and the message.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import FIXED_EPOCH, ITEM, REPO, REQUEST, roadmap, write_tree

from generator.site.outfolder import MARKER, OutputRefused, check_output, protected


def digest(path: Path) -> str:
    """Hash of a folder: every entry's path, kind, target or bytes (links not followed)."""
    found = hashlib.sha256()
    for entry in sorted(path.rglob("*")) if path.is_dir() else [path]:
        found.update(entry.relative_to(path.parent).as_posix().encode() + b"\0")
        if entry.is_symlink():
            found.update(b"link:" + os.readlink(entry).encode())
        elif entry.is_file():
            found.update(entry.read_bytes())
    return found.hexdigest()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = write_tree(
        tmp_path / "project",
        {"content/roadmap/i.md": ITEM, "content/requests/r.md": REQUEST,
         "roadmap.toml": '[site]\ntitle = "Safety"\n'},
    )  # fmt: skip
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


def build(project: Path, *args: str, env: dict[str, str] | None = None):
    return roadmap("build", "--root", str(project), *args, env=env)


def one_line(done: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in done.stderr, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


# 1. only a new, empty or marked folder is replaced


def test_a_folder_of_hand_written_pages_is_refused_untouched(project):
    docs = project / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Our hand-written docs\n")
    (docs / "guide.html").write_text("<p>guide</p>")
    before = digest(docs)
    done = build(project, "--out", str(docs))
    assert done.returncode == 2
    line = one_line(done)
    assert "not a site made by roadmap build" in line and "--force" in line
    assert "guide.html, index.md" in line
    assert digest(docs) == before


def test_force_replaces_a_folder_that_is_not_a_site(project, tmp_path):
    elsewhere = tmp_path / "some-folder"
    elsewhere.mkdir()
    (elsewhere / "notes.txt").write_text("mine")
    assert build(project, "--out", str(elsewhere)).returncode == 2
    assert (elsewhere / "notes.txt").read_text() == "mine"
    done = build(project, "--out", str(elsewhere), "--force")
    assert done.returncode == 0, done.stderr
    assert (elsewhere / "index.html").is_file() and not (elsewhere / "notes.txt").exists()
    assert (elsewhere / MARKER).is_file()


def test_new_empty_and_marked_folders_are_written(project, tmp_path):
    new, empty = tmp_path / "new-site", tmp_path / "empty"
    empty.mkdir()
    for out in (new, empty):
        done = build(project, "--out", str(out))
        assert done.returncode == 0, done.stderr
        assert (out / "index.html").is_file()
    (new / "stray.html").write_text("left by hand in a site")  # a site stays a site
    assert build(project, "--out", str(new)).returncode == 0
    assert not (new / "stray.html").exists()


def test_the_marker_names_the_tool_and_the_content_it_came_from(project):
    assert build(project).returncode == 0
    text = (project / "site" / MARKER).read_text()
    assert text == '{"tool": "roadmap", "content": "../content"}\n'


def test_a_fake_or_linked_marker_does_not_count(project, tmp_path):
    for name, make in (("fake", lambda p: (p / MARKER).write_text("roadmap-site, honest")),
                       ("linked", lambda p: (p / MARKER).symlink_to(project / "site" / MARKER))):  # fmt: skip
        assert build(project).returncode == 0
        folder = tmp_path / name
        folder.mkdir()
        (folder / "precious.txt").write_text("keep")
        make(folder)
        assert build(project, "--out", str(folder)).returncode == 2
        assert (folder / "precious.txt").read_text() == "keep"


# 2. never, even with --force


@pytest.mark.parametrize(
    ("where", "reason"),
    [
        (".", "the project root"),
        ("..", "a folder holding the project"),
        ("content", "the project's content folder"),
        ("content/requests", "inside the project's content folder"),
        ("templates", "the project's templates folder"),
        (".git", "a git folder"),
        (".git/hooks", "a git folder"),
        ("/", "the filesystem root"),
        ("HOME", "your home folder"),
        ("OTHER", "a roadmap project (it holds roadmap.toml)"),
        ("REPO", "a git repository (it holds .git)"),
    ],
)
def test_protected_places_are_refused_even_with_force(project, tmp_path, where, reason):
    home = tmp_path / "home"
    home.mkdir()
    (home / "notes.txt").write_text("mine")
    other = tmp_path / "other-project"
    (other / "content").mkdir(parents=True)
    (other / "roadmap.toml").write_text("")
    repo = tmp_path / "a-repository"
    (repo / ".git").mkdir(parents=True)
    (project / "templates").mkdir(exist_ok=True)
    places = {"HOME": home, "OTHER": other, "REPO": repo}
    out = places.get(where) or (Path(where) if where.startswith("/") else project / where)
    watched = [project, home, other, repo]
    before = [digest(p) for p in watched]
    done = build(project, "--out", str(out), "--force", env={"HOME": str(home)})
    assert done.returncode == 2
    line = one_line(done)
    assert f"it is {reason}" in line and "not even with --force" in line
    assert [digest(p) for p in watched] == before


@pytest.mark.parametrize("target", ["project", "content", "home"])
def test_a_link_to_a_protected_place_is_refused(project, tmp_path, target):
    home = tmp_path / "home"
    home.mkdir()
    places = {"project": project, "content": project / "content", "home": home}
    link = tmp_path / "innocent-name"
    link.symlink_to(places[target])
    before = digest(project)
    done = build(project, "--out", str(link), "--force", env={"HOME": str(home)})
    assert done.returncode == 2, done.stderr
    assert digest(project) == before and link.is_symlink()


def test_protected_names_every_reason(tmp_path):
    root = write_tree(tmp_path / "p", {})
    assert protected(root / "site", root) is None
    assert protected(root / "public-site", root) is None
    assert protected(tmp_path / "beside", root) is None
    assert protected(root / "content" / "x" / "y", root) == "inside the project's content folder"
    assert protected(root / ".cache", root) == "the project's build cache"


def test_check_output_explains_each_refusal(tmp_path):
    root = write_tree(tmp_path / "p", {})
    (tmp_path / "file.txt").write_text("x")
    cases = {
        tmp_path / "file.txt": "is a file, not a folder",
        tmp_path / "no" / "such" / "site": "parent folder",
    }
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "nowhere")
    cases[dangling] = "broken symbolic link"
    for out, expected in cases.items():
        with pytest.raises(OutputRefused, match=expected):
            check_output(out, root)


# 3. links in content/ that lead out of the project are reported, never read


def test_links_out_of_the_project_are_errors_and_never_read(project, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text(REQUEST.replace("A request", "SECRET-TOKEN-123"))
    (project / "content/requests/leak.md").symlink_to(secret)
    outside_folder = tmp_path / "outside"
    outside_folder.mkdir()
    (outside_folder / "x.md").write_text(REQUEST.replace("A request", "SECRET-TOKEN-456"))
    shutil.rmtree(project / "content/roadmap")
    (project / "content/roadmap").symlink_to(outside_folder)
    done = roadmap("check", "--root", str(project))
    assert done.returncode == 1
    assert f"content/requests/leak.md:1:1: error[E109]: symbolic link to {secret}" in done.stdout
    assert "content/roadmap:1:1: error[E109]" in done.stdout
    assert "SECRET-TOKEN" not in done.stdout + done.stderr


def test_a_linked_roadmap_toml_outside_is_refused(project, tmp_path):
    (tmp_path / "settings.toml").write_text('[site]\ntitle = "SECRET-TITLE"\n')
    (project / "roadmap.toml").unlink()
    (project / "roadmap.toml").symlink_to(tmp_path / "settings.toml")
    done = roadmap("check", "--root", str(project))
    assert done.returncode == 1 and "roadmap.toml:1:1: error[E109]" in done.stdout


def test_links_inside_the_project_keep_working(project):
    shared = project / "shared"
    shared.mkdir()
    (shared / "common.md").write_text(REQUEST.replace("A request", "Shared request"))
    (project / "content/requests/common.md").symlink_to(Path("../../shared/common.md"))
    done = build(project)
    assert done.returncode == 0, done.stderr
    assert "Shared request" in (project / "site/requests/common.html").read_text()


def test_links_in_a_git_revision_are_followed_only_inside(project):
    git = ["git", "-C", str(project), "-c", "user.name=T", "-c", "user.email=t@x"]
    (project / "content/requests/alias.md").symlink_to("r.md")
    (project / "content/requests/passwd.md").symlink_to("/etc/passwd")
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "links"], check=True)
    from generator.git import read_revision

    tree = read_revision(project, "HEAD")
    assert tree.read("content/requests/alias.md") == tree.read("content/requests/r.md")
    assert tree.read("content/requests/passwd.md") is None
    assert tree.refused == {"content/requests/passwd.md": "/etc/passwd"}


# 4. no traceback for any --out value; the previous site stays


def test_unusual_characters_work(project, tmp_path):
    out = tmp_path / "sïte with spaces\nand a new line"
    done = build(project, "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert (out / "index.html").is_file()


def test_a_file_a_missing_parent_and_a_name_too_long(project, tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    for out, code, words in (
        (tmp_path / "a-file", 2, "is a file, not a folder"),
        (tmp_path / "missing" / "site", 2, "does not exist; create it first"),
        (tmp_path / ("x" * 300), 1, "File name too long"),
    ):
        done = build(project, "--out", str(out))
        assert done.returncode == code, done.stderr
        assert words in one_line(done)
    assert (tmp_path / "a-file").read_text() == "not a folder"


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A small file system of our own (a RAM disk): filled up or made read-only at will."""
    mount = tmp_path / "disk"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)],
                          capture_output=True, text=True)  # fmt: skip
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {made.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_fails_cleanly_and_keeps_the_old_site(project, tmpfs):
    (project / "content/requests/big.md").write_text(REQUEST + "x" * 1_300_000 + "\n")
    site = tmpfs / "site"
    assert build(project, "--out", str(site)).returncode == 0  # ~1.3 MB page + the rest
    before = digest(site)
    # a new build time changes every page: nothing can be linked, all must be written again
    (project / "content/requests/big.md").write_text(REQUEST + "y" * 1_300_000 + "\n")
    filler = tmpfs / "filler"
    filler.write_bytes(b"\0" * (shutil.disk_usage(tmpfs).free - 600_000))
    done = build(project, "--out", str(site), "--no-cache", env={"SOURCE_DATE_EPOCH": "1800000000"})
    assert done.returncode == 1
    assert "No space left on device" in one_line(done)
    assert digest(site) == before
    assert sorted(p.name for p in tmpfs.iterdir()) == ["filler", "site"]


def test_a_read_only_folder_fails_cleanly_and_keeps_the_old_site(project, tmpfs):
    site = tmpfs / "site"
    assert build(project, "--out", str(site)).returncode == 0
    before = digest(site)
    subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=True)
    done = build(project, "--out", str(site), env={"SOURCE_DATE_EPOCH": "1800000000"})
    assert done.returncode == 1
    assert "Read-only file system" in one_line(done)
    assert digest(site) == before


# 5. interrupted at any moment: the old site or the new one, whole; nothing left behind


def _big_project(folder: Path) -> Path:
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from benchmark import generate
    finally:
        sys.path.pop(0)
    generate(folder, 2000, 200)
    return folder


def _leftovers(site: Path) -> list[str]:
    return sorted(p.name for p in site.parent.iterdir() if p.name.startswith(f".{site.name}."))


def _start_build(root: Path, site: Path, epoch: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch}
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--root", str(root), "--out", str(site),
         "--no-cache", "--jobs", "2"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip


def test_a_build_killed_at_any_moment_leaves_a_whole_site(tmp_path):
    root = _big_project(tmp_path / "big")
    site = tmp_path / "site"
    assert _start_build(root, site, FIXED_EPOCH).wait(timeout=300) == 0
    started = time.monotonic()  # how long a build that replaces a site takes
    second = _start_build(root, site, "1800000000")
    assert second.wait(timeout=300) == 0, second.stderr.read()
    duration = time.monotonic() - started
    old = digest(site)
    seen = set()
    for fraction in (0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0, 1.05, 1.1, 1.2):
        process = _start_build(root, site, "1900000000")  # a new build time: every page differs
        time.sleep(duration * fraction)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        assert (site / "index.html").is_file() and (site / MARKER).is_file(), "no site"
        seen.add(digest(site))
    final = _start_build(root, site, "1900000000")
    assert final.wait(timeout=300) == 0, final.stderr.read()
    new = digest(site)
    assert seen <= {old, new}  # never a mix, never missing: the old site or the new one
    assert _leftovers(site) == []  # what the killed builds left was cleaned up


@pytest.mark.parametrize(
    ("stop", "after"),
    [(signal.SIGINT, 0.4), (signal.SIGINT, 1.5), (signal.SIGTERM, 0.4), (signal.SIGTERM, 1.5)],
)  # while files are read and parsed, and while pages are rendered
def test_an_interrupted_build_keeps_the_old_site_and_leaves_nothing(tmp_path, stop, after):
    root = _big_project(tmp_path / "big")
    site = tmp_path / "site"
    assert _start_build(root, site, FIXED_EPOCH).wait(timeout=300) == 0
    old = digest(site)
    process = _start_build(root, site, "1800000000")
    time.sleep(after)
    os.killpg(process.pid, stop)  # Ctrl-C reaches the whole group; kill(1) the parent alone
    started = time.monotonic()
    code = process.wait(timeout=30)
    assert time.monotonic() - started < 5
    stderr = process.stderr.read().decode()
    assert code == 130 and "Traceback" not in stderr, stderr
    assert stderr.strip().splitlines()[-1] in (
        "build interrupted: the previous site is untouched",
        "interrupted while starting: nothing was changed",  # still importing at 0.4 s
    )
    assert digest(site) == old
    assert _leftovers(site) == []
    assert _group_ends(process.pid)  # no worker left: parse, page or head start


def _group_ends(group: int, within: float = 5) -> bool:
    """Whether every process of the group (the build and what it forked) is gone in time."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def test_concurrent_builds_into_one_folder_all_succeed(project, tmp_path):
    site = tmp_path / "site"
    env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH}
    command = [sys.executable, "-m", "generator", "build", "--root", str(project),
               "--out", str(site)]  # fmt: skip
    for _ in range(8):
        running = [subprocess.Popen(command, env=env, stderr=subprocess.PIPE) for _ in range(3)]
        for process in running:
            assert process.wait(timeout=60) == 0, process.stderr.read()
        assert (site / "index.html").is_file()
        assert _leftovers(site) == []
