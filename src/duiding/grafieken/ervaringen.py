"""Ervaringen charts: share positive per theme with its 95% interval and the number of answers."""

from __future__ import annotations

import altair as alt
import pandas as pd

from .bouw import grafiek
from .. import codes, nl
from ..indicatoren.basis import TOTAAL
from .basis import (Kader, breed as breed_maken, beschrijf, een_kwartaal, leeg, met_stad, periode_label, perioden_tekst,
                    rijen, titel)
from .bereik import tijdlijn
from .thema import BREEDTE, EIGEN, STAD, VERBORGEN_TEKST


@grafiek
def aandelen(tabel: pd.DataFrame, kader: Kader, groep: str, stadnaam: str = "stad",
             periode: str | None = None) -> alt.LayerChart:
    """Per theme: the share of positive answers with its interval, the group against the city."""
    t, periode = een_kwartaal(tabel, periode)
    namen = met_stad(groep, kader.waar, stadnaam)
    data = rijen(t, ["positief_pct", "ondergrens_pct", "bovengrens_pct", "n"], list(namen), namen,
                 labels={"n": "aantal antwoorden"})
    if data.empty:
        return leeg(f"Geen antwoorden op de ervaringsvragen voor {kader.waar} in {periode_label(str(periode))}.")
    index = ["groep", "naam", "thema", "periode", "periode_label"]
    breed = breed_maken(data, index).merge(breed_maken(data, index, "tekst"), on=index, suffixes=("", "_tekst"))
    breed["themanaam"] = [codes.THEMAS.get(th, th) for th in breed["thema"]]
    breed["as"] = [f"{tn} (n = {nt})" if g == groep else tn for tn, nt, g in
                   zip(breed["themanaam"], breed["n_tekst"], breed["groep"])]
    breed["label"] = "positief"
    breed["tekst"] = breed["positief_pct_tekst"]
    for kol in ("positief_pct", "ondergrens_pct", "bovengrens_pct", "n"):
        if kol not in breed:
            breed[kol] = None
        breed[kol] = breed[kol].astype(object).where(pd.notna(breed[kol]), None)
    breed["verborgen"] = breed["positief_pct"].isna()
    volgorde = list(namen.values())
    y = alt.Y("themanaam:N", title=None, sort=list(codes.THEMAS.values()))
    kleur = alt.Color("naam:N", title=None, sort=volgorde,
                      scale=alt.Scale(domain=volgorde, range=[EIGEN, STAD][:len(volgorde)]))
    off = alt.YOffset("naam:N", sort=volgorde)
    x = alt.X("positief_pct:Q", title="% positief (score 4 of 5)", scale=alt.Scale(domain=[0, 100]))
    punt = alt.Chart(breed).mark_point(size=140, filled=True).encode(
        y=y, yOffset=off, x=x, color=kleur,
        tooltip=[alt.Tooltip("naam:N", title="onderwerp"), alt.Tooltip("themanaam:N", title="thema"),
                 alt.Tooltip("positief_pct_tekst:N", title="positief"),
                 alt.Tooltip("ondergrens_pct_tekst:N", title="ondergrens"),
                 alt.Tooltip("bovengrens_pct_tekst:N", title="bovengrens"),
                 alt.Tooltip("n_tekst:N", title="aantal antwoorden")])
    balk = alt.Chart(breed).mark_rule(strokeWidth=3).encode(
        y=y, yOffset=off, x="ondergrens_pct:Q", x2="bovengrens_pct:Q", color=kleur)
    verborgen = alt.Chart(breed).transform_filter("datum.positief_pct === null").mark_text(
        color=VERBORGEN_TEKST, align="left").encode(y=y, yOffset=off, x=alt.value(4), text="positief_pct_tekst:N")
    eigen = breed[breed["groep"] == groep]
    delen = [f"{r.themanaam.lower()} {r.positief_pct_tekst} positief (n = {r.n_tekst})" for r in eigen.itertuples()]
    zin = (f"Puntgrafiek van het aandeel positieve antwoorden per thema in {kader.waar}"
           + ("" if groep == TOTAAL else f" tegen de {stadnaam}")
           + f", {perioden_tekst([periode])}, met het 95%-betrouwbaarheidsinterval als lijn: {nl.opsomming(delen)}.")
    # top-level data: the long table behind the chart; the layers draw from the wide one
    chart = alt.layer(balk, punt, verborgen, data=data).properties(
        width=BREEDTE - 200, height=230,
        title=titel("Ervaringen van cliënten", kader, [periode], "% positief met 95%-interval; n = aantal antwoorden",
                    bool(breed["verborgen"].any())))
    return beschrijf(chart, zin)


@grafiek
def trend(tabel: pd.DataFrame, kader: Kader, groep: str) -> alt.LayerChart:
    """The share of positive answers per theme over all quarters, one line per theme."""
    data = rijen(tabel, ["positief_pct"], [groep], {groep: kader.waar})
    if data.empty:
        return leeg(f"Geen antwoorden op de ervaringsvragen voor {kader.waar}.")
    data["label"] = [codes.THEMAS.get(th, th) for th in data["thema"]]
    data = data.drop_duplicates(subset=["periode", "label"])
    laatste = data[data["periode"] == data["periode"].max()]
    zin = (f"Lijngrafiek van het aandeel positieve antwoorden per thema in {kader.waar} per kwartaal, "
           f"{perioden_tekst(data['periode'])}; in het laatste kwartaal "
           f"{nl.opsomming([f'{r.label.lower()} {r.tekst}' for r in laatste.itertuples()])}.")
    return tijdlijn(data, "Ervaringen door de tijd", kader, "% positief (score 4 of 5)", zin=zin,
                    volgorde=[v for v in codes.THEMAS.values() if v in set(data["label"])])
