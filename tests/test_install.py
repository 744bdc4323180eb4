"""The wheel, installed into a brand-new virtual environment, runs every command.

This is what a new user gets from `pip install`: only the declared dependencies, only
the files the wheel carries, run from a folder that has nothing to do with this
repository. A module imported but not declared, or a template left out of the wheel,
fails here even when the development machine happens to have it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest
from helpers import FIXED_EPOCH, REPO

from generator import __version__

SOURCES = ("pyproject.toml", "README.md", "generator", "templates")

ITEMS = {
    "sso.md": """\
        ---
        title: Single sign-on with SAML
        status: next
        owner: Dana Cruz
        target: 2027-Q1
        rice: {impact: 3, confidence: 0.9, effort: 4}
        visibility: public
        decisions:
          - {date: 2026-01-02, outcome: accepted, summary: Security reviews ask for it.}
        ---
        ## Problem
        Large customers cannot pass their security review without SSO.
        """,
    "mobile.md": """\
        ---
        title: Native phone apps
        status: declined
        decisions:
          - {date: 2026-01-03, outcome: declined, summary: The web app covers phones.}
        alternatives: The web app installs on the home screen.
        ---
        ## Problem
        Executives want numbers on the go.
        """,
}
REQUESTS = {
    "okta.md": """\
        ---
        title: Okta login for 2,000 staff
        submitted: 2026-01-04
        requester: Sam Lee (AE)
        accounts: [{name: Initech, arr: 250000, stage: customer}]
        roadmap: sso
        rice: {reach: 500, impact: 3, confidence: 0.9, effort: 4}
        ---
        They renew in March and need SSO first.
        """,
    "iphone.md": """\
        ---
        title: An iPhone app
        submitted: 2026-01-05
        requester: Sam Lee (AE)
        accounts: [{name: Hooli, arr: 90000, stage: prospect}]
        roadmap: mobile
        ---
        Their field team wants an app.
        """,
}


def _run(*args: str | Path, cwd: Path, env: dict[str, str], timeout: float = 600):
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )


def _project(folder: Path) -> Path:
    """A small roadmap of its own, in a git repository, far from this one."""
    for kind, files in (("roadmap", ITEMS), ("requests", REQUESTS)):
        (folder / "content" / kind).mkdir(parents=True)
        for name, text in files.items():
            (folder / "content" / kind / name).write_text(textwrap.dedent(text))
    (folder / "roadmap.toml").write_text('[site]\ntitle = "Initrode roadmap"\n')
    return folder


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path]:
    """(wheel, bin folder of a new virtual environment with only that wheel installed)."""
    work = tmp_path_factory.mktemp("install")
    source = work / "source"  # a copy: building writes build/ and *.egg-info beside the code
    for name in SOURCES:
        if (REPO / name).is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
            shutil.copytree(REPO / name, source / name, ignore=ignore)
        else:
            source.mkdir(exist_ok=True)
            shutil.copy2(REPO / name, source / name)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    built = _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", work / "dist", source,
                 cwd=work, env=env)  # fmt: skip
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = (work / "dist").glob("*.whl")
    venv = work / "venv"
    made = _run(sys.executable, "-m", "venv", venv, cwd=work, env=env)
    assert made.returncode == 0, made.stderr
    added = _run(venv / "bin" / "python", "-m", "pip", "install", wheel, cwd=work, env=env)
    assert added.returncode == 0, added.stdout + added.stderr
    return wheel, venv / "bin"


def test_the_wheel_carries_the_theme_and_no_tests(installed):
    wheel, _ = installed
    names = zipfile.ZipFile(wheel).namelist()
    for needed in ("generator/theme/base.html", "generator/theme/item.html",
                   "generator/theme/feed.xml", "generator/theme/assets/style.css",
                   "generator/theme/assets/site.js", "generator/theme/assets/_live-reload.js",
                   "generator/cli.py"):  # fmt: skip
        assert needed in names
    modules = {p.relative_to(REPO).as_posix() for p in (REPO / "generator").rglob("*.py")}
    assert modules <= set(names), modules - set(names)  # every subpackage is listed
    assert not [n for n in names if n.startswith("tests/") or "fixtures" in n or "/bench" in n]
    assert f"-{__version__}-" in wheel.name


def test_every_command_runs_from_the_installed_wheel(installed, tmp_path):
    _, bin_dir = installed
    project = _project(tmp_path / "elsewhere")
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(home),
        "SOURCE_DATE_EPOCH": FIXED_EPOCH,
        "PYTHONUNBUFFERED": "1",
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    roadmap = bin_dir / "roadmap"

    def run(*args: str | Path):
        done = _run(roadmap, *args, cwd=project, env=env, timeout=120)
        assert "Traceback" not in done.stderr, done.stderr
        return done

    def git(*args: str) -> None:
        assert _run("git", *args, cwd=project, env=env).returncode == 0

    # the command is the venv's, and it does not import this repository's code
    where = _run(bin_dir / "python", "-c", "import generator; print(generator.__file__)",
                 cwd=project, env=env)  # fmt: skip
    assert where.stdout.startswith(str(bin_dir.parent)), where.stdout

    assert run("--version").stdout.strip() == f"roadmap, version {__version__}"
    by_module = _run(bin_dir / "python", "-m", "generator", "--version", cwd=project, env=env)
    assert by_module.stdout.strip() == f"roadmap, version {__version__}"

    git("init", "-q", "-b", "main")
    git("config", "user.name", "Pat Example")
    git("config", "user.email", "pat@example.com")
    git("add", "-A")
    git("commit", "-q", "-m", "Initial roadmap")

    checked = run("check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "checked 4 files: no problems" in checked.stdout

    scored = run("score", "--format", "json")
    assert scored.returncode == 0, scored.stderr
    assert [e["id"] for e in json.loads(scored.stdout)["entries"]] == ["sso", "mobile"]

    built = run("build")
    assert built.returncode == 0, built.stderr
    assert "Initrode roadmap" in (project / "site" / "index.html").read_text()
    assert (project / "site" / "assets" / "style.css").is_file()
    public = run("build", "--audience", "public", "--out", "public-site")
    assert public.returncode == 0, public.stderr
    assert (project / "public-site" / "items" / "sso.html").is_file()
    assert not (project / "public-site" / "items" / "mobile.html").exists()

    made = run("new", "request", "Bulk export", "--account", "Initech", "--arr", "250000")
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == "content/requests/bulk-export.md"
    assert run("new", "item", "Audit log").stdout.strip() == "content/roadmap/audit-log.md"
    strict = run("check", "--strict")
    assert strict.returncode == 0, strict.stdout

    schema = run("schema")
    assert schema.returncode == 0
    assert set(json.loads(schema.stdout)) == {"request", "item", "account", "profile", "strategy"}

    changed = run("diff", "HEAD")
    assert changed.returncode == 0, changed.stderr
    assert "bulk-export" in changed.stdout and "audit-log" in changed.stdout

    _serve_until_it_answers(roadmap, project, env)


def _serve_until_it_answers(roadmap: Path, project: Path, env: dict[str, str]) -> None:
    process = subprocess.Popen(
        [str(roadmap), "serve", "--port", "0"], cwd=project, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        url = None
        deadline = time.monotonic() + 60
        while url is None and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            if found := re.search(r"at (http://127\.0\.0\.1:\d+/)", line):
                url = found.group(1)
        assert url, process.stderr.read() if process.poll() is not None else "no URL printed"
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200
            assert b"Initrode roadmap" in response.read()
        process.send_signal(signal.SIGINT)
        started = time.monotonic()
        assert process.wait(timeout=10) == 0
        assert time.monotonic() - started < 5
        assert "Traceback" not in process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
