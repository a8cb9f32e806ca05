"""Benchmark: the first report in a fresh kernel, with an empty cache and with the cache of an earlier run.

Run on demand (`make bench`), not a test. Each run is `wijk.ipynb` executed by papermill in
a new `duiding` kernel, as a kernel of `duiding draai` or a page of the app starts:
- koud: an empty cache folder: the kernel reads, types and checks the data, and computes the
  tables for all wijken;
- warm: a new kernel on the same data, after the first: the validated tables and the
  protected tables come from the cache (`duiding.controle.cache`).
Printed per run: the wall time (kernel start included) and the time the kernel spent in the
notebook's cells (papermill's own cell durations).

    python bench/eerste_rapport.py [--data MAP] [--wijk CODE]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

import nbformat
import papermill as pm

ROOT = Path(__file__).resolve().parents[1]


def een_rapport(data: Path, wijk: str, uit: Path) -> dict:
    t0 = time.perf_counter()
    pm.execute_notebook(str(ROOT / "notebooks" / "wijk.ipynb"), str(uit), parameters={"wijk": wijk, "data": str(data)},
                        kernel_name="duiding", cwd=str(ROOT / "notebooks"), progress_bar=False)
    wand = time.perf_counter() - t0
    nb = nbformat.read(uit, as_version=4)
    cellen = sum(c.metadata.get("papermill", {}).get("duration") or 0 for c in nb.cells)
    traag = sorted(((c.metadata.get("papermill", {}).get("duration") or 0, c.source.strip().splitlines()[0][:60])
                    for c in nb.cells if c.source.strip()), reverse=True)[:5]
    return {"wand_s": round(wand, 2), "cellen_s": round(cellen, 2),
            "traagste_cellen": [f"{d:.2f} s  {regel}" for d, regel in traag]}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=ROOT / "data" / "sample")
    ap.add_argument("--wijk", help="CBS-code of the wijk (default: the first in wijken.csv)")
    ap.add_argument("--cache", type=Path, help="keep the cache folder here (default: a new one, removed after)")
    args = ap.parse_args()
    wijk = args.wijk
    if not wijk:
        import pandas as pd
        wijk = str(pd.read_csv(args.data / "wijken.csv", dtype=str)["wijk_code"].iloc[0])
    werk = Path(tempfile.mkdtemp(prefix="bench-eerste-"))
    os.environ["XDG_CACHE_HOME"] = str(args.cache or werk / "cache")  # inherited by the kernels papermill starts
    uitslag = {"data": str(args.data), "wijk": wijk}
    uitslag["koud"] = een_rapport(args.data, wijk, werk / "koud.ipynb")
    uitslag["warm"] = een_rapport(args.data, wijk, werk / "warm.ipynb")
    print(json.dumps(uitslag, indent=1))
    shutil.rmtree(werk, ignore_errors=True)


if __name__ == "__main__":
    main()
