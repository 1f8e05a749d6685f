"""An exercise's content file written from the browser's form: a new one tidy, an edited one kept as it was.

The form sends *exercise data*: a plain dict exactly as the file would hold it (str keys; str, list
and dict values, in the schema of :data:`handouts.content.exercise.FIELDS`; an empty optional field
absent).  :func:`new_exercise_text` writes it in the documented key order, lists indented under
their key as ``handouts import`` writes them.  :func:`edited_exercise_text` changes only what
changed: every top-level field whose value is the same is left as the very bytes it was (its
comments, quoting, block scalars, flow lists, indentation); a changed field is merged with
ruamel.yaml's round trip, so that its unchanged items keep their comments too; a removed field's
lines go (a comment line above or below it stays); a new field goes after the field that comes
before it in the documented order.

Whatever is written is read back by the build's own reader (:func:`handouts.content.load.parse_yaml`)
before it is returned, and must give exactly the data asked for, a number counting as the text it was
typed as (the build reads ``reps: 10`` as "10"): should the tidy way of writing it ever fail that,
every changed text is written in double quotes, then the whole file anew; what cannot be written
exactly is never returned (:class:`UnwritableData`).
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError as RuamelError
from ruamel.yaml.util import load_yaml_guess_indent

from handouts.content.exercise import DOSE_PARTS, FIELDS
from handouts.content.keys import near_miss
from handouts.content.load import RawDocument, parse_yaml
from handouts.errors import ContentError, HandoutsError, Problem
from handouts.web.yaml_values import LOADERS, dump, merged, node_without_aliases, round_trip, styled

#: The documented order of an exercise's fields (the README's table; ``handouts import`` writes it).
FIELD_ORDER: tuple[str, ...] = tuple(spec.name for spec in FIELDS)
#: The keys inside a field, in the order they are written: a dose's parts, a question, a picture.
_INNER_ORDER = DOSE_PARTS + ("question", "answer", "file", "caption")
ORDER = FIELD_ORDER + _INNER_ORDER
#: The keys inside a field that may be left empty in the form, and are then left out: a dose's parts, a caption.
_OPTIONAL_INSIDE = frozenset(DOSE_PARTS + ("caption",))
#: The first line of a file written new from the browser.
HEADER = "# Written by handouts serve; edit freely: comments are kept when it is saved there again.\n"
#: Line breaks PyYAML counts that ``\n`` does not: a file with them is edited as a whole, not by lines.
_ODD_BREAKS = re.compile(r"\r(?!\n)|[\x85\u2028\u2029]")


class UnwritableData(HandoutsError):
    """Exercise data that no way of writing YAML here reads back exactly (never seen: a safeguard)."""


# ------------------------------------------------------------------ reading


def form_data(doc: RawDocument) -> Any:
    """The data of a parsed file as the form holds it: a number (int or float) as the text it was
    typed as (``3.10``, ``007``), as the build reads it; everything else as YAML gave it."""

    def walk(value: Any, key: tuple) -> Any:
        if isinstance(value, dict):
            return {k: walk(v, key + (k,)) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, key + (i,)) for i, v in enumerate(value)]
        if type(value) in (int, float):
            return doc.typed.get(key, str(value))
        return value

    return walk(doc.data, ())


def exercise_data(text: str, shown: str = "exercise") -> dict:
    """The exercise data of a content file's *text*, for the form to open with (see :func:`form_data`).

    A top-level key that is a slip of a field's name (``cautoin:``, which the build refuses) is given
    under the field's name when that is not there too, so that the form shows it where it belongs and
    saving writes it right.  Raises ContentError (*shown* names the file) when the text is no YAML
    or not a mapping of fields."""
    doc = parse_yaml(text, shown)
    data = form_data(doc)
    if not isinstance(data, dict):
        raise ContentError(Problem(shown, doc.line_of(()), None, "expected a mapping of fields "
                                                                 "(title:, instructions:, ...)"))
    out = {}
    for key, value in data.items():
        meant = near_miss(key, FIELD_ORDER) if isinstance(key, str) and key not in FIELD_ORDER else None
        out[meant if meant and meant not in data and meant not in out else key] = value
    return out


def tidy(data: dict) -> dict:
    """*data* as it is written: numbers as their text; a top-level field that is None, blank text or an
    empty list or mapping left out (the form sends empty fields; an empty field is no field), and so is
    a dose part or a caption that is None or blank.  Raises TypeError for a value of another type."""

    def value(item: Any, inner: bool = False) -> Any:
        if isinstance(item, bool) or not isinstance(item, (str, int, float, list, dict)):
            raise TypeError(f"exercise data holds {type(item).__name__}; give text, lists and mappings")
        if isinstance(item, (int, float)):
            return str(item)
        if isinstance(item, list):
            return [value(v) for v in item]
        if isinstance(item, dict):
            return {str(k): value(v) for k, v in item.items() if not (k in _OPTIONAL_INSIDE and _empty(v))}
        return item

    cleaned = {str(k): value(v) for k, v in data.items() if v is not None}
    return {k: v for k, v in cleaned.items() if not _empty(v)}


def _empty(value: Any) -> bool:
    return value is None or value in ([], {}) or (isinstance(value, str) and not value.strip())


# ------------------------------------------------------------------ writing


def _ordered(data: dict) -> dict:
    """*data*'s fields in the documented order, then any others in theirs; inside each, the same."""
    def inner(value: Any) -> Any:
        if isinstance(value, dict):
            rank = {k: i for i, k in enumerate(_INNER_ORDER)}
            return {k: inner(value[k]) for k in sorted(value, key=lambda k: rank.get(k, len(rank)))}
        return [inner(v) for v in value] if isinstance(value, list) else value

    rank = {name: i for i, name in enumerate(FIELD_ORDER)}
    return {k: inner(data[k]) for k in sorted(data, key=lambda k: rank.get(k, len(rank)))}


def loads_as(text: str, expected: Any) -> bool:
    """Whether the build's reader reads *text* as *expected* (numbers as typed: see :func:`form_data`),
    and PyYAML's Python loader as the C one does (they differ at the edges)."""
    try:
        doc = parse_yaml(text, "written")
        if doc.warnings or form_data(doc) != expected:
            return False
        return all(_same(yaml.load(text, Loader=loader), doc.data) for loader in LOADERS)
    except (ContentError, yaml.YAMLError, RecursionError, ValueError, TypeError, OverflowError):
        return False


def _same(a: Any, b: Any) -> bool:
    return json.dumps(a, sort_keys=True, default=repr) == json.dumps(b, sort_keys=True, default=repr)


def new_exercise_text(data: dict) -> str:
    """*data* (see :func:`tidy`) as a new content file: :data:`HEADER`, then the fields in the documented
    order, lists indented under their key, text plain where YAML reads it back as the same text (else
    quoted; several lines as a ``|`` block).  Raises UnwritableData if it would not read back exactly."""
    return _fresh(tidy(data))


def _fresh(data: dict) -> str:
    """*data* written anew (see :func:`new_exercise_text`), without tidying: an edited file's kept keys
    may hold what the form never sends (a date, true)."""
    data = _ordered(data)
    for quote_all in (False, True):
        text = HEADER + dump(round_trip(), styled(data, quote_all))
        if loads_as(text, data):
            return text
    raise UnwritableData("the exercise cannot be written as YAML that reads back the same")


def edited_exercise_text(original: str, data: dict) -> str:
    """The text of the content file *original* holding *data* instead (see the module's docstring).

    A top-level key *data* lacks is removed when it is a field of the exercise (or a slip of one's
    name), and kept when it is some other key (``author:``, which the form never shows).  An
    *original* that is no YAML mapping is replaced by :func:`new_exercise_text`.  Raises
    UnwritableData if nothing written reads back exactly (never seen)."""
    new = tidy(data)
    try:
        doc = parse_yaml(original, "original")
    except ContentError:
        return new_exercise_text(new)
    old = form_data(doc)
    if not isinstance(old, dict):
        return new_exercise_text(new)
    expected = {**{k: v for k, v in old.items() if not _field_key(k) and k not in new}, **new}
    for way in (_spliced, _whole):
        for quote_all in (False, True):
            text = way(doc, original, old, expected, quote_all)
            if text is not None and loads_as(text, expected):
                return text
    return _fresh(expected)  # its comments lost, but exact (never seen: every way above failed)


def _field_key(key: Any) -> bool:
    """Whether the top-level *key* is a field's name, or a slip of one."""
    return isinstance(key, str) and (key in FIELD_ORDER or near_miss(key, FIELD_ORDER) is not None)


def _style(text: str, default: tuple[int, int, int] = (2, 4, 2)) -> tuple[int, int, int]:
    """(mapping, sequence, offset) indentation of *text*'s YAML, as ruamel.yaml's ``indent`` takes them:
    guessed from its lists, else *default* (how ``handouts import`` writes: 2, 4, 2)."""
    try:
        _, sequence, offset = load_yaml_guess_indent(text)
    except (RuamelError, ValueError, TypeError, AttributeError):
        return default
    if sequence is None or offset is None:
        return default
    return max(2, sequence - offset), sequence, offset


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _whole(doc: RawDocument, original: str, old: dict, expected: dict, quote_all: bool) -> str | None:
    """The whole of *original* read by ruamel.yaml, merged with *expected*, and written again (its
    indentation made one, as ruamel.yaml writes): for files the line-wise way cannot edit."""
    mapping, sequence, offset = _style(original)
    rt = round_trip(mapping, sequence, offset)
    try:
        node = rt.load(original)
        if not isinstance(node, CommentedMap):
            return None
        text = dump(rt, merged(node, old, expected, ORDER, quote_all))
    except (RuamelError, ValueError, TypeError, AttributeError, KeyError):
        return None
    return text.replace("\n", _newline(original)) if _newline(original) != "\n" else text


def _spans(text: str) -> list[tuple[Any, int, int]] | None:
    """Each top-level key of *text* with the first and last line (0-based) of it and its value; None
    when the file is not one the lines of which can be edited field by field (a flow mapping at the
    top, keys not at the line's start, anchors and aliases, line breaks other than ``\\n``)."""
    if _ODD_BREAKS.search(text):
        return None
    root = node_without_aliases(text)
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        return None
    spans: list[tuple[Any, int, int]] = []
    for key_node, value_node in root.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.start_mark.column != 0:
            return None
        first = key_node.start_mark.line
        if spans and spans[-1][2] >= first:
            return None
        spans.append((SafeConstructor().construct_object(key_node), first,
                      max(first, _last_line(value_node, text))))
    return spans


def _last_line(node: yaml.Node, text: str) -> int:
    """The last line (0-based) holding any of *node*'s value, blank lines after a block left out."""
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and not node.flow_style and node.value:
        last = node.value[-1]
        return _last_line(last[1] if isinstance(last, tuple) else last, text)
    end = node.end_mark
    line = end.line - 1 if end.column == 0 and end.line > node.start_mark.line else end.line
    lines = text.split("\n")
    while line > node.start_mark.line and line < len(lines) and not lines[line].strip():
        line -= 1
    return line


def _spliced(doc: RawDocument, original: str, old: dict, expected: dict, quote_all: bool) -> str | None:
    """*original* with the lines of each changed field replaced (see the module's docstring); None when
    its lines cannot be edited field by field (see :func:`_spans`)."""
    text = original if original.endswith("\n") or not original else original + "\n"
    spans = _spans(text)
    if not spans:
        return None
    lines = text.split("\n")[:-1]
    newline = _newline(text)
    lines = [line[:-1] if line.endswith("\r") else line for line in lines]
    mapping, sequence, offset = _style(text)
    pieces: dict[int, list[str]] = {}  # line -> what replaces it ([] removes it); new fields after a line
    added: dict[int, list[str]] = {}
    for key, first, last in spans:
        if key in expected and old.get(key) == expected[key]:
            continue
        for number in range(first, last + 1):
            pieces[number] = []
        if key in expected:
            snippet = "\n".join(lines[first:last + 1]) + "\n"
            field_text = _changed_field(snippet, key, old.get(key), expected[key], (mapping, sequence, offset),
                                        quote_all)
            if field_text is None:
                return None
            pieces[first] = [field_text]
    present = [key for key, _, _ in spans]
    ends = {key: last for key, _, last in spans}
    starts = {key: first for key, first, _ in spans}
    for key in (k for k in expected if k not in present):
        rt = round_trip(mapping, sequence, offset)
        field_text = dump(rt, CommentedMap({key: styled(expected[key], quote_all)}))
        before = [k for k in present if k in ORDER and key in ORDER and ORDER.index(k) < ORDER.index(key)]
        if before:
            added.setdefault(max(ends[k] for k in before), []).append(field_text)
        else:
            added.setdefault(starts[present[0]] - 1, []).append(field_text)
    out: list[str] = list(added.get(-1, []))
    for number, kept in enumerate(lines):
        out.extend(pieces.get(number, [kept + "\n"]))
        out.extend(added.get(number, []))
    written = "".join(out)
    return written.replace("\n", newline) if newline != "\n" else written


def _changed_field(snippet: str, key: Any, old: Any, new: Any, style: tuple[int, int, int],
                   quote_all: bool) -> str | None:
    """The lines of one top-level field, *snippet*, made to hold *new* by ruamel.yaml's round trip (its
    list's indentation kept where it can be guessed); None when ruamel.yaml cannot read them."""
    mapping, sequence, offset = style
    _, sequence, offset = _style(snippet, style)
    rt = round_trip(mapping, sequence, offset)
    try:
        node = rt.load(snippet)
        if not isinstance(node, CommentedMap) or list(node) != [key]:
            return None
        node[key] = merged(node[key], old, new, ORDER, quote_all)
        return dump(rt, node)
    except (RuamelError, ValueError, TypeError, AttributeError, KeyError):
        return None
