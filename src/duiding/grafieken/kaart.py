"""Small maps of the wijken: a tile map from wijken.csv, or a choropleth from a GeoJSON.

The tile map needs nothing but the `tegel_rij`/`tegel_kolom` columns of wijken.csv.
A choropleth is drawn when the user configures `geojson` (duiding.toml): a GeoJSON or the
CBS/PDOK GeoPackage of wijk boundaries whose features carry the CBS wijk code (property
`statcode`, `wijkcode`, `WK_CODE` or `wijk_code`; see `duiding.grenzen`). The file is read
locally; nothing is fetched.
"""

from __future__ import annotations

import json
import sqlite3
import struct
from pathlib import Path

import altair as alt
import pandas as pd

from .bouw import grafiek
from .. import grenzen
from ..exceptions import InvoerFout
from ..indicatoren.basis import TOTAAL
from .basis import Kader, beschrijf, een_kwartaal, leeg, perioden_tekst, regels, rijen, titel
from .labels import label
from .thema import BLAUW, GEEN_WAARDE, RAND, STAD, TEKST_DONKER

CODE_EIGENSCHAPPEN = grenzen.CODE_EIGENSCHAPPEN


def _data(tabel, wijken: pd.DataFrame, maat: str, periode: str | None):
    t, periode = een_kwartaal(tabel, periode)
    namen = dict(zip(wijken["wijk_code"], wijken["naam"]))
    data = rijen(t, [maat], [w for w in namen if w != TOTAAL], namen)
    return data, periode


def _zin(data, maat, kader, periode, uitgelicht, soort):
    zichtbaar = data.dropna(subset=["waarde"])
    if zichtbaar.empty:
        return f"{soort} van de wijken; alle waarden van {label(maat)} zijn verborgen."
    hoog = zichtbaar.loc[zichtbaar["waarde"].astype(float).idxmax()]
    laag = zichtbaar.loc[zichtbaar["waarde"].astype(float).idxmin()]
    zin = (f"{soort} van de wijken van {kader.waar} gekleurd naar {label(maat)}, {perioden_tekst([periode])}: "
           f"het hoogst in {hoog['naam']} ({hoog['tekst']}), het laagst in {laag['naam']} ({laag['tekst']})")
    if uitgelicht:
        eigen = data[data["groep"] == uitgelicht]
        if len(eigen):
            zin += f"; {eigen['naam'].iloc[0]} (omlijnd) {eigen['tekst'].iloc[0]}"
    return zin + "."


def heeft_tegels(wijken: pd.DataFrame) -> bool:
    """Whether wijken.csv places the wijken on a tile map (columns tegel_rij and tegel_kolom, filled)."""
    return {"tegel_rij", "tegel_kolom"} <= set(wijken.columns) and not wijken["tegel_rij"].isna().all()


@grafiek
def geen_tegels() -> alt.Chart:
    return leeg("Geen tegelkaart: wijken.csv heeft geen kolommen tegel_rij en tegel_kolom.")


@grafiek
def tegelkaart(tabel: pd.DataFrame, wijken: pd.DataFrame, kader: Kader, maat: str = "per_1000_jeugd",
               uitgelicht: str | None = None, periode: str | None = None) -> alt.LayerChart:
    """One tile per wijk at its (tegel_rij, tegel_kolom), coloured by the measure; hidden tiles grey."""
    if not heeft_tegels(wijken):
        return geen_tegels()
    data, periode = _data(tabel, wijken, maat, periode)
    if data.empty:
        return leeg(f"Geen gegevens voor '{label(maat)}' per wijk.")
    pos = wijken.set_index("wijk_code")[["tegel_rij", "tegel_kolom"]]
    data = data.join(pos, on="groep").dropna(subset=["tegel_rij", "tegel_kolom"])
    data["uitgelicht"] = data["groep"] == uitgelicht
    # the full name on one or two lines (never cut off), in dark text on the light blues (thema.BLAUW)
    data["regels"] = [regels(n, 12) for n in data["naam"]]
    x = alt.X("tegel_kolom:O", axis=None)
    y = alt.Y("tegel_rij:O", axis=None)
    tegel = alt.Chart().mark_rect(cornerRadius=4, invalid="show").encode(
        x=x, y=y,
        color=alt.condition("datum.waarde === null", alt.value(GEEN_WAARDE),
                            alt.Color("waarde:Q", title=regels(label(maat), 22),
                                      scale=alt.Scale(scheme=BLAUW),
                                      legend=alt.Legend(format=",.0f", orient="right", direction="vertical",
                                                        gradientLength=120))),
        stroke=alt.condition("datum.uitgelicht", alt.value(STAD), alt.value(RAND)),
        strokeWidth=alt.condition("datum.uitgelicht", alt.value(4), alt.value(1)),
        tooltip=[alt.Tooltip("naam:N", title="wijk"), alt.Tooltip("tekst:N", title=label(maat))])
    tekstkleur = alt.value(TEKST_DONKER)
    # a name on two lines starts higher, so it keeps clear of the value under it
    naam = [alt.Chart().transform_filter(f"{'' if twee else '!'}isArray(datum.regels)").mark_text(
        dy=-26 if twee else -10, fontSize=15, baseline="middle", lineHeight=17).encode(
        x=x, y=y, text="regels:N", color=tekstkleur) for twee in (False, True)]
    waarde = alt.Chart().mark_text(dy=14, fontSize=15, fontWeight="bold", baseline="middle").encode(
        x=x, y=y, text="tekst:N", color=tekstkleur)
    zin = _zin(data, maat, kader, periode, uitgelicht, "Tegelkaart")
    n_kol = int(data["tegel_kolom"].max()) + 1
    n_rij = int(data["tegel_rij"].max()) + 1
    chart = alt.layer(tegel, *naam, waarde, data=data).properties(
        width=110 * n_kol, height=92 * n_rij,
        title=titel(label(maat).capitalize(), kader, [periode], "per wijk", bool(data["verborgen"].any())))
    return beschrijf(chart, zin)


def lees_geojson(pad: Path | str) -> dict:
    """Read wijk boundaries (GeoJSON, or the CBS/PDOK GeoPackage), ready for Vega; InvoerFout in Dutch.

    Either ring order, MultiPolygons, holes, RD New or WGS84: see `duiding.grenzen`.
    """
    pad = Path(pad)
    if pad.suffix.lower() == ".gpkg":
        if not pad.exists():
            raise InvoerFout(f"{pad}: het GeoPackage-bestand voor de wijkkaart bestaat niet. Controleer 'geojson' in "
                             f"duiding.toml.")
        try:
            return grenzen.voor_vega(grenzen.lees_geopackage(pad))
        except (sqlite3.DatabaseError, ValueError, struct.error, KeyError, TypeError) as e:
            raise InvoerFout(f"{pad}: deze GeoPackage kan niet gelezen worden ({e}). Gebruik de wijk- en buurtkaart "
                             f"van CBS/PDOK zoals gedownload, of exporteer de wijken als GeoJSON.") from None
    try:
        inhoud = json.loads(pad.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvoerFout(f"{pad}: het GeoJSON-bestand voor de wijkkaart bestaat niet. Controleer 'geojson' in "
                         f"duiding.toml.") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise InvoerFout(f"{pad}: geen geldige GeoJSON ({e}). Exporteer de wijkgrenzen opnieuw als GeoJSON.") from None
    if inhoud.get("type") != "FeatureCollection" or not isinstance(inhoud.get("features"), list):
        raise InvoerFout(f"{pad}: verwacht een GeoJSON FeatureCollection met wijkgrenzen.")
    try:
        return grenzen.voor_vega(inhoud)
    except (ValueError, TypeError, IndexError, KeyError) as e:
        raise InvoerFout(f"{pad}: de coördinaten van de wijkgrenzen kloppen niet ({e}). Exporteer de wijkgrenzen "
                         f"opnieuw als GeoJSON.") from None


@grafiek
def choropleet(tabel: pd.DataFrame, wijken: pd.DataFrame, geojson: dict, kader: Kader,
               maat: str = "per_1000_jeugd", uitgelicht: str | None = None, periode: str | None = None
               ) -> alt.LayerChart:
    """The wijk boundaries of the GeoJSON, coloured by the measure; hidden wijken grey."""
    data, periode = _data(tabel, wijken, maat, periode)
    if data.empty:
        return leeg(f"Geen gegevens voor '{label(maat)}' per wijk.")
    sleutel = grenzen.code_eigenschap(geojson)
    if sleutel is None:
        raise InvoerFout("De wijkgrenzen hebben geen eigenschap met de CBS-wijkcode "
                         f"({', '.join(CODE_EIGENSCHAPPEN)}).")
    features = []
    per_code = data.set_index("groep")
    for f in geojson["features"]:
        code = str((f.get("properties") or {}).get(sleutel, "")).strip()
        if code not in per_code.index:
            continue
        r = per_code.loc[code]
        features.append({"type": "Feature", "geometry": f["geometry"],
                         "properties": {"code": code, "naam": r["naam"], "waarde": r["waarde"], "tekst": r["tekst"],
                                        "uitgelicht": code == uitgelicht}})
    if not features:
        raise InvoerFout(f"Geen enkele wijk uit de gegevens komt voor in de GeoJSON (eigenschap '{sleutel}').")
    vormen = alt.Chart(alt.Data(values=features)).mark_geoshape(invalid="show").encode(
        color=alt.condition("datum.properties.waarde === null", alt.value(GEEN_WAARDE),
                            alt.Color("properties.waarde:Q", title=regels(label(maat), 22), scale=alt.Scale(scheme=BLAUW),
                                      legend=alt.Legend(format=",.0f", orient="right", direction="vertical"))),
        stroke=alt.condition("datum.properties.uitgelicht", alt.value(STAD), alt.value(RAND)),
        strokeWidth=alt.condition("datum.properties.uitgelicht", alt.value(3), alt.value(1)),
        tooltip=[alt.Tooltip("properties.naam:N", title="wijk"), alt.Tooltip("properties.tekst:N", title=label(maat))]
    ).project(type="mercator")
    zin = _zin(data, maat, kader, periode, uitgelicht, "Kaart")
    chart = alt.layer(vormen, data=data).properties(
        width=420, height=360,
        title=titel(label(maat).capitalize(), kader, [periode], "per wijk", bool(data["verborgen"].any())))
    return beschrijf(chart, zin)
