"""`handouts import` end to end: the seed becomes the content file the repository ships."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from handouts.cli import main

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "seed" / "000_c82e5f65e6a2b3ad.txt"


@pytest.fixture
def seed():
    if not SEED.exists():
        pytest.skip("../shared is not beside the repository")
    return SEED


def test_import_then_build_round_trip(seed, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["import", str(seed)]) == 0
    written = tmp_path / "content" / "reclining-lower-trunk-extensor-stretch.yaml"
    assert capsys.readouterr().out.splitlines()[0] == f"wrote content/{written.name}"
    imported = yaml.safe_load(written.read_text())
    shipped = yaml.safe_load((REPO / "content" / written.name).read_text())
    assert {k: shipped[k] for k in imported} == imported
    assert main(["build", "--assets", str(REPO / "assets")]) == 0
    assert (tmp_path / "output" / "handouts" / "reclining-lower-trunk-extensor-stretch.pdf").stat().st_size > 10_000


def test_import_refuses_to_overwrite_without_force(seed, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "content" / "reclining-lower-trunk-extensor-stretch.yaml"
    target.parent.mkdir()
    target.write_text("title: edited by hand\ninstructions: [keep me]\n")
    assert main(["import", str(seed)]) == 0
    err = capsys.readouterr().err
    assert "warning: content/reclining-lower-trunk-extensor-stretch.yaml: exists; not overwritten (use --force)" in err
    assert target.read_text().startswith("title: edited by hand")
    assert main(["import", str(seed), "--force"]) == 0
    assert yaml.safe_load(target.read_text())["title"] == "Reclining Lower Trunk Extensor Stretch"


def test_import_of_a_malformed_file_names_the_line(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    bad = tmp_path / "bad.txt"
    bad.write_text("Plank\nHold a straight line.\nInstructions\n- Lie face down\nDose: as much as you like\n")
    good = tmp_path / "good.txt"
    good.write_text("Bridge\nInstructions\n- Lift your hips.\n")
    assert main(["import", str(bad), str(good)]) == 1
    out, err = capsys.readouterr()
    assert "bad.txt:5: dose: Dose cannot read 'as much as you like'" in err
    assert "imported 1 exercise, 0 skipped, 1 failed" in err  # files, each on its own
    assert "wrote content/bridge.yaml" in out
    assert sorted(p.name for p in (tmp_path / "content").iterdir()) == ["bridge.yaml"]
