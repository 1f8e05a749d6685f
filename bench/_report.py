"""The benchmark's printed report: the phases' table, the targets of issue 19 with "met"/"missed", notes.

Used by bench_build.py.  Every ratio is taken from medians measured in the same run (each
phase once per round, rounds repeated with --repeat), never from figures of another run.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass

from _runner import Phase

FULL_CORPUS = 873

# The targets of issue 19 ("Faster than Typst doing the same work"), on the 2-core machine.
TARGET_TYPST_SAME = 1.0     # cold build, handouts only / the same-work Typst baseline, at most
TARGET_FLOOR = 1.3          # cold build, handouts only / the raw-canvas floor, at most
TARGET_FAQ = 1.6            # cold build with FAQ cards and the deck / handouts-only cold build, at most
TARGET_TENFOLD = 10.5       # 10x library cold build / 1x, both with the FAQ, at most
TARGET_PEAK_MB = 300.0      # peak memory of all processes in the 10x build, under
TARGET_NOOP_S = 0.2         # no-op rebuild, under
TARGET_HELP_S = 0.1         # `handouts --help`, whole process, under


@dataclass(frozen=True)
class Target:
    name: str
    figure: str
    goal: str
    met: bool | None        # None: not measured in this run


def fmt_s(phase: Phase) -> str:
    text = f"{phase.seconds:.2f}" if phase.seconds >= 0.1 else f"{phase.seconds * 1000:.0f} ms"
    if len(phase.runs) > 1:
        lo, hi = min(r.seconds for r in phase.runs), max(r.seconds for r in phase.runs)
        text += f" ({lo:.2f}–{hi:.2f})" if phase.seconds >= 0.1 else f" ({lo * 1000:.0f}–{hi * 1000:.0f})"
    return text


def fmt_mb(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


def table(phases: list[Phase]) -> list[str]:
    lines = ["| phase | handouts | cards | wall s (range) | ms / exercise | CPU s | peak MB, largest process | "
             "peak MB, all processes | largest handout | all handouts MB |",
             "|---|---:|---|---:|---:|---:|---:|---:|---|---:|"]
    for p in phases:
        if not p.measured:
            continue
        per = f"{p.seconds / p.handouts * 1000:.1f}" if p.handouts else "–"
        largest = f"{p.largest[0]}, {p.largest[1] / 1024:.0f} KB" if p.largest else "–"
        total = f"{p.total_bytes / 1e6:.1f}" if p.total_bytes else "–"
        pdfs = "–" if p.pdfs is None else str(p.pdfs)
        runs = f" ×{len(p.runs)}" if len(p.runs) > 1 else ""
        lines.append(f"| {p.label}{runs} | {pdfs} | {p.cards or '–'} | {fmt_s(p)} | {per} | {p.cpu_seconds:.2f} | "
                     f"{fmt_mb(p.maxrss_mb)} | {fmt_mb(p.tree_peak_mb)} | {largest} | {total} |")
    return lines


def _ratio(a: Phase, b: Phase) -> float | None:
    return a.seconds / b.seconds if a.measured and b.measured else None


def targets(ph: dict[str, Phase]) -> tuple[list[Target], list[tuple[str, str]]]:
    """The issue's targets with their figures, and other ratios worth printing (name, figure)."""
    out: list[Target] = []

    def ratio_target(name: str, a: str, b: str, limit: float) -> None:
        r = _ratio(ph[a], ph[b])
        out.append(Target(name, "–" if r is None else f"{r:.2f}×", f"≤ {limit}×", None if r is None else r <= limit))

    def under(name: str, value: float | None, goal: str, ok: Callable[[float], bool], unit: str) -> None:
        figure = "–" if value is None else (f"{value:.0f} {unit}" if unit == "MB" else f"{value:.3f} {unit}")
        out.append(Target(name, figure, goal, None if value is None else ok(value)))

    ratio_target("cold build, handouts only / Typst, same work (fitting as ours)", "cold", "typst_same",
                 TARGET_TYPST_SAME)
    ratio_target("cold build, handouts only / raw-canvas floor", "cold", "canvas", TARGET_FLOOR)
    ratio_target("cold build with FAQ cards and the deck / cold build, handouts only", "faq", "cold", TARGET_FAQ)
    ratio_target("10x library cold build / 1x (both with the FAQ)", "tenx", "faq", TARGET_TENFOLD)
    tenx = ph["tenx"]
    under("10x library: peak memory, all processes (PSS sum)", tenx.all_processes_mb if tenx.measured else None,
          f"< {TARGET_PEAK_MB:.0f} MB", lambda v: v < TARGET_PEAK_MB, "MB")
    for key, name in (("noop", "no-op rebuild, handouts-only library"),
                      ("faq_noop", "no-op rebuild, library with FAQ (cards, deck)")):
        p = ph[key]
        under(name, p.seconds if p.measured else None, f"< {TARGET_NOOP_S} s", lambda v: v < TARGET_NOOP_S, "s")
    p = ph["help"]
    under("`handouts --help`, whole process", p.seconds if p.measured else None, f"< {TARGET_HELP_S} s",
          lambda v: v < TARGET_HELP_S, "s")

    more: list[tuple[str, str]] = []
    for a, b, name in (("cold", "typst_content", "cold build, handouts only / Typst, same content without fitting "
                                                 "(a stricter reading of the first target)"),
                       ("cold", "typst", "cold build, handouts only / Typst, title + steps + first photo"),
                       ("typst_content", "typst", "Typst same content (no fitting) / Typst title + steps + photo"),
                       ("typst_same", "typst", "Typst same work / Typst title + steps + photo"),
                       ("typst_same", "canvas", "Typst same work / raw-canvas floor"),
                       ("rebuild", "cold", "--rebuild / cold build, handouts only")):
        r = _ratio(ph[a], ph[b])
        if r is not None:
            more.append((name, f"{r:.2f}×"))
    # CPU time is less skewed than wall time by other work on a busy machine (not by much on 2 cores)
    for a, b, name in (("cold", "typst_same", "CPU time: cold build, handouts only / Typst, same work"),
                       ("cold", "canvas", "CPU time: cold build, handouts only / raw-canvas floor"),
                       ("faq", "cold", "CPU time: cold build with FAQ / handouts only"),
                       ("tenx", "faq", "CPU time: 10x library / 1x (both with the FAQ)")):
        if ph[a].measured and ph[b].measured:
            more.append((name, f"{ph[a].cpu_seconds / ph[b].cpu_seconds:.2f}×"))
    for key, name in (("cold", "peak memory, cold build handouts only, all processes"),
                      ("faq", "peak memory, cold build with FAQ, all processes")):
        if ph[key].measured:
            more.append((name, f"{ph[key].all_processes_mb:.0f} MB"))
    return out, more


def verdict(met: bool | None) -> str:
    return "not measured" if met is None else ("met" if met else "**missed**")


def print_report(*, title: str, command: str, repeat: int, limit: int | None, phases: dict[str, Phase],
                 notes: list[str], about: list[tuple[str, str]], load_before: str, load_after: str,
                 how: str) -> None:
    print()
    print(f"### {title}")
    print()
    print(f"Made by `{command}`" + (f", median of {repeat} rounds" if repeat > 1 else "") + ".")
    print()
    for line in table(list(phases.values())):
        print(line)
    print()
    found, more = targets(phases)
    print("| target (issue 19) | figure | goal | verdict |")
    print("|---|---:|---|---|")
    for t in found:
        print(f"| {t.name} | {t.figure} | {t.goal} | {verdict(t.met)} |")
    if more:
        print()
        print("| other measure | figure |")
        print("|---|---:|")
        for name, figure in more:
            print(f"| {name} | {figure} |")
    if limit:
        print()
        print(f"The targets are for the whole library ({FULL_CORPUS} exercises, 868 built) on the 2-core machine; "
              f"this run used --limit {limit}, so its verdicts say little.")
    print()
    print("Machine and versions: " + "; ".join(f"{k}: {v}" for k, v in about)
          + f"; load average before {load_before}, after {load_after}.")
    print()
    print(how)
    for note in dict.fromkeys(notes):
        print()
        print(f"Note: {note}")
    sys.stdout.flush()
