"""Benchmark: figures for the performance goals, on a generated big roadmap.

    python bench/benchmark.py [--body-size short|long] [--requests 10000] [--items 1000]
                              [--repeat 3] [--edits 5] [--dir /dev/shm]

Generates a tree (deterministic, seeded) for each corpus (both by default: `short`,
requests of 200-400 characters and items of ~1 KB, as real roadmaps hold; `long`, 2.5 KB
bodies), then reports, for each, every figure beside its floor, measured in one run:

* check: `roadmap check` as a real process (CLI start-up included) beside a bare
  loop that only reads the same files and parses their frontmatter with PyYAML's
  C loader. Goal: check <= 2.0x the loop.
* build: `roadmap build` as a real process beside a floor that does only read +
  YAML (C loader) + markdown-it + a minimal Jinja page + write, on every core.
  Goal: build <= 1.5x the floor, peak memory (largest process) under 300 MiB.
* warm build: the same build again, content unchanged, with the cache filled.
  Goal: under a third of the cold build, identical output. Also timed after an edit
  of one request, and with a new build time, which changes every page's footer, so
  that every page is rendered and written again.
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


SENTENCES = [
    "Their finance team exports the report every Monday and rebuilds it by hand.",
    "They need the **audit trail** kept when a record is merged.",
    "Blocks the renewal: the buyer asked for it in the last call.",
    "Today they work around it with a `cron` job that breaks on every release.",
    "Support sees about ten tickets a month about this.",
    "The admin wants to do it without opening a ticket with us.",
]
CORPORA = {
    # name: (request body size range, item body size): what real roadmaps hold vs the old corpus
    "short": ((200, 400), 1000),
    "long": ((2500, 2500), 2500),
}


def body(rng: random.Random, size: int = 2500) -> str:
    """Markdown of about `size` characters: long ones in paragraphs and lists, short ones in
    a few sentences with a small table now and then, like a real customer request."""
    if size < 800:
        text = "## Need\n\n"
        while len(text) < size - 40:
            text += rng.choice(SENTENCES) + " "
        if rng.random() < 0.2:
            text += "\n\n| seats | plan |\n|---|---|\n| 250 | annual |\n"
        return text.rstrip() + "\n"
    parts = ["## Need\n"]
    while sum(map(len, parts)) < size:
        parts.append(PARAGRAPH * rng.randint(1, 3) + "\n\n")
        parts.append(f"- point {rng.randint(1, 99)} with `code` and **bold**\n" * 3 + "\n")
    parts.append("| a | b |\n|---|---|\n| 1 | 2 |\n")
    return "".join(parts)


def generate(
    root: Path, n_requests: int, n_items: int, seed: int = 7, corpus: str = "long"
) -> None:
    rng = random.Random(seed)
    (low, high), item_size = CORPORA[corpus]
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
        text = "---\n" + "\n".join(lines) + "\n---\n" + body(rng, item_size)
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
        size = rng.randint(low, high) if high > low else low
        text = "---\n" + "\n".join(lines) + "\n---\n" + body(rng, size)
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

    out.mkdir(parents=True)
    files = sorted(str(p) for p in (root / "content").rglob("*.md"))
    jobs = os.cpu_count() or 1
    chunks = [(files[n :: jobs * 8], str(out)) for n in range(jobs * 8)]
    with ProcessPoolExecutor(jobs, multiprocessing.get_context("fork")) as pool:
        return sum(pool.map(_floor_chunk, chunks))


def run_floor(root: Path, out: Path) -> None:
    """The floor as its own process, like `roadmap build`, into a new folder: a second
    process pool in one long-lived process ran 2-4x slower here, which flattered the build."""
    subprocess.run([sys.executable, __file__, "--floor", str(root), str(out)], check=True)


def tree_digest(folder: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()


def peak_rss_mib(*args: str) -> float:
    """Largest resident set of `roadmap ARGS` or any of its workers, in MiB.

    Measured in a process of its own: RUSAGE_CHILDREN of this process would also hold
    every earlier child (the other corpus's `roadmap serve`, with a whole site in memory).
    """
    probe = (
        "import resource, subprocess, sys; "
        "subprocess.run(sys.argv[1:], capture_output=True, check=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1768003200"}
    output = subprocess.run(
        [sys.executable, "-c", probe, sys.executable, "-m", "generator", *args],
        capture_output=True, text=True, check=True, env=env,
    ).stdout  # fmt: skip
    return int(output) / 1024


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


def fresh(folder: Path) -> None:
    """Remove `folder` and write back what the system holds, outside any timing."""
    shutil.rmtree(folder, ignore_errors=True)
    os.sync()


def timed(func, repeat: int, before=lambda: None) -> float:  # type: ignore[no-untyped-def]
    """Median wall time of `repeat` runs, in seconds; `before` each run is not timed."""
    return timed_cpu(func, repeat, before)[0]


def timed_cpu(func, repeat: int, before=lambda: None) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Median wall time and median CPU time (user + system, of every process the run
    started and waited for: workers included) of `repeat` runs, in seconds."""
    times, cpu = [], []
    for _ in range(repeat):
        before()
        used = _children_cpu()
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
        cpu.append(_children_cpu() - used)
    return statistics.median(times), statistics.median(cpu)


def timed_pair(first, second, repeat: int, before=lambda: None):  # type: ignore[no-untyped-def]
    """`timed_cpu` of `first` and of `second`, their runs alternated (`before` each run):
    this VM's speed drifts by 10-15% over minutes, and a block of one then a block of the
    other measured the drift as much as the difference."""
    runs: tuple[list[tuple[float, float]], list[tuple[float, float]]] = ([], [])
    for _ in range(repeat):
        for func, times in zip((first, second), runs, strict=True):
            times.append(timed_cpu(func, 1, before))
    (wall_a, cpu_a), (wall_b, cpu_b) = (
        (statistics.median(w for w, _ in times), statistics.median(c for _, c in times))
        for times in runs
    )
    return wall_a, cpu_a, wall_b, cpu_b


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_cli(*args: str, epoch: str = "1768003200") -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch}  # same stamp, same bytes
    result = subprocess.run(
        [sys.executable, "-m", "generator", *args], capture_output=True, text=True, env=env
    )
    if result.returncode not in (0, 1):
        raise SystemExit(f"roadmap {' '.join(args)} failed:\n{result.stdout}{result.stderr}")


def measure(root: Path, files: int, repeat: int, edits: int) -> dict[str, float | str]:
    """Every figure for one generated tree, each beside its floor, in one run."""
    figures: dict[str, float | str] = {}
    bare_loop(root)  # warm the page cache before timing anything
    floor, _, check, _ = timed_pair(
        lambda: bare_loop(root), lambda: run_cli("check", "--root", str(root)), repeat
    )
    figures.update(loop=floor, check=check)
    print(
        f"  check: bare read+YAML loop {floor:.2f} s, `roadmap check` {check:.2f} s, "
        f"ratio {check / floor:.2f}x (goal <= 2.0x), {files / check:,.0f} files/s"
    )

    site, floor_out = root / "site", root / "floor-out"

    def cold() -> None:  # as on a fresh clone: no cache, no site (the floor's folder is new too)
        fresh(root / ".cache")
        fresh(site)
        fresh(floor_out)

    build_floor, floor_cpu, build, build_cpu = timed_pair(
        lambda: run_floor(root, floor_out),
        lambda: run_cli("build", "--root", str(root), "--out", str(site)),
        repeat,
        cold,
    )
    cold()
    peak = peak_rss_mib("build", "--root", str(root), "--out", str(site))  # one more cold build
    cold_digest = tree_digest(site)
    pages = sum(1 for p in site.rglob("*.html"))
    figures.update(floor=build_floor, cold=build, peak=peak, floor_cpu=floor_cpu, cpu=build_cpu)
    print(
        f"  build: floor {build_floor:.2f} s ({files / build_floor:,.0f} pages/s), "
        f"`roadmap build` {build:.2f} s ({pages / build:,.0f} pages/s, {pages} pages), "
        f"ratio {build / build_floor:.2f}x (goal <= 1.5x), "
        f"peak memory {peak:.0f} MiB (goal < 300); CPU time (user + system, every process) "
        f"floor {floor_cpu:.2f} s, build {build_cpu:.2f} s"
    )
    build_args = ("build", "--root", str(root), "--out", str(site))
    warm = timed(lambda: run_cli(*build_args), repeat)
    same = "identical output" if tree_digest(site) == cold_digest else "OUTPUT DIFFERS"
    figures.update(warm=warm, same=same)
    print(
        f"  warm build (cache filled, content unchanged): {warm:.2f} s, "
        f"{warm / build:.2f} of the cold build (goal <= 0.33), {same}"
    )
    request = root / "content" / "requests" / "req-00001.md"
    original = request.read_text()
    titles = iter(range(1_000_000))

    def edit_one() -> None:  # a new title each run: its page, lists and exports change
        request.write_text(original.replace("request number 1\n", f"request {next(titles)}\n"))

    edited = timed(lambda: run_cli(*build_args), repeat, edit_one)
    request.write_text(original)
    figures.update(edited=edited)
    print(
        f"  warm build after editing one request (cache filled): {edited:.2f} s, "
        f"{edited / build:.2f} of the cold build"
    )
    epochs = iter(range(1768100000, 1768200000, 3600))  # a new build time each run
    restamped = timed(lambda: run_cli(*build_args, epoch=str(next(epochs))), repeat)
    figures.update(restamped=restamped)
    print(
        f"  warm build with a new build time (every page's footer differs, so every file is "
        f"written again): {restamped:.2f} s, {restamped / build:.2f} of the cold build"
    )
    if edits:
        latencies = edit_latency(root, edits)
        figures.update(serve=statistics.median(latencies))
        print(
            f"  serve: one-request edit to reload event, median {statistics.median(latencies):.3f}"
            f" s over {len(latencies)} edits (goal <= 0.3 s); all: "
            + ", ".join(f"{x:.2f}" for x in latencies)
        )
    return figures


def table(results: dict[str, dict[str, float | str]]) -> str:
    """The README's figures table: one column per corpus."""

    def row(label: str, goal: str, cell) -> str:  # type: ignore[no-untyped-def]
        return f"| {label} | " + " | ".join(cell(f) for f in results.values()) + f" | {goal} |"

    def ratio(a: str, b: str, unit: str = "x"):  # type: ignore[no-untyped-def]
        return lambda f: f"{f[a]:.2f} s vs {f[b]:.2f} s: {f[a] / f[b]:.2f}{unit}"

    lines = [
        "| figure | " + " | ".join(results) + " | goal |",
        "|---|" + "---|" * len(results) + "---|",
        row("`roadmap check` vs bare read + C loader loop", "<= 2.0x", ratio("check", "loop")),
        row("cold `roadmap build` vs floor", "<= 1.5x", ratio("cold", "floor")),
        row(
            "its CPU time (user + system, all processes) vs the floor's",
            "(no goal)",
            ratio("cpu", "floor_cpu"),
        ),
        row(
            "warm build (content unchanged) vs cold",
            "<= 0.33, same bytes",
            lambda f: f"{f['warm']:.2f} s: {f['warm'] / f['cold']:.2f} ({f['same']})",
        ),
        row(
            "warm build, one request edited, vs cold",
            "(no goal)",
            lambda f: f"{f['edited']:.2f} s: {f['edited'] / f['cold']:.2f}",
        ),
        row(
            "warm build, new build time (every page differs), vs cold",
            "(no goal)",
            lambda f: f"{f['restamped']:.2f} s: {f['restamped'] / f['cold']:.2f}",
        ),
        row("peak memory (largest process)", "< 300 MiB", lambda f: f"{f['peak']:.0f} MiB"),
    ]
    if all("serve" in f for f in results.values()):
        lines.append(
            row("serve: one-request edit to reload", "<= 0.3 s", lambda f: f"{f['serve']:.3f} s")
        )
    return "\n".join(lines)


def compile_tool() -> None:
    """Compile the tool's modules to bytecode first, as installing it does (the floor's
    libraries are installed, compiled): with PYTHONDONTWRITEBYTECODE set, as on the
    development VM, a checkout without bytecode compiled every module on every run."""
    import compileall

    import generator

    compileall.compile_dir(str(Path(generator.__file__).parent), quiet=1)


def main() -> None:
    if sys.argv[1:2] == ["--floor"]:
        floor_build(Path(sys.argv[2]), Path(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each timing (median)")
    parser.add_argument(
        "--body-size",
        choices=sorted(CORPORA),
        action="append",
        help="corpus to measure: short (requests 200-400 characters, items ~1 KB, like real "
        "roadmaps) or long (2.5 KB bodies); give it twice or leave it out for both",
    )
    parser.add_argument("--edits", type=int, default=5, help="serve edits to time (0: skip)")
    parser.add_argument(
        "--dir",
        type=Path,
        default=Path("/dev/shm") if os.access("/dev/shm", os.W_OK) else None,
        help="where to generate the trees (default: /dev/shm, a tmpfs, when writable: on the "
        "2-core VM's disk, writing 11,000 small files took 0.3 to 7.7 s of kernel time at "
        "random, which drowned every figure in noise)",
    )
    args = parser.parse_args()
    compile_tool()
    results = {}
    for corpus in args.body_size or ["short", "long"]:
        with tempfile.TemporaryDirectory(prefix="roadmap-bench-", dir=args.dir) as tmp:
            root = Path(tmp)
            started = time.perf_counter()
            generate(root, args.requests, args.items, corpus=corpus)
            files = args.requests + args.items
            size = sum(p.stat().st_size for p in (root / "content").rglob("*.md")) / files
            print(
                f"{corpus} corpus: generated {files} files (mean {size:,.0f} bytes) in "
                f"{time.perf_counter() - started:.1f} s under {tmp}"
            )
            results[f"{corpus} ({size / 1000:.1f} KB/file)"] = measure(
                root, files, args.repeat, args.edits
            )
    print()
    print(table(results))


if __name__ == "__main__":
    main()
