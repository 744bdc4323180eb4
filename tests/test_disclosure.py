"""Finding account and requester names in public text, as readers see it (disclosure.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.content.disclosure import _find_names, index_names, visible

WORDS = ["ann", "anna", "annabel", "lee", "globex", "straße", "müller", "co", "acme", "ab"]


def found(text: str, names: list[str], regex: bool = True) -> list[tuple[int, str]]:
    index = index_names(names)
    if not regex:
        index = replace(index, first_words=None)
    return list(_find_names(text, index))


def test_names_are_found_as_whole_words_in_any_case():
    names = ["Ann", "Annabel Lee", "Globex Corporation", "Globex", "Müller"]
    text = "ANNABEL LEE asked; annabel did not.\nGlobex corporation and globex. MÜLLER, Anna."
    assert found(text, names) == [
        (0, "ANNABEL LEE"),
        (1, "Globex corporation"),
        (1, "globex"),
        (1, "MÜLLER"),
    ]


@pytest.mark.parametrize(
    ("text", "name", "reads"),
    [
        ("Acme&#115;entinel renews in May.", "Acmesentinel", "Acmesentinel"),  # an entity
        ("Acme**s**entinel renews in May.", "Acmesentinel", "Acmesentinel"),  # emphasis
        ("Glo\u200bbex renews in May.", "Globex", "Globex"),  # a zero-width space
        ("Glo\u00adbex renews in May.", "Globex", "Globex"),  # a soft hyphen
        ("[Glo](https://example.com)bex renews.", "Globex", "Globex"),  # a link
        ("Ｇｌｏｂｅｘ renews in May.", "Globex", "Globex"),  # full-width letters
        ("`Glo`bex renews in May.", "Globex", "Globex"),  # code
    ],
)
def test_a_name_is_found_however_it_is_written(text, name, reads):
    assert found(text, [name]) == [(0, reads)]


def test_the_first_word_of_a_longer_name_and_a_first_name_are_found_as_written():
    names = ["Globex Corporation", "Maya Chen", "First National Bank", "Will Ortiz"]
    assert found("Globex's security review.", names) == [(0, "Globex")]
    assert found("Maya asked for it.", names) == [(0, "Maya")]
    assert found("a globex of ideas; maya is a word too", names) == []  # only as written
    assert found("First, we ship. Will it scale?", names) == []  # common words alone
    assert found("The First National Bank asked.", names) == [(0, "First National Bank")]


def test_short_and_common_one_word_names_are_found_only_as_written():
    names = ["HP", "Target"]
    assert found("HP asked; Target too.", names) == [(0, "HP"), (0, "Target")]
    assert found("hp of the engine; the target quarter", names) == []


def test_visible_text_keeps_its_lines():
    text = "one &amp; **two**\n\u200bthree [four](x)\n"
    assert visible(text) == "one & two\nthree [four\n"


def test_words_nesting_too_deep_for_a_regex_fall_back_to_splitting():
    names = ["a" * n for n in range(3, 2000)]  # each the prefix of the next
    index = index_names(names)
    assert index.first_words is None
    assert list(_find_names("x aaaa y", index)) == [(0, "aaaa")]


@settings(max_examples=300, deadline=None)
@given(
    names=st.lists(
        st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join), max_size=6
    ),
    text=st.lists(
        st.sampled_from([*WORDS, "Ann", "ANNA", "STRASSE", "x", " ", ", ", "-", "é", "_", "\n"]),
        max_size=30,
    ).map(" ".join),
)
def test_the_regex_prefilter_finds_what_splitting_into_words_finds(names, text):
    assert found(text, names) == found(text, names, regex=False)
