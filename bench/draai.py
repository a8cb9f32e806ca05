"""Benchmark: `duiding draai --per wijk` against the naive loop, the floor, and 330 wijken.

Run on demand, not a test. On this machine, in one run, for the same reports:
- naive: per wijk, the `papermill` CLI then `jupyter nbconvert --to html --no-input`, one
  after the other (what an analyst would script by hand);
- draai: `duiding draai --per wijk` with the default jobs (the number of cores);
- floor, two readings of "the same number of empty notebooks run with the same
  parallelism" (notebooks holding only a parameters cell):
  - papermill: the `papermill` CLI per empty notebook, as many at a time as cores, each
    with its own kernel: the cost of running notebooks at all;
  - draai: `duiding draai --per wijk` over the empty notebooks: the cost of our own batch
    machinery (warm kernels make this floor nearly free);
- scale: `duiding draai --per wijk` over 330 wijken cut from the `--schaal land` set, to show
  the cost per report stays flat as the batch grows.
Results go to bench/README.md by hand.

    python bench/draai.py [--land MAP] [--zonder-schaal]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
BIN = Path(sys.executable).parent


def _tijd(cmd: list[str], **kw) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
    return time.perf_counter() - t0


def naief(wijken: list[str], uit: Path) -> float:
    t0 = time.perf_counter()
    for w in wijken:
        nb = uit / f"{w}.ipynb"
        subprocess.run([str(BIN / "papermill"), str(ROOT / "notebooks" / "wijk.ipynb"), str(nb), "-k", "duiding",
                        "-p", "wijk", w, "-p", "data", str(SAMPLE), "--cwd", str(ROOT / "notebooks")],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(nb)],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def draai(data: Path, uit: Path, notebooks: Path | None = None) -> float:
    cmd = [str(BIN / "duiding"), "draai", "--per", "wijk", "--data", str(data), "--uitvoer", str(uit)]
    if notebooks:
        cmd += ["--notebooks", str(notebooks)]
    return _tijd(cmd)


def papermill_vloer(notebooks: Path, uit: Path, n: int, jobs: int) -> float:
    """Floor as plain papermill: n empty notebooks, `jobs` at a time, each its own kernel (no batch tricks)."""
    from concurrent.futures import ThreadPoolExecutor

    uit.mkdir(parents=True, exist_ok=True)

    def een(i: int) -> None:
        subprocess.run([str(BIN / "papermill"), str(notebooks / "wijk.ipynb"), str(uit / f"{i}.ipynb"), "-k", "duiding"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    t0 = time.perf_counter()
    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(een, range(n)))
    return time.perf_counter() - t0


def lege_notebooks(map: Path) -> Path:
    map.mkdir(parents=True, exist_ok=True)
    for naam in ("wijk", "aanbieder", "stad"):
        cel = nbformat.v4.new_code_cell('wijk = ""\naanbieder = ""\nperiode = ""\ndata = ""\nprivacy = ""')
        cel.metadata["tags"] = ["parameters"]
        nb = nbformat.v4.new_notebook(cells=[cel], metadata={
            "kernelspec": {"name": "duiding", "display_name": "duiding", "language": "python"},
            "language_info": {"name": "python"}})
        nbformat.write(nb, map / f"{naam}.ipynb")
    return map


def snijd_land(land: Path, doel: Path, n_gemeenten: int = 33) -> int:
    """The first n fictitious municipalities (10 wijken each) of the land set, as a data folder."""
    import duckdb
    import pandas as pd

    if doel.exists():
        shutil.rmtree(doel)
    doel.mkdir(parents=True)
    wijken = pd.read_csv(land / "wijken.csv", dtype=str).head(10 * n_gemeenten)
    codes = set(wijken["wijk_code"])
    wijken.to_csv(doel / "wijken.csv", index=False)
    con = duckdb.connect()
    lijst = ",".join(f"'{c}'" for c in codes)
    for naam in ("trajecten", "bevolking", "ervaringen"):
        bron = land / f"{naam}.csv"
        if bron.exists():
            con.execute(f"COPY (SELECT * FROM read_csv('{bron}', all_varchar=true) WHERE wijk_code IN ({lijst}) "
                        f"OR wijk_code IS NULL) TO '{doel / (naam + '.csv')}' (HEADER)")
    for naam in ("aanbieders", "budget", "realisatie", "bron.toml"):
        if (land / naam).exists():
            shutil.copy(land / naam, doel / naam)
        elif (land / f"{naam}.csv").exists():
            shutil.copy(land / f"{naam}.csv", doel / f"{naam}.csv")
    return len(wijken)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--land", type=Path, default=Path(tempfile.gettempdir()) / "duiding-land")
    ap.add_argument("--zonder-schaal", action="store_true")
    args = ap.parse_args()
    import pandas as pd
    wijken = list(pd.read_csv(SAMPLE / "wijken.csv", dtype=str)["wijk_code"])
    werk = Path(tempfile.mkdtemp(prefix="bench-draai-"))
    uitslag = {"cores": os.cpu_count(), "wijken": len(wijken)}
    (werk / "naief").mkdir()
    def meld(sleutel, waarde):
        uitslag[sleutel] = waarde
        print(f"{sleutel}: {waarde}", file=sys.stderr, flush=True)  # progress, in case a later side fails

    meld("naief_s", round(naief(wijken, werk / "naief"), 1))
    meld("draai_s", round(draai(SAMPLE, werk / "draai"), 1))
    meld("vloer_s", round(draai(SAMPLE, werk / "vloer", lege_notebooks(werk / "leeg")), 1))
    meld("vloer_papermill_s", round(papermill_vloer(werk / "leeg", werk / "vloer-pm", len(wijken), os.cpu_count()), 1))
    uitslag["versnelling"] = round(uitslag["naief_s"] / uitslag["draai_s"], 2)
    uitslag["tov_vloer"] = round(uitslag["draai_s"] / uitslag["vloer_s"], 2)
    uitslag["tov_vloer_papermill"] = round(uitslag["draai_s"] / uitslag["vloer_papermill_s"], 2)
    if not args.zonder_schaal:
        if not (args.land / "trajecten.csv").exists():
            subprocess.run([str(BIN / "duiding"), "voorbeelddata", "--schaal", "land", "--uitvoer", str(args.land)],
                           check=True)
        n = snijd_land(args.land, werk / "land330")
        uitslag["schaal_wijken"] = n
        meld("schaal_s", round(draai(werk / "land330", werk / "schaal"), 1))
        uitslag["per_rapport_10_s"] = round(uitslag["draai_s"] / len(wijken), 2)
        uitslag["per_rapport_330_s"] = round(uitslag["schaal_s"] / n, 2)
    print(json.dumps(uitslag, indent=1))
    shutil.rmtree(werk, ignore_errors=True)


if __name__ == "__main__":
    main()
