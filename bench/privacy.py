"""Benchmark: the privacy attack of tests/aanval.py over all twelve quarters of the sample.

The test in `make test` attacks two quarters (to stay under two minutes); this runs the
same attacker over 2022-Q1..2024-Q4 at `intern` and `openbaar`, and the same attacker
against plain suppression (exact figures, only 1-4 hidden) as the control, counted up to
200 pinned cells. Results go
to bench/README.md by hand.

    python bench/privacy.py [--data MAP] [--van 2022-Q1] [--tot 2024-Q4]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def main() -> None:
    import numpy as np

    import aanval
    from duiding import laad
    from duiding.periode import reeks

    p = argparse.ArgumentParser()
    p.add_argument("--data", default=str(ROOT / "data" / "sample"))
    p.add_argument("--van", default="2022-Q1")
    p.add_argument("--tot", default="2024-Q4")
    args = p.parse_args()
    g = laad(args.data)
    perioden = reeks(args.van, args.tot)
    for niveau in ("intern", "openbaar", "exact"):
        t0 = time.perf_counter()
        pub = aanval.publicatie(g, perioden, "intern" if niveau == "exact" else niveau)
        if niveau == "exact":
            tel = pub["soort"].isin(aanval.TELLING)
            pub.loc[tel, "gepubliceerd"] = pub["waarde"].where(~pub["waarde"].between(1, 4))
        t1 = time.perf_counter()
        m = aanval.model(pub, niveau)
        t2 = time.perf_counter()
        # the control pins thousands; counting the first 200 is proof enough
        gevonden = aanval.vastgepind(m, genoeg=200 if niveau == "exact" else None)
        t3 = time.perf_counter()
        doelen = int((m.verborgen & (m.waar >= 1) & (m.waar <= 4)).sum())
        print(f"{niveau:9} rows {len(pub):7d}  unknowns {len(m.waar):6d}  equalities {len(m.gelijk):6d}  "
              f"inequalities {len(m.kleiner):6d}  hidden 1-4 {doelen:5d}  pinned {len(gevonden):5d}  "
              f"(publish {t1 - t0:.0f} s, model {t2 - t1:.0f} s, LP {t3 - t2:.0f} s)", flush=True)
        if gevonden:
            print("   pinned true values:", np.bincount(m.waar[gevonden].astype(int)).tolist())


if __name__ == "__main__":
    main()
