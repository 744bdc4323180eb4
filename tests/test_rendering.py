"""The site's Jinja environment: its templates make the contexts Jinja's own would."""

from __future__ import annotations

from pathlib import Path

import jinja2

from generator.site import rendering


def test_a_page_context_holds_what_jinja_would_put_in_it(tmp_path: Path) -> None:
    env = rendering.environment(tmp_path)  # no templates/ of its own: the bundled theme
    env.globals["late"] = "set after the environment, before any template is loaded"
    template = env.get_template("request.html")
    assert type(template) is rendering.PageTemplate
    variables = {"site": object(), "root": "../", "nav": "requests", "each": "shadowed"}
    for shared, local in ((False, None), (False, {"x": 1}), (True, None), (True, {"x": 1})):
        ours = template.new_context(dict(variables), shared, local)
        jinjas = jinja2.Template.new_context(template, dict(variables), shared, local)
        assert ours.get_all() == jinjas.get_all()
        assert ours.globals_keys == jinjas.globals_keys
        assert ours.blocks.keys() == jinjas.blocks.keys()
    assert template.new_context({})["late"] == env.globals["late"]
    assert template.new_context({})["each"] is env.globals["each"]
