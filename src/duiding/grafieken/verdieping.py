"""Deep-dive charts for researchers: moves between providers, doorlooptijd, herinstroom and schuiven."""

from __future__ import annotations

from typing import Mapping

import altair as alt
import pandas as pd

from .bouw import grafiek
from ..indicatoren.basis import TOTAAL
from .basis import (KWARTAAL_FORMAAT, Kader, breed as breed_maken, beschrijf, leeg, periode_label, perioden_tekst,
                    rijen, titel)
from .bereik import tijdlijn
from .thema import BLAUW, BREEDTE, HOOGTE, RAND, TEKST_DONKER, TEKST_ZACHT, VERBORGEN, VERBORGEN_TEKST, VLAK


@grafiek
def overgangen(tabel: pd.DataFrame, kader: Kader, namen: Mapping[str, str]) -> alt.LayerChart:
    """Heatmap: clients who left provider X (row) and started at provider Y (column)."""
    t = tabel[(tabel["groep"] != TOTAAL) & (tabel["naar"] != "totaal")]
    data = rijen(t, ["overgangen"], None, namen)
    if data.empty:
        return leeg(f"Geen overstappen tussen aanbieders in {kader.waar}.")
    data["naar_naam"] = [namen.get(n, n) for n in data["naar"]]
    data["label"] = "overstappers"
    rijvolgorde = [namen[g] for g in namen if g in set(data["groep"])]
    kolvolgorde = [namen[g] for g in namen if g in set(data["naar"])]
    # every column named (read downwards), no axis titles beside the long names: the subtitle says it
    x = alt.X("naar_naam:N", title=None, sort=kolvolgorde,
              axis=alt.Axis(labelAngle=-90, labelAlign="left", labelBaseline="middle", labelLimit=0,
                            labelOverlap=False, orient="top"))
    y = alt.Y("naam:N", title=None, sort=rijvolgorde, axis=alt.Axis(labelLimit=0, labelOverlap=False))
    vlak = alt.Chart().mark_rect(invalid="show").encode(
        x=x, y=y,
        stroke=alt.condition("datum.waarde === null", alt.value(VERBORGEN), alt.value(RAND)),
        strokeDash=alt.condition("datum.waarde === null", alt.value([4, 3]), alt.value([1, 0])),
        color=alt.condition("datum.waarde === null", alt.value("#ffffff"),
                            alt.Color("waarde:Q", title="overstappers",
                                      scale=alt.Scale(scheme=BLAUW))),
        tooltip=[alt.Tooltip("naam:N", title="van"), alt.Tooltip("naar_naam:N", title="naar"),
                 alt.Tooltip("tekst:N", title="cliënten")])
    tekst = alt.Chart().mark_text(fontSize=15).encode(
        x=x, y=y, text=alt.Text("kort:N"),
        color=alt.condition("datum.waarde === null", alt.value(VERBORGEN_TEKST), alt.value(TEKST_DONKER)))
    data["kort"] = ["–" if w is None else t.replace(" dagen", "") for w, t in zip(data["waarde"], data["tekst"])]
    zichtbaar = data.dropna(subset=["waarde"])
    groot = zichtbaar.sort_values("waarde", ascending=False).head(1)
    zin = (f"Kruistabel als heatmap van het aantal cliënten dat binnen de termijn na het einde van zorg bij "
           f"aanbieder X (rij) startte bij aanbieder Y (kolom), {perioden_tekst(data['periode'])}; "
           f"{len(data) - len(zichtbaar)} van de {len(data)} cellen zijn verborgen (gestippeld vak, –)"
           + (f"; de grootste stroom is van {groot['naam'].iloc[0]} naar {groot['naar_naam'].iloc[0]} "
              f"({groot['tekst'].iloc[0]})." if len(groot) else "."))
    chart = alt.layer(vlak, tekst, data=data).properties(
        width=max(300, 34 * len(kolvolgorde)), height=max(200, 26 * len(rijvolgorde)),
        title=titel("Overstappen tussen aanbieders", kader, data["periode"],
                    "aantal cliënten van de aanbieder links (rij) naar de aanbieder boven (kolom)",
                    bool(data["verborgen"].any())))
    return beschrijf(chart, zin)


@grafiek
def doorlooptijd(tabel: pd.DataFrame, kader: Kader, namen: Mapping[str, str]) -> alt.LayerChart:
    """Median doorlooptijd of ended trajecten per quarter with the 25-75% band, per group (e.g. soort)."""
    maten = ["doorlooptijd_mediaan_dagen", "doorlooptijd_p25_dagen", "doorlooptijd_p75_dagen"]
    data = rijen(tabel, maten, list(namen), namen)
    if data.empty:
        return leeg("Geen beëindigde trajecten in deze periode.")
    breed = breed_maken(data, ["groep", "naam", "periode", "periode_label", "kwartaal"])
    for kol in maten:
        breed[kol] = breed[kol].astype(object).where(pd.notna(breed[kol]), None)
    x = alt.X("kwartaal:T", title="kwartaal van beëindiging",
              axis=alt.Axis(format=KWARTAAL_FORMAAT, labelAngle=0, tickCount={"interval": "month", "step": 3}))
    kleur = alt.Color("naam:N", title=None, sort=list(namen.values()))
    band = alt.Chart(breed).mark_area(opacity=0.25).encode(
        x=x, y=alt.Y("doorlooptijd_p25_dagen:Q", title="dagen in zorg", axis=alt.Axis(format=",.0f")),
        y2="doorlooptijd_p75_dagen:Q", color=kleur)
    lijn = alt.Chart(breed).mark_line(point=True, invalid="break-paths-show-domains").encode(
        x=x, y="doorlooptijd_mediaan_dagen:Q", color=kleur,
        tooltip=[alt.Tooltip("naam:N", title="groep"), alt.Tooltip("periode_label:N", title="kwartaal"),
                 alt.Tooltip("doorlooptijd_mediaan_dagen:Q", title="mediaan (dagen)", format=",.0f")])
    laatste = data[(data["periode"] == data["periode"].max()) & (data["maat"] == maten[0])]
    delen = [f"{r.naam} {r.tekst}" for r in laatste.itertuples()]
    zin = (f"Lijngrafiek van de doorlooptijd (startdatum tot einddatum) van beëindigde trajecten per kwartaal, "
           f"{perioden_tekst(data['periode'])}: de mediaan als lijn en het 25e tot 75e percentiel als band; "
           f"in het laatste kwartaal was de mediaan: {', '.join(delen)}.")
    chart = alt.layer(band, lijn, data=data).properties(
        width=BREEDTE, height=HOOGTE,
        title=titel("Doorlooptijd van de zorg", kader, data["periode"], "dagen; band = 25e-75e percentiel",
                    bool(data["verborgen"].any())))
    return beschrijf(chart, zin)


@grafiek
def herinstroom(tabel: pd.DataFrame, kader: Kader, groep: str = TOTAAL, voorlopig_vanaf: str | None = None
                ) -> alt.LayerChart:
    """Herinstroom and schuiven as a share per quarter; quarters whose follow-up year has not passed are marked."""
    data = rijen(tabel, ["herinstroom_pct", "schuiven_pct"], [groep], {groep: kader.waar})
    if data.empty:
        return leeg("Geen gegevens over herinstroom en schuiven.")
    zin = (f"Lijngrafiek van herinstroom (terug in zorg binnen een jaar na een volgens plan beëindigd traject) "
           f"en schuiven (cliënten die binnen een jaar bij twee of meer aanvullende aanbieders startten) als "
           f"percentage per kwartaal in {kader.waar}, {perioden_tekst(data['periode'])}"
           + (f"; vanaf {periode_label(voorlopig_vanaf)} is de herinstroom voorlopig, omdat het jaar erna nog niet voorbij is."
              if voorlopig_vanaf else "."))
    lijnen = tijdlijn(data, "Herinstroom en schuiven", kader, "% van de cliënten", zin=zin, formaat=",.1f")
    if not voorlopig_vanaf or voorlopig_vanaf > data["periode"].max():
        return lijnen
    van = data.loc[data["periode"] >= voorlopig_vanaf, "kwartaal"].min()
    vlak = alt.Chart(pd.DataFrame({"van": [van], "tot": [data["kwartaal"].max()], "t": ["voorlopig"]}))
    lagen = [vlak.mark_rect(color=VLAK).encode(x="van:T", x2="tot:T"),
             vlak.mark_text(align="left", dx=4, y=12, fontSize=15, color=TEKST_ZACHT).encode(x="van:T", text="t:N")]
    return beschrijf(alt.layer(*lagen, *lijnen.layer, data=lijnen.data).properties(
        width=BREEDTE, height=HOOGTE, title=lijnen.title), zin)
