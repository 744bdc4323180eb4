"""What a person at a terminal sees: progress only on a terminal, warnings summarised.

Progress is checked through a real pseudo-terminal (the `pty` module): the command
cannot tell it from a person's terminal."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import FIXED_EPOCH, ITEM, REPO, REQUEST, write_tree

PHASES = re.compile(r"reading and parsing|validating|linking and scoring|rendering pages|writing")


def _project(tmp_path: Path, requests: int) -> Path:
    files: dict[str, str | bytes] = {"content/roadmap/item.md": ITEM}
    for n in range(requests):
        # untriaged (no roadmap link) and old: one W101 warning each
        files[f"content/requests/r{n:04}.md"] = REQUEST.replace("A request", f"Request {n}")
    return write_tree(tmp_path / "project", files)


def _run(args: list[str], on_terminal: bool, env: dict[str, str] | None = None) -> tuple[int, str]:
    """Run `roadmap ARGS`; stderr on a pseudo-terminal or a pipe. (exit code, stderr)."""
    environment = {k: v for k, v in os.environ.items() if k != "CI"}
    environment.update({"SOURCE_DATE_EPOCH": FIXED_EPOCH, "COLUMNS": "100", **(env or {})})
    command = [sys.executable, "-m", "generator", *args]
    if not on_terminal:
        done = subprocess.run(command, capture_output=True, text=True, env=environment,
                              cwd=REPO, timeout=120)  # fmt: skip
        return done.returncode, done.stderr
    leader, follower = pty.openpty()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=follower,
                               env=environment, cwd=REPO)  # fmt: skip
    os.close(follower)
    received = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 120)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the terminal's other side closed
            break
        if not chunk:
            break
        received += chunk
    os.close(leader)
    return process.wait(timeout=120), received.decode(errors="replace")


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> Path:
    return _project(tmp_path_factory.mktemp("terminal"), 1500)


def test_build_shows_progress_on_a_terminal(big, tmp_path):
    code, shown = _run(["build", "--root", str(big), "--out", str(tmp_path / "s")], True)
    assert code == 0
    assert PHASES.search(shown), shown[-2000:]
    assert "\x1b[" in shown  # drawn and redrawn in place
    assert re.search(r"\d+/\d+", shown)  # pages rendered, out of how many


def test_check_shows_progress_on_a_terminal(big):
    code, shown = _run(["check", "--root", str(big)], True)
    assert code == 0 and PHASES.search(shown), shown[-2000:]


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["build", "--out", "{out}"], {"CI": "true"}),
        (["build", "--out", "{out}", "--quiet"], {}),
        (["check", "--format", "json"], {}),
        (["check", "--format", "github"], {}),
    ],
    ids=["CI=true", "--quiet", "json", "github"],
)
def test_no_progress_on_a_terminal_when_not_wanted(big, tmp_path, args, env):
    args = [a.replace("{out}", str(tmp_path / "s")) for a in args]
    code, shown = _run([*args, "--root", str(big)], True, env)
    assert code == 0
    assert not PHASES.search(shown), shown[-2000:]


def test_no_progress_into_a_pipe(big, tmp_path):
    for args in (["build", "--out", str(tmp_path / "s")], ["check"]):
        code, shown = _run([*args, "--root", str(big)], False)
        assert code == 0
        assert not PHASES.search(shown) and "\x1b[" not in shown


# --- warnings -----------------------------------------------------------------------


#: 2026-05-28: every request of `_project` is then untriaged for months (W101).
LATER = "1780000000"


def _check(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "check", "--root", str(root), *args],
        capture_output=True, text=True, cwd=REPO, timeout=60,
        env={**os.environ, "SOURCE_DATE_EPOCH": LATER},
    )  # fmt: skip


@pytest.fixture(scope="module")
def noisy(tmp_path_factory) -> Path:
    """30 warnings (W101)."""
    return _project(tmp_path_factory.mktemp("noisy"), 30)


def _lines(output: str, kind: str) -> list[str]:
    return [line for line in output.splitlines() if f": {kind}[" in line]


def test_warnings_beyond_twenty_are_counted_per_code(noisy):
    result = _check(noisy)
    assert result.returncode == 0
    assert len(_lines(result.stdout, "warning")) == 20
    assert "W101 x 10 more, e.g. content/requests/r0020.md" in result.stdout
    assert "(10 warnings not shown: --verbose shows every one)" in result.stdout
    assert result.stdout.rstrip().endswith("checked 31 files: 0 errors, 30 warnings")


def test_errors_are_always_shown_in_full(tmp_path):
    root = _project(tmp_path, 1)
    for n in range(45):
        (root / f"content/roadmap/bad{n:02}.md").write_text(ITEM.replace("later", "someday"))
    result = _check(root)
    assert result.returncode == 1
    assert len(_lines(result.stdout, "error")) == 45 and "more, e.g." not in result.stdout


@pytest.mark.parametrize("args", [["--verbose"], ["-v"]])
def test_verbose_shows_every_warning(noisy, args):
    result = _check(noisy, *args)
    assert len(_lines(result.stdout, "warning")) == 30 and "more, e.g." not in result.stdout


def test_machine_formats_carry_every_warning(noisy):
    payload = json.loads(_check(noisy, "--format", "json").stdout)
    assert payload["warnings"] == 30
    assert sum(d["severity"] == "warning" for d in payload["diagnostics"]) == 30
    assert _check(noisy, "--format", "github").stdout.count("::warning ") == 30


def test_build_summarises_warnings_too(noisy, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--root", str(noisy), "--out",
         str(tmp_path / "site")], capture_output=True, text=True, cwd=REPO, timeout=60,
        env={**os.environ, "SOURCE_DATE_EPOCH": LATER},
    )  # fmt: skip
    assert result.returncode == 0  # warnings never fail a build
    assert len(_lines(result.stderr, "warning")) == 20
    assert "W101 x 10 more" in result.stderr


def test_exit_codes_do_not_change(noisy):
    assert _check(noisy).returncode == 0
    assert _check(noisy, "--strict").returncode == 1
    assert _check(noisy, "--strict", "--verbose").returncode == 1
