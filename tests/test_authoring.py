"""`roadmap new`, `roadmap schema` and the hook definitions."""

from __future__ import annotations

import json

import yaml
from helpers import ITEM, REPO, roadmap, write_tree

from generator.pipeline import check


def test_new_request_and_item_write_valid_files(tmp_path):
    root = write_tree(tmp_path, {"content/roadmap/sso.md": ITEM})
    item = roadmap(
        "new", "item", "Offline mode: sync later!", "--status", "declined", "--root", str(root)
    )
    assert item.returncode == 0, item.stderr
    assert item.stdout.strip() == "content/roadmap/offline-mode-sync-later.md"
    shipped = roadmap(
        "new", "item", "Audit log", "--status", "shipped", "--owner", "Ann", "--root", str(root)
    )
    assert shipped.stdout.strip() == "content/roadmap/audit-log.md"
    request = roadmap(
        "new", "request", "SSO for Okta", "--account", "Globex, Inc.", "--arr", "120000",
        "--stage", "customer", "--account", "Initech", "--requester", "Maya (AE)",
        "--roadmap", "sso", "--root", str(root),
    )  # fmt: skip
    assert request.stdout.strip() == "content/requests/sso-for-okta.md"
    result = check(root)
    assert result.report.diagnostics == []  # valid, and no warning either
    written = result.roadmap.requests["sso-for-okta"]
    assert written.meta.submitted.isoformat() == "2026-01-10"  # today (SOURCE_DATE_EPOCH)
    assert [(a.name, a.arr, a.stage) for a in written.meta.accounts] == [
        ("Globex, Inc.", 120000, "customer"), ("Initech", None, None),
    ]  # fmt: skip
    assert written.meta.requester == "Maya (AE)" and written.item == "sso"
    text = (root / "content/requests/sso-for-okta.md").read_text()
    assert "# area: Product area" in text and "# rice:" in text  # fields to fill, as comments
    assert result.roadmap.items["offline-mode-sync-later"].status == "declined"


def test_new_request_names_an_account_with_a_file_by_its_id(tmp_path):
    account = "---\nname: Globex Corporation\narr: 410000\naliases: [Globex]\n---\n"
    root = write_tree(tmp_path, {"content/accounts/globex.md": account})
    made = roadmap(
        "new", "request", "SSO", "--account", "GLOBEX", "--arr", "410000",
        "--account", "Initech", "--requester", "Ann", "--root", str(root),
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    text = (root / "content/requests/sso.md").read_text()
    assert "  - account: globex\n  - name: Initech\n" in text
    result = check(root)
    assert result.report.diagnostics == []
    assert [a.account for a in result.roadmap.requests["sso"].accounts] == ["globex", None]


def test_new_never_overwrites(tmp_path):
    root = write_tree(tmp_path, {"content/requests/sso-for-okta.md": "keep me"})
    first = roadmap("new", "request", "SSO for Okta", "--root", str(root))
    second = roadmap("new", "request", "SSO for Okta", "--root", str(root))
    assert [first.stdout.strip(), second.stdout.strip()] == [
        "content/requests/sso-for-okta-2.md", "content/requests/sso-for-okta-3.md",
    ]  # fmt: skip
    assert (root / "content/requests/sso-for-okta.md").read_text() == "keep me"


def test_new_refuses_a_missing_item_and_bad_titles(tmp_path):
    root = write_tree(tmp_path, {})
    missing = roadmap("new", "request", "X", "--roadmap", "nope", "--root", str(root))
    assert missing.returncode == 2 and "no roadmap item 'nope'" in missing.stderr
    assert roadmap("new", "item", "  ", "--root", str(root)).returncode == 2
    assert roadmap("new", "item", "x" * 201, "--root", str(root)).returncode == 2
    assert list((root / "content").rglob("*.md")) == []


def test_json_schema_comes_from_the_validating_model(tmp_path):
    root = write_tree(
        tmp_path, {"roadmap.toml": '[fields.tier]\ntype = "choice"\nvalues = ["a", "b"]\n'}
    )
    schemas = json.loads(roadmap("schema", "--root", str(root)).stdout)
    item = schemas["item"]
    assert item["additionalProperties"] is False
    assert item["required"] == ["title", "status"]
    assert item["properties"]["status"]["enum"] == ["now", "next", "later", "shipped", "declined"]
    assert item["properties"]["fields"]["properties"] == {"tier": {"enum": ["a", "b"]}}
    assert item["properties"]["title"]["description"] == "One line, 1-200 characters."
    request = schemas["request"]
    assert set(request["required"]) == {"title", "submitted", "requester"}
    rice = request["$defs"]["RequestRice"]
    assert rice["required"] == ["reach", "impact", "confidence", "effort"]
    assert {"type": "number"} in rice["properties"]["confidence"]["anyOf"]


def test_committed_frontmatter_json_is_up_to_date():
    generated = json.loads(roadmap("schema", "--format", "frontmatter-cms").stdout)
    assert json.loads((REPO / "frontmatter.json").read_text()) == generated
    request_type = generated["frontMatter.taxonomy.contentTypes"][0]
    fields = {f["name"]: f for f in request_type["fields"]}
    assert fields["submitted"] == {
        "title": "Submitted", "name": "submitted", "type": "datetime", "dateFormat": "yyyy-MM-dd",
        "required": True, "description": "Day the request was logged.",
    }  # fmt: skip
    assert fields["accounts"]["type"] == "block" and fields["accounts"]["fieldGroup"] == ["account"]
    assert fields["visibility"]["choices"] == ["public", "internal"]


def test_pre_commit_hook_definitions():
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hooks[0]["id"] == "roadmap-check" and hooks[0]["entry"] == "roadmap check"
    assert hooks[0]["pass_filenames"] is False
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())
    ids = [hook["id"] for repo in config["repos"] for hook in repo["hooks"]]
    assert ids == ["ruff-check", "ruff-format", "roadmap-check"]
