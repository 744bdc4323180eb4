"""`roadmap serve` as a real process on a free loopback port, for the tests that talk to it."""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from helpers import FIXED_EPOCH


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # as a shell starts a background job


def start_serve(root: Path, background: bool = False) -> subprocess.Popen[str]:
    """`roadmap serve` on a free port, its output (both streams) on `stdout`."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--root", str(root), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
        preexec_fn=_ignore_sigint if background else None,
    )  # fmt: skip


class Server:
    def __init__(self, root: Path, background: bool = False) -> None:
        self.root = root
        self.process = start_serve(root, background)
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        line = self.wait_for(r"serving internal site at http://127\.0\.0\.1:(\d+)/")
        self.port = int(re.search(r":(\d+)/", line).group(1))

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, pattern: str, after: int = 0, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.lines[after:]:
                if re.search(pattern, line):
                    return line
            time.sleep(0.02)
        raise AssertionError(f"no line matching {pattern!r} in {self.lines}")

    def get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response.status, dict(response.getheaders()), body

    def edit(self, relative: str, text: str) -> int:
        """Write a file the way an editor saves it; return the log position before."""
        mark = len(self.lines)
        (self.root / relative).write_text(text)
        return mark

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=20)
