"""Charts of a region: gemeenten side by side, solidariteit, maatschappelijk resultaat, nabijheid."""

from __future__ import annotations

from typing import Mapping

import altair as alt
import pandas as pd

from .bouw import grafiek
from ..indicatoren.basis import TOTAAL
from .basis import (Kader, as_formaat, beschrijf, een_kwartaal, leeg, perioden_tekst, rijen, staaf_verborgen, titel,
                    tooltip)
from .labels import eenheid, label
from ..periode import Kwartaal
from .thema import EIGEN, PALET, STAAF, STAD


@grafiek
def per_groep(tabel: pd.DataFrame, kader: Kader, maat: str, namen: Mapping[str, str], wat: str,
              periode: str | None = None, referentie: str = "de regio", uitgelicht: str | None = None) -> alt.Chart:
    """One measure in one quarter for every group (gemeenten, wijken, aanbieders), the total as a line.

    `namen` gives the groups (in order) and their names; the total row (`stad`) is drawn
    as a vertical rule named `referentie`. `uitgelicht` is drawn in the subject's colour.
    """
    t, periode = een_kwartaal(tabel[tabel["maat"] == maat], periode)
    groepen = [g for g in namen if g != TOTAAL]
    data = rijen(t, [maat], groepen, namen)
    if data.empty:
        return leeg(f"Geen gegevens voor '{label(maat)}' in {perioden_tekst([periode]) if periode else 'dit kwartaal'}.")
    totaal = rijen(t, [maat], [TOTAAL], {TOTAAL: referentie})
    volgorde = [namen[g] for g in groepen if namen[g] in set(data["naam"])]
    data["kleur"] = ["eigen" if g == uitgelicht else "ander" for g in data["groep"]]
    y = alt.Y("naam:N", title=None, sort=volgorde, axis=alt.Axis(labelLimit=0))
    staaf = alt.Chart().mark_bar().encode(
        y=y, x=alt.X("waarde:Q", title=label(maat), axis=alt.Axis(format=as_formaat(maat))),
        color=alt.Color("kleur:N", legend=None, scale=alt.Scale(domain=["eigen", "ander"], range=[EIGEN, PALET[4]])),
        tooltip=tooltip())
    lagen = [staaf, staaf_verborgen(y)]
    if len(totaal) and totaal["waarde"].iloc[0] is not None:
        lagen.append(alt.Chart(totaal).mark_rule(color=STAD, strokeDash=[4, 3], strokeWidth=2).encode(
            x="waarde:Q", tooltip=tooltip()))
        lagen.append(alt.Chart(totaal).mark_text(color=STAD, align="left", dx=4, dy=-6, fontSize=15).encode(
            x="waarde:Q", y=alt.value(0), text=alt.value(f"{referentie}: {totaal['tekst'].iloc[0]}")))
    zin = (f"Staafdiagram van {label(maat)} per {wat} in {kader.waar}, {perioden_tekst([periode])}"
           + (f"; {referentie}: {totaal['tekst'].iloc[0]}." if len(totaal) else "."))
    chart = alt.layer(*lagen, data=data).properties(
        width=STAAF, height=max(120, 24 * len(volgorde)),
        title=titel(f"{label(maat).capitalize()} per {wat}", kader, [periode], eenheid(maat),
                    bool(data["verborgen"].any())))
    return beschrijf(chart, zin)


@grafiek
def solidariteit(tabel: pd.DataFrame, kader: Kader, namen: Mapping[str, str], wet: str | None = "jeugd",
                 periode: str | None = None) -> alt.Chart:
    """Each gemeente's share of the costs beside its share of clients and of inhabitants (0-17 for jeugd)."""
    inwoners = "aandeel_jeugdigen_pct" if wet == "jeugd" else "aandeel_inwoners_pct"
    maten = ["aandeel_kosten_pct", "aandeel_clienten_pct", inwoners]
    t, periode = een_kwartaal(tabel[tabel["maat"].isin(maten)], periode)
    groepen = [g for g in namen if g != TOTAAL]
    data = rijen(t, maten, groepen, namen)
    if data.empty:
        return leeg("Geen gegevens over de verdeling van de kosten over de gemeenten.")
    y = alt.Y("naam:N", title=None, sort=[namen[g] for g in groepen], axis=alt.Axis(labelLimit=0))
    offset = alt.YOffset("label:N", sort=[label(m) for m in maten])
    staaf = alt.Chart().mark_bar().encode(
        y=y, yOffset=offset, x=alt.X("waarde:Q", title="% van de regio", axis=alt.Axis(format=",.0f")),
        color=alt.Color("label:N", title=None, sort=[label(m) for m in maten],
                        scale=alt.Scale(domain=[label(m) for m in maten], range=PALET[:3]),
                        legend=alt.Legend(orient="top", labelLimit=0)),
        tooltip=tooltip())
    zin = (f"Staafdiagram per gemeente van het aandeel in de kosten, in de cliënten en in de "
           f"{'inwoners van 0-17 jaar' if wet == 'jeugd' else 'inwoners'} van {kader.waar}, "
           f"{perioden_tekst([periode])} (jaar tot en met dat kwartaal); de aandelen tellen per maat op tot 100%.")
    chart = alt.layer(staaf, staaf_verborgen(y, yOffset=offset), data=data).properties(
        width=STAAF, height=max(160, 3 * 22 * len(groepen)),
        title=titel("Kosten, cliënten en inwoners per gemeente", kader, [periode], "aandeel van de regio in %",
                    bool(data["verborgen"].any())))
    return beschrijf(chart, zin)


def verschil_tabel(tabel: pd.DataFrame, namen: Mapping[str, str], wet: str | None = "jeugd",
                   periode: str | None = None) -> pd.DataFrame:
    """Per gemeente, as Dutch text: costs in €, the three shares and share of costs minus share of inhabitants."""
    inwoners = "aandeel_jeugdigen_pct" if wet == "jeugd" else "aandeel_inwoners_pct"
    t, periode = een_kwartaal(tabel, periode)
    data = rijen(t, ["kosten_eur", "aandeel_kosten_pct", "aandeel_clienten_pct", inwoners], list(namen), namen)
    breed = data.pivot_table(index="naam", columns="maat", values="tekst", aggfunc="first", sort=False)
    w = data.pivot_table(index="naam", columns="maat", values="waarde", aggfunc="first", sort=False)
    verschil = pd.to_numeric(w.get("aandeel_kosten_pct"), errors="coerce") - pd.to_numeric(
        w.get(inwoners), errors="coerce")
    uit = pd.DataFrame({
        "gemeente": breed.index,
        "kosten": breed.get("kosten_eur"),
        "aandeel kosten": breed.get("aandeel_kosten_pct"),
        "aandeel cliënten": breed.get("aandeel_clienten_pct"),
        label(inwoners): breed.get(inwoners),
        "kosten min inwoners (procentpunt)": [
            "" if pd.isna(v) else f"{v:+.1f}".replace(".", ",") for v in verschil.reindex(breed.index)],
    })
    return uit.reset_index(drop=True).fillna("verborgen")


def per_jaar_tabel(tabel: pd.DataFrame, namen: Mapping[str, str], maat: str = "aandeel_kosten_pct") -> pd.DataFrame:
    """One share per gemeente for each year in the table (its last quarter: the year so far), as Dutch text."""
    if tabel.empty:
        return pd.DataFrame()
    laatste = tabel.assign(jaar=tabel["periode"].str[:4]).groupby("jaar")["periode"].max()
    data = rijen(tabel[tabel["periode"].isin(laatste)], [maat], list(namen), namen)
    breed = data.pivot_table(index="naam", columns="periode", values="tekst", aggfunc="first", sort=False)
    kop = {p: p[:4] if p.endswith("Q4") else f"{p[:4]} (t/m {Kwartaal.parse(p).label})" for p in breed.columns}
    return breed.rename(columns=kop).rename_axis(columns=None).reset_index().rename(columns={"naam": "gemeente"})


__all__ = ["per_groep", "solidariteit", "verschil_tabel", "per_jaar_tabel"]
