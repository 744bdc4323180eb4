"""What compiled templates call at run time: escaping, macros, and the context's calls.

MarkupSafe 3 made `escape` a Python function around its C core, and `Markup(...)` a
Python `__new__`: every `{{ value }}` of every page paid two Python calls, a fifth of a
request page's rendering and 0.25 s of CPU per 10,000-request build. `escape` here
returns the same text, as the same Markup type, in one: compiled templates look the
name up in their module's globals, which `Template` points at it. It points `Macro` at
`SiteMacro` the same way, and the site's environment makes its contexts `SiteContext`:
both call what Jinja's own would, with fewer checks where none can apply.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from types import BuiltinMethodType, CodeType
from typing import Any

import jinja2
import markupsafe
from jinja2.nodes import EvalContext
from jinja2.runtime import Context, Macro
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


class SiteMacro(Macro):
    """A macro that runs at once when called plainly: with as many positional arguments as
    it takes, no keywords, and no `caller` or catch-all arguments in it.

    Jinja's `Macro.__call__` sorts out keywords, defaults and callers first on every call:
    0.5 us of each of a 10,000-request build's 56,000 macro calls (the `status` macro
    40,000 times, a row macro per request). Any other call is Jinja's own.
    """

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if (
            kwargs or len(args) != self._argument_count
            or self.caller or self.catch_kwargs or self.catch_varargs
            or (args and isinstance(args[0], EvalContext)) or self._environment.is_async
        ):  # fmt: skip
            return super().__call__(*args, **kwargs)
        html = self._func(*args)
        # as Jinja's `_invoke`: Markup(html), for the text (a str or a Markup) of the macro
        return _new(Markup, html) if self._default_autoescape else html


class SiteContext(Context):
    """A template context whose calls of macros and of built-in methods skip Jinja's checks.

    `Context.call` looks for `pass_context`-style markers on the callable and on its
    `__call__` before calling; a macro and a built-in method (`dict.get`) can carry none,
    and failing those lookups cost 0.6 us of each call: 55,000 calls per 10,000-request
    build, most of them the `status` macro. Everything else goes through Jinja's checks.
    """

    def call(__self, __obj: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if type(__obj) in _PLAIN_CALLS:
            kwargs.pop("_block_vars", None)  # what Jinja's own call drops, as it does
            kwargs.pop("_loop_vars", None)
            try:
                return __obj(*args, **kwargs)
            except StopIteration:
                return __self.environment.undefined(
                    "value was undefined because a callable raised a StopIteration exception"
                )
        return super().call(__obj, *args, **kwargs)


#: Callables that can carry no `pass_context`-style marker.
_PLAIN_CALLS = frozenset({SiteMacro, Macro, BuiltinMethodType})


class Template(jinja2.Template):
    """A template whose `{{ value }}` escapes with :func:`escape`, whose macros are
    `SiteMacro`s."""

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
        template.root_render_func.__globals__["Macro"] = SiteMacro
        return template
