"""Wijk boundaries as users get them, made ready for a web map.

Accepted: GeoJSON (RFC 7946, or the older habit of clockwise outer rings), Polygons and
MultiPolygons with holes and islands, in WGS84 or in RD New (EPSG:28992, as in CBS/PDOK
files); and the CBS/PDOK "Wijk- en buurtkaart" GeoPackage as downloaded (layer with
wijken, RD New). The result is a GeoJSON FeatureCollection in WGS84 whose rings wind as
Vega (d3-geo) wants them: outer rings clockwise, holes counter-clockwise, the reverse
of RFC 7946. Without that, d3-geo reads every wijk as "the whole world minus the wijk"
and each shape covers the whole map.

RD New to WGS84 uses the published polynomial approximation of Schreutelkamp and
Strang van Hees (accurate to about a metre within the Netherlands), so no projection
library is needed. Rings are simplified (Douglas-Peucker, about 5 m) for the web.
"""

from __future__ import annotations

import sqlite3
import struct
from pathlib import Path

import numpy as np

# the matched property, in the order they are tried (CBS wijkkaart, PDOK, older CBS files, own files)
CODE_EIGENSCHAPPEN = ("statcode", "wijkcode", "WK_CODE", "wijk_code")
NAAM_EIGENSCHAPPEN = ("statnaam", "wijknaam", "WK_NAAM", "naam")
TOLERANTIE_GRADEN = 0.00005  # about 5 m

# RD New -> WGS84: phi/lambda = base + sum coef * dX^p * dY^q / 3600 (dX, dY in 100 km from Amersfoort)
_RD_X0, _RD_Y0 = 155000.0, 463000.0
_PHI0, _LAM0 = 52.15517440, 5.38720621
_K = ((0, 1, 3235.65389), (2, 0, -32.58297), (0, 2, -0.24750), (2, 1, -0.84978), (0, 3, -0.06550),
      (2, 2, -0.01709), (1, 0, -0.00738), (4, 0, 0.00530), (2, 3, -0.00039), (4, 1, 0.00033), (1, 1, -0.00012))
_L = ((1, 0, 5260.52916), (1, 1, 105.94684), (1, 2, 2.45656), (3, 0, -0.81885), (1, 3, 0.05594),
      (3, 1, -0.05607), (0, 1, 0.01199), (3, 2, -0.00256), (1, 4, 0.00128), (0, 2, 0.00022), (2, 0, -0.00022),
      (5, 0, 0.00026))


def rd_naar_wgs84(xy: np.ndarray) -> np.ndarray:
    """RD New (x, y in metres) to WGS84 (longitude, latitude in degrees)."""
    xy = np.asarray(xy, float)
    dx, dy = (xy[:, 0] - _RD_X0) * 1e-5, (xy[:, 1] - _RD_Y0) * 1e-5
    phi = _PHI0 + sum(c * dx**p * dy**q for p, q, c in _K) / 3600
    lam = _LAM0 + sum(c * dx**p * dy**q for p, q, c in _L) / 3600
    return np.column_stack([lam, phi])


def is_rd(punten: np.ndarray) -> bool:
    """Coordinates in metres within the RD New extent rather than degrees."""
    return bool(len(punten)) and punten[:, 0].min() > 180 and 250_000 < punten[:, 1].mean() < 650_000


def _oppervlak(ring: np.ndarray) -> float:
    """Signed area (shoelace): positive when the ring runs counter-clockwise."""
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def _vereenvoudig(ring: np.ndarray, tol: float) -> np.ndarray:
    """Douglas-Peucker on a closed ring; keeps at least four points."""
    if len(ring) <= 5 or tol <= 0:
        return ring
    houd = np.zeros(len(ring), bool)
    houd[0] = houd[-1] = True
    # split a closed ring at its farthest point from the start, so both halves are open lines
    ver = int(np.argmax(((ring - ring[0]) ** 2).sum(axis=1)))
    houd[ver] = True
    stapel = [(0, ver), (ver, len(ring) - 1)]
    while stapel:
        a, b = stapel.pop()
        if b - a < 2:
            continue
        p, q = ring[a], ring[b]
        d = q - p
        tussen = ring[a + 1:b]
        lengte = np.hypot(*d)
        if lengte == 0:
            afstand = np.hypot(*(tussen - p).T)
        else:
            afstand = np.abs(d[0] * (tussen[:, 1] - p[1]) - d[1] * (tussen[:, 0] - p[0])) / lengte
        i = int(np.argmax(afstand))
        if afstand[i] > tol:
            houd[a + 1 + i] = True
            stapel += [(a, a + 1 + i), (a + 1 + i, b)]
    uit = ring[houd]
    return uit if len(uit) >= 4 else ring


def _polygonen(geometrie: dict) -> list[list[np.ndarray]]:
    soort = (geometrie or {}).get("type")
    if soort == "Polygon":
        delen = [geometrie["coordinates"]]
    elif soort == "MultiPolygon":
        delen = geometrie["coordinates"]
    else:
        return []
    return [[np.asarray(r, float)[:, :2] for r in poly if len(r) >= 4] for poly in delen]


def voor_vega(collectie: dict, tol: float = TOLERANTIE_GRADEN) -> dict:
    """The collection in WGS84, rings wound for d3-geo, simplified; other geometry types left out."""
    alle = [r for f in collectie.get("features", []) for poly in _polygonen(f.get("geometry")) for r in poly]
    rd = is_rd(np.concatenate(alle)) if alle else False
    features = []
    for f in collectie.get("features", []):
        polygonen = []
        for poly in _polygonen(f.get("geometry")):
            ringen = []
            for k, ring in enumerate(poly):
                if rd:
                    ring = rd_naar_wgs84(ring)
                ring = _vereenvoudig(ring, tol)
                buiten = k == 0
                # d3-geo: outer rings clockwise (negative planar area), holes counter-clockwise
                if (_oppervlak(ring) > 0) == buiten:
                    ring = ring[::-1]
                ringen.append(np.round(ring, 6).tolist())
            if ringen:
                polygonen.append(ringen)
        if not polygonen:
            continue
        geometrie = ({"type": "Polygon", "coordinates": polygonen[0]} if len(polygonen) == 1
                     else {"type": "MultiPolygon", "coordinates": polygonen})
        features.append({"type": "Feature", "properties": dict(f.get("properties") or {}), "geometry": geometrie})
    return {"type": "FeatureCollection", "features": features}


# ---------------------------------------------------------------- GeoPackage (CBS/PDOK wijk- en buurtkaart)

def _wkb(buf: bytes, pos: int = 0) -> tuple[dict, int]:
    """One WKB geometry (Polygon or MultiPolygon, 2D or with Z/M) -> (GeoJSON geometry, next position)."""
    orde = "<" if buf[pos] == 1 else ">"
    soort = struct.unpack_from(orde + "I", buf, pos + 1)[0]
    pos += 5
    dims = 2
    if soort & 0x80000000 or soort & 0x40000000:  # EWKB flags for Z / M
        dims += bool(soort & 0x80000000) + bool(soort & 0x40000000)
        soort &= 0x0FFFFFFF
    elif soort > 1000:  # ISO: 1003 = Polygon Z, 2003 = Polygon M, 3003 = Polygon ZM
        dims += {1: 1, 2: 1, 3: 2}[soort // 1000]
        soort %= 1000

    def ringen(pos):
        n = struct.unpack_from(orde + "I", buf, pos)[0]
        pos += 4
        uit = []
        for _ in range(n):
            m = struct.unpack_from(orde + "I", buf, pos)[0]
            pos += 4
            punten = np.frombuffer(buf, dtype=orde + "f8", count=m * dims, offset=pos).reshape(m, dims)[:, :2]
            pos += 8 * m * dims
            uit.append(punten.tolist())
        return uit, pos

    if soort == 3:
        r, pos = ringen(pos)
        return {"type": "Polygon", "coordinates": r}, pos
    if soort == 6:
        n = struct.unpack_from(orde + "I", buf, pos)[0]
        pos += 4
        delen = []
        for _ in range(n):
            g, pos = _wkb(buf, pos)
            delen.append(g["coordinates"])
        return {"type": "MultiPolygon", "coordinates": delen}, pos
    raise ValueError(f"geometrietype {soort} wordt niet ondersteund (alleen vlakken)")


def _gpkg_geometrie(blob: bytes) -> dict:
    """A GeoPackage geometry blob: 'GP' header (with an optional envelope), then WKB."""
    if blob[:2] != b"GP":
        raise ValueError("geen GeoPackage-geometrie")
    vlaggen = blob[3]
    envelop = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[(vlaggen >> 1) & 0b111]
    return _wkb(blob, 8 + envelop)[0]


def lees_geopackage(pad: Path, laag: str | None = None) -> dict:
    """The wijken layer of a GeoPackage as a GeoJSON FeatureCollection (in the file's own coordinates).

    Without `laag`, the first feature table whose name contains 'wijk' (CBS: 'wijken'),
    else the only feature table.
    """
    con = sqlite3.connect(f"file:{pad}?mode=ro", uri=True)
    try:
        tabellen = [r[0] for r in con.execute(
            "SELECT table_name FROM gpkg_contents WHERE data_type = 'features' ORDER BY table_name")]
        if laag is None:
            wijk = [t for t in tabellen if "wijk" in t.lower()]
            laag = wijk[0] if wijk else (tabellen[0] if len(tabellen) == 1 else None)
        if laag not in tabellen:
            raise ValueError(f"geen laag met wijken gevonden (lagen: {', '.join(tabellen) or 'geen'})")
        kolom = con.execute("SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?", (laag,)).fetchone()[0]
        cur = con.execute(f'SELECT * FROM "{laag}"')
        namen = [d[0] for d in cur.description]
        features = []
        for rij in cur:
            eigenschappen = {n: v for n, v in zip(namen, rij) if n != kolom and not isinstance(v, bytes)}
            blob = rij[namen.index(kolom)]
            if blob is None:
                continue
            features.append({"type": "Feature", "properties": eigenschappen, "geometry": _gpkg_geometrie(blob)})
        return {"type": "FeatureCollection", "features": features}
    finally:
        con.close()


def code_eigenschap(collectie: dict) -> str | None:
    """The property carrying the CBS wijk code (see CODE_EIGENSCHAPPEN)."""
    for k in CODE_EIGENSCHAPPEN:
        if any(k in (f.get("properties") or {}) for f in collectie.get("features", [])):
            return k
    return None
