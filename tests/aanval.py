"""An outsider's attack on everything the kit publishes at one privacy level, read together.

The attacker gets every table `duiding` can publish for one data folder (every
indicator, every `per`, every `wet`, every quarter of a window, the moves over the whole
window) and knows how the kit works: the noise bound of `duiding.privacy`, the
threshold rules, and every linear relation between the true counts that the tables'
definitions imply. They are written here from the definitions, then kept only where they
hold on the true counts, so the attacker never reasons from something false:

- a line of groups against its total (`stad`), of destinations against `totaal`, of a
  family's members against the family total, of the quarters against the whole window: equal when the groups split the people,
  otherwise every part <= total <= sum of parts;
- jeugd + wmo against the table without a wet filter (equal, or each part <= total);
- stock and flow between quarters: in_zorg(t) <= in_zorg(t-1) + instroom(t),
  in_zorg(t-1) <= in_zorg(t) + uitstroom(t-1), and equality where it holds;
- wachttijd: the count within the norm is the sum of the classes up to the norm;
- ervaringen: positive answers <= answers; verdieping: part <= whole;
- budget: the person-quarters behind an average are the sum of the quarters' in_zorg;
- derived figures: a percentage times its total gives its count back; that is modelled
  by letting the attacker see every protected count the kit uses, published or not.
Cells with the same content (the same people) are one unknown: an attacker may know that
two tables hold the same cell.

`vastgepind` solves, for each hidden count of 1-4, the smallest and largest value it
can take under all of that (a linear program, HiGHS through scipy) and returns the
ones pinned to a single whole number.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import linprog

from duiding.exceptions import ParameterFout
from duiding.indicatoren import REGISTER, bereken
from duiding.privacy import DREMPEL_INTERN, DREMPEL_OPENBAAR, MAX_RUIS, beveilig, naam_sleutel, tellingen

TELLING = ("telling", "hulp")
CEL = ["indicator", "per", "wet", "groep", "periode", "maat", "thema", "naar"]


def publicatie(g, perioden, niveau: str) -> pd.DataFrame:
    """Every raw row the kit can publish for these quarters, with what the attacker sees of it.

    Columns: the raw columns plus `wet` ('' = both), `gepubliceerd` (NaN when hidden) and
    `status`; for derived rows the published figure. Hulp counts carry the protected value
    the kit derives its figures from (what percentage x total gives back).
    """
    delen = []
    pers = ("wijk", "aanbieder", "productcategorie", "wet", "soort", "stad") + (("gemeente",) if g.is_regio else ())
    for indicator in REGISTER:
        for per in pers:
            for wet in (None, "jeugd", "wmo"):
                varianten = [{}]
                if indicator == "overgangen":
                    varianten.append({"samen": True})
                for opties in varianten:
                    try:
                        ruw = bereken(g, indicator, per, perioden, wet=wet, **opties)
                    except ParameterFout:
                        break
                    if ruw.empty:
                        continue
                    uit = beveilig(ruw, niveau)
                    ruw = ruw.assign(wet=wet or "")
                    tel = ruw["waardesoort"].isin(TELLING).to_numpy()
                    pub = np.full(len(ruw), np.nan)
                    pub[tel] = tellingen(ruw.loc[tel, "waarde"], ruw.loc[tel, "sleutel"], niveau,
                                         naam_sleutel(ruw[tel]))[0]
                    # derived figures: what the kit published for them (hulp rows are dropped there)
                    niet_hulp = (ruw["waardesoort"] != "hulp").to_numpy()
                    pub[niet_hulp & ~tel] = uit.loc[~uit["waardesoort"].isin(TELLING), "waarde"].to_numpy()
                    ruw["gepubliceerd"] = pub
                    delen.append(ruw)
    return pd.concat(delen, ignore_index=True)


def grenzen(pub: np.ndarray, niveau: str) -> tuple[np.ndarray, np.ndarray]:
    """The range of a true count given what was published, from the documented rules alone."""
    verborgen = np.isnan(pub)
    if niveau == "exact":  # the control: plain suppression of 1-4, every other figure exact
        return np.where(verborgen, 1, pub), np.where(verborgen, DREMPEL_INTERN - 1, pub)
    if niveau == "intern":
        lo = np.where(pub == 0, 0, np.maximum(DREMPEL_INTERN, pub - MAX_RUIS))
        hi = np.where(pub == 0, 0, pub + MAX_RUIS)
        # hidden: 1-4, 5-7 that the noise took below 5, or an empty cell
        return np.where(verborgen, 0, lo), np.where(verborgen, DREMPEL_INTERN - 1 + MAX_RUIS, hi)
    # rounded to 5 after the noise: the noisy count lies within 2 of the published one
    lo = np.maximum(DREMPEL_OPENBAAR, pub - 2 - MAX_RUIS)
    return np.where(verborgen, 0, lo), np.where(verborgen, DREMPEL_OPENBAAR - 1, pub + 2 + MAX_RUIS)


@dataclass
class Model:
    """The attacker's linear system over one unknown per distinct cell."""
    waar: np.ndarray  # true value per unknown (only to pick targets and check the relations)
    lo: np.ndarray
    hi: np.ndarray
    gelijk: list  # (indices, coefficients)
    kleiner: list  # (indices, coefficients): sum <= 0
    verborgen: np.ndarray  # unknown is hidden


def _onbekenden(tel: pd.DataFrame) -> np.ndarray:
    """One unknown per content: same key and same true count.

    Empty cells are one unknown per name (the same cell under another wet filter shares
    it): that two empty cells elsewhere are "the same" is chance, not something to know.
    """
    leeg = tel["waarde"].to_numpy() == 0
    naam = tel[["indicator", "per", "groep", "periode", "maat", "thema", "naar"]].astype(str).agg("|".join, axis=1)
    sleutel = np.where(leeg, "leeg|" + naam, tel["sleutel"].astype(str).to_numpy())
    return pd.MultiIndex.from_arrays([sleutel, tel["waarde"].to_numpy(float)]).factorize()[0]


def model(pub: pd.DataFrame, niveau: str) -> Model:
    tel = pub[pub["waardesoort"].isin(TELLING)].reset_index(drop=True)
    var = _onbekenden(tel)
    n = int(var.max()) + 1
    waar = np.zeros(n)
    waar[var] = tel["waarde"].to_numpy(float)
    # the same content must be published the same way everywhere
    p = tel["gepubliceerd"].to_numpy(float)
    eerste = pd.Series(p).groupby(var).first().reindex(range(n)).to_numpy()
    assert np.array_equal(np.isnan(p), np.isnan(eerste[var])), "één cel, verschillend behandeld"
    assert np.allclose(np.nan_to_num(p, nan=-1), np.nan_to_num(eerste[var], nan=-1)), "één cel, twee waarden"
    lo, hi = grenzen(eerste, niveau)
    assert ((lo <= waar) & (waar <= hi)).all(), "de grenzen van de documentatie kloppen niet"
    tel = tel.assign(_v=var)
    cel = {k: v for k, v in zip(map(tuple, tel[CEL].to_numpy()), var)}
    gelijk, kleiner = [], []

    def som(delen, totaal):
        """parts against total: = where it holds, else each part <= total <= sum of parts."""
        delen = [d for d in delen if d != totaal]
        if not delen:
            return
        s = waar[delen].sum()
        if s == waar[totaal]:
            gelijk.append((delen + [totaal], [1.0] * len(delen) + [-1.0]))
            return
        for d in delen:
            if waar[d] <= waar[totaal]:
                kleiner.append(([d, totaal], [1.0, -1.0]))
        if waar[totaal] <= s:
            kleiner.append(([totaal] + delen, [1.0] + [-1.0] * len(delen)))

    def lijnen(deel: pd.DataFrame, kolommen: list[str], is_totaal: np.ndarray):
        """Each group of `deel` by `kolommen`: its parts against its total."""
        ids = deel.groupby(kolommen, sort=False).ngroup().to_numpy()
        orde = np.argsort(ids, kind="stable")
        grenzen_ = np.flatnonzero(np.diff(ids[orde])) + 1
        v = deel["_v"].to_numpy()
        for groep in np.split(orde, grenzen_):
            if len(groep) < 2:
                continue
            t = groep[is_totaal[groep]]
            if len(t):
                som([int(x) for x in v[groep[~is_totaal[groep]]]], int(v[t[0]]))

    for kol, totaal in (("groep", "stad"), ("naar", "totaal"), ("wet", "")):
        lijnen(tel, [k for k in CEL if k != kol], (tel[kol] == totaal).to_numpy())
    # moves over the whole window against the moves per quarter
    lijnen(tel, [k for k in CEL if k != "periode"], tel["periode"].str.contains(" t/m ").to_numpy())
    # families: members against the family total
    fam = tel[tel["familie"] != ""]
    lijnen(fam, [k for k in CEL if k != "maat"] + ["familie"], (fam["maat"] == fam["familie"]).to_numpy())
    # stock and flow between consecutive quarters
    bereik = tel[(tel["indicator"] == "bereik") & tel["maat"].isin(["in_zorg", "instroom", "uitstroom"])]
    for (per, wet, groep), lijn in bereik.groupby(["per", "wet", "groep"], sort=False):
        w = {(m, p): v for m, p, v in zip(lijn["maat"], lijn["periode"], lijn["_v"])}
        perioden = sorted(set(lijn["periode"]))
        for vorig, nu in zip(perioden, perioden[1:]):
            a, b = w.get(("in_zorg", vorig)), w.get(("in_zorg", nu))
            i, u = w.get(("instroom", nu)), w.get(("uitstroom", vorig))
            if None in (a, b, i, u):
                continue
            if waar[b] == waar[a] + waar[i] - waar[u]:
                gelijk.append(([b, a, i, u], [1.0, -1.0, -1.0, 1.0]))
            for rij in (([b, a, i], [1.0, -1.0, -1.0]), ([a, b, u], [1.0, -1.0, -1.0])):
                if waar[rij[0]] @ np.array(rij[1]) <= 0:
                    kleiner.append(rij)
        for p in perioden:  # who comes in or goes out in a quarter is in care in it
            for m in ("instroom", "uitstroom"):
                if (m, p) in w and ("in_zorg", p) in w and waar[w[(m, p)]] <= waar[w[("in_zorg", p)]]:
                    kleiner.append(([w[(m, p)], w[("in_zorg", p)]], [1.0, -1.0]))
    # a part never exceeds its whole
    paren = {"wachttijd": [("binnen_norm", "n")], "ervaringen": [("positief", "n")],
             "verdieping": [("schuivers", "clienten_aanvullend"), ("herinstroom", "beeindigd_volgens_plan")]}
    for indicator, lijst in paren.items():
        sub = tel[tel["indicator"] == indicator]
        for _, lijn in sub.groupby([k for k in CEL if k != "maat"], sort=False):
            w = dict(zip(lijn["maat"], lijn["_v"]))
            for deel, geheel in lijst:
                if deel in w and geheel in w and waar[w[deel]] <= waar[w[geheel]]:
                    kleiner.append(([w[deel], w[geheel]], [1.0, -1.0]))
    # wachttijd within the norm (42 days) = the classes up to 42 days
    wt = tel[tel["indicator"] == "wachttijd"]
    for _, lijn in wt.groupby([k for k in CEL if k != "maat"], sort=False):
        w = dict(zip(lijn["maat"], lijn["_v"]))
        delen = [w.get(k) for k in ("klasse_0_14", "klasse_15_28", "klasse_29_42")]
        if "binnen_norm" in w and None not in delen:
            som(delen, w["binnen_norm"])
    # budget: person-quarters = the sum of the year's quarters of in_zorg per aanbieder
    pk = tel[(tel["indicator"] == "budget") & (tel["maat"] == "persoonkwartalen") & (tel["per"] == "aanbieder")
             & (tel["groep"] != "stad")]
    for _, r in pk.iterrows():
        jaar, k = r["periode"].split("-Q")
        delen = [cel.get(("bereik", "aanbieder", r["wet"], r["groep"], f"{jaar}-Q{q}", "in_zorg", "", ""))
                 for q in range(1, int(k) + 1)]
        if None not in delen and r["wet"] == "":
            som(delen, int(r["_v"]))
    return Model(waar, lo.astype(float), hi.astype(float), gelijk, kleiner, np.isnan(eerste))


def _matrix(rijen: list, n: int):
    if not rijen:
        return None
    r = np.concatenate([np.full(len(i), k) for k, (i, _) in enumerate(rijen)])
    c = np.concatenate([np.asarray(i) for i, _ in rijen])
    v = np.concatenate([np.asarray(w, float) for _, w in rijen])
    return sparse.csr_array((v, (r, c)), shape=(len(rijen), n))


def vastgepind(m: Model, genoeg: int | None = None) -> list[int]:
    """Hidden unknowns with a true value of 1-4 that the linear program pins to one whole number.

    Cheap first: LPs with random objectives over all targets give feasible points; a target
    seen at least 1 away from its true value in one of them cannot be pinned. The rest get
    their own minimum and maximum. With `genoeg`, stop once that many are found.
    """
    n = len(m.waar)
    doelen = np.flatnonzero(m.verborgen & (m.waar >= 1) & (m.waar <= 4))
    if len(doelen) == 0:
        return []
    A_eq, A_ub = _matrix(m.gelijk, n), _matrix(m.kleiner, n)
    b_eq = None if A_eq is None else np.zeros(A_eq.shape[0])
    b_ub = None if A_ub is None else np.zeros(A_ub.shape[0])
    grenzen_ = np.column_stack([m.lo, m.hi])

    def los(c):
        r = linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq, bounds=grenzen_, method="highs")
        assert r.status == 0, f"het model van de aanvaller is niet oplosbaar: {r.message}"
        return r

    open_ = set(doelen.tolist())
    rng = np.random.default_rng(12)
    for _ in range(6):
        if not open_:
            break
        c = np.zeros(n)
        c[list(open_)] = rng.choice([-1.0, 1.0], len(open_))
        x = los(c).x
        open_ -= {i for i in open_ if abs(x[i] - m.waar[i]) >= 1 - 1e-6}
    gevonden = []
    for i in sorted(open_):
        c = np.zeros(n)
        c[i] = 1
        laag = los(c).fun
        hoog = -los(-c).fun
        if np.ceil(laag - 1e-6) >= np.floor(hoog + 1e-6):
            gevonden.append(i)
            if genoeg is not None and len(gevonden) >= genoeg:
                break
    return gevonden
