"""Reading files: encodings, line endings, frontmatter fences, safe YAML."""

from __future__ import annotations

import datetime as dt
import time

from helpers import FIXTURES, REQUEST, problems

from generator.diagnostics import Report
from generator.pipeline import check


def test_valid_tree_with_bom_crlf_unicode_quoted_dates_and_templates():
    result = check(FIXTURES / "valid")
    assert result.report.diagnostics == []
    assert result.files_checked == 3  # _template.md and .hidden.md are skipped
    roadmap = result.roadmap
    request = roadmap.requests["bom-crlf"]
    assert request.title == "Café réservations — 日本語"
    assert request.meta.submitted == dt.date(2026, 3, 1)  # quoted date
    assert request.meta.rice.confidence == 0.8  # "80%"
    assert request.meta.accounts[0].name == "Café Solène"
    assert request.body == "Windows line endings and a byte order mark.\n"
    assert roadmap.items["booking"].meta.shipped == dt.date(2026, 4, 1)


def test_invalid_utf8_points_at_the_byte(tree):
    result = tree({"content/requests/bad.md": b"---\ntitle: ok\nrequester: \xff\xfe\n---\n"})
    [diag] = result.report.diagnostics
    assert (diag.code, diag.line, diag.col) == ("E101", 3, 12)


def test_missing_frontmatter(tree):
    result = tree({"content/requests/a.md": "Just text\n"})
    assert problems(result) == [("content/requests/a.md", 1, "E102")]


def test_unterminated_frontmatter(tree):
    result = tree({"content/requests/a.md": "---\ntitle: x\nsubmitted: 2026-01-01\n"})
    assert problems(result) == [("content/requests/a.md", 1, "E103")]


def test_yaml_syntax_error_line_is_in_the_file(tree):
    text = "---\ntitle: ok\nsubmitted: 2026-01-01\nrequester: [unclosed\n---\n"
    result = tree({"content/requests/a.md": text})
    [diag] = result.report.diagnostics
    assert diag.code == "E104"
    assert diag.line in (4, 5)  # the parser notices at the end of the flow sequence


def test_frontmatter_not_a_mapping(tree):
    result = tree(
        {
            "content/requests/list.md": "---\n- a\n- b\n---\n",
            "content/requests/empty.md": "---\n---\nbody\n",
        }
    )
    assert problems(result) == [
        ("content/requests/empty.md", 1, "E105"),
        ("content/requests/list.md", 2, "E105"),
    ]


def test_duplicate_keys_are_reported_at_the_second(tree):
    text = REQUEST.replace("requester: Ann (AE)\n", "requester: Ann\ntitle: Again\n")
    result = tree({"content/requests/a.md": text})
    assert problems(result) == [("content/requests/a.md", 5, "E106")]
    assert "first defined on line 2" in result.report.diagnostics[0].message


def test_aliases_are_refused_quickly():
    """A billion-laughs document must neither expand nor take time."""
    lines = ["---", "title: t", "submitted: 2026-01-01", "requester: r", 'a0: &a0 ["lol"]']
    for i in range(1, 30):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    lines.append("tags: *a29\n---\n")
    import tempfile
    from pathlib import Path

    from helpers import write_tree

    with tempfile.TemporaryDirectory() as tmp:
        root = write_tree(Path(tmp), {"content/requests/lol.md": "\n".join(lines)})
        started = time.perf_counter()
        result = check(root)
        assert time.perf_counter() - started < 2
    codes = {d.code for d in result.report.diagnostics}
    assert "E107" in codes
    assert result.roadmap is None


def test_python_tags_cannot_run_code(tree):
    text = '---\ntitle: !!python/object/apply:os.system ["echo pwned"]\n---\n'
    result = tree({"content/requests/a.md": text})
    assert problems(result) == [("content/requests/a.md", 2, "E107")]


def test_invalid_id(tree):
    result = tree({"content/requests/Bad_Name.md": REQUEST})
    assert problems(result) == [("content/requests/Bad_Name.md", 1, "E108")]


def test_every_problem_in_every_file_in_one_run(tree):
    result = tree(
        {
            "content/requests/a.md": "no fence\n",
            "content/requests/b.md": REQUEST.replace("title: A request", "title: 5"),
            "content/roadmap/c.md": "---\ntitle: c\nstatus: soon\n---\n",
        }
    )
    assert [code for _, _, code in problems(result)] == ["E102", "E203", "E205"]
    assert result.report.summary(result.files_checked) == "checked 3 files: 3 errors, 0 warnings"


def test_deep_nesting_is_refused_before_the_parser_sees_it(tree):
    """The C parser recurses per level and crashes at ~40,000 levels."""
    deep = "---\ntitle: " + "[" * 100_000 + "]" * 100_000 + "\n---\n"
    result = tree({"content/requests/deep.md": deep})
    assert problems(result) == [("content/requests/deep.md", 2, "E104")]
    assert "nested deeper than" in result.report.diagnostics[0].message


def test_huge_frontmatter_is_refused(tree):
    big = "---\ntitle: t\nx: '" + "a" * 600_000 + "'\n---\n"
    result = tree({"content/requests/big.md": big})
    assert "larger than" in result.report.diagnostics[0].message


def test_memo_rereads_only_changed_files(tmp_path):
    from helpers import write_tree

    from generator.content.files import discover
    from generator.content.loading import load_all
    from generator.content.tree import ContentTree

    root = write_tree(
        tmp_path,
        {
            "content/requests/a.md": REQUEST,
            "content/requests/b.md": REQUEST,
            "content/requests/c.md": "broken",
        },
    )
    tree, memo = ContentTree(root), {}
    first_report = Report()
    first = {s.id: s for s in load_all(tree, discover(tree), first_report, 1, memo)}
    (root / "content/requests/b.md").write_text(REQUEST.replace("A request", "Edited"))
    (root / "content/requests/c.md").unlink()
    second_report = Report()
    second = {s.id: s for s in load_all(tree, discover(tree), second_report, 1, memo)}
    assert second["a"] is first["a"]  # not read again
    assert second["b"] is not first["b"] and second["b"].data["title"] == "Edited"
    assert [d.code for d in first_report.diagnostics] == ["E102"]
    assert second_report.diagnostics == [] and sorted(memo) == [
        "content/requests/a.md",
        "content/requests/b.md",
    ]


def test_blank_lines_around_the_fences_keep_every_line_number(tree):
    # a fence pattern that runs across line ends would swallow these blank lines and
    # point every diagnostic one line too high (python-frontmatter's does)
    text = "---\n\n\ntitle: ok\nsubmitted: 2026-01-01\nrequester: 5\n---\n\n\nBody.\n"
    result = tree({"content/requests/a.md": text})
    assert problems(result) == [("content/requests/a.md", 6, "E203")]
    from generator.content.files import Kind
    from generator.content.loading import parse_text

    source = parse_text(Kind.REQUEST, "a", "a.md", text, Report())
    assert source.body_line == 8 and source.body == "\n\nBody.\n"


def test_yaml_end_marker_closes_and_four_dashes_do_not_open(tree):
    result = tree(
        {
            "content/requests/dots.md": REQUEST.replace("---\nBody", "...\nBody"),
            "content/requests/four.md": "----" + REQUEST[3:],
        }
    )
    assert problems(result) == [("content/requests/four.md", 1, "E102")]


def test_parallel_loading_finds_what_serial_loading_finds(tmp_path, monkeypatch):
    # batches handed to the workers while the rest is read: same sources, same problems in
    # the same order, same frontmatter kept for the cache, whatever the number of jobs
    from helpers import write_tree

    from generator.build import markdown_cache
    from generator.content import loading
    from generator.content.files import discover
    from generator.content.tree import ContentTree

    files: dict[str, str | bytes] = {}
    for n in range(60):
        text = REQUEST.replace("A request", f"Request {n}")
        if n % 9 == 3:
            text = "---\ntitle: [unclosed\n---\n"  # E104: bad YAML
        elif n % 9 == 5:
            text = "---\n- a list\n---\n"  # E105: not a mapping
        elif n % 9 == 7:
            text = "no frontmatter"  # E102: nothing to parse
        elif n % 9 == 1:
            text = text.replace("title:", "title: twice\ntitle:")  # E106, found by a worker
        files[f"content/requests/r{n:02d}.md"] = text
    files["content/requests/bad.md"] = b"---\ntitle: \xff\n---\n"  # E101: not UTF-8
    root = write_tree(tmp_path / "p", files)
    monkeypatch.setattr(loading, "PARALLEL_FROM", 10)
    monkeypatch.setattr(loading, "BATCH", 7)  # 60 files, a tail batch of fewer

    def load(jobs: int) -> tuple[list[loading.SourceFile], list[object], dict[str, str]]:
        tree, report = ContentTree(root), Report()
        cache = markdown_cache(root)
        sources = loading.load_all(tree, discover(tree), report, jobs, cache=cache)
        kept = dict(cache.new_frontmatter)
        cache.close()
        return sources, report.diagnostics, kept

    serial, parallel = load(1), load(2)
    assert len(serial[0]) == 40 and serial[0][0].data is not None
    assert [s.data for s in parallel[0]] == [s.data for s in serial[0]]
    assert parallel[0] == serial[0]
    assert parallel[1] == serial[1]
    assert sorted({d.code for d in serial[1]}) == ["E101", "E102", "E104", "E105", "E106"]
    assert len(parallel[2]) == 33 and parallel[2] == serial[2]
