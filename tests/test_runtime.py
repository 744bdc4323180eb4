"""The templates' escape function gives MarkupSafe's answer for every value."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import markupsafe
from hypothesis import given
from hypothesis import strategies as st
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
