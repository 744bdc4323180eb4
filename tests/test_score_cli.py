"""`roadmap score` as a real process: formats, filters, explanations, stability."""

from __future__ import annotations

import csv
import io
import json

from helpers import FIXTURES, ITEM, roadmap, write_tree

TREE = str(FIXTURES / "scoring")


def test_table_lists_every_item_in_rank_order():
    result = roadmap("score", "--root", TREE)
    assert result.returncode == 0, result.stderr
    rows = [line.split() for line in result.stdout.splitlines() if line.strip()[:1] in "123456-"]
    assert [row[1] for row in rows if len(row) > 1] == [
        "alpha",
        "beta",
        "gamma",
        "zeta",
        "delta",
        "eps",
    ]
    assert "unscored" in result.stdout
    assert "700,000 USD" in result.stdout


def test_json_is_stable_and_documented_shape():
    first = roadmap("score", "--root", TREE, "--format", "json")
    second = roadmap("score", "--root", TREE, "--format", "json")
    assert first.stdout == second.stdout
    document = json.loads(first.stdout)
    assert (document["schema"], document["kind"], document["model"]) == (1, "items", "rice")
    alpha = document["entries"][0]
    assert alpha["id"] == "alpha" and alpha["rank"] == 1 and alpha["score"] == 220
    assert alpha["requests"] == 3 and alpha["accounts"] == 4 and alpha["arr"] == 700000
    assert alpha["inputs"][0] == {
        "name": "reach",
        "value": 550,
        "source": "sum of 2 requests",
        "requests": ["a1", "a2"],
    }
    assert document["entries"][-1]["score"] is None


def test_csv_with_status_filter_and_top():
    result = roadmap("score", "--root", TREE, "--format", "csv", "--status", "later", "--top", "2")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["rank"], r["id"], r["score"]) for r in rows] == [
        ("3", "gamma", "200"),
        ("4", "zeta", "200"),
    ]


def test_requests_kind_filters_on_derived_status():
    result = roadmap(
        "score", "--root", TREE, "--kind", "requests", "--status", "now", "--format", "json"
    )
    ids = [e["id"] for e in json.loads(result.stdout)["entries"]]
    assert ids == ["a3", "a1", "a2"]


def test_explain_shows_inputs_their_origin_and_demand():
    result = roadmap("score", "--root", TREE, "--explain", "alpha")
    assert result.returncode == 0
    out = result.stdout
    assert "RICE 220 = reach 550 (sum of 2 requests) x impact 2 x confidence 0.8 / effort 4" in out
    assert "sum of 2 requests: a1, a2" in out
    assert "rank 1 of 4 scored items" in out
    assert "Umbrella" in out and "500,000 USD" in out
    assert "duplicate of a1" in out


def test_explain_a_request_and_unknown_id():
    assert "RICE 300" in roadmap("score", "--root", TREE, "--explain", "a1").stdout
    missing = roadmap("score", "--root", TREE, "--explain", "nope")
    assert missing.returncode == 2
    assert "no item or request with id 'nope'" in missing.stderr


def test_invalid_content_is_reported_not_scored(tmp_path):
    write_tree(tmp_path, {"content/roadmap/i.md": ITEM.replace("later", "soon")})
    result = roadmap("score", "--root", str(tmp_path))
    assert result.returncode == 1
    assert "error[E205]" in result.stderr
    assert "Traceback" not in result.stderr
