"""The GitHub workflows run `roadmap` commands, and never publish the internal build."""

from __future__ import annotations

import yaml
from helpers import REPO

WORKFLOWS = REPO / ".github" / "workflows"


def load(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text())


def commands(workflow: dict) -> list[str]:
    return [
        step["run"] for job in workflow["jobs"].values() for step in job["steps"] if "run" in step
    ]


def test_pull_request_checks_and_diffs():
    workflow = load("pull-request.yml")
    assert "pull_request" in workflow[True]  # PyYAML reads the bare key `on` as True
    runs = commands(workflow)
    assert "roadmap check --format github" in runs
    assert any(
        r.startswith('roadmap diff "origin/$BASE_REF" --format markdown >> "$GITHUB_STEP_SUMMARY"')
        for r in runs
    )
    checkout = workflow["jobs"]["review"]["steps"][0]
    assert checkout["with"]["fetch-depth"] == 0


def test_publish_sends_only_the_public_build_to_pages():
    workflow = load("publish.yml")
    assert workflow[True]["push"]["branches"] == ["main"]
    build_steps = workflow["jobs"]["build"]["steps"]
    runs = commands(workflow)
    assert "roadmap build --audience public --out public-site" in runs
    assert "roadmap build --audience internal --out internal-site" in runs
    pages = next(
        s for s in build_steps if s.get("uses", "").startswith("actions/upload-pages-artifact")
    )
    assert pages["with"]["path"] == "public-site"
    internal = next(
        s for s in build_steps if s.get("uses", "").startswith("actions/upload-artifact")
    )
    assert internal["with"]["path"] == "internal-site"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages")
    assert workflow["permissions"] == {"contents": "read"}


def test_every_command_is_a_roadmap_command_or_an_install():
    for name in ("pull-request.yml", "publish.yml"):
        for run in commands(load(name)):
            assert run.startswith(("roadmap ", "pip install .")), run
