"""Benchmark: all indicators for all wijken x 12 quarters on the `--schaal land` set.

Run on demand (`make bench`), not a test. Each side runs in its own process so peak
memory (ru_maxrss) is its own:
- kit: `duiding.laad` (with full validation), then every indicator of the library for
  2022-Q1..2024-Q4, each passed through the `intern` privacy protection;
- reference: the same aggregations written directly in DuckDB SQL over the same CSV
  files, with no validation and no privacy step.
Load and compute times are reported separately. Results go to bench/README.md by hand.

    python bench/indicatoren.py [--data MAP]   # default: generates /tmp/duiding-land once
    python bench/indicatoren.py --alleen-laden [--herhaal 3]   # the load goal alone, alternating
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PERIODEN = ("2022-Q1", "2024-Q4")
A, B = 2022 * 4, 2024 * 4 + 3


def kit(map: str) -> dict:
    from duiding import laad
    from duiding.indicatoren import bereken
    from duiding.periode import reeks
    from duiding.privacy import beveilig

    t0 = time.perf_counter()
    g = laad(map)  # the side runs with an empty cache folder: read, type and check every rule, then keep
    t1 = time.perf_counter()
    perioden = reeks(*PERIODEN)
    rijen = 0
    tijden = {}
    for indicator, per in (("bereik", "wijk"), ("wachttijd", "wijk"), ("ervaringen", "wijk"),
                           ("budget", "aanbieder"), ("overgangen", "aanbieder"), ("verdieping", "wijk")):
        s = time.perf_counter()
        ruw = bereken(g, indicator, per, perioden)
        m = time.perf_counter()
        rijen += len(beveilig(ruw, "intern"))
        tijden[indicator] = (round(m - s, 2), round(time.perf_counter() - m, 2))
    t2 = time.perf_counter()
    return {"laden_s": t1 - t0, "rekenen_s": t2 - t1, "rijen": rijen, "trajecten": len(g.trajecten),
            "per_indicator_s (berekenen, privacy)": tijden}


REFERENTIE = {
    "bereik": """
        WITH t AS (SELECT client_id, wijk_code, greatest(qs, {a}) lo, least(coalesce(qe, {b}), {b}) hi FROM traj
                   WHERE qs <= {b} AND coalesce(qe, {b}) >= {a}),
        e AS (SELECT client_id, wijk_code, unnest(range(lo, hi + 1)) q FROM t)
        SELECT wijk_code, q, count(DISTINCT client_id) FROM e GROUP BY GROUPING SETS ((wijk_code, q), (q))""",
    "bereik_soort": """
        WITH t AS (SELECT client_id, wijk_code, soort, greatest(qs, {a}) lo, least(coalesce(qe, {b}), {b}) hi FROM traj
                   WHERE qs <= {b} AND coalesce(qe, {b}) >= {a}),
        e AS (SELECT client_id, wijk_code, soort, unnest(range(lo, hi + 1)) q FROM t)
        SELECT wijk_code, soort, q, count(DISTINCT client_id) FROM e GROUP BY GROUPING SETS ((wijk_code, soort, q), (soort, q))""",
    "bereik_wet": """
        WITH t AS (SELECT client_id, wijk_code, wet, greatest(qs, {a}) lo, least(coalesce(qe, {b}), {b}) hi FROM traj
                   WHERE qs <= {b} AND coalesce(qe, {b}) >= {a}),
        e AS (SELECT client_id, wijk_code, wet, unnest(range(lo, hi + 1)) q FROM t)
        SELECT wijk_code, wet, q, count(DISTINCT client_id) FROM e GROUP BY GROUPING SETS ((wijk_code, wet, q), (wet, q))""",
    "instroom": """SELECT wijk_code, qs, count(DISTINCT client_id) FROM traj WHERE qs BETWEEN {a} AND {b}
                   GROUP BY GROUPING SETS ((wijk_code, qs), (qs))""",
    "uitstroom": """SELECT wijk_code, qe, count(DISTINCT client_id) FROM traj WHERE qe BETWEEN {a} AND {b}
                    GROUP BY GROUPING SETS ((wijk_code, qe), (qe))""",
    "reden": """SELECT wijk_code, qe, reden, count(DISTINCT client_id) FROM traj WHERE qe BETWEEN {a} AND {b}
                GROUP BY GROUPING SETS ((wijk_code, qe, reden), (qe, reden))""",
    "verwijzer": """SELECT wijk_code, qs, verwijzer, count(DISTINCT client_id) FROM traj
                    WHERE wet = 'jeugd' AND qs BETWEEN {a} AND {b}
                    GROUP BY GROUPING SETS ((wijk_code, qs, verwijzer), (qs, verwijzer))""",
    "doorlooptijd": """SELECT wijk_code, qe, quantile_cont(d, 0.5), quantile_cont(d, 0.25), quantile_cont(d, 0.75),
                       count(DISTINCT client_id)
                       FROM (SELECT *, date_diff('day', startdatum, einddatum) d FROM traj WHERE qe BETWEEN {a} AND {b})
                       GROUP BY GROUPING SETS ((wijk_code, qe), (qe))""",
    "wachttijd": """SELECT wijk_code, qs, count(*), count(DISTINCT client_id), quantile_cont(w, 0.5),
                    quantile_cont(w, 0.9), avg(CASE WHEN w <= 42 THEN 1 ELSE 0 END)
                    FROM (SELECT *, date_diff('day', aanmelddatum, startdatum) w FROM traj
                          WHERE aanmelddatum IS NOT NULL AND qs BETWEEN {a} AND {b})
                    GROUP BY GROUPING SETS ((wijk_code, qs), (qs))""",
    "ervaringen": """SELECT wijk_code, year(datum) * 4 + quarter(datum) - 1 q, thema, count(*), sum((score >= 4)::INT)
                     FROM erv GROUP BY GROUPING SETS ((wijk_code, q, thema), (q, thema))""",
    "budget": """WITH t AS (SELECT client_id, aanbieder_id, greatest(qs, {a}) lo, least(coalesce(qe, {b}), {b}) hi FROM traj
                            WHERE qs <= {b} AND coalesce(qe, {b}) >= {a}),
                 e AS (SELECT client_id, aanbieder_id, unnest(range(lo, hi + 1)) q FROM t)
                 SELECT aanbieder_id, q, count(DISTINCT client_id) FROM e GROUP BY ALL""",
    "overgangen": """
        WITH paar AS (SELECT DISTINCT x.aanbieder_id van, y.aanbieder_id naar, y.qs q, x.client_id
                      FROM traj x JOIN traj y ON x.client_id = y.client_id AND x.aanbieder_id <> y.aanbieder_id
                       AND y.startdatum >= x.einddatum AND y.startdatum <= x.einddatum + INTERVAL 90 DAY
                      WHERE x.einddatum IS NOT NULL AND y.qs BETWEEN {a} AND {b})
        SELECT van, naar, q, count(DISTINCT client_id) FROM paar
        GROUP BY GROUPING SETS ((van, naar, q), (van, q), (naar, q), (q))""",
    "schuiven": """
        WITH s AS (SELECT y.*, (SELECT count(DISTINCT x.aanbieder_id) FROM traj x WHERE x.client_id = y.client_id
                                AND x.soort = 'aanvullend'
                                AND x.startdatum BETWEEN y.startdatum - INTERVAL 365 DAY AND y.startdatum) n
                   FROM traj y WHERE y.soort = 'aanvullend' AND y.qs BETWEEN {a} AND {b})
        SELECT wijk_code, qs, count(DISTINCT client_id), count(DISTINCT CASE WHEN n >= 2 THEN client_id END)
        FROM s GROUP BY GROUPING SETS ((wijk_code, qs), (qs))""",
    "herinstroom": """
        WITH e AS (SELECT x.*, EXISTS (SELECT 1 FROM traj y WHERE y.client_id = x.client_id AND y.startdatum > x.einddatum
                                       AND y.startdatum <= x.einddatum + INTERVAL 365 DAY) terug
                   FROM traj x WHERE x.qe BETWEEN {a} AND {b} AND x.reden IN ('31', '19'))
        SELECT wijk_code, qe, count(DISTINCT client_id), count(DISTINCT CASE WHEN terug THEN client_id END)
        FROM e GROUP BY GROUPING SETS ((wijk_code, qe), (qe))""",
}


def tweede_keer(map: str) -> dict:
    """A later process on unchanged data (a kernel of `duiding draai`, the app): the kept tables."""
    from duiding import laad

    t0 = time.perf_counter()
    g = laad(map)
    return {"laden_s": time.perf_counter() - t0, "trajecten": len(g.trajecten)}


def alleen_lezen(map: str) -> dict:
    """The plain read the goal is set against: DuckDB's read_csv of every file, nothing checked."""
    import duckdb

    con = duckdb.connect()
    con.execute("SET threads TO 2")
    t0 = time.perf_counter()
    rijen = 0
    for pad in sorted(Path(map).glob("*.csv")):
        rijen += con.execute(f"CREATE OR REPLACE TABLE t AS SELECT * FROM read_csv('{pad}')").fetchone()[0]
    return {"laden_s": time.perf_counter() - t0, "rijen": rijen}


def referentie(map: str) -> dict:
    import duckdb

    con = duckdb.connect()
    con.execute("SET threads TO 2")
    t0 = time.perf_counter()
    con.execute(f"""
        CREATE TABLE traj AS
        SELECT t.client_id, t.wet, t.aanbieder_id, t.wijk_code, a.soort, t.verwijzer, t.aanmelddatum,
               t.startdatum, t.einddatum, t.reden_beeindiging AS reden,
               year(startdatum) * 4 + quarter(startdatum) - 1 AS qs,
               year(einddatum) * 4 + quarter(einddatum) - 1 AS qe
        FROM read_csv('{map}/trajecten.csv', types={{'verwijzer': 'VARCHAR', 'reden_beeindiging': 'VARCHAR'}}) t
        LEFT JOIN read_csv('{map}/aanbieders.csv') a USING (aanbieder_id)""")
    con.execute(f"CREATE TABLE erv AS SELECT * FROM read_csv('{map}/ervaringen.csv')")
    t1 = time.perf_counter()
    tijden, rijen = {}, 0
    for naam, sql in REFERENTIE.items():
        s = time.perf_counter()
        rijen += len(con.execute(sql.format(a=A, b=B)).df())
        tijden[naam] = round(time.perf_counter() - s, 2)
    t2 = time.perf_counter()
    return {"laden_s": t1 - t0, "rekenen_s": t2 - t1, "rijen": rijen, "per_query_s": tijden}


def laden(map: str) -> dict:
    """The kit's first load only (an empty cache folder), for `--alleen-laden`."""
    from duiding import laad

    t0 = time.perf_counter()
    g = laad(map)
    return {"laden_s": time.perf_counter() - t0, "trajecten": len(g.trajecten)}


KANTEN = {"kit": kit, "referentie": referentie, "lezen": alleen_lezen, "tweede_keer": tweede_keer, "laden": laden}


def alleen_laden(data: str, herhaal: int) -> None:
    """The load goal alone, kit and plain read alternating: this machine's speed drifts between runs."""
    print("| run | kit: load and validate, first time | DuckDB read_csv of every file | ratio |\n|---|---|---|---|")
    for i in range(herhaal):
        uit = {}
        for kant in ("laden", "lezen"):
            cache = tempfile.mkdtemp(prefix="bench-cache-")
            r = subprocess.run([sys.executable, __file__, "--kant", kant, "--data", data], capture_output=True,
                               text=True, check=True, env={**os.environ, "XDG_CACHE_HOME": cache})
            uit[kant] = json.loads(r.stdout.strip().splitlines()[-1])["laden_s"]
            shutil.rmtree(cache, ignore_errors=True)
        print(f"| {i + 1} | {uit['laden']:.2f} s | {uit['lezen']:.2f} s | {uit['laden'] / uit['lezen']:.2f}× |")


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--data", default="/tmp/duiding-land")
    p.add_argument("--kant", choices=list(KANTEN))
    p.add_argument("--alleen-laden", action="store_true", help="only the load goal, kit and read alternating")
    p.add_argument("--herhaal", type=int, default=3)
    args = p.parse_args()
    if args.kant:
        uit = KANTEN[args.kant](args.data)
        uit["piek_geheugen_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(uit))
        return
    if not Path(args.data, "trajecten.csv").exists():
        print(f"generating the land set in {args.data} …", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "duiding", "voorbeelddata", "--schaal", "land", "--uitvoer", args.data],
                       check=True)
    if args.alleen_laden:
        alleen_laden(args.data, args.herhaal)
        return
    resultaten = {}
    cache = tempfile.mkdtemp(prefix="bench-cache-")  # the kit starts with an empty cache of validated tables
    for kant in ("lezen", "referentie", "kit", "tweede_keer"):
        r = subprocess.run([sys.executable, __file__, "--kant", kant, "--data", args.data],
                           capture_output=True, text=True, check=True, env={**os.environ, "XDG_CACHE_HOME": cache})
        resultaten[kant] = json.loads(r.stdout.strip().splitlines()[-1])
        print(kant, json.dumps(resultaten[kant], indent=1))
    shutil.rmtree(cache, ignore_errors=True)
    k, r, lees, twee = (resultaten[x] for x in ("kit", "referentie", "lezen", "tweede_keer"))
    print("\n| figure | kit | reference in the same run | ratio | goal |\n|---|---|---|---|---|")
    print(f"| load and validate, first time | {k['laden_s']:.1f} s | DuckDB read_csv of every file "
          f"{lees['laden_s']:.1f} s | {k['laden_s'] / lees['laden_s']:.2f}× | ≤ 2× |")
    print(f"| load, unchanged data (a later process) | {twee['laden_s']:.1f} s | the same read_csv "
          f"{lees['laden_s']:.1f} s | {twee['laden_s'] / lees['laden_s']:.2f}× | ≤ 2× |")
    print(f"| all indicators incl. privacy | {k['rekenen_s']:.1f} s | hand-written DuckDB {r['rekenen_s']:.1f} s "
          f"| {k['rekenen_s'] / r['rekenen_s']:.2f}× | ≤ 1,0× |")
    print(f"| peak memory (kit process) | {k['piek_geheugen_mib']:.0f} MiB | {r['piek_geheugen_mib']:.0f} MiB | "
          f"| < 4 GiB |")


if __name__ == "__main__":
    main()
