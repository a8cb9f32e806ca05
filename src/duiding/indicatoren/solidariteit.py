"""Solidariteit: each gemeente's share of the region's costs beside its share of inhabitants and clients.

The basis for the conversation about how a region shares its costs (solidariteits-
verdeling). Per gemeente and quarter, year to date (1 January up to that quarter):
- kosten_eur: the costs for the gemeente's inhabitants. From realisatie.csv where it
  has a gemeente_code; costs without one are divided over the gemeenten in proportion
  to that aanbieder's days of care (trajectdagen) for each gemeente's clients in that
  quarter. Days of trajecten without a wijk are left out of that proportion.
- jeugdigen (0-17) and inwoners (all ages): from the population figures of that year
  (or the nearest earlier year), summed over the gemeente's wijken;
- clienten: distinct clients with a traject active in the year so far;
- each as a share (%) of the sum over the gemeenten (aandeel_<maat>_pct, `vorm` aandeel): the shares of a
  measure add up to 100 %. A client share is only published when no gemeente's count
  is hidden, so a hidden count can never be read back from the others.
With `wet`, only that wet's trajecten and the costs of aanbieders for it (aanbieders
for both wetten count in both).
"""

from __future__ import annotations

import pandas as pd

from ..exceptions import ParameterFout
from ..gegevens import Gegevens
from ..periode import Kwartaal
from .basis import TOTAAL, groep_kolom, kwartalen, rijen, sleutel_som, smelt, wet_filter
from .verbinding import verbinding


def _dagen(con, wet: str | None, a: int, b: int) -> pd.DataFrame:
    """Days of care per aanbieder, gemeente and quarter a..b."""
    return con.execute(f"""
        WITH t AS (
            SELECT aanbieder_id, gemeente_code, startdatum, einddatum,
                   greatest(qs, {a}) AS lo, least(coalesce(qe, {b}), {b}) AS hi
            FROM traj WHERE {wet_filter(wet)} AND gemeente_code IS NOT NULL
              AND qs <= {b} AND coalesce(qe, {b}) >= {a}),
        e AS (SELECT *, unnest(range(lo, hi + 1)) AS q FROM t),
        d AS (SELECT *, make_date(CAST(q // 4 AS INTEGER), CAST(q % 4 * 3 + 1 AS INTEGER), 1) AS qb FROM e)
        SELECT aanbieder_id, gemeente_code, q,
               sum(date_diff('day', greatest(startdatum, qb),
                             least(coalesce(einddatum, qb + INTERVAL 3 MONTH - INTERVAL 1 DAY),
                                   qb + INTERVAL 3 MONTH - INTERVAL 1 DAY)) + 1) AS dagen
        FROM d GROUP BY ALL
    """).df()


def kosten_per_gemeente(g: Gegevens, wet: str | None, a: int, b: int) -> pd.DataFrame:
    """Costs per gemeente and quarter a..b: given per gemeente, or divided by days of care."""
    r = g.realisatie.assign(q=g.realisatie["jaar"].astype(int) * 4 + g.realisatie["kwartaal"].astype(int) - 1)
    r = r[(r["q"] >= a) & (r["q"] <= b)]
    if wet is not None:
        voor = g.aanbieders.loc[g.aanbieders["wet"].isin([wet, "beide"]), "aanbieder_id"]
        r = r[r["aanbieder_id"].isin(voor)]
    gm = r["gemeente_code"].fillna("") if "gemeente_code" in r else pd.Series("", index=r.index)
    direct = r[gm != ""].assign(gemeente_code=gm[gm != ""])
    direct = direct.groupby(["gemeente_code", "q"], as_index=False)["kosten_eur"].sum()
    rest = r[gm == ""].groupby(["aanbieder_id", "q"], as_index=False)["kosten_eur"].sum()
    if rest.empty:
        return direct
    d = _dagen(verbinding(g), wet, a, b)
    d["aandeel"] = d["dagen"] / d.groupby(["aanbieder_id", "q"])["dagen"].transform("sum")
    verdeeld = rest.merge(d, on=["aanbieder_id", "q"])
    verdeeld["kosten_eur"] = verdeeld["kosten_eur"] * verdeeld["aandeel"]
    verdeeld = verdeeld.groupby(["gemeente_code", "q"], as_index=False)["kosten_eur"].sum()
    return pd.concat([direct, verdeeld]).groupby(["gemeente_code", "q"], as_index=False)["kosten_eur"].sum()


def _inwoners(g: Gegevens, jaar: int) -> pd.DataFrame:
    """Inhabitants 0-17 and of all ages per gemeente: its wijken's (`Gegevens.inwoners`) summed."""
    per_gemeente = {}
    for maat, groepen in (("jeugdigen", ("0-17",)), ("inwoners", None)):
        per_wijk = pd.Series(g.inwoners(jaar, groepen), dtype="float64")
        per_gemeente[maat] = per_wijk.groupby(per_wijk.index.map(g.gemeente_per_wijk)).sum()
    return pd.DataFrame(per_gemeente).fillna(0).rename_axis("gemeente_code").reset_index()


def _aandeel(maat: str) -> str:
    return f"aandeel_{maat.removesuffix('_eur')}_pct"


def solidariteit(g: Gegevens, per: str, perioden: list[Kwartaal], wet: str | None = None) -> pd.DataFrame:
    groep_kolom(per, ("gemeente",))
    if not g.is_regio:
        raise ParameterFout("Solidariteit vergelijkt de gemeenten van een regio; deze gegevens gaan over één "
                            "gemeente.")
    con = verbinding(g)
    a, b = kwartalen(perioden)
    kosten = kosten_per_gemeente(g, wet, (a // 4) * 4, b)
    gemeenten = list(g.gemeentenamen)
    uit = []
    for p in perioden:
        begin = p.jaar * 4
        df = pd.DataFrame({"groep": gemeenten})
        k = kosten[(kosten["q"] >= begin) & (kosten["q"] <= p.index)].groupby("gemeente_code")["kosten_eur"].sum()
        df["kosten_eur"] = df["groep"].map(k).fillna(0.0)
        inw = _inwoners(g, p.jaar).set_index("gemeente_code")
        df["jeugdigen"] = df["groep"].map(inw["jeugdigen"]) if len(inw) else float("nan")
        df["inwoners"] = df["groep"].map(inw["inwoners"]) if len(inw) else float("nan")
        c = con.execute(f"""
            SELECT CASE WHEN grouping(gemeente_code) = 1 THEN '{TOTAAL}' ELSE gemeente_code END AS groep,
                   count(DISTINCT client_id) AS clienten, {sleutel_som("hk")} AS clienten_sleutel
            FROM traj WHERE {wet_filter(wet)} AND gemeente_code IS NOT NULL
              AND qs <= {p.index} AND coalesce(qe, {p.index}) >= {begin}
            GROUP BY GROUPING SETS ((gemeente_code), ())
        """).df()
        totaal = df[["kosten_eur", "jeugdigen", "inwoners"]].sum().to_frame().T.assign(groep=TOTAAL)
        df = pd.concat([df, totaal], ignore_index=True).merge(c, on="groep", how="left")
        df[["clienten", "clienten_sleutel"]] = df[["clienten", "clienten_sleutel"]].fillna(0)
        df["q"] = p.index
        uit.append(df)
    df = pd.concat(uit, ignore_index=True)
    maten = {"kosten_eur": "bedrag", "jeugdigen": "vast", "inwoners": "vast", "clienten": "telling"}
    binnen = df["groep"] != TOTAAL
    for maat in maten:
        som = df[binnen].groupby("q")[maat].sum()
        df[_aandeel(maat)] = 100 * df[maat] / df["q"].map(som).where(lambda s: s > 0)
    lang = pd.concat([
        smelt(df, ["groep", "q"], {m: {} if s == "telling" else {"waardesoort": s} for m, s in maten.items()}),
        # shares of the sum over the gemeenten, recomputed from what is published
        smelt(df, ["groep", "q"], {_aandeel(m): {
            "waardesoort": "afgeleid", "vorm": "aandeel", "teller": m, "factor": 100.0,
            **({"basis": "clienten", "basis_maat": "clienten"} if s == "telling" else {"basis": m})}
            for m, s in maten.items()}),
    ], ignore_index=True)
    return rijen(lang.dropna(subset=["waarde"]), "solidariteit", per)
