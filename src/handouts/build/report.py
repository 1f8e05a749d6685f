"""What a build did, for the command line to print: every kind of output counted the same way."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from handouts.errors import Problem
from handouts.outputs.base import Output


@dataclass(frozen=True)
class Removal:
    """A file the build removed, and why (in words for the user)."""

    path: Path
    why: str
    orphan: bool = False  # its source is gone from the library (a whole-library build's clean-up)


@dataclass
class BuildReport:
    kinds: list[Output] = field(default_factory=list)            # the kinds this build planned, in order
    made: dict[str, list[Path]] = field(default_factory=dict)    # files written, by kind
    counts: dict[str, int] = field(default_factory=dict)         # what those files hold, by kind
    planned: dict[str, int] = field(default_factory=dict)        # files planned, by kind
    removed: list[Removal] = field(default_factory=list)
    unchanged: int = 0                                # sources (exercises, programs) with every output up to date
    failed: list[str] = field(default_factory=list)   # display paths of the sources not built
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed and not self.errors

    def phrases(self) -> list[str]:
        """What was made, as the summary line says it: ``["6 handouts", "24 cards", "the deck"]``."""
        said = (kind.phrase(len(self.made.get(kind.kind, [])), self.counts.get(kind.kind, 0),
                            self.planned.get(kind.kind, 0)) for kind in self.kinds)
        return [phrase for phrase in said if phrase]

    # the kinds everybody asks about
    @property
    def written(self) -> list[Path]:
        return self.made.get("handout", [])

    @property
    def cards(self) -> list[Path]:
        return self.made.get("cards", [])

    @property
    def card_count(self) -> int:
        return self.counts.get("cards", 0)

    @property
    def deck(self) -> Path | None:
        return next(iter(self.made.get("deck", [])), None)

    @property
    def programs(self) -> list[Path]:
        return self.made.get("program", [])

    @property
    def removed_orphans(self) -> list[Path]:
        return [r.path for r in self.removed if r.orphan]
