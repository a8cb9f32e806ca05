"""Beschikbaarheid: wachttijd = startdatum - aanmelddatum in days.

Over trajecten that start in the quarter and have an aanmelddatum: n, median, p90
(linear interpolation, as pandas' quantile does), the share within the norm, and the
distribution over fixed classes of days (`KLASSEN`), a family whose total is `n`.
"""

from __future__ import annotations

import pandas as pd

from ..gegevens import Gegevens
from ..periode import Kwartaal
from .basis import groep_kolom, groepering, kwartalen, rijen, sleutel_som, smelt, wet_filter
from .verbinding import verbinding


# (maat, lowest day, highest day or None): the classes of the distribution
KLASSEN = [("klasse_0_14", 0, 14), ("klasse_15_28", 15, 28), ("klasse_29_42", 29, 42),
           ("klasse_43_91", 43, 91), ("klasse_92_plus", 92, None)]


def wachttijd(g: Gegevens, per: str, perioden: list[Kwartaal], wet: str | None = None,
              norm_dagen: int = 42) -> pd.DataFrame:
    groep_kolom(per)
    con = verbinding(g)
    a, b = kwartalen(perioden)
    sel, grp = groepering(per)
    def filter_(lo, hi):
        return f"FILTER (WHERE wacht >= {lo}{'' if hi is None else f' AND wacht <= {hi}'})"
    klassen = ", ".join(
        f"count(*) {filter_(lo, hi)} AS {maat}, {sleutel_som('tk', False, filter_(lo, hi))} AS {maat}_sleutel"
        for maat, lo, hi in KLASSEN)
    norm = f"FILTER (WHERE wacht <= {int(norm_dagen)})"
    df = con.execute(f"""
        SELECT {sel} AS groep, q,
               count(*) AS n, {sleutel_som('tk', False)} AS n_sleutel,
               count(*) {norm} AS binnen_norm, {sleutel_som('tk', False, norm)} AS binnen_norm_sleutel,
               count(DISTINCT client_id) AS clienten,
               quantile_cont(wacht, 0.5) AS mediaan_dagen,
               quantile_cont(wacht, 0.9) AS p90_dagen,
               {klassen}
        FROM (SELECT *, qs AS q, date_diff('day', aanmelddatum, startdatum) AS wacht FROM traj
              WHERE {wet_filter(wet)} AND aanmelddatum IS NOT NULL AND qs BETWEEN {a} AND {b})
        {grp}
    """).df()
    df = df.fillna({k: 0 for k in df.columns if k.endswith("_sleutel")})
    df["binnen_norm_pct"] = 100 * df["binnen_norm"] / df["n"]
    # the classes are a family whose total is n
    delen = [smelt(df, ["groep", "q"], {"n": {"familie": "n"}})]
    delen.append(smelt(df, ["groep", "q"], {k[0]: {"familie": "n"} for k in KLASSEN}))
    delen.append(smelt(df, ["groep", "q"], {m: {"waardesoort": "afgeleid", "basis": "clienten", "basis_maat": "n"}
                                            for m in ("mediaan_dagen", "p90_dagen")}))
    # the share within the norm is recomputed from the protected counts
    delen.append(smelt(df, ["groep", "q"], {"binnen_norm": {"waardesoort": "hulp"}}))
    delen.append(smelt(df, ["groep", "q"], {"binnen_norm_pct": {
        "waardesoort": "afgeleid", "basis": "clienten", "basis_maat": "n", "vorm": "ratio", "teller": "binnen_norm",
        "noemer": "n", "factor": 100.0}}))
    return rijen(pd.concat(delen, ignore_index=True), "wachttijd", per)

