"""The site's Jinja environment: its templates make the contexts Jinja's own would."""

from __future__ import annotations

from collections import ChainMap
from pathlib import Path

from jinja2.runtime import new_context

from generator.site import rendering


def test_a_page_context_holds_what_jinja_would_put_in_it(tmp_path: Path) -> None:
    env = rendering.environment(tmp_path)  # no templates/ of its own: the bundled theme
    env.globals["late"] = "set after the environment, before any template is loaded"
    template = env.get_template("request.html")
    assert type(env) is rendering.SiteEnvironment
    assert type(template.globals) is dict and template.globals == env.globals
    chained = ChainMap({}, env.globals)  # what Jinja's own environment gives a template
    variables = {"site": object(), "root": "../", "nav": "requests", "each": "shadowed"}
    for shared, local in ((False, None), (False, {"x": 1}), (True, None), (True, {"x": 1})):
        ours = template.new_context(dict(variables), shared, local)
        jinjas = new_context(env, template.name, template.blocks, dict(variables), shared,
                             chained, local)  # fmt: skip
        assert ours.get_all() == jinjas.get_all()
        assert ours.globals_keys == jinjas.globals_keys
    own = env.from_string("{{ mine }} {{ late }}", globals={"mine": "its own", "late": "wins"})
    assert own.render() == "its own wins"  # a template's own globals overlay the environment's
    assert "mine" not in env.globals


def test_compiled_templates_are_all_a_build_renders() -> None:
    """The build compiles templates once, before forking its page workers: nothing a
    page or an export renders may be left for each worker to compile again."""
    from helpers import REPO

    from generator.clock import today
    from generator.git import history
    from generator.pipeline import check
    from generator.site import exports
    from generator.site.audience import AUDIENCES
    from generator.site.present import present

    result = check(REPO)
    assert result.roadmap is not None and result.scores is not None
    for audience in AUDIENCES.values():
        site = present(result.roadmap, result.scores, audience, "2026-01-01 00:00 UTC", "",
                       history(REPO), today()).site  # fmt: skip
        env = rendering.environment(REPO)
        pages = list(rendering.pages(site, result.scores))
        rendering.compile_templates(env, pages)
        assert env.cache is not None
        compiled = set(env.cache)
        for page in pages:
            rendering.render(env, site, page)
        list(exports.exports(env, site, result.roadmap, result.scores))
        assert set(env.cache) == compiled, audience.name
