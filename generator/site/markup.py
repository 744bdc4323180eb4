"""Markdown bodies to safe HTML.

Raw HTML in markdown is escaped, not rendered (`html` is off explicitly: the
commonmark preset turns it on), and markdown-it's `validateLink` refuses
`javascript:`, `vbscript:`, `file:` and non-image `data:` links.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache

from markdown_it import MarkdownIt
from markupsafe import Markup

from ..cache import Cache
from ..parallel import Spare

#: Parser preset, options and extra rules: part of the markdown cache's fingerprint.
OPTIONS = (
    "commonmark",
    {"html": False, "linkify": False, "typographer": False},
    ("table", "strikethrough"),
)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    preset, options, rules = OPTIONS
    return MarkdownIt(preset, dict(options)).enable(list(rules))


def render(text: str) -> Markup:
    """HTML for a markdown body; the output is safe to insert into a page."""
    # html is off, so the renderer has escaped every raw tag: the output is safe
    return Markup(_parser().render(text))


#: Markdown per task of `Ahead`, in characters (~50 short requests, ~15 roadmap items):
#: small enough that taking the results waits little (for the tasks under way).
AHEAD_CHARS = 15_000
#: Below this many bodies, rendering them ahead costs more than it saves.
AHEAD_FROM = 400


class Ahead:
    """Markdown bodies rendered on a spare core while the first phase goes on.

    Once a build has read its files it knows every body, and the second core, which
    parsed half the frontmatter, would sit idle while this process validates, links,
    scores and makes the views: it renders bodies meanwhile. `finish` takes what it
    has done by then; the pages render the rest themselves, so the output is the same.
    With a `cache`, bodies it holds are taken from it, and what was rendered is saved
    to it with the pages' own (`Cache.adopt`).
    """

    def __init__(self, cache: Cache | None, jobs: int) -> None:
        self._cache = cache
        self._jobs = jobs
        self._texts: list[str] = []
        self._spare: Spare[range, tuple[list[str], dict[str, str]]] | None = None
        self._done: dict[str, Markup] = {}

    def start(self, texts: Iterable[str]) -> None:
        """Begin rendering `texts` (duplicates and blank ones are skipped)."""
        self._texts = list(dict.fromkeys(t for t in texts if t.strip()))
        if len(self._texts) < AHEAD_FROM:
            return
        tasks, start, size = [], 0, 0
        for end, text in enumerate(self._texts, 1):
            size += len(text)
            if size >= AHEAD_CHARS or end == len(self._texts):
                tasks.append(range(start, end))
                start, size = end, 0
        self._spare = Spare(_render_part, (self._texts, self._cache), tasks, self._jobs)

    def finish(self) -> Callable[[str], Markup]:
        """The markdown filter for the pages: what was rendered ahead, else a render."""
        if self._spare is not None:
            for part, (htmls, new) in self._spare.take():
                self._done.update(
                    zip((self._texts[i] for i in part), map(Markup, htmls), strict=True)
                )
                if self._cache is not None:
                    self._cache.adopt(new)
            self._spare = None
        done, fallback = self._done, self._cache.render if self._cache else render
        return lambda text: done.get(text) or fallback(text)

    def close(self) -> None:
        """Stop the spare worker if it is still running (after an error)."""
        if self._spare is not None:
            self._spare.close()
            self._spare = None


def _render_part(
    state: tuple[list[str], Cache | None], part: range
) -> tuple[list[str], dict[str, str]]:
    texts, cache = state
    if cache is None:
        return [str(render(texts[i])) for i in part], {}
    return [str(cache.render(texts[i])) for i in part], cache.take_new()
