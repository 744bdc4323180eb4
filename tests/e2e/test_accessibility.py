"""Accessibility in a real browser: axe-core, keyboard-only use, small screens."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from pages import INTERNAL_PAGES, PUBLIC_PAGES, SCREENSHOTS

FOCUSABLE = "a[href], button, input, select, textarea, [tabindex]:not([tabindex='-1'])"


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


@pytest.mark.parametrize(
    ("audience", "path"),
    [("internal", p) for p in INTERNAL_PAGES] + [("public", p) for p in PUBLIC_PAGES],
)
def test_no_serious_or_critical_axe_violation(watched, server, axe, audience, path):
    page, _ = watched
    page.goto(f"{server}/{audience}/{path}")
    results = axe.run(page)
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    assert results.response["passes"], "axe ran no rule"


@pytest.mark.parametrize(
    "path",
    ["index.html", "requests.html", "decisions.html", "priorities.html", "items/sso-saml.html"],
)
def test_keyboard_reaches_every_filter_and_link(watched, server, path):
    page, _ = watched
    page.goto(f"{server}/internal/{path}")
    expected = page.evaluate(
        f"""Array.from(document.querySelectorAll("{FOCUSABLE}"))
              .filter(e => e.getClientRects().length)
              .map((e, i) => e.dataset.kbd = String(i)).length"""
    )
    reached: set[str] = set()
    for _ in range(expected + 5):
        page.keyboard.press("Tab")
        marker = page.evaluate("document.activeElement && document.activeElement.dataset.kbd")
        if marker is not None:
            reached.add(marker)
    assert len(reached) == expected, f"{expected - len(reached)} of {expected} never focused"
    page.keyboard.press("Shift+Tab")  # the focus ring is visible where focus lands
    page.goto(f"{server}/internal/{path}")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"


def test_filters_work_from_the_keyboard(watched, server):
    page, problems = watched
    page.goto(f"{server}/internal/requests.html")
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Enter")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "request-search":
            break
    page.keyboard.type("okta")
    assert page.locator("#request-table tbody tr:visible").count() == 1
    page.keyboard.press("Tab")  # to the status filter
    assert page.evaluate("document.activeElement.id") == "status-filter"
    assert not problems, problems


@pytest.mark.parametrize(
    ("name", "path"),
    [("board", "index.html"), ("item", "items/sso-saml.html"), ("requests", "requests.html"),
     ("account", "accounts/globex.html"), ("accounts", "accounts.html"),
     ("profile", "profile.html"), ("strategy", "strategy.html")],
)  # fmt: skip
@pytest.mark.parametrize(
    ("device", "width", "height"), [("desktop", 1280, 800), ("phone", 390, 844)]
)
def test_screenshots_and_no_horizontal_overflow(browser, server, name, path, device, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(f"{server}/internal/{path}")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{path} is {overflow}px wider than a {width}px screen"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name}-{device}.png"
    page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 10_000
    context.close()


def test_print_layout_hides_navigation(watched, server):
    page, _ = watched
    page.goto(f"{server}/internal/requests.html")
    page.emulate_media(media="print")
    assert page.locator(".site-header nav").is_hidden()
    assert page.locator(".filters").is_hidden()
    assert page.locator(".internal-banner").is_visible()
