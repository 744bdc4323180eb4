"""What compiled templates call at run time: MarkupSafe's escaping, in one call per value.

MarkupSafe 3 made `escape` a Python function around its C core, and `Markup(...)` a
Python `__new__`: every `{{ value }}` of every page paid two Python calls, a fifth of a
request page's rendering and 0.25 s of CPU per 10,000-request build. `escape` here
returns the same text, as the same Markup type, in one: compiled templates look the
name up in their module's globals, which `Template` points at it.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from types import CodeType
from typing import Any

import jinja2
import markupsafe
from markupsafe import Markup

_escape_inner: Callable[[str], str] | None
try:  # the C core of MarkupSafe >= 3.0 (older releases escape in C already)
    from markupsafe._speedups import _escape_inner
except ImportError:  # pragma: no cover - pure-Python MarkupSafe, or 2.x
    _escape_inner = None

_new = str.__new__


def _escape(value: Any, /) -> Markup:
    """`markupsafe.escape(value)`, without its Python-level `Markup.__new__`."""
    if type(value) is str:
        return _new(Markup, _escape_inner(value))  # type: ignore[misc]
    if type(value) is Markup:
        return value  # markupsafe returns an equal copy: text is immutable
    html = getattr(value, "__html__", None)
    if html is not None:
        return Markup(html())  # already safe: Markup's own rules, as markupsafe does
    return _new(Markup, _escape_inner(str(value)))  # type: ignore[misc]


#: The escape function the templates call: the quick one where MarkupSafe has its C core.
escape: Callable[[Any], Markup] = _escape if _escape_inner is not None else markupsafe.escape


class Template(jinja2.Template):
    """A template whose `{{ value }}` escapes with :func:`escape`."""

    @classmethod
    def from_code(
        cls,
        environment: jinja2.Environment,
        code: CodeType,
        globals: MutableMapping[str, Any],
        uptodate: Callable[[], bool] | None = None,
    ) -> jinja2.Template:
        template = super().from_code(environment, code, globals, uptodate)
        # the render function, the blocks and the macros share the module's globals
        template.root_render_func.__globals__["escape"] = escape
        return template
