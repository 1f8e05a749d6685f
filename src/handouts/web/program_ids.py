"""Which client programs name an exercise, and a program's file with that exercise's id changed.

A program names an exercise by its id under ``exercises:``, as an item (``- wall-sit``) or as an
item's ``id:`` (see :mod:`handouts.content.program`), and the build reads the id as text with its
spaces folded.  Programs are read loosely (:func:`handouts.web.program_yaml.read_loose`), so that
one with a mistake elsewhere still counts; one that is no YAML at all is searched for the id as a
word, so that a delete is refused rather than a program broken.

Renaming changes the id's own characters in the file and nothing else: every other byte (the
comments, the layout, the other exercises) stays as the person who wrote it left it.  A file where
that cannot be done exactly (anchors and aliases) is rewritten by ruamel.yaml's round trip, which
keeps its comments.  Either way the result is read back before it is used.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml.error import YAMLError as RuamelError

from handouts.build.gather import yaml_files
from handouts.content.encoding import decode_text
from handouts.content.load import read_file
from handouts.errors import ContentError, Problem, display_path, shorten
from handouts.web.program_yaml import quoted, read_loose
from handouts.web.yaml_values import dump, node_without_aliases, plain_ok, round_trip, styled

#: Raw control characters YAML refuses; the build's reader drops them, and so does renaming.
_RAW_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")


def _same(written: Any, exercise_id: str) -> bool:
    """Whether an id as written in a program is *exercise_id*, as the build reads it (spaces folded)."""
    return isinstance(written, str) and unicodedata.normalize("NFC", " ".join(written.split())) == exercise_id


def named_ids(data: Any) -> list[str]:
    """The exercise ids a program's loosely read *data* names, in its order (items without one left out)."""
    items = data.get("exercises") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return []
    ids = [item if isinstance(item, str) else item.get("id") if isinstance(item, dict) else None for item in items]
    return [i for i in ids if isinstance(i, str)]


def program_text(path: Path) -> str:
    """A program file's text, read as the build reads it.  Raises ContentError naming the file and why."""
    return decode_text(read_file(path), display_path(path)).text


def names_exercise(text: str, exercise_id: str) -> bool:
    """Whether the program *text* names *exercise_id* (see the module's docstring)."""
    try:
        return any(_same(written, exercise_id) for written in named_ids(read_loose(text, "program")))
    except ContentError:
        return re.search(rf"(?<![\w.-]){re.escape(exercise_id)}(?![\w.-])", text) is not None


def programs_using(programs_dir: Path, exercise_id: str) -> tuple[str, ...]:
    """The names (file names without ``.yaml``) of the programs in *programs_dir* that name *exercise_id*,
    sorted; a program file that cannot be read at all is left out (the build reports it)."""
    found = []
    for path in yaml_files(programs_dir):
        try:
            text = program_text(path)
        except ContentError:
            continue
        if names_exercise(text, exercise_id):
            found.append(path.stem)
    return tuple(sorted(found))


def _expected(data: Any, old_id: str, new_id: str) -> Any:
    """A program's loosely read *data* with each item naming *old_id* naming *new_id*."""
    if not isinstance(data, dict) or not isinstance(data.get("exercises"), list):
        return data
    items = []
    for item in data["exercises"]:
        if _same(item, old_id):
            item = new_id
        elif isinstance(item, dict) and _same(item.get("id"), old_id):
            item = {**item, "id": new_id}
        items.append(item)
    return {**data, "exercises": items}


def _written(new_id: str, style: str | None) -> str:
    """*new_id* as a YAML scalar, in the quotes the old one had (else plain when that reads back as it)."""
    if style == "'":
        return "'" + new_id.replace("'", "''") + "'"
    if style == '"' or not plain_ok(new_id):
        return quoted(new_id)
    return new_id


def _id_nodes(root: yaml.Node, old_id: str) -> list[yaml.ScalarNode]:
    """The scalars in *root* (a program's composed YAML) that are exercise ids naming *old_id*."""
    found: list[yaml.ScalarNode] = []
    if not isinstance(root, yaml.MappingNode):
        return found
    for key, value in root.value:
        if not (isinstance(key, yaml.ScalarNode) and key.value == "exercises" and isinstance(value, yaml.SequenceNode)):
            continue
        for item in value.value:
            if isinstance(item, yaml.MappingNode):
                item = next((v for k, v in item.value if isinstance(k, yaml.ScalarNode) and k.value == "id"), None)
            if isinstance(item, yaml.ScalarNode) and item.tag != "tag:yaml.org,2002:null" and _same(item.value, old_id):
                found.append(item)
    return found


def renamed_program_text(text: str, old_id: str, new_id: str, shown: str = "program") -> str | None:
    """The program *text* with every exercise id *old_id* changed to *new_id*, or None when it names none.

    Raises ContentError (*shown* names the file) when the text is no YAML, or when it cannot be
    rewritten to read back as the same program with the id changed (never seen: a safeguard)."""
    text = _RAW_CONTROL.sub("", text)
    before = read_loose(text, shown)
    if not any(_same(i, old_id) for i in named_ids(before)):
        return None
    expected = _expected(before, old_id, new_id)
    for way in (_by_characters, _by_round_trip):
        written = way(text, old_id, new_id)
        if written is not None:
            try:
                if read_loose(written, "program") == expected:
                    return written
            except ContentError:
                pass
    raise ContentError(Problem(shown, None, "exercises", f"cannot change '{shorten(old_id, 60)}' to "
                                                         f"'{shorten(new_id, 60)}' here; change it by hand"))


def _by_characters(text: str, old_id: str, new_id: str) -> str | None:
    """*text* with the characters of each id naming *old_id* replaced; None when it has anchors or aliases
    (one scalar standing for several) or is no YAML."""
    root = node_without_aliases(text)
    if root is None:
        return None
    out = text
    for node in sorted(_id_nodes(root, old_id), key=lambda n: n.start_mark.index, reverse=True):
        if node.style not in (None, "'", '"'):  # a block scalar (| or >): the round trip writes it
            return None
        start, end = node.start_mark.index, node.end_mark.index
        out = out[:start] + _written(new_id, node.style) + out[end:]
    return out


def _by_round_trip(text: str, old_id: str, new_id: str) -> str | None:
    """*text* read and written again by ruamel.yaml's round trip with the ids changed (comments kept)."""
    rt = round_trip()
    try:
        data: Any = rt.load(text)
        items: Any = data.get("exercises") if hasattr(data, "get") else None
        for i, item in enumerate(items or []):
            if _same(item, old_id):
                items[i] = styled(new_id, like=item)
            elif hasattr(item, "get") and _same(item.get("id"), old_id):
                item["id"] = styled(new_id, like=item["id"])
        return dump(rt, data)
    except (RuamelError, ValueError, TypeError, AttributeError, KeyError, IndexError):
        return None
