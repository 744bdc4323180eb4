"""Benchmark: figures for the performance goals, on a generated big roadmap.

    python bench/benchmark.py [--requests 10000] [--items 1000] [--repeat 3]

Generates a tree (deterministic, seeded) under a temp folder, then reports:

* check: `roadmap check` as a real process (CLI start-up included) beside a bare
  loop that only reads the same files and parses their frontmatter with PyYAML's
  C loader. Goal: check <= 2.5x the loop.
* build: `roadmap build` as a real process beside a floor that does only read +
  YAML (C loader) + markdown-it + a minimal Jinja page + write, on every core.
  Goal: build <= 1.5x the floor, peak memory (largest process) under 300 MiB.
* warm build: the same build again, content unchanged, with the cache filled.
  Goal: under a third of the cold build, identical output. Also timed with a new
  build time, which changes every page's footer, so that every file is written.
* serve: seconds from saving a request to the reload event. Goal: <= 0.3 s.

Figures are printed, not asserted: this is not a test.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ACCOUNTS = [f"Account {n:04d}" for n in range(400)]
STATUSES = ["now", "next", "later", "shipped", "declined"]
PARAGRAPH = (
    "Customers in this segment describe the same workflow: they export data, reshape it in a "
    "spreadsheet and paste it back, which takes hours each week and loses history. "
)


def body(rng: random.Random, size: int = 2500) -> str:
    parts = ["## Need\n"]
    while sum(map(len, parts)) < size:
        parts.append(PARAGRAPH * rng.randint(1, 3) + "\n\n")
        parts.append(f"- point {rng.randint(1, 99)} with `code` and **bold**\n" * 3 + "\n")
    parts.append("| a | b |\n|---|---|\n| 1 | 2 |\n")
    return "".join(parts)


def generate(root: Path, n_requests: int, n_items: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    requests_dir, items_dir = root / "content" / "requests", root / "content" / "roadmap"
    requests_dir.mkdir(parents=True)
    items_dir.mkdir(parents=True)
    for i in range(n_items):
        status = STATUSES[i % len(STATUSES)]
        lines = [
            f"title: Roadmap item {i}",
            f"status: {status}",
            f"theme: Theme {i % 12}",
            f"owner: Owner {i % 9}",
            f"target: 2027-Q{i % 4 + 1}",
            "visibility: " + ("public" if i % 3 == 0 else "internal"),
            f"rice: {{impact: {rng.choice([0.5, 1, 2, 3])}, confidence: 0.8, "
            f"effort: {rng.randint(1, 9)}}}",
            "decisions:",
            f"  - {{date: 2026-0{i % 9 + 1}-1{i % 9}, outcome: accepted, summary: Accepted {i}.}}",
        ]
        if status == "shipped":
            lines.append("shipped: 2026-10-01")
        if status == "declined":
            lines.append(f"  - {{date: 2026-10-02, outcome: declined, summary: Declined {i}.}}")
            lines.append("alternatives: Use the export.")
        text = "---\n" + "\n".join(lines) + "\n---\n" + body(rng)
        (items_dir / f"item-{i:04d}.md").write_text(text)
    for i in range(n_requests):
        accounts = rng.sample(ACCOUNTS, rng.randint(0, 3))
        lines = [
            f"title: Customer request number {i}",
            f"submitted: 2026-{i % 12 + 1:02d}-{i % 28 + 1:02d}",
            f"requester: Rep {i % 40}",
            "visibility: " + ("public" if i % 4 == 0 else "internal"),
            f"area: Area {i % 15}",
            "tags: [alpha, beta]",
        ]
        if accounts:
            lines.append("accounts:")
            for name in accounts:
                lines += [f"  - name: {name}", f"    arr: {rng.randint(1, 500) * 1000}"]
                lines.append("    stage: customer")
        if i % 10 == 9:
            lines.append(f"duplicate_of: req-{i - 1:05d}")
        elif i % 10 != 0:
            lines.append(f"roadmap: item-{rng.randrange(n_items):04d}")
        lines.append(
            f"rice: {{reach: {rng.randint(10, 900)}, impact: 1, confidence: '80%', effort: 2}}"
        )
        text = "---\n" + "\n".join(lines) + "\n---\n" + body(rng)
        (requests_dir / f"req-{i:05d}.md").write_text(text)
    (root / "roadmap.toml").write_text("[check]\nuntriaged_days = 100000\n")


def bare_loop(root: Path) -> int:
    """Floor for check: read every file and parse its frontmatter with the C loader."""
    count = 0
    for folder in ("requests", "roadmap"):
        for path in sorted((root / "content" / folder).glob("*.md")):
            text = path.read_text(encoding="utf-8")
            end = text.index("\n---\n", 4)
            yaml.load(text[4:end], Loader=yaml.CSafeLoader)
            count += 1
    return count


FLOOR_PAGE = "<!doctype html><title>{{ title }}</title><main>{{ body }}</main>"


def _floor_chunk(args: tuple[list[str], str]) -> int:
    from jinja2 import Environment
    from markdown_it import MarkdownIt
    from markupsafe import Markup

    paths, out = args
    parser = MarkdownIt("commonmark", {"html": False}).enable("table")
    template = Environment(autoescape=True).from_string(FLOOR_PAGE)
    for name in paths:
        text = Path(name).read_text(encoding="utf-8")
        end = text.index("\n---\n", 4)
        data = yaml.load(text[4:end], Loader=yaml.CSafeLoader)
        html = template.render(title=data["title"], body=Markup(parser.render(text[end + 5 :])))
        Path(out, Path(name).stem + ".html").write_text(html, encoding="utf-8")
    return len(paths)


def floor_build(root: Path, out: Path) -> int:
    """Floor for build: the unavoidable work per file, spread over every core."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    files = sorted(str(p) for p in (root / "content").rglob("*.md"))
    jobs = os.cpu_count() or 1
    chunks = [(files[n :: jobs * 8], str(out)) for n in range(jobs * 8)]
    with ProcessPoolExecutor(jobs, multiprocessing.get_context("fork")) as pool:
        return sum(pool.map(_floor_chunk, chunks))


def tree_digest(folder: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()


def peak_rss_mib(before: int) -> float:
    """Largest resident set of any finished child process since `before`, in MiB."""
    now = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(now, before) / 1024


def edit_latency(root: Path, edits: int) -> list[float]:
    """Seconds from saving a request to the reload event naming its page, under serve."""
    import http.client
    import json
    import re
    import signal
    import threading

    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--root", str(root), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    port = None
    for line in process.stdout:
        if match := re.search(r"http://127\.0\.0\.1:(\d+)/", line):
            port = int(match.group(1))
            break
    threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request("GET", "/__roadmap__/events")
    response = connection.getresponse()  # kept: its stream closes when it is collected
    stream = response.fp
    reloads: list[tuple[float, list[str]]] = []
    got = threading.Event()

    def listen() -> None:
        for raw in stream:
            line = raw.decode()
            if line.startswith("data: ") and '"changed"' in line:
                reloads.append((time.perf_counter(), json.loads(line[6:])["changed"]))
                got.set()

    threading.Thread(target=listen, daemon=True).start()
    target = root / "content" / "requests" / "req-00001.md"
    original = target.read_text()
    latencies = []
    for n in range(edits):
        got.clear()
        time.sleep(0.5)
        started = time.perf_counter()
        target.write_text(original.replace("Customer request number 1", f"Edited request {n}"))
        got.wait(timeout=120)
        when, changed = reloads[-1]
        assert "requests/req-00001.html" in changed, changed
        latencies.append(when - started)
    target.write_text(original)
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        print("warning: roadmap serve did not stop within 60 s of SIGINT; killed")
        process.kill()
        process.wait()
    return latencies


def timed(func, repeat: int) -> float:
    """Median wall time of `repeat` runs, in seconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run_cli(*args: str, epoch: str = "1768003200") -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch}  # same stamp, same bytes
    result = subprocess.run(
        [sys.executable, "-m", "generator", *args], capture_output=True, text=True, env=env
    )
    if result.returncode not in (0, 1):
        raise SystemExit(f"roadmap {' '.join(args)} failed:\n{result.stdout}{result.stderr}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="roadmap-bench-") as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        generate(root, args.requests, args.items)
        files = args.requests + args.items
        print(f"generated {files} files in {time.perf_counter() - started:.1f} s")

        bare_loop(root)  # warm the page cache before timing anything
        floor = timed(lambda: bare_loop(root), args.repeat)
        check = timed(lambda: run_cli("check", "--root", str(root)), args.repeat)
        print(
            f"check: bare read+YAML loop {floor:.2f} s, `roadmap check` {check:.2f} s, "
            f"ratio {check / floor:.2f}x (goal <= 2.5x), {files / check:,.0f} files/s"
        )

        site, floor_out = root / "site", root / "floor-out"
        build_floor = timed(lambda: floor_build(root, floor_out), args.repeat)
        rss_before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss

        def cold_build() -> None:
            shutil.rmtree(root / ".cache", ignore_errors=True)
            run_cli("build", "--root", str(root), "--out", str(site))

        build = timed(cold_build, args.repeat)
        peak = peak_rss_mib(rss_before)
        cold_digest = tree_digest(site)
        pages = sum(1 for p in site.rglob("*.html"))
        print(
            f"build: floor {build_floor:.2f} s ({files / build_floor:,.0f} pages/s), "
            f"`roadmap build` {build:.2f} s ({pages / build:,.0f} pages/s, {pages} pages), "
            f"ratio {build / build_floor:.2f}x (goal <= 1.5x), "
            f"peak memory {peak:.0f} MiB (goal < 300)"
        )
        build_args = ("build", "--root", str(root), "--out", str(site))
        warm = timed(lambda: run_cli(*build_args), args.repeat)
        same = "identical output" if tree_digest(site) == cold_digest else "OUTPUT DIFFERS"
        print(
            f"warm build (markdown cache filled, content unchanged): {warm:.2f} s, "
            f"{warm / build:.2f} of the cold build (goal < 0.33), {same}"
        )
        epochs = iter(range(1768100000, 1768200000, 3600))  # a new build time each run
        restamped = timed(lambda: run_cli(*build_args, epoch=str(next(epochs))), args.repeat)
        print(
            f"warm build with a new build time (every page's footer differs, so every file is "
            f"written again): {restamped:.2f} s, {restamped / build:.2f} of the cold build"
        )
        latencies = edit_latency(root, 5)
        print(
            f"serve: one-request edit to reload event, median {statistics.median(latencies):.3f} s "
            f"over {len(latencies)} edits (goal <= 0.3 s); all: "
            + ", ".join(f"{x:.2f}" for x in latencies)
        )


if __name__ == "__main__":
    main()
