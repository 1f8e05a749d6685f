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
