"""roadmap.toml: defaults in one place, errors at their line."""

from __future__ import annotations

from helpers import problems

from generator.config import Config, toml_line


def test_absent_config_means_defaults(tree):
    result = tree({})
    assert result.report.diagnostics == []
    assert result.roadmap.config == Config()
    assert Config().check.untriaged_days == 30
    assert Config().scoring.model == "rice"


def test_syntax_error_has_its_line(tree):
    result = tree({"roadmap.toml": "[site]\ntitle = 'x'\nbase_url = \n"})
    assert problems(result) == [("roadmap.toml", 3, "E501")]


def test_unknown_setting_suggests_and_bad_values_point_at_their_line(tree):
    config = """\
        [site]
        title = "Roadmap"
        currency = "dollars"

        [check]
        untriaged_dys = 10

        [scoring]
        model = "moscow"
    """
    result = tree({"roadmap.toml": config})
    assert problems(result) == [
        ("roadmap.toml", 3, "E503"),
        ("roadmap.toml", 6, "E502"),
        ("roadmap.toml", 9, "E503"),
    ]
    unknown = next(d for d in result.report.diagnostics if d.code == "E502")
    assert "did you mean `untriaged_days`?" in unknown.message
    model = next(d for d in result.report.diagnostics if d.line == 9)
    assert "'rice', 'ice', 'wsjf' or 'custom'" in model.message


def test_custom_model_needs_a_formula_and_choice_needs_values(tree):
    config = '[scoring]\nmodel = "custom"\n[fields.seg]\ntype = "choice"\n[fields.Bad-Name]\ntype = "number"\n'
    result = tree({"roadmap.toml": config})
    assert problems(result) == [
        ("roadmap.toml", 1, "E503"),
        ("roadmap.toml", 3, "E503"),
        ("roadmap.toml", 5, "E503"),
    ]
    messages = [d.message for d in result.report.sorted()]
    assert messages[0] == '`scoring`: model = "custom" needs a `formula`'
    assert messages[1] == "`fields.seg`: a choice field needs a list of `values`"
    assert "custom field name 'Bad-Name' must be lowercase" in messages[2]


def test_toml_line_finds_nested_keys():
    text = '[site]\ntitle = "a"\n\n[fields.segment]\ntype = "choice"\nvalues = []\n'
    assert toml_line(text, ("site", "title")) == 2
    assert toml_line(text, ("fields", "segment", "values")) == 6
    assert toml_line(text, ("fields", "segment")) == 4
    assert toml_line(text, ("missing",)) == 1
