"""Intake: the issue form, generated from the schema; issue bodies read back into request
files, through the same validation as `roadmap check`; problems said in the form's words."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from helpers import ITEM, REPO, roadmap, write_tree

from generator.config import Config, load_config
from generator.diagnostics import Report
from generator.intake import intake
from generator.intake.form import LABEL, form_fields, issue_form
from generator.intake.issue import answers
from generator.intake.request import amount
from generator.pipeline import check

CONFIG = """\
[site]
currency = "EUR"

[fields.segment]
type = "choice"
values = ["smb", "enterprise"]

[fields.contract_blocker]
type = "boolean"

[fields.seats]
type = "number"
"""

GLOBEX = """\
---
name: Globex Corporation
aliases: [Globex]
arr: 250000
stage: customer
---
"""


def body(**given: str) -> str:
    """An issue body as GitHub writes it from the form: every question, in order, with
    `_No response_` for those left empty."""
    config = load_config(CONFIG.encode(), Report())
    parts = []
    for field in form_fields(config):
        answer = given.get(field.id, "")
        parts.append(f"### {field.label}\n\n{answer or '_No response_'}")
    return "\n\n".join(parts) + "\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_tree(tmp_path, {
        "roadmap.toml": CONFIG,
        "content/roadmap/sso.md": ITEM.replace("An item", "Single sign-on"),
        "content/accounts/globex.md": GLOBEX,
    })  # fmt: skip


def run(project: Path, text: str, title: str = "Export audit events to Splunk", **kw):
    return intake(project, text, title, "octocat", dt.date(2026, 1, 9), kw.pop("issue", 7), **kw)


def test_reads_a_real_form_body_with_crlf_unicode_markdown_and_empty_answers():
    config = load_config(CONFIG.encode(), Report())
    text = body(
        need="Zoë's team wants **every** event.\n\n### Not one of our headings\n\n```\ncode\n```",
        account="Ünïcode GmbH",
        stage="None",
        item="",
    ).replace("\n", "\r\n")
    found = answers(text, form_fields(config))
    assert found["need"] == (
        "Zoë's team wants **every** event.\n\n### Not one of our headings\n\n```\ncode\n```"
    )
    assert found["account"] == "Ünïcode GmbH"
    assert found["stage"] == ""  # an optional dropdown left on its empty choice
    assert found["arr"] == "" and found["item"] == ""
    missing = answers("### Customer need\n\nx\n", form_fields(config))
    assert missing["need"] == "x" and missing["impact"] is None


@pytest.mark.parametrize(("text", "value"), [
    ("120000", 120000), ("120,000", 120000), ("$120k", 120000), ("1.2M", 1200000),
    ("EUR 50 000", 50000), ("1,5m", 1500000), ("€2.5K", 2500), ("0", 0),
])  # fmt: skip
def test_amounts_as_people_write_them(text, value):
    assert amount(text) == value


@pytest.mark.parametrize("text", ["twelve", "12 bananas", "1.2.3", "-5", "", "1e9"])
def test_amounts_refused(text):
    assert amount(text) is None


def test_round_trip_form_to_file_to_check(project: Path):
    text = body(
        need="They want to export **all** audit events.", impact="Security review fails.",
        account="globex", arr="999", other_accounts="- Initech\n- Globex Corporation",
        requester="Sam Patel (AE)", item="https://x.example/roadmap/items/sso.html",
        area="Integrations", crm="https://crm.example.com/opp/1",
        field_segment="enterprise", field_contract_blocker="yes", field_seats="1,200",
    )  # fmt: skip
    done = run(project, text, title="../../etc/passwd Splunk export")
    assert done.problems == ()
    assert done.path == "content/requests/etc-passwd-splunk-export.md"
    written = (project / done.path).read_text()
    front = yaml.safe_load(written.split("---")[1])
    assert front == {
        "title": "../../etc/passwd Splunk export", "submitted": dt.date(2026, 1, 9),
        "requester": "Sam Patel (AE)",
        # by file id (the file's ARR wins over the 999 typed); a second spelling of the
        # same account is kept as written (the model counts it once)
        "accounts": [{"account": "globex"}, {"name": "Initech"}, {"account": "globex"}],
        "roadmap": "sso", "area": "Integrations",
        "fields": {"segment": "enterprise", "contract_blocker": True, "seats": 1200},
    }  # fmt: skip
    assert "They want to export **all** audit events." in written
    assert "<https://crm.example.com/opp/1>" in written
    assert "Logged from issue #7." in written and "### ARR\n\n999" in written  # nothing lost
    result = check(project)
    assert result.roadmap is not None, result.report.render("text", 0)
    request = result.roadmap.requests["etc-passwd-splunk-export"]
    assert request.item == "sso" and request.accounts[0].arr == 250000


def test_an_inline_account_gets_its_arr_and_stage(project: Path):
    text = body(need="n", impact="i", account="Initech", arr="$1.2M", stage="prospect")
    done = run(project, text)
    front = yaml.safe_load((project / str(done.path)).read_text().split("---")[1])
    assert front["accounts"] == [{"name": "Initech", "arr": 1200000, "stage": "prospect"}]
    assert front["requester"] == "octocat"  # "Who asks" empty: the issue's author


def test_problems_are_said_in_the_forms_words_and_nothing_is_written(project: Path):
    text = body(
        need="n", impact="", account="Initech", arr="12 bananas", stage="gold", item="nope",
        crm="javascript:alert(1)", field_segment="huge", field_seats="many",
    )  # fmt: skip
    done = run(project, text, title="x" * 201)
    assert done.path is None
    messages = [p.text() for p in done.problems]
    assert [m.split(":")[0] for m in messages] == [
        "Title",
        "How it blocks them",
        "ARR",
        "Stage",
        "Roadmap item",
        "CRM record",
        "Segment",
        "Seats",
    ]
    assert "'12 bananas' is not an amount" in messages[2]
    assert "E204" in messages[0] and "E205" in messages[3]
    assert list((project / "content/requests").iterdir()) == []


def test_a_body_not_made_with_the_form_is_refused(project: Path):
    done = run(project, "Please add dark mode, thanks!")
    assert [p.text() for p in done.problems] == [
        "this issue was not made with the Customer request form: open a new issue and "
        "choose that form"
    ]


def test_same_title_twice_gets_a_new_id_never_overwrites(project: Path):
    text = body(need="n", impact="i", account="Initech")
    first, second = run(project, text), run(project, text)
    assert first.path != second.path
    assert second.path == "content/requests/export-audit-events-to-splunk-2.md"


def test_command_exit_codes_dry_run_and_markdown_comment(project: Path):
    good = project / "good.md"
    good.write_text(body(need="n", impact="i", account="Initech"))
    dry = roadmap("intake", str(good), "--title=--dry-run", "--dry-run", cwd=project)
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.startswith("---\ntitle: --dry-run\n")
    assert list((project / "content/requests").iterdir()) == []
    done = roadmap("intake", str(good), "--title", "A", "--issue", "3",
                   "--submitted", "2026-01-08T10:00:00Z", cwd=project)  # fmt: skip
    assert done.returncode == 0 and done.stdout.strip() == "content/requests/a.md"
    assert "submitted: 2026-01-08" in (project / "content/requests/a.md").read_text()
    bad = project / "bad.md"
    bad.write_text(body(need="n", impact="i", account="@everyone <b>", arr="lots"))
    failed = roadmap("intake", str(bad), "--title", "B", "--format", "markdown", cwd=project)
    assert failed.returncode == 1
    assert failed.stdout.splitlines()[2] == (
        "- **ARR**: 'lots' is not an amount: write it as 120000, 120k or 1.2M"
    )
    assert not (project / "content/requests/b.md").exists()


# --- the form itself --------------------------------------------------------------


def test_committed_form_is_the_generated_one():
    """The form in .github cannot drift from roadmap.toml and the models."""
    done = roadmap("schema", "--issue-form", cwd=REPO)
    assert done.returncode == 0
    committed = (REPO / ".github/ISSUE_TEMPLATE/customer-request.yml").read_text()
    assert committed == done.stdout, (
        "run: roadmap schema --issue-form > .github/ISSUE_TEMPLATE/customer-request.yml"
    )


def _form(config: Config) -> dict:
    return yaml.safe_load(issue_form(config))


def test_form_follows_githubs_issue_form_rules():
    """What GitHub's issue-form syntax requires, checked on the generated form."""
    form = _form(load_config(CONFIG.encode(), Report()))
    assert {"name", "description", "body"} <= set(form) and form["labels"] == [LABEL]
    ids, labels = [], []
    for element in form["body"]:
        assert element["type"] in {"markdown", "textarea", "input", "dropdown", "checkboxes"}
        if element["type"] == "markdown":
            assert element["attributes"]["value"].strip()
            continue
        ids.append(element["id"])
        labels.append(element["attributes"]["label"].casefold())
        assert re.fullmatch(r"[A-Za-z0-9_-]+", element["id"])
        assert isinstance(element["validations"]["required"], bool)
        if element["type"] == "dropdown":
            options = element["attributes"]["options"]
            assert options and len(set(options)) == len(options) and "None" not in options
    assert len(set(ids)) == len(ids) and len(set(labels)) == len(labels)


def test_form_takes_custom_fields_and_values_from_the_config():
    form = _form(load_config(CONFIG.encode(), Report()))
    by_id = {e.get("id"): e for e in form["body"]}
    assert by_id["field_segment"]["attributes"]["options"] == ["smb", "enterprise"]
    assert by_id["field_contract_blocker"]["attributes"]["options"] == ["yes", "no"]
    assert by_id["field_seats"]["type"] == "input"
    assert by_id["stage"]["attributes"]["options"] == ["prospect", "customer", "churn-risk"]
    assert "in EUR" in by_id["arr"]["attributes"]["description"]
    assert [by_id[i]["validations"]["required"] for i in ("need", "impact", "account")] == [
        True, True, True,
    ]  # fmt: skip
    # a custom field named like a question gets a label of its own
    clash = load_config(b'[fields.account]\ntype = "string"\n', Report())
    labels = [e["attributes"]["label"] for e in _form(clash)["body"] if "id" in e]
    assert "Account (field)" in labels
