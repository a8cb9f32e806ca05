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

import numpy as np
import pandas as pd
import pyarrow as pa

from ..exceptions import ParameterFout
from ..periode import Kwartaal
from .md5 import md5_40

KOLOMMEN = ["indicator", "per", "groep", "periode", "maat", "waarde", "thema", "naar",
            "waardesoort", "basis", "basis_maat", "familie", "sleutel", "vorm", "teller", "noemer", "factor"]
SLEUTEL_MODULUS = 2**40


def record_sleutel(kolom: str) -> str:
    """SQL for a record's key: the md5 of its identifier (read little-endian), modulo 2^40."""
    return f"CAST(md5_number(CAST({kolom} AS VARCHAR)) % {SLEUTEL_MODULUS} AS BIGINT)"


def record_sleutels(ids: pd.Series) -> pd.Series:
    """Record keys computed in numpy, equal to what `record_sleutel` gives in SQL.

    The key is the first five bytes of the digest read little-endian, which is the digest
    modulo 2^40. For 5 million ids: DuckDB's md5_number 7,8 s, hashlib 3,6 s, `md5.md5_40` 1,3-2 s.
    """
    return pd.Series(md5_40(pa.array(ids.astype(str), type=pa.large_string())), index=ids.index)


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
