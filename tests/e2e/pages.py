"""What the browser tests visit and where they write."""

from __future__ import annotations

from pathlib import Path

#: Where the tests write screenshots for reviewers (git-ignored).
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

#: One page of every type, per audience.
INTERNAL_PAGES = [
    "index.html", "timeline.html", "changes.html", "decisions.html", "requests.html", "accounts.html",
    "priorities.html", "404.html", "items/sso-saml.html", "requests/okta-sso.html",
    "accounts/globex.html", "accounts/hooli.html", "profile.html", "strategy.html",
]  # fmt: skip
PUBLIC_PAGES = [
    "index.html", "timeline.html", "changes.html", "decisions.html", "requests.html", "404.html",
    "items/sso-saml.html", "requests/okta-sso.html", "profile.html", "strategy.html",
]  # fmt: skip
