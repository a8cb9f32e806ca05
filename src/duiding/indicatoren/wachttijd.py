"""Beschikbaarheid: wachttijd = startdatum - aanmelddatum in days.

Over trajecten that start in the quarter and have an aanmelddatum: n, median, p90
(linear interpolation, as pandas' quantile does) and the share within the norm.
"""

from __future__ import annotations

import pandas as pd

from ..gegevens import Gegevens
from ..periode import Kwartaal
from ._basis import groep_kolom, groepering, kwartalen, rijen, smelt, verbinding, wet_filter


def wachttijd(g: Gegevens, per: str, perioden: list[Kwartaal], wet: str | None = None,
              norm_dagen: int = 42) -> pd.DataFrame:
    groep_kolom(per)
    con = verbinding(g)
    a, b = kwartalen(perioden)
    sel, grp = groepering(per)
    df = con.execute(f"""
        SELECT {sel} AS groep, q,
               count(*) AS n,
               count(DISTINCT client_id) AS clienten,
               quantile_cont(wacht, 0.5) AS mediaan_dagen,
               quantile_cont(wacht, 0.9) AS p90_dagen,
               100.0 * avg(CASE WHEN wacht <= {int(norm_dagen)} THEN 1 ELSE 0 END) AS binnen_norm_pct
        FROM (SELECT *, qs AS q, date_diff('day', aanmelddatum, startdatum) AS wacht FROM traj
              WHERE {wet_filter(wet)} AND aanmelddatum IS NOT NULL AND qs BETWEEN {a} AND {b})
        {grp}
    """).df()
    delen = [smelt(df, ["groep", "q"], {"n": {}})]
    delen.append(smelt(df, ["groep", "q"], {m: {"soort": "afgeleid", "basis": "clienten", "basis_maat": "n"}
                                            for m in ("mediaan_dagen", "p90_dagen", "binnen_norm_pct")}))
    return rijen(pd.concat(delen, ignore_index=True), "wachttijd", per)

