"""Beschikbaarheid charts: the spread of wachttijd in one quarter and its trend."""

from __future__ import annotations

import altair as alt
import pandas as pd

from .bouw import grafiek
from .. import nl
from ..indicatoren.basis import TOTAAL
from ..indicatoren.wachttijd import KLASSEN
from .basis import (Kader, VAK_BREEDTE, beschrijf, een_kwartaal, laatste_per_maat, leeg, met_stad, periode_label,
                    perioden_tekst, rijen, staaf_verborgen, titel, tooltip, waarde_tekst)
from .bereik import tijdlijn
from .labels import label
from .thema import BREEDTE, EIGEN, HOOGTE, STAD, VERBORGEN, VERBORGEN_TEKST


@grafiek
def verdeling(tabel: pd.DataFrame, kader: Kader, groep: str, stadnaam: str = "stad",
              periode: str | None = None) -> alt.LayerChart:
    """Share of started trajecten per wachttijd class in one quarter: the group against the city."""
    klassen = [k[0] for k in KLASSEN]
    t, periode = een_kwartaal(tabel, periode)
    namen = met_stad(groep, kader.waar, stadnaam)
    data = rijen(t, klassen + ["n"], list(namen), namen)
    if data.empty:
        return leeg(f"Geen wachttijden voor {kader.waar} in {periode_label(str(periode))}.")
    n = data[data["maat"] == "n"].set_index("groep")["waarde"]
    data = data[data["maat"] != "n"].copy()
    # a share is shown only when both its count and the total are shown
    data["waarde"] = [None if w is None or n.get(g) is None or not n.get(g) else 100 * w / n[g]
                      for w, g in zip(data["waarde"], data["groep"])]
    data["verborgen"] = data["waarde"].isna()
    data["aantal"] = False  # shares now, no longer counts
    data["tekst"] = [waarde_tekst("x_pct", w, s or "verborgen") for w, s in zip(data["waarde"], data["status"])]
    x = alt.X("label:N", title="wachttijd", sort=[data.loc[data["maat"] == k, "label"].iloc[0]
                                                   for k in klassen if (data["maat"] == k).any()],
              axis=alt.Axis(labelAngle=0))
    volgorde = list(namen.values())
    kleur = alt.Color("naam:N", title=None, sort=volgorde,
                      scale=alt.Scale(domain=volgorde, range=[EIGEN, STAD][:len(volgorde)]))
    staaf = alt.Chart().mark_bar().encode(
        x=x, xOffset=alt.XOffset("naam:N", sort=volgorde),
        y=alt.Y("waarde:Q", title="% van de gestarte trajecten", axis=alt.Axis(format=",.0f")),
        color=kleur, tooltip=tooltip())
    verborgen = alt.layer(
        alt.Chart().transform_filter("datum.waarde === null").mark_bar(
            fill="#ffffff", stroke=VERBORGEN, strokeDash=[4, 3], strokeWidth=1.5).encode(
            x=x, xOffset=alt.XOffset("naam:N", sort=volgorde), y=alt.value(HOOGTE), y2=alt.value(HOOGTE - VAK_BREEDTE)),
        alt.Chart().transform_filter("datum.waarde === null").mark_text(
            color=VERBORGEN_TEKST, angle=270, align="left", fontSize=15).encode(
            x=x, xOffset=alt.XOffset("naam:N", sort=volgorde), y=alt.value(HOOGTE - 6), text="tekst:N"))
    eigen = data[data["groep"] == groep]
    kort = eigen[eigen["maat"] == "klasse_0_14"]["tekst"]
    zin = (f"Staafdiagram van de wachttijd tussen aanmelding en start van de zorg in {kader.waar}"
           + ("" if groep == TOTAAL else f" tegen de {stadnaam}")
           + f", {perioden_tekst([periode])}, als aandeel van de gestarte trajecten"
           + (f"; {kort.iloc[0]} begon binnen 14 dagen." if len(kort) and kort.iloc[0].endswith("%") else "."))
    chart = alt.layer(staaf, verborgen, data=data).properties(
        width=BREEDTE, height=HOOGTE,
        title=titel("Wachttijd tot de start van de zorg", kader, [periode], "aandeel in %",
                    bool(data["verborgen"].any())))
    return beschrijf(chart, zin)


@grafiek
def trend(tabel: pd.DataFrame, kader: Kader, groep: str, norm_dagen: int = 42) -> alt.LayerChart:
    """Median and 90th percentile of wachttijd per quarter, with the norm as a reference line."""
    data = rijen(tabel, ["mediaan_dagen", "p90_dagen"], [groep], {groep: kader.waar})
    if data.empty:
        return leeg(f"Geen wachttijden voor {kader.waar}.")
    laatste = laatste_per_maat(data)
    zin = (f"Lijngrafiek van de wachttijd per kwartaal in {kader.waar}, {perioden_tekst(data['periode'])}: "
           f"de mediaan en het 90e percentiel, met de norm van {norm_dagen} dagen als stippellijn; "
           f"in het laatste kwartaal was de mediaan {laatste.get('mediaan_dagen', 'onbekend')} en het "
           f"90e percentiel {laatste.get('p90_dagen', 'onbekend')}.")
    norm = alt.Chart(pd.DataFrame({"norm": [norm_dagen], "tekst": [f"norm {nl.getal(norm_dagen)} dagen"]})).encode(
        y="norm:Q")
    return tijdlijn(data, "Wachttijd per kwartaal", kader, "dagen", zin=zin,
                    extra=[norm.mark_rule(strokeDash=[6, 4], color=STAD),
                           norm.mark_text(align="right", dy=-8, x=alt.expr("width"), fontSize=15).encode(text="tekst:N")])


@grafiek
def per_groep(tabel: pd.DataFrame, kader: Kader, namen: dict[str, str], maat: str = "mediaan_dagen",
              periode: str | None = None) -> alt.LayerChart:
    """One wachttijd measure for every group in one quarter (e.g. all wijken), the city as a rule."""
    t, periode = een_kwartaal(tabel, periode)
    data = rijen(t, [maat], [g for g in namen if g != TOTAAL], namen)
    stad = t[(t["maat"] == maat) & (t["groep"] == TOTAAL)]["waarde"]
    if data.empty:
        return leeg("Geen wachttijden per groep.")
    y = alt.Y("naam:N", title=None, sort=list(namen.values()))
    staaf = alt.Chart().mark_bar(color=EIGEN).encode(
        y=y, x=alt.X("waarde:Q", title="dagen", axis=alt.Axis(format=",.0f")), tooltip=tooltip())
    lagen = [staaf, staaf_verborgen(y)]
    if len(stad) and pd.notna(stad.iloc[0]):
        ref = alt.Chart(pd.DataFrame({"w": [float(stad.iloc[0])]}))
        lagen.append(ref.mark_rule(color=STAD, strokeDash=[6, 4], strokeWidth=2).encode(x="w:Q"))
    zin = (f"Staafdiagram van de {label(maat)} per wijk, {perioden_tekst([periode])}, met de stad als "
           f"stippellijn" + (f" ({waarde_tekst(maat, float(stad.iloc[0]))})." if len(stad) and pd.notna(stad.iloc[0])
                             else "."))
    chart = alt.layer(*lagen, data=data).properties(
        width=BREEDTE - 180, height=32 * len(data),
        title=titel(label(maat).capitalize(), kader, [periode], "dagen", bool(data["verborgen"].any())))
    return beschrijf(chart, zin)
