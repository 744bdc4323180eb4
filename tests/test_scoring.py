"""Scores, demand and ranking against hand-computed figures (tests/fixtures/scoring).

The tree: alpha's reach is derived from a1 (300) and a2 (250); a3 duplicates a1 and
states reach 999, which must not count. Globex appears as "Globex" (100k) and
"globex " (120k): one account, 120k. beta, gamma and zeta all score 200: ARR, then id,
decide. delta has no RICE inputs; eps has no reach and no requests.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import FIXTURES, problems

from generator.pipeline import check

TREE = FIXTURES / "scoring"


def scored(root: Path = TREE):
    result = check(root)
    assert result.report.errors == [], result.report.render("text", 0)
    return result.roadmap, result.scores


def with_config(tmp_path: Path, config: str) -> Path:
    root = tmp_path / "tree"
    shutil.copytree(TREE, root)
    (root / "roadmap.toml").write_text('[fields.weight]\ntype = "number"\n' + config)
    return root


def test_rice_with_derived_reach_counts_duplicates_once():
    _, scores = scored()
    alpha = scores.items["alpha"]
    assert alpha.value == pytest.approx(220)
    assert alpha.explanation == (
        "RICE 220 = reach 550 (sum of 2 requests) x impact 2 x confidence 0.8 / effort 4"
    )
    reach = alpha.inputs[0]
    assert (reach.name, reach.value, reach.requests) == ("reach", 550, ("a1", "a2"))
    assert scores.items["beta"].explanation == (
        "RICE 200 = reach 100 x impact 1 x confidence 0.5 / effort 0.25"
    )


def test_unscored_entries_have_a_reason_and_no_fake_zero():
    _, scores = scored()
    assert scores.items["delta"].value is None
    assert scores.items["delta"].explanation == "unscored: no `rice` inputs"
    assert scores.items["eps"].value is None
    assert "no reach stated" in scores.items["eps"].explanation
    assert scores.item_ranks["delta"] is None


def test_demand_matches_accounts_case_insensitively_with_largest_arr():
    _, scores = scored()
    alpha = scores.item_demand["alpha"]
    assert alpha.requests == ("a1", "a2", "a3")  # the duplicate counts as a request
    assert [(s.name, s.arr) for s in alpha.accounts] == [
        ("Umbrella", 500000),
        ("Globex", 120000),
        ("Initech", 50000),
        ("Hooli", 30000),
    ]
    assert alpha.arr == 700000
    globex = next(s for s in alpha.accounts if s.name == "Globex")
    assert globex.stage == "churn-risk"  # stated on the most recent request (a2)


def test_per_account_view():
    _, scores = scored()
    initech = scores.accounts["initech"]
    assert initech.name == "Initech"  # first spelling in id order; "INITECH" is the same account
    assert initech.arr == 50000
    assert initech.requests == ("a1", "g1", "z1")
    assert initech.items == ("alpha", "gamma", "zeta")
    assert list(scores.accounts) == ["globex", "hooli", "initech", "umbrella"]


def test_ranking_breaks_ties_by_arr_then_id_and_puts_unscored_last():
    _, scores = scored()
    assert scores.item_ranking == ("alpha", "beta", "gamma", "zeta", "delta", "eps")
    assert [scores.item_ranks[i] for i in scores.item_ranking] == [1, 2, 3, 4, None, None]
    # a3 (2,997) > a1 (300) > a2 (125); b1, g1, z1 unscored, by ARR then id
    assert scores.request_ranking == ("a3", "a1", "a2", "b1", "g1", "z1")


def test_ice(tmp_path):
    _, scores = scored(with_config(tmp_path, '[scoring]\nmodel = "ice"\n'))
    assert scores.items["alpha"].explanation == "ICE 200 = impact 8 x confidence 5 x ease 5"
    assert scores.items["beta"].value == 200
    assert scores.item_ranking[:2] == ("alpha", "beta")  # equal scores: alpha has more ARR
    assert scores.items["gamma"].explanation == "unscored: no `ice` inputs"


def test_wsjf(tmp_path):
    _, scores = scored(with_config(tmp_path, '[scoring]\nmodel = "wsjf"\n'))
    assert scores.items["beta"].value == pytest.approx(4.8)
    assert scores.items["beta"].explanation == (
        "WSJF 4.8 = (value 13 + time criticality 8 + risk reduction 3) / job size 5"
    )
    assert scores.items["alpha"].value == 2
    assert scores.item_ranking[:2] == ("beta", "alpha")


def test_custom_formula_over_rice_and_demand(tmp_path):
    config = '[scoring]\nmodel = "custom"\nformula = "rice * (1 + arr / 1_000_000)"\n'
    _, scores = scored(with_config(tmp_path, config))
    assert scores.items["alpha"].value == pytest.approx(374)
    assert scores.items["alpha"].explanation == (
        "score 374 = rice 220 * (1 + arr 700,000 / 1000000)"
    )
    assert scores.items["beta"].value == pytest.approx(208)
    assert scores.items["delta"].explanation == "unscored: no value for `rice`"


def test_custom_formula_over_a_custom_field_and_conditionals(tmp_path):
    config = '[scoring]\nmodel = "custom"\nformula = "rice * weight if accounts > 1 else 0"\n'
    _, scores = scored(with_config(tmp_path, config))
    assert scores.items["alpha"].value == pytest.approx(440)
    assert scores.items["beta"].explanation == "unscored: no value for `weight`"


def test_custom_formula_that_cannot_be_computed_is_unscored(tmp_path):
    config = '[scoring]\nmodel = "custom"\nformula = "reach / (impact - impact)"\n'
    _, scores = scored(with_config(tmp_path, config))
    assert scores.items["beta"].value is None
    assert scores.items["beta"].explanation.startswith("unscored: ")


@pytest.mark.parametrize(
    ("formula", "fragment"),
    [
        ("rice * (", "syntax error"),
        ("rice * popularity", "unknown name `popularity`"),
        ("__import__('os').system('true')", "only these functions are allowed"),
        ("().__class__", "not allowed"),
        ("[reach for reach in (1, 2)]", "not allowed"),
        ("rice ** 99999999", None),  # valid: overflows at evaluation, unscored there
    ],
)
def test_formula_errors_point_at_roadmap_toml(tmp_path, formula, fragment):
    root = with_config(tmp_path, f'[scoring]\nmodel = "custom"\nformula = "{formula}"\n')
    result = check(root)
    if fragment is None:
        assert result.report.errors == []
        assert not result.scores.items["alpha"].scored
        return
    assert problems(result) == [("roadmap.toml", 5, "E504")]
    assert fragment in result.report.errors[0].message


def test_determinism():
    first, second = scored(), scored()
    assert first[1] == second[1]
