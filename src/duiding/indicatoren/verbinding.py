"""The kit's DuckDB table of the trajecten, for the indicators written in SQL.

Counts of distinct clients per quarter (bereik, budget) are made in numpy by
`tellen`; the rest (medians, waiting times, pairs of trajecten) is SQL over `traj`.
Both use the same record keys, made once by `tellen.telbasis`.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import duckdb
import pandas as pd

from ..gegevens import Gegevens
from .basis import record_sleutels
from .tellen import telbasis


def verbinding(g: Gegevens) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with table `traj` (trajecten + soort + quarter indices)."""
    if g.duckdb is not None:
        return g.duckdb
    con = duckdb.connect()
    # bounded memory: DuckDB spills large aggregations to disk instead of growing, in the system's
    # temporary folder (its default, `.tmp` in the working folder, is the user's notebook folder)
    con.execute("SET threads TO 2")
    con.execute("SET memory_limit = '1536MB'")
    spill = str(Path(tempfile.gettempdir()) / "duiding-duckdb").replace("'", "''")
    con.execute(f"SET temp_directory = '{spill}'")
    con.execute("SET preserve_insertion_order = false")
    t = g.trajecten[["traject_id", "client_id", "wet", "aanbieder_id", "productcategorie", "wijk_code",
                     "verwijzer", "aanmelddatum", "startdatum", "einddatum", "reden_beeindiging"]]
    b = telbasis(g)  # the clients' record keys are made once, for both
    # the client as its integer code: the same equalities and distinct counts as the id, at less cost
    t = t.assign(client_id=b.ci, hk=b.hk[b.ci], tk=record_sleutels(t["traject_id"]))
    a = g.aanbieders[["aanbieder_id", "soort"]]
    w = pd.DataFrame({"wijk_code": list(g.gemeente_per_wijk), "gemeente_code": list(g.gemeente_per_wijk.values())},
                     dtype=str)
    con.register("_t", t)
    con.register("_a", a)
    con.register("_w", w)
    con.execute("""
        CREATE TABLE traj AS
        SELECT t.client_id, t.wet,
               t.hk, t.tk,
               t.aanbieder_id, t.productcategorie, nullif(t.wijk_code, '') AS wijk_code,
               nullif(w.gemeente_code, '') AS gemeente_code,
               coalesce(a.soort, 'aanvullend') AS soort, t.verwijzer,
               CAST(t.aanmelddatum AS DATE) AS aanmelddatum,
               CAST(t.startdatum AS DATE) AS startdatum,
               CAST(t.einddatum AS DATE) AS einddatum,
               t.reden_beeindiging AS reden,
               year(t.startdatum) * 4 + quarter(t.startdatum) - 1 AS qs,
               year(t.einddatum) * 4 + quarter(t.einddatum) - 1 AS qe
        FROM _t t LEFT JOIN _a a USING (aanbieder_id) LEFT JOIN _w w ON w.wijk_code = t.wijk_code
    """)
    for naam in ("_t", "_a", "_w"):
        con.unregister(naam)
    g.duckdb = con
    return con
