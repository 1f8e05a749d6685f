"""A structural check of a PDF file, by two independent readers: qpdf (via pikepdf) and pypdf.

``check_pdf(path)`` returns the problems found, as readable strings; an empty list means
the file passed both:

* **qpdf** (``pikepdf``): the file opens without repairs, and ``Pdf.check_pdf_syntax()``
  (``Pdf.check()`` before pikepdf 10), which follows ``qpdf --check`` step by step, reports
  nothing: cross-reference table, object structure, every stream decodes, every page's
  content stream parses.  qpdf's warnings (an xref it had to reconstruct, a bad offset)
  count as problems too.
* **pypdf** in strict mode: ``PdfReader(path, strict=True)`` reads the document, every page,
  and every page's text without raising, without a ``warnings`` warning and without a
  warning on the ``pypdf`` logger (both are captured and reported as problems).

Results are cached by the SHA-256 of the file's bytes, so identical files (a rebuild that
must give the same bytes, the same exercise built in many tests) are checked once per
process.  ``tests/conftest.py`` runs this on every PDF the tests write (see
``pytest_runtest_call`` and ``pytest_sessionfinish`` there).
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import time
import warnings
from pathlib import Path

import pikepdf
from pypdf import PdfReader

#: Results by the SHA-256 of the file's bytes.
_CACHE: dict[str, tuple[str, ...]] = {}

#: Files actually checked (cache misses) in this process: for the session summary.
stats = {"files": 0, "checked": 0, "seconds": 0.0}


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _qpdf_problems(data: bytes) -> list[str]:

    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            check = getattr(pdf, "check_pdf_syntax", None) or pdf.check
            return [f"qpdf: {_unnamed(problem)}" for problem in check()]
    except Exception as exc:  # pikepdf.PdfError and friends: the file cannot be opened at all
        return [f"qpdf: cannot open: {type(exc).__name__}: {_unnamed(str(exc))}"]


def _unnamed(message: str) -> str:
    """qpdf names an in-memory file ``stream <_io.BytesIO object at 0x...>``: say "the file"."""
    return re.sub(r"stream <_io\.BytesIO object at 0x[0-9a-fA-F]+>", "the file", message)


def _pypdf_problems(data: bytes) -> list[str]:

    problems: list[str] = []
    handler = _Collect()
    logger = logging.getLogger("pypdf")
    logger.addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                reader = PdfReader(io.BytesIO(data), strict=True)
                if not len(reader.pages):
                    problems.append("pypdf: no pages")
                for number, page in enumerate(reader.pages, start=1):
                    try:
                        page.extract_text()
                    except Exception as exc:
                        problems.append(f"pypdf: page {number}: {type(exc).__name__}: {exc}")
            except Exception as exc:
                problems.append(f"pypdf: cannot read: {type(exc).__name__}: {exc}")
        problems += [f"pypdf warning: {w.category.__name__}: {w.message}" for w in caught]
    finally:
        logger.removeHandler(handler)
    problems += [f"pypdf log: {message}" for message in handler.messages]
    return problems


def check_bytes(data: bytes) -> list[str]:
    """The problems qpdf and strict pypdf find in the PDF *data* (empty: it is sound); cached."""

    stats["files"] += 1
    key = hashlib.sha256(data).hexdigest()
    if key not in _CACHE:
        started = time.perf_counter()
        if not data.startswith(b"%PDF-"):
            _CACHE[key] = ("does not start with %PDF-",)
        else:
            _CACHE[key] = tuple(_qpdf_problems(data) + _pypdf_problems(data))
        stats["checked"] += 1
        stats["seconds"] += time.perf_counter() - started
    return list(_CACHE[key])


def check_pdf(path: str | Path) -> list[str]:
    """The problems qpdf and strict pypdf find in the PDF file at *path* (empty: it is sound)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return [f"cannot read the file: {exc}"]
    return check_bytes(data)


def check_tree(root: str | Path, skip=lambda path: False) -> dict[Path, list[str]]:
    """``{path: problems}`` for every ``*.pdf`` under *root* (recursively) that has problems.

    *skip(path)* returning true leaves that file out.
    """
    found: dict[Path, list[str]] = {}
    for path in sorted(Path(root).rglob("*.pdf")):
        if path.is_file() and not skip(path):
            problems = check_pdf(path)
            if problems:
                found[path] = problems
    return found
