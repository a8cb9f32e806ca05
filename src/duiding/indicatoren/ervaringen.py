"""Ervaringen: share of positive answers (score 4 or 5) per thema, with a Wilson interval.

Answers are grouped by the quarter of their datum. Small n means a wide interval; the
bounds are published so nobody reads 100% out of three answers as a verdict.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..gegevens import Gegevens
from ..periode import Kwartaal
from .basis import SLEUTEL_MODULUS, TOTAAL, groep_kolom, kwartalen, record_sleutels, rijen, smelt

Z95 = 1.959963984540054


def wilson(positief: np.ndarray, n: np.ndarray, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a proportion, as fractions (0-1)."""
    positief, n = np.asarray(positief, float), np.asarray(n, float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = positief / n
        noemer = 1 + z**2 / n
        midden = (p + z**2 / (2 * n)) / noemer
        marge = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / noemer
    return midden - marge, midden + marge


def ervaringen(g: Gegevens, per: str, perioden: list[Kwartaal], wet: str | None = None) -> pd.DataFrame:
    groep_kolom(per, ("wijk", "gemeente", "aanbieder", "wet", "soort", "stad"))
    a, b = kwartalen(perioden)
    e = g.ervaringen.merge(g.aanbieders[["aanbieder_id", "soort", "wet"]], on="aanbieder_id", how="left")
    e["q"] = e["datum"].dt.year * 4 + e["datum"].dt.quarter - 1
    e["gemeente_code"] = e["wijk_code"].map(g.gemeente_per_wijk).fillna("")
    e = e[(e["q"] >= a) & (e["q"] <= b)]
    if wet is not None:
        e = e[e["wet"].isin([wet, "beide"])]
    e = e.assign(positief=(e["score"] >= 4).astype(int),
                 sleutel=record_sleutels(e["respons_id"]) if len(e) else pd.Series(dtype="int64"))
    e["sleutel_positief"] = e["sleutel"] * e["positief"]
    delen = []
    groepen = [(TOTAAL, e.assign(groep=TOTAAL))]
    if per != "stad":
        kol = groep_kolom(per)
        groepen.append(("", e[e[kol].astype(str) != ""].assign(groep=lambda d: d[kol].astype(str))))
    for _, deel in groepen:
        delen.append(deel.groupby(["groep", "q", "thema"], as_index=False).agg(
            n=("positief", "size"), positief=("positief", "sum"),
            n_sleutel=("sleutel", "sum"), positief_sleutel=("sleutel_positief", "sum")))
    df = pd.concat(delen, ignore_index=True)
    if df.empty:
        return rijen(pd.DataFrame(columns=["groep", "q", "maat", "waarde"]), "ervaringen", per)
    for k in ("n_sleutel", "positief_sleutel"):
        df[k] = df[k] % SLEUTEL_MODULUS
    df["positief_pct"] = 100 * df["positief"] / df["n"]
    onder, boven = wilson(df["positief"], df["n"])
    df["ondergrens_pct"], df["bovengrens_pct"] = 100 * onder, 100 * boven
    lang = pd.concat([
        smelt(df, ["groep", "q", "thema"], {"n": {}}),
        smelt(df, ["groep", "q", "thema"], {"positief": {"waardesoort": "hulp"}}),
        # recomputed from the protected counts: share and bounds never rest on the exact n
        smelt(df, ["groep", "q", "thema"], {
            m: {"waardesoort": "afgeleid", "basis": "n", "basis_maat": "n", "vorm": vorm, "teller": "positief",
                "noemer": "n", "factor": 100.0}
            for m, vorm in (("positief_pct", "ratio"), ("ondergrens_pct", "wilson_onder"),
                            ("bovengrens_pct", "wilson_boven"))}),
    ], ignore_index=True)
    return rijen(lang, "ervaringen", per)
