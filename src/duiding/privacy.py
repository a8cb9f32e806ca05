"""One privacy mechanism for every table that leaves the library.

Levels:
- `openbaar` (CBS practice for wijk figures): counts rounded to a multiple of 5; raw
  counts 0 through 7 are shown as `geheim`.
- `intern` (default): counts of 1-4 people are hidden (primary suppression), plus
  complementary hiding so that no hidden count can be recovered from a total or from
  the other cells of its line (see below).
- `geen`: raw figures, only on explicit request; every row is marked `niet delen`.
Derived values (rates, shares, medians, percentiles) resting on fewer than 5 people
(intern) or 8 (openbaar) are hidden, and so is every derived value whose underlying
count is hidden.

Lines. Counts that add up to a total form a line; within a line, a single hidden cell
could be recovered by subtraction. A raw table has three kinds of line:
1. the groups of one measure in one quarter, with the city total (groep = 'stad');
2. the destinations of one origin (overgangen), with the total (naar = 'totaal');
3. the members of a family (a mix), with the family total (maat == familie).
In every line, either nothing is hidden, or at least two cells are hidden and, when
the total is shown, the hidden cells together hold at least 5 people (so not even
their sum reveals a small number). When no other cell can be hidden, the total is
hidden. This is repeated until every line is safe.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .exceptions import ParameterFout

NIVEAUS = ("openbaar", "intern", "geen")
DREMPEL_INTERN = 5
DREMPEL_OPENBAAR = 8
STATUS = {"intern": "verborgen", "openbaar": "geheim", "geen": "niet delen"}
UITVOER = ["indicator", "per", "groep", "periode", "maat", "waarde", "status"]


def _lijnen(t: pd.DataFrame) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per line kind: (line id per cell, -1 = none) and (is the line's total)."""
    uit = []
    soorten = [
        ("groep", "stad", ["indicator", "periode", "maat", "thema", "naar"]),
        ("naar", "totaal", ["indicator", "periode", "maat", "thema", "groep"]),
    ]
    for kol, totaal, vast in soorten:
        if t[kol].nunique() <= 1:
            continue
        ids = t.groupby(vast, sort=False, dropna=False).ngroup().to_numpy()
        uit.append((ids, (t[kol] == totaal).to_numpy()))
    fam = t["familie"].where(t["familie"] != "", t["maat"])
    lid = (t["familie"] != "") | t["maat"].isin(set(t["familie"]))
    if lid.any():
        ids = t.assign(_f=fam).groupby(["indicator", "periode", "groep", "thema", "naar", "_f"],
                                       sort=False, dropna=False).ngroup().to_numpy()
        ids = np.where(lid.to_numpy(), ids, -1)
        uit.append((ids, (t["maat"] == fam).to_numpy() & lid.to_numpy()))
    return uit


def onderdruk(waarde: np.ndarray, lijnen: list[tuple[np.ndarray, np.ndarray]], drempel: int = DREMPEL_INTERN
              ) -> np.ndarray:
    """Which counts to hide: 1..drempel-1 plus complementary cells. Returns a mask."""
    waarde = np.asarray(waarde, float)
    verborgen = (waarde >= 1) & (waarde < drempel)
    if not verborgen.any():
        return verborgen
    while True:
        veranderd = False
        for ids, is_totaal in lijnen:
            geldig = ids >= 0
            if not geldig.any():
                continue
            df = pd.DataFrame({"id": ids[geldig], "v": waarde[geldig], "h": verborgen[geldig],
                               "t": is_totaal[geldig], "pos": np.flatnonzero(geldig)})
            cel = df[~df["t"]]
            per_lijn = cel.groupby("id").agg(n_h=("h", "sum"), s_h=("v", lambda s: 0.0))
            per_lijn["s_h"] = cel[cel["h"]].groupby("id")["v"].sum()
            per_lijn["s_h"] = per_lijn["s_h"].fillna(0)
            tot = df[df["t"]].set_index("id")
            per_lijn["t_h"] = tot["h"].reindex(per_lijn.index).fillna(False).astype(bool)
            heeft_totaal = per_lijn.index.isin(tot.index)
            # a line is unsafe when one lone cell is hidden, or the hidden sum is tiny
            # while the total is shown, or only the total is hidden
            onveilig = np.where(
                per_lijn["t_h"] | ~heeft_totaal,
                (per_lijn["n_h"] + per_lijn["t_h"]) == 1,
                (per_lijn["n_h"] == 1) | ((per_lijn["n_h"] >= 2) & (per_lijn["s_h"] < drempel)),
            )
            onveilig = per_lijn.index[onveilig]
            if len(onveilig) == 0:
                continue
            kandidaat = cel[cel["id"].isin(onveilig) & ~cel["h"]]
            # prefer the smallest positive cell, then zero cells
            kandidaat = kandidaat.assign(_k=np.where(kandidaat["v"] > 0, kandidaat["v"], np.inf))
            kies = kandidaat.sort_values(["_k", "pos"]).drop_duplicates("id")
            verborgen[kies["pos"].to_numpy()] = True
            zonder = np.setdiff1d(onveilig, kies["id"].unique())
            if len(zonder):  # nothing left to hide in the line: hide its total
                tot_pos = tot.loc[tot.index.isin(zonder) & ~tot["h"], "pos"]
                verborgen[tot_pos.to_numpy()] = True
                veranderd = veranderd or len(tot_pos) > 0
            veranderd = veranderd or len(kies) > 0
        if not veranderd:
            return verborgen


def beveilig(ruw: pd.DataFrame, niveau: str = "intern") -> pd.DataFrame:
    """Turn a raw indicator table into the published long table."""
    if niveau not in NIVEAUS:
        raise ParameterFout(f"Privacyniveau '{niveau}' bestaat niet. Kies uit: openbaar, intern of geen.")
    t = ruw.reset_index(drop=True).copy()
    telling = (t["soort"] == "telling").to_numpy()
    waarde = t["waarde"].to_numpy(float).copy()
    verborgen = np.zeros(len(t), bool)
    if niveau == "intern":
        sub = t[telling]
        verborgen[telling] = onderdruk(sub["waarde"].to_numpy(), _lijnen(sub), DREMPEL_INTERN)
        drempel = DREMPEL_INTERN
    elif niveau == "openbaar":
        raw = waarde[telling]
        verborgen[telling] = (raw >= 0) & (raw < DREMPEL_OPENBAAR)
        waarde[telling] = np.round(raw / 5) * 5
        drempel = DREMPEL_OPENBAAR
    if niveau != "geen":
        afgeleid = (t["soort"] == "afgeleid").to_numpy()
        klein = afgeleid & ~(t["basis"].to_numpy(float) >= drempel)
        sleutel = ["indicator", "groep", "periode", "thema", "naar"]
        verborgen_tellingen = t.loc[verborgen & telling, sleutel + ["maat"]]
        verborgen_tellingen = set(map(tuple, verborgen_tellingen.to_numpy()))
        if verborgen_tellingen:
            ref = t[sleutel + ["basis_maat"]].to_numpy()
            van_verborgen = np.array([tuple(r) in verborgen_tellingen for r in ref]) & afgeleid
        else:
            van_verborgen = np.zeros(len(t), bool)
        verborgen |= klein | van_verborgen
    t["waarde"] = np.where(verborgen, np.nan, waarde)
    t["status"] = np.where(verborgen, STATUS[niveau], "")
    if niveau == "geen":
        t["status"] = STATUS["geen"]
    return t


def publiceer(beveiligd: pd.DataFrame) -> pd.DataFrame:
    """The columns users get: the standard ones, plus thema/naar where they carry meaning."""
    kolommen = list(UITVOER)
    if (beveiligd["thema"] != "").any():
        kolommen.insert(4, "thema")
    if (beveiligd["naar"] != "").any():
        kolommen.insert(3, "naar")
    return beveiligd[kolommen].sort_values(["periode", "groep", "maat"], kind="stable").reset_index(drop=True)
