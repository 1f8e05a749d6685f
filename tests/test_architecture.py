"""The package's shape, checked: every module in a stage folder, and imports only downstream.

The stages run content -> style -> layout -> render -> outputs -> build -> mail -> cli, and a
stage imports only from the stages before it (and from ``errors``), so a module can be
read, tested and replaced knowing only what it stands on:

* ``content/`` (what the exercises say) knows nothing of ReportLab, layout, output or builds;
  of ``style/`` it reads only the registries a file's names are checked against (the
  settings: paper, card size, flip, offset, language; the labels' languages), and loading
  content never loads ReportLab, not even at run time (a test runs it in a fresh process);
* ``style/`` never imports ``content/``: the two are the data every later stage reads;
* ``style/`` (the look and the words as data) knows nothing of layout or what comes after;
* ``layout/`` (flowables and geometry) touches no disk: it is given data, it returns
  flowables, and tests can lay out anything without files;
* ``render/`` (bytes out) knows nothing of outputs, builds or the command line;
* ``outputs/`` knows nothing of the build that runs them;
* ``mail/`` (drafts and delivery of what a build made) comes after the build, and nothing but
  the command line imports it;
* only ``cli`` prints or exits, and nothing else imports it.

Imports are read with :mod:`ast` from the source, including imports inside functions
and under ``if TYPE_CHECKING:`` (a type-only import is still a dependency a reader must
follow).  Each rule is one test whose failure lists ``path:line`` and the offending code.
The ``test_rule_*`` tests at the end run every rule on a small package written to a
temporary folder with one violation each, so a rule that can no longer fail is noticed.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "handouts"

#: Modules that belong to no stage: the package, its errors, its one file writer, the commands.
ROOT_MODULES = frozenset({"__init__", "errors", "write", "cli", "__main__"})
STAGES = ("content", "style", "layout", "render", "outputs", "build", "importers", "mail", "web", "cli")
#: The command line: the only code that prints or exits, and that nothing else imports.
#: (``__main__`` is ``python -m handouts``, which only runs it.)
COMMAND_LINE = ("cli", "__main__")
MAX_LINES = 400

#: What each stage must not import: stages of the package (relative names) or libraries.
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "content": ("layout", "render", "outputs", "build", "web", "cli", "reportlab"),
    "style": ("content", "layout", "render", "outputs", "build", "web", "cli"),
    "layout": ("render", "outputs", "build", "web", "cli"),
    "render": ("outputs", "build", "web", "cli"),
    "outputs": ("build", "mail", "web", "cli"),
    "build": ("mail", "web", "cli"),
    "importers": ("mail", "web", "cli"),
    "mail": ("web", "cli"),
    "web": ("cli",),  # the front desk: everything the command line has, but never the command line itself
}
#: Libraries that are not part of the package: named as they are, not under ``handouts.``.
LIBRARIES = frozenset({"reportlab"})

#: What layout may not import, being free of I/O: the file system and the package's writer.
DISK_MODULES = ("os", "shutil", "tempfile", "pathlib", "io.open", "{package}.write")
#: Method calls that read or write files (``Path.read_text``, ``Image.open``, ...).
DISK_METHODS = frozenset({"read_text", "read_bytes", "write_text", "write_bytes", "open"})


# ---------------------------------------------------------------- reading the package


@dataclass(frozen=True)
class Module:
    name: str             # handouts.layout.cards
    path: Path
    shown: str            # src/handouts/layout/cards.py, as a failure names it
    parts: tuple[str, ...]  # ("layout", "cards.py"): the path inside the package
    tree: ast.Module
    lines: int

    @property
    def stage(self) -> str | None:
        """The stage folder this module is in, or None for a module at the package's root."""
        return self.parts[0] if len(self.parts) > 1 else None

    @property
    def top(self) -> str:
        """The first name under the package: a root module's stem or a stage folder."""
        return self.parts[0].removesuffix(".py")

    def at(self, node: ast.AST) -> str:
        return f"{self.shown}:{getattr(node, 'lineno', '?')}"


def read_package(root: Path) -> list[Module]:
    modules = []
    for path in sorted(root.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        parts = path.relative_to(root).parts
        dotted = [root.name, *parts[:-1]] + ([] if parts[-1] == "__init__.py" else [parts[-1][:-3]])
        text = path.read_text(encoding="utf-8")
        try:
            shown = path.relative_to(root.parents[1]).as_posix()
        except ValueError:  # pragma: no cover - a package at the file system's root
            shown = path.as_posix()
        modules.append(Module(".".join(dotted), path, shown, parts, ast.parse(text, str(path)),
                              len(text.splitlines())))
    return modules


@dataclass(frozen=True)
class Import:
    node: ast.AST
    names: tuple[str, ...]  # every dotted name it may bring in, absolute

    @property
    def text(self) -> str:
        return ast.unparse(self.node)


def _absolute(module: Module, target: str | None, level: int) -> str:
    """The absolute name of ``from <level dots><target> import ...`` in *module*."""
    if not level:
        return target or ""
    package = module.name.split(".")
    if module.parts[-1] != "__init__.py":
        package = package[:-1]
    base = package[: len(package) - (level - 1)]
    return ".".join(base + ([target] if target else []))


def imports(module: Module) -> Iterator[Import]:
    """Every import in *module*, wherever it is (functions, ``if TYPE_CHECKING:``), and
    ``importlib.import_module("...")`` / ``__import__("...")`` with a literal name."""
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import):
            yield Import(node, tuple(alias.name for alias in node.names))
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(module, node.module, node.level)
            # "from handouts import layout" imports handouts.layout: count base.name too
            yield Import(node, (base, *(f"{base}.{alias.name}" for alias in node.names if alias.name != "*")))
        elif (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str) and _called_name(node) in ("import_module", "__import__")):
            yield Import(node, (node.args[0].value,))


def _called_name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else None


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def imports_of(modules: list[Module], forbidden: tuple[str, ...]) -> list[str]:
    """``path:line: import ...`` for every import in *modules* of a name under *forbidden*."""
    found = []
    for module in modules:
        for imp in imports(module):
            if any(_within(name, prefix) for name in imp.names for prefix in forbidden):
                found.append(f"{module.at(imp.node)}: {imp.text}")
    return found


# ---------------------------------------------------------------- the rules


def modules_outside_stages(root: Path) -> list[str]:
    return [f"{m.shown}:1: neither in a stage folder ({', '.join(STAGES)}) nor one of the root modules "
            f"({', '.join(sorted(ROOT_MODULES))})"
            for m in read_package(root)
            if (m.stage is None and m.top not in ROOT_MODULES) or (m.stage is not None and m.stage not in STAGES)]


def stage_imports(root: Path, stage: str) -> list[str]:
    forbidden = tuple(name if name in LIBRARIES else f"{root.name}.{name}" for name in FORBIDDEN[stage])
    return imports_of([m for m in read_package(root) if m.stage == stage], forbidden)


def layout_disk_access(root: Path) -> list[str]:
    """Imports of the file system and calls that open, read or write files, in layout/."""
    modules = [m for m in read_package(root) if m.stage == "layout"]
    forbidden = tuple(name.format(package=root.name) for name in DISK_MODULES)
    found = imports_of(modules, forbidden)
    for module in modules:
        for node in ast.walk(module.tree):
            if isinstance(node, ast.Call) and (
                    (isinstance(node.func, ast.Name) and node.func.id == "open")
                    or (isinstance(node.func, ast.Attribute) and node.func.attr in DISK_METHODS)):
                found.append(f"{module.at(node)}: {ast.unparse(node.func)}(...)")
    return sorted(found)


def cli_imported(root: Path) -> list[str]:
    cli = f"{root.name}.cli"
    return imports_of([m for m in read_package(root) if m.top not in COMMAND_LINE], (cli,))


def _prints_or_exits(node: ast.AST) -> bool:
    if isinstance(node, ast.Raise) and node.exc is not None:
        exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
        return isinstance(exc, ast.Name) and exc.id == "SystemExit"
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    if isinstance(func, ast.Name):
        return func.id in ("print", "exit", "quit")
    if isinstance(func, ast.Attribute):
        owner = ast.unparse(func.value)
        return ((owner, func.attr) in {("sys", "exit"), ("os", "_exit")}
                or (owner in ("sys.stdout", "sys.stderr") and func.attr in ("write", "writelines")))
    return False


def prints_or_exits(root: Path) -> list[str]:
    """print(), sys.exit()/exit()/quit(), raise SystemExit, sys.stdout.write outside the command line."""
    return [f"{m.at(node)}: {ast.unparse(node).splitlines()[0]}"
            for m in read_package(root) if m.top not in COMMAND_LINE
            for node in ast.walk(m.tree) if _prints_or_exits(node)]


def long_modules(root: Path) -> list[str]:
    return [f"{m.shown}: {m.lines} lines" for m in read_package(root) if m.lines > MAX_LINES]


def _explain(found: list[str], rule: str) -> str:
    return f"{rule}; {len(found)} place(s):\n  " + "\n  ".join(found)


# ---------------------------------------------------------------- the package obeys them


def test_the_package_is_where_the_rules_look() -> None:
    names = {m.name for m in read_package(PACKAGE)}
    assert {"handouts", "handouts.cli", "handouts.layout.markup", "handouts.content.load"} <= names


def test_every_module_is_in_a_stage_folder() -> None:
    found = modules_outside_stages(PACKAGE)
    assert not found, _explain(found, "a module belongs in a stage folder")


@pytest.mark.parametrize("stage", sorted(FORBIDDEN))
def test_a_stage_imports_only_what_comes_before_it(stage: str) -> None:
    found = stage_imports(PACKAGE, stage)
    assert not found, _explain(found, f"{stage}/ must not import {', '.join(FORBIDDEN[stage])}")


#: What content/ may read of style/: the registries a file's names are checked against.
CONTENT_READS_OF_STYLE = frozenset({"settings", "labels", "units", "__init__"})


def test_content_reads_only_the_registries_of_style() -> None:
    others = tuple(f"handouts.style.{path.stem}" for path in sorted((PACKAGE / "style").glob("*.py"))
                   if path.stem not in CONTENT_READS_OF_STYLE)
    found = imports_of([m for m in read_package(PACKAGE) if m.stage == "content"], others)
    assert not found, _explain(found, "content/ checks names against style's registries only")


def test_loading_content_never_loads_reportlab(tmp_path: Path) -> None:
    """Not even at run time: a clinic.yaml with every setting, an exercise and a program, in a fresh process."""
    import subprocess
    import sys

    (tmp_path / "content").mkdir()
    (tmp_path / "clinic.yaml").write_text("name: Riverside\npaper: a4\ncard_size: index\nflip: short\n"
                                          "back_offset: 1,-1\nlanguage: es\n", encoding="utf-8")
    (tmp_path / "content" / "wall.yaml").write_text("title: Wall\nlanguage: fr\ninstructions: [Stand.]\n"
                                                    "faq: [{question: Why?, answer: So.}]\n", encoding="utf-8")
    (tmp_path / "jane.yaml").write_text("client: Jane\nlanguage: de\nexercises: [wall]\n", encoding="utf-8")
    script = f"""
import sys
from pathlib import Path
from handouts.content.clinic import clinic_path, load_clinic
from handouts.content.exercise import validate
from handouts.content.load import load_file
from handouts.content.program import load_program
root = Path({str(tmp_path)!r})
clinic, _ = load_clinic(clinic_path(root / "content"))
assert clinic.card_size == "index" and clinic.language == "es"
validate(load_file(root / "content" / "wall.yaml"), "wall")
load_program(root / "jane.yaml", {{"wall"}})
print(sorted(name for name in sys.modules if name.split(".")[0] == "reportlab"))
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_style_units_are_reportlabs_own() -> None:
    from reportlab.lib import pagesizes, units

    from handouts.style import units as ours

    assert (ours.inch, ours.cm, ours.mm, ours.A4, ours.LETTER) == (
        units.inch, units.cm, units.mm, pagesizes.A4, pagesizes.LETTER)


def test_layout_touches_no_disk() -> None:
    found = layout_disk_access(PACKAGE)
    assert not found, _explain(found, "layout/ is given data and returns flowables: no files, no os, "
                                      "no pathlib, no handouts.write, no open()/read_*/write_*")


def test_nothing_but_the_command_line_imports_it() -> None:
    found = cli_imported(PACKAGE)
    assert not found, _explain(found, "only the command line imports handouts.cli")


def test_only_the_command_line_prints_or_exits() -> None:
    found = prints_or_exits(PACKAGE)
    assert not found, _explain(found, "only cli.py prints or exits; elsewhere, return or raise a HandoutsError")


def test_no_module_is_over_the_line_limit() -> None:
    found = long_modules(PACKAGE)
    assert not found, _explain(found, f"a module over {MAX_LINES} lines is two modules")


# ---------------------------------------------------------------- every rule can fail


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    """A small package ``handouts`` under ``tmp_path/src`` that obeys every rule, plus *files*."""
    root = tmp_path / "src" / "handouts"
    clean = {
        "__init__.py": "", "errors.py": "class HandoutsError(Exception): ...\n",
        "write.py": "import os\n", "cli.py": "import sys\nfrom handouts.build import run\n"
                                            "def main():\n    print('hi')\n    sys.exit(0)\n",
        **{f"{stage}/__init__.py": "" for stage in STAGES},
        "content/load.py": "import yaml\nfrom handouts.errors import HandoutsError\n",
        "style/theme.py": "from reportlab.lib.units import inch\nfrom handouts.errors import HandoutsError\n",
        "layout/cards.py": "import io\nfrom ..style import theme\nfrom .flow import x\n"
                           "def f(buf):\n    return io.BytesIO(buf).read()\n",
        "render/canvas.py": "from handouts.layout import cards\nfrom handouts import write\n",
        "outputs/deck.py": "from handouts.render.canvas import draw\n",
        "build/run.py": "from handouts.outputs import deck\n",
    }
    for name, text in {**clean, **files}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_rules_pass_a_clean_package(tmp_path: Path) -> None:
    root = _package(tmp_path, {})
    assert modules_outside_stages(root) == []
    assert [stage_imports(root, stage) for stage in FORBIDDEN] == [[]] * len(FORBIDDEN)
    assert layout_disk_access(root) == []
    assert cli_imported(root) == []
    assert prints_or_exits(root) == []
    assert long_modules(root) == []


Rule = Callable[[Path], list[str]]
BROKEN: list[tuple[str, Rule, dict[str, str], list[str]]] = [
    ("module at the root", modules_outside_stages, {"helpers.py": ""}, ["src/handouts/helpers.py:1"]),
    ("unknown folder", modules_outside_stages, {"misc/x.py": ""}, ["src/handouts/misc/x.py:1"]),
    ("content imports layout", lambda r: stage_imports(r, "content"),
     {"content/clinic.py": "import re\nfrom handouts.layout.card_sheet import FLIPS\n"},
     ["src/handouts/content/clinic.py:2: from handouts.layout.card_sheet import FLIPS"]),
    ("content imports reportlab in a function", lambda r: stage_imports(r, "content"),
     {"content/x.py": "def f():\n    import reportlab.lib.units\n"},
     ["src/handouts/content/x.py:2: import reportlab.lib.units"]),
    ("content imports a stage by name", lambda r: stage_imports(r, "content"),
     {"content/x.py": "from handouts import render\n"}, ["src/handouts/content/x.py:1: from handouts import render"]),
    ("style imports layout, relatively", lambda r: stage_imports(r, "style"),
     {"style/x.py": "from ..layout import cards\n"}, ["src/handouts/style/x.py:1: from ..layout import cards"]),
    ("style imports content", lambda r: stage_imports(r, "style"),
     {"style/x.py": "from handouts.content import load\n"},
     ["src/handouts/style/x.py:1: from handouts.content import load"]),
    ("layout imports render under TYPE_CHECKING", lambda r: stage_imports(r, "layout"),
     {"layout/x.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from handouts.render import canvas\n"},
     ["src/handouts/layout/x.py:3: from handouts.render import canvas"]),
    ("render imports build", lambda r: stage_imports(r, "render"),
     {"render/x.py": "import handouts.build.run\n"}, ["src/handouts/render/x.py:1: import handouts.build.run"]),
    ("outputs imports the cli dynamically", lambda r: stage_imports(r, "outputs"),
     {"outputs/x.py": "import importlib\nm = importlib.import_module('handouts.cli')\n"},
     ["src/handouts/outputs/x.py:2: importlib.import_module('handouts.cli')"]),
    ("layout imports pathlib", layout_disk_access,
     {"layout/x.py": "from pathlib import Path\n"}, ["src/handouts/layout/x.py:1: from pathlib import Path"]),
    ("layout imports os.path", layout_disk_access,
     {"layout/x.py": "import os.path\n"}, ["src/handouts/layout/x.py:1: import os.path"]),
    ("layout imports io.open", layout_disk_access,
     {"layout/x.py": "from io import open, BytesIO\n"}, ["src/handouts/layout/x.py:1: from io import open, BytesIO"]),
    ("layout imports the writer", layout_disk_access,
     {"layout/x.py": "from handouts.write import atomic_write_bytes\n"},
     ["src/handouts/layout/x.py:1: from handouts.write import atomic_write_bytes"]),
    ("layout opens a file", layout_disk_access,
     {"layout/x.py": "def f(p):\n    with open(p) as f:\n        return f.read()\n"},
     ["src/handouts/layout/x.py:2: open(...)"]),
    ("layout reads a path it was given", layout_disk_access,
     {"layout/x.py": "def f(p):\n    return p.read_bytes()\n"}, ["src/handouts/layout/x.py:2: p.read_bytes(...)"]),
    ("layout opens an image", layout_disk_access,
     {"layout/x.py": "def f(Image, p):\n    return Image.open(p)\n"}, ["src/handouts/layout/x.py:2: Image.open(...)"]),
    ("build imports the cli", cli_imported,
     {"build/x.py": "def f():\n    from handouts.cli import main\n"},
     ["src/handouts/build/x.py:2: from handouts.cli import main"]),
    ("build prints", prints_or_exits, {"build/x.py": "def f():\n    print('done')\n"},
     ["src/handouts/build/x.py:2: print('done')"]),
    ("render exits", prints_or_exits, {"render/x.py": "import sys\ndef f():\n    sys.exit(2)\n"},
     ["src/handouts/render/x.py:3: sys.exit(2)"]),
    ("write exits by raising", prints_or_exits, {"write.py": "raise SystemExit(1)\n"},
     ["src/handouts/write.py:1: raise SystemExit(1)"]),
    ("content writes to stderr", prints_or_exits, {"content/x.py": "import sys\nsys.stderr.write('x')\n"},
     ["src/handouts/content/x.py:2: sys.stderr.write('x')"]),
    ("a long module", long_modules, {"layout/x.py": "x = 1\n" * (MAX_LINES + 1)},
     [f"src/handouts/layout/x.py: {MAX_LINES + 1} lines"]),
]


@pytest.mark.parametrize(("rule", "files", "expected"), [case[1:] for case in BROKEN],
                         ids=[case[0] for case in BROKEN])
def test_rule_finds_the_violation(tmp_path: Path, rule: Rule, files: dict[str, str], expected: list[str]) -> None:
    found = rule(_package(tmp_path, files))
    assert [f.split(": neither")[0] for f in found] == expected
