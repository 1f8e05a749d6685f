"""Which encoding a text file is in, decided by a plain rule, and its text.

Clinics' files come from Word and Notepad.  They save UTF-8 (with or without a byte-order
mark), "Unicode" (UTF-16 with a byte-order mark), or the Windows "ANSI" code page, which in
western Europe and the Americas is Windows-1252.  So :func:`decode_text` reads:

1. a byte-order mark first: ``EF BB BF`` is UTF-8, ``FF FE`` UTF-16 LE, ``FE FF`` UTF-16 BE
   (the Unicode Standard, section 23.8, "Byte Order Mark").  UTF-32's marks (``FF FE 00 00``,
   ``00 00 FE FF``) are refused by name, rather than read as UTF-16 full of NUL characters;
2. without one, UTF-8 when the bytes are valid UTF-8.  Text in another encoding with any
   letter beyond ASCII is almost never valid UTF-8 by chance (an accented letter of
   Windows-1252 is one byte from 0x80 up, which UTF-8 only allows inside a multi-byte
   sequence), so this needs no guessing, and no detector such as charset-normalizer;
3. otherwise Windows-1252, with a warning naming the encoding used and the first line that
   is not UTF-8, showing the word read there: another 8-bit encoding (Mac Roman, DOS code
   page 850) would also decode, wrongly, and only a person can see that.  ISO-8859-1
   (Latin-1) text reads the same, being Windows-1252 with the C1 controls in place of
   0x80-0x9F, which no Latin-1 text file contains.

The mapping of Windows-1252 is Unicode's (CP1252.TXT in unicode.org's MAPPINGS/VENDORS/MICSFT,
Python's ``cp1252`` codec), in which the five bytes 0x81, 0x8D, 0x8F, 0x90 and 0x9D are not
characters.  The WHATWG Encoding Standard's windows-1252 (what browsers do) reads them as
Latin-1 does, as the invisible C1 controls U+0081 ... U+009D.  Here a file holding one is an
error, not Latin-1: no Windows program saves a character as those bytes; read as controls
they would be removed (see :mod:`handouts.content.load`), so a letter would vanish from the
handout with nothing on paper to show it; and they are common letters in the encodings that
do write them (Mac Roman: 0x81 Å, 0x8D ç, 0x8F è, 0x90 ê, 0x9D ù; DOS 850: 0x81 ü, 0x90 É),
so such a file is in one of those, whose other accented letters Windows-1252 would misread
too.  A file that is not UTF-8 and holds a NUL byte is not text at all (a Word document, a
picture, or UTF-16 without its byte-order mark) and is an error too.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from handouts.errors import ContentError, Problem, shorten

#: What the user is told to do about any file this module cannot read, or read with a warning.
SAVE_AS_UTF8 = "save the file as UTF-8"
#: The bytes Windows-1252 leaves undefined (Unicode's CP1252.TXT).
_UNDEFINED_IN_1252 = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
_UTF16 = ((codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16 LE"), (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16 BE"))
_UTF32 = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)


@dataclass(frozen=True)
class Decoded:
    """A file's text (without its byte-order mark), the encoding it was read in ("UTF-8",
    "UTF-16 LE", "UTF-16 BE" or "Windows-1252"), and the warnings reading it gave (at most one:
    that it was not UTF-8)."""

    text: str
    encoding: str
    warnings: tuple[Problem, ...] = ()


def _line(raw: bytes, at: int) -> int:
    """The 1-based line of byte *at* of an 8-bit or UTF-8 file."""
    return raw.count(b"\n", 0, at) + 1


def _word_at(raw: bytes, at: int) -> str:
    """The word around byte *at* (which is not ASCII), read as Windows-1252, for a message: short,
    on one line, without the ASCII punctuation around it."""
    start = max(raw.rfind(sep, 0, at) for sep in (b" ", b"\t", b"\n", b"\r")) + 1
    ends = [end for sep in (b" ", b"\t", b"\n", b"\r") if (end := raw.find(sep, at)) >= 0]
    word = raw[start:min(ends, default=len(raw))].decode("cp1252", "replace")
    return shorten(word.strip("\"'()[]{},.;:!?"), 30)  # the word, not the JSON or YAML around it


def _utf16(raw: bytes, shown: str, codec: str, name: str) -> Decoded:
    body = raw[2:]
    try:
        return Decoded(body.decode(codec), name)
    except UnicodeDecodeError as exc:
        line = body[: exc.start - exc.start % 2].decode(codec, "replace").count("\n") + 1
        why = "it ends in half a character" if exc.reason == "truncated data" else "a character here is broken"
        raise ContentError(Problem(shown, line, None, f"not valid {name} text, though it starts with its "
                                                      f"byte-order mark ({why}); {SAVE_AS_UTF8}")) from None


def decode_text(raw: bytes, shown: str) -> Decoded:
    """The text of a file's bytes *raw*, by the rule in this module's docstring.

    *shown* names the file in messages.  Returns a :class:`Decoded` whose ``warnings`` hold the
    one located warning of a file read as Windows-1252.  Raises ContentError (one located
    Problem) for a file that is none of these: UTF-32, broken UTF-16 or UTF-8 after their
    byte-order marks, a byte Windows-1252 does not define, or a NUL byte (not a text file).
    """
    if raw.startswith(_UTF32):
        raise ContentError(Problem(shown, 1, None, f"UTF-32 text, which handouts does not read; {SAVE_AS_UTF8}"))
    for bom, codec, name in _UTF16:
        if raw.startswith(bom):
            return _utf16(raw, shown, codec, name)
    has_bom = raw.startswith(codecs.BOM_UTF8)
    body = len(codecs.BOM_UTF8) if has_bom else 0
    try:
        return Decoded(raw[body:].decode("utf-8"), "UTF-8")
    except UnicodeDecodeError as exc:
        first = body + exc.start
    if has_bom:
        raise ContentError(Problem(shown, _line(raw, first), None,
                                   f"not UTF-8 on this line, though the file starts with UTF-8's byte-order "
                                   f"mark; {SAVE_AS_UTF8} again"))
    if b"\x00" in raw:
        raise ContentError(Problem(shown, _line(raw, raw.index(b"\x00")), None,
                                   "not a text file (it has NUL bytes: a Word document, a picture, or UTF-16 "
                                   "without its byte-order mark?); save it as plain text, UTF-8"))
    undefined = _UNDEFINED_IN_1252.search(raw)
    if undefined:
        at = undefined.start()
        raise ContentError(Problem(shown, _line(raw, at), None, f"not UTF-8, nor Windows-1252, which has no "
                                   f"character 0x{raw[at]:02X} (a Mac or DOS file?); {SAVE_AS_UTF8}"))
    warning = Problem(shown, _line(raw, first), None,
                      f'not UTF-8: read as Windows-1252 (western European): "{_word_at(raw, first)}"; '
                      f"check the accented letters, and {SAVE_AS_UTF8}")
    return Decoded(raw.decode("cp1252"), "Windows-1252", (warning,))
