"""A small library of exercises as clinics write them, for the readability tests.

The exercises are plain-text files in ``tests/data/clinic_text`` (the format clinics keep),
imported with ``handouts import``'s own code; ``extras.yaml`` there adds what the plain-text
format cannot say (pictures, dose, language).  The pictures are drawn here: 4:3 "photos"
of a figure, each different, so a test can find them on the page.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from PIL import Image, ImageDraw

from handouts.importers.plain_text import import_text_files

CLINIC_TEXT = Path(__file__).parent / "data" / "clinic_text"

#: id -> what the readability issue asks of it: (steps, tips, description paragraphs, pictures)
LIBRARY = {
    "side-lying-shoulder-external-rotation": (12, 10, 2, 2),
    "dead-bug-core-progression": (16, 14, 6, 1),
    "single-leg-balance-at-the-kitchen-counter": (4, 3, 1, 1),
    "seated-ankle-pumps": (3, 2, 0, 0),
    "puente-de-gluteos": (6, 4, 1, 1),
    "kniebeuge-am-stuhl": (6, 4, 1, 1),
}
#: The two long ones: their type may go below 12 pt (never below 10.5).
LONG = {"side-lying-shoulder-external-rotation", "dead-bug-core-progression"}


def draw_photo(path: Path, seed: int) -> None:
    """A 1200 x 900 px picture of a figure on a mat, its limbs at angles that differ by *seed*."""
    image = Image.new("RGB", (1200, 900), (238 - seed * 7 % 40, 232, 222))
    draw = ImageDraw.Draw(image)
    draw.rectangle((100, 720, 1100, 760), fill=(70, 130, 110))
    x, y = 380 + seed * 40, 420
    draw.ellipse((x - 70, y - 230, x + 70, y - 90), fill=(60, 60, 70))
    draw.line((x, y - 90, x + 260, y + 200), fill=(40, 80, 160), width=60)
    draw.line((x + 260, y + 200, x + 520, y + 300 - seed * 30), fill=(40, 80, 160), width=50)
    draw.line((x + 40, y, x + 300 - seed * 20, y - 200 + seed * 25), fill=(200, 120, 80), width=40)
    image.save(path)


def build_library(root: Path) -> tuple[Path, Path]:
    """Import the plain-text exercises into *root*/content, add the extras, draw the pictures into
    *root*/assets; return (content, assets)."""
    content, assets = root / "content", root / "assets"
    content.mkdir(parents=True, exist_ok=True)
    assets.mkdir(parents=True, exist_ok=True)
    result = import_text_files(sorted(CLINIC_TEXT.glob("*.txt")), content)
    assert not result.problems, result.problems
    extras = yaml.safe_load((CLINIC_TEXT / "extras.yaml").read_text(encoding="utf-8"))
    seed = 0
    for exercise_id, fields in extras.items():
        path = content / f"{exercise_id}.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data.update(fields)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        files = [fields["image"]] if "image" in fields else [i["file"] for i in fields.get("images", [])]
        for name in files:
            draw_photo(assets / name, seed)
            seed += 1
    return content, assets
