"""Property-based: no frontmatter, however odd, produces a traceback."""

from __future__ import annotations

import string
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.config import Config
from generator.content.linking import link
from generator.content.loading import Kind, parse_text
from generator.content.validation import validate
from generator.diagnostics import Report

KEYS = st.sampled_from(
    ["title", "submitted", "requester", "accounts", "roadmap", "duplicate_of", "rice", "status",
     "shipped", "decisions", "target", "fields", "tags", "visibility", "name", "arr", "reach",
     "impact", "confidence", "effort", "date", "outcome", "summary", "x"]
)  # fmt: skip
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20),
    st.dates().map(str), st.sampled_from(["now", "shipped", "80%", "2026-Q3", "a", ".nan"]),
)  # fmt: skip
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=12,
)


def run_pipeline(texts: list[tuple[Kind, str]]) -> Report:
    report = Report()
    sources = []
    for n, (kind, text) in enumerate(texts):
        source = parse_text(kind, f"f{n}", f"f{n}.md", text, report)
        if source:
            sources.append(source)
    valid = validate(sources, Config(), report)
    known = {kind: {s.id for s in sources if s.kind is kind} for kind in Kind}
    link(sources, valid, known, Config(), report)
    for diagnostic in report.diagnostics:
        assert diagnostic.line >= 0 and diagnostic.col >= 0
    return report


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(list(Kind)), st.dictionaries(KEYS, VALUES, max_size=8)),
        max_size=4,
    )
)
def test_random_mappings_never_raise(docs):
    texts = [
        (kind, "---\n" + yaml.safe_dump(data, allow_unicode=True) + "---\nbody\n")
        for kind, data in docs
    ]
    run_pipeline(texts)


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=string.printable + "é—\x00\ufeff", max_size=200), st.sampled_from(list(Kind))
)
def test_random_text_never_raises(text, kind):
    run_pipeline([(kind, "---\n" + text + "\n---\n")])
    run_pipeline([(kind, text)])


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=120))
def test_random_bytes_in_real_files_never_raise(data):
    from generator.pipeline import check

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "content" / "requests").mkdir(parents=True)
        (root / "content" / "requests" / "a.md").write_bytes(b"---\n" + data + b"\n---\n")
        result = check(root)
        assert result.roadmap is not None or result.report.errors
