"""Maatschappelijk resultaat: how trajecten end, whether clients come back, how long care lasts.

Per quarter of the einddatum, over the trajecten whose ending says something about how
care went (`codes.RESULTAAT_TELT`: an overstap, a death, a temporary stop, a change of
product or a move out of the gemeente do not count):
- beeindigd: those trajecten; volgens_plan: ended as planned (31 jeugd, 19 Wmo);
  volgens_plan_pct: the share;
- duur_mediaan_dagen: the median days from startdatum to einddatum;
- herinstroom_pct: of the trajecten ended as planned whose year after the end lies
  within the data (gevolgd), those whose client started a new traject under the same
  wet within 365 days. For the last four quarters there is no full year yet, so no figure.
Unit: trajecten (cell keys from traject keys). Filters `gemeente` and `aanbieder` give one
aanbieder's results in each gemeente, or every aanbieder's in one gemeente.
"""

from __future__ import annotations

from datetime import timedelta

import pandas as pd

from .. import codes
from ..gegevens import Gegevens
from ..periode import Kwartaal
from .basis import groep_kolom, groepering, kwartalen, rijen, sleutel_som, smelt, wet_filter
from .verbinding import verbinding


def _codes(per_wet: dict[str, tuple[str, ...] | str]) -> str:
    delen = []
    for wet, lijst in per_wet.items():
        lijst = (lijst,) if isinstance(lijst, str) else lijst
        delen.append(f"(x.wet = '{wet}' AND x.reden IN ({', '.join(repr(c) for c in lijst)}))")
    return "(" + " OR ".join(delen) + ")"


def resultaat(g: Gegevens, per: str, perioden: list[Kwartaal], wet: str | None = None,
              gemeente: str | None = None, aanbieder: str | None = None) -> pd.DataFrame:
    groep_kolom(per, ("wijk", "gemeente", "aanbieder", "stad"))
    con = verbinding(g)
    a, b = kwartalen(perioden)
    sel, grp = groepering(per)
    einde = g.perioden()[1].eind.isoformat()  # the last day the data cover
    filters = [wet_filter(wet, "x.")]
    if gemeente:
        filters.append(f"x.gemeente_code = '{g.gemeente_zoek(gemeente)}'")
    if aanbieder:
        filters.append(f"x.aanbieder_id = '{g.aanbieder(aanbieder)}'")
    som = lambda filt="": sleutel_som("tk", distinct=False, filter_=filt)  # noqa: E731
    df = con.execute(f"""
        WITH e AS (
            SELECT x.*, x.qe AS q, date_diff('day', x.startdatum, x.einddatum) AS duur,
                   {_codes(codes.VOLGENS_PLAN)} AS plan,
                   x.einddatum + INTERVAL 365 DAY <= DATE '{einde}' AS gevolgd,
                   EXISTS (SELECT 1 FROM traj y WHERE y.client_id = x.client_id AND y.wet = x.wet
                           AND y.startdatum > x.einddatum
                           AND y.startdatum <= x.einddatum + INTERVAL 365 DAY) AS terug
            FROM traj x
            WHERE {' AND '.join(filters)} AND x.qe BETWEEN {a} AND {b} AND {_codes(codes.RESULTAAT_TELT)})
        SELECT {sel} AS groep, q,
               count(*) AS beeindigd, {som()} AS beeindigd_sleutel,
               count(*) FILTER (WHERE plan) AS volgens_plan, {som("FILTER (WHERE plan)")} AS volgens_plan_sleutel,
               quantile_cont(duur, 0.5) AS duur_mediaan_dagen,
               count(*) FILTER (WHERE plan AND gevolgd) AS gevolgd,
               {som("FILTER (WHERE plan AND gevolgd)")} AS gevolgd_sleutel,
               count(*) FILTER (WHERE plan AND gevolgd AND terug) AS herinstroom,
               {som("FILTER (WHERE plan AND gevolgd AND terug)")} AS herinstroom_sleutel
        FROM e {grp}
    """).df()
    if df.empty:
        return rijen(pd.DataFrame(columns=["groep", "q", "maat", "waarde"]), "resultaat", per)
    df["volgens_plan_pct"] = 100 * df["volgens_plan"] / df["beeindigd"]
    df["herinstroom_pct"] = 100 * df["herinstroom"] / df["gevolgd"].where(df["gevolgd"] > 0)
    # herinstroom only for quarters with a full year after their last day within the data
    eind = g.perioden()[1].eind
    laatste = max((q for q in range(a, b + 1) if Kwartaal.van_index(q).eind + timedelta(days=365) <= eind),
                  default=a - 1)
    gevolgd = df[df["q"] <= laatste]
    lang = pd.concat([
        smelt(df, ["groep", "q"], {"beeindigd": {}, "volgens_plan": {"familie": "beeindigd"}}),
        smelt(df, ["groep", "q"], {
            "volgens_plan_pct": {"waardesoort": "afgeleid", "basis": "beeindigd", "basis_maat": "beeindigd",
                                 "vorm": "ratio", "teller": "volgens_plan", "noemer": "beeindigd", "factor": 100.0},
            "duur_mediaan_dagen": {"waardesoort": "afgeleid", "basis": "beeindigd", "basis_maat": "beeindigd"}}),
        smelt(gevolgd, ["groep", "q"], {"gevolgd": {}, "herinstroom": {}}),
        smelt(gevolgd, ["groep", "q"], {"herinstroom_pct": {
            "waardesoort": "afgeleid", "basis": "gevolgd", "basis_maat": "gevolgd", "vorm": "ratio",
            "teller": "herinstroom", "noemer": "gevolgd", "factor": 100.0}}),
    ], ignore_index=True)
    return rijen(lang, "resultaat", per)
