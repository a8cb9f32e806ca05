"""Verdieping for researchers: moves between providers, "schuiven", herinstroom.

- overgangen: distinct clients with a traject at aanbieder X that ended, followed by a
  traject at another aanbieder Y that started 0 to `dagen` days after that einddatum;
  counted in the quarter in which the traject at Y started. Margins: naar = 'totaal'
  (clients leaving X for any other provider), groep = 'stad' (clients arriving at Y).
- schuiven: of the clients starting aanvullende zorg in the quarter, those who started
  at two or more different aanvullende aanbieders in the 365 days up to that start.
- herinstroom: of the clients whose traject ended "volgens plan" (31 jeugd, 19 wmo) in
  the quarter, those who started any new traject within 365 days after that end.
"""

from __future__ import annotations

import pandas as pd

from ..gegevens import Gegevens
from ..periode import Kwartaal
from .basis import TOTAAL, groep_kolom, groepering, kwartalen, rijen, sleutel_som, smelt, wet_filter
from .verbinding import verbinding


def overgangen(g: Gegevens, per: str, perioden: list[Kwartaal], wet: str | None = None,
               dagen: int = 90, samen: bool = False) -> pd.DataFrame:
    """Moves per quarter; with `samen`, counted once over the whole span (periode 'van t/m tot')."""
    groep_kolom(per, ("aanbieder", "stad"))
    con = verbinding(g)
    a, b = kwartalen(perioden)
    q = f"{b}" if samen else "y.qs"
    df = con.execute(f"""
        WITH paar AS (
            SELECT DISTINCT x.aanbieder_id AS van, y.aanbieder_id AS naar, {q} AS q, x.client_id, x.hk
            FROM traj x JOIN traj y
              ON x.client_id = y.client_id AND x.aanbieder_id <> y.aanbieder_id
             AND y.startdatum >= x.einddatum AND y.startdatum <= x.einddatum + INTERVAL {int(dagen)} DAY
            WHERE {wet_filter(wet, 'x.')} AND {wet_filter(wet, 'y.')} AND x.einddatum IS NOT NULL
              AND y.qs BETWEEN {a} AND {b})
        SELECT coalesce(van, '{TOTAAL}') AS groep, coalesce(naar, 'totaal') AS naar, q,
               count(DISTINCT client_id) AS waarde, {sleutel_som("hk")} AS sleutel
        FROM paar GROUP BY GROUPING SETS ((van, naar, q), (van, q), (naar, q), (q))
    """).df()
    df["maat"] = "overgangen"
    if per == "stad":
        df = df[df["groep"] == TOTAAL]
    uit = rijen(df, "overgangen", per)
    if samen:
        uit["periode"] = f"{Kwartaal.van_index(a)} t/m {Kwartaal.van_index(b)}"
    return uit


def verdieping(g: Gegevens, per: str, perioden: list[Kwartaal], wet: str | None = None) -> pd.DataFrame:
    groep_kolom(per)
    con = verbinding(g)
    a, b = kwartalen(perioden)
    sel, grp = groepering(per)
    schuiven = con.execute(f"""
        WITH s AS (
            SELECT y.*, (SELECT count(DISTINCT x.aanbieder_id) FROM traj x
                         WHERE x.client_id = y.client_id AND x.soort = 'aanvullend'
                           AND x.startdatum BETWEEN y.startdatum - INTERVAL 365 DAY AND y.startdatum) AS aantal
            FROM traj y
            WHERE {wet_filter(wet, 'y.')} AND y.soort = 'aanvullend' AND y.qs BETWEEN {a} AND {b})
        SELECT {sel} AS groep, q,
               count(DISTINCT client_id) AS clienten_aanvullend,
               {sleutel_som("hk")} AS clienten_aanvullend_sleutel,
               count(DISTINCT CASE WHEN aantal >= 2 THEN client_id END) AS schuivers,
               {sleutel_som("CASE WHEN aantal >= 2 THEN hk END")} AS schuivers_sleutel
        FROM (SELECT *, qs AS q FROM s) {grp}
    """).df()
    schuiven["schuiven_pct"] = 100 * schuiven["schuivers"] / schuiven["clienten_aanvullend"]
    herin = con.execute(f"""
        WITH e AS (
            SELECT x.*, EXISTS (SELECT 1 FROM traj y WHERE y.client_id = x.client_id
                                AND y.startdatum > x.einddatum
                                AND y.startdatum <= x.einddatum + INTERVAL 365 DAY) AS terug
            FROM traj x
            WHERE {wet_filter(wet, 'x.')} AND x.qe BETWEEN {a} AND {b}
              AND ((x.wet = 'jeugd' AND x.reden = '31') OR (x.wet = 'wmo' AND x.reden = '19')))
        SELECT {sel} AS groep, q,
               count(DISTINCT client_id) AS beeindigd_volgens_plan,
               {sleutel_som("hk")} AS beeindigd_volgens_plan_sleutel,
               count(DISTINCT CASE WHEN terug THEN client_id END) AS herinstroom,
               {sleutel_som("CASE WHEN terug THEN hk END")} AS herinstroom_sleutel
        FROM (SELECT *, qe AS q FROM e) {grp}
    """).df()
    herin["herinstroom_pct"] = 100 * herin["herinstroom"] / herin["beeindigd_volgens_plan"]
    lang = pd.concat([
        smelt(schuiven, ["groep", "q"], {"clienten_aanvullend": {}, "schuivers": {}}),
        smelt(schuiven, ["groep", "q"], {"schuiven_pct": {
            "waardesoort": "afgeleid", "basis": "schuivers", "basis_maat": "schuivers", "vorm": "ratio",
            "teller": "schuivers", "noemer": "clienten_aanvullend", "factor": 100.0}}),
        smelt(herin, ["groep", "q"], {"beeindigd_volgens_plan": {}, "herinstroom": {}}),
        smelt(herin, ["groep", "q"], {"herinstroom_pct": {
            "waardesoort": "afgeleid", "basis": "herinstroom", "basis_maat": "herinstroom", "vorm": "ratio",
            "teller": "herinstroom", "noemer": "beeindigd_volgens_plan", "factor": 100.0}}),
    ], ignore_index=True)
    return rijen(lang, "verdieping", per)
