"""One privacy mechanism for everything the kit publishes: cell-key perturbation.

Everything published at one level for one data folder (every indicator, every `per`,
every `wet`, every quarter, in notebooks, reports, the app and `duiding cijfers`) is one
set of linked tables. An attacker reads them together: totals across wet and across
groups, stock and flow between quarters, percentages times totals, averages times
quarters. Suppressing cells table by table cannot hold against that; this module
follows ONS (Census 2021) and ABS (TableBuilder) instead:

- Each record (client, traject, answer) has a fixed key: md5 of its identifier, modulo
  2^40. A count's *cell key* is the sum of the keys of what it counts, modulo 2^40
  (computed by the indicators, column `sleutel`). The same people give the same key,
  whichever table, filter or grouping the cell appears in.
- The cell key picks a small noise from a fixed table (`RUIS`, `KANS`): at most
  `MAX_RUIS` either way, 0 half of the time. A count's published value depends only on
  its true value and its key, so the same cell always gets the same figure, and sums
  of published cells do not add up to published totals exactly: subtracting tables
  gives a range, never a single value.

Levels:
- `intern` (default): a true count of 1-4 is hidden; any other count is published as
  count + noise, unless that is below 5: then it is hidden too. An empty cell shows 0,
  or is hidden when the key of its name says so (half of them). So a hidden cell holds
  0 to 7 people, and an outsider cannot tell how many: a line of hidden cells under a
  hidden total does not give "each is at least 1".
- `openbaar` (CBS practice for wijk figures): a true count of 0-7 is `geheim`; others are
  published as count + noise, rounded to a multiple of 5 (at least 10).
- `geen`: raw figures, only on explicit request; every row is marked `niet delen`.

Derived figures (shares, rates per 1.000, averages, Wilson bounds, the share within
the norm) are recomputed from the *published* counts (columns `vorm`, `teller`,
`noemer`, `factor`), so they carry no more than those counts do. A derived figure is
hidden when a count it rests on is hidden, or when its basis (`basis_maat`, published
value) is below the level's threshold: 5 (intern) or 8 (openbaar). Counts of waardesoort
`hulp` are protected the same way and used for derived figures, but never published.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .exceptions import ParameterFout
from .config import PRIVACY_NIVEAUS
from .indicatoren.basis import SLEUTEL_MODULUS, TOTAAL as TOTAAL_GROEP
from .indicatoren.ervaringen import wilson

NIVEAUS = PRIVACY_NIVEAUS
DREMPEL_INTERN = 5
DREMPEL_OPENBAAR = 8
STATUS = {"intern": "verborgen", "openbaar": "geheim", "geen": "niet delen"}
UITVOER = ["indicator", "per", "groep", "periode", "maat", "waarde", "status"]
# a cell: one count or figure of one group, quarter, thema and destination
CEL = ["indicator", "per", "groep", "periode", "thema", "naar"]
TELLINGEN = ("telling", "hulp")

# The perturbation table: noise and its probability, the same for every count that is
# published. Symmetric, so no bias; the largest noise is rare, so that an attacker who
# knows the table (it is documented) and needs every noise at its extreme to pin a
# hidden count almost never finds that.
RUIS = np.array([-3, -2, -1, 0, 1, 2, 3])
KANS = np.array([0.0005, 0.0495, 0.2, 0.5, 0.2, 0.0495, 0.0005])
MAX_RUIS = int(RUIS.max())
_GRENZEN = np.cumsum(KANS)[:-1]


def ruis(sleutel) -> np.ndarray:
    """The noise a cell key picks: the key as a fraction of 2^40, read against `KANS`."""
    s = np.nan_to_num(np.asarray(sleutel, float), nan=0.0) % SLEUTEL_MODULUS
    return RUIS[np.searchsorted(_GRENZEN, s / SLEUTEL_MODULUS, side="right")]


def naam_sleutel(t: pd.DataFrame) -> np.ndarray:
    """A key from a cell's name (indicator, group, quarter, measure ...): for empty cells, which have no people."""
    return pd.util.hash_pandas_object(t[CEL + ["maat"]].astype(str), index=False).to_numpy() % SLEUTEL_MODULUS


def tellingen(waarde, sleutel, niveau: str, naam=None) -> tuple[np.ndarray, np.ndarray]:
    """Protect counts: (published values, hidden mask) at `intern` or `openbaar`.

    `naam`: the cells' name keys (`naam_sleutel`); at `intern` an empty cell is hidden
    when its name key falls in the lower half, so that a hidden cell may hold nobody.
    """
    v = np.asarray(waarde, float)
    verstoord = v + ruis(sleutel)
    if niveau == "intern":
        leeg = np.zeros(len(v), bool) if naam is None else (
            np.asarray(naam, float) % SLEUTEL_MODULUS < SLEUTEL_MODULUS / 2)
        # 1-4 always; 5-7 when the noise takes them below 5; some empty cells: a hidden cell
        # holds 0 to 7 people, and an outsider cannot tell how many
        verborgen = ((v >= 1) & ((v < DREMPEL_INTERN) | (verstoord < DREMPEL_INTERN))) | ((v == 0) & leeg)
        uit = np.where(v > 0, verstoord, v)
    else:
        verborgen = v < DREMPEL_OPENBAAR
        uit = np.floor(np.maximum(verstoord, DREMPEL_OPENBAAR) / 5 + 0.5) * 5
    uit = np.where(verborgen | np.isnan(v), np.nan, uit)
    return uit, verborgen


class _Cellen:
    """Every cell's published value and hidden flag, to look cells up by name.

    A cell is named by CEL and a maat; both become one integer per row (the CEL columns
    numbered once, the names of measures numbered over maat, teller, noemer and basis_maat),
    so a lookup is an integer index instead of a merge on seven text columns.
    """

    def __init__(self, t: pd.DataFrame):
        self.nr = t.groupby(CEL, sort=False, dropna=False).ngroup().to_numpy(np.int64)
        self.namen = pd.Index(pd.unique(np.concatenate(
            [t[k].astype(str).to_numpy(object) for k in ("maat", "teller", "noemer", "basis_maat")])))
        self.rij = self.sleutel(t["maat"].astype(str).to_numpy(object), np.ones(len(t), bool))
        self.eerste = ~pd.Series(self.rij).duplicated().to_numpy()  # the row that names a cell (as drop_duplicates)
        self.index = pd.Index(self.rij[self.eerste])

    def sleutel(self, namen: np.ndarray, rijen: np.ndarray) -> np.ndarray:
        return self.nr[rijen] * len(self.namen) + self.namen.get_indexer(namen[rijen])

    def stand(self, waarde: np.ndarray, verborgen: np.ndarray) -> tuple[pd.Index, np.ndarray, np.ndarray]:
        """The cells' published values and hidden flags as they stand, in the order of `index`."""
        return self.index, waarde[self.eerste], verborgen[self.eerste]


def _opzoeken(t: pd.DataFrame, cellen: _Cellen, stand, kolom: str, rijen: np.ndarray
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For the rows `rijen`: (published value, hidden, found) of the cell named in `kolom`."""
    n = len(t)
    gevonden = np.zeros(n, bool)
    uit_w = np.full(n, np.nan)
    uit_v = np.zeros(n, bool)
    naam = t[kolom].astype(str).to_numpy(object)
    vraag = rijen & (naam != "")
    if not vraag.any():
        return uit_w, uit_v, gevonden
    index, w, v = stand
    plek = index.get_indexer(cellen.sleutel(naam, vraag))
    pos = np.flatnonzero(vraag)
    wel = plek >= 0
    uit_w[pos[wel]] = w[plek[wel]]
    uit_v[pos[wel]] = v[plek[wel]]
    gevonden[pos[wel]] = True
    return uit_w, uit_v, gevonden


def _aandeel(t: pd.DataFrame, rijen: np.ndarray, tel_w: np.ndarray, tel_weg: np.ndarray, waarde: np.ndarray,
             verborgen: np.ndarray) -> None:
    """vorm 'aandeel': 100 x the group's published teller / the sum of the groups' published tellers.

    The shares of one measure add up to 100 % over the groups (the total row is 100 %).
    When any group's teller is hidden, every share of that measure and quarter is hidden:
    the visible ones would otherwise give the hidden one away.
    """
    if not rijen.any():
        return
    sub = t.loc[rijen, ["indicator", "per", "periode", "thema", "naar", "maat"]].astype(str)
    familie = pd.util.hash_pandas_object(sub, index=False).to_numpy()
    totaal = (t.loc[rijen, "groep"] == TOTAAL_GROEP).to_numpy()
    d = pd.DataFrame({"f": familie, "w": np.where(totaal, 0.0, tel_w[rijen]),
                      "weg": np.where(totaal, False, tel_weg[rijen])})
    som = d.groupby("f")["w"].transform("sum").to_numpy()
    weg = d.groupby("f")["weg"].transform("any").to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        deel = np.where(totaal, 100.0, 100 * tel_w[rijen] / np.where(som > 0, som, np.nan))
    waarde[rijen] = deel
    verborgen[rijen] |= weg | tel_weg[rijen] | np.isnan(deel)


def _afgeleid(t: pd.DataFrame, waarde: np.ndarray, verborgen: np.ndarray, drempel: int) -> None:
    """Recompute derived figures from the published counts and hide what rests on too little."""
    afgeleid = (t["waardesoort"] == "afgeleid").to_numpy()
    vorm = t["vorm"].to_numpy()
    factor = t["factor"].to_numpy(float)
    cellen = _Cellen(t)
    tellingen_ = cellen.stand(waarde, verborgen)
    tel_w, tel_v, tel_g = _opzoeken(t, cellen, tellingen_, "teller", afgeleid)
    noe_w, noe_v, noe_g = _opzoeken(t, cellen, tellingen_, "noemer", afgeleid)
    heeft_noemer = t["noemer"].to_numpy() != ""
    with np.errstate(invalid="ignore", divide="ignore"):
        noemer = np.where(heeft_noemer, np.where(noe_w > 0, noe_w, np.nan), 1.0)
        ratio = afgeleid & (vorm == "ratio")
        waarde[ratio] = (factor * tel_w / noemer)[ratio]
        _aandeel(t, afgeleid & (vorm == "aandeel"), tel_w, tel_v | ~tel_g, waarde, verborgen)
        for naam, kant in (("wilson_onder", 0), ("wilson_boven", 1)):
            rij = afgeleid & (vorm == naam)
            if rij.any():
                waarde[rij] = 100 * wilson(tel_w[rij], noe_w[rij])[kant]
    herberekend = afgeleid & (vorm != "")
    # a count it rests on is hidden, or not there at all (then nothing safe can be said)
    verborgen |= herberekend & (tel_v | ~tel_g | (heeft_noemer & (noe_v | ~noe_g)))
    # the basis may be a derived figure itself (budget's average): look it up after recomputing
    bas_w, bas_v, bas_g = _opzoeken(t, cellen, cellen.stand(waarde, verborgen), "basis_maat", afgeleid)
    met_basis = afgeleid & (t["basis_maat"].to_numpy() != "")
    verborgen |= met_basis & (bas_v | ~bas_g | ~(bas_w >= drempel))
    # without a named basis (tables built by hand), the raw basis decides
    zonder = afgeleid & ~met_basis
    verborgen |= zonder & ~(t["basis"].to_numpy(float) >= drempel)


def beveilig(ruw: pd.DataFrame, niveau: str = "intern") -> pd.DataFrame:
    """Turn a raw indicator table into the published long table (rows in the caller's order)."""
    if niveau not in NIVEAUS:
        raise ParameterFout(f"Privacyniveau '{niveau}' bestaat niet. Kies uit: openbaar, intern of geen.")
    t = ruw.reset_index(drop=True).copy()
    waarde = t["waarde"].to_numpy(float).copy()
    verborgen = np.zeros(len(t), bool)
    if niveau != "geen":
        telling = t["waardesoort"].isin(TELLINGEN).to_numpy()
        waarde[telling], verborgen[telling] = tellingen(waarde[telling], t.loc[telling, "sleutel"], niveau,
                                                        naam_sleutel(t[telling]))
        _afgeleid(t, waarde, verborgen, DREMPEL_INTERN if niveau == "intern" else DREMPEL_OPENBAAR)
    t["waarde"] = np.where(verborgen, np.nan, waarde)
    t["status"] = np.where(verborgen, STATUS.get(niveau, ""), "")
    if niveau == "geen":
        t["status"] = STATUS["geen"]
    return t[t["waardesoort"] != "hulp"].reset_index(drop=True)


def publiceer(beveiligd: pd.DataFrame) -> pd.DataFrame:
    """The columns users get: the standard ones, plus thema/naar where they carry meaning."""
    kolommen = list(UITVOER)
    if (beveiligd["thema"] != "").any():
        kolommen.insert(4, "thema")
    if (beveiligd["naar"] != "").any():
        kolommen.insert(3, "naar")
    return beveiligd[kolommen].sort_values(["periode", "groep", "maat"], kind="stable").reset_index(drop=True)
