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
hidden. Lines cross (a wijk's reden mix is a row, the city's is a column), so line
rules alone can leave a small count solvable through a chain of lines; an audit on
the graph of hidden cells (`onderdruk`) finds and closes such chains.
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
# identifies a cell; beveilig orders by it so the same figures always get the same cells hidden
CEL = ["indicator", "per", "groep", "periode", "maat", "thema", "naar"]


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


def _lijnregels(waarde, verborgen, lijnen, drempel) -> bool:
    """One pass of the line rules over every line kind; True when a cell was hidden."""
    veranderd = False
    for ids, is_totaal in lijnen:
        geldig = ids >= 0
        if not geldig.any():
            continue
        df = pd.DataFrame({"id": ids[geldig], "v": waarde[geldig], "h": verborgen[geldig],
                           "t": is_totaal[geldig], "pos": np.flatnonzero(geldig)})
        cel = df[~df["t"]]
        per_lijn = cel.groupby("id").agg(n_h=("h", "sum"))
        per_lijn["s_h"] = cel[cel["h"]].groupby("id")["v"].sum()
        per_lijn["s_h"] = per_lijn["s_h"].fillna(0)
        tot = df[df["t"]].set_index("id")
        per_lijn["t_h"] = tot["h"].reindex(per_lijn.index).fillna(False).astype(bool)
        heeft_totaal = per_lijn.index.isin(tot.index)
        # unsafe: one lone hidden cell; a tiny hidden sum beside a shown total;
        # or only the total hidden
        onveilig = np.where(
            per_lijn["t_h"] | ~heeft_totaal,
            (per_lijn["n_h"] + per_lijn["t_h"]) == 1,
            (per_lijn["n_h"] == 1) | ((per_lijn["n_h"] >= 2) & (per_lijn["s_h"] < drempel)),
        )
        onveilig = per_lijn.index[onveilig]
        if len(onveilig) == 0:
            continue
        kandidaat = cel[cel["id"].isin(onveilig) & ~cel["h"]]
        kies = _kleinste(kandidaat, "id")
        verborgen[kies["pos"].to_numpy()] = True
        zonder = np.setdiff1d(onveilig, kies["id"].unique())
        if len(zonder):  # nothing left to hide in the line: hide its total
            tot_pos = tot.loc[tot.index.isin(zonder) & ~tot["h"], "pos"]
            verborgen[tot_pos.to_numpy()] = True
            veranderd = veranderd or len(tot_pos) > 0
        veranderd = veranderd or len(kies) > 0
    return veranderd


def _kleinste(kandidaat: pd.DataFrame, per: str) -> pd.DataFrame:
    """Per group, the smallest positive candidate cell (zero cells last)."""
    kandidaat = kandidaat.assign(_k=np.where(kandidaat["v"] > 0, kandidaat["v"], np.inf))
    return kandidaat.sort_values(["_k", "pos"]).drop_duplicates(per)


def _eindpunten(lijnen, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Each cell as an edge between (at most) two line nodes; node 0 is 'no line'."""
    knopen = np.zeros((n, len(lijnen)), np.int64)
    verschuiving = 1
    for k, (ids, _) in enumerate(lijnen):
        knopen[:, k] = np.where(ids >= 0, ids + verschuiving, 0)
        verschuiving += int(ids.max()) + 1 if len(ids) else 0
    knopen.sort(axis=1)
    a = knopen[:, -1]
    b = knopen[:, -2] if knopen.shape[1] > 1 else np.zeros(n, np.int64)
    return a, b


def _bruggen(a: np.ndarray, b: np.ndarray, randen: np.ndarray) -> set[int]:
    """Bridges among the given edges (cell positions) of the multigraph a-b (Tarjan)."""
    buren: dict[int, list[tuple[int, int]]] = {}
    for e in randen:
        u, v = int(a[e]), int(b[e])
        if u == v:
            continue
        buren.setdefault(u, []).append((v, int(e)))
        buren.setdefault(v, []).append((u, int(e)))
    orde: dict[int, int] = {}
    laag: dict[int, int] = {}
    bruggen: set[int] = set()
    teller = 0
    for start in buren:
        if start in orde:
            continue
        orde[start] = laag[start] = teller
        teller += 1
        stapel = [(start, -1, iter(buren[start]))]
        while stapel:
            knoop, via, it = stapel[-1]
            for buur, e in it:
                if e == via:
                    continue
                if buur in orde:
                    laag[knoop] = min(laag[knoop], orde[buur])
                else:
                    orde[buur] = laag[buur] = teller
                    teller += 1
                    stapel.append((buur, e, iter(buren[buur])))
                    break
            else:
                stapel.pop()
                if stapel:
                    ouder = stapel[-1][0]
                    laag[ouder] = min(laag[ouder], laag[knoop])
                    if laag[knoop] > orde[ouder]:
                        bruggen.add(via)
    return bruggen


def onderdruk(waarde: np.ndarray, lijnen: list[tuple[np.ndarray, np.ndarray]], drempel: int = DREMPEL_INTERN
              ) -> np.ndarray:
    """Which counts to hide: 1..drempel-1 plus complementary cells. Returns a mask.

    After the line rules, an audit treats every hidden cell as an edge between its
    two lines: a small count whose edge is a bridge (on no cycle of hidden cells) can
    be solved from the shown cells, however many cells its lines hide. For such a
    cell one more cell of its lines is hidden, and both steps repeat until no small
    count is a bridge.
    """
    waarde = np.asarray(waarde, float)
    primair = (waarde >= 1) & (waarde < drempel)
    verborgen = primair.copy()
    if not verborgen.any():
        return verborgen
    a, b = _eindpunten(lijnen, len(waarde)) if lijnen else (None, None)
    while True:
        while _lijnregels(waarde, verborgen, lijnen, drempel):
            pass
        if a is None:
            return verborgen
        bruggen = _bruggen(a, b, np.flatnonzero(verborgen))
        klein = [e for e in bruggen if primair[e]]
        if not klein:
            return verborgen
        # hide the smallest shown cell sharing a line with each exposed small count
        knoop_van = {}
        for e in klein:
            for knoop in (a[e], b[e]):
                if knoop:
                    knoop_van.setdefault(int(knoop), e)
        zichtbaar = np.flatnonzero(~verborgen)
        kandidaat = pd.DataFrame({"pos": np.concatenate([zichtbaar, zichtbaar]),
                                  "knoop": np.concatenate([a[zichtbaar], b[zichtbaar]])})
        kandidaat = kandidaat[kandidaat["knoop"].isin(list(knoop_van))]
        kandidaat["brug"] = kandidaat["knoop"].map(knoop_van)
        kandidaat["v"] = waarde[kandidaat["pos"].to_numpy()]
        kies = _kleinste(kandidaat, "brug")
        if kies.empty:  # every cell of those lines is hidden already: nothing more to do
            return verborgen
        verborgen[kies["pos"].to_numpy()] = True


def beveilig(ruw: pd.DataFrame, niveau: str = "intern") -> pd.DataFrame:
    """Turn a raw indicator table into the published long table."""
    if niveau not in NIVEAUS:
        raise ParameterFout(f"Privacyniveau '{niveau}' bestaat niet. Kies uit: openbaar, intern of geen.")
    # Complementary cells are chosen with ties broken by position, and engines return
    # rows in no fixed order: without a fixed order two runs on the same data could hide
    # different cells, and together show what each hid.
    # The result keeps the caller's row order.
    t = ruw.assign(_rij=np.arange(len(ruw))).sort_values(CEL, kind="stable").reset_index(drop=True)
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
        verborgen_tellingen = pd.MultiIndex.from_frame(t.loc[verborgen & telling, sleutel + ["maat"]])
        basis = pd.MultiIndex.from_frame(t[sleutel + ["basis_maat"]])
        van_verborgen = afgeleid & basis.isin(verborgen_tellingen)
        verborgen |= klein | van_verborgen
    t["waarde"] = np.where(verborgen, np.nan, waarde)
    t["status"] = np.where(verborgen, STATUS[niveau], "")
    if niveau == "geen":
        t["status"] = STATUS["geen"]
    return t.sort_values("_rij").drop(columns="_rij").reset_index(drop=True)


def publiceer(beveiligd: pd.DataFrame) -> pd.DataFrame:
    """The columns users get: the standard ones, plus thema/naar where they carry meaning."""
    kolommen = list(UITVOER)
    if (beveiligd["thema"] != "").any():
        kolommen.insert(4, "thema")
    if (beveiligd["naar"] != "").any():
        kolommen.insert(3, "naar")
    return beveiligd[kolommen].sort_values(["periode", "groep", "maat"], kind="stable").reset_index(drop=True)
