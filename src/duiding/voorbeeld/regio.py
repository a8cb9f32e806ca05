"""A fictitious region of twelve gemeenten that buy care together (`--schaal regio`).

Everything is invented: the gemeenten, their codes (GM9001-GM9012: CBS never gave out
9xxx), the wijken, the positions and the aanbieders' locations. The region has one
large gemeente, a few middle-sized ones and several small ones down to about 2.000
inhabitants, so that privacy protection of small gemeenten can be tested on it.
Positions are RD New (metres), in a made-up coastal area.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..grenzen import rd_naar_wgs84
from ..wijken import tegels
from .simulatie import AANBIEDERS, Wijken

REGIO_NAAM = "Regio Kustwaard"

# (code, naam, inhabitants, wijken, centre x, centre y): all invented
GEMEENTEN = [
    ("GM9001", "Havenstad", 108000, 6, 52000, 392000),
    ("GM9002", "Dijkwaard", 41500, 4, 31000, 384000),
    ("GM9003", "Polderveen", 37500, 3, 68000, 401000),
    ("GM9004", "Schorrewaard", 26500, 3, 44000, 408000),
    ("GM9005", "Kapeldijk", 22800, 3, 76000, 380000),
    ("GM9006", "Oesterveen", 16900, 2, 24000, 402000),
    ("GM9007", "Zilverkreek", 13800, 2, 60000, 372000),
    ("GM9008", "Molenpolder", 11200, 2, 86000, 395000),
    ("GM9009", "Veerhaven", 8900, 2, 37000, 368000),
    ("GM9010", "Gorsemonde", 6400, 2, 15000, 390000),
    ("GM9011", "Meeuwenhoek", 4100, 1, 94000, 410000),
    ("GM9012", "Slikkerdam", 2100, 1, 70000, 415000),
]
WIJKNAMEN = ["Centrum", "Noord", "Oost", "Zuid", "West", "Haven"]
# where the aanbieders are based: an index into GEMEENTEN, None: outside the region
VESTIGING = {"B01": 0, "B02": 0, "A01": 0, "A02": 1, "A03": 2, "A04": 0, "A05": 0, "A06": 0, "A07": 3,
             "A08": 4, "A09": 0, "A10": None, "A11": 1, "A12": 5, "A13": 0, "A14": 2, "A15": 0, "A16": 0,
             "A17": 6, "A18": 1, "A19": 0, "A20": 7, "A21": 3}


def wijken(rng: np.random.Generator) -> tuple[Wijken, pd.DataFrame]:
    """The region's wijken (for the simulation) and their table columns (gemeente, x, y, tiles)."""
    rijen = []
    for code, naam, inwoners, n, cx, cy in GEMEENTEN:
        aandelen = rng.dirichlet(np.full(n, 6.0))
        hoek = rng.uniform(0, 2 * np.pi)
        for i in range(n):
            afstand = 0 if i == 0 else rng.uniform(1200, 2600)
            wijknaam = naam if n == 1 else f"{naam} {WIJKNAMEN[i]}"
            rijen.append(dict(wijk_code=f"WK{code[2:]}{i + 1:02d}", naam=wijknaam, gemeente_code=code,
                              inwoners=round(inwoners * aandelen[i]),
                              x=round(cx + afstand * np.cos(hoek + i * 2 * np.pi / max(n - 1, 1))),
                              y=round(cy + afstand * np.sin(hoek + i * 2 * np.pi / max(n - 1, 1)))))
    df = pd.DataFrame(rijen)
    lonlat = rd_naar_wgs84(df[["x", "y"]].to_numpy(float))
    df["tegel_rij"], df["tegel_kolom"] = tegels(lonlat[:, 0], lonlat[:, 1])
    n = len(df)
    klein = df["gemeente_code"].map({g[0]: g[2] for g in GEMEENTEN}).to_numpy() < 15000
    w = Wijken(code=df["wijk_code"].to_numpy(), naam=df["naam"].to_numpy(),
               inwoners=df["inwoners"].to_numpy(float), jeugd=rng.uniform(0.16, 0.24, n),
               oud=np.where(klein, rng.uniform(0.22, 0.30, n), rng.uniform(0.14, 0.22, n)),
               trend=rng.normal(0.0, 0.04, n), wacht=np.where(klein, 1.25, 1.0) * rng.lognormal(0, 0.15, n),
               groei=rng.normal(0.004, 0.006, n), regio=np.zeros(n, int))
    return w, df[["wijk_code", "naam", "gemeente_code", "x", "y", "tegel_rij", "tegel_kolom"]]


def gemeenten() -> pd.DataFrame:
    return pd.DataFrame([(g[0], g[1]) for g in GEMEENTEN], columns=["gemeente_code", "naam"])


def aanbieders_en_locaties(rng: np.random.Generator, aanbieders: pd.DataFrame, wijk_tabel: pd.DataFrame
                           ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """aanbieders.csv with each one's vestigingsgemeente, and locaties.csv (x, y or the wijk they are in).

    The buurtteams (basiszorg) have a location in every gemeente; others one to three
    locations around where they are based; the national network only outside the region.
    """
    aanbieders = aanbieders.copy()
    codes = [g[0] for g in GEMEENTEN]
    aanbieders["gemeente_code"] = [codes[i] if (i := VESTIGING[a]) is not None else ""
                                   for a in aanbieders["aanbieder_id"]]
    soort = {a[0]: a[2] for a in AANBIEDERS}
    rijen = []
    for a, gm in zip(aanbieders["aanbieder_id"], aanbieders["gemeente_code"]):
        if soort[a] == "basiszorg":
            for i, g in enumerate(GEMEENTEN):
                eerste = wijk_tabel[wijk_tabel["gemeente_code"] == g[0]].iloc[0]
                # every other one given as the wijk it is in, as a gemeente often knows it
                if i % 2:
                    rijen.append((a, f"Buurtteam {g[1]}", "", "", eerste["wijk_code"]))
                else:
                    rijen.append((a, f"Buurtteam {g[1]}", int(eerste["x"] + 300), int(eerste["y"] - 200), ""))
        elif not gm:
            rijen.append((a, "Hoofdvestiging", 121000, 487000, ""))  # far outside the region
        else:
            g = GEMEENTEN[codes.index(gm)]
            for j in range(int(rng.integers(1, 4))):
                ander = GEMEENTEN[int(rng.integers(0, len(GEMEENTEN)))] if j else g
                rijen.append((a, "Hoofdvestiging" if j == 0 else f"Locatie {ander[1]}",
                              int(ander[4] + rng.integers(-900, 900)), int(ander[5] + rng.integers(-900, 900)), ""))
    locaties = pd.DataFrame(rijen, columns=["aanbieder_id", "naam", "x", "y", "wijk_code"])
    return aanbieders, locaties
