"""A sales rep's walk through the site, in Chromium, from every kind of origin."""

from __future__ import annotations

import json

import pytest
from pages import INTERNAL_PAGES, PUBLIC_PAGES


def base_url(origin: str, server: str, sites) -> str:
    return {
        "http-root": f"{server}/internal/",
        "http-subpath": f"{server}/project/sub/path/",
        "file": sites["internal"].as_uri() + "/",
    }[origin]


def h1(page) -> str:
    return page.locator("h1").inner_text()


@pytest.mark.parametrize("origin", ["http-root", "http-subpath", "file"])
def test_board_to_item_to_request_to_account(watched, server, sites, origin):
    page, problems = watched
    page.goto(base_url(origin, server, sites) + "index.html")
    assert "Internal, do not forward." in page.locator(".internal-banner").inner_text()
    now = page.locator(".column-now article h3 a")
    assert now.all_inner_texts() == [
        "SAML single sign-on and SCIM provisioning",
        "Two-way Salesforce sync",
        "Move the database to PostgreSQL 16",
    ]
    now.first.click()
    assert h1(page) == "SAML single sign-on and SCIM provisioning"
    assert "RICE 1,046.25" in page.locator(".explanation").inner_text()
    page.get_by_role("link", name="SSO with Okta for 2,000 staff").click()
    assert h1(page) == "SSO with Okta for 2,000 staff"
    assert "Where it stands: now" in page.locator("#standing").inner_text()
    page.locator(".entry").get_by_role("link", name="Globex Corporation").click()
    assert h1(page) == "Globex Corporation strategic account"
    assert page.locator("tbody tr").count() == 4
    assert "meets: seats at least 200" in page.locator("#fit + ul").inner_text()
    page.get_by_role("link", name="our target profile").click()
    assert h1(page) == "Who we build for"
    assert "seats at least 200" in page.locator(".criteria").inner_text()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Decisions").click()
    assert h1(page) == "Decision log"
    assert not problems, problems


@pytest.mark.parametrize(
    ("audience", "path"),
    [("internal", p) for p in INTERNAL_PAGES] + [("public", p) for p in PUBLIC_PAGES],
)
def test_every_page_type_loads_cleanly(watched, server, audience, path):
    """No console error and no failed request (the favicon included) on any page."""
    page, problems = watched
    response = page.goto(f"{server}/{audience}/{path}")
    assert response.ok
    page.wait_for_load_state("networkidle")
    assert page.locator("main h1").count() == 1
    assert not problems, problems


@pytest.mark.parametrize("origin", ["http-subpath", "file"])
def test_every_page_type_loads_cleanly_off_the_server_root(watched, server, sites, origin):
    page, problems = watched
    for path in INTERNAL_PAGES:
        page.goto(base_url(origin, server, sites) + path)
        page.wait_for_load_state("load")
        stylesheet_applied = page.evaluate(
            "getComputedStyle(document.querySelector('.site-header')).display"
        )
        assert stylesheet_applied == "flex", path  # the relative CSS link resolved
    assert not problems, problems


def visible_titles(page) -> list[str]:
    return page.locator("#request-table tbody tr:visible td:first-child a").all_inner_texts()


def test_request_search_filters_and_sorting(watched, server):
    page, problems = watched
    page.goto(f"{server}/internal/requests.html")
    assert len(visible_titles(page)) == 29
    assert page.locator("output.shown").inner_text() == "29 of 29 shown"

    page.get_by_label("Search").fill("salesforce")
    assert sorted(visible_titles(page)) == [
        "Health score on the Salesforce account page",
        "Push account owner back to Salesforce",
        "Salesforce import runs only nightly",
    ]
    assert page.locator("output.shown").inner_text() == "3 of 29 shown"
    page.get_by_label("Search").fill("")

    page.get_by_label("Status").select_option("declined")
    assert sorted(visible_titles(page)) == [
        "An iPhone app for executives", "Android app for field CSMs", "Dashboards without internet",
    ]  # fmt: skip
    page.get_by_label("Status").select_option("")

    page.get_by_label("Area").select_option("Identity")
    assert len(visible_titles(page)) == 5
    page.get_by_label("Account").select_option(label="Globex Corporation")
    assert sorted(visible_titles(page)) == [
        "Block password logins once SSO is on",
        "SSO with Okta for 2,000 staff",
    ]
    page.get_by_label("Area").select_option("")
    assert len(visible_titles(page)) == 4

    page.get_by_label("Account").select_option("")
    score = page.get_by_role("button", name="Score")
    score.click()
    assert page.locator("th[data-sort=score]").get_attribute("aria-sort") == "ascending"
    score.click()
    assert page.locator("th[data-sort=score]").get_attribute("aria-sort") == "descending"
    scores = [float(s) for s in page.locator("#request-table tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.score)"
    )]  # fmt: skip
    assert scores == sorted(scores, reverse=True)
    assert visible_titles(page)[0] == "Weekly PDF digest for managers"
    submitted = page.get_by_role("button", name="Submitted")
    submitted.click()
    assert visible_titles(page)[0] == "Import two years of history from CSV"  # 2026-01-20
    submitted.click()
    assert visible_titles(page)[0] == "Reports by our fiscal year"  # 2026-11-12
    assert not problems, problems


def test_decision_log_filter(watched, server):
    page, problems = watched
    page.goto(f"{server}/internal/decisions.html")
    rows = page.locator("#decision-table tbody tr:visible")
    assert rows.count() == 18
    for outcome, expected in [("declined", 2), ("shipped", 2), ("accepted", 8), ("", 18)]:
        page.get_by_label("Outcome").select_option(outcome)
        assert rows.count() == expected, outcome
        if outcome:
            outcomes = rows.evaluate_all("rows => rows.map(r => r.dataset.outcome)")
            assert set(outcomes) == {outcome}
    # "why not" as a reason: capacity (sso-saml, data-residency-eu), demand (three)
    for reason, expected in [("capacity", 2), ("demand", 3), ("compliance", 1), ("", 18)]:
        page.get_by_label("Reason").select_option(reason)
        assert rows.count() == expected, reason
        if reason:
            assert set(rows.evaluate_all("rows => rows.map(r => r.dataset.reason)")) == {reason}
    page.get_by_label("Outcome").select_option("declined")
    page.get_by_label("Reason").select_option("demand")
    assert rows.count() == 2  # both filters at once: mobile-app and offline-desktop
    assert "Why: not enough demand yet" in rows.first.inner_text()
    assert not problems, problems


def test_exports_open(watched, server):
    page, problems = watched
    page.goto(f"{server}/internal/index.html")
    for name in ("roadmap.json", "requests.json", "requests.csv", "feed.xml"):
        href = page.locator("footer").get_by_role("link", name=name.split(".")[0], exact=False)
        assert href.count() >= 1
    roadmap = page.request.get(f"{server}/internal/roadmap.json")
    assert roadmap.ok and json.loads(roadmap.text())["entries"][0]["id"] == "scheduled-reports"
    csv = page.request.get(f"{server}/internal/requests.csv")
    assert csv.ok and csv.text().startswith("rank,id,title,status,score")
    feed = page.request.get(f"{server}/internal/feed.xml")
    assert feed.ok and "<feed" in feed.text()
    assert not problems, problems
    # Opened as a document, a JSON file shows as text. (Chromium then asks the host
    # root for /favicon.ico, which a site under a sub-path cannot serve: an export
    # has no <link rel=icon> to say otherwise, so that request is not checked here.)
    page.goto(f"{server}/internal/roadmap.json")
    assert "scheduled-reports" in page.content()
