"""Take the README's screenshots of the front desk: docs/front-desk-library.png and docs/front-desk-program.png.

Usage:
    .venv/bin/python tools/front_desk_screenshots.py [--corpus DIR] [--out docs]

A throw-away project: the sample exercise and a few physiotherapy-style exercises of free-exercise-db
(imported with ``handouts import``, photos included), served by ``handouts serve``; Debian's Chromium
(through Playwright) makes a client's program of three exercises in the page as a person would, then
takes each page at 1280 px wide.  Look at the pictures before committing them.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "free-exercise-db"
PICKED = ("90_90_Hamstring", "All_Fours_Quad_Stretch", "Ankle_Circles", "Ball_Leg_Curl", "Band_Hip_Adductions",
          "Arm_Circles", "Balance_Board", "Adductor")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--out", type=Path, default=REPO / "docs")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        for name in ("content", "assets"):
            shutil.copytree(REPO / name, project / name)
        env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "XDG_CACHE_HOME": str(project / "xdg")}
        entries = [e for e in json.loads((args.corpus / "exercises.json").read_text()) if e["id"] in PICKED]
        picked = project / "picked.json"
        picked.write_text(json.dumps(entries))
        (args.corpus / "exercises").exists() and os.symlink(args.corpus / "exercises", project / "exercises")
        subprocess.run([sys.executable, "-m", "handouts", "import", str(picked)], cwd=project, env=env, check=True)
        server = subprocess.Popen([sys.executable, "-m", "handouts", "serve", "--no-browser", "--port", "0"],
                                  cwd=project, env=env, stdout=subprocess.PIPE, text=True)
        try:
            url = re.search(r"(http://\S+)", server.stdout.readline()).group(1)
            for _ in range(300):  # the first build: every handout and its preview
                status = json.loads(urllib.request.urlopen(url + "status.json").read())
                if status["state"] == "ready":
                    break
                time.sleep(0.5)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
                page = browser.new_page(viewport={"width": 1280, "height": 860})
                page.goto(url)
                page.wait_for_timeout(800)
                page.screenshot(path=str(args.out / "front-desk-library.png"))
                page.goto(url + "programs/new")
                page.get_by_label("Client's name").fill("Margaret Ellis")
                page.get_by_label("Email").fill("margaret.ellis@example.com")
                page.get_by_label("Clinician").fill("Alex Kim, PT")
                page.get_by_label("Note for the client (printed on the cover)").fill(
                    "Twice a day, slowly. Stop if the pain is sharp.")
                for words, title in (("reclining", "Reclining Lower Trunk Extensor Stretch"),
                                     ("hamstring", "90/90 Hamstring"), ("ankle circles", "Ankle Circles")):
                    page.get_by_label("Add an exercise").fill(words)
                    page.get_by_role("button", name=f"Add {title}").click()
                    page.wait_for_timeout(400)
                rows = page.locator("#rows > li")
                rows.nth(1).get_by_label("Sets").fill("3")
                rows.nth(1).get_by_label("Hold").fill("30 s")
                rows.nth(2).get_by_label("Reps").fill("10")
                rows.nth(2).get_by_label("How often").fill("every morning")
                page.get_by_role("button", name="Save", exact=True).click()
                page.wait_for_url(re.compile(r"saved=1"))
                for _ in range(120):  # the program's cover picture, made by the background build
                    if "programs/" in page.locator(".preview").inner_html() and "img" in \
                            page.locator(".preview").inner_html():
                        break
                    page.wait_for_timeout(500)
                    page.reload()
                for _ in range(120):  # and the build it started, finished
                    if json.loads(urllib.request.urlopen(url + "status.json").read())["state"] == "ready":
                        break
                    time.sleep(0.5)
                page.reload()
                page.wait_for_timeout(500)
                page.screenshot(path=str(args.out / "front-desk-program.png"), full_page=True)
                browser.close()
        finally:
            server.terminate()
            server.wait(10)
    print(f"wrote {args.out / 'front-desk-library.png'} and {args.out / 'front-desk-program.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
