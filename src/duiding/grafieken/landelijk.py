"""The gemeente against similar gemeenten and the Netherlands (CBS open data), one bar group per measure."""

from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd

from .bouw import grafiek
from .. import nl
from .basis import Kader, beschrijf, leeg
from .thema import BREEDTE, EIGEN, STAD, TEKST_ZACHT, TWEEDE

KLEUREN = [EIGEN, TWEEDE, STAD]


def namen(gemeente: str, klasse: str) -> dict[str, str]:
    return {"gemeente": gemeente, "klasse": f"vergelijkbare gemeenten ({klasse}), mediaan", "Nederland": "Nederland"}


@grafiek
def vergelijking(df: pd.DataFrame, kader: Kader, meta: dict, jaar: int | None = None) -> alt.Chart:
    """Bars per measure for one year: the gemeente, the median of its size class, the Netherlands.

    Without `jaar`: the latest year with the most published figures for the gemeente (CBS
    publishes a provisional year with only some figures first).
    """
    if df.empty:
        return leeg("Geen landelijke cijfers van CBS voor deze gemeente.")
    if jaar is None:  # the latest year in which CBS published most of the gemeente's figures (not a provisional stub)
        eigen = df[df["wie"] == "gemeente"].groupby("jaar")["waarde"].count()
        jaar = int(eigen[eigen == eigen.max()].index.max())
    d = df[df["jaar"] == jaar].copy()
    wie = namen(kader.waar, meta.get("klasse", ""))
    d["naam"] = d["wie"].map(wie)
    d["tekst"] = [nl.getal(w, 1) if pd.notna(w) else "geheim (CBS)" for w in d["waarde"]]
    d["waarde"] = d["waarde"].astype(object).where(d["waarde"].notna(), None)
    d["as"] = [f"{t} ({e})" if e else t for t, e in zip(d["titel"], d["eenheid"])]
    volgorde = list(wie.values())
    y = alt.Y("as:N", title=None, axis=alt.Axis(labelLimit=0))
    basis = alt.Chart(d).encode(y=y, yOffset=alt.YOffset("naam:N", sort=volgorde))
    staaf = basis.mark_bar().encode(
        x=alt.X("waarde:Q", title=None), color=alt.Color("naam:N", title=None, sort=volgorde,
                                                          scale=alt.Scale(domain=volgorde, range=KLEUREN),
                                                          legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=0)),
        tooltip=[alt.Tooltip("naam:N", title="wie"), alt.Tooltip("as:N", title="maat"),
                 alt.Tooltip("tekst:N", title="waarde")])
    label = basis.mark_text(align="left", dx=3, fontSize=15).encode(
        x=alt.X("waarde:Q"), text="tekst:N")
    geheim = basis.transform_filter("datum.waarde === null").mark_text(
        align="left", dx=3, fontSize=15, color=TEKST_ZACHT, fontStyle="italic").encode(x=alt.value(0), text="tekst:N")
    zin = (f"{kader.waar} in {jaar} naast de mediaan van vergelijkbare gemeenten en Nederland, "
           f"per maat van CBS-tabel {meta['tabel']}.")
    return beschrijf(alt.layer(staaf, label, geheim).properties(
        width=BREEDTE, title=alt.TitleParams(
            text=f"{kader.waar} naast vergelijkbare gemeenten en Nederland · {jaar}",
            subtitle=[f"Bron: {meta['bron']} ({meta['titel']}), "
                      f"opgehaald {nl.datum(date.fromisoformat(meta['opgehaald']))}",
                      "Leeg bij CBS blijft leeg: 'geheim (CBS)'"])), zin)


def tabel(df: pd.DataFrame, gemeente: str, meta: dict) -> pd.DataFrame:
    """Every year and measure as Dutch text: the gemeente, the median of its class (with n), the Netherlands."""
    wie = namen(gemeente, meta.get("klasse", ""))
    breed = df.pivot_table(index=["jaar", "titel", "eenheid"], columns="wie", values="waarde", aggfunc="first",
                           dropna=False).reset_index()
    n = df[df["wie"] == "klasse"].set_index(["jaar", "titel"])["n"]
    uit = pd.DataFrame({"jaar": breed["jaar"].astype(int).astype(str),
                        "maat": [f"{t} ({e})" if e else t for t, e in zip(breed["titel"], breed["eenheid"])]})
    for sleutel, kop in wie.items():
        waarden = breed.get(sleutel, pd.Series([None] * len(breed)))
        uit[kop] = [nl.getal(w, 1) if pd.notna(w) else "geheim (CBS)" for w in waarden]
    uit["aantal vergelijkbare gemeenten"] = [str(int(n.get((j, t), 0))) for j, t in zip(breed["jaar"], breed["titel"])]
    return uit.sort_values(["jaar", "maat"], ascending=[False, True]).reset_index(drop=True)
