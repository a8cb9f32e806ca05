"""The population files: bevolking.csv and CBS Kerncijfers exports as downloaded, one or several, per year."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..contract import Bestand
from .lezen import dubbel, lees
from .rapport import Verzamelaar


def bevolking_bestanden(map: Path) -> list[Path]:
    """Every population file of a data folder, whatever the case of its name.

    bevolking.csv/.parquet, bevolking_2024.csv …, and CBS exports as downloaded
    (CBS_Kerncijfers.csv, cbs_kerncijfers_2023.csv, StatLine's
    Kerncijfers_wijken_en_buurten_2024_<datum>_<tijd>.csv …); each is read, none silently skipped.
    """
    if not map.is_dir():
        return []
    return sorted((p for p in map.iterdir() if p.is_file() and re.fullmatch(
        r"(bevolking[^/]*\.(csv|parquet)|(cbs|kerncijfers)[^/]*\.csv)", p.name, re.IGNORECASE)), key=lambda p: p.name.lower())


def lees_bevolking(map: Path, bestand: Bestand, v: Verzamelaar) -> tuple[pd.DataFrame | None, list[Path]]:
    """All population files together: one row per year, wijk and age group, from whichever file.

    A CBS export is converted first; its messages name the user's own rows. The same
    year and wijk in two files is an error naming both. Wijken that CBS marks as
    re-divided, or whose population changes more than twofold from one year to the
    next, get a warning (and `Gegevens.indelingswijzigingen` for the reports).
    """
    paden = bevolking_bestanden(map)
    if not paden:
        return lees(map, bestand, v, pad=None)
    delen = []
    for pad in paden:
        df, _ = lees(map, bestand, v, pad=pad)
        if df is not None:
            dubbel(pad.name, df, bestand.uniek, v)
            delen.append(df.assign(_bestand=pad.name))
    if not delen:
        return None, paden
    df = pd.concat(delen, ignore_index=True)
    sleutel = ["jaar", "wijk_code", "leeftijdsgroep"]
    eerste = df.drop_duplicates(sleutel).set_index(sleutel)["_bestand"]
    botsing = df.duplicated(sleutel) & (df["_bestand"] != df.set_index(sleutel).index.map(eerste))
    for _, r in df[botsing].drop_duplicates(["_bestand", "jaar", "wijk_code"]).iterrows():
        ander = eerste[(r["jaar"], r["wijk_code"], r["leeftijdsgroep"])]
        v.los(r["_bestand"], f"de bevolking van wijk {r['wijk_code']} in {r['jaar']} staat ook in {ander}.",
              "Houd elk jaar in één bestand: verwijder het jaar uit een van beide bestanden.")
    df = df[~botsing]
    indelingswijziging(df, v)
    return df.drop(columns=[k for k in ("_bestand", "_indeling") if k in df]).reset_index(drop=True), paden


def indelingswijziging(df: pd.DataFrame, v: Verzamelaar) -> None:
    """Warn about wijken whose population cannot be compared across years; remember them in `v.indeling`."""
    totaal = df.groupby(["wijk_code", "jaar"])["aantal"].sum().sort_index().reset_index()
    vorig = totaal.shift(1)
    a0, a1 = vorig["aantal"].astype("float64"), totaal["aantal"].astype("float64")
    laag, hoog = np.minimum(a0, a1), np.maximum(a0, a1)
    sprong = ((totaal["wijk_code"] == vorig["wijk_code"]) & (totaal["jaar"] == vorig["jaar"] + 1)
              & (laag > 0) & (hoog / laag.where(laag > 0) > 2)).fillna(False).astype(bool)
    for i in np.flatnonzero(sprong.to_numpy()):
        wijk, j0, j1 = totaal.at[i, "wijk_code"], int(vorig.at[i, "jaar"]), int(totaal.at[i, "jaar"])
        a0, a1 = int(vorig.at[i, "aantal"]), int(totaal.at[i, "aantal"])
        v.indeling.setdefault(str(wijk), set()).add(j1)
        v.los(df.loc[(df["wijk_code"] == wijk) & (df["jaar"] == j1), "_bestand"].iloc[0],
              f"de bevolking van wijk {wijk} verandert van {a0} in {j0} naar {a1} in {j1}: "
              f"waarschijnlijk is de wijkindeling gewijzigd.",
              f"Vergelijk cijfers per inwoner van {wijk} niet over de grens van {j1}.", ernst="waarschuwing")
    if "_indeling" in df:
        for (bestandsnaam, wijk, jaar), _ in df[df["_indeling"].fillna(False).astype(bool)].groupby(
                ["_bestand", "wijk_code", "jaar"], sort=False):
            v.indeling.setdefault(str(wijk), set()).add(int(jaar))
            v.los(bestandsnaam, f"CBS meldt voor wijk {wijk} een indelingswijziging in {jaar}.",
                  f"Vergelijk cijfers per inwoner van {wijk} niet over de grens van {jaar}.", ernst="waarschuwing")
