"""Stage 1: read a content file into plain Python data that remembers its line numbers.

PyYAML's ``safe_load`` forgets where each value came from, and every message we print
must name the line.  So we compose the node tree ourselves and record, for each value,
the 1-based line it starts on, keyed by its path (``("faq", 2, "answer")``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from .errors import ContentError, Problem, display_path

#: A content file larger than this is refused before parsing: real exercises are a few KB.
MAX_FILE_BYTES = 256 * 1024

#: Values in one file, aliases expanded: refuses "billion laughs" alias bombs quickly.
MAX_VALUES = 20_000

Key = tuple  # a path into the data: ("instructions", 3)


@dataclass(frozen=True)
class RawDocument:
    """One content file as data, plus where each value was written."""

    path: str  # as displayed in messages
    data: Any
    lines: dict[Key, int] = field(default_factory=dict)

    def line_of(self, key: Key) -> int | None:
        """The line of *key*, or of its nearest parent that has one."""
        key = tuple(key)
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return self.lines.get((), 1)


class _Builder:
    """Turns a composed YAML node tree into Python values and a line map."""

    def __init__(self, path: str):
        self.path = path
        self.lines: dict[Key, int] = {}
        self.problems: list[Problem] = []
        self._scalars = SafeConstructor()
        self._budget = MAX_VALUES

    def build(self, node: yaml.Node, key: Key = ()) -> Any:
        self._budget -= 1
        if self._budget < 0:
            raise ContentError(Problem(self.path, node.start_mark.line + 1, None,
                                       f"more than {MAX_VALUES} values (YAML aliases expanding?)"))
        self.lines[key] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    self.problems.append(Problem(self.path, key_node.start_mark.line + 1,
                                                 _dotted(key), "a key must be a plain word"))
                    continue
                name = self._scalars.construct_object(key_node)
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self.problems.append(Problem(self.path, key_node.start_mark.line + 1,
                                                 _dotted(key), "'<<' merge keys are not supported"))
                    continue
                if name in result:
                    self.problems.append(Problem(self.path, key_node.start_mark.line + 1,
                                                 _dotted(key + (name,)), "appears twice"))
                result[name] = self.build(value_node, key + (name,))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, key + (i,)) for i, item in enumerate(node.value)]
        try:
            return self._scalars.construct_object(node)
        except yaml.YAMLError as exc:
            self.problems.append(Problem(self.path, node.start_mark.line + 1, _dotted(key),
                                         f"cannot read value: {getattr(exc, 'problem', exc)}"))
            return None


def _dotted(key: Key) -> str:
    """``("faq", 2, "answer")`` -> ``faq[2].answer``: the field name as messages show it."""
    out = ""
    for part in key:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


field_name = _dotted


def parse_yaml(text: str, path: str) -> RawDocument:
    """Parse YAML *text*; raise ContentError (with line and column) if it is not valid."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        col = f" (column {mark.column + 1})" if mark else ""
        what = exc.problem or exc.context or "not valid YAML"
        raise ContentError(Problem(path, line, None, f"YAML syntax error{col}: {what}")) from None
    except yaml.YAMLError as exc:
        raise ContentError(Problem(path, None, None, f"YAML error: {exc}")) from None
    if node is None:
        raise ContentError(Problem(path, 1, None, "the file is empty"))
    builder = _Builder(path)
    data = builder.build(node)
    if builder.problems:
        raise ContentError(builder.problems)
    return RawDocument(path=path, data=data, lines=builder.lines)


def load_file(path: Path) -> RawDocument:
    """Read and parse one content file."""
    shown = display_path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ContentError(Problem(shown, None, None,
                                       f"file is {size // 1024} KB; the limit is {MAX_FILE_BYTES // 1024} KB"))
        raw = path.read_bytes()
    except OSError as exc:
        raise ContentError(Problem(shown, None, None, f"cannot read: {exc.strerror or exc}")) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ContentError(Problem(shown, line, None, "not UTF-8 text; save the file as UTF-8")) from None
    return parse_yaml(text, shown)
