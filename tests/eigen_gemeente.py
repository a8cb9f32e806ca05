"""A second gemeente's downloads, in the shapes their publishers give them: Rotterdam (GM0599).

What is real: the gemeente's CBS code and name, the twelve wijk codes and names of the CBS
wijkindeling (WK059901 Stadscentrum … WK059916 Hoogvliet), the file layouts and column names
of the CBS/PDOK *Wijk- en buurtkaart* GeoPackage and of the StatLine export of *Kerncijfers
wijken en buurten*. What is reconstructed: the boundaries (cells around each wijk's rough
position in RD New metres, with the Kralingse Plas as a hole) and the inhabitants (rounded
figures of the right size, not CBS's). The care data are the kit's own fictitious sample,
re-coded to these wijken and written as a gemeente's own export (other column names, Dutch
dates, its own label for a reden beëindiging), so that only duiding.toml maps it.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import struct
import zlib
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.spatial import Voronoi

GEMEENTE = ("GM0599", "Rotterdam")
# code, name, rough position (RD New x, y in metres), inhabitants 2022 (rounded, reconstructed)
WIJKEN = [
    ("WK059901", "Stadscentrum", 92_700, 437_400, 37_000),
    ("WK059903", "Delfshaven", 89_600, 436_300, 75_000),
    ("WK059904", "Overschie", 89_300, 441_200, 19_000),
    ("WK059905", "Noord", 92_400, 439_200, 52_000),
    ("WK059906", "Hillegersberg-Schiebroek", 92_300, 441_900, 43_000),
    ("WK059908", "Kralingen-Crooswijk", 95_300, 438_300, 54_000),
    ("WK059910", "Feijenoord", 94_300, 434_900, 76_000),
    ("WK059912", "IJsselmonde", 97_400, 433_600, 60_000),
    ("WK059913", "Pernis", 84_700, 434_100, 5_000),
    ("WK059914", "Prins Alexander", 99_200, 440_300, 96_000),
    ("WK059915", "Charlois", 90_800, 432_600, 70_000),
    ("WK059916", "Hoogvliet", 82_300, 431_000, 35_000),
]
# the city's rough outline (convex, RD New), counter-clockwise
OMTREK = [(80_500, 429_000), (100_500, 430_500), (102_000, 438_500), (99_000, 443_500),
          (88_000, 443_500), (80_500, 436_000)]
KRALINGSE_PLAS = [(95_600, 438_600), (96_400, 438_600), (96_400, 439_300), (95_600, 439_300)]
# the kit's sample wijken (Utrecht) onto ten of Rotterdam's; Pernis and Hoogvliet get clients moved over
HERCODERING = dict(zip([f"WK0344{i:02d}" for i in range(1, 11)],
                       ["WK059901", "WK059903", "WK059904", "WK059905", "WK059906", "WK059908",
                        "WK059910", "WK059912", "WK059914", "WK059915"]))
EXPORT_KOLOMMEN = {"client_id": "Clientnummer", "traject_id": "Trajectnummer", "wijk_code": "Wijkcode",
                   "startdatum": "Begindatum", "einddatum": "Einddatum", "aanmelddatum": "Aanmelddatum",
                   "reden_beeindiging": "Reden einde"}
EIGEN_REDEN = ("31", "Afgerond volgens plan")


def _oppervlak(ring) -> float:
    x, y = np.asarray(ring, float).T
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y))


def _knip(cel, omtrek):
    """Sutherland-Hodgman: the part of a convex cell inside the convex outline (both counter-clockwise)."""
    uit = list(cel)
    for a, b in zip(omtrek, omtrek[1:] + omtrek[:1]):
        invoer, uit = uit, []
        binnen = lambda p: (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]) >= 0  # noqa: E731
        for p, q in zip(invoer, invoer[1:] + invoer[:1]):
            if binnen(q):
                if not binnen(p):
                    uit.append(_snij(p, q, a, b))
                uit.append(q)
            elif binnen(p):
                uit.append(_snij(p, q, a, b))
    return uit


def _snij(p, q, a, b):
    x1, y1, x2, y2 = *p, *q
    x3, y3, x4, y4 = *a, *b
    d = (x1 - x2) * (y3 - y4) - (y1 - y2) * (x3 - x4)
    t = ((x1 - x3) * (y3 - y4) - (y1 - y3) * (x3 - x4)) / d
    return (x1 + t * (x2 - x1), y1 + t * (y2 - y1))


def cellen() -> dict[str, list]:
    """Each wijk's outer ring (RD New, counter-clockwise, closed), the city's outline cut in cells."""
    punten = np.array([(x, y) for _, _, x, y, _ in WIJKEN], float)
    x0, y0 = np.min(OMTREK, axis=0) - 1000
    x1, y1 = np.max(OMTREK, axis=0) + 1000
    spiegels = [punten, punten * [-1, 1] + [2 * x0, 0], punten * [-1, 1] + [2 * x1, 0],
                punten * [1, -1] + [0, 2 * y0], punten * [1, -1] + [0, 2 * y1]]
    vor = Voronoi(np.concatenate(spiegels))
    uit = {}
    for i, (code, *_rest) in enumerate(WIJKEN):
        cel = [tuple(vor.vertices[v]) for v in vor.regions[vor.point_region[i]]]
        if _oppervlak(cel) < 0:
            cel = cel[::-1]
        ring = [(round(x, 1), round(y, 1)) for x, y in _knip(cel, OMTREK)]
        uit[code] = [list(p) for p in ring + ring[:1]]
    return uit


def geometrieen() -> dict[str, dict]:
    """GeoJSON geometries in RD New, RFC 7946 ring order (outer counter-clockwise, holes clockwise)."""
    geo = {code: {"type": "Polygon", "coordinates": [ring]} for code, ring in cellen().items()}
    plas = [list(p) for p in KRALINGSE_PLAS[::-1] + KRALINGSE_PLAS[-1:]]  # clockwise, closed
    geo["WK059908"]["coordinates"].append(plas)
    return geo


def _wkb_multi(rings_per_poly) -> bytes:
    b = struct.pack("<BII", 1, 6, len(rings_per_poly))
    for rings in rings_per_poly:
        b += struct.pack("<BII", 1, 3, len(rings))
        for r in rings:
            b += struct.pack("<I", len(r)) + np.asarray(r, "<f8").tobytes()
    return b


def wijkenbuurtkaart(pad: Path) -> Path:
    """The CBS/PDOK GeoPackage as downloaded: layers gemeenten, wijken, buurten; RD New; MULTIPOLYGON.

    Rings here run clockwise outside (as the shapefile tradition that CBS's tools keep), the
    opposite of the GeoJSON file: the kit must draw both the same.
    """
    con = sqlite3.connect(pad)
    con.executescript("""
        CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT, srs_id INTEGER PRIMARY KEY, organization TEXT,
            organization_coordsys_id INTEGER, definition TEXT, description TEXT);
        INSERT INTO gpkg_spatial_ref_sys VALUES ('Amersfoort / RD New', 28992, 'EPSG', 28992, '', '');
        CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY, data_type TEXT, identifier TEXT,
            description TEXT, srs_id INTEGER);
        CREATE TABLE gpkg_geometry_columns (table_name TEXT, column_name TEXT, geometry_type_name TEXT,
            srs_id INTEGER, z INTEGER, m INTEGER);
        CREATE TABLE gemeenten (fid INTEGER PRIMARY KEY, geom BLOB, gemeentecode TEXT, gemeentenaam TEXT,
            water TEXT, aantal_inwoners INTEGER);
        CREATE TABLE wijken (fid INTEGER PRIMARY KEY, geom BLOB, wijkcode TEXT, wijknaam TEXT, gemeentecode TEXT,
            gemeentenaam TEXT, water TEXT, aantal_inwoners INTEGER);
        CREATE TABLE buurten (fid INTEGER PRIMARY KEY, geom BLOB, buurtcode TEXT, buurtnaam TEXT, wijkcode TEXT,
            gemeentecode TEXT);
    """)
    for laag in ("gemeenten", "wijken", "buurten"):
        con.execute("INSERT INTO gpkg_contents VALUES (?, 'features', ?, '', 28992)", (laag, f"cbs_{laag}_2024"))
        con.execute("INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', 'MULTIPOLYGON', 28992, 0, 0)", (laag,))
    inwoners = {c: n for c, _, _, _, n in WIJKEN}
    for i, (code, geo) in enumerate(geometrieen().items()):
        rings = [r[::-1] for r in geo["coordinates"]]  # outer clockwise, hole counter-clockwise
        punten = np.concatenate([np.asarray(r) for r in rings])
        envelop = struct.pack("<4d", punten[:, 0].min(), punten[:, 0].max(), punten[:, 1].min(), punten[:, 1].max())
        blob = b"GP" + bytes([0, 0b00000011]) + struct.pack("<i", 28992) + envelop + _wkb_multi([rings])
        naam = dict((c, n) for c, n, *_ in WIJKEN)[code]
        con.execute("INSERT INTO wijken VALUES (?, ?, ?, ?, ?, ?, 'NEE', ?)",
                    (i + 1, blob, code, naam, *GEMEENTE, inwoners[code]))
        con.execute("INSERT INTO buurten VALUES (?, ?, ?, ?, ?, ?)",
                    (i + 1, blob, f"BU{code[2:]}01", f"{naam}-Centrum", code, GEMEENTE[0]))
    con.commit()
    con.close()
    return pad


def grenzen_geojson(pad: Path) -> Path:
    """The same wijken as GeoJSON in WGS84-less RD metres, RFC 7946 ring order, `statcode`/`statnaam`."""
    namen = {c: n for c, n, *_ in WIJKEN}
    pad.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"statcode": c, "statnaam": namen[c], "jrstatcode": f"2024{c}"},
         "geometry": g} for c, g in geometrieen().items()]}), encoding="utf-8")
    return pad


KOP = ('"ID";"WijkenEnBuurten";"Gemeentenaam_1";"SoortRegio_2";"Codering_3";"IndelingswijzigingWijkenEnBuurten_4";'
       '"AantalInwoners_5";"Mannen_6";"Vrouwen_7";"k_0Tot15Jaar_8";"k_15Tot25Jaar_9";"k_25Tot45Jaar_10";'
       '"k_45Tot65Jaar_11";"k_65JaarOfOuder_12"')


def _veld(tekst, breedte: int) -> str:
    return f'"{str(tekst):<{breedte}}"'


def _getal(n) -> str:
    return '"       ."' if n is None else f'"{int(n):>8}"'


def kerncijfers(map: Path, jaren=(2022, 2023, 2024)) -> list[Path]:
    """StatLine's CSV download of *Kerncijfers wijken en buurten*, one file per year.

    As downloaded: BOM, `;`, every value quoted, text padded with spaces, a Nederland row,
    the gemeente row, its wijken and some buurten, a secret figure as `.`.
    """
    paden = []
    for j, jaar in enumerate(jaren):
        regels = [KOP]
        rijen = [("Nederland", "Nederland", "Land", "NL00", 17_800_000 + 100_000 * j)]
        rijen.append((GEMEENTE[1], GEMEENTE[1], "Gemeente", GEMEENTE[0], sum(n for *_, n in WIJKEN) * 1.005 ** j))
        for code, naam, _x, _y, n in WIJKEN:
            rijen.append((naam, GEMEENTE[1], "Wijk", code, n * 1.005 ** j))
            rijen.append((f"{naam}-Centrum", GEMEENTE[1], "Buurt", f"BU{code[2:]}01", n / 6))
        for i, (naam, gem, soort, code, n) in enumerate(rijen):
            n = round(n)
            jong, tiener = round(0.16 * n), round(0.125 * n)
            oud = round(0.15 * n)
            midden = n - jong - tiener - oud
            waarden = [n, n // 2, n - n // 2, jong, tiener, midden // 2, midden - midden // 2, oud]
            if soort == "Buurt" and i % 4 == 0:
                waarden[1] = None  # CBS keeps a small figure secret: "."
            regels.append(";".join([f'"{i}"', f'"{naam}"', _veld(gem, 40), _veld(soort, 10), _veld(code, 10),
                                    '"1"' if soort != "Land" else '"."']
                                   + [_getal(w) for w in waarden]))
        pad = map / f"Kerncijfers_wijken_en_buurten_{jaar}_24112026_093512.csv"
        pad.write_bytes(("\ufeff" + "\r\n".join(regels) + "\r\n").encode("utf-8"))
        paden.append(pad)
    return paden


def _zorgexport(trajecten: pd.DataFrame, pad: Path) -> None:
    """The gemeente's own export: its own column names, dd-mm-jjjj, its label for reden 31, `;` and BOM."""
    df = trajecten.copy()
    df["wijk_code"] = df["wijk_code"].map(HERCODERING)
    nummer = pd.to_numeric(df["client_id"].astype(str).str.extract(r"(\d+)")[0], errors="coerce").fillna(0)
    df.loc[(df["wijk_code"] == "WK059915") & (nummer % 3 == 0), "wijk_code"] = "WK059916"  # to Hoogvliet
    df.loc[(df["wijk_code"] == "WK059904") & (nummer % 4 == 0), "wijk_code"] = "WK059913"  # to Pernis
    for kol in ("startdatum", "einddatum", "aanmelddatum"):
        df[kol] = pd.to_datetime(df[kol]).dt.strftime("%d-%m-%Y").fillna("")
    df["reden_beeindiging"] = df["reden_beeindiging"].astype(str).replace({EIGEN_REDEN[0]: EIGEN_REDEN[1]})
    df = df.rename(columns=EXPORT_KOLOMMEN)
    pad.write_text("\ufeff" + df.to_csv(sep=";", index=False), encoding="utf-8")


DUIDING_TOML = """\
# duiding.toml of the gemeente: where its files are, and how its own export maps to the contract
data = "data"
geojson = "downloads/wijkenbuurten_2024_v3.gpkg"
privacy = "intern"

[koppeling.trajecten]
bestand = "zorgexport.csv"
datumformaat = "%d-%m-%Y"

[koppeling.trajecten.kolommen]
{kolommen}

[koppeling.trajecten.waarden.reden_beeindiging]
"{label}" = "{code}"
"""


def bouw(werk: Path, voorbeeld: Path) -> Path:
    """A gemeente's working folder as the README walkthrough leaves it, before `duiding wijken`.

    `voorbeeld`: a data folder made by `duiding voorbeelddata` (its care data are re-coded).
    """
    downloads, data = werk / "downloads", werk / "data"
    downloads.mkdir(parents=True)
    data.mkdir()
    wijkenbuurtkaart(downloads / "wijkenbuurten_2024_v3.gpkg")
    grenzen_geojson(downloads / "wijken_2024.geojson")
    kerncijfers(data)
    _zorgexport(pd.read_csv(voorbeeld / "trajecten.csv", dtype=str, keep_default_na=False), data / "zorgexport.csv")
    ervaringen = pd.read_csv(voorbeeld / "ervaringen.csv", dtype=str, keep_default_na=False)
    ervaringen["wijk_code"] = ervaringen["wijk_code"].map(HERCODERING).fillna("")
    ervaringen.to_csv(data / "ervaringen.csv", index=False)
    for naam in ("aanbieders.csv", "budget.csv", "realisatie.csv"):
        shutil.copy(voorbeeld / naam, data / naam)
    (data / "bron.toml").write_text('naam = "zorgexport van de gemeente (testgegevens)"\nfictief = true\n',
                                    encoding="utf-8")
    kolommen = "\n".join(f'"{eigen}" = "{contract}"' for contract, eigen in EXPORT_KOLOMMEN.items())
    (werk / "duiding.toml").write_text(DUIDING_TOML.format(kolommen=kolommen, label=EIGEN_REDEN[1],
                                                           code=EIGEN_REDEN[0]), encoding="utf-8")
    return werk


def png_grootte(pad: Path) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR, checking the signature and the header's CRC."""
    b = pad.read_bytes()
    assert b[:8] == b"\x89PNG\r\n\x1a\n" and b[12:16] == b"IHDR"
    assert struct.unpack(">I", b[29:33])[0] == zlib.crc32(b[12:29])
    return struct.unpack(">II", b[16:24])
