"""Shared machinery of the indicators: a DuckDB view of the tables and tidy rows.

Every indicator returns a *raw* long table (`KOLOMMEN`): one row per group, quarter
and measure, with what the privacy step needs to know about each value:
- `soort`: telling (a count of people), afgeleid (a rate, share, median … resting on
  `basis` people, hidden with the count named in `basis_maat`), bedrag (money) or vast
  (an agreed number, not about people);
- `familie`: counts that add up to the family's total measure (a row of a mix);
- `sleutel` (counts only): the cell key, the sum modulo 2^40 of the record keys of the
  clients, trajecten or answers counted, so a cell's key depends on what it counts and
  nothing else (see `duiding.privacy`);
- `vorm`, `teller`, `noemer`, `factor` (derived figures): how the figure is recomputed
  from the *protected* counts: `ratio` = factor x teller / noemer (noemer may be empty),
  `aandeel` = 100 x teller / the sum of teller over the groups (shares that add up to 100 %),
  `wilson_onder` / `wilson_boven` = the Wilson bounds of teller out of noemer, in %; an
  empty vorm keeps the figure (a median), hidden with its basis count.
- soort `hulp`: a count that is not published itself but that derived figures rest on.
Raw tables never leave the library: `duiding.privacy.beveilig` turns them into the
published form.
"""

from __future__ import annotations

import hashlib

import duckdb
import numpy as np
import pandas as pd

from ..exceptions import ParameterFout
from ..gegevens import Gegevens
from ..periode import Kwartaal

KOLOMMEN = ["indicator", "per", "groep", "periode", "maat", "waarde", "thema", "naar",
            "waardesoort", "basis", "basis_maat", "familie", "sleutel", "vorm", "teller", "noemer", "factor"]
SLEUTEL_MODULUS = 2**40


def record_sleutel(kolom: str) -> str:
    """SQL for a record's key: the md5 of its identifier (read little-endian), modulo 2^40."""
    return f"CAST(md5_number(CAST({kolom} AS VARCHAR)) % {SLEUTEL_MODULUS} AS BIGINT)"


def record_sleutels(ids: pd.Series) -> pd.Series:
    """Record keys computed in Python, equal to what `record_sleutel` gives in SQL.

    Twice as fast as DuckDB's md5_number (3,6 against 7,8 s for 5 million ids): the key is
    the first five bytes of the digest read little-endian, which is the digest modulo 2^40.
    """
    md5, getal = hashlib.md5, int.from_bytes
    waarden = ids.astype(str).tolist()
    return pd.Series(np.fromiter((getal(md5(i.encode("utf-8")).digest()[:5], "little") for i in waarden),
                                 dtype=np.int64, count=len(waarden)), index=ids.index)


def sleutel_som(expr: str, distinct: bool = True, filter_: str = "") -> str:
    """SQL aggregate for a cell key: the record keys of what is counted, summed modulo 2^40.

    Distinct with `count(DISTINCT client_id)`: each client adds its key once. `filter_`
    is an aggregate FILTER clause, as the count it goes with has.
    """
    return f"CAST(coalesce(sum({'DISTINCT ' if distinct else ''}{expr}) {filter_}, 0) % {SLEUTEL_MODULUS} AS BIGINT)"
PER = {
    "wijk": "wijk_code",
    "gemeente": "gemeente_code",  # derived from the wijk (its gemeente_code or CBS code)
    "aanbieder": "aanbieder_id",
    "productcategorie": "productcategorie",
    "wet": "wet",
    "soort": "soort",
    "stad": None,
}
TOTAAL = "stad"


def verbinding(g: Gegevens) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with table `traj` (trajecten + soort + quarter indices)."""
    if g.duckdb is not None:
        return g.duckdb
    con = duckdb.connect()
    # bounded memory: DuckDB spills large aggregations to disk instead of growing
    con.execute("SET threads TO 2")
    con.execute("SET memory_limit = '1536MB'")
    con.execute("SET preserve_insertion_order = false")
    t = g.trajecten[["traject_id", "client_id", "wet", "aanbieder_id", "productcategorie", "wijk_code",
                     "verwijzer", "aanmelddatum", "startdatum", "einddatum", "reden_beeindiging"]]
    t = t.assign(hk=record_sleutels(t["client_id"]), tk=record_sleutels(t["traject_id"]))
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
    # clients whose record key another client shares (2^40 keys: a few in a national set); see tel_clienten
    con.execute("ALTER TABLE traj ADD COLUMN botst BOOLEAN DEFAULT false")
    con.execute("""UPDATE traj SET botst = true WHERE hk IN (
                       SELECT hk FROM (SELECT DISTINCT client_id, hk FROM traj) GROUP BY hk HAVING count(*) > 1)""")
    for naam in ("_t", "_a", "_w"):
        con.unregister(naam)
    g.duckdb = con
    return con


def groep_kolom(per: str, toegestaan: tuple[str, ...] = tuple(PER)) -> str | None:
    if per not in toegestaan:
        raise ParameterFout(f"Deze indicator kan niet per '{per}' worden berekend. "
                            f"Kies uit: {', '.join(toegestaan)}.")
    return PER[per]


def groepering(per: str, extra: str = "q", met_totaal: bool = True) -> tuple[str, str]:
    """(select expression for groep, GROUP BY clause), with a city total 'stad' unless not asked."""
    kol = PER[per]
    if kol is None:
        return f"'{TOTAAL}'", f"GROUP BY {extra}"
    if not met_totaal:
        return f"CAST({kol} AS VARCHAR)", f"GROUP BY {kol}, {extra}"
    return (f"CASE WHEN grouping({kol}) = 1 THEN '{TOTAAL}' ELSE CAST({kol} AS VARCHAR) END",
            f"GROUP BY GROUPING SETS (({kol}, {extra}), ({extra}))")


def wet_filter(wet: str | None, alias: str = "") -> str:
    if wet is None:
        return "TRUE"
    if wet not in ("jeugd", "wmo"):
        raise ParameterFout(f"Onbekende wet '{wet}'. Kies jeugd of wmo.")
    return f"{alias}wet = '{wet}'"


def tel_clienten(con, bron: str, per: str, kolommen: list[str], naam: str, met_totaal: bool = True) -> pd.DataFrame:
    """Distinct clients per groep and `kolommen`, with the city total, and each count's cell key.

    `bron` is SQL giving rows with client_id, hk, botst, the groep's column and `kolommen`.
    The rows are first made distinct per client (one hash aggregation), then counted; the
    city total is counted from those rows again made distinct without the groep. This does
    what `count(DISTINCT client_id)` with `sleutel_som('hk')` did under GROUPING SETS, at a
    third of the cost. The key stays the sum of the distinct record keys: a key that two
    clients share (`botst`, a handful in a national set) is added once, as before, so every
    table gives a cell the same key.
    """
    kol = PER[per]
    ex = ", ".join(kolommen)
    som = (f"CAST((coalesce(sum(hk) FILTER (WHERE NOT botst), 0) + coalesce(sum(DISTINCT hk) FILTER (WHERE botst), 0))"
           f" % {SLEUTEL_MODULUS} AS BIGINT)")
    delen = []
    if kol is not None:
        delen.append(f"SELECT CAST(g AS VARCHAR) AS groep, {ex}, count(*) AS {naam}, {som} AS {naam}_sleutel "
                     f"FROM d GROUP BY g, {ex}")
    if kol is None or met_totaal:
        delen.append(f"SELECT '{TOTAAL}' AS groep, {ex}, count(*) AS {naam}, {som} AS {naam}_sleutel "
                     f"FROM (SELECT DISTINCT {ex}, client_id, hk, botst FROM d) GROUP BY {ex}")
    g_sel = f"{kol} AS g, " if kol else ""
    return con.execute(f"WITH d AS (SELECT DISTINCT {g_sel}{ex}, client_id, hk, botst FROM ({bron})) "
                       + " UNION ALL ".join(delen)).df()


def in_zorg(con, per: str, wet: str | None, a: int, b: int, extra_groep: str | None = None,
            met_totaal: bool = True) -> pd.DataFrame:
    """in_zorg per groep (with the city total) and quarter a..b, optionally per extra column.

    The one definition of in_zorg: distinct clients with a traject active on at least
    one day of the quarter. Each traject is expanded to the quarters it spans.
    """
    extra = [] if extra_groep is None else [f"{extra_groep} AS extra"]
    bron = f"""
        WITH t AS (
            SELECT *, greatest(qs, {a}) AS lo, least(coalesce(qe, {b}), {b}) AS hi FROM traj
            WHERE {wet_filter(wet)} AND qs <= {b} AND coalesce(qe, {b}) >= {a})
        SELECT *{''.join(', ' + e for e in extra)}, unnest(range(lo, hi + 1)) AS q FROM t"""
    return tel_clienten(con, bron, per, ["q"] + (["extra"] if extra else []), "in_zorg", met_totaal)


def kwartalen(perioden: list[Kwartaal]) -> tuple[int, int]:
    return min(p.index for p in perioden), max(p.index for p in perioden)


def periode_tekst(q: pd.Series) -> pd.Series:
    q = q.astype(int)
    return (q // 4).astype(str) + "-Q" + (q % 4 + 1).astype(str)


GETALLEN = ("waarde", "basis", "sleutel", "factor")


def rijen(df: pd.DataFrame, indicator: str, per: str) -> pd.DataFrame:
    """Complete a partial long table with the standard columns."""
    uit = df.copy()
    if per in ("wijk", "gemeente"):  # a traject without a wijk counts for the total ('stad' row) only
        uit = uit[uit["groep"].notna() & (uit["groep"].astype(str) != "")]
    uit["indicator"] = indicator
    uit["per"] = per
    if "q" in uit:
        uit["periode"] = periode_tekst(uit.pop("q"))
    standaard = {"thema": "", "naar": "", "waardesoort": "telling", "basis": np.nan, "basis_maat": "", "familie": "",
                 "sleutel": np.nan, "vorm": "", "teller": "", "noemer": "", "factor": np.nan}
    for kol, waarde in standaard.items():
        if kol not in uit:
            uit[kol] = waarde
        elif kol not in GETALLEN:
            uit[kol] = uit[kol].fillna(waarde)
    for kol in GETALLEN:
        uit[kol] = uit[kol].astype("float64")
    uit["groep"] = uit["groep"].astype(str)
    return uit[KOLOMMEN]


def smelt(df: pd.DataFrame, id_kolommen: list[str], maten: dict[str, dict]) -> pd.DataFrame:
    """Wide -> long; `maten` maps column -> fixed values for that measure's rows.

    A count's cell key comes from the column `<kol>_sleutel` when there is one; for
    `basis` and `factor` a string names the column holding the value.
    """
    delen = []
    for kol, vast in maten.items():
        deel = df[id_kolommen].copy()
        deel["maat"] = kol
        deel["waarde"] = df[kol].astype("float64")
        if f"{kol}_sleutel" in df:
            deel["sleutel"] = df[f"{kol}_sleutel"].astype("float64")
        for k, v in vast.items():
            deel[k] = df[v].astype("float64") if k in ("basis", "factor") and isinstance(v, str) else v
        delen.append(deel)
    return pd.concat(delen, ignore_index=True) if delen else pd.DataFrame()


def vul_kwartalen(df: pd.DataFrame, groepen: list[str], a: int, b: int, nul: list[str]) -> pd.DataFrame:
    """Add rows for quarters without events, so an empty quarter shows 0, not nothing."""
    volledig = pd.MultiIndex.from_product([groepen, range(a, b + 1)], names=["groep", "q"])
    df = df.set_index(["groep", "q"]).reindex(volledig).reset_index()
    for kol in nul:
        df[kol] = df[kol].fillna(0)
    return df
