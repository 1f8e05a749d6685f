"""The reading grades and plain-language rules of ``handouts check`` (issue 17), against hand counts.

Each grade is worked out below from the published formula with the words, sentences and
syllables counted by hand, so a test failing says which count or which constant is wrong.
"""

from __future__ import annotations

import pytest

from handouts.build.plain_language import review_text
from handouts.content.clinic_check import CheckSettings
from handouts.content.exercise import Exercise
from handouts.content.readability import count, grade, split_sentences, syllables, too_hard

#: Common words of exercise handouts, with their syllables as a dictionary gives them.
ENGLISH = {"every": 3, "exercise": 3, "the": 1, "beginners": 3, "relaxed": 2, "position": 3, "comfortable": 4,
           "stretch": 1, "supporting": 3, "area": 3, "create": 2, "toward": 2, "ankle": 2, "knee": 1, "shoulders": 2,
           "flexed": 1, "opposite": 3, "figure": 2, "hamstring": 2, "breathe": 1, "slowly": 2, "pelvis": 2,
           "physiotherapy": 5, "usually": 4, "lying": 2, "quiet": 2, "idea": 3, "while": 1, "table": 2,
           "supported": 3, "makes": 1, "lunges": 2, "stretches": 2, "knees": 1, "your": 1, "yoga": 2, "repeat": 2,
           "muscles": 2, "gently": 2, "controlled": 2, "seconds": 2, "release": 2, "straight": 1, "forward": 2,
           "against": 2, "ribcage": 2, "sacrum": 2, "rotation": 3, "extension": 3, "people": 2, "video": 3,
           "used": 1, "rested": 2, "flexion": 2, "glutes": 1, "squeeze": 1, "balance": 2, "naturally": 4,
           "continue": 3, "movement": 2, "safely": 2, "useful": 2, "figure-four": 3, "don't": 1}
SPANISH = {"ejercicio": 4, "rodilla": 3, "acuéstese": 4, "túmbese": 3, "boca": 2, "arriba": 3, "estiramiento": 5,
           "mantenga": 3, "respire": 3, "despacio": 3, "pie": 1, "día": 2, "aire": 2, "muy": 1, "que": 1, "leer": 2,
           "espalda": 3, "piernas": 2, "cadera": 3, "suavemente": 4, "hacia": 2, "país": 2, "poeta": 3, "y": 1}


@pytest.mark.parametrize(("language", "words"), [("en", ENGLISH), ("es", SPANISH)])
def test_syllables_by_rule_match_the_dictionary(language, words):
    assert {w: syllables(w, language) for w in words} == words


def test_sentences_end_at_a_stop_but_not_an_abbreviation():
    assert split_sentences("Lie on a mat, e.g. a yoga mat. Hold for approx. 30 s! Then rest: breathe.\nRepeat") == [
        "Lie on a mat, e.g. a yoga mat.", "Hold for approx. 30 s!", "Then rest: breathe.", "Repeat"]


def _grade(text, language):
    return grade(count(split_sentences(text), language), language)


def test_flesch_kincaid_by_hand():
    # "Lie on your back." 4 words; "Bend both knees ... the floor." 11 words: every word one syllable.
    # 2 sentences, 15 words, 15 syllables: 0.39 * 15/2 + 11.8 * 15/15 - 15.59 = 2.925 + 11.8 - 15.59 = -0.865
    result = _grade("Lie on your back. Bend both knees and keep your feet flat on the floor.", "en")
    assert (result.formula, result.scale) == ("Flesch-Kincaid", "grade")
    assert result.score == pytest.approx(-0.865)
    # Breathe 1, out 1, slowly 2, and 1, relax 2, your 1, shoulders 2: 1 sentence, 7 words, 10 syllables:
    # 0.39 * 7 + 11.8 * 10/7 - 15.59 = 2.73 + 16.857 - 15.59 = 3.997
    assert _grade("Breathe out slowly and relax your shoulders.", "en").score == pytest.approx(3.99714, abs=1e-4)


def test_inflesz_by_hand():
    # Túm-be-se bo-ca a-rri-ba: 3 words, 8 syllables; Do-ble las ro-di-llas des-pa-cio: 4 words, 9 syllables.
    # Szigriszt-Pazos: 206.835 - 62.3 * 17/7 - 7/2 = 206.835 - 151.3 - 3.5 = 52.035, INFLESZ "algo difícil"
    # (textstat 0.7.13 says 60.94: Pyphen's "arri-ba" is one syllable short)
    result = _grade("Túmbese boca arriba. Doble las rodillas despacio.", "es")
    assert (result.formula, result.scale, result.band) == ("INFLESZ", "ease", "algo difícil")
    assert result.score == pytest.approx(52.035)
    # Res-pi-re des-pa-cio: 2 words, 6 syllables, 1 sentence: 206.835 - 62.3 * 3 - 2 = 17.935 (textstat: 17.94)
    assert _grade("Respire despacio.", "es").score == pytest.approx(17.935)


def test_kandel_moles_and_wiener_sachtextformel_by_hand():
    # Gar-dez le dos droit: 4 words, 5 syllables, 1 sentence: 207 - 1.015 * 4 - 73.6 * 5/4 = 110.94
    fr = _grade("Gardez le dos droit.", "fr")
    assert (fr.formula, fr.score, fr.band) == ("Kandel-Moles", pytest.approx(110.94), "very easy")
    # He-ben Sie das Bein lang-sam an: 6 words, 1 sentence; none of 3 syllables (MS 0), "langsam" over six
    # letters (IW 100/6), four of one syllable (ES 400/6):
    # 0.1935 * 0 + 0.1672 * 6 + 0.1297 * 16.667 - 0.0327 * 66.667 - 0.875 = 0.10987
    de = _grade("Heben Sie das Bein langsam an.", "de")
    assert (de.formula, de.scale) == ("Wiener Sachtextformel", "grade")
    assert de.score == pytest.approx(0.10987, abs=1e-4)


def test_a_grade_is_too_hard_above_its_target_and_an_ease_below():
    hard = _grade("Breathe out slowly and relax your shoulders.", "en")
    assert too_hard(hard, 3) and not too_hard(hard, 4)
    easy = _grade("Respire despacio.", "es")
    assert too_hard(easy, 55) and not too_hard(easy, 10)
    assert grade(count([], "en"), "en") is None


def _exercise(**fields):
    lines = {"title": 1, "summary": 2, "instructions": 3, "tags": 9, "caution": 10,
             **{f"instructions, step {i + 1}": 4 + i for i in range(5)}, "tips, tip 1": 8}
    return Exercise(id="made", source="content/made.yaml", title=fields.pop("title", "Made"),
                    instructions=fields.pop("instructions", ("Lie on your back.",)), lines=lines, **fields)


def _messages(ex, settings=CheckSettings()):
    return [str(p) for p in review_text(ex, settings).findings]


def test_a_plain_exercise_has_no_finding():
    assert _messages(_exercise(instructions=("Lie on your back.", "Bend both knees.", "Slowly lift your hips."),
                               tips=("Keep your feet flat.",))) == []


def test_a_long_step_is_counted_and_a_long_sentence_quoted():
    long_step = " ".join(["Lift"] + ["your leg"] * 13) + "."  # 27 words
    found = _messages(_exercise(instructions=("Lie down.", long_step),
                                summary="This is a summary sentence that goes on and on for more than twenty words "
                                        "so that a reader loses the thread of it. Short one."))
    assert "content/made.yaml:5: instructions, step 2: 27 words; plain-language guidance is at most 25 a step " \
           "(split it in two)" in found
    assert ("content/made.yaml:2: summary: a sentence of 24 words, 'This is a summary sentence that goes on and on "
            "fo…'; plain-language guidance is at most 20") in found
    assert len(found) == 2  # the long step is not said again as a long sentence


def test_only_the_two_longest_sentences_are_reported():
    sentence = "Keep " + "your back flat " * 7 + "now."  # 23 words
    found = _messages(_exercise(summary=" ".join([sentence] * 3)))
    assert len([f for f in found if "a sentence of 23 words" in f]) == 2


def test_thresholds_come_from_the_settings():
    ex = _exercise(instructions=("Lift your leg up and hold it there for a count of five.",))  # 13 words
    assert _messages(ex) == []
    assert _messages(ex, CheckSettings(step_words=10)) == [
        "content/made.yaml:4: instructions, step 1: 13 words; plain-language guidance is at most 10 a step "
        "(split it in two)"]


def test_a_step_that_starts_with_an_article_or_pronoun_is_flagged_and_a_verb_is_not():
    found = _messages(_exercise(instructions=("Lie down.", "Your knees stay bent.", "You lift the leg.",
                                              "Slowly lower it.", "If it hurts, stop.")))
    assert found == [
        "content/made.yaml:5: instructions, step 2: starts with 'Your', not with what to do; start a step with its "
        "verb ('Lift your leg', not 'Your leg lifts')",
        "content/made.yaml:6: instructions, step 3: starts with 'You', not with what to do; start a step with its "
        "verb ('Lift your leg', not 'Your leg lifts')"]


def test_passive_voice_in_english_and_spanish():
    assert _messages(_exercise(instructions=("The leg is slowly lowered to the floor.",))) == [
        "content/made.yaml:4: instructions, step 1: starts with 'The', not with what to do; start a step with its "
        "verb ('Lift your leg', not 'Your leg lifts')",
        "content/made.yaml:4: instructions, step 1: passive voice 'is slowly lowered'; say who does it ('you ...')"]
    assert _messages(_exercise(tips=("Your arm should be held high.",))) == [
        "content/made.yaml:8: tips, tip 1: passive voice 'be held'; say who does it ('you ...')"]
    assert _messages(_exercise(tips=("Keep your back relaxed; it is often tight.",))) == []  # adjectives
    es = _exercise(language="es", instructions=("Doble la rodilla.",), tips=("El ejercicio es realizado despacio.",))
    assert [m for m in _messages(es) if "passive" in m] == [
        "content/made.yaml:8: tips, tip 1: passive voice 'es realizado'; say who does it ('you ...')"]


def test_jargon_is_named_with_its_plain_word():
    found = _messages(_exercise(instructions=("Lie supine on the mat.",), tips=("Avoid Lumbar flexion.",)))
    assert found == ["content/made.yaml:4: instructions, step 1: 'supine' is a clinical word; say 'lying on your back'",
                     "content/made.yaml:8: tips, tip 1: 'Lumbar' is a clinical word; say 'lower back'",
                     "content/made.yaml:8: tips, tip 1: 'flexion' is a clinical word; say 'bending'"]
    assert _messages(_exercise(instructions=("Lie on the supinely mat.",))) == []  # whole words only


def test_the_grade_is_a_finding_only_past_the_target():
    hard = _exercise(instructions=("Consider physiotherapy rehabilitation opportunities individually.",))
    found = review_text(hard, CheckSettings())
    assert found.grade.score > 8 and found.words == 5
    assert found.findings[0].message.startswith("reading grade Flesch-Kincaid ")
    assert "patient material should read at most 8 (clinic.yaml check: grade)" in found.findings[0].message
    assert found.grade.band == "graduate"
    assert not review_text(_exercise(instructions=("Consider physiotherapy for your knee.",)),
                           CheckSettings(grade=20)).findings


def test_the_faq_is_not_graded():
    from handouts.content.exercise import FaqItem

    plain = _exercise(instructions=("Lie on your back.",))
    with_faq = _exercise(instructions=("Lie on your back.",),
                         faq=(FaqItem("Why?", "Consider physiotherapy rehabilitation opportunities individually."),))
    assert review_text(plain, CheckSettings()).grade == review_text(with_faq, CheckSettings()).grade
