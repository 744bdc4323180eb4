"""`roadmap build`: the first phase, then render -> write, for one audience.

Kept short on purpose, like mkdocs' commands/build.py: every step lives in the
module of its concern.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import collector
from .cache import CACHE_DIR, CACHE_FILE, Cache, fingerprint
from .clock import now, today
from .config import CONFIG_FILE
from .content.tree import ContentTree
from .git import commit_stamp, history
from .parallel import default_jobs
from .pipeline import CheckResult, check
from .progress import SILENT, Progress
from .site import exports, markup, rendering, theme, uptodate
from .site.audience import AUDIENCES, AudienceName
from .site.headstart import HeadStart
from .site.outfolder import check_output
from .site.output import SiteWriter
from .site.present import present


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a build did."""

    check: CheckResult
    """The first phase; the site is written only when it has no errors."""
    files: int
    """Files written (0 when the build stopped at errors)."""
    bytes: int
    """Bytes written."""
    notes: tuple[str, ...] = ()
    """Things worth a line that are not problems in the content (a cache set aside)."""
    up_to_date: bool = False
    """True when the folder already held this build's output: nothing was done."""


def build(
    root: Path,
    out: Path,
    audience: AudienceName,
    jobs: int | None = None,
    use_cache: bool = True,
    force: bool = False,
    progress: Progress = SILENT,
    head_start: HeadStart | None = None,
) -> BuildResult:
    """Check, then write the site into `out`.

    `head_start` is the markdown worker the command forked as it started (its owner
    closes it; the build stops it when the pages start); without one, a build forks its
    own once it knows it has work to do.
    Raises OutputRefused, before reading or writing anything, when `out` may not be
    replaced (see :mod:`generator.outfolder`), and OSError when writing fails; the
    previous site is then untouched.
    """
    check_output(out, root, force)
    jobs = jobs or default_jobs()
    built, commit, day = build_time(), commit_stamp(root), today()
    inputs = None
    if use_cache:  # before anything is read: an edit made during the build makes the next one
        inputs = uptodate.Inputs(root, out, audience, (built, commit, day.isoformat()))
        if last := inputs.last_build():
            checked = CheckResult(None, None, last.report(), last.files_checked)
            return BuildResult(checked, *last.written, up_to_date=True)
        uptodate.forget(root, out, audience)
    # markdown on the spare core through the first phase (from the command's start if given)
    head = head_start if head_start is not None else HeadStart(root, use_cache, jobs)
    cache = markdown_cache(root) if use_cache else None
    tree = ContentTree(root, head.files())  # read once, by the head start, when it could
    try:
        with collector.paused():  # the model and its views: long-lived, next to no cycles
            result = check(tree, jobs, cache=cache, progress=progress)
            if result.roadmap is None or result.scores is None:
                return BuildResult(result, 0, 0, _notes(cache))
            roadmap, scores = result.roadmap, result.scores
            progress.phase("preparing pages")
            site = present(roadmap, scores, AUDIENCES[audience], built, commit, history(root),
                           day).site  # fmt: skip
            pages = list(rendering.pages(site, scores))
            env = rendering.environment(root)
            rendering.compile_templates(env, pages)  # once, while the head start still renders
            env.filters["markdown"] = head.finish(cache)  # looked up as each page renders
        with SiteWriter(out, root, force) as writer:
            rendering.write_pages(
                env, site, pages, writer, jobs, cache,
                extra=lambda: exports.exports(env, site, roadmap, scores), progress=progress,
            )  # fmt: skip
            progress.phase("writing the site")
            for path, data in theme.assets(root):
                writer.write(path, data)
        if inputs is not None and (files := writer.stamps):  # the site as written
            diagnostics = tuple(result.report.diagnostics)
            made = (inputs.digest(tree), files, (writer.count, writer.bytes))
            last = uptodate.LastBuild(*made, result.files_checked, diagnostics)
            uptodate.remember(root, out, audience, last)
        return BuildResult(result, writer.count, writer.bytes, _notes(cache))
    finally:
        head.close()
        if cache is not None:
            cache.save()  # what rendered and parsed cleanly stays, even when the build failed
            cache.close()


def _notes(cache: Cache | None) -> tuple[str, ...]:
    return (cache.problem,) if cache is not None and cache.problem else ()


def markdown_cache(root: Path) -> Cache:
    """The project's cache of markdown and frontmatter, emptied when an input changes."""
    inputs = theme.template_files(root)
    inputs.append(root / CONFIG_FILE)
    stamp = fingerprint(inputs, repr(markup.OPTIONS))
    return Cache(root / CACHE_DIR / CACHE_FILE, stamp, markup.render)


def build_time() -> str:
    """When the site was built, in UTC; `SOURCE_DATE_EPOCH` fixes it for reproducible builds."""
    return now().strftime("%Y-%m-%d %H:%M UTC")
