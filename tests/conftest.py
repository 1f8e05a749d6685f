"""Shared fixtures for the read-back tests: real builds, and helpers that read the PDFs.

The builds run once per session (Letter and A4) over the sample content and the test
exercises; the helpers read what is on the page with pdfplumber, in reading order.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pdfplumber
import pytest
import yaml
from hypothesis import HealthCheck, settings

import pdfcheck
from handouts.build.run import BuildOptions, BuildReport, build
from handouts.style.theme import DEFAULT_THEME

# Every Hypothesis test inherits this profile (a test's own @settings only adds to it):
# * no deadline, and no too_slow health check: both time the machine, and a busy machine is
#   not a bug (a hang is caught by the tests' own CPU-time guard, test_properties.no_hang);
# * derandomized, with no example database: every run tries the same examples, so a
#   failure is reproducible from the test alone and never depends on an earlier run.
# The browser tests' fixtures (chromium, page, page_log: tests/browser.py), registered here so that
# any test module can ask for them, and so that pytest rewrites browser.py's asserts.  Importing it
# loads no browser: Playwright is imported when the first browser test starts.
pytest_plugins = ["browser"]

settings.register_profile("handouts", deadline=None, derandomize=True, database=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("handouts")

REPO = Path(__file__).resolve().parents[1]
SEED = "reclining-lower-trunk-extensor-stretch"
EXERCISE_FILES: dict[str, Path] = {
    SEED: REPO / "content" / f"{SEED}.yaml",
    **{p.stem: p for p in sorted((REPO / "tests" / "data" / "exercises").glob("*.yaml"))},
}
EXERCISE_IDS = sorted(EXERCISE_FILES)
PAPERS = ("letter", "a4")


@dataclass(frozen=True)
class Built:
    """One build: the PDF of each exercise by id, and the build's report."""

    paper: str
    pdfs: dict[str, Path]
    report: BuildReport
    out_dir: Path


def run_build(files, out_dir: Path, paper: str = "letter") -> Built:
    report = build(BuildOptions(files=tuple(files), assets_dir=REPO / "assets", out_dir=out_dir, paper=paper))
    return Built(paper, {Path(p).stem: Path(p) for p in report.written}, report, out_dir)


@pytest.fixture(scope="session", autouse=True)
def font_cache(tmp_path_factory) -> Iterator[Path]:
    """The fallback fonts' bold instances are cached in the test run's own folder, never in the
    user's ~/.cache: $XDG_CACHE_HOME for this process and every build process it starts.

    One folder for the whole run (the workers' temporary folders share a parent under xdist), so
    the instances are made about once per run, and the workers making them at once is tried too.
    """
    base = tmp_path_factory.getbasetemp()
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "xdg-cache"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(folder))
        yield folder


@pytest.fixture(scope="session", autouse=True)
def picture_cache_dir(tmp_path_factory) -> Iterator[Path]:
    """Prepared pictures are cached in the test run's own folder, never in the user's ~/.cache:
    $HANDOUTS_CACHE_DIR for this process and every build process it starts (set after
    $XDG_CACHE_HOME, it takes precedence for pictures and fonts alike; ``font_cache`` above keeps
    the fonts' instances in the run's folder for a test that unsets it).

    One folder for the whole run, as the cache is shared by every project of a user; a test that
    counts or damages entries points the variable at a folder of its own (``own_picture_cache``).
    """
    base = tmp_path_factory.getbasetemp()
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "handouts-cache"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HANDOUTS_CACHE_DIR", str(folder))
        yield folder


@pytest.fixture
def own_picture_cache(tmp_path, monkeypatch) -> Path:
    """This test's own picture cache (empty): ``$HANDOUTS_CACHE_DIR/pictures`` under tmp_path."""
    monkeypatch.setenv("HANDOUTS_CACHE_DIR", str(tmp_path / "user-cache"))
    return tmp_path / "user-cache" / "pictures"


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Built:
    return run_build(EXERCISE_FILES.values(), tmp_path_factory.mktemp("letter"), "letter")


@pytest.fixture(scope="session")
def built_a4(tmp_path_factory) -> Built:
    return run_build(EXERCISE_FILES.values(), tmp_path_factory.mktemp("a4"), "a4")


@pytest.fixture(scope="session", params=PAPERS)
def built_any(request) -> Built:
    """The Letter build and the A4 build, in turn."""
    return request.getfixturevalue("built" if request.param == "letter" else "built_a4")


# --- the content as typed -------------------------------------------------------------------

def normalise(text: str) -> str:
    return " ".join(str(text).split())


@lru_cache(maxsize=None)
def exercise_data(exercise_id: str) -> dict:
    """The exercise's YAML as plain data (read independently of the tool's own loader)."""
    return yaml.safe_load(EXERCISE_FILES[exercise_id].read_text(encoding="utf-8"))


def texts(data: dict, key: str) -> list[str]:
    value = data.get(key) or []
    return [normalise(v) for v in ([value] if isinstance(value, str) else value)]


def words_pattern(text: str) -> str:
    """A regex for *text* that allows any whitespace (a line break) between its words."""
    return r"\s+".join(re.escape(word) for word in normalise(text).split(" "))


# --- reading the PDFs -------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _page_objects(path: str) -> dict:
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        return {
            "pages": len(pdf.pages),
            "width": float(page.width),
            "height": float(page.height),
            "chars": tuple(page.chars),
            "words": tuple(page.extract_words(extra_attrs=["fontname", "size"])),
            "images": tuple(page.images),
            "rects": tuple(page.rects),
            "lines": tuple(page.lines),
            "curves": tuple(page.curves),
            "text": page.extract_text(),
        }


def page_objects(path: Path) -> dict:
    """Everything pdfplumber sees on the first page (parsed once per file)."""
    return _page_objects(str(path))


def pdf_words(path: Path) -> list[dict]:
    """The first page's words with their positions (x0, x1, top, bottom), font name and size."""
    return list(page_objects(path)["words"])


def pdf_chars(path: Path) -> list[dict]:
    return list(page_objects(path)["chars"])


def text_of(path: Path) -> str:
    """The first page's text as pdfplumber extracts it, whitespace collapsed."""
    return normalise(page_objects(path)["text"])


def baseline(char: dict) -> float:
    return float(char["matrix"][5])


@dataclass(frozen=True)
class Line:
    """One line of text in one region of the page."""

    region: str  # header | main | side | footer
    text: str
    chars: tuple

    @property
    def top(self) -> float:
        return min(c["top"] for c in self.chars)

    @property
    def size(self) -> float:
        return Counter(round(c["size"], 2) for c in self.chars).most_common(1)[0][0]


def group_lines(region: str, chars: list[dict]) -> list[Line]:
    """Group chars sharing a baseline into lines, top to bottom, each read left to right."""
    out: list[list[dict]] = []
    for char in sorted(chars, key=lambda c: (-baseline(c), c["x0"])):
        if out and abs(baseline(out[-1][0]) - baseline(char)) < 0.5:
            out[-1].append(char)
        else:
            out.append([char])
    lines = []
    for group in out:
        group.sort(key=lambda c: c["x0"])
        text = ""
        for before, char in zip([None] + group[:-1], group):
            # a visible gap with no space drawn (after a bullet number, between footer halves)
            if before and char["x0"] - before["x1"] > 0.2 * char["size"] and not text.endswith(" "):
                text += " "
            text += char["text"]
        lines.append(Line(region, text.strip(), tuple(group)))
    return lines


def column_boundary(page_width: float) -> float:
    """The middle of the gutter between the main column and the side column."""
    theme = DEFAULT_THEME
    text_width = page_width - 2 * theme.margin
    return theme.margin + text_width * theme.main_column + theme.gutter / 2


def reading_lines(path: Path) -> list[Line]:
    """The page's lines in reading order: header, main column, side column, footer.

    The header ends at the first horizontal rule and the footer starts at the last one.
    """
    objects = page_objects(path)
    rules = sorted(objects["lines"], key=lambda ln: ln["top"])
    assert len(rules) >= 2, "expected a rule under the header and one over the footer"
    header_end, footer_start = rules[0]["top"], rules[-1]["top"]
    boundary = column_boundary(objects["width"])
    regions: dict[str, list[dict]] = {"header": [], "main": [], "side": [], "footer": []}
    for char in objects["chars"]:
        middle = (char["top"] + char["bottom"]) / 2
        if middle < header_end:
            regions["header"].append(char)
        elif middle > footer_start:
            regions["footer"].append(char)
        elif (char["x0"] + char["x1"]) / 2 < boundary:
            regions["main"].append(char)
        else:
            regions["side"].append(char)
    return [line for name, chars in regions.items() for line in group_lines(name, chars)]


def reading_text(path: Path, region: str | None = None) -> str:
    """The page's text in reading order (optionally of one region), whitespace collapsed."""
    return normalise(" ".join(line.text for line in reading_lines(path) if region in (None, line.region)))


# --- every PDF the tests write is checked structurally (tests/pdfcheck.py) ------------------
#
# After each test that used tmp_path, every *.pdf under it; at the end of the session, every
# *.pdf under the session's basetemp (session- and module-scoped builds, tmp_path_factory
# folders, tests that failed before their own check).  A problem fails the test, or, at the
# end, the run.  A test that writes files named *.pdf that are not meant to be sound PDFs
# carries @pytest.mark.not_pdfs(reason): its tmp_path is left out of both passes.

#: Tests (node ids) that write bytes that are not PDFs to files named *.pdf.
NOT_PDFS: dict[str, str] = {}
_EXEMPT_DIRS: set[Path] = set()
_CHECKED: set[Path] = set()
_SESSION_PROBLEMS: dict[Path, list[str]] = {}


def pytest_configure(config):
    config.addinivalue_line("markers", "not_pdfs(reason): the *.pdf files this test writes under tmp_path "
                                       "are not meant to be sound PDFs; leave them out of the structural check")


def pytest_collection_modifyitems(items):
    for item in items:
        if item.nodeid in NOT_PDFS:
            item.add_marker(pytest.mark.not_pdfs(NOT_PDFS[item.nodeid]))


def _describe(found: dict[Path, list[str]], root: Path) -> str:
    lines = []
    for path, problems in found.items():
        lines.append(f"{path.relative_to(root) if path.is_relative_to(root) else path}:")
        lines += [f"    {p}" for p in problems[:10]]
        lines += [f"    ... {len(problems) - 10} more"] if len(problems) > 10 else []
    return "\n".join(lines)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield  # a test that failed already is not checked here: the session pass does it
    tmp = item.funcargs.get("tmp_path") if hasattr(item, "funcargs") else None
    if tmp is not None:
        if item.get_closest_marker("not_pdfs"):
            _EXEMPT_DIRS.add(Path(tmp).resolve())
        else:
            found = pdfcheck.check_tree(tmp)
            _CHECKED.update(p.resolve() for p in Path(tmp).rglob("*.pdf"))
            if found:
                pytest.fail(f"PDF structural check failed ({len(found)} file(s) under {tmp}):\n"
                            + _describe(found, Path(tmp)), pytrace=False)
    return result


def _basetemp(config) -> Path | None:
    """The session's basetemp, if any test or fixture made one (never creates it)."""
    factory = getattr(config, "_tmp_path_factory", None)
    if factory is None or getattr(factory, "_basetemp", None) is None:
        return None
    return factory.getbasetemp()


# Under pytest-xdist each worker makes the end-of-session pass over its own basetemp (only it
# knows which of its folders are exempt) and hands its findings to the controller, which
# fails the run and prints the summary.  The controller's basetemp holds the workers'
# folders: it checks nothing itself.

#: In the xdist controller: the workers' counts, summed.
_WORKER_TOTALS = {"files": 0, "distinct": 0, "seconds": 0.0}


def _is_worker(config) -> bool:
    return hasattr(config, "workerinput")


def _is_controller(config) -> bool:
    return not _is_worker(config) and getattr(config.option, "dist", "no") != "no"


@pytest.hookimpl(tryfirst=True)  # before the tmp_path plugin may remove folders
def pytest_sessionfinish(session):
    config = session.config
    if _is_controller(config):
        if _SESSION_PROBLEMS:  # gathered from the workers by pytest_testnodedown
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
        return
    basetemp = _basetemp(config)
    if basetemp is not None:
        exempt = tuple(_EXEMPT_DIRS)
        pdfs = {p.resolve() for p in basetemp.rglob("*.pdf")} - _CHECKED
        pdfs = {p for p in pdfs if not any(p.is_relative_to(d) for d in exempt)}
        found = pdfcheck.check_tree(basetemp, skip=lambda p: p.resolve() not in pdfs)
        _CHECKED.update(pdfs)
        _SESSION_PROBLEMS.update(found)
        if found:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
    if _is_worker(config):
        config.workeroutput["pdfcheck"] = {
            "problems": {str(path): problems for path, problems in _SESSION_PROBLEMS.items()},
            "files": len(_CHECKED), "distinct": pdfcheck.stats["checked"], "seconds": pdfcheck.stats["seconds"]}


@pytest.hookimpl(optionalhook=True)  # an xdist hook: unknown without it
def pytest_testnodedown(node, error):
    """In the xdist controller: one worker's end-of-session PDF check, added to the run's."""
    found = getattr(node, "workeroutput", {}).get("pdfcheck")
    if found:
        _SESSION_PROBLEMS.update({Path(path): problems for path, problems in found["problems"].items()})
        for key in _WORKER_TOTALS:
            _WORKER_TOTALS[key] += found[key]


def pytest_terminal_summary(terminalreporter, config):
    if _SESSION_PROBLEMS:
        terminalreporter.section("PDF structural check failed", red=True, bold=True)
        terminalreporter.write_line(_describe(_SESSION_PROBLEMS, _basetemp(config)))
    totals = (_WORKER_TOTALS if _is_controller(config) else
              {"files": len(_CHECKED), "distinct": pdfcheck.stats["checked"], "seconds": pdfcheck.stats["seconds"]})
    if totals["files"]:
        terminalreporter.write_line(
            f"pdfcheck: {totals['files']} PDF files ({totals['distinct']} distinct) checked with qpdf and "
            f"strict pypdf in {totals['seconds']:.1f} s; {len(_SESSION_PROBLEMS)} with problems found "
            f"at the end of the session")
