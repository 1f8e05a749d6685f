"""The build: gather every content and program file, then make every output through the engine.

Nothing is written until every file has been read and validated (or found unchanged); a
file with errors fails alone and the others are still built; every problem ends up in the
report, and the CLI decides what to print and which exit status to give.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from handouts.build.engine import Engine
from handouts.build.gather import content_files, programs_dir, project_dir, read_programs
from handouts.build.library_index import library_titles, remember
from handouts.build.lock import output_lock
from handouts.build.manifest import Anchors, Manifest, options_fingerprint
from handouts.build.report import BuildReport
from handouts.content.clinic import Clinic, house_language
from handouts.errors import HandoutsError, OutputError, Problem, UsageError, display_path
from handouts.layout.card_sheet import CardSheet, make_sheet
from handouts.outputs.base import Output, OutputSettings, content_source, file_hash
from handouts.outputs.card_file import CardFiles
from handouts.outputs.catalogue import Catalogue
from handouts.outputs.deck import Deck
from handouts.outputs.email_edition import EMAIL_FOLDER, EmailHandouts, EmailPrograms
from handouts.outputs.handout import Handouts
from handouts.outputs.preview import HandoutPreviews, ProgramPreviews
from handouts.outputs.program import ProgramSource, Programs
from handouts.render.picture_cache import picture_cache_upkeep
from handouts.style.theme import DEFAULT_THEME, Theme
from handouts.write import check_writable, output_path, remove_stale_temporaries

Progress = Callable[[int, int], None]

#: What a build makes: "print" (handouts, card files, decks and programs for the clinic's printer) or
#: "email" (OUT/email/: handouts and programs for screens, each with its cards fold-over).
EDITIONS = ("print", "email")


@dataclass(frozen=True)
class BuildOptions:
    content_dir: Path = Path("content")
    assets_dir: Path = Path("assets")
    out_dir: Path = Path("output")
    paper: str = "letter"
    files: tuple[Path, ...] = ()  # empty: every content file in content_dir
    theme: Theme = DEFAULT_THEME
    card_size: str = "business"
    flip: str = "long"
    fold: bool = False
    back_offset_mm: tuple[float, float] = (0.0, 0.0)
    deck: bool = True             # also write OUT/deck.pdf with every card of the build
    anki: bool = False            # also write OUT/deck.apkg, the FAQ as an Anki deck
    catalogue: bool = True        # a whole-library build also writes OUT/catalogue.pdf
    jobs: int = 1                 # worker processes; 1 builds in this process
    incremental: bool = True      # skip outputs whose inputs are unchanged since the last build
    clinic: Clinic | None = None  # clinic.yaml: printed on every handout, card sheet and program
    language: str | None = None   # the labels of content that names no language (default: the clinic's)
    programs: tuple[Path, ...] = ()  # program files to build into OUT/programs/
    program_only: bool = False    # `handouts program`: the programs alone, from the exercises they name
    edition: str = "print"        # one of EDITIONS; "email": only OUT/email/handouts/ and OUT/email/programs/
    previews: bool = False        # OUT/previews/: each first page as a PNG, for the front desk (issue 19: half a
    #                               cold build's CPU, so only `handouts serve`'s builds and --previews make them)

    def card_sheet(self) -> CardSheet:
        if self.edition == "email":  # fold-over cards, whatever the flip and offset: nothing needs duplex
            return make_sheet(self.paper, self.card_size, fold=True)
        return make_sheet(self.paper, self.card_size, self.flip, self.fold, self.back_offset_mm)

    def house_language(self) -> str | None:
        """The language of content that names none: --language, else the clinic's, else None (English)."""
        return house_language(self.language, self.clinic)


def _settings(options: BuildOptions) -> dict:
    """Everything but the content and the program (the manifest adds that) that shapes the output."""
    clinic = None
    if options.clinic:
        # where clinic.yaml was read from is not what it says: as shown from another folder it differs;
        # how it sends email and what `handouts check` flags are not printed
        clinic = {k: v for k, v in asdict(options.clinic).items() if k not in ("lines", "source", "mail", "check")}
        if options.clinic.logo:  # a new logo under the same name rebuilds every handout
            logo = Path(options.assets_dir).resolve() / options.clinic.logo
            clinic["logo_sha256"] = file_hash(logo) if logo.is_file() else None
    return {
        "paper": options.paper, "card_size": options.card_size, "flip": options.flip, "fold": options.fold,
        "back_offset_mm": list(options.back_offset_mm), "theme": asdict(options.theme),
        "language": options.house_language(),
        # relative to the project: a project moved or renamed as a whole is still up to date
        "assets": os.path.relpath(Path(options.assets_dir).resolve(), project_dir(options.content_dir)),
        "clinic": clinic,
        "clinic_name": options.clinic.name if options.clinic else None,
        "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH")}  # the date every output says it was made


def _fingerprints(options: BuildOptions) -> Callable[[Output], str]:
    """Each kind's fingerprint: a hash of the settings it depends on, and of the program."""
    settings = _settings(options)
    cache: dict[tuple[str, ...] | None, str] = {}

    def of(kind: Output) -> str:
        used = kind.settings_used
        if used not in cache:
            cache[used] = options_fingerprint(settings if used is None else {k: settings[k] for k in used})
        return cache[used]

    return of


def makes_catalogue(options: BuildOptions) -> bool:
    """Whether the build *options* describe makes OUT/catalogue.pdf: a print build of the whole library
    (it lists every exercise), unless told not to."""
    return options.catalogue and not options.files and not options.program_only and options.edition != "email"


def phases(options: BuildOptions, programs: Programs | None) -> list[list[Output]]:
    """The output kinds *options* ask for, in the order they must be made (*programs*: of the edition)."""
    clients: list[Output] = [programs] if programs else []
    if options.edition == "email":  # each file carries its own cards: no card files, no decks
        handouts: list[Output] = [] if options.program_only else [EmailHandouts()]
        return [kinds for kinds in (handouts, clients) if kinds]
    exercises: list[Output] = [] if options.program_only else [Handouts(), CardFiles()]
    library: list[Output] = [Deck()] if options.deck else []
    if options.anki:
        from handouts.outputs.anki import AnkiDeck  # genanki is imported only by a build that asks for the deck

        library.append(AnkiDeck())
    if makes_catalogue(options):
        library.append(Catalogue())
    # from the PDFs just made or kept, so after them (see outputs.preview)
    previews: list[Output] = ([] if options.program_only else [HandoutPreviews()]) + \
        ([ProgramPreviews(programs)] if programs else []) if options.previews else []
    return [kinds for kinds in (exercises, library, clients, previews) if kinds]


def build(options: BuildOptions, progress: Progress | None = None,
          kinds: Sequence[Sequence[Output]] | None = None, waiting: Callable[[str], None] | None = None
          ) -> BuildReport:
    """Make every output *options* ask for (or the phases of *kinds*); never raises for a problem in one file.

    *progress*, if given, is called with (done, total) sources of a phase, as each source's
    files are made (those up to date are counted without a call).  *waiting*, if given, is told
    the pid of another build writing the same output folder, once, when this one starts waiting for it.
    Raises UsageError for settings no card sheet can take, HandoutsError for a missing
    content folder and OutputError when the output folder cannot be written.
    """
    started = time.perf_counter()
    if options.edition not in EDITIONS:
        raise UsageError(f"edition '{options.edition}': choose one of {', '.join(EDITIONS)}")
    sheet = options.card_sheet()  # an unknown paper or an impossible card sheet: a usage error, before any work
    settings = OutputSettings(Path(options.assets_dir), Path(options.out_dir), options.paper, sheet, options.theme,
                              options.clinic, options.house_language(),
                              thumbnails=kinds is None and makes_catalogue(options))
    check_apart(Path(options.out_dir), {"content": Path(options.content_dir), "assets": Path(options.assets_dir),
                                        "programs": programs_dir(options.content_dir)})
    whole = not options.files and not options.program_only and kinds is None
    if whole and not content_files(options.content_dir):  # a missing folder raises; an empty one too
        raise _no_content(options)
    # another build writing there: wait for it, then read the library; afterwards keep the picture cache in budget
    with output_lock(Path(options.out_dir), waiting=waiting), picture_cache_upkeep(Path(options.out_dir)):
        report = _build(options, progress, kinds, settings, whole)
    report.seconds = time.perf_counter() - started
    return report


def _build(options: BuildOptions, progress: Progress | None, kinds: Sequence[Sequence[Output]] | None,
           settings: OutputSettings, whole: bool) -> BuildReport:
    program_sources: list[ProgramSource] = []
    if kinds is None or any(kind.reads_library for phase in kinds for kind in phase):
        exercises = [content_source(p) for p in content_files(options.content_dir, options.files)]
        program_sources = read_programs(list(options.programs), {s.stem for s in exercises},
                                        lambda: library_titles(options.content_dir, options.out_dir))
    else:
        exercises = []
    if whole and not exercises:  # emptied while this build waited for another: still nothing to remove
        raise _no_content(options)
    # a whole-library build plans programs even when there are none left: the last one's PDF then goes too
    edition = EmailPrograms if options.edition == "email" else Programs
    programs = edition(program_sources, options.program_only) if options.programs or whole else None
    check_writable(Path(options.out_dir))  # a folder that cannot be written: one line, before any work
    for folder in ("", "handouts", "cards", "programs", f"{EMAIL_FOLDER}/handouts", f"{EMAIL_FOLDER}/programs",
                   "previews", "previews/programs", ".cache"):  # what a killed build left
        remove_stale_temporaries(Path(options.out_dir) / folder)
    manifest_path = output_path(options.out_dir, ".cache", "manifest.json")
    anchors = Anchors(str(Path(options.out_dir).resolve()), str(project_dir(options.content_dir)))
    manifest = Manifest.load(manifest_path, anchors)  # --rebuild too: it keeps the records of what it does not make
    unsaved: list[Problem] = []

    def save(record: Manifest) -> None:
        if record.records == manifest.records and not manifest.damaged and manifest.records:
            return  # nothing made, nothing removed: the file already says this (and is not serialised to see so)
        try:
            record.save(manifest_path, anchors)
        except OutputError as exc:  # costs the next build time, never this build's result: but say so, once
            if not unsaved:
                unsaved.append(Problem(exc.path, None, None, f"{exc.message}; the next build cannot tell what "
                                                             f"is up to date, and will make everything again"))

    nothing_removed: list[Problem] = []
    engine = Engine(settings, exercises, program_sources, manifest, _fingerprints(options), options.jobs, progress,
                    checkpoint=save, rebuild=not options.incremental)
    try:  # interrupted or not, what was built is recorded, so the next build skips it
        for phase in (kinds if kinds is not None else phases(options, programs)):
            engine.run(phase)
        if whole and engine.library_read():
            engine.remove_gone({kind.kind: kind.gone for kind in (HandoutPreviews, ProgramPreviews)})
        elif whole and engine.anything_gone():
            nothing_removed.append(Problem(display_path(options.content_dir), None, None,
                                           "not one content file here could be read (see above), so no "
                                           "output was removed; is this the content folder?"))
    finally:
        save(engine.new)
        if whole or options.files:  # what was parsed anyway keeps `handouts list` quick
            remember(options.content_dir, options.out_dir,
                     ((s.path, s.digest, s.read().entry, s.errors) for s in exercises if s.parsed and s.digest), whole)
    report = engine.finish()
    report.errors += nothing_removed
    report.warnings += unsaved
    if manifest.damaged:
        report.warnings.append(Problem(display_path(manifest_path), None, None,
                                       "damaged (not as a build wrote it), so every file was made again; "
                                       "if something edits the output folder, stop it"))
    return report


def _no_content(options: BuildOptions) -> HandoutsError:
    """A whole-library build of an empty content folder: an error, as a mistyped --content would
    otherwise remove every handout the library's last build made."""
    return HandoutsError(f"{display_path(options.content_dir)}: no content files (*.yaml) here; "
                         f"nothing to build (use --content DIR)")


def check_apart(out_dir: Path, inputs: dict[str, Path]) -> None:
    """Refuse an output folder that is, or holds, one of the folders the build reads (*inputs*, by
    what they are): the build writes and removes files in it, and must never touch the library.

    Raises UsageError naming both (``--out .`` holds content/).
    """
    out = out_dir.resolve()
    for what, folder in inputs.items():
        where = folder.resolve()
        if where == out or out in where.parents:
            raise UsageError(f"--out {display_path(out_dir)}: that folder is or holds the {what} folder "
                             f"({display_path(folder)}), and a build writes and removes files in its output "
                             f"folder; give it one of its own, such as output")


def build_programs(options: BuildOptions, waiting: Callable[[str], None] | None = None) -> BuildReport:
    """``handouts program FILE...``: just these programs, from the exercises they name."""
    return build(replace(options, program_only=True, deck=False, anki=False), waiting=waiting)
