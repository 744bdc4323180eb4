"""What compiled templates call gives what Jinja and MarkupSafe would: escaping for every
value, macros and the context's calls for every kind of call."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import markupsafe
import pytest
from hypothesis import given
from hypothesis import strategies as st
from jinja2 import Environment, StrictUndefined, UndefinedError, pass_context
from jinja2.runtime import Macro
from markupsafe import Markup

from generator.site import rendering, runtime


class _Safe:
    """An object that renders itself as HTML, like a macro's result or a chart."""

    def __init__(self, html: str) -> None:
        self.html = html

    def __html__(self) -> str:
        return self.html


class _Text(str):
    """A str subclass: escaped as text, not taken as safe."""


TEXT = st.text(alphabet=st.sampled_from("ab <>&'\"\u00e9\U0001f600\n"), max_size=30) | st.text()
VALUES = st.one_of(
    TEXT,
    TEXT.map(Markup),
    TEXT.map(_Safe),
    TEXT.map(_Text),
    st.integers(),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
    st.dates(),
    st.decimals(allow_nan=False),
    st.lists(TEXT, max_size=3),
)


@given(VALUES)
def test_escape_equals_markupsafe_for_every_value(value: object) -> None:
    expected = markupsafe.escape(value)
    found = runtime.escape(value)
    assert type(found) is Markup
    assert str.__str__(found) == str.__str__(expected)


def test_the_quick_route_is_used_where_markupsafe_has_its_c_core() -> None:
    # with MarkupSafe 3 in C, the quick route must be the one taken (else nothing is saved)
    assert runtime.escape is runtime._escape
    assert runtime.escape(dt.date(2026, 1, 2)) == "2026-01-02"
    assert runtime.escape('<a href="x">') == "&lt;a href=&#34;x&#34;&gt;"


def test_every_template_of_the_environment_escapes_with_it(tmp_path: Path) -> None:
    env = rendering.environment(tmp_path)
    page = env.from_string(
        "{% macro row(v) %}<td>{{ v }}</td>{% endmacro %}{% block b %}{{ v }}{% endblock %}"
        "{{ row(v) }}"
    )
    assert page.root_render_func.__globals__["escape"] is runtime.escape
    assert page.blocks["b"].__globals__["escape"] is runtime.escape
    value = "<script>alert('x')</script>"
    escaped = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"
    assert page.render(v=value) == f"{escaped}<td>{escaped}</td>"
    assert page.render(v=Markup("<b>ok</b>")) == "<b>ok</b><td><b>ok</b></td>"
    names = env.list_templates(filter_func=lambda n: n.endswith((".html", ".xml")))
    assert "request.html" in names  # the bundled theme
    for name in names:
        template = env.get_template(name)
        assert template.root_render_func.__globals__["escape"] is runtime.escape, name


MACROS = """{% macro m(a, b="d") %}[{{ a }}{{ b }}{% if caller is defined %}{{ caller() }}{% endif %}]{% endmacro %}
{% macro rest(a) %}<{{ a }}{{ varargs|join("+") }}{{ kwargs|dictsort|join }}>{% endmacro %}
{% macro amp() %}&{% endmacro %}
{% macro more(a) %}({{ a }}{{ varargs|join("+") }}){% endmacro %}
"""


def _jinjas(autoescape: bool) -> Environment:
    """Jinja's own environment, set up as the site's (see `rendering.environment`)."""
    return Environment(autoescape=autoescape, undefined=StrictUndefined, trim_blocks=True,
                       lstrip_blocks=True, keep_trailing_newline=True)  # fmt: skip


def test_calls_give_what_jinjas_own_context_and_macros_give(tmp_path: Path) -> None:
    """`SiteContext.call` skips Jinja's checks for macros and built-in methods only, and a
    `SiteMacro` runs at once when called plainly: every kind of call, in a loop and in a
    block (Jinja passes those their variables), renders as with Jinja's own."""

    @pass_context
    def ctx(context: Any, name: str) -> str:
        return f"{name}={context.get('x', 'unset')}"

    source = (
        MACROS
        + """{% block body %}{% set x = 1 %}{% for v in values %}{% set y = v %}
{{ m(v) }}{{ m(a=v, b=y) }}{{ m(v, y) }}{% call m(v) %}c{{ x }}{% endcall %}{{ amp() }}
{{ rest(v) }}{{ rest(v, 1, 2) }}{{ rest(v, k=y) }}{{ more(v) }}{{ more(v, 3) }}{{ lookup.get(v, "none") }}{{ get("k") }}
{{ ctx("n") }}{{ plain(v) }}|{{ "<&>"|e }}{% endfor %}{% endblock %}"""
    )
    variables = {
        "values": ["a<", "b"], "lookup": {"b": "B"}, "get": {"k": "K"}.get, "ctx": ctx,
        "plain": str.upper,
    }  # fmt: skip
    ours = rendering.environment(tmp_path)
    assert ours.context_class is runtime.SiteContext
    rendered = ours.from_string(source).render(**variables)
    assert rendered == _jinjas(True).from_string(source).render(**variables)
    assert "[a&lt;d][a&lt;a&lt;][a&lt;a&lt;]" in rendered and "[bdc1]" in rendered
    assert "<a&lt;1+2>" in rendered and "noneK" in rendered and "[a&lt;dc1]&\n" in rendered
    module = ours.from_string(MACROS).module
    assert type(module.m) is runtime.SiteMacro and isinstance(module.m, Macro)
    # a built-in that raises StopIteration: an undefined value, an error once shown
    for env in (ours, _jinjas(True)):
        with pytest.raises(UndefinedError, match="StopIteration"):
            env.from_string("{{ next(empty) }}").render(next=next, empty=iter(()))


WRONG_CALLS = ["m()", "m(1, 2, 3)", "m(1, c=2)", "m(1, 2, c=3)", "amp(1)", "amp(c=1)",
               "m(1, caller=2)", "more(a=1, b=2)"]  # fmt: skip


@pytest.mark.parametrize("call", WRONG_CALLS)
def test_a_macro_called_wrongly_fails_as_jinjas_does(tmp_path: Path, call: str) -> None:
    source = MACROS + "{{ " + call + " }}"
    failures = []
    for env in (rendering.environment(tmp_path), _jinjas(True)):
        try:
            failures.append(env.from_string(source).render())
        except Exception as exc:
            failures.append(f"{type(exc).__name__}: {exc}")
    assert failures[0] == failures[1], call


def test_a_macro_of_a_template_without_autoescape_gives_text(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates/plain.txt").write_text(MACROS + "{{ m('<b>') }}{{ rest('<') }}")
    ours = rendering.environment(tmp_path).get_template("plain.txt")
    theirs = _jinjas(False).from_string(MACROS + "{{ m('<b>') }}{{ rest('<') }}")
    assert ours.render() == theirs.render() and "[<b>d]" in ours.render()
    assert type(ours.module.m("<")) is str and type(theirs.module.m("<")) is str
