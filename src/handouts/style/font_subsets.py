"""Each document's subset of a font, made and compressed once per process and then reused.

A PDF embeds, of each TrueType font it uses, a subset: when the document is saved, ReportLab's
``TTFont.addObjects`` cuts the glyphs the document uses out of the font (``TTFontFace.makeSubset``),
and saving Flate-compresses that subset (the ``FontFile2`` stream) and the character map that lets a
reader copy the text (the ``ToUnicode`` stream) and writes the glyph widths out as numbers.  The
first subset of a font is ASCII (codes 32-127, ReportLab's ``ttfAsciiReadable``) and, in codes 1-31
and then 128-255, the other characters the document uses, in order of first use; its name is fixed (``AAAAAA+`` and
the font's name: ReportLab numbers subsets, it draws no random tag).  So a Latin library makes the
same subset of each font in almost every document: 99.7 % of them in the imported free-exercise-db
library (issue 19), where that work was a fifth of each handout's time.

:class:`CachingTTFont` (the class :mod:`handouts.style.fonts` registers every font as) keeps
ReportLab's own code for all of it and remembers three results, so the next document whose subset
is the same reuses them:

* the subset font file, by (the font face, the subset's codes in order, their glyph numbers):
  ``makeSubset`` reads nothing else but the font file's own tables, which nothing changes;
* each compressed stream, by its exact uncompressed content (the subset file's bytes; the character
  map's text, which holds the subset's name and codes): the filter that compresses it is
  ReportLab's own ``PDFZCompress``, called once for that content;
* the widths array as written, by the widths (and their types) and ReportLab's ``pdfMultiLine`` setting.

So the bytes are the ones ReportLab would write (tests/test_font_subsets.py builds documents with
the caches on and off, in one process, and compares them; the reference builds of issue 19 came out
identical).  What is reused is only ever *looked up by what it was made from*, never by a name.

Measured on the 868-exercise library with its FAQs (every handout laid out and rendered in one
process, Letter, pictures already prepared; CPU time, caches off and on in turn, 8 rounds on a busy
2-core machine): median 9.00 ms per handout without the caches, 6.57 ms with them (-25 %); saving
a document went from 25 to 13 ms under cProfile.  The whole library made 5 distinct subsets (2 per
handout) and reused them in every other handout.  A whole ``handouts build --jobs 1`` of it (cards,
deck, catalogue and previews too) took 3-6 % less CPU (medians of 3-4 runs in turn with the code
before): each handout's preview PNG there costs far more than its PDF.  A subset of Atkinson Hyperlegible is 18.8 kB,
11.0 kB compressed, its character map 1.9 kB (0.7 kB compressed); the fallback fonts' are 14-16 kB;
a full subset (256 codes) is at most 33 kB (18 kB compressed).  So the tables are bounded by count
(:data:`CAPACITY`): about 3 MB per process at most, some 0.2 MB for that library.

Why a subclass with an instance attribute and not a patch of ReportLab: only our fonts are
touched, and a ReportLab that is not shaped as expected makes the class fall back to plain
ReportLab (:data:`REPORTLAB_FITS`) rather than write anything different.  Checked against ReportLab
4.2.0, 4.4.4 and 5.1.0, whose ``TTFont.addObjects``, ``TTFontFace.addSubsetObjects`` and
``makeSubset``, ``PDFStream``, ``PDFArray`` and the Flate filter are the same code.
"""

from __future__ import annotations

import inspect
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

#: Entries each table keeps, least recently used dropped first.  A handout uses 2-4 fonts, each
#: usually with the library's one common subset, so a few dozen hold every subset that repeats;
#: the streams' table holds two streams (font file, character map) per subset.
CAPACITY = 32


@dataclass
class Counts:
    """How often a table reused a result (*hits*) and how often it had to make one (*misses*)."""

    hits: int = 0
    misses: int = 0


class Recent:
    """A mapping of at most *capacity* entries, least recently used dropped first, that counts its
    hits and misses.  Safe to share between threads: two threads making the same missing value
    both make it (it is the same), and one of them is kept."""

    def __init__(self, capacity: int):
        self.capacity = capacity
        self.counts = Counts()
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """The value kept for *key*, else ``make()``, kept."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.counts.hits += 1
                return self._items[key]
            self.counts.misses += 1
        value = make()  # not under the lock: making is the slow part
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.counts = Counts()


#: The subset font files, by (face, codes, glyph numbers).
SUBSETS = Recent(CAPACITY)
#: Compressed streams, by their uncompressed content (the compressor is one zlib, at one level, per process).
STREAMS = Recent(2 * CAPACITY)
#: Widths arrays as written, by (widths, their types, pdfMultiLine, PDFArray.multiline).
WIDTHS = Recent(CAPACITY)

_enabled = True


def _reportlab_fits() -> bool:
    """Whether ReportLab has the shape this module was written against (see the module's docstring)."""
    try:
        params = list(inspect.signature(TTFontFace.makeSubset).parameters)
        flate = pdfdoc.PDFZCompress
        return (params == ["self", "subset"] and isinstance(flate, pdfdoc.PDFStreamFilterZCompress)
                and flate.pdfname == "FlateDecode" and callable(getattr(TTFont, "addObjects", None))
                and all(hasattr(pdfdoc, name) for name in ("PDFStream", "PDFArray", "PDFTrueTypeFont")))
    except (AttributeError, TypeError, ValueError):
        return False


#: False on a ReportLab this module does not know the shape of: then fonts embed as ReportLab alone does.
REPORTLAB_FITS = _reportlab_fits()


@contextmanager
def subset_caching(enabled: bool) -> Iterator[None]:
    """Within the block, reuse subsets (True, the default) or make every one afresh (False), as
    plain ReportLab does; for tests that compare the two.  Not meant to be nested across threads."""
    global _enabled
    before, _enabled = _enabled, enabled
    try:
        yield
    finally:
        _enabled = before


def caching() -> bool:
    """Whether subsets are being reused now."""
    return _enabled and REPORTLAB_FITS


def clear() -> None:
    """Forget every kept subset, stream and widths array, and zero the counts."""
    for table in (SUBSETS, STREAMS, WIDTHS):
        table.clear()


class _ReusingFlate(pdfdoc.PDFStreamFilterZCompress):
    """ReportLab's Flate filter (same name in the PDF, same compressor), remembering what it made."""

    def encode(self, text: str | bytes) -> bytes:
        if type(text) not in (str, bytes):  # not what ReportLab gives (a bytearray is no key): not kept
            return pdfdoc.PDFZCompress.encode(text)
        return STREAMS.get(text, lambda: pdfdoc.PDFZCompress.encode(text))


_REUSING_FLATE = _ReusingFlate()


class _Written(pdfdoc.PDFObject):
    """A PDF value already written out: its bytes, as ReportLab wrote them the first time."""

    def __init__(self, data: bytes):
        self.data = data

    def format(self, document: Any) -> bytes:
        return self.data


def _widths(array: Any, document: Any) -> Any:
    """*array* (a ``PDFArray`` of widths) as a :class:`_Written` value, or itself when it holds other than numbers."""
    values = tuple(array.sequence)
    kinds = tuple(map(type, values))  # 500 == 500.0, but each is written as its own type writes
    if not set(kinds) <= {int, float}:
        return array
    key = (values, kinds, rl_config.pdfMultiLine, array.multiline)
    return _Written(WIDTHS.get(key, lambda: array.format(document)))


class CachingTTFont(TTFont):
    """ReportLab's ``TTFont`` whose subsets, once made and compressed, are reused by later documents
    of this process that embed the same subset (see the module's docstring); the bytes written are
    the same.  Takes ReportLab's arguments."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if REPORTLAB_FITS:
            # ReportLab makes the face inside TTFont.__init__, by name, so its class is not ours to
            # choose; an instance attribute is found before the class's method, for this face alone.
            face, make = self.face, self.face.makeSubset
            self.face.makeSubset = lambda subset: _subset(face, make, subset)

    def addObjects(self, doc: Any) -> None:
        """ReportLab's ``addObjects``; then, of the objects it added, the compressed streams compress
        through the reusing filter and the widths arrays are written once."""
        if not caching():
            return super().addObjects(doc)
        before = set(doc.idToObject)
        super().addObjects(doc)
        for name, obj in list(doc.idToObject.items()):
            if name in before:
                continue
            if type(obj) is pdfdoc.PDFStream and obj.filters == [pdfdoc.PDFZCompress]:
                obj.filters = [_REUSING_FLATE]
            elif isinstance(obj, pdfdoc.PDFTrueTypeFont) and type(getattr(obj, "Widths", None)) is pdfdoc.PDFArray:
                obj.Widths = _widths(obj.Widths, doc)
        return None


def _subset(face: TTFontFace, make: Callable[[list[int]], bytes], subset: list[int]) -> bytes:
    """The font file of *face*'s *subset* (codes in order), as ReportLab's *make* makes it, reused when kept."""
    if not caching():
        return make(subset)
    glyphs = face.charToGlyph
    key = (face, tuple(subset), tuple(glyphs.get(code, 0) for code in subset))
    return SUBSETS.get(key, lambda: make(subset))
