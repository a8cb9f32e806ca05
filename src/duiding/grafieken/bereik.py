"""Bereik charts: stand and stroom, reach per 1.000, basiszorg against aanvullend, mixes."""

from __future__ import annotations

from typing import Mapping

import altair as alt
import pandas as pd

from .bouw import grafiek
from ..indicatoren.basis import TOTAAL
from .basis import (KWARTAAL_FORMAAT, Kader, as_formaat, beschrijf, een_kwartaal, kwartaal_as, leeg, met_stad,
                    periode_label, perioden_tekst, rijen, staaf_verborgen, titel, tooltip, verborgen_onderaan)
from .labels import label
from .. import nl
from .thema import BREEDTE, STAAF, DERDE, EIGEN, LIJN_HOOGTE, STAD, TWEEDE, VERBORGEN, VERBORGEN_TEKST


def _laatste(data: pd.DataFrame, maat: str, naam: str | None = None) -> str:
    d = data[data["maat"] == maat]
    if naam is not None:
        d = d[d["naam"] == naam]
    return d.sort_values("periode")["tekst"].iloc[-1] if len(d) else "geen gegevens"


@grafiek
def tijdlijn(data: pd.DataFrame, wat: str, kader: Kader, as_titel: str, kleur: str = "label",
             zin: str = "", formaat: str = ",.0f", kleuren: Mapping[str, str] | None = None,
             volgorde: list[str] | None = None, extra: list | None = None) -> alt.LayerChart:
    """Lines over quarters, one per `kleur` value; hidden values as boxes at the foot; `extra` layers on top
    (a norm, 100%)."""
    x = kwartaal_as()
    domein = volgorde or list(dict.fromkeys(data[kleur]))
    schaal = alt.Scale(domain=domein, range=[kleuren[d] for d in domein]) if kleuren else alt.Undefined
    # the layers hold no data of their own, the layer chart does: Altair would otherwise hash each
    # layer's DataFrame (its text repr) to tell the layers apart, some 10 ms per layer
    basis = alt.Chart()
    # a legend of long names goes in two columns (or one), so it never makes the chart wider than its plot
    lengte = sum(len(str(d)) + 4 for d in domein)
    legenda = alt.Legend(columns=1 if max(map(len, map(str, domein)), default=0) > 28 else 2) if lengte > 48 \
        else alt.Undefined
    lijn = basis.mark_line(point=True, invalid="break-paths-show-domains").encode(
        x=x, y=alt.Y("waarde:Q", title=as_titel, axis=alt.Axis(format=formaat)),
        color=alt.Color(f"{kleur}:N", title=None, sort=domein, scale=schaal, legend=legenda), tooltip=tooltip())
    lagen = [lijn]
    if data["verborgen"].any():
        lagen.append(verborgen_onderaan(x, LIJN_HOOGTE))
    lagen.extend(extra or [])
    chart = alt.layer(*lagen, data=data).properties(
        width=BREEDTE, height=LIJN_HOOGTE,
        title=titel(wat, kader, data["periode"], as_titel, bool(data["verborgen"].any())))
    return beschrijf(chart, zin)


@grafiek
def stand(tabel: pd.DataFrame, kader: Kader, groep: str) -> alt.LayerChart:
    """Clients in zorg (the stand) per quarter for one group, on its own axis."""
    data = rijen(tabel, ["in_zorg"], [groep], {groep: kader.waar})
    if data.empty:
        return leeg(f"Geen gegevens over bereik voor {kader.waar}.")
    zin = (f"Lijngrafiek van het aantal cliënten in zorg per kwartaal in {kader.waar}, "
           f"{perioden_tekst(data['periode'])}; in het laatste kwartaal waren {_laatste(data, 'in_zorg')} "
           f"cliënten in zorg.")
    return tijdlijn(data, "Cliënten in zorg", kader, "aantal cliënten", zin=zin)


@grafiek
def stroom(tabel: pd.DataFrame, kader: Kader, groep: str) -> alt.LayerChart:
    """Instroom and uitstroom per quarter for one group, on an axis of their own size."""
    data = rijen(tabel, ["instroom", "uitstroom"], [groep], {groep: kader.waar})
    if data.empty:
        return leeg(f"Geen gegevens over instroom en uitstroom voor {kader.waar}.")
    zin = (f"Lijngrafiek van de instroom en de uitstroom per kwartaal in {kader.waar}, "
           f"{perioden_tekst(data['periode'])}; in het laatste kwartaal {_laatste(data, 'instroom')} in en "
           f"{_laatste(data, 'uitstroom')} uit.")
    return tijdlijn(data, "Instroom en uitstroom", kader, "aantal cliënten", zin=zin,
                    kleuren={"instroom": TWEEDE, "uitstroom": DERDE})


@grafiek
def mix_trend(tabel: pd.DataFrame, kader: Kader, groep: str, familie: str, wat: str, wet: str | None = None,
              hoeveel: int = 4) -> alt.LayerChart:
    """A mix (verwijzers, redenen beëindiging) over all quarters: the largest shares of the group as lines."""
    t = tabel[tabel["maat"].str.startswith(familie + "_") & tabel["maat"].str.endswith("_pct")]
    data = rijen(t, None, [groep], {groep: kader.waar}, labels={m: label(m, wet) for m in t["maat"].unique()})
    if data.empty:
        return leeg(f"Geen gegevens over {wat.lower()} voor {kader.waar}.")
    gemiddeld = data.assign(w=data["waarde"].astype(float)).groupby("label")["w"].mean().sort_values(ascending=False)
    grootste = list(gemiddeld.dropna().index[:hoeveel]) or list(gemiddeld.index[:hoeveel])
    data = data[data["label"].isin(grootste)]
    zin = (f"Lijngrafiek van {wat.lower()} in {kader.waar} per kwartaal, {perioden_tekst(data['periode'])}: "
           f"het aandeel van de {len(grootste)} grootste ({nl.opsomming(grootste)}).")
    return tijdlijn(data, f"{wat} door de tijd", kader, "% van het totaal", zin=zin, formaat=",.0f",
                    volgorde=grootste)


@grafiek
def per_productcategorie(tabel: pd.DataFrame, kader: Kader, namen: Mapping[str, str],
                         periode: str | None = None) -> alt.LayerChart:
    """Clients in zorg per productcategorie in one quarter, by name, largest first."""
    t, periode = een_kwartaal(tabel, periode)
    groepen = [g for g in t["groep"].unique() if g != TOTAAL]
    data = rijen(t, ["in_zorg"], groepen, {g: namen.get(g, f"productcategorie {g}") for g in groepen})
    if data.empty:
        return leeg(f"Geen gegevens per productcategorie in {periode_label(str(periode))}.")
    data["naam"] = [f"{n} ({g})" for n, g in zip(data["naam"], data["groep"])]
    volgorde = data.sort_values("waarde", ascending=False, na_position="last", key=lambda s: s.astype(float))["naam"]
    y = alt.Y("naam:N", title=None, sort=list(volgorde))
    staaf = alt.Chart().mark_bar(color=EIGEN).encode(
        y=y, x=alt.X("waarde:Q", title="cliënten in zorg", axis=alt.Axis(format=",.0f")), tooltip=tooltip())
    waarden = alt.Chart().transform_filter("datum.waarde > 0").mark_text(align="left", dx=4).encode(
        y=y, x="waarde:Q", text="tekst:N")
    grootste = data.dropna(subset=["waarde"]).sort_values("waarde", key=lambda s: s.astype(float)).tail(1)
    zin = (f"Staafdiagram van het aantal cliënten in zorg per productcategorie in {kader.waar}, "
           f"{perioden_tekst([periode])}"
           + (f"; de grootste is {grootste['naam'].iloc[0]} met {grootste['tekst'].iloc[0]}." if len(grootste)
              else "."))
    chart = alt.layer(staaf, waarden, staaf_verborgen(y), data=data).properties(
        width=STAAF, height=30 * len(data),
        title=titel("Cliënten in zorg per productcategorie", kader, [periode], "aantal cliënten",
                    bool(data["verborgen"].any())))
    return beschrijf(chart, zin)


@grafiek
def vergelijk_stad(tabel: pd.DataFrame, kader: Kader, groep: str, maat: str, wat: str,
                   stadnaam: str = "stad") -> alt.LayerChart:
    """One measure over quarters for the group against the city."""
    namen = {groep: kader.waar, TOTAAL: stadnaam}
    data = rijen(tabel, [maat], [groep, TOTAAL], namen)
    if data.empty:
        return leeg(f"Geen gegevens voor '{label(maat)}' in {kader.waar}.")
    data["label"] = data["naam"]
    zin = (f"Lijngrafiek van {label(maat)} per kwartaal in {kader.waar} tegen de {stadnaam}, "
           f"{perioden_tekst(data['periode'])}; in het laatste kwartaal {_laatste(data, maat, kader.waar)} "
           f"in {kader.waar} en {_laatste(data, maat, stadnaam)} in de {stadnaam}.")
    return tijdlijn(data, wat, kader, label(maat), zin=zin, formaat=as_formaat(maat),
                    kleuren={kader.waar: EIGEN, stadnaam: STAD})


@grafiek
def basis_aanvullend(tabel: pd.DataFrame, kader: Kader, groep: str) -> alt.LayerChart:
    """Clients in basiszorg (buurtteam) against aanvullende zorg per quarter."""
    maten = ["in_zorg_basiszorg", "in_zorg_aanvullend"]
    data = rijen(tabel, maten, [groep], {groep: kader.waar})
    if data.empty:
        return leeg(f"Geen gegevens over basiszorg en aanvullende zorg voor {kader.waar}.")
    zin = (f"Lijngrafiek van het aantal cliënten in basiszorg (buurtteam) en in aanvullende zorg per kwartaal "
           f"in {kader.waar}, {perioden_tekst(data['periode'])}; in het laatste kwartaal "
           f"{_laatste(data, 'in_zorg_basiszorg')} in basiszorg en {_laatste(data, 'in_zorg_aanvullend')} "
           f"in aanvullende zorg.")
    return tijdlijn(data, "Basiszorg en aanvullende zorg", kader, "aantal cliënten", zin=zin)


@grafiek
def mix(tabel: pd.DataFrame, kader: Kader, groep: str, familie: str, wat: str, wet: str | None = None,
        stadnaam: str = "stad", periode: str | None = None) -> alt.Chart:
    """Shares of a mix (verwijzers, redenen beëindiging) in one quarter: the group next to the city."""
    t, periode = een_kwartaal(tabel[tabel["maat"].str.startswith(familie + "_") & tabel["maat"].str.endswith("_pct")],
                              periode)
    namen = met_stad(groep, kader.waar, stadnaam)
    data = rijen(t, None, list(namen), namen, labels={m: label(m, wet) for m in t["maat"].unique()})
    if data.empty:
        return leeg(f"Geen gegevens over {wat.lower()} voor {kader.waar} in {periode_label(str(periode))}.")
    volgorde = (data[data["groep"] == TOTAAL].sort_values("waarde", ascending=False, na_position="last")["label"]
                .tolist() or data["label"].unique().tolist())
    y = alt.Y("label:N", title=None, sort=volgorde)
    staaf = alt.Chart().mark_bar().encode(
        y=y, yOffset=alt.YOffset("naam:N", sort=list(namen.values())),
        x=alt.X("waarde:Q", title="% van het totaal", axis=alt.Axis(format=",.0f")),
        color=alt.Color("naam:N", title=None, sort=list(namen.values()),
                        scale=alt.Scale(domain=list(namen.values()), range=[EIGEN, STAD][:len(namen)])),
        tooltip=tooltip())
    verborgen = staaf_verborgen(y, yOffset=alt.YOffset("naam:N", sort=list(namen.values())))
    hoogte = max(160, 24 * len(volgorde) * len(namen) + 40)  # a bar per subject tall enough for its word
    grootste = data[data["naam"] == kader.waar].sort_values("waarde", ascending=False, na_position="last")
    beste = grootste.iloc[0] if len(grootste) and grootste["waarde"].iloc[0] is not None else None
    zin = (f"Staafdiagram van {wat.lower()} in {kader.waar}"
           + ("" if groep == TOTAAL else f" tegen de {stadnaam}")
           + f", {perioden_tekst([periode])}, als aandeel van het totaal"
           + (f"; het grootste aandeel in {kader.waar} is '{beste['label']}' ({beste['tekst']})." if beste is not None
              else "."))
    chart = alt.layer(staaf, verborgen, data=data).properties(
        width=STAAF, height=hoogte,
        title=titel(wat, kader, [periode], "aandeel in %", bool(data["verborgen"].any())))
    return beschrijf(chart, zin)


@grafiek
def wijken_naast_elkaar(tabel: pd.DataFrame, kader: Kader, maat: str, namen: Mapping[str, str],
                        kolommen: int = 3) -> alt.FacetChart:
    """Small multiples: one measure over quarters for every wijk, the city as a grey reference."""
    wijken = [w for w in namen if w != TOTAAL]
    data = rijen(tabel, [maat], wijken, namen)
    stad = rijen(tabel, [maat], [TOTAAL], {TOTAAL: "stad"})
    if data.empty:
        return leeg(f"Geen gegevens voor '{label(maat)}' per wijk.")
    ref = pd.concat([stad.assign(naam=n) for n in data["naam"].unique()], ignore_index=True)
    ref["reeks"] = "stad"
    data["reeks"] = "wijk"
    alles = pd.concat([data, ref], ignore_index=True)
    x = alt.X("kwartaal:T", title=None, axis=alt.Axis(format=KWARTAAL_FORMAAT, labelAngle=0,
                                                       tickCount={"interval": "year", "step": 1}))
    lijn = alt.Chart().mark_line(invalid="break-paths-show-domains").encode(
        x=x, y=alt.Y("waarde:Q", title=None, axis=alt.Axis(format=as_formaat(maat), tickCount=4)),
        color=alt.Color("reeks:N", title=None, scale=alt.Scale(domain=["wijk", "stad"], range=[EIGEN, VERBORGEN])),
        strokeDash=alt.StrokeDash("reeks:N", legend=None, scale=alt.Scale(domain=["wijk", "stad"], range=[[1, 0], [4, 3]])),
        tooltip=tooltip())
    verborgen = alt.Chart().transform_filter("datum.waarde === null && datum.reeks === 'wijk'").mark_text(
        color=VERBORGEN_TEKST, fontSize=15, angle=270, align="left").encode(x=x, y=alt.value(146), text="tekst:N")
    zin = (f"Kleine grafieken per wijk van {label(maat)} per kwartaal, {perioden_tekst(data['periode'])}, "
           f"elk met de stad als grijze stippellijn.")
    chart = alt.layer(lijn, verborgen, data=alles).properties(width=170, height=150).facet(
        facet=alt.Facet("naam:N", title=None, sort=[namen[w] for w in wijken]), columns=kolommen
    ).properties(title=titel(label(maat).capitalize() + " per wijk", kader, data["periode"], label(maat),
                             bool(data["verborgen"].any())))
    return beschrijf(chart, zin)


__all__ = ["stand", "stroom", "vergelijk_stad", "basis_aanvullend", "mix", "mix_trend",
           "per_productcategorie", "wijken_naast_elkaar", "tijdlijn"]
