"""Budget: the vierkant per aanbieder and the macrovierkant, year to date.

For year y up to quarter k: kosten to date, budget x k/4, realisation %, a linear
year-end prognosis (kosten x 4/k), and the average number of clients in care over the
quarters so far against the agreed number.
"""

from __future__ import annotations

import pandas as pd

from ..exceptions import ParameterFout
from ..gegevens import Gegevens
from ..periode import Kwartaal
from .basis import SLEUTEL_MODULUS, TOTAAL, groep_kolom, kwartalen, rijen, smelt
from .tellen import in_zorg


def budget(g: Gegevens, per: str, perioden: list[Kwartaal], wet: str | None = None) -> pd.DataFrame:
    groep_kolom(per, ("aanbieder", "gemeente", "soort", "wet", "stad"))
    kol = {"aanbieder": "aanbieder_id", "gemeente": "gemeente_code", "soort": "soort", "wet": "wet",
           "stad": None}[per]
    per_gemeente = per == "gemeente"
    if per_gemeente and not ("gemeente_code" in g.budget and "gemeente_code" in g.realisatie):
        raise ParameterFout("Budget per gemeente kan alleen als budget.csv en realisatie.csv een kolom "
                            "gemeente_code hebben (zie docs/data.md).")
    # a region's budget and costs may be per aanbieder and gemeente: summed to what is asked
    sleutel = ["aanbieder_id", "gemeente_code"] if per_gemeente else ["aanbieder_id"]
    a, b = kwartalen(perioden)
    eerste = (a // 4) * 4
    iz_per_aanbieder = in_zorg(g, "aanbieder", None, eerste, b, met_totaal=False,
                               extra_groep="gemeente_code" if per_gemeente else None).rename(
        columns={"groep": "aanbieder_id", "extra": "gemeente_code"})
    aanb = g.aanbieders[["aanbieder_id", "soort", "wet"]]
    if wet is not None:
        aanb = aanb[aanb["wet"].isin([wet, "beide"])]
    real = g.realisatie.assign(q=g.realisatie["jaar"].astype(int) * 4 + g.realisatie["kwartaal"].astype(int) - 1)
    bud = g.budget.assign(jaar=g.budget["jaar"].astype(int)).groupby(["jaar"] + sleutel, as_index=False)[
        ["budget_eur", "afgesproken_clienten"]].sum()
    uit = []
    for p in perioden:
        j = p.jaar
        ytd = real[(real["q"] >= j * 4) & (real["q"] <= p.index)].groupby(sleutel)["kosten_eur"].sum()
        iz = iz_per_aanbieder[(iz_per_aanbieder["q"] >= j * 4) & (iz_per_aanbieder["q"] <= p.index)]
        iz = iz.groupby(sleutel)[["in_zorg", "in_zorg_sleutel"]].sum()
        b_j = bud[bud["jaar"] == j].set_index(sleutel)[["budget_eur", "afgesproken_clienten"]]
        df = b_j.join(aanb.set_index("aanbieder_id"), on="aanbieder_id", how="inner")
        df["kosten_eur"] = ytd.reindex(df.index).fillna(0.0)
        # person-quarters so far: the count the average rests on, with the sum of the quarters' keys
        df["persoonkwartalen"] = iz["in_zorg"].reindex(df.index).fillna(0.0)
        df["persoonkwartalen_sleutel"] = iz["in_zorg_sleutel"].reindex(df.index).fillna(0.0)
        df = df.reset_index()
        if kol is None:
            df["groep"] = TOTAAL
        else:
            df["groep"] = df[kol].astype(str)
        som = ["budget_eur", "afgesproken_clienten", "kosten_eur", "persoonkwartalen", "persoonkwartalen_sleutel"]
        per_groep = df.groupby("groep", as_index=False)[som].sum()
        if kol is not None:  # the macrovierkant beside the groups
            per_groep = pd.concat([per_groep, df[som].sum().to_frame().T.assign(groep=TOTAAL)], ignore_index=True)
        per_groep["q"] = p.index
        uit.append(per_groep)
    if not uit:
        return rijen(pd.DataFrame(columns=["groep", "q", "maat", "waarde"]), "budget", per)
    df = pd.concat(uit, ignore_index=True)
    k = (df["q"] % 4 + 1).astype(float)
    df["persoonkwartalen_sleutel"] = df["persoonkwartalen_sleutel"] % SLEUTEL_MODULUS
    df["gemiddeld_in_zorg"] = df["persoonkwartalen"] / k
    df["budget_pro_rata_eur"] = df["budget_eur"].astype(float) * k / 4
    df["realisatie_pct"] = 100 * df["kosten_eur"] / df["budget_pro_rata_eur"].where(df["budget_pro_rata_eur"] > 0)
    df["prognose_eur"] = df["kosten_eur"] * 4 / k
    df["prognose_pct"] = 100 * df["prognose_eur"] / df["budget_eur"].astype(float).where(df["budget_eur"] > 0)
    df["clienten_pct"] = 100 * df["gemiddeld_in_zorg"] / df["afgesproken_clienten"].astype(float).where(
        df["afgesproken_clienten"] > 0)
    df["basis"] = df["gemiddeld_in_zorg"]
    # the average and the share are recomputed from the protected person-quarters
    df["factor_gemiddeld"] = 1 / k
    df["factor_pct"] = 100 / (k * df["afgesproken_clienten"].astype(float).where(df["afgesproken_clienten"] > 0))
    lang = pd.concat([
        smelt(df, ["groep", "q"], {m: {"waardesoort": "bedrag"} for m in
                                   ("budget_eur", "kosten_eur", "budget_pro_rata_eur", "realisatie_pct",
                                    "prognose_eur", "prognose_pct")}),
        smelt(df, ["groep", "q"], {"afgesproken_clienten": {"waardesoort": "vast"}}),
        smelt(df, ["groep", "q"], {"persoonkwartalen": {"waardesoort": "hulp"}}),
        smelt(df, ["groep", "q"], {m: {"waardesoort": "afgeleid", "basis": "basis", "basis_maat": "gemiddeld_in_zorg",
                                       "vorm": "ratio", "teller": "persoonkwartalen", "factor": f}
                                   for m, f in (("gemiddeld_in_zorg", "factor_gemiddeld"),
                                                ("clienten_pct", "factor_pct"))}),
    ], ignore_index=True)
    return rijen(lang, "budget", per)
