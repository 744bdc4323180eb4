"""The fast path of `roadmap serve` against full builds, edit by edit, byte for byte.

Each step edits the example content in a temp copy, rebuilds the live site with the
edited path, and compares every served file with a fresh `roadmap build` of the same
tree. Each step also says which path it must take: the fast path has to be taken for
in-place edits (or this would prove nothing about it), and the full one for edits it
cannot follow.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import FIXED_EPOCH, REPO, REQUEST, site_files

from generator.build import build
from generator.clock import today
from generator.content.files import Kind, content_key
from generator.pipeline import check
from generator.serve.live import LiveSite
from generator.site.audience import AUDIENCES
from generator.site.present import present

Edit = Callable[[str], str]


def sub(pattern: str, replacement: str) -> Edit:
    def edit(text: str) -> str:
        new, count = re.subn(pattern, replacement, text, count=1, flags=re.MULTILINE)
        assert count == 1, f"{pattern!r} not found"
        return new

    return edit


DECISION = "  - {date: 2026-11-01, outcome: accepted, summary: Go.}\n"
#: (file, edit, takes the fast path). Applied in order, each on top of the last.
STEPS: list[tuple[str, Edit | None, bool]] = [
    ("requests/dark-mode.md", sub("^title: Dark mode", "title: Dark mode, please"), True),
    ("requests/okta-sso.md", sub("arr: 410000", "arr: 990000"), True),
    ("requests/okta-sso.md", sub("reach: 800", "reach: 5"), True),
    ("requests/okta-sso.md", sub("^title: .*", "title: Okta, retitled"), True),
    ("requests/okta-sso.md", sub("^roadmap: sso-saml", "roadmap: webhooks"), True),
    ("requests/okta-sso.md", sub("^roadmap: webhooks\n", ""), True),
    ("requests/okta-sso.md", sub("^area: Identity", "roadmap: audit-log\narea: Identity"), True),
    ("roadmap/audit-log.md", sub("^status: next", "status: later"), True),
    ("roadmap/audit-log.md", sub("^title: .*", "title: Audit log, renamed"), True),
    ("roadmap/sso-saml.md", sub("effort: 4", "effort: 0.5"), True),
    ("roadmap/webhooks.md", sub("^decisions:\n", f"decisions:\n{DECISION}"), True),
    ("requests/dark-mode.md", sub("\n---\n", "\n---\nA longer *body*.\n\n"), True),
    ("requests/azure-ad-login.md", sub("^area: Identity", "area: Access"), True),
    ("requests/dark-mode.md", sub("^visibility: public", "visibility: internal"), False),
    ("requests/azure-ad-login.md", sub("^duplicate_of: okta-sso\n", ""), False),
    ("requests/okta-sso.md", sub("stage: customer", "stage: customer\n  - name: Initech"), False),
    ("requests/zz-new-ask.md", lambda _: REQUEST.replace("A request", "Brand new ask"), False),
    ("requests/zz-new-ask.md", None, False),  # deleted
    ("requests/_template.md", sub("\n---\n", "\n---\nTemplate text.\n"), True),
]


def files_of(folder: Path) -> dict[str, bytes]:
    return site_files(folder)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    root = tmp_path / "project"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "roadmap.toml", root / "roadmap.toml")
    return root


@pytest.mark.parametrize("audience", ["internal", "public"])
def test_each_edit_matches_a_full_build(project: Path, tmp_path: Path, audience) -> None:
    live = LiveSite(project, audience, jobs=1)
    assert not live.rebuild().errors
    for number, (name, edit, fast) in enumerate(STEPS):
        path = project / "content" / name
        if edit is None:
            path.unlink()
        else:
            path.write_text(edit(path.read_text() if path.exists() else ""))
        outcome = live.rebuild([str(path)])
        assert not outcome.errors, (name, [d.text() for d in outcome.errors])
        assert outcome.incremental is fast, (number, name)
        full = tmp_path / f"full-{audience}-{number}"
        assert build(project, full, audience, jobs=1, use_cache=False).files
        expected = files_of(full)
        assert sorted(live.files) == sorted(expected), (number, name)
        differ = [p for p in expected if live.files[p] != expected[p]]
        assert not differ, (number, name, differ)
        # and the views themselves, also those the default theme does not show
        result = check(project)
        state = live.state
        assert state is not None
        assert (state.roadmap, state.scores) == (result.roadmap, result.scores), (number, name)
        assert result.roadmap is not None and result.scores is not None
        site = state.site
        again = present(result.roadmap, result.scores, AUDIENCES[audience], site.built, site.commit,
                           state.history, today()).site  # fmt: skip
        assert site == again, (number, name)


def test_fast_path_renders_only_what_an_edit_reaches(project: Path) -> None:
    live = LiveSite(project, "internal", jobs=1)
    everything = live.rebuild().rendered
    path = project / "content/requests/dark-mode.md"
    path.write_text(path.read_text().replace("title: Dark mode", "title: Dark mode, please"))
    outcome = live.rebuild([str(path)])
    assert outcome.incremental
    assert 0 < outcome.rendered < everything / 3
    assert "requests/dark-mode.html" in outcome.changed
    assert "requests.html" in outcome.changed and "requests.json" in outcome.changed
    assert "items/webhooks.html" not in outcome.changed


def test_errors_on_the_fast_path_keep_the_last_good_site(project: Path) -> None:
    live = LiveSite(project, "internal", jobs=1)
    live.rebuild()
    good = dict(live.files)
    path = project / "content/requests/okta-sso.md"
    original = path.read_text()
    path.write_text(original.replace("roadmap: sso-saml", "roadmap: sso-samll"))
    broken = live.rebuild([str(path)])
    assert [d.code for d in broken.errors] == ["E301"]
    assert "did you mean `sso-saml`" in broken.errors[0].message
    assert live.files == good and live.errors == broken.errors
    public = project / "content/requests/dark-mode.md"  # a public file naming an account
    public.write_text(public.read_text().replace("\n---\n", "\n---\nAs Globex Corporation said.\n"))
    assert [d.code for d in live.rebuild([str(public)]).errors] == ["E301"]  # as `check`
    path.write_text(original)
    named = live.rebuild([str(path)])  # the link is fixed: now the name is found
    assert [d.code for d in named.errors] == ["E403"]
    assert named.errors[0].path == "content/requests/dark-mode.md"
    assert live.files == good
    public.write_text((REPO / "content/requests/dark-mode.md").read_text())
    fixed = live.rebuild([str(public)])
    assert not fixed.errors and fixed.incremental
    assert live.files == good


def test_content_keys() -> None:
    assert content_key("content/requests/okta-sso.md") == (Kind.REQUEST, "okta-sso")
    assert content_key("content/roadmap/webhooks.md") == (Kind.ITEM, "webhooks")
    for other in ("content/requests/_template.md", "content/requests/notes.txt",
                  "content/other/x.md", "roadmap.toml"):  # fmt: skip
        assert content_key(other) is None
