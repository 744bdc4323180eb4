"""Finding account and requester names in public text (disclosure.py)."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.content.disclosure import _find_names, index_names

WORDS = ["ann", "anna", "annabel", "lee", "globex", "straße", "müller", "co", "acme", "ab"]


def found(text: str, names: list[str], regex: bool = True) -> list[tuple[int, str]]:
    index = index_names(names)
    if not regex:
        index = replace(index, first_words=None)
    return list(_find_names(text, index))


def test_names_are_found_as_whole_words_in_any_case():
    names = ["Ann", "Annabel Lee", "Globex Corporation", "Globex", "Müller"]
    text = "ANNABEL LEE asked; annabel did not. Globex corporation and globex. MÜLLER, Anna."
    assert found(text, names) == [
        (0, "ANNABEL LEE"),
        (36, "Globex corporation"),
        (59, "globex"),
        (67, "MÜLLER"),
    ]


def test_words_nesting_too_deep_for_a_regex_fall_back_to_splitting():
    names = ["a" * n for n in range(3, 2000)]  # each the prefix of the next
    index = index_names(names)
    assert index.first_words is None
    assert list(_find_names("x aaaa y", index)) == [(2, "aaaa")]


@settings(max_examples=300, deadline=None)
@given(
    names=st.lists(
        st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join), max_size=6
    ),
    text=st.lists(
        st.sampled_from([*WORDS, "Ann", "ANNA", "STRASSE", "x", " ", ", ", "-", "é", "_"]),
        max_size=30,
    ).map(" ".join),
)
def test_the_regex_prefilter_finds_what_splitting_into_words_finds(names, text):
    assert found(text, names) == found(text, names, regex=False)
