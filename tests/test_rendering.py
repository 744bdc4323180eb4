"""The site's Jinja environment: its templates make the contexts Jinja's own would."""

from __future__ import annotations

from collections import ChainMap
from dataclasses import replace
from pathlib import Path
from typing import Any

from helpers import REPO
from jinja2 import Template
from jinja2.runtime import new_context

from generator.pipeline import CheckResult
from generator.scoring.scores import Scores
from generator.site import rendering
from generator.site.audience import AudienceName
from generator.site.views import Site


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
    from generator.site import exports
    from generator.site.audience import AUDIENCES

    for audience in AUDIENCES.values():
        result, site = _presented(audience.name)
        assert result.roadmap is not None and result.scores is not None
        env = rendering.environment(REPO)
        pages = list(rendering.pages(site, result.scores))
        rendering.compile_templates(env, pages)
        assert env.cache is not None
        compiled = set(env.cache)
        for page in pages:
            rendering.render(env, site, page)
        list(exports.exports(env, site, result.roadmap, result.scores))
        assert set(env.cache) == compiled, audience.name


def _presented(audience: AudienceName) -> tuple[CheckResult, Site]:
    """The example project checked, and its site for `audience`."""
    from generator.clock import today
    from generator.git import history
    from generator.pipeline import check
    from generator.site.audience import AUDIENCES
    from generator.site.present import present

    result = check(REPO)
    assert result.roadmap is not None and result.scores is not None
    site = present(result.roadmap, result.scores, AUDIENCES[audience],
                   "2026-01-01 00:00 UTC", "", history(REPO), today()).site  # fmt: skip
    return result, site


def _example_site() -> tuple[Site, Scores]:
    result, site = _presented("internal")
    assert result.scores is not None
    return site, result.scores


def test_the_header_and_footer_are_rendered_once_for_each_depth_and_entry() -> None:
    """Every page's header and footer (the `chrome` filter): made once per (root, nav), each
    the same as a render of its own; made again for another site (`roadmap serve`)."""
    site, scores = _example_site()
    env = rendering.environment(REPO)
    made: list[str] = []
    get_template = env.get_template

    def counted(name: str | Template, *args: Any, **kwargs: Any) -> Template:
        if name in ("_header.html", "_footer.html"):
            made.append(str(name))
        return get_template(name, *args, **kwargs)

    env.get_template = counted  # type: ignore[method-assign]
    pages = list(rendering.pages(site, scores))
    for page in pages:
        html = rendering.render(env, site, page).decode()
        root = "../" * page.path.count("/")
        for name, nav in (("_header.html", page.nav), ("_footer.html", "")):
            alone = get_template(name).render(site=site, root=root, nav=nav)
            assert alone in html, (page.path, name)
    kinds = {("../" * p.path.count("/"), p.nav) for p in pages}
    assert len(made) == len(kinds) + len({root for root, _ in kinds}) < len(pages)
    renamed = replace(site, title="Another title", built="another time")
    html = rendering.render(env, renamed, pages[0]).decode()
    assert '<a class="site-title" href="index.html">Another title</a>' in html
    assert "Built another time" in html


def test_a_project_can_override_the_header_alone(tmp_path: Path) -> None:
    site, scores = _example_site()
    (tmp_path / "templates").mkdir()
    header = "<header>{{ site.title }} at {{ root }}</header>\n"
    (tmp_path / "templates/_header.html").write_text(header)
    env = rendering.environment(tmp_path)
    page = next(p for p in rendering.pages(site, scores) if p.template == "request.html")
    html = rendering.render(env, site, page).decode()
    assert f"<header>{site.title} at ../</header>\n<main" in html
    assert '<footer class="site-footer">' in html  # the theme's
