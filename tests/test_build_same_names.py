"""Two files that would write one PDF (``jane.yaml`` and ``jane.yml``): none of them is built.

Whichever won, someone would print the other's PDF under the name they expect: for two
clients' programs that hands one client another's health information.  Each file gets a
one-line error naming the others; everything else is built.
"""

from __future__ import annotations

import shutil

from pypdf import PdfReader

from conftest import REPO, SEED
from handouts.build.run import BuildOptions, build
from handouts.cli import main


def _project(root):
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "assets", root / "assets")
    (root / "programs").mkdir()
    return root


def _program(root, name: str, client: str) -> None:
    (root / "programs" / name).write_text(f"client: {client}\nexercises: [{SEED}]\n", encoding="utf-8")


def test_three_programs_named_jane_build_none_and_each_names_the_others(tmp_path, monkeypatch, capsys):
    root = _project(tmp_path)
    _program(root, "rosa.yaml", "Rosa Diaz")
    monkeypatch.chdir(root)
    assert main(["build"]) == 0
    capsys.readouterr()
    for name, client in (("jane.yaml", "Alice Jones"), ("jane.yml", "Bob Smith"), ("jane.YAML", "Carol White")):
        _program(root, name, client)
    assert main(["build"]) == 1
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    for name in ("jane.yaml", "jane.yml", "jane.YAML"):
        (line,) = [ln for ln in lines if ln.startswith(f"programs/{name}: ")]
        others = {"jane.yaml", "jane.yml", "jane.YAML"} - {name}
        assert all(f"programs/{other}" in line for other in others), line
        assert "output/programs/jane.pdf" in line and "none is built" in line
    assert "3 failed" in (out + err).strip().splitlines()[-1]
    assert not (root / "output" / "programs" / "jane.pdf").exists()
    assert (root / "output" / "programs" / "rosa.pdf").exists()
    assert "Traceback" not in err

    (root / "programs" / "jane.yml").unlink()
    (root / "programs" / "jane.YAML").unlink()
    assert main(["build"]) == 0
    pdf = root / "output" / "programs" / "jane.pdf"
    assert "Alice Jones" in PdfReader(pdf).pages[0].extract_text()


def test_an_earlier_program_pdf_is_never_replaced_by_another_clients(tmp_path):
    root = _project(tmp_path)
    _program(root, "jane.yaml", "Alice Jones")
    options = BuildOptions(content_dir=root / "content", assets_dir=root / "assets", out_dir=root / "output",
                           programs=(root / "programs" / "jane.yaml",))
    assert build(options).ok
    pdf = root / "output" / "programs" / "jane.pdf"
    alice = pdf.read_bytes()
    _program(root, "jane.yml", "Bob Smith")
    report = build(BuildOptions(content_dir=root / "content", assets_dir=root / "assets", out_dir=root / "output",
                                programs=(root / "programs" / "jane.yaml", root / "programs" / "jane.yml")))
    assert len(report.failed) == 2 and pdf.read_bytes() == alice


def test_two_content_files_with_one_id_build_neither_and_the_others_build(tmp_path):
    root = _project(tmp_path)
    source = (root / "content" / f"{SEED}.yaml").read_text(encoding="utf-8")
    (root / "content" / "plank.yaml").write_text(source.replace("title: ", "title: Plank A "), encoding="utf-8")
    (root / "content" / "plank.yml").write_text(source.replace("title: ", "title: Plank B "), encoding="utf-8")
    report = build(BuildOptions(content_dir=root / "content", assets_dir=root / "assets", out_dir=root / "output"))
    assert sorted(p.rsplit("/", 1)[-1] for p in report.failed) == ["plank.yaml", "plank.yml"]
    assert [p.name for p in report.written] == [f"{SEED}.pdf"]
    assert not (root / "output" / "handouts" / "plank.pdf").exists()
    messages = {e.path.rsplit("/", 1)[-1]: e.message for e in report.errors}
    assert "plank.yml" in messages["plank.yaml"] and "plank.yaml" in messages["plank.yml"]


def test_the_program_command_refuses_a_file_with_a_twin_beside_it(tmp_path, monkeypatch, capsys):
    root = _project(tmp_path)
    _program(root, "jane.yaml", "Alice Jones")
    _program(root, "jane.yml", "Bob Smith")
    monkeypatch.chdir(root)
    assert main(["program", "programs/jane.yml"]) == 1
    err = capsys.readouterr().err
    assert "programs/jane.yml: same id 'jane' as programs/jane.yaml" in err
    assert not (root / "output" / "programs" / "jane.pdf").exists()
