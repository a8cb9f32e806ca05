"""Wijk boundaries in the shapes publishers give them, drawn right in a real Chromium.

The test geometry is made here in the shapes of the CBS/PDOK wijk- en buurtkaart: RD New
coordinates (metres) around Almere, outer rings counter-clockwise as RFC 7946 asks, a
wijk with a lake (a hole), a wijk with an island (a MultiPolygon), and the same wijken as a
GeoPackage with its binary geometry header, as the download holds them.
"""

from __future__ import annotations

import json
import sqlite3
import struct

import numpy as np
import pandas as pd
import pytest

from duiding import grenzen
from duiding.grafieken import kaart
from duiding.grafieken.basis import Kader
from duiding.grafieken.thema import svg

# three wijken of a made-up part of Almere (GM0034), west to east, 2 km wide each
WIJKEN = [("WK003491", "Haven"), ("WK003492", "Eilanden"), ("WK003493", "Polder")]
X0, Y0 = 140_000.0, 484_000.0


def _vierkant(x, y, breed, ccw=True):
    ring = [[x, y], [x + breed, y], [x + breed, y + breed], [x, y + breed], [x, y]]
    return ring if ccw else ring[::-1]


def _collectie() -> dict:
    """RFC 7946: outer rings counter-clockwise, holes clockwise; RD New coordinates."""
    haven = {"type": "Polygon", "coordinates": [
        _vierkant(X0, Y0, 2000), _vierkant(X0 + 600, Y0 + 600, 800, ccw=False)]}  # a lake in the middle
    eilanden = {"type": "MultiPolygon", "coordinates": [
        [_vierkant(X0 + 2000, Y0, 2000)], [_vierkant(X0 + 2600, Y0 + 2300, 500)]]}  # with an island to the north
    polder = {"type": "Polygon", "coordinates": [_vierkant(X0 + 4000, Y0, 2000)]}
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"wijkcode": c, "wijknaam": n}, "geometry": g}
        for (c, n), g in zip(WIJKEN, (haven, eilanden, polder))]}


def _ringen(geometrie):
    if geometrie["type"] == "Polygon":
        return [geometrie["coordinates"]]
    return geometrie["coordinates"]


def test_rd_new_to_wgs84_agrees_with_proj():
    # reference values: pyproj 3.7.2, EPSG:28992 -> EPSG:4326 (Amersfoort, Utrecht Dom, Amsterdam, Groningen)
    rd = np.array([[155000, 463000], [136859, 455981], [121000, 487000], [233000, 582000]], float)
    proj = np.array([[5.387204, 52.155172], [5.122492, 52.091789], [4.887971, 52.369826], [6.554963, 53.218925]])
    assert np.abs(grenzen.rd_naar_wgs84(rd) - proj).max() < 2e-5  # about a metre


def test_rings_are_wound_for_vega_and_holes_islands_kept():
    uit = grenzen.voor_vega(_collectie())
    for f in uit["features"]:
        for poly in _ringen(f["geometry"]):
            buiten, *gaten = [np.array(r) for r in poly]
            assert grenzen._oppervlak(buiten) < 0  # clockwise, as d3-geo wants
            assert all(grenzen._oppervlak(g) > 0 for g in gaten)
            assert all(np.allclose(r[0], r[-1]) for r in [buiten, *gaten])
    haven, eilanden, _ = uit["features"]
    assert len(_ringen(haven["geometry"])[0]) == 2  # the lake is still a hole
    assert eilanden["geometry"]["type"] == "MultiPolygon" and len(eilanden["geometry"]["coordinates"]) == 2
    lon, lat = np.array(_ringen(haven["geometry"])[0][0]).T
    assert 5.1 < lon.min() < lon.max() < 5.3 and 52.3 < lat.min() < lat.max() < 52.4  # Almere, in degrees


def test_either_ring_order_gives_the_same_map():
    omgekeerd = _collectie()
    for f in omgekeerd["features"]:
        for poly in _ringen(f["geometry"]):
            for k, ring in enumerate(poly):
                poly[k] = ring[::-1]
    assert grenzen.voor_vega(omgekeerd) == grenzen.voor_vega(_collectie())


def test_simplification_drops_points_on_a_line_and_keeps_corners():
    ring = [[5.0 + 0.001 * i, 52.0] for i in range(11)] + [[5.01, 52.01], [5.0, 52.01], [5.0, 52.0]]
    uit = grenzen._vereenvoudig(np.array(ring), grenzen.TOLERANTIE_GRADEN)
    assert len(uit) == 5 and {tuple(p) for p in uit} == {(5.0, 52.0), (5.01, 52.0), (5.01, 52.01), (5.0, 52.01)}


def _gpkg(pad, collectie):
    """A GeoPackage as the CBS/PDOK download holds it: layer 'wijken', 'GP' header with envelope, WKB."""
    con = sqlite3.connect(pad)
    con.executescript("""
        CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY, data_type TEXT, identifier TEXT, srs_id INTEGER);
        CREATE TABLE gpkg_geometry_columns (table_name TEXT, column_name TEXT, geometry_type_name TEXT,
                                            srs_id INTEGER, z INTEGER, m INTEGER);
        CREATE TABLE buurten (fid INTEGER PRIMARY KEY, geom BLOB, buurtcode TEXT);
        CREATE TABLE wijken (fid INTEGER PRIMARY KEY, geom BLOB, wijkcode TEXT, wijknaam TEXT, gemeentecode TEXT);
        INSERT INTO gpkg_contents VALUES ('buurten', 'features', 'buurten', 28992), ('wijken', 'features', 'wijken', 28992);
        INSERT INTO gpkg_geometry_columns VALUES ('buurten', 'geom', 'MULTIPOLYGON', 28992, 0, 0),
                                                 ('wijken', 'geom', 'MULTIPOLYGON', 28992, 0, 0);
    """)

    def wkb_poly(rings):
        b = struct.pack("<BII", 1, 3, len(rings))
        for r in rings:
            b += struct.pack("<I", len(r)) + np.asarray(r, "<f8").tobytes()
        return b

    for i, f in enumerate(collectie["features"]):
        polys = _ringen(f["geometry"])
        wkb = struct.pack("<BII", 1, 6, len(polys)) + b"".join(wkb_poly(p) for p in polys)
        punten = np.concatenate([np.asarray(r) for p in polys for r in p])
        envelop = struct.pack("<4d", punten[:, 0].min(), punten[:, 0].max(), punten[:, 1].min(), punten[:, 1].max())
        blob = b"GP" + bytes([0, 0b00000011]) + struct.pack("<i", 28992) + envelop + wkb  # little endian, xy envelope
        con.execute("INSERT INTO wijken VALUES (?, ?, ?, ?, 'GM0034')",
                    (i + 1, blob, f["properties"]["wijkcode"], f["properties"]["wijknaam"]))
    con.commit()
    con.close()


def test_geopackage_as_downloaded(tmp_path):
    pad = tmp_path / "wijkenbuurten_2024_v1.gpkg"
    _gpkg(pad, _collectie())
    uit = kaart.lees_geojson(pad)
    assert [f["properties"]["wijkcode"] for f in uit["features"]] == [c for c, _ in WIJKEN]
    assert [f["geometry"] for f in uit["features"]] == [f["geometry"] for f in grenzen.voor_vega(_collectie())["features"]]


def test_geopackage_errors_in_dutch(tmp_path):
    from duiding.exceptions import InvoerFout
    kapot = tmp_path / "kapot.gpkg"
    kapot.write_bytes(b"geen sqlite")
    with pytest.raises(InvoerFout, match="GeoPackage kan niet gelezen worden"):
        kaart.lees_geojson(kapot)


def _tabel(waarden) -> pd.DataFrame:
    return pd.DataFrame({"indicator": "bereik", "per": "wijk", "groep": [c for c, _ in WIJKEN], "periode": "2024-Q4",
                         "maat": "per_1000_jeugd", "waarde": waarden, "status": ""})


@pytest.mark.parametrize("bron", ["geojson", "gpkg"])
def test_each_wijk_covers_only_its_own_part_of_the_map(tmp_path, browser, bron):
    """In Chromium: every drawn wijk is about a third of the map wide, west to east, none the whole map."""
    if bron == "gpkg":
        pad = tmp_path / "wijken.gpkg"
        _gpkg(pad, _collectie())
    else:
        pad = tmp_path / "wijken.geojson"
        pad.write_text(json.dumps(_collectie()), encoding="utf-8")
    wijken = pd.DataFrame({"wijk_code": [c for c, _ in WIJKEN], "naam": [n for _, n in WIJKEN]})
    chart = kaart.choropleet(_tabel([12.5, 30.0, 48.0]), wijken, kaart.lees_geojson(pad), Kader("Almere", "Bron: test"))
    page = browser.new_page()
    page.set_content(f"<html><body>{svg(chart.to_dict())}</body></html>")
    vakken = page.evaluate("""() => [...document.querySelectorAll('svg path')]
        .filter(p => p.closest('.mark-shape'))
        .map(p => { const b = p.getBBox(); return [b.x, b.y, b.width, b.height]; })""")
    page.close()
    assert len(vakken) == 3
    breedte = max(x + w for x, _, w, _ in vakken) - min(x for x, _, _, _ in vakken)
    for x, y, w, h in vakken:
        assert 0.25 * breedte < w < 0.40 * breedte  # its own third, not the whole map
    links = [x for x, _, _, _ in vakken]
    assert links == sorted(links)  # Haven, Eilanden, Polder from west to east
    hoogte = [h for _, _, _, h in vakken]
    assert hoogte[1] > 1.2 * hoogte[0]  # the island north of Eilanden is drawn with it


def test_duiding_wijken_from_boundaries_lays_tiles_as_the_map(tmp_path):
    """Six wijken in two rows of three (RD New, GeoPackage): the tiles follow north-south and west-east."""
    features = []
    for i in range(6):
        rij, kol = divmod(i, 3)
        x, y = X0 + 2000 * kol, Y0 - 2000 * rij  # row 0 is the northern one
        features.append({"type": "Feature", "properties": {"wijkcode": f"WK00340{i}", "wijknaam": f"Wijk {i}"},
                         "geometry": {"type": "Polygon", "coordinates": [_vierkant(x, y, 2000)]}})
    pad = tmp_path / "wijkenbuurten.gpkg"
    _gpkg(pad, {"type": "FeatureCollection", "features": features})
    from duiding.cli import main
    uit = tmp_path / "wijken.csv"
    assert main(["wijken", str(pad), "--uitvoer", str(uit)]) == 0
    df = pd.read_csv(uit, dtype={"wijk_code": str})
    assert list(df.columns) == ["wijk_code", "naam", "tegel_rij", "tegel_kolom", "lat", "lon"]
    pos = {c: (r, k) for c, r, k in zip(df["wijk_code"], df["tegel_rij"], df["tegel_kolom"])}
    assert pos == {f"WK00340{i}": divmod(i, 3) for i in range(6)}
    assert df.loc[df["wijk_code"] == "WK003404", "naam"].iloc[0] == "Wijk 4"
    # the centre of each square, in WGS84, for nabijheid (a square's centre: its corner + 1 km each way)
    midden = grenzen.rd_naar_wgs84(np.array([[X0 + 2000 * 1 + 1000, Y0 - 2000 * 1 + 1000]]))[0]
    rij = df[df["wijk_code"] == "WK003404"].iloc[0]
    assert (rij["lon"], rij["lat"]) == pytest.approx(tuple(midden), abs=2e-4)


STATLINE_TWEE = '''"ID";"WijkenEnBuurten";"Gemeentenaam_1";"SoortRegio_2";"Codering_3";"k_0Tot15Jaar_8";"k_15Tot25Jaar_9"
"0";"Almere";"Almere                                  ";"Gemeente  ";"GM0034    ";"   40000";"   25000"
"1";"Almere-Haven";"Almere                                  ";"Wijk      ";"WK003401  ";"    3000";"    2000"
"2";"Centrum Almere-Haven";"Almere                                  ";"Buurt     ";"BU00340101";"     300";"     200"
"3";"Almere-Stad";"Almere                                  ";"Wijk      ";"WK003402  ";"   20000";"   12000"
"4";"Wijk 00 Lelystad";"Lelystad                                ";"Wijk      ";"WK099500  ";"    5000";"    3000"
'''


def test_duiding_wijken_from_a_cbs_export(tmp_path, capsys):
    pad = tmp_path / "CBS_Kerncijfers.csv"
    pad.write_text("\ufeff" + STATLINE_TWEE, encoding="utf-8")
    from duiding.cli import main
    uit = tmp_path / "wijken.csv"
    assert main(["wijken", str(pad), "--uitvoer", str(uit)]) == 2  # two gemeenten: which one?
    assert "--gemeente" in capsys.readouterr().err and not uit.exists()
    assert main(["wijken", str(pad), "--gemeente", "Almere", "--uitvoer", str(uit)]) == 0
    df = pd.read_csv(uit, dtype={"wijk_code": str})
    assert list(df["wijk_code"]) == ["WK003401", "WK003402"] and list(df["naam"]) == ["Almere-Haven", "Almere-Stad"]
    assert "geen ligging" in capsys.readouterr().err
    assert main(["wijken", str(pad), "--gemeente", "GM0995", "--uitvoer", str(uit)]) == 0
    assert list(pd.read_csv(uit)["naam"]) == ["Wijk 00 Lelystad"]


def test_duiding_wijken_for_a_region_keeps_every_gemeente_and_names_them(tmp_path, capsys):
    """A region's analyst: one CBS export, two gemeenten, wijken.csv with their codes and gemeenten.csv."""
    pad = tmp_path / "CBS_Kerncijfers.csv"
    pad.write_text("\ufeff" + STATLINE_TWEE, encoding="utf-8")
    from duiding.cli import main
    uit = tmp_path / "wijken.csv"
    assert main(["wijken", str(pad), "--gemeente", "Almere,GM0995", "--uitvoer", str(uit)]) == 0
    df = pd.read_csv(uit, dtype=str)
    assert list(df["wijk_code"]) == ["WK003401", "WK003402", "WK099500"]
    assert list(df["gemeente_code"]) == ["GM0034", "GM0034", "GM0995"]
    namen = pd.read_csv(tmp_path / "gemeenten.csv", dtype=str)
    assert dict(zip(namen["gemeente_code"], namen["naam"])) == {"GM0034": "Almere", "GM0995": "Lelystad"}
    assert main(["wijken", str(pad), "--gemeente", "Almere", "--gemeente", "Urk", "--uitvoer", str(uit)]) == 2
    assert "Urk" in capsys.readouterr().err
