"""Nabijheid: are clients helped close to home?

With locations of the aanbieders (locaties.csv) and the wijken's centres (x/y or
lat/lon in wijken.csv): the distance of a traject is the straight-line distance from
the centre of the client's wijk to the nearest location of its aanbieder. Per group and
quarter, over the distinct clients in care whose every active traject has a distance:
- clienten_afstand: those clients;
- dichtbij_<d>km: of them, the clients whose every traject lies within d km
  (the thresholds `nabijheid_km` of duiding.toml), with its share dichtbij_<d>km_pct.
With the aanbieders' gemeente (gemeente_code in aanbieders.csv, locations or not):
- clienten_gemeente / eigen_gemeente (+ _pct): clients whose every active traject is
  with an aanbieder based in their own gemeente.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..controle.regels import normaliseer_postcode
from ..gegevens import Gegevens
from ..grenzen import rd_naar_wgs84
from ..periode import Kwartaal
from .basis import groep_kolom, groepering, kwartalen, rijen, sleutel_som, smelt, wet_filter
from .verbinding import verbinding


DREMPELS_KM = (5, 15)


def _wgs84(df: pd.DataFrame) -> pd.DataFrame:
    """lon/lat per row from x/y (RD New) or lat/lon; NaN where neither is given."""
    lon = df["lon"].astype(float) if "lon" in df else pd.Series(np.nan, index=df.index)
    lat = df["lat"].astype(float) if "lat" in df else pd.Series(np.nan, index=df.index)
    if "x" in df and "y" in df:
        rd = df["x"].notna() & df["y"].notna() & lon.isna()
        if rd.any():
            omgezet = rd_naar_wgs84(df.loc[rd, ["x", "y"]].to_numpy(float))
            lon, lat = lon.copy(), lat.copy()
            lon[rd], lat[rd] = omgezet[:, 0], omgezet[:, 1]
    return pd.DataFrame({"lon": lon, "lat": lat}, index=df.index)


def zwaartepunten(g: Gegevens) -> pd.DataFrame:
    """Each wijk's centre (wijk_code, lon, lat), where wijken.csv gives it."""
    return pd.concat([g.wijken[["wijk_code"]], _wgs84(g.wijken)], axis=1).dropna()


def locaties(g: Gegevens) -> pd.DataFrame:
    """Each location (aanbieder_id, lon, lat): own position, else its postcode's, else its wijk's centre."""
    loc = g.locaties
    if loc.empty:
        return pd.DataFrame(columns=["aanbieder_id", "lon", "lat"])
    pos = _wgs84(loc)
    if "postcode" in loc and len(g.postcodes):
        pc = g.postcodes.assign(postcode=normaliseer_postcode(g.postcodes["postcode"]))
        pc = pd.concat([pc[["postcode"]], _wgs84(pc)], axis=1).set_index("postcode")
        code = normaliseer_postcode(loc["postcode"])
        for sleutel in (code, code.str[:4]):  # PC6, else PC4
            mis = pos["lon"].isna() & sleutel.isin(pc.index)
            pos.loc[mis, ["lon", "lat"]] = pc.loc[sleutel[mis], ["lon", "lat"]].to_numpy()
    if "wijk_code" in loc:
        midden = zwaartepunten(g).set_index("wijk_code")
        mis = pos["lon"].isna() & loc["wijk_code"].isin(midden.index)
        pos.loc[mis, ["lon", "lat"]] = midden.loc[loc.loc[mis, "wijk_code"], ["lon", "lat"]].to_numpy()
    return pd.concat([loc[["aanbieder_id"]], pos], axis=1).dropna()


def afstanden(g: Gegevens) -> pd.DataFrame:
    """km from each wijk's centre to each aanbieder's nearest location (wijk_code, aanbieder_id, km)."""
    w, loc = zwaartepunten(g), locaties(g)
    if w.empty or loc.empty:
        return pd.DataFrame(columns=["wijk_code", "aanbieder_id", "km"])
    paar = w.merge(loc, how="cross", suffixes=("_w", "_l"))
    # straight line on a local flat projection: accurate to well under 1 % within a region
    k = np.cos(np.radians((paar["lat_w"] + paar["lat_l"]) / 2))
    dx = (paar["lon_w"] - paar["lon_l"]) * 111.32 * k
    dy = (paar["lat_w"] - paar["lat_l"]) * 110.574
    paar["km"] = np.hypot(dx, dy)
    return paar.groupby(["wijk_code", "aanbieder_id"], as_index=False)["km"].min()


def nabijheid(g: Gegevens, per: str, perioden: list[Kwartaal], wet: str | None = None,
              drempels_km: tuple[float, ...] = DREMPELS_KM) -> pd.DataFrame:
    groep_kolom(per, ("wijk", "gemeente", "aanbieder", "stad"))
    con = verbinding(g)
    a, b = kwartalen(perioden)
    sel, grp = groepering(per, "q, client_id")  # per group, quarter and client
    af = afstanden(g)
    vestiging = g.aanbieders[["aanbieder_id"]].assign(
        vestiging=g.aanbieders["gemeente_code"].fillna("") if "gemeente_code" in g.aanbieders else None)
    con.register("_af", af.astype({"km": float}))
    con.register("_vest", vestiging)
    drempels = sorted({float(d) for d in drempels_km})
    namen = {d: f"dichtbij_{d:g}km".replace(".", "_") for d in drempels}
    kolommen = ", ".join(f"count(*) FILTER (WHERE heel AND verst <= {d}) AS {n}, "
                         f"{sleutel_som('hk', filter_=f'FILTER (WHERE heel AND verst <= {d})')} AS {n}_sleutel"
                         for d, n in namen.items())
    try:
        df = con.execute(f"""
            WITH t AS (
                SELECT traj.*, _af.km, _vest.vestiging, greatest(qs, {a}) AS lo, least(coalesce(qe, {b}), {b}) AS hi
                FROM traj LEFT JOIN _af USING (wijk_code, aanbieder_id) LEFT JOIN _vest USING (aanbieder_id)
                WHERE {wet_filter(wet, 'traj.')} AND qs <= {b} AND coalesce(qe, {b}) >= {a}),
            e AS (SELECT *, unnest(range(lo, hi + 1)) AS q FROM t),
            c AS (  -- one row per group, client and quarter: the farthest of its trajecten
                SELECT {sel} AS groep, q, client_id, any_value(hk) AS hk,
                       bool_and(km IS NOT NULL) AS heel, max(km) AS verst,
                       bool_and(gemeente_code IS NOT NULL AND vestiging IS NOT NULL) AS bekend,
                       bool_and(vestiging = gemeente_code) AS eigen
                FROM e {grp})
            SELECT groep, q,
                   count(*) FILTER (WHERE heel) AS clienten_afstand,
                   {sleutel_som('hk', filter_='FILTER (WHERE heel)')} AS clienten_afstand_sleutel,
                   {kolommen},
                   count(*) FILTER (WHERE bekend) AS clienten_gemeente,
                   {sleutel_som('hk', filter_='FILTER (WHERE bekend)')} AS clienten_gemeente_sleutel,
                   count(*) FILTER (WHERE bekend AND eigen) AS eigen_gemeente,
                   {sleutel_som('hk', filter_='FILTER (WHERE bekend AND eigen)')} AS eigen_gemeente_sleutel
            FROM c GROUP BY groep, q
        """).df()
    finally:
        con.unregister("_af")
        con.unregister("_vest")
    delen = []
    for noemer, tellers in (("clienten_afstand", list(namen.values())), ("clienten_gemeente", ["eigen_gemeente"])):
        if df[noemer].sum() == 0:  # no locations / no aanbieders' gemeente: nothing to say
            continue
        for teller in tellers:
            df[f"{teller}_pct"] = 100 * df[teller] / df[noemer].where(df[noemer] > 0)
        delen.append(smelt(df, ["groep", "q"], {noemer: {}, **{t: {"familie": ""} for t in tellers}}))
        delen.append(smelt(df, ["groep", "q"], {f"{t}_pct": {
            "waardesoort": "afgeleid", "basis": noemer, "basis_maat": noemer, "vorm": "ratio", "teller": t,
            "noemer": noemer, "factor": 100.0} for t in tellers}))
    if not delen:
        return rijen(pd.DataFrame(columns=["groep", "q", "maat", "waarde"]), "nabijheid", per)
    return rijen(pd.concat(delen, ignore_index=True), "nabijheid", per)
