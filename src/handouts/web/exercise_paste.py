"""A clinic's plain-text exercise pasted into the editor, read as ``handouts import`` reads a text file.

The reader is the import's own (:func:`handouts.importers.text_reader.read_exercise_text`), so a
text that imports from a file fills the form the same way, and one that does not is refused with
the same messages, each naming its line of the pasted text.  Nothing is written: the form is filled
for a person to review and save.
"""

from __future__ import annotations

from handouts.content.load import MAX_FILE_BYTES
from handouts.errors import Problem, SourceFormatError
from handouts.importers.text_reader import read_exercise_text
from handouts.web.exercise_yaml import tidy

#: How the pasted text is named in messages (``pasted text:12: ...``).
SHOWN = "pasted text"


def data_from_text(text: str) -> tuple[dict, tuple[str, ...]]:
    """The exercise data (see :mod:`handouts.web.exercise_yaml`) the plain-text exercise *text* holds, and
    notes for the person reviewing it (which fields the text filled).

    Raises SourceFormatError, with every problem the import would report (each with its line), when
    the text cannot be read as an exercise (no title, no steps, a question without an answer), or is
    longer than a content file may be."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise SourceFormatError(Problem(SHOWN, None, None, f"is over {MAX_FILE_BYTES // 1024} KB; "
                                                           f"paste one exercise at a time"))
    if not text.strip():
        raise SourceFormatError(Problem(SHOWN, None, None, "is empty; paste an exercise's text"))
    reading = read_exercise_text(text, SHOWN)
    data = tidy(reading.data)
    return data, ("Filled from the text: " + ", ".join(FIELD_WORDS.get(key, key) for key in data) + ".",)


#: The form's own words for the fields a text fills (the notes are read beside the form, not the file).
FIELD_WORDS = {"title": "Title", "summary": "Summary", "description": "Description", "instructions": "Steps",
               "tips": "Tips", "caution": "Caution", "faq": "Questions for the cards", "dose": "Dose",
               "targets": "Targets", "equipment": "Equipment", "tags": "Tags", "level": "Level",
               "category": "Category", "images": "Pictures", "image": "Picture", "video": "Video",
               "language": "Language"}
