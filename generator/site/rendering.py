"""Pages: one Jinja environment, one page list, read-only views in, HTML out."""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable, Hashable, Iterable, Iterator, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import (
    Environment,
    StrictUndefined,
    TemplateError,
    TemplateSyntaxError,
    select_autoescape,
)
from jinja2.runtime import Macro
from markupsafe import Markup

from ..cache import Cache
from ..content.tree import Stamp
from ..parallel import chunks, fork_map
from ..progress import SILENT, Progress
from ..scoring.models import MODELS
from ..scoring.scores import Scores
from . import markup, runtime, theme
from .charts import Point, scatter
from .output import SiteWriter
from .present import Remade
from .views import AccountView, ItemView, RequestView, Site


class Fragments:
    """Rows of the long lists, kept between rebuilds of `roadmap serve`.

    `each(macro, views, *args)` in a template calls the macro once per view. With a
    `Fragments` store, a row rendered by the last rebuild is reused when its view is
    the very same object and the other arguments are equal: `roadmap serve` keeps the
    views an edit cannot reach, so a save renders only the rows it changed. A row
    must show nothing but its arguments, and a macro given to `each` needs a name of
    its own across the templates.
    """

    def __init__(self) -> None:
        self._kept: dict[tuple[Hashable, ...], tuple[object, str]] = {}
        """Rows of the last rebuild."""
        self._used: dict[tuple[Hashable, ...], tuple[object, str]] = {}
        """Rows of this rebuild so far."""

    def each(self, macro: Macro, views: Iterable[Any], *args: Hashable) -> Markup:
        kept, used, rows = self._kept, self._used, []
        for view in views:
            # the id of a view is unique while the view lives, and a kept row keeps it alive
            key = (macro.name, id(view), *args)
            found = used.get(key) or kept.get(key)
            if found is None or found[0] is not view:
                found = (view, macro(view, *args))
            used[key] = found
            rows.append(found[1])
        return Markup("\n".join(rows))

    def done(self) -> None:
        """End of a rebuild: keep the rows it used, and only those."""
        self._kept, self._used = self._used, {}


def _each(macro: Macro, views: Iterable[Any], *args: Any) -> Markup:
    """`each` without a store (a build renders every row once)."""
    return Markup("\n".join(macro(view, *args) for view in views))


def chrome(env: Environment) -> Callable[[str, Site, str, str], Markup]:
    """The `chrome` filter: `{{ "_header.html"|chrome(site, root, nav) }}` is that template
    given only those, rendered once for each (name, root, nav) and reused while `site` is
    the same object.

    For the header and footer of every page (base.html): they differ only by the page's
    depth and navigation entry, a dozen results for 11,000 pages. Such a fragment must
    show nothing but its arguments; a new `site` (each rebuild of `roadmap serve`) renders
    it again. A filter, not a global function: Jinja calls a filter directly, a function
    through `Context.call` (0.6-1 us a call, for its checks).
    """
    made: dict[tuple[str, str, str], Markup] = {}
    made_for: list[Site] = []  # the site of `made`: only it is kept alive, never an older one

    def fragment(name: str, site: Site, root: str, nav: str = "") -> Markup:
        if not made_for or made_for[0] is not site:
            made.clear()
            made_for[:] = [site]
        found = made.get((name, root, nav))
        if found is None:
            html = env.get_template(name).render(site=site, root=root, nav=nav)
            found = made[name, root, nav] = Markup(html)  # autoescaped
        return found

    return fragment


class SiteEnvironment(Environment):
    """The Jinja environment of a site: its templates hold their globals in a plain dict.

    Jinja's default, a ChainMap of a template's own globals over the environment's (so
    that later changes to the environment show through), is walked in Python for every
    context and every `import`: 7 us of a request page's 48. Here every global is set
    when `environment` makes the environment, before any template is loaded.
    """

    context_class = runtime.SiteContext

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}


def environment(
    root: Path,
    render_markdown: Callable[[str], Markup] = markup.render,
    fragments: Fragments | None = None,
) -> Environment:
    """The one Jinja environment: autoescaped HTML and XML, undefined names are errors."""
    env = SiteEnvironment(
        loader=theme.loader(root),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # a template change starts a new environment (and a full build)
        # every template kept in a plain dict: a site has a few dozen, and the default LRU
        # cache takes a lock on each lookup (three per page: the page, base.html, macros)
        cache_size=-1,
    )
    env.template_class = runtime.Template  # escaping in one call per value; quick macros
    env.filters["markdown"] = render_markdown
    env.globals["each"] = fragments.each if fragments is not None else _each
    env.filters["chrome"] = chrome(env)
    return env


@dataclass(frozen=True, slots=True)
class Page:
    """One output file rendered from a template."""

    path: str
    """Output path relative to the site root, with `/`."""
    template: str
    """Template name."""
    nav: str = ""
    """Main navigation entry to mark as current."""
    context: dict[str, Any] = field(default_factory=dict)
    """Extra template variables besides `site`, `root` and `nav`."""
    deps: tuple[object, ...] = ()
    """Everything the page shows: it must be rendered again when any of it changes."""

    @property
    def lists_everything(self) -> bool:
        """An index page: it depends on the whole site."""
        return len(self.deps) == 1 and isinstance(self.deps[0], Site)


def priorities_chart(site: Site, scores: Scores) -> Markup:
    model = MODELS[scores.model]
    points = []
    for item in site.ranking:
        figures = model.chart(scores.items[item.id])
        if figures is not None:
            points.append(Point(item.title, item.url, item.status, figures[1], figures[0]))
    return scatter(points, *model.axes)


def pages(site: Site, scores: Scores, remade: Remade | None = None) -> Iterator[Page]:
    """Every HTML page of the site, for its audience, with what each one shows; only the
    index pages and the pages `remade` names, when given (after an update of the views)."""
    yield from index_pages(site, scores)
    if remade is None:
        yield from (item_page(site, item) for item in site.items)
        yield from (request_page(site, request) for request in site.requests)
        yield from (account_page(site, account) for account in site.accounts)
        return
    by_id = {account.id: account for account in site.accounts} if remade.accounts else {}
    yield from (item_page(site, site.item_index[i]) for i in sorted(remade.items))
    requests = {r.id: r for r in site.requests} if remade.requests else {}
    yield from (request_page(site, requests[r]) for r in sorted(remade.requests))
    yield from (account_page(site, by_id[a]) for a in sorted(remade.accounts))


def index_pages(site: Site, scores: Scores) -> list[Page]:
    """The pages that list the whole roadmap (the audience says which): each shows a bit
    of everything."""
    whole = (site,)
    found = []
    for name, nav in site.audience.index_pages:
        context = {"chart": priorities_chart(site, scores)} if name == "priorities" else {}
        found.append(Page(f"{name}.html", f"{name}.html", nav, context, whole))
    if site.profile is not None:  # only when there is a profile this audience may see
        found.append(Page("profile.html", "profile.html", "profile", {}, whole))
    if site.strategy is not None:  # likewise the strategy
        found.append(Page("strategy.html", "strategy.html", "strategy", {}, whole))
    return found


def item_page(site: Site, item: ItemView) -> Page:
    return Page(item.url, "item.html", "board", {"item": item}, (site.constants, item))


def request_page(site: Site, request: RequestView) -> Page:
    item = site.item_index.get(request.item.id) if request.item else None
    context = {"request": request, "item": item}
    return Page(request.url, "request.html", "requests", context, (site.constants, request, item))


def account_page(site: Site, account: AccountView) -> Page:
    items = tuple(site.item_index.get(r.item.id) for r in account.requests if r.item)
    deps = (site.constants, account, items)
    return Page(account.url, "account.html", "accounts", {"account": account}, deps)


#: Templates a build renders besides its pages' own: what those extend and import, the feeds.
SHARED_TEMPLATES = (
    "base.html", "_header.html", "_footer.html", "_macros.html", "feed.xml", "follow.xml",
)  # fmt: skip


def compile_templates(env: Environment, pages: Iterable[Page]) -> None:
    """Compile the templates of `pages` and the shared ones now, in this process: the
    workers forked to render the pages inherit them instead of each compiling them."""
    for name in sorted({page.template for page in pages}.union(SHARED_TEMPLATES)):
        env.get_template(name)


def render(env: Environment, site: Site, page: Page) -> bytes:
    root = "../" * page.path.count("/")
    template = env.get_template(page.template)
    return template.render(site=site, root=root, nav=page.nav, **page.context).encode("utf-8")


#: Below this many pages a process pool costs more than it saves.
PARALLEL_FROM = 400


def write_pages(
    env: Environment,
    site: Site,
    pages: list[Page],
    writer: SiteWriter,
    jobs: int,
    cache: Cache | None = None,
    extra: Callable[[], Iterable[tuple[str, bytes]]] | None = None,
    progress: Progress = SILENT,
) -> None:
    """Render and write every page, and the `extra` files, on `jobs` processes.

    Markdown is most of a build's time and runs inside page rendering, so pages are
    split over forked workers, each writing its pages into the staging folder; the
    extra files (exports) are one more task beside them. Every page depends only on
    the views: the bytes are the same whatever the number of jobs.
    """
    assert writer.staging is not None
    state = (env, site, pages, writer, cache, extra)
    jobs = jobs if len(pages) >= PARALLEL_FROM else 1
    tasks: list[range | None] = [None, *chunks(len(pages), jobs)]  # the extra task first
    progress.phase("rendering pages", len(pages))

    def rendered(task: range | None) -> None:
        progress.advance(len(task) if task else 0)  # the exports task is no page

    for count, size, new, stamps in fork_map(_render_chunk, state, tasks, jobs, rendered):
        writer.record(count, size, stamps)
        if cache is not None:
            cache.new.update(new)  # what the chunk rendered, saved by the parent


_WriteState = tuple[
    Environment, Site, list["Page"], SiteWriter, Cache | None,
    Callable[[], Iterable[tuple[str, bytes]]] | None,
]  # fmt: skip


def _render_chunk(
    state: _WriteState, indices: range | None
) -> tuple[int, int, dict[str, str], dict[str, Stamp]]:
    env, site, pages, writer, cache, extra = state
    if indices is None:
        files = list(extra()) if extra is not None else []
        size = sum(writer.put(path, data) for path, data in files)
        return len(files), size, {}, writer.take_stamps()
    size = 0
    for index in indices:
        page = pages[index]
        size += writer.put(page.path, render(env, site, page))
    return len(indices), size, cache.take_new() if cache is not None else {}, writer.take_stamps()


def render_pages(
    env: Environment, site: Site, pages: list[Page], jobs: int, cache: Cache | None
) -> dict[str, bytes]:
    """Render `pages` in memory (for `roadmap serve`), on `jobs` processes for many."""
    jobs = jobs if len(pages) >= PARALLEL_FROM else 1
    rendered: dict[str, bytes] = {}
    state = (env, site, pages, cache)
    for done, entries in fork_map(_render_to_memory, state, chunks(len(pages), jobs), jobs):
        rendered.update(done)
        if cache is not None:
            cache.new.update(entries)
    return rendered


def _render_to_memory(
    state: tuple[Environment, Site, list[Page], Cache | None], indices: range
) -> tuple[list[tuple[str, bytes]], dict[str, str]]:
    env, site, pages, cache = state
    files = [(pages[i].path, render(env, site, pages[i])) for i in indices]
    return files, cache.take_new() if cache is not None else {}


def template_problem(exc: TemplateError, root: Path) -> str:
    """`path:line: message` of a template that failed to compile or render, as far as known.

    A syntax error carries its file and line; an error while rendering (an undefined name,
    with undefined names refused) is located by the innermost template frame of its
    traceback, or of the worker's traceback text when a worker rendered the page.
    """
    message = exc.message or type(exc).__name__
    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        return f"{_shown(exc.filename, root)}:{exc.lineno}: {message}"
    frames = [(f.filename, f.lineno) for f in traceback.extract_tb(exc.__traceback__)]
    if isinstance(exc.__cause__, BaseException):  # a worker's, as text (concurrent.futures)
        frames += [(m[1], int(m[2])) for m in _FRAME.finditer(str(exc.__cause__))]
    templates = [(name, line) for name, line in frames if name.endswith((".html", ".xml"))]
    if templates:
        name, line = templates[-1]
        return f"{_shown(name, root)}:{line}: template error: {message}"
    return f"template error: {message}"


#: A frame of a traceback's text: `File "<path>", line <n>`.
_FRAME = re.compile(r'File "([^"]+)", line (\d+)')


def _shown(filename: str, root: Path) -> str:
    """A template's path relative to the project when it is the project's own."""
    try:
        return Path(filename).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return filename
