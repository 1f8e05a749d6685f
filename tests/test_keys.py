"""Which unknown keys are slips of a known one (an error) and which are words of their own (a warning)."""

from __future__ import annotations

import pytest

from handouts.content.exercise import DOSE_PARTS, FIELDS
from handouts.content.keys import edit_distance, near_miss, slip_message

KEYS = [spec.name for spec in FIELDS]


@pytest.mark.parametrize("a, b, distance", [
    ("caution", "caution", 0), ("cautoin", "caution", 1), ("caution", "cautoin", 1), ("tip", "tips", 1),
    ("instrutions", "instructions", 1), ("kitten", "sitting", 3), ("", "faq", 3), ("ab", "ba", 1)])
def test_a_swap_of_neighbours_is_one_edit(a, b, distance):
    assert edit_distance(a, b) == distance


@pytest.mark.parametrize("typed, known, meant", [
    ("cautoin", KEYS, "caution"), ("Tips", KEYS, "tips"), ("instrutions", KEYS, "instructions"),
    ("card-size", ["paper", "card_size"], "card_size"), ("Card Size", ["paper", "card_size"], "card_size"),
    ("rep", DOSE_PARTS, "reps"), ("sides", DOSE_PARTS, "side"), ("descriptoin", KEYS, "description"),
    # a short key allows one edit, a longer one two
    ("tps", KEYS, "tips"), ("captoin", ["file", "caption"], "caption"),
    ("author", KEYS, None), ("note", KEYS, None), ("reps", KEYS, None), ("load", DOSE_PARTS, None),
    ("time", DOSE_PARTS, None), ("levles", KEYS, None), ("categories", KEYS, None), (7, KEYS, None),
    (None, KEYS, None), (True, KEYS, None)])
def test_a_slip_is_found_and_a_word_of_its_own_is_not(typed, known, meant):
    assert near_miss(typed, known) == meant


def test_the_nearest_key_wins():
    assert near_miss("imagess", ["image", "images"]) == "images"
    assert near_miss("imagse", ["image", "images"]) == "image"  # as near as "images": the first declared


def test_the_message_says_how_to_write_it():
    assert slip_message("Tips", "tips") == "unknown key 'Tips': write it in lower case as 'tips'; " \
                                          "a key written otherwise is not read"
    assert slip_message("card-size", "card_size") == "unknown key 'card-size': write it as 'card_size'; " \
                                                     "a key written otherwise is not read"
    assert slip_message("cautoin", "caution") == "unknown key 'cautoin': did you mean 'caution'? " \
                                                 "Correct the spelling; a misspelt key is not read"
