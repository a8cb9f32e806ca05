"""What every chart shares: tidy chart rows, titles, hidden values, text alternative, saving.

Chart rows (`rijen`) come from a published table (`duiding.cijfers.cijfers`, already
through the privacy step) and carry, besides the value, everything a reader needs:
the Dutch label of the measure, the group's name, the value as Dutch text, and the
privacy status. A hidden value has `waarde` None and `tekst` = its status
('verborgen' or 'geheim'); charts draw it as a grey label, never as a zero.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

import altair as alt
import pandas as pd

from .bouw import grafiek
from .. import nl
from ..iorw import atomair
from ..sjabloon import maak
from ..periode import Kwartaal, leesbaar
from ..indicatoren.basis import TOTAAL
from .labels import eenheid, is_aantal, label
from . import thema
from .thema import BREEDTE, TEKST, VERBORGEN, VERBORGEN_TEKST
from ..exceptions import ParameterFout

VERBORGEN_UITLEG = "gestippeld vak = verborgen om de privacy te beschermen"
TITEL_TEKENS = 44  # a title line on a projector: wrapped, never cut off


@dataclass(frozen=True)
class Kader:
    """Where a chart is about and where its figures come from."""

    waar: str  # 'Overvecht', 'De Wending Jeugdhulp', 'Utrecht'
    bron: str  # Gegevens.bronvermelding, with 'fictieve gegevens' on sample data
    privacy: str = "intern"


def waarde_tekst(maat: str, waarde: float | None, status: str = "") -> str:
    """A value as Dutch text in its unit; the status word when hidden."""
    if waarde is None or pd.isna(waarde):
        return status or "geen gegevens"
    e = eenheid(maat)
    if e == "%":
        return nl.procent(waarde)
    if e == "€":
        return nl.euro(waarde)
    if e == "dagen":
        return f"{nl.getal(waarde, 0 if float(waarde).is_integer() else 1)} dagen"
    if e == "per 1.000":
        return nl.getal(waarde, 1)
    return nl.getal(waarde, 0 if float(waarde).is_integer() else 1)


def periode_label(periode: str) -> str:
    """'2024-Q4' -> '2024 K4'; a span 'A t/m B' in the same words."""
    return leesbaar(periode)


def perioden_tekst(perioden) -> str:
    """The period a chart covers, in words, for its title."""
    unieke = sorted(set(perioden))
    if not unieke:
        return ""
    if len(unieke) == 1:
        return periode_label(unieke[0])
    return f"{periode_label(unieke[0])} t/m {periode_label(unieke[-1])}"


def rijen(tabel: pd.DataFrame, maten: list[str] | None = None, groepen: list[str] | None = None,
          namen: Mapping[str, str] | None = None, labels: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Published rows -> chart rows (see module docstring), in the order of `groepen`/`maten`.

    Built column by column as lists and put together once: assigning a dozen columns to a
    frame one by one cost more than the chart itself (15-20 ms per chart).
    """
    kies = None
    if maten is not None:
        kies = tabel["maat"].isin(maten)
    if groepen is not None:
        kies = tabel["groep"].isin(groepen) if kies is None else kies & tabel["groep"].isin(groepen)
    t = tabel[kies] if kies is not None else tabel
    # the order: by the rank of groep and maat as given, then periode (the same sort as always)
    sleutels = {}
    if groepen is not None:
        rang = {g: i for i, g in enumerate(groepen)}
        sleutels["_groep"] = [rang.get(g) for g in t["groep"]]
    if maten is not None:
        rang = {m: i for i, m in enumerate(maten)}
        sleutels["_maat"] = [rang.get(m) for m in t["maat"]]
    sleutels["periode"] = t["periode"].reset_index(drop=True)
    t = t.take(pd.DataFrame(sleutels).sort_values(list(sleutels)).index).reset_index(drop=True)

    namen = dict(namen or {})
    labels = dict(labels or {})
    groep, maat, periode = t["groep"].tolist(), t["maat"].tolist(), t["periode"].tolist()
    status = t["status"].fillna("") if "status" in t else pd.Series([""] * len(t), dtype="str")
    waarde = t["waarde"].astype("float64")
    nieuw = {
        "naam": [namen.get(g, g) for g in groep],
        "label": [labels.get(m, label(m)) for m in maat],
        "status": status,
        "waarde": waarde.astype(object).where(waarde.notna(), None),  # Vega needs null, not NaN
        "tekst": [waarde_tekst(m, w, s) for m, w, s in zip(maat, waarde.tolist(), status.tolist())],
        "verborgen": waarde.isna(),
        "aantal": [is_aantal(m) for m in maat],
        "periode_label": [periode_label(p) for p in periode],
    }
    if " t/m " not in "".join(dict.fromkeys(periode)):
        nieuw["kwartaal"] = [Kwartaal.parse(p).begin.isoformat() for p in periode]
    kolommen = {k: (nieuw.pop(k) if k in nieuw else t[k]) for k in t.columns}
    return pd.DataFrame({**kolommen, **nieuw})


def een_kwartaal(tabel: pd.DataFrame, periode: str | None = None) -> tuple[pd.DataFrame, str | None]:
    """The rows of one quarter (default: the table's last) and that quarter."""
    if periode is None and len(tabel):
        periode = max(tabel["periode"])
    return tabel[tabel["periode"] == periode], periode


def laatste_per_maat(data: pd.DataFrame) -> pd.Series:
    """maat -> its value as Dutch text in the last quarter of the chart rows (for a chart's sentence)."""
    return data[data["periode"] == data["periode"].max()].set_index("maat")["tekst"]


def met_stad(groep: str, waar: str, stadnaam: str = "stad") -> dict[str, str]:
    """groep -> display name for 'the group against the city' (only the city when the group is the city)."""
    return {groep: waar} if groep == TOTAAL else {groep: waar, TOTAAL: stadnaam}


def as_formaat(maat: str) -> str:
    """Axis number format: one decimal for rates and shares, none for counts, days and money."""
    return ",.1f" if eenheid(maat) in ("%", "per 1.000") else ",.0f"


def regels(tekst: str, tekens: int = TITEL_TEKENS) -> list[str] | str:
    """Text broken into lines of at most `tekens` characters (Vega draws a list as lines)."""
    delen = textwrap.wrap(tekst, tekens, break_long_words=False, break_on_hyphens=False)
    return delen if len(delen) > 1 else tekst


VAK_BREEDTE = 96  # px: the dashed box of a hidden bar, wide enough for its word


def staaf_verborgen(y: alt.Y, **offset) -> alt.LayerChart:
    """A hidden horizontal bar: a dashed, unfilled box with the word in it, never a zero bar.

    A zero is a real value: its bar has no length, so a '0' is written where it starts.
    """
    vak = alt.Chart().transform_filter("datum.waarde === null").mark_bar(
        fill="#ffffff", stroke=VERBORGEN, strokeDash=[4, 3], strokeWidth=1.5).encode(
        y=y, x=alt.value(0), x2=alt.value(VAK_BREEDTE), **offset)
    woord = alt.Chart().transform_filter("datum.waarde === null").mark_text(
        color=VERBORGEN_TEKST, align="left", fontSize=15).encode(y=y, x=alt.value(6), text="tekst:N", **offset)
    nul = alt.Chart().transform_filter("datum.waarde === 0").mark_text(
        color=TEKST, align="left", fontSize=15, dx=4).encode(y=y, x=alt.value(0), text="tekst:N", **offset)
    return alt.layer(vak, woord, nul)


def html_tabel(df: pd.DataFrame, bijschrift: str = "") -> str:
    """A table of Dutch text as accessible HTML; every cell escaped."""
    return maak("tabel.html.j2", bijschrift=bijschrift, kolommen=[str(k) for k in df.columns],
                rijen=[[str(v) for v in r] for r in df.itertuples(index=False)])


def titel(wat: str, kader: Kader, perioden, eenheid_tekst: str = "", verborgen: bool = False) -> alt.TitleParams:
    """Title 'what · where' with subtitle lines: period and unit, then source and privacy note."""
    regel1 = perioden_tekst(perioden)
    if eenheid_tekst:
        regel1 = f"{regel1} · {eenheid_tekst}" if regel1 else eenheid_tekst
    regel2 = kader.bron
    if verborgen:
        regel2 = f"{regel2} · {VERBORGEN_UITLEG}"
    return alt.TitleParams(text=kop(wat, kader),
                           subtitle=[r for deel in (regel1, regel2) for r in _lijst(regels(deel, 70))])


def kop(wat: str, kader: Kader) -> str | list[str]:
    """The title text 'what · where'; too long for one line, the place starts a line of its own."""
    heel = f"{wat} · {kader.waar}"
    return heel if len(heel) <= TITEL_TEKENS else _lijst(regels(f"{wat} ·")) + _lijst(regels(kader.waar))


def _lijst(x) -> list[str]:
    return x if isinstance(x, list) else [x]


KWARTAAL_FORMAAT = "%Y K%q"  # d3-time-format for '2024 K4', the one way a person reads a quarter


def kwartaal_as(titel_tekst: str = "kwartaal") -> alt.X:
    """Temporal x axis per quarter, labelled '2024 K4'; labels that would collide are thinned.

    The first and last quarter sit a label's half-width inside the plot, so their labels are
    centred on them (never cut, never on the y axis) and the last quarter keeps its label.
    """
    return alt.X("kwartaal:T", title=titel_tekst, scale=alt.Scale(padding=34),
                 axis=alt.Axis(format=KWARTAAL_FORMAAT, tickCount={"interval": "month", "step": 3}, labelAngle=0,
                               labelOverlap="greedy", labelSeparation=6, labelFlush=False))


def verborgen_onderaan(x: alt.X, hoogte: int) -> alt.LayerChart:
    """A quarter with hidden values over time: a dashed box at the foot of the plot with the word in it.

    One box per quarter, however many series are hidden in it (the table says which); it sits
    just right of the quarter, so it never runs into the axis labels or into the next box.
    A layer of a chart that holds the data (no data of its own: see `tijdlijn`).
    """
    per_kwartaal = alt.Chart().transform_filter("datum.waarde === null").transform_aggregate(
        n="count()", groupby=["kwartaal"])
    vak = per_kwartaal.mark_rect(fill="#ffffff", fillOpacity=0.9, stroke=VERBORGEN, strokeDash=[4, 3],
                                 strokeWidth=1.5, xOffset=3, x2Offset=23).encode(
        x=x, x2=alt.X2("kwartaal"), y=alt.value(hoogte), y2=alt.value(hoogte - VAK_BREEDTE + 8))
    woord = per_kwartaal.mark_text(color=VERBORGEN_TEKST, fontSize=15, angle=270, align="left", baseline="middle",
                                   xOffset=13, text="verborgen").encode(x=x, y=alt.value(hoogte - 6))
    return alt.layer(vak, woord)


def tooltip(*extra: alt.Tooltip) -> list:
    return [alt.Tooltip("naam:N", title="onderwerp"), alt.Tooltip("label:N", title="maat"),
            alt.Tooltip("periode_label:N", title="periode"), alt.Tooltip("tekst:N", title="waarde"), *extra]


def beschrijf(chart, zin: str):
    """Attach the one-sentence text alternative (Vega-Lite `description`, also the SVG's aria label).

    Set on a copy of the chart's top level, as `properties()` does, but without its check of
    the value against the schema (a string is always a valid description).
    """
    kopie = chart.copy(deep=False)
    kopie.description = zin
    return kopie


def _delen(chart) -> list:
    """The views of a (possibly composed) chart that carry their own data."""
    for attr in ("hconcat", "vconcat", "concat"):
        kinderen = getattr(chart, attr, alt.Undefined)
        if kinderen is not alt.Undefined:
            return [d for k in kinderen for d in _delen(k)]
    return [chart]


def _beschrijving(chart) -> str:
    d = getattr(chart, "description", alt.Undefined)
    return "" if d is alt.Undefined else str(d)


def tabel_van(chart) -> pd.DataFrame:
    """The table behind a chart, as Dutch text: one row per period and subject, one column per measure."""
    delen = []
    for deel in _delen(chart):
        data = getattr(deel, "data", alt.Undefined)
        if isinstance(data, pd.DataFrame) and {"label", "tekst", "naam", "periode_label"} <= set(data.columns):
            delen.append(data)
    if not delen:
        return pd.DataFrame()
    t = pd.concat(delen, ignore_index=True)
    t = t.drop_duplicates(subset=["periode", "naam", "label"] + (["thema"] if "thema" in t else [])
                          + (["naar"] if "naar" in t else []))
    rij = ["periode", "periode_label", "naam"] + [k for k in ("thema", "naar_naam") if k in t and t[k].ne("").any()]
    # by hand rather than pivot_table (a tenth of a report's time): rows and columns in order of
    # appearance, the first text of each cell; rows with a missing key are left out, as pivot_table does
    kolommen = list(dict.fromkeys(t["label"]))
    cellen: dict[tuple, dict] = {}
    for sleutel, maat, tekst in zip(zip(*(t[k] for k in rij)), t["label"], t["tekst"]):
        if any(pd.isna(x) for x in sleutel) or pd.isna(tekst):
            continue
        cellen.setdefault(sleutel, {}).setdefault(maat, tekst)
    kolommen = [k for k in kolommen if any(k in v for v in cellen.values())]
    breed = pd.DataFrame([[*k, *(v.get(c) for c in kolommen)] for k, v in cellen.items()], columns=rij + kolommen)
    breed = breed.sort_values(["periode"]).drop(columns=["periode"])
    breed = breed.rename(columns={"periode_label": "periode", "naam": "onderwerp", "naar_naam": "naar"})
    breed.columns.name = None
    return breed.fillna("").reset_index(drop=True)


def tekstalternatief(chart) -> str:
    """HTML: the chart's sentence and, collapsible, the table behind it (WCAG 2.1 AA)."""
    zinnen = [z for z in dict.fromkeys([_beschrijving(chart)] + [_beschrijving(d) for d in _delen(chart)]) if z]
    return maak("tekstalternatief.html.j2", zinnen=zinnen, tabel=html_tabel(tabel_van(chart)))


def bewaar(chart, pad: Path | str, schaal: float = 2.0) -> Path:
    """Save as SVG or PNG (by suffix) with vl-convert: no browser, no network; atomic."""
    pad = Path(pad)
    with thema.actief():
        spec = chart.to_dict()
    if pad.suffix.lower() == ".svg":
        inhoud = thema.svg(spec).encode("utf-8")
    elif pad.suffix.lower() == ".png":
        inhoud = thema.png(spec, schaal)
    else:
        raise ParameterFout(f"Kan '{pad.name}' niet bewaren: kies een bestandsnaam op .svg of .png.")
    with atomair(pad, "wb") as f:
        f.write(inhoud)
    return pad


@grafiek
def naast(*charts):
    """Side by side, keeping each part's text alternative."""
    return alt.hconcat(*charts).resolve_scale(color="independent")


@grafiek
def leeg(zin: str, titeltekst: str | list[str] | None = None) -> alt.Chart:
    """Nothing to draw: a small chart that says so (keeps a section's layout), under a title when given."""
    lijnen = _lijst(regels(zin, 58))
    titel_ = {"title": alt.TitleParams(text=titeltekst)} if titeltekst else {}
    return alt.Chart(pd.DataFrame({"t": [lijnen]}), description=zin).mark_text(
        fontSize=16, align="left", baseline="top", lineHeight=22, color=TEKST).encode(
        text="t:N", x=alt.value(0), y=alt.value(4)).properties(width=BREEDTE, height=22 * len(lijnen) + 8, **titel_)


def breed(data: pd.DataFrame, index: list[str], waarde: str = "waarde") -> pd.DataFrame:
    """Long chart rows -> one row per `index`, one column per maat (hidden values stay None)."""
    uit = data.set_index(index + ["maat"])[waarde].unstack("maat").reset_index()
    uit.columns.name = None
    return uit


TEKEN_PX = 8.6  # width of an average character at 15 px (DejaVu Sans), a little generous
REGEL_PX = 18


def plaats_namen(x: list[float], y: list[float], namen: list[str], domein_x: tuple[float, float],
                 domein_y: tuple[float, float], breedte: int, hoogte: int, straal: float = 9.0) -> pd.DataFrame:
    """Where to write each point's name so that no two names and no name and point collide.

    Greedy: points from top to bottom try positions around them, nearest first (right, left,
    above, below, then further out with a leader line); a point with no room around it gets
    the nearest free spot of the chart, with a leader line. Positions are computed at the
    narrowest width the chart is drawn (`breedte`); a wider chart only spreads the points
    further apart horizontally, so what is free here stays free. Returns per point the name's
    anchor in data units (`lx`, `ly`), its alignment, and whether it needs a leader line.
    """
    (x0, x1), (y0, y1) = domein_x, domein_y
    px = [(v - x0) / (x1 - x0) * breedte for v in x]
    py = [hoogte - (v - y0) / (y1 - y0) * hoogte for v in y]
    bezet = [(a - straal, b - straal, a + straal, b + straal) for a, b in zip(px, py)]
    richtingen = [(1, 0), (-1, 0), (0, -1), (0, 1), (1, -1), (-1, -1), (1, 1), (-1, 1)]
    uit = []
    for i in sorted(range(len(namen)), key=lambda i: py[i]):
        w, h = TEKEN_PX * len(namen[i]), REGEL_PX
        keuze = None
        for afstand in (straal + 3, straal + 22, straal + 44, straal + 70, straal + 100, straal + 135):
            for dx, dy in richtingen:
                ax, ay = px[i] + dx * afstand, py[i] + dy * afstand * 0.8
                links = ax if dx > 0 else (ax - w if dx < 0 else ax - w / 2)
                doos = (links, ay - h / 2, links + w, ay + h / 2)
                if doos[0] < 0 or doos[2] > breedte or doos[1] < 0 or doos[3] > hoogte:
                    continue
                if any(doos[0] < b[2] and b[0] < doos[2] and doos[1] < b[3] and b[1] < doos[3] for b in bezet):
                    continue
                keuze = (ax, ay, "left" if dx > 0 else ("right" if dx < 0 else "center"), afstand > straal + 3, doos)
                break
            if keuze:
                break
        if keuze is None:  # nothing free around it: the nearest free spot anywhere, with a leader line
            vrij = []
            for gx in range(0, breedte, 8):
                for gy in range(h // 2, hoogte - h // 2, 6):
                    doos = (gx, gy - h / 2, gx + w, gy + h / 2)
                    if doos[2] <= breedte and not any(doos[0] < b[2] and b[0] < doos[2] and doos[1] < b[3]
                                                      and b[1] < doos[3] for b in bezet):
                        vrij.append(((gx - px[i]) ** 2 + (gy - py[i]) ** 2, gx, gy, doos))
            if vrij:
                _, gx, gy, doos = min(vrij)
                keuze = (gx, gy, "left", True, doos)
            else:  # a full chart: the name on the point's right
                keuze = (px[i] + straal + 3, py[i], "left", False, None)
        ax, ay, uitlijning, lijn, doos = keuze
        if doos:
            bezet.append(doos)
        uit.append({"i": i, "lx": x0 + ax / breedte * (x1 - x0), "ly": y0 + (hoogte - ay) / hoogte * (y1 - y0),
                    "uitlijning": uitlijning, "lijn": lijn})
    return pd.DataFrame(uit).sort_values("i").reset_index(drop=True)
