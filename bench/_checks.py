"""What the benchmark checks about the files each phase wrote, so that a figure is not of less work.

Used by bench_build.py: that a build made every handout, card file and the deck; that a no-op
rebuild rewrote nothing; and which photos the same-work Typst baseline embedded with the very
bytes our handouts embed.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from _variants import content_files

try:
    from yaml import CSafeLoader as Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as Loader  # type: ignore[assignment]


def cards_made(out: Path, summary: str) -> tuple[int | None, int, bool]:
    """(cards the tool said it built, or None; card files in OUT/cards; whether OUT/deck.pdf exists)."""
    said = re.search(r"(\d[\d,]*) cards?\b", summary)
    files = len(list((out / "cards").glob("*.pdf"))) if (out / "cards").is_dir() else 0
    return (int(said.group(1).replace(",", "")) if said else None), files, (out / "deck.pdf").is_file()


def describe_cards(out: Path, summary: str, expected_cards: int, expected_files: int, label: str,
                   notes: list[str]) -> str:
    """The table's "cards" cell for a build into *out*; a note when it made fewer than expected."""
    cards, files, deck = cards_made(out, summary)
    if cards != expected_cards or files != expected_files or not deck:
        notes.append(f"**{label}: expected {expected_cards} cards in {expected_files} card files and the deck; "
                     f"the tool said {cards} cards, wrote {files} card files, "
                     f"{'a' if deck else 'no'} deck.pdf.**")
    return f"{cards if cards is not None else '?'} in {files} files" + (" + deck" if deck else ", no deck")


def rewritten(before: dict[str, int], after: dict[str, int], out: Path) -> list[str]:
    """Files (relative to *out*) whose modification time changed or that are new."""
    return sorted(Path(k).relative_to(out).as_posix() for k, v in after.items() if before.get(k) != v)


def same_photo_bytes(content: Path, assets: Path, ours: Path, theirs: Path) -> tuple[int, int, list[str]]:
    """Of the handouts with photos, how many embed every photo file's bytes verbatim in both our
    PDF (in *ours*) and the baseline's (in *theirs*); returns (same, with photos, ids that differ).

    A photo's bytes found whole in a PDF mean it was embedded as it is (a JPEG in a DCTDecode
    stream); our tool downsamples photos finer than it needs, and then they differ.
    """
    same, total, differ = 0, 0, []
    for path in content_files(content):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)
        images = data.get("images") or ([data["image"]] if data.get("image") else [])
        files = [assets / (i["file"] if isinstance(i, dict) else str(i)) for i in images]
        files = [f for f in files if f.is_file()]
        if not files:
            continue
        total += 1
        ok = True
        for pdf in (ours / f"{path.stem}.pdf", theirs / f"{path.stem}.pdf"):
            body = pdf.read_bytes() if pdf.is_file() else b""
            ok = ok and all(f.read_bytes() in body for f in files)
        if ok:
            same += 1
        else:
            differ.append(path.stem)
    return same, total, differ
