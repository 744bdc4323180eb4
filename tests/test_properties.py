"""Property-based: no frontmatter, however odd, produces a traceback."""

from __future__ import annotations

import string
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.config import Config
from generator.content.files import Kind
from generator.content.linking import link
from generator.content.loading import parse_text
from generator.content.safe_yaml import _Loader
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


def _constructed(text: str, walk: bool) -> tuple[str, object]:
    """The document and its duplicate-key reports (or the error), built by the loader's
    direct walk (`build`, which `load_yaml` uses) or by PyYAML's own `construct_document`."""
    loader = _Loader(text)
    try:
        if walk:
            node = loader.get_single_node()
            data = None if node is None else loader.build(node)
        else:
            data = loader.get_single_data()
        return repr(data), [(k, m.line, m.column, f) for k, m, f in loader.duplicates]
    except yaml.YAMLError as exc:
        return "error", str(exc)
    finally:
        loader.dispose()


def _by_pyyaml(text: str) -> tuple[str, object]:
    return _constructed(text, walk=False)


def _by_build(text: str) -> tuple[str, object]:
    return _constructed(text, walk=True)


ANY_KEYS = st.one_of(KEYS, st.integers(), st.booleans(), st.none(), st.dates(), st.floats())
DOCUMENTS = st.recursive(
    SCALARS | st.dates() | st.datetimes(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ANY_KEYS, inner, max_size=4),
    max_leaves=16,
)
YAMLISH = st.text(alphabet=":- \n[]{},'\"#?0123456789abx.~=TtrueNnl", max_size=80)


@settings(max_examples=400, deadline=None)
@given(DOCUMENTS, st.booleans())
def test_building_a_document_gives_what_pyyaml_constructs(document, flow):
    text = yaml.safe_dump(document, default_flow_style=flow, allow_unicode=True)
    assert _by_build(text) == _by_pyyaml(text)


@settings(max_examples=400, deadline=None)
@given(YAMLISH)
def test_building_any_text_gives_what_pyyaml_constructs(text):
    assert _by_build(text) == _by_pyyaml(text)


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\nb: x\na: 2\n",  # a duplicate key, reported once by either route
        "a:\n  b: 1\n  b: 2\nc: [{d: 1, d: 2}]\n",  # duplicates in nested mappings
        "? [a, b]\n: 1\n",  # a key PyYAML refuses (unhashable)
        "? {a: 1}\n: 1\n",
        "x: =\n",  # the `value` tag, which the safe constructor does not know
        "1: a\n2.5: b\n~: c\ntrue: d\n2026-01-02: e\n",  # keys of every scalar type
        "d: 2026-02-30\nt: 2026-01-02 10:00:00\nn: 12345678901234567890\n",
        "big: " + "9" * 101 + "\n",  # more digits than any field can use
        "- a\n- [b, {c: .inf, e: -.nan}]\n- {f: ''}\n",
        "plain\n",
        "'quoted: 1'\n",
        "a: 'true'\nb: \"1\"\nc: !!str 3\n",
    ],
)
def test_building_gives_what_pyyaml_constructs_on_odd_documents(text):
    assert _by_build(text) == _by_pyyaml(text)


def _tags(node: yaml.Node | None) -> object:
    """A composed document as (tag, value) all the way down."""
    if node is None or isinstance(node, yaml.ScalarNode):
        return None if node is None else (node.tag, node.value)
    if isinstance(node, yaml.SequenceNode):
        return (node.tag, [_tags(item) for item in node.value])
    return (node.tag, [(_tags(k), _tags(v)) for k, v in node.value])


def _composed(text: str, loader: type) -> object:
    try:
        return _tags(yaml.compose(text, Loader=loader))
    except yaml.YAMLError as exc:
        return "error", str(exc)


@settings(max_examples=400, deadline=None)
@given(st.one_of(YAMLISH, DOCUMENTS.map(yaml.safe_dump)))
def test_remembered_tags_are_the_ones_pyyaml_resolves(text):
    # twice: the second time every short scalar's tag comes from memory
    for _ in range(2):
        assert _composed(text, _Loader) == _composed(text, yaml.CSafeLoader)
