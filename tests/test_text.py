"""User text reaches ReportLab escaped, and every character has a font or a visible stand-in."""

from __future__ import annotations

from handouts.style.fonts import fonts
from handouts.layout.markup import REPLACEMENT, char_name, to_markup


def test_markup_in_content_is_escaped():
    result = to_markup('<b>not bold</b> &amp; <img src="x.png"> R&D', fonts())
    assert result.markup == '&lt;b&gt;not bold&lt;/b&gt; &amp;amp; &lt;img src="x.png"&gt; R&amp;D'
    assert result.fallback == () and result.replaced == ()


def test_characters_atkinson_lacks_are_set_in_the_fallback_font():
    result = to_markup("heel → toe, α and β", fonts())
    assert result.markup == ('heel <font face="Inter">→</font> toe, <font face="Inter">α</font> and '
                             '<font face="Inter">β</font>')
    assert result.fallback == ("→", "α", "β")


def test_fallback_runs_are_merged_and_escaped():
    result = to_markup("a →←<b", fonts())
    assert result.markup == 'a <font face="Inter">→←</font>&lt;b'


def test_a_character_no_font_has_is_replaced_visibly_and_reported():
    result = to_markup("rest \U0001F600 then go", fonts())  # an emoji: neither font has it
    assert result.replaced == ("\U0001F600",)
    assert REPLACEMENT.replace("[", "").replace("]", "") in result.markup
    assert "\U0001F600" not in result.markup


def test_compatibility_characters_fold_to_an_equivalent():
    result = to_markup("\ufb01ne", fonts())  # the 'fi' ligature
    assert result.markup in ("\ufb01ne", "fine", '<font face="Inter">\ufb01</font>ne')


def test_latin_accents_and_curly_quotes_stay_in_atkinson():
    result = to_markup("¿Cuántas? “Sí” – 90° ½ × ±", fonts())
    assert result.fallback == () and result.replaced == ()


def test_char_name_names_code_point_and_unicode_name():
    assert char_name("→") == "'→' (U+2192 RIGHTWARDS ARROW)"


# --- issue 13: mirrored characters, grapheme clusters, glyph aliases --------------------------

def test_every_bidi_mirrored_pair_is_mirrored_between_hebrew_letters():
    from bidi.mirror import MIRRORED

    from handouts.layout.markup import visual_order

    assert len(MIRRORED) > 300  # BidiMirroring.txt: brackets, < >, guillemets, maths
    for char, mirror in MIRRORED.items():
        assert visual_order(f"א{char}ב")[0] == f"ב{mirror}א", f"U+{ord(char):04X}"


def test_a_left_to_right_paragraph_keeps_its_brackets_as_typed():
    from handouts.layout.markup import visual_order

    assert visual_order("Say (שלום) now")[0] == "Say (םולש) now"
    assert visual_order("lift (3 sets)") == ("lift (3 sets)", False)


def test_unreadable_bidi_levels_fall_back_to_the_unmirrored_order(monkeypatch):
    import bidi

    from handouts.layout import markup

    real = bidi.get_display
    monkeypatch.setattr(bidi, "get_display", lambda text, *a, debug=False, **k: "?" if debug else real(text))
    assert markup.visual_order("נשום (לאט)")[0] == ")טאל( םושנ"


def test_each_line_is_its_own_paragraph_to_the_bidi_algorithm():
    from handouts.layout.markup import visual_order

    assert visual_order("Monday: rest\nשלום (א)")[0] == "Monday: rest\n(א) םולש"


def test_a_narrow_no_break_space_becomes_the_no_break_space_reportlab_keeps_whole():
    result = to_markup("10\u202fkm and 5\u2007kg", fonts())
    assert result.markup == "10\u00a0km and 5\u00a0kg" and result.fallback == ()


def test_characters_atkinson_draws_with_an_equivalent_glyph_need_no_fallback():
    result = to_markup("hip\u2011width, 2\u20103, 5\u20126, a\u2015b, thin\u2009space", fonts())
    assert result.fallback == () and result.replaced == ()
    assert "<font" not in result.markup


def test_invisible_format_characters_are_left_out_silently():
    result = to_markup("word\u200bbreak\u2060joined\ufeff \u2764\ufe0f", fonts())
    assert result.replaced == () and result.dropped == ()
    assert "\u200b" not in result.markup and "\ufe0f" not in result.markup


def test_a_grapheme_cluster_is_one_stand_in_and_named_whole():
    family = "\U0001F468\u200d\U0001F469\u200d\U0001F467"
    result = to_markup(f"a {family} b \U0001F44D\U0001F3FD", fonts())
    assert result.replaced == (family, "\U0001F44D\U0001F3FD")
    assert result.markup == f"a {REPLACEMENT} b {REPLACEMENT}"
    assert char_name(family) == f"'{family}' (U+1F468 MAN, a sequence of 5 code points)"


def test_describe_chars_names_letters_by_script_and_the_rest_one_by_one():
    from handouts.layout.markup import describe_chars

    assert describe_chars("שלוםα→") == "Hebrew letters, Greek letters, '→' (U+2192 RIGHTWARDS ARROW)"
    assert describe_chars("İ") == "'İ' (U+0130 LATIN CAPITAL LETTER I WITH DOT…)", "a Latin letter is named"


def test_a_variation_selector_is_no_loose_mark_and_no_obstacle_to_a_stand_in():
    from handouts.layout.markup import FieldText

    text = FieldText(fonts())
    assert "(ok)" in text("tip", "Tick \u2714\ufe0f when done, \u26a0\ufe0f careful.")
    assert not any("beside its letter" in note for _, note in text.notes)


def test_arabic_vowel_marks_left_out_are_warned_not_listed_as_printed():
    result = to_markup("قُمْ الآنَ", fonts())
    assert result.harakat == ("\u064f", "\u0652", "\u064e")
    assert not set(result.harakat) & set(result.fallback)
    assert not any(c in result.markup for c in result.harakat)


def test_a_lone_skin_tone_after_a_space_keeps_the_space():
    assert to_markup("lone tone \U0001F3FD end", fonts()).markup == f"lone tone {REPLACEMENT} end"
