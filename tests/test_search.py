"""The search behind ``handouts list --search`` and a program's suggestions (content/search.py):
folded without accents or capitals, ranked title > tags and summary > steps, every word needed."""

from __future__ import annotations

from pathlib import Path

import pytest

from handouts.content.program import load_program
from handouts.content.search import Searchable, by_title, fold, rank, words
from handouts.errors import ContentError


def test_text_is_folded_without_accents_or_capitals():
    assert fold("Élévation du BASSIN") == "elevation du bassin"
    assert fold("Straße") == "strasse"
    assert words("Butt-Lift (Bridge), 90/90") == ["butt", "lift", "bridge", "90", "90"]
    assert words("ÉTIREMENT des ischio-jambiers") == ["etirement", "des", "ischio", "jambiers"]


LIBRARY = {
    "steps-only": Searchable.of("Wall Sit", ["quadriceps"], ["Lean back and stretch your hamstring gently."]),
    "in-tags": Searchable.of("Lying Leg Raise", ["hamstrings", "stretching"], ["Raise the leg."]),
    "long-title": Searchable.of("Seated Hamstring Stretch With a Towel", ["hamstrings"], ["Sit."]),
    "title": Searchable.of("Hamstring Stretch", ["hamstrings"], ["Lie down."]),
    "reversed": Searchable.of("Stretch for the Hamstring", [], ["Stand."]),
    "one-word": Searchable.of("Hamstring Curl", ["hamstrings"], ["Curl."]),
    "accents": Searchable.of("Étirement des ischio-jambiers", ["ischio-jambiers"], ["Allongez-vous."]),
}
TITLES = {"steps-only": "Wall Sit", "in-tags": "Lying Leg Raise", "long-title": "Seated Hamstring Stretch With a Towel",
          "title": "Hamstring Stretch", "reversed": "Stretch for the Hamstring", "one-word": "Hamstring Curl",
          "accents": "Étirement des ischio-jambiers"}


def test_title_matches_rank_above_tag_matches_above_step_matches():
    # then the title with the words together as typed, then the shorter title
    assert rank("hamstring stretch", LIBRARY, TITLES) == ["title", "long-title", "reversed", "in-tags", "steps-only"]


def test_every_word_is_needed_and_a_word_matches_the_start_of_a_word():
    assert "one-word" not in rank("hamstring stretch", LIBRARY, TITLES)  # "stretch" nowhere in it
    assert rank("hamstr", LIBRARY, TITLES) == ["one-word", "title", "reversed", "long-title", "in-tags",
                                               "steps-only"]  # equal titles' scores: alphabetical


def test_when_no_exercise_has_every_word_those_with_the_most_are_listed():
    assert rank("hamstring curl zumba", LIBRARY, TITLES) == ["one-word"]
    assert rank("zumba", LIBRARY, TITLES) == []
    assert rank("  ,; ", LIBRARY, TITLES) == []


def test_accents_and_capitals_are_ignored_both_ways():
    assert rank("ETIREMENT ISCHIO", LIBRARY, TITLES) == ["accents"]
    assert rank("étirement", LIBRARY, TITLES) == rank("etirement", LIBRARY, TITLES) == ["accents"]


def test_an_id_finds_the_titles_holding_its_words():
    titles = {"butt-lift-bridge": "Butt Lift (Bridge)", "glute-kickback": "Glute Kickback", "plank": "Plank"}
    assert by_title("butt-lift", titles) == ["butt-lift-bridge"]
    assert by_title("bridge_butt", titles) == ["butt-lift-bridge"]
    assert by_title("glute-bridge", titles) == []  # every word needed: a suggestion must be likely


def _program(tmp_path: Path, text: str, known, titles=None) -> str:
    path = tmp_path / "jane.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_program(path, known, titles=titles)
    return str(info.value.problems[0]).split("id: ", 1)[1]


def test_a_program_s_unknown_id_is_offered_the_exercise_with_that_title(tmp_path):
    known = ["ex-042", "plank", "three-step-wall-push"]  # an id that says nothing of the exercise
    titles = {"ex-042": "Butt Lift (Bridge)", "plank": "Plank", "three-step-wall-push": "Wall Push"}
    asked = []

    def lazily():
        asked.append(1)
        return titles

    assert _program(tmp_path, "client: Jo\nexercises: [butt-lift]\n", known, lazily) == \
        "no exercise 'butt-lift' in the library; did you mean 'ex-042'?"
    assert asked == [1]  # read when an id was unknown, once
    # without the titles only the spelling helps, and it does not here
    assert _program(tmp_path, "client: Jo\nexercises: [butt-lift]\n", known) == \
        "no exercise 'butt-lift' in the library (an id is a content file's name without .yaml)"


def test_titles_are_not_read_when_every_id_is_known(tmp_path):
    path = tmp_path / "jane.yaml"
    path.write_text("client: Jo\nexercises: [plank]\n", encoding="utf-8")
    load_program(path, ["plank"], titles=lambda: pytest.fail("titles read for a known id"))


def test_a_whole_word_in_the_title_ranks_above_a_word_it_only_starts():
    entries = {"london-bridges": Searchable.of("London Bridges"), "glute-bridge": Searchable.of("Barbell Glute Bridge"),
               "hip-thrust": Searchable.of("Barbell Hip Thrust"), "thruster": Searchable.of("Kettlebell Thruster",
                                                                                             ["hips"])}
    titles = {"london-bridges": "London Bridges", "glute-bridge": "Barbell Glute Bridge",
              "hip-thrust": "Barbell Hip Thrust", "thruster": "Kettlebell Thruster"}
    assert rank("bridge", entries, titles)[:2] == ["glute-bridge", "london-bridges"]
    assert rank("hip thrust", entries, titles)[0] == "hip-thrust"
