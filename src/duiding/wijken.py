"""`duiding wijken`: wijken.csv from what a gemeente downloads, with a tile map laid out for it.

Sources: a boundary file (GeoJSON or the CBS/PDOK GeoPackage, see `duiding.grenzen`) or a
CBS Kerncijfers export. From boundaries the tile positions follow the wijken's centroids:
rows from north to south, and within a row the wijken from west to east, each on the
free column nearest to where it lies. A CBS export carries no geometry; its wijken are laid
out in code order on a near-square grid, and the command says so.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

from . import grenzen
from .controle.regels import gemeente_codes
from .exceptions import InvoerFout
from .iorw import atomair, lees_ruw


def _zwaartepunt(geometrie: dict) -> tuple[float, float]:
    """Area-weighted centroid of the outer rings (WGS84, planar on lon*cos(lat))."""
    som, sx, sy = 0.0, 0.0, 0.0
    for poly in grenzen._polygonen(geometrie):
        ring = poly[0]
        k = math.cos(math.radians(float(ring[:, 1].mean())))
        x, y = ring[:, 0] * k, ring[:, 1]
        kruis = x * np.roll(y, -1) - np.roll(x, -1) * y
        a = kruis.sum() / 2
        if a == 0:
            continue
        som += a
        sx += ((x + np.roll(x, -1)) * kruis).sum() / 6 / k
        sy += ((y + np.roll(y, -1)) * kruis).sum() / 6
    if som == 0:
        punten = np.concatenate([p[0] for p in grenzen._polygonen(geometrie)])
        return float(punten[:, 0].mean()), float(punten[:, 1].mean())
    return sx / som, sy / som


def tegels(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Tile (row, column) per wijk from centroids: about as many rows as columns, no two on one tile."""
    n = len(lon)
    if n == 0:
        return np.array([], int), np.array([], int)
    breedte = (lon.max() - lon.min()) * math.cos(math.radians(float(lat.mean()))) or 1.0
    hoogte = (lat.max() - lat.min()) or 1.0
    rijen = max(1, round(math.sqrt(n * hoogte / breedte)))
    kolommen = max(1, math.ceil(n / rijen))
    volgorde = np.argsort(-lat, kind="stable")  # north first
    rij = np.empty(n, int)
    for r, deel in enumerate(np.array_split(volgorde, rijen)):
        rij[deel] = r
    kolommen = max(kolommen, int(np.bincount(rij).max()))
    x = (lon - lon.min()) / ((lon.max() - lon.min()) or 1.0) * (kolommen - 1)
    kol = np.empty(n, int)
    for r in range(rijen):
        leden = sorted(np.flatnonzero(rij == r), key=lambda i: x[i])
        for i, c in zip(leden, _op_volgorde([x[i] for i in leden], kolommen)):
            kol[i] = c
    return rij, kol


# properties of the CBS/PDOK wijk layers (and their GeoJSON conversions) holding the gemeente's name
GEMEENTENAAM = ("gemeentenaam", "gm_naam", "gemeente_naam")


def _op_volgorde(xs: list[float], kolommen: int) -> list[int]:
    """Strictly increasing columns for positions sorted west to east, as close to them as possible.

    A small dynamic programme (positions x columns): west stays west of east, so a row
    never puts its easternmost wijk in the first column because nearer ones took the rest.
    """
    m = len(xs)
    kosten = np.full((m + 1, kolommen + 1), np.inf)
    kosten[0, :] = 0.0  # kosten[j, c]: best cost of the first j positions in columns < c
    for j in range(1, m + 1):
        for c in range(j, kolommen + 1):
            kosten[j, c] = min(kosten[j, c - 1], kosten[j - 1, c - 1] + abs(c - 1 - xs[j - 1]))
    uit, c = [], kolommen
    for j in range(m, 0, -1):
        while kosten[j, c] == kosten[j, c - 1] and c > j:
            c -= 1
        uit.append(c - 1)
        c -= 1
    return uit[::-1]


def uit_grenzen(collectie: dict, gemeente: str | None) -> pd.DataFrame:
    collectie = grenzen.voor_vega(collectie)
    code_kol = grenzen.code_eigenschap(collectie)
    if code_kol is None:
        raise InvoerFout("De wijkgrenzen hebben geen eigenschap met de CBS-wijkcode "
                         f"({', '.join(grenzen.CODE_EIGENSCHAPPEN)}).")
    rijen = []
    for f in collectie["features"]:
        p = f["properties"]
        code = str(p.get(code_kol, "")).strip()
        naam = next((str(p[k]).strip() for k in grenzen.NAAM_EIGENSCHAPPEN if p.get(k)), code)
        gemeente_naam = next((str(w).strip() for k, w in p.items() if w and k.lower() in GEMEENTENAAM), "")
        if code:
            rijen.append((code, naam, gemeente_naam, *_zwaartepunt(f["geometry"])))
    df = pd.DataFrame(rijen, columns=["wijk_code", "naam", "gemeente", "lon", "lat"])
    return _kies_gemeente(df, gemeente)


def uit_cbs(pad: Path, gemeente: str | None) -> pd.DataFrame:
    ruw = lees_ruw(pad)
    if ruw.probleem or not any(re.sub(r"[^a-z]", "", k.lower()).startswith("codering") for k in ruw.tabel.columns):
        raise InvoerFout(f"{pad}: geen CBS-export van Kerncijfers wijken en buurten. "
                         "Download de tabel als CSV van StatLine (met de kolommen Codering en SoortRegio).")
    t = ruw.tabel
    kol = list(t.columns)
    code_kol = next(k for k in kol if re.sub(r"[^a-z]", "", k.lower()).startswith("codering"))
    soort_kol = next((k for k in kol if re.sub(r"[^a-z]", "", k.lower()).startswith("soortregio")), None)
    naam_kol = next((k for k in kol if re.sub(r"[^a-z]", "", k.lower()) in ("wijkenenbuurten", "regios")), None)
    gem_kol = next((k for k in kol if re.sub(r"[^a-z]", "", k.lower()).startswith("gemeentenaam")), None)
    code = t[code_kol].str.strip()
    wijk = (t[soort_kol].str.strip().str.lower() == "wijk") if soort_kol else code.str.upper().str.startswith("WK")
    df = pd.DataFrame({"wijk_code": code, "naam": t[naam_kol].str.strip() if naam_kol else code,
                       "gemeente": t[gem_kol].str.strip() if gem_kol else ""})[wijk]
    df = df.drop_duplicates("wijk_code").reset_index(drop=True)
    df["lon"], df["lat"] = np.nan, np.nan
    return _kies_gemeente(df, gemeente)


def _kies_gemeente(df: pd.DataFrame, gemeente: str | list[str] | None) -> pd.DataFrame:
    """Keep one gemeente, or the gemeenten of a region: by CBS code (GM0034 / 0034) or by name.

    A choice is required when the file holds several gemeenten.
    """
    prefix = df["wijk_code"].str.upper().str.extract(r"^WK(\d{4})")[0]
    gekozen = [gemeente] if isinstance(gemeente, str) else list(gemeente or [])
    gekozen = [d.strip() for g in gekozen for d in g.split(",") if d.strip()]
    if gekozen:
        kies = pd.Series(False, index=df.index)
        for g in gekozen:
            m = re.fullmatch(r"(?i)(?:GM)?(\d{1,4})", g)
            if m:
                deze = prefix == m.group(1).zfill(4)
            elif df.get("gemeente", pd.Series(dtype=str)).ne("").any():
                deze = df["gemeente"].str.casefold() == g.casefold()
            else:
                raise InvoerFout(f"Gemeente '{g}': dit grenzenbestand noemt geen gemeentenamen; geef de "
                                 "CBS-code, bijvoorbeeld --gemeente GM0034.")
            if not deze.fillna(False).any():
                raise InvoerFout(f"Geen wijken van gemeente '{g}' gevonden. Controleer de code of naam.")
            kies |= deze.fillna(False)
        df = df[kies]
    elif prefix.nunique() > 1:
        codes = ", ".join(f"GM{p}" for p in sorted(prefix.dropna().unique())[:8])
        raise InvoerFout(f"Het bestand bevat wijken van meer dan één gemeente ({codes} …). "
                         "Kies er een met --gemeente, bijvoorbeeld --gemeente GM0034, of de gemeenten van een "
                         "regio met --gemeente GM0034,GM0363.")
    return df.sort_values("wijk_code").reset_index(drop=True)


def maak(bron: Path, gemeente: str | list[str] | None = None) -> tuple[pd.DataFrame, list[str]]:
    """The wijken.csv table for a boundary file or CBS export, and Dutch notes for the user.

    With boundaries the wijk's centre is kept (lat, lon) for nabijheid; for several
    gemeenten (a region) the gemeente_code too, and `gemeenten(df)` gives their names.
    """

    if bron.suffix.lower() in (".geojson", ".json", ".gpkg"):
        from .grafieken.kaart import lees_geojson  # the chart stack only when a boundaries file is read

        df = uit_grenzen(lees_geojson(bron), gemeente)
    else:
        df = uit_cbs(bron, gemeente)
    notities = []
    if df["lon"].notna().all() and len(df):
        df["tegel_rij"], df["tegel_kolom"] = tegels(df["lon"].to_numpy(), df["lat"].to_numpy())
    else:
        n = len(df)
        kolommen = max(1, math.ceil(math.sqrt(n)))
        df["tegel_rij"], df["tegel_kolom"] = np.arange(n) // kolommen, np.arange(n) % kolommen
        notities.append("de CBS-export heeft geen ligging: de tegels staan in volgorde van wijkcode. Gebruik een "
                        "grenzenbestand voor tegels op hun plek, of pas tegel_rij en tegel_kolom zelf aan.")
    kolommen = ["wijk_code", "naam", "tegel_rij", "tegel_kolom"]
    df["gemeente_code"] = gemeente_codes(df)
    if df["gemeente_code"].nunique() > 1:
        kolommen.append("gemeente_code")
    if df["lon"].notna().all() and len(df):
        df["lat"], df["lon"] = df["lat"].round(5), df["lon"].round(5)
        kolommen += ["lat", "lon"]
    uit = df[kolommen]
    uit.attrs["gemeenten"] = gemeenten_van(df)
    return uit, notities


def gemeenten_van(df: pd.DataFrame) -> pd.DataFrame:
    """gemeenten.csv for the gemeenten in a wijken table whose names the source gave."""
    if "gemeente" not in df or (df["gemeente_code"] == "").any():
        return pd.DataFrame(columns=["gemeente_code", "naam"])
    namen = df[df["gemeente"] != ""].drop_duplicates("gemeente_code")
    return namen[["gemeente_code", "gemeente"]].rename(columns={"gemeente": "naam"}).reset_index(drop=True)


def voeg_parser_toe(sub, functie) -> None:
    w = sub.add_parser("wijken", help="maak wijken.csv uit een grenzenbestand of een CBS-export, met een tegelkaart")
    w.add_argument("bron", type=Path, help="GeoJSON, GeoPackage (CBS/PDOK wijk- en buurtkaart) of CBS Kerncijfers-CSV")
    w.add_argument("--gemeente", metavar="CODE_OF_NAAM", action="append",
                   help="bijvoorbeeld GM0034 of Almere (nodig als het bestand meer gemeenten bevat); voor een regio "
                        "herhalen of met komma's: GM0654,GM0664")
    w.add_argument("--uitvoer", type=Path, default=Path("wijken.csv"), metavar="BESTAND",
                   help="standaard: ./wijken.csv")
    w.set_defaults(functie=functie)


def wijken_cli(args) -> int:
    import sys

    if not args.bron.exists():
        raise InvoerFout(f"{args.bron}: dit bestand bestaat niet.")
    df, notities = maak(args.bron, args.gemeente)
    with atomair(args.uitvoer, "w", encoding="utf-8", newline="") as f:
        df.to_csv(f, index=False)
    print(f"{len(df)} wijken geschreven naar {args.uitvoer}.")
    gemeenten = df.attrs.get("gemeenten")
    if "gemeente_code" in df and gemeenten is not None and len(gemeenten) > 1:
        pad = args.uitvoer.with_name("gemeenten.csv")
        with atomair(pad, "w", encoding="utf-8", newline="") as f:
            gemeenten.to_csv(f, index=False)
        print(f"{len(gemeenten)} gemeenten (namen) geschreven naar {pad}.")
    for n in notities:
        print(f"Let op: {n}", file=sys.stderr)
    return 0
