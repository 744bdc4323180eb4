"""Markdown bodies to safe HTML.

Raw HTML in markdown is escaped, not rendered (`html` is off explicitly: the
commonmark preset turns it on), and markdown-it's `validateLink` refuses
`javascript:`, `vbscript:`, `file:` and non-image `data:` links.
"""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from markupsafe import Markup

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
