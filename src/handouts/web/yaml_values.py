"""Values written into a content file with ruamel.yaml, so that PyYAML reads back what was meant.

ruamel.yaml writes YAML 1.2 and the build reads with PyYAML, which reads YAML 1.1: written
plain, ``yes`` is text to the one and true to the other, ``007`` is 7, ``1:20`` is 80.  So every
text put into a file here is given its style explicitly (:func:`styled`): plain only when both of
PyYAML's safe loaders (Python's and libyaml's: they differ at the edges) read it back as the same
text, or as a number that prints as the same text (``10``, ``2.5``: the build takes a number as the
text it was typed as); a literal block (``|``) for text of several lines; else single quotes
(ruamel.yaml falls back to double quotes when single ones cannot hold it).  :func:`merged` lays a
new value over the one a file holds, keeping what did not change (its comments and quoting).
"""

from __future__ import annotations

import difflib
import io
import json
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import (DoubleQuotedScalarString, FoldedScalarString, LiteralScalarString,
                                      ScalarString, SingleQuotedScalarString)

#: PyYAML's safe loaders, in Python and in C (libyaml) when it is there: the build reads with either.
LOADERS: tuple[Any, ...] = (yaml.SafeLoader,) + ((yaml.CSafeLoader,) if hasattr(yaml, "CSafeLoader") else ())
#: Where lines are never folded: a paragraph of 3,000 characters stays on its one line.
_WIDTH = 1 << 30


def round_trip(mapping: int = 2, sequence: int = 4, offset: int = 2) -> YAML:
    """A ruamel.yaml round-trip reader and writer: quotes kept as written, no line folded, a mapping
    inside another indented by *mapping*, list items' dashes by *offset* under their key and their
    text by *sequence* (``handouts import`` writes ``  - step``: 2, 4, 2)."""
    rt = YAML(typ="rt", pure=True)
    rt.preserve_quotes = True
    rt.width = _WIDTH
    rt.indent(mapping=mapping, sequence=sequence, offset=offset)
    return rt


def dump(rt: YAML, data: Any) -> str:
    out = io.StringIO()
    rt.dump(data, out)
    return out.getvalue()


def plain_ok(text: str) -> bool:
    """Whether *text* written plain after ``key:`` is read back by PyYAML as *text*, or as a number
    that prints as *text* (``10``, ``2.5``, but not ``007`` nor ``3.10``)."""
    if not text or text != text.strip() or "\n" in text:
        return False
    try:
        values = [yaml.load("k: " + text, Loader=loader) for loader in LOADERS]
    except (yaml.YAMLError, RecursionError, ValueError, TypeError, OverflowError):
        return False
    return all(isinstance(v, dict) and list(v) == ["k"] and
               (v["k"] == text or (type(v["k"]) in (int, float) and str(v["k"]) == text)) for v in values)


def _number(text: str) -> Any:
    """*text* as the number PyYAML reads it as, when it is one (ruamel.yaml writes a number plain and
    quotes text that looks like one); else *text*."""
    found = yaml.load("k: " + text, Loader=yaml.SafeLoader)["k"]
    return found if type(found) in (int, float) else text


def styled(value: Any, quote_all: bool = False, like: Any = None) -> Any:
    """*value* (str, list, dict of those) as ruamel.yaml objects with each text's style chosen (see the
    module's docstring); *quote_all*: every text in double quotes, which is exact by construction.
    *like*: the value it replaces, whose quoting a text keeps when that can hold it."""
    if isinstance(value, dict):
        out = CommentedMap()
        for key, item in value.items():
            out[styled(key, quote_all) if isinstance(key, str) else key] = styled(item, quote_all)
        return out
    if isinstance(value, list):
        seq = CommentedSeq()
        seq.extend(styled(item, quote_all) for item in value)
        return seq
    if not isinstance(value, str):
        return value
    if quote_all:
        return DoubleQuotedScalarString(value)
    if isinstance(like, (DoubleQuotedScalarString, SingleQuotedScalarString)):
        return type(like)(value)
    if "\n" in value:
        return FoldedScalarString(value) if isinstance(like, FoldedScalarString) else LiteralScalarString(value)
    if plain_ok(value):
        return _number(value)
    return SingleQuotedScalarString(value)


def _key(value: Any) -> str:
    """A hashable stand-in for a plain value, for matching list items."""
    return json.dumps(value, sort_keys=True, default=str)


def merged(node: Any, old: Any, new: Any, order: tuple[str, ...] = (), quote_all: bool = False) -> Any:
    """The ruamel.yaml *node* a file holds (read as *old* by the build) made to hold *new*: unchanged
    when *old* equals *new*; a mapping keeps its keys' comments, drops the keys *new* lacks and takes
    new ones in *order*; a list keeps its unchanged items (with their comments) and merges an item
    edited in place; anything else is written anew (see :func:`styled`)."""
    if old == new:
        return node
    if isinstance(node, CommentedMap) and isinstance(old, dict) and isinstance(new, dict):
        for key in [k for k in node if k not in new]:
            del node[key]
        for key, value in new.items():
            if key in node:
                before = node[key]
                node[key] = merged(before, old.get(key), value, order, quote_all)
                _keep_gap(node.ca.items.get(key), 2, before, node[key])
            else:
                node.insert(_place(list(node), key, order), styled(key, quote_all), styled(value, quote_all))
        return node
    if isinstance(node, CommentedSeq) and isinstance(old, list) and isinstance(new, list) and len(node) == len(old):
        return _merged_list(node, old, new, order, quote_all)
    return styled(new, quote_all, like=node if isinstance(node, ScalarString) else None)


def _written_width(value: Any) -> int | None:
    """How many characters *value* takes written on its line (quotes counted), or None when it is no
    one-line scalar (a block, a list)."""
    if isinstance(value, (LiteralScalarString, FoldedScalarString)) or isinstance(value, (list, dict)):
        return None
    text = str(value)
    if "\n" in text:
        return None
    return len(text) + (2 if isinstance(value, (SingleQuotedScalarString, DoubleQuotedScalarString)) else 0)


def _keep_gap(comment: Any, at: int, before: Any, after: Any) -> None:
    """Move the end-of-line comment in *comment* (a ruamel.yaml comment entry; the token at *at*) by as
    many columns as the value before it grew or shrank from *before* to *after*, so that the spaces
    typed between a value and its comment stay as typed (ruamel.yaml keeps the comment's column)."""
    token: Any = comment[at] if isinstance(comment, list) and len(comment) > at else None
    old, new = _written_width(before), _written_width(after)
    mark = getattr(token, "start_mark", None)
    text = getattr(token, "value", None)
    if mark is None or old is None or new is None or not isinstance(text, str) or text[:1] in ("", "\n"):
        return
    try:
        mark.column = max(0, mark.column + new - old)
    except AttributeError:  # a mark that cannot be moved: ruamel.yaml's spacing then
        pass


def _place(keys: list[Any], key: str, order: tuple[str, ...]) -> int:
    """Where *key* goes among *keys*: after the last of them that comes before it in *order* (at the end
    when *order* does not name it)."""
    if key not in order:
        return len(keys)
    before = set(order[:order.index(key)])
    return max((i + 1 for i, k in enumerate(keys) if k in before), default=0)


def _merged_list(node: CommentedSeq, old: list, new: list, order: tuple[str, ...], quote_all: bool) -> CommentedSeq:
    """The list *node* made to hold *new*: items equal to old ones are kept with their comments, an
    item replaced is merged into the one it replaces (a question's answer edited keeps its comments)."""
    matcher = difflib.SequenceMatcher(None, [_key(v) for v in old], [_key(v) for v in new], autojunk=False)
    items: list[tuple[Any, Any]] = []  # (node, its comment) for each item of new
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for k in range(j2 - j1):
            if tag == "equal" or (tag == "replace" and i1 + k < i2):
                i = i1 + k
                item = merged(node[i], old[i], new[j1 + k], order, quote_all)
                _keep_gap(node.ca.items.get(i), 0, node[i], item)
                items.append((item, node.ca.items.get(i)))
            else:
                items.append((styled(new[j1 + k], quote_all), None))
    comments = {j: comment for j, (_, comment) in enumerate(items) if comment is not None}
    del node[:]
    node.extend(item for item, _ in items)
    node.ca.items.clear()
    node.ca.items.update(comments)
    return node


def node_without_aliases(text: str) -> yaml.Node | None:
    """The YAML of *text* as PyYAML composes it, or None when it is no YAML, is empty, or has anchors or
    aliases (one scalar standing for several: an edit made to the text of one would change others)."""
    try:
        if any(isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None)
               for event in yaml.parse(text, Loader=yaml.SafeLoader)):
            return None
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except (yaml.YAMLError, RecursionError):
        return None
