"""Links between files, duplicate chains and derived status."""

from __future__ import annotations

from helpers import ITEM, REQUEST, problems


def req(**fields: str) -> str:
    extra = "".join(f"{k}: {v}\n" for k, v in fields.items())
    return REQUEST.replace("---\nBody", extra + "---\nBody")


def test_link_to_missing_item_and_request_with_suggestion(tree):
    result = tree(
        {
            "content/roadmap/sso.md": ITEM,
            "content/requests/a.md": req(roadmap="ssoo"),
            "content/requests/b.md": req(duplicate_of="zzz"),
        }
    )
    assert problems(result) == [
        ("content/requests/a.md", 5, "E301"),
        ("content/requests/b.md", 5, "E302"),
    ]
    assert "did you mean `sso`?" in result.report.sorted()[0].message


def test_links_are_checked_even_in_files_with_other_errors(tree):
    text = req(roadmap="nope").replace("title: A request", "title: [1]")
    result = tree({"content/requests/a.md": text})
    assert {d.code for d in result.report.diagnostics} == {"E203", "E301"}


def test_link_to_an_existing_but_invalid_item_is_not_called_missing(tree):
    result = tree(
        {
            "content/roadmap/broken.md": ITEM.replace("later", "soon"),
            "content/requests/a.md": req(roadmap="broken"),
        }
    )
    assert problems(result) == [("content/roadmap/broken.md", 3, "E205")]


def test_duplicate_loops_are_reported_on_each_member(tree):
    result = tree(
        {
            "content/requests/a.md": req(duplicate_of="b"),
            "content/requests/b.md": req(duplicate_of="c"),
            "content/requests/c.md": req(duplicate_of="a"),
            "content/requests/d.md": req(duplicate_of="a"),  # leads into the loop
            "content/requests/self.md": req(duplicate_of="self"),
        }
    )
    assert problems(result) == [
        ("content/requests/a.md", 5, "E303"),
        ("content/requests/b.md", 5, "E303"),
        ("content/requests/c.md", 5, "E303"),
        ("content/requests/self.md", 5, "E303"),
    ]
    assert "a -> b -> c -> a" in result.report.sorted()[0].message


def test_derived_status_through_duplicate_chains(tree):
    result = tree(
        {
            "content/roadmap/now-item.md": ITEM.replace("later", "now\nowner: Ann"),
            "content/requests/canon.md": req(roadmap="now-item"),
            "content/requests/dup1.md": req(duplicate_of="canon"),
            "content/requests/dup2.md": req(duplicate_of="dup1"),
            "content/requests/lonely.md": req(),
            "content/requests/orphan-dup.md": req(duplicate_of="lonely"),
        }
    )
    roadmap = result.roadmap
    assert roadmap is not None
    status = {r.id: (r.status, r.canonical, r.item) for r in roadmap.requests.values()}
    assert status == {
        "canon": ("now", "canon", "now-item"),
        "dup1": ("now", "canon", "now-item"),
        "dup2": ("now", "canon", "now-item"),
        "lonely": ("untriaged", "lonely", None),
        "orphan-dup": ("duplicate", "lonely", None),
    }
    assert roadmap.items["now-item"].requests == ("canon", "dup1", "dup2")


def test_model_is_read_only(tree):
    result = tree({"content/roadmap/i.md": ITEM})
    import dataclasses

    import pytest

    with pytest.raises(TypeError):
        result.roadmap.items["x"] = None  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.roadmap.items["i"].body = "changed"  # type: ignore[misc]
