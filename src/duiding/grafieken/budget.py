"""Budget charts: the vierkant of a provider beside the macrovierkant, peers, the landscape."""

from __future__ import annotations

from typing import Mapping

import altair as alt
import pandas as pd

from .bouw import grafiek
from ..indicatoren.basis import TOTAAL
from .basis import (Kader, beschrijf, breed as breed_maken, een_kwartaal, kop, laatste_per_maat, leeg, periode_label,
                    perioden_tekst, plaats_namen, rijen, staaf_verborgen, titel, tooltip)
from .bereik import tijdlijn
from .thema import BREEDTE, STAAF, EIGEN, HOOGTE, LICHT, PALET, STAD, TEKST_DONKER, TEKST_ZACHT, VERBORGEN

VIERKANT = ["realisatie_pct", "prognose_pct", "clienten_pct"]
MACRO = "alle aanbieders (macrovierkant)"


@grafiek
def vierkant(tabel: pd.DataFrame, kader: Kader, groep: str, periode: str | None = None) -> alt.LayerChart:
    """Realisation, prognosis and clients against the agreement (100% = as agreed), beside the macrovierkant."""
    t, periode = een_kwartaal(tabel, periode)
    namen = {groep: kader.waar, TOTAAL: MACRO} if groep != TOTAAL else {TOTAAL: MACRO}
    data = rijen(t, VIERKANT, list(namen), namen)
    if data.empty:
        return leeg(f"Geen budgetgegevens voor {kader.waar} in {periode_label(str(periode))}.")
    volgorde = list(namen.values())
    y = alt.Y("label:N", title=None, sort=[data.loc[data["maat"] == m, "label"].iloc[0] for m in VIERKANT
                                          if (data["maat"] == m).any()])
    off = alt.YOffset("naam:N", sort=volgorde)
    kleur = alt.Color("naam:N", title=None, sort=volgorde,
                      scale=alt.Scale(domain=volgorde, range=[EIGEN, VERBORGEN][:len(volgorde)]
                                      if groep != TOTAAL else [STAD]))
    staaf = alt.Chart().mark_bar().encode(
        y=y, yOffset=off, x=alt.X("waarde:Q", title="% van de afspraak (100% = volgens afspraak)",
                                  axis=alt.Axis(format=",.0f")), color=kleur, tooltip=tooltip())
    waarden = alt.Chart().transform_filter("datum.waarde !== null && datum.waarde !== 0").mark_text(
        align="left", dx=4, fontSize=15).encode(
        y=y, yOffset=off, x="waarde:Q", text="tekst:N")
    verborgen = staaf_verborgen(y, yOffset=off)
    honderd = alt.Chart(pd.DataFrame({"x": [100]})).mark_rule(color=STAD, strokeDash=[6, 4], strokeWidth=2).encode(
        x="x:Q")
    eigen = data[data["groep"] == groep].set_index("maat")["tekst"]
    zin = (f"Staafdiagram van het vierkant van {kader.waar}, {perioden_tekst([periode])}: realisatie naar rato "
           f"{eigen.get('realisatie_pct', 'onbekend')}, prognose {eigen.get('prognose_pct', 'onbekend')} van het "
           f"budget en {eigen.get('clienten_pct', 'onbekend')} van het afgesproken aantal cliënten"
           + ("" if groep == TOTAAL else ", naast het macrovierkant van alle aanbieders") + "; 100% is volgens afspraak.")
    chart = alt.layer(staaf, waarden, verborgen, honderd, data=data).properties(
        width=STAAF, height=70 * len(VIERKANT),
        title=titel("Het vierkant", kader, [periode], "% van budget en afspraak", bool(data["verborgen"].any())))
    return beschrijf(chart, zin)


@grafiek
def vergelijk(tabel: pd.DataFrame, kader: Kader, groep: str, namen: Mapping[str, str], maat: str = "prognose_pct",
              wat: str = "Prognose t.o.v. budget", periode: str | None = None) -> alt.LayerChart:
    """One vierkant measure for the provider and its peers (same soort), the provider highlighted."""
    t, periode = een_kwartaal(tabel, periode)
    if len(namen) < 2:
        return leeg(f"Geen aanbieders met dezelfde wet en soort en een vergelijkbare mix van productcategorieën als "
                    f"{kader.waar}: vergelijk met het macrovierkant hierboven.", titeltekst=kop(wat, kader))
    data = rijen(t, [maat], list(namen), namen)
    if data.empty:
        return leeg(f"Geen budgetgegevens om {kader.waar} te vergelijken in {periode_label(str(periode))}.")
    data["rol"] = ["deze aanbieder" if g == groep else "vergelijkbare aanbieders" for g in data["groep"]]
    y = alt.Y("naam:N", title=None, sort=alt.EncodingSortField("waarde", order="descending"))
    staaf = alt.Chart().mark_bar().encode(
        y=y, x=alt.X("waarde:Q", title="%", axis=alt.Axis(format=",.0f")),
        color=alt.Color("rol:N", title=None, scale=alt.Scale(domain=["deze aanbieder", "vergelijkbare aanbieders"],
                                                             range=[EIGEN, LICHT])), tooltip=tooltip())
    verborgen = staaf_verborgen(y)
    honderd = alt.Chart(pd.DataFrame({"x": [100]})).mark_rule(color=STAD, strokeDash=[6, 4], strokeWidth=2).encode(
        x="x:Q")
    eigen = data[data["groep"] == groep]["tekst"]
    zin = (f"Staafdiagram van de {wat.lower()} van {kader.waar} naast {len(data) - 1} vergelijkbare aanbieders, "
           f"{perioden_tekst([periode])}" + (f"; {kader.waar}: {eigen.iloc[0]}." if len(eigen) else "."))
    chart = alt.layer(staaf, verborgen, honderd, data=data).properties(
        width=STAAF, height=max(120, 30 * len(data)),
        title=titel(wat, kader, [periode], "vergeleken met aanbieders met dezelfde wet en een vergelijkbare productmix",
                    bool(data["verborgen"].any())))
    return beschrijf(chart, zin)


def _domein(waarden, marge: float = 0.08) -> tuple[float, float]:
    """The axis range around the values and 100 (as agreed), with some room for the names."""
    lo, hi = min(min(waarden), 100.0), max(max(waarden), 100.0)
    rand = max(1.0, (hi - lo) * marge)
    return lo - rand, hi + rand


@grafiek
def landschap(tabel: pd.DataFrame, kader: Kader, namen: Mapping[str, str], soorten: Mapping[str, str],
              periode: str | None = None, korte_namen: Mapping[str, str] | None = None) -> alt.LayerChart:
    """Every provider placed by clients against the agreement (x) and prognosis against budget (y).

    Each point carries the provider's short name (`korte_namen`, else its name), placed where it
    collides with no other name or point (`plaats_namen`); the full name is in the tooltip and table.
    """
    t, periode = een_kwartaal(tabel, periode)
    groepen = [g for g in namen if g != TOTAAL]
    data = rijen(t, ["clienten_pct", "prognose_pct", "budget_eur"], groepen, namen)
    if data.empty:
        return leeg(f"Geen budgetgegevens in {periode_label(str(periode))}.")
    index = ["groep", "naam", "periode", "periode_label"]
    breed = breed_maken(data, index).merge(breed_maken(data, index, "tekst"), on=index, suffixes=("", "_tekst"))
    breed["soort"] = [soorten.get(g, "") for g in breed["groep"]]
    for kol in ("clienten_pct", "prognose_pct", "budget_eur"):
        breed[kol] = breed[kol].astype(object).where(pd.notna(breed[kol]), None)
    zichtbaar = breed.dropna(subset=["clienten_pct", "prognose_pct"])
    verborgen = breed[breed["clienten_pct"].isna() | breed["prognose_pct"].isna()]
    # the table behind the chart: one row per provider
    data_tabel = pd.concat([data[data["maat"] == m] for m in ("clienten_pct", "prognose_pct")])
    zichtbaar = zichtbaar.assign(kort=[(korte_namen or {}).get(g) or n for g, n in
                                       zip(zichtbaar["groep"], zichtbaar["naam"])])
    dx = _domein([float(v) for v in zichtbaar["clienten_pct"]] or [100.0])
    dy = _domein([float(v) for v in zichtbaar["prognose_pct"]] or [100.0])
    plek = plaats_namen([float(v) for v in zichtbaar["clienten_pct"]], [float(v) for v in zichtbaar["prognose_pct"]],
                        list(zichtbaar["kort"]), dx, dy, BREEDTE, HOOGTE + 200, straal=13)
    zichtbaar = zichtbaar.reset_index(drop=True).join(plek[["lx", "ly", "uitlijning", "lijn"]])
    sx, sy = alt.Scale(domain=list(dx), nice=False, zero=False), alt.Scale(domain=list(dy), nice=False, zero=False)
    basis = alt.Chart(zichtbaar)
    punten = basis.mark_circle(opacity=0.85).encode(
        x=alt.X("clienten_pct:Q", title="cliënten t.o.v. afspraak (%)", scale=sx),
        y=alt.Y("prognose_pct:Q", title="prognose t.o.v. budget (%)", scale=sy),
        size=alt.Size("budget_eur:Q", title="budget (€)", legend=alt.Legend(format=",.0f"),
                      scale=alt.Scale(range=[60, 500])),
        color=alt.Color("soort:N", title=None, scale=alt.Scale(range=PALET)),
        tooltip=[alt.Tooltip("naam:N", title="aanbieder"), alt.Tooltip("clienten_pct_tekst:N", title="cliënten"),
                 alt.Tooltip("prognose_pct_tekst:N", title="prognose"), alt.Tooltip("budget_eur_tekst:N", title="budget")])
    namen_laag = [basis.transform_filter(f"datum.uitlijning === '{u}'").mark_text(
        align=u, baseline="middle", fontSize=15, color=TEKST_DONKER).encode(
        x=alt.X("lx:Q", scale=sx), y=alt.Y("ly:Q", scale=sy), text="kort:N") for u in ("left", "right", "center")]
    leiders = basis.transform_filter("datum.lijn").mark_rule(color=TEKST_ZACHT, strokeWidth=1).encode(
        x=alt.X("clienten_pct:Q", scale=sx), y=alt.Y("prognose_pct:Q", scale=sy), x2="lx:Q", y2="ly:Q")
    lijnen = alt.Chart(pd.DataFrame({"v": [100]}))
    lagen = [lijnen.mark_rule(color=STAD, strokeDash=[6, 4]).encode(x=alt.X("v:Q", scale=sx)),
             lijnen.mark_rule(color=STAD, strokeDash=[6, 4]).encode(y=alt.Y("v:Q", scale=sy)), leiders, punten,
             *namen_laag]
    boven = int(((zichtbaar["prognose_pct"].astype(float) > 100)).sum()) if len(zichtbaar) else 0
    zin = (f"Spreidingsdiagram van {len(breed)} aanbieders, {perioden_tekst([periode])}: cliënten ten opzichte van "
           f"de afspraak tegen de prognose ten opzichte van het budget, de grootte is het budget; {boven} "
           f"aanbieder(s) hebben een prognose boven 100% van het budget"
           + (f", van {len(verborgen)} aanbieder(s) is een waarde verborgen." if len(verborgen) else "."))
    # top-level data: the long table behind the chart (every layer brings its own data)
    chart = alt.layer(*lagen, data=data_tabel).properties(
        width=BREEDTE, height=HOOGTE + 200,
        title=titel("Het aanbiederslandschap", kader, [periode], "100% = volgens afspraak", len(verborgen) > 0))
    return beschrijf(chart, zin)


@grafiek
def trend_euro(tabel: pd.DataFrame, kader: Kader, groep: str) -> alt.LayerChart:
    """Costs so far this year against the budget pro rata, per quarter, in euros."""
    data = rijen(tabel, ["kosten_eur", "budget_pro_rata_eur"], [groep], {groep: kader.waar})
    if data.empty:
        return leeg(f"Geen budgetgegevens voor {kader.waar}.")
    laatste = laatste_per_maat(data)
    zin = (f"Lijngrafiek van de kosten in het jaar tot dan toe en het budget naar rato per kwartaal voor "
           f"{kader.waar}, {perioden_tekst(data['periode'])}; in het laatste kwartaal kosten "
           f"{laatste.get('kosten_eur', 'onbekend')} bij een budget naar rato van "
           f"{laatste.get('budget_pro_rata_eur', 'onbekend')}.")
    return tijdlijn(data, "Kosten en budget door de tijd", kader, "euro (jaar tot en met het kwartaal)", zin=zin,
                    formaat="$,.0f", kleuren={"kosten": EIGEN, "budget naar rato": STAD})


@grafiek
def trend_pct(tabel: pd.DataFrame, kader: Kader, groep: str) -> alt.LayerChart:
    """The vierkant over all quarters: realisation, prognosis and clients against the agreement, 100% as a rule."""
    data = rijen(tabel, VIERKANT, [groep], {groep: kader.waar})
    if data.empty:
        return leeg(f"Geen budgetgegevens voor {kader.waar}.")
    laatste = laatste_per_maat(data)
    zin = (f"Lijngrafiek van het vierkant van {kader.waar} per kwartaal, {perioden_tekst(data['periode'])}: "
           f"realisatie naar rato, prognose en cliënten ten opzichte van de afspraak, 100% als stippellijn; in het "
           f"laatste kwartaal een prognose van {laatste.get('prognose_pct', 'onbekend')} van het budget.")
    honderd = alt.Chart(pd.DataFrame({"y": [100]})).mark_rule(color=STAD, strokeDash=[6, 4], strokeWidth=2).encode(
        y="y:Q")
    return tijdlijn(data, "Het vierkant door de tijd", kader, "% van budget en afspraak", zin=zin, formaat=",.0f",
                    extra=[honderd])


__all__ = ["vierkant", "vergelijk", "landschap", "trend_euro", "trend_pct", "MACRO"]
