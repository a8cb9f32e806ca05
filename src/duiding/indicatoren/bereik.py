"""Bereik: who is in care, who comes in and goes out, per quarter.

Definitions (also in docs/indicatoren.md):
- in_zorg: distinct clients with a traject active on at least one day of the quarter
  (startdatum <= last day and (no einddatum or einddatum >= first day));
- instroom / uitstroom: distinct clients with a traject starting / ending in the quarter;
- distinctness is within the group: a client who moves wijk counts in both wijken.
"""

from __future__ import annotations

import pandas as pd

from .. import codes
from ..gegevens import Gegevens
from ..periode import Kwartaal
from .basis import (SLEUTEL_MODULUS, TOTAAL, groep_kolom, groepering, kwartalen, rijen, smelt, vul_kwartalen,
                    wet_filter)
from .tellen import in_zorg, stroom
from .verbinding import verbinding


def bereik(g: Gegevens, per: str, perioden: list[Kwartaal], wet: str | None = None) -> pd.DataFrame:
    """All bereik measures per `per` for the given quarters, as a raw long table."""
    groep_kolom(per)
    a, b = kwartalen(perioden)
    instroom = stroom(g, per, wet, a, b, "instroom", "qs")
    uitstroom = stroom(g, per, wet, a, b, "uitstroom", "qe")
    breed = vul_kwartalen(in_zorg(g, per, wet, a, b), _alle_groepen(g, per, wet), a, b,
                          ["in_zorg", "in_zorg_sleutel"])
    breed = breed.merge(instroom, on=["groep", "q"], how="left").merge(uitstroom, on=["groep", "q"], how="left")
    breed = breed.fillna({k: 0 for k in ("instroom", "uitstroom", "instroom_sleutel", "uitstroom_sleutel")})
    delen = [smelt(breed, ["groep", "q"], {"in_zorg": {}, "instroom": {}, "uitstroom": {}})]

    # basiszorg against aanvullende zorg: a family whose total is in_zorg
    if per != "soort":
        soort = in_zorg(g, per, wet, a, b, extra_groep="soort")
        soort = soort.dropna(subset=["extra"]).assign(extra=lambda d: "in_zorg_" + d["extra"].astype(str))
        waarden = soort.pivot_table(index=["groep", "q"], columns="extra", values="in_zorg", aggfunc="sum")
        sleutels = soort.pivot_table(index=["groep", "q"], columns="extra", values="in_zorg_sleutel", aggfunc="sum")
        namen = [f"in_zorg_{s}" for s in codes.SOORTEN]
        soort = waarden.reindex(columns=namen).join(
            sleutels.reindex(columns=namen).add_suffix("_sleutel")).reset_index()
        soort = breed[["groep", "q", "in_zorg"]].merge(soort, on=["groep", "q"], how="left").fillna(0)
        for s in codes.SOORTEN:
            soort[f"aandeel_{s}_pct"] = 100 * soort[f"in_zorg_{s}"] / soort["in_zorg"].where(soort["in_zorg"] > 0)
        delen.append(smelt(soort, ["groep", "q"], {f"in_zorg_{s}": {"familie": "in_zorg"} for s in codes.SOORTEN}))
        delen.append(smelt(soort, ["groep", "q"], {
            f"aandeel_{s}_pct": {"waardesoort": "afgeleid", "basis": f"in_zorg_{s}", "basis_maat": f"in_zorg_{s}",
                                 "vorm": "ratio", "teller": f"in_zorg_{s}", "noemer": "in_zorg", "factor": 100.0}
            for s in codes.SOORTEN}))

    # per 1000 inhabitants (per wijk and for the city)
    if per in ("wijk", "gemeente", "stad") and len(g.bevolking):
        delen.append(_per_1000(g, per, a, b))

    delen.append(_mix(g, per, wet, a, b, "qe", "reden", "uitstroom_reden"))
    if wet in (None, "jeugd"):
        delen.append(_mix(g, per, "jeugd", a, b, "qs", "verwijzer", "instroom_verwijzer"))
    delen.append(_doorlooptijd(verbinding(g), per, wet, a, b))
    return rijen(pd.concat([d for d in delen if len(d)], ignore_index=True), "bereik", per)


def _alle_groepen(g: Gegevens, per: str, wet: str | None) -> list[str]:
    kol = {"wijk": g.wijken["wijk_code"], "aanbieder": g.aanbieders["aanbieder_id"],
           "gemeente": pd.Series(list(g.gemeentenamen), dtype=str)}.get(per)
    if per == "stad":
        return [TOTAAL]
    if kol is None:
        t = g.trajecten if wet is None else g.trajecten[g.trajecten["wet"] == wet]
        if per == "soort":
            kol = g.aanbieders["soort"]
        else:
            kol = t[groep_kolom(per)]
    return sorted(set(kol.astype(str))) + [TOTAAL]


def _per_1000(g: Gegevens, per: str, a: int, b: int) -> pd.DataFrame:
    delen = []
    bev = g.bevolking.copy()
    bev["jaar"] = bev["jaar"].astype(int)
    if per == "gemeente":  # a gemeente's inhabitants are those of its wijken
        bev["wijk_code"] = bev["wijk_code"].map(g.gemeente_per_wijk).fillna("")
    per_wet = in_zorg(g, per, None, a, b, extra_groep="wet")
    for wet, groepen, maat in (("jeugd", ["0-17"], "per_1000_jeugd"), ("wmo", ["18-64", "65+"], "per_1000_volwassen")):
        iz = per_wet[per_wet["extra"] == wet].drop(columns="extra").copy()
        b_wijk = bev[bev["leeftijdsgroep"].isin(groepen)].groupby(["jaar", "wijk_code"])["aantal"].sum()
        b_stad = b_wijk.groupby(level="jaar").sum()
        iz["jaar"] = iz["q"] // 4
        noemers = pd.concat([  # the city's inhabitants for the total, the wijk's (or gemeente's) for a groep
            b_wijk.rename("noemer").reset_index().rename(columns={"wijk_code": "groep"}).query("groep != @TOTAAL"),
            b_stad.rename("noemer").reset_index().assign(groep=TOTAAL)], ignore_index=True)
        noemers["groep"] = noemers["groep"].astype(str)
        iz = iz.merge(noemers, on=["jaar", "groep"], how="left")
        iz["noemer"] = pd.to_numeric(iz["noemer"], errors="coerce")
        iz[maat] = 1000 * iz["in_zorg"] / iz["noemer"].where(iz["noemer"] > 0)
        iz[f"in_zorg_{wet}"] = iz["in_zorg"]
        iz[f"in_zorg_{wet}_sleutel"] = iz["in_zorg_sleutel"]
        iz["factor"] = 1000 / iz["noemer"].where(iz["noemer"] > 0)
        deel = smelt(iz, ["groep", "q"], {maat: {"waardesoort": "afgeleid", "basis": f"in_zorg_{wet}",
                                                 "basis_maat": f"in_zorg_{wet}", "vorm": "ratio",
                                                 "teller": f"in_zorg_{wet}", "factor": "factor"}})
        deel = pd.concat([deel, smelt(iz, ["groep", "q"], {f"in_zorg_{wet}": {}})])
        delen.append(deel.dropna(subset=["waarde"]))
    return pd.concat(delen, ignore_index=True)


def _mix(g, per, wet, a, b, kant, categorie, prefix) -> pd.DataFrame:
    """Distinct clients per category (reden, verwijzer) with shares and a family total.

    The trajecten ending (kant qe) or starting (qs) in the quarter; one without a reden is
    left out, one without a verwijzer counts as 'onbekend' (see `tellen.telbasis`).
    """
    df = stroom(g, per, wet, a, b, "n", kant, categorie=categorie).rename(columns={"n_sleutel": "sleutel"})
    if df.empty:
        return df
    df["maat"] = prefix + "_" + df["cat"].astype(str)
    # the family total counts (client, category) pairs: its key is the sum of its members' keys
    totaal = df.groupby(["groep", "q"], as_index=False)[["n", "sleutel"]].sum().rename(columns={"n": "totaal"})
    totaal["sleutel"] = totaal["sleutel"] % SLEUTEL_MODULUS
    df = df.merge(totaal[["groep", "q", "totaal"]], on=["groep", "q"])
    tellingen = df.assign(waarde=df["n"], familie=prefix)[["groep", "q", "maat", "waarde", "familie", "sleutel"]]
    aandelen = df.assign(maat=df["maat"] + "_pct", waarde=100 * df["n"] / df["totaal"], waardesoort="afgeleid",
                         basis=df["n"], basis_maat=df["maat"], vorm="ratio", teller=df["maat"], noemer=prefix,
                         factor=100.0)[["groep", "q", "maat", "waarde", "waardesoort", "basis", "basis_maat",
                                        "vorm", "teller", "noemer", "factor"]]
    tot = totaal.assign(maat=prefix, waarde=totaal["totaal"])[["groep", "q", "maat", "waarde", "sleutel"]]
    tot["familie"] = prefix
    return pd.concat([tellingen, aandelen, tot], ignore_index=True)


def _doorlooptijd(con, per, wet, a, b) -> pd.DataFrame:
    sel, grp = groepering(per)
    df = con.execute(f"""
        SELECT {sel} AS groep, q,
               quantile_cont(duur, 0.5) AS doorlooptijd_mediaan_dagen,
               quantile_cont(duur, 0.25) AS doorlooptijd_p25_dagen,
               quantile_cont(duur, 0.75) AS doorlooptijd_p75_dagen,
               count(DISTINCT client_id) AS clienten
        FROM (SELECT *, qe AS q, date_diff('day', startdatum, einddatum) AS duur FROM traj
              WHERE {wet_filter(wet)} AND qe BETWEEN {a} AND {b})
        {grp}
    """).df()
    return smelt(df, ["groep", "q"], {m: {"waardesoort": "afgeleid", "basis": "clienten", "basis_maat": "uitstroom"}
                                      for m in ("doorlooptijd_mediaan_dagen", "doorlooptijd_p25_dagen",
                                                "doorlooptijd_p75_dagen")})
