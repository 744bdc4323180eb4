"""The `roadmap` command as a real process: exit codes, formats, the example content."""

from __future__ import annotations

import json

from helpers import ITEM, REQUEST, roadmap, write_tree


def test_example_content_is_clean():
    result = roadmap("check", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().startswith("checked ")
    assert result.stdout.strip().endswith("no problems")


def test_errors_exit_1_with_file_line_messages(tmp_path):
    write_tree(
        tmp_path,
        {
            "content/roadmap/i.md": ITEM.replace("later", "soon"),
            "content/requests/r.md": REQUEST.replace("submitted", "submited"),
        },
    )
    result = roadmap("check", "--root", str(tmp_path))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert "content/requests/r.md:3:1: error[E201]: unknown field `submited`" in lines[1]
    assert lines[-1] == "checked 2 files: 3 errors, 0 warnings"
    assert "Traceback" not in result.stderr


def test_usage_errors_exit_2(tmp_path):
    assert roadmap("check", "--format", "xml").returncode == 2
    assert roadmap("check", "--root", str(tmp_path)).returncode == 2  # no content/ folder
    assert roadmap("nonsense").returncode == 2


def test_warnings_fail_only_with_strict(tmp_path):
    write_tree(tmp_path, {"content/roadmap/i.md": ITEM.replace("later", "now")})
    relaxed = roadmap("check", "--root", str(tmp_path))
    strict = roadmap("check", "--root", str(tmp_path), "--strict")
    assert relaxed.returncode == 0
    assert strict.returncode == 1
    assert "warning[W102]" in relaxed.stdout


def test_json_format(tmp_path):
    write_tree(tmp_path, {"content/roadmap/i.md": ITEM.replace("later", "soon")})
    result = roadmap("check", "--root", str(tmp_path), "--format", "json")
    payload = json.loads(result.stdout)
    assert payload["errors"] == 1
    assert payload["diagnostics"][0] == {
        "path": "content/roadmap/i.md",
        "line": 3,
        "col": 9,
        "code": "E205",
        "message": "`status`: must be one of 'now', 'next', 'later', 'shipped' or 'declined' (got 'soon')",
        "severity": "error",
    }


def test_github_format_escapes_annotations(tmp_path):
    write_tree(tmp_path, {"content/roadmap/i.md": ITEM.replace("later", "'a,b: 100%'")})
    result = roadmap("check", "--root", str(tmp_path), "--format", "github")
    first = result.stdout.splitlines()[0]
    assert first.startswith(
        "::error file=content/roadmap/i.md,line=3,col=9,title=E205 value not among"
    )
    assert "100%25" in first  # '%' escaped in the message
    assert result.returncode == 1


def test_check_reports_a_project_template_that_does_not_compile(tmp_path):
    """A pull request that breaks a template fails `roadmap check` (E601, at its line),
    not the build that publishes; the theme's own templates are not checked again."""
    root = write_tree(tmp_path / "project", {"content/roadmap/i.md": ITEM})
    (root / "templates/assets").mkdir(parents=True)
    (root / "templates/assets/site.js").write_text("const a = '{{';")  # an asset: not a template
    (root / "templates/_macros.html").write_text("{% macro status(s) %}{{ s }}{% endmacro %}\n")
    (root / "templates/item.html").write_text(
        '{% extends "base.html" %}\n{% block content %}\n{{ item.title|shout }}\n{% endblock %}\n'
    )
    result = roadmap("check", "--root", str(root))
    assert result.returncode == 1, result.stdout + result.stderr
    output = result.stdout + result.stderr
    assert "templates/item.html:3:1: error[E601]: No filter named 'shout'." in output
    assert "site.js" not in output and "_macros.html" not in output
    (root / "templates/item.html").unlink()
    assert roadmap("check", "--root", str(root)).returncode == 0
