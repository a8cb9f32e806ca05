"""Beschikbaarheid: wachttijd = startdatum - aanmelddatum in days.

Over trajecten that start in the quarter and have an aanmelddatum: n, median, p90
(linear interpolation, as pandas' quantile does), the share within the norm, and the
distribution over fixed classes of days (`KLASSEN`), a family whose total is `n`.
"""

from __future__ import annotations

import pandas as pd

from ..gegevens import Gegevens
from ..periode import Kwartaal
from ._basis import groep_kolom, groepering, kwartalen, rijen, smelt, verbinding, wet_filter


# (maat, lowest day, highest day or None): the classes of the distribution
KLASSEN = [("klasse_0_14", 0, 14), ("klasse_15_28", 15, 28), ("klasse_29_42", 29, 42),
           ("klasse_43_91", 43, 91), ("klasse_92_plus", 92, None)]


def wachttijd(g: Gegevens, per: str, perioden: list[Kwartaal], wet: str | None = None,
              norm_dagen: int = 42) -> pd.DataFrame:
    groep_kolom(per)
    con = verbinding(g)
    a, b = kwartalen(perioden)
    sel, grp = groepering(per)
    klassen = ", ".join(
        f"count(*) FILTER (WHERE wacht >= {lo}{'' if hi is None else f' AND wacht <= {hi}'}) AS {maat}"
        for maat, lo, hi in KLASSEN)
    df = con.execute(f"""
        SELECT {sel} AS groep, q,
               count(*) AS n,
               count(DISTINCT client_id) AS clienten,
               quantile_cont(wacht, 0.5) AS mediaan_dagen,
               quantile_cont(wacht, 0.9) AS p90_dagen,
               100.0 * avg(CASE WHEN wacht <= {int(norm_dagen)} THEN 1 ELSE 0 END) AS binnen_norm_pct,
               {klassen}
        FROM (SELECT *, qs AS q, date_diff('day', aanmelddatum, startdatum) AS wacht FROM traj
              WHERE {wet_filter(wet)} AND aanmelddatum IS NOT NULL AND qs BETWEEN {a} AND {b})
        {grp}
    """).df()
    # the classes are a family whose total is n
    delen = [smelt(df, ["groep", "q"], {"n": {"familie": "n"}})]
    delen.append(smelt(df, ["groep", "q"], {k[0]: {"familie": "n"} for k in KLASSEN}))
    delen.append(smelt(df, ["groep", "q"], {m: {"soort": "afgeleid", "basis": "clienten", "basis_maat": "n"}
                                            for m in ("mediaan_dagen", "p90_dagen", "binnen_norm_pct")}))
    return rijen(pd.concat(delen, ignore_index=True), "wachttijd", per)

