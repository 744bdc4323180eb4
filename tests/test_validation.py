"""Field rules: each error class reports its code at the line of the offending key or value."""

from __future__ import annotations

import pytest
from helpers import ITEM, REQUEST, problems

R = "content/requests/r.md"
I = "content/roadmap/i.md"  # noqa: E741


def only(result) -> tuple[int, str, str]:
    [diag] = result.report.diagnostics
    return diag.line, diag.code, diag.message


def test_unknown_field_suggests_the_close_name(tree):
    result = tree({R: REQUEST.replace("submitted:", "submited:")})
    codes = {(d.code, d.line) for d in result.report.diagnostics}
    assert ("E201", 3) in codes  # submited, at its key
    assert ("E202", 1) in codes  # submitted is then missing: points at the fence
    [unknown] = [d for d in result.report.diagnostics if d.code == "E201"]
    assert "did you mean `submitted`?" in unknown.message


def test_unknown_nested_field_suggests_from_the_nested_model(tree):
    text = REQUEST.replace(
        "---\nBody", "rice: {reach: 1, impact: 1, confidense: 1, effort: 1}\n---\nBody"
    )
    result = tree({R: text})
    unknown = [d for d in result.report.diagnostics if d.code == "E201"]
    assert unknown and "did you mean `confidence`?" in unknown[0].message
    assert unknown[0].line == 5


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("title", "123", "E203"),
        ("title", "''", "E204"),
        ("title", "x" * 201, "E204"),
        ("area", "[a, b]", "E203"),
        ("tags", "a", "E203"),
        ("visibility", "secret", "E205"),
        ("roadmap", "[x]", "E203"),
        ("submitted", "2026-13-01", "E206"),
        ("submitted", "2026-02-30", "E206"),
        ("submitted", "yesterday", "E206"),
        ("submitted", "2026-01-01 10:00:00", "E206"),
        ("submitted", "20260101", "E206"),
    ],
)
def test_request_field_errors(tree, field, value, code):
    text = REQUEST.replace("---\nBody", f"{field}: {value}\n---\nBody")
    if field in ("title", "submitted"):
        text = REQUEST.replace(f"{field}: ", f"{field}: {value} #", 1)
    result = tree({R: text})
    assert any(d.code == code for d in result.report.diagnostics), result.report.render("text", 1)
    line = next(d.line for d in result.report.diagnostics if d.code == code)
    expected_line = next(n for n, row in enumerate(text.splitlines(), 1) if row.startswith(field))
    assert line == expected_line


@pytest.mark.parametrize(
    ("rice", "code", "fragment"),
    [
        ("{reach: -1, impact: 1, confidence: 1, effort: 1}", "E204", "greater than or equal to 0"),
        ("{reach: 1, impact: 4, confidence: 1, effort: 1}", "E205", "0.25, 0.5, 1, 2 or 3"),
        ("{reach: 1, impact: 1, confidence: 0, effort: 1}", "E204", "above 0"),
        ("{reach: 1, impact: 1, confidence: 1.5, effort: 1}", "E204", "at most 1"),
        ("{reach: 1, impact: 1, confidence: '150%', effort: 1}", "E204", "at most 1"),
        ("{reach: 1, impact: 1, confidence: 'high', effort: 1}", "E203", "percentage"),
        (
            "{reach: 1, impact: 1, confidence: 1, effort: 0}",
            "E204",
            "greater than or equal to 0.01",
        ),
        ("{reach: 1, impact: 1, confidence: 1, effort: .nan}", "E204", "finite"),
        ("{reach: true, impact: 1, confidence: 1, effort: 1}", "E203", "valid number"),
        ("{impact: 1, confidence: 1, effort: 1}", "E202", "rice.reach"),
    ],
)
def test_rice_scales(tree, rice, code, fragment):
    result = tree({R: REQUEST.replace("---\nBody", f"rice: {rice}\n---\nBody")})
    line, got, message = only(result)
    assert (line, got) == (5, code)
    assert fragment in message


def test_percentage_confidence_and_number_are_accepted(tree):
    for confidence in ("'80%'", "0.8", "'80 %'"):
        text = REQUEST.replace(
            "---\nBody",
            f"rice: {{reach: 1, impact: 1, confidence: {confidence}, effort: 1}}\n---\nBody",
        )
        result = tree({R: text})
        assert result.report.diagnostics == []
        assert result.roadmap.requests["r"].meta.rice.confidence == pytest.approx(0.8)


def test_account_errors_point_into_the_list(tree):
    text = REQUEST.replace(
        "---\nBody",
        "accounts:\n  - name: Globex\n    arr: 10\n  - arr: -3\n    stage: lead\n---\nBody",
    )
    result = tree({R: text})
    assert problems(result) == [(R, 8, "E202"), (R, 8, "E204"), (R, 9, "E205")]
    messages = " ".join(d.message for d in result.report.diagnostics)
    assert "accounts[1].name" in messages
    assert "'prospect', 'customer' or 'churn-risk'" in messages


@pytest.mark.parametrize(
    ("extra", "code", "line"),
    [
        ("status: soon", "E205", 3),
        ("target: 2026-Q5", "E207", 5),
        ("target: Q3 2026", "E207", 5),
        ("decisions: [{date: 2026-01-01, outcome: maybe, summary: s}]", "E205", 5),
        ("decisions: [{date: 2026-01-01, outcome: accepted}]", "E202", 5),
        ("owner: 7", "E203", 5),
    ],
)
def test_item_field_errors(tree, extra, code, line):
    text = ITEM.replace("status: later\n", "status: later\n" + "# pad\n" + extra + "\n")
    if extra.startswith("status"):
        text = ITEM.replace("status: later", extra)
    result = tree({I: text})
    assert [(d.line, d.code) for d in result.report.diagnostics] == [(line, code)]


def test_shipped_needs_a_date_and_declined_needs_a_decision(tree):
    result = tree(
        {
            "content/roadmap/s.md": ITEM.replace("later", "shipped"),
            "content/roadmap/d.md": ITEM.replace("later", "declined"),
            "content/roadmap/ok.md": ITEM.replace(
                "later",
                "declined\ndecisions:\n  - {date: 2026-01-01, outcome: declined, summary: No.}",
            ),
        }
    )
    assert problems(result) == [
        ("content/roadmap/d.md", 3, "E402"),
        ("content/roadmap/s.md", 3, "E401"),
    ]


def test_rules_are_reported_together_with_type_errors(tree):
    text = ITEM.replace("later", "shipped\nowner: [x]")
    result = tree({I: text})
    assert {d.code for d in result.report.diagnostics} == {"E401", "E203"}


def test_roadmap_and_duplicate_together(tree):
    text = REQUEST.replace("---\nBody", "roadmap: i\nduplicate_of: other\n---\nBody")
    result = tree({R: text, I: ITEM, "content/requests/other.md": REQUEST})
    assert problems(result) == [(R, 6, "E304")]


def test_custom_fields_against_roadmap_toml(tree):
    config = """\
        [fields.segment]
        type = "choice"
        values = ["smb", "enterprise"]
        [fields.blocker]
        type = "boolean"
        [fields.weight]
        type = "number"
        [fields.note]
        type = "string"
    """
    good = ITEM.replace(
        "---\nBody",
        "fields:\n  segment: smb\n  blocker: true\n  weight: 2.5\n  note: hi\n---\nBody",
    )
    bad = ITEM.replace(
        "---\nBody",
        "fields:\n  segmnt: smb\n  blocker: yes please\n  weight: '2'\n  segment: mid\n---\nBody",
    )
    result = tree({"roadmap.toml": config, "content/roadmap/good.md": good, I: bad})
    assert problems(result) == [
        (I, 5, "E208"),
        (I, 6, "E209"),
        (I, 7, "E209"),
        (I, 8, "E209"),
    ]
    messages = [d.message for d in result.report.diagnostics]
    assert "did you mean `segment`?" in messages[0]
    assert "'smb', 'enterprise'" in messages[3]


def test_public_files_must_not_name_accounts_or_requesters(tree):
    named = REQUEST.replace(
        "---\nBody.",
        "accounts: [{name: Globex}]\nvisibility: public\n---\nFirst line.\nGLOBEX wants it.\n",
    )
    item = ITEM.replace(
        "later",
        "declined\nvisibility: public\ndecisions:\n  - {date: 2026-01-01, outcome: declined, summary: Ann asked; no.}",
    )
    hidden = REQUEST.replace("Body.", "Globex and Ann, internal only.").replace("r.md", "x")
    result = tree({R: named, I: item, "content/requests/internal.md": hidden})
    assert problems(result) == [(R, 9, "E403"), (I, 6, "E403")]
    assert "'GLOBEX'" in result.report.sorted()[0].message
    assert result.roadmap is None  # nothing may be built from it


def test_validation_memo_skips_unchanged_sources(tmp_path, monkeypatch):
    from helpers import write_tree

    from generator.content import validation
    from generator.pipeline import CheckMemo, check

    root = write_tree(tmp_path, {R: REQUEST, I: ITEM.replace("later", "soon")})
    calls = []
    real = validation.validate_one
    monkeypatch.setattr(
        validation, "validate_one", lambda s, c, r: calls.append(s.id) or real(s, c, r)
    )
    memo = CheckMemo()
    first = check(root, memo=memo)
    (root / R).write_text(REQUEST.replace("A request", "Edited"))
    second = check(root, memo=memo)
    assert calls == ["r", "i", "r"]  # the unchanged item was not validated again
    assert problems(first) == problems(second) == [(I, 3, "E205")]  # its error is still reported
