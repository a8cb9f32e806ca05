"""Counting distinct clients per cell in numpy: one sort instead of a hash aggregation.

The counts of people (in_zorg, instroom, uitstroom, the mixes of reden and verwijzer)
are `count(DISTINCT client)` per groep, quarter and sometimes one more column, with the
city total beside them. In SQL each is a hash aggregation over variable-length client
ids, repeated for the total. Here every client, groep and category gets a small integer
code once per `Gegevens` (`telbasis`); for instroom and uitstroom a cell and its client
are packed into one int64, sorted, and made distinct by comparing neighbours, the city
total from those distinct rows with the groep dropped, sorted again. in_zorg, where a
traject counts in every quarter it spans, is counted by intervals (`intervallen`).

A cell's key is the sum modulo 2^40 of the *distinct* record keys of its clients, as
`sleutel_som('hk')` defines it: two clients whose record keys collide (`botst`, a few
in a national set) add their key once. int64 sums wrap modulo 2^64, which keeps the sum
modulo 2^40 exact.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..gegevens import Gegevens
from .basis import PER, SLEUTEL_MODULUS, TOTAAL, record_sleutels, wet_filter
from .intervallen import anders_dan_vorige, bits_nodig, dubbele_sleutels, tel_actief


@dataclass
class Telbasis:
    """The trajecten as integer codes, in the row order of `g.trajecten`."""

    ci: np.ndarray  # client code per traject, 0..n_clienten-1
    hk: np.ndarray  # record key per client code
    botst: np.ndarray  # per client code: another client has the same record key
    qs: np.ndarray  # quarter index of startdatum (-1: none)
    qe: np.ndarray  # quarter index of einddatum (-1: open)
    tekst: dict = field(default_factory=dict)  # column -> a function coding it
    codes: dict = field(default_factory=dict)  # column -> (codes, labels), made on demand; the last label: None

    def code(self, kolom: str) -> tuple[np.ndarray, np.ndarray]:
        if kolom not in self.codes:
            self.codes[kolom] = self.tekst[kolom]()
        return self.codes[kolom]

    @staticmethod
    def ruw(reeks: pd.Series) -> tuple[np.ndarray, np.ndarray]:
        return _met_geen(*pd.factorize(reeks, use_na_sentinel=True))


def _met_geen(codes: np.ndarray, labels) -> tuple[np.ndarray, np.ndarray]:
    """Codes (int32) and labels with a last label None that the codes of missing values (-1) point to."""
    labels = np.append(np.asarray(labels, dtype=object), None)
    codes = codes.astype(np.int32)
    codes[codes < 0] = len(labels) - 1
    return codes, labels


def _kwartaal(datum: pd.Series) -> np.ndarray:
    q = datum.dt.year * 4 + datum.dt.quarter - 1
    return q.fillna(-1).astype(np.int32).to_numpy()


def _leeg(x) -> bool:
    return x is None or x == "" or (isinstance(x, float) and np.isnan(x))


def _of_geen(x):
    """None for an empty or missing value (SQL's nullif(x, ''))."""
    return None if _leeg(x) else x


def _afgeleid(gecodeerd: tuple[np.ndarray, np.ndarray], functie) -> tuple[np.ndarray, np.ndarray]:
    """Codes of a column derived value by value from a coded one (`functie` gets None for none)."""
    codes, labels = gecodeerd
    nieuw, nieuwe_labels = pd.factorize(pd.Series([functie(w) for w in labels], dtype=object), use_na_sentinel=True)
    nieuw, nieuwe_labels = _met_geen(nieuw, nieuwe_labels)
    return nieuw[codes], nieuwe_labels


def _soort_per_aanbieder(g: Gegevens) -> pd.Series:
    return g.aanbieders.drop_duplicates("aanbieder_id").set_index("aanbieder_id")["soort"]


def telbasis(g: Gegevens) -> Telbasis:
    """The integer codes of `g.trajecten`, made once per Gegevens."""
    if "telbasis" in g.tabellen:
        return g.tabellen["telbasis"]
    t = g.trajecten
    ci, clienten = pd.factorize(t["client_id"].astype(str))
    hk = record_sleutels(pd.Series(clienten)).to_numpy()
    gesorteerd = np.sort(hk)
    gedeeld = gesorteerd[1:][gesorteerd[1:] == gesorteerd[:-1]]  # np.unique is far slower than a sort here
    basis = Telbasis(ci=ci.astype(np.int32), hk=hk, botst=np.isin(hk, gedeeld),
                     qs=_kwartaal(t["startdatum"]), qe=_kwartaal(t["einddatum"]))
    soort = _soort_per_aanbieder(g).to_dict()

    def gemeente_van(per_wijk: dict):  # g.gemeente_per_wijk is computed on each use: once here
        return lambda wijk: None if wijk is None else _of_geen(per_wijk.get(wijk))

    def soort_van(aanbieder):  # an aanbieder not in aanbieders.csv counts as aanvullend
        s = soort.get(aanbieder)
        return "aanvullend" if s is None or (isinstance(s, float) and np.isnan(s)) else s

    basis.tekst = {  # each coded when first counted by; derived columns are mapped on the codes of another
        "wijk_code": lambda: _afgeleid(basis.ruw(t["wijk_code"]), _of_geen),
        "gemeente_code": lambda: _afgeleid(basis.code("wijk_code"), gemeente_van(g.gemeente_per_wijk)),
        "aanbieder_id": lambda: basis.ruw(t["aanbieder_id"]),
        "productcategorie": lambda: basis.ruw(t["productcategorie"]),
        "wet": lambda: basis.ruw(t["wet"]),
        "soort": lambda: _afgeleid(basis.code("aanbieder_id"), soort_van),
        "verwijzer": lambda: _afgeleid(basis.ruw(t["verwijzer"]), lambda v: _of_geen(v) or "onbekend"),
        "reden": lambda: _afgeleid(basis.ruw(t["reden_beeindiging"]), _of_geen),
    }
    g.tabellen["telbasis"] = basis
    return basis


def _distinct(k: np.ndarray) -> np.ndarray:
    k = np.sort(k)
    return k[anders_dan_vorige(k)]


def _per_cel(u: np.ndarray, cb: int, b: Telbasis) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """From sorted distinct (cel, client) keys, the client in the low `cb` bits: each cel, its count and key."""
    cel, c = u >> cb, u & ((1 << cb) - 1)
    if not len(cel):
        return cel, cel, cel
    begin = np.flatnonzero(anders_dan_vorige(cel))
    hk = b.hk[c]
    som = np.add.reduceat(hk, begin)
    botst = b.botst[c]
    if botst.any():  # a key shared by two clients of one cell is added once
        te_veel = dubbele_sleutels(cel[botst], hk[botst])
        plek = np.searchsorted(cel[begin], te_veel.index.to_numpy())
        np.subtract.at(som, plek, te_veel.to_numpy(dtype=np.int64))
    return cel[begin], np.diff(np.append(begin, len(cel))), som % SLEUTEL_MODULUS


def tel(b: Telbasis, rijen: np.ndarray, kolommen: list[tuple[str, np.ndarray, np.ndarray]],
        groep: tuple[np.ndarray, np.ndarray] | None, naam: str) -> pd.DataFrame:
    """Distinct clients per groep and `kolommen`, with the city total.

    `rijen` are indices into the trajecten; `kolommen` are (name, codes 0..n-1 per row,
    labels) and `groep` is (codes per row, labels) or None for the city only. Returns
    groep, the columns, `naam` and `naam_sleutel`; the groep of no groep is None.
    """
    cb = bits_nodig(len(b.hk))
    maten = [len(lab) for _, _, lab in kolommen]
    cel = np.zeros(len(rijen), dtype=np.int64)
    for (_, codes, _), m in zip(kolommen, maten):
        cel *= m
        cel += codes
    rb = bits_nodig(int(np.prod(maten, dtype=object)) if maten else 1)
    ci = b.ci[rijen].astype(np.int64)
    delen = []
    if groep is not None:
        gcodes, labels = groep
        if bits_nodig(len(labels)) + rb + cb > 63:
            raise OverflowError("te veel cellen om te tellen")
        sleutel = gcodes.astype(np.int64)
        sleutel <<= rb + cb
        sleutel |= cel << cb
        sleutel |= ci
        u = _distinct(sleutel)
        del sleutel
        cellen, aantal, sleutels = _per_cel(u, cb, b)
        delen.append(_tabel(labels[cellen >> rb], cellen & ((1 << rb) - 1), kolommen, maten, aantal, sleutels, naam))
        ci, cel = u & ((1 << cb) - 1), (u >> cb) & ((1 << rb) - 1)  # the city total from the distinct rows
    cellen, aantal, sleutels = _per_cel(_distinct((cel << cb) | ci), cb, b)
    delen.append(_tabel(np.full(len(cellen), TOTAAL, dtype=object), cellen, kolommen, maten, aantal, sleutels, naam))
    return pd.concat(delen, ignore_index=True)


def _tabel(groep, rest, kolommen, maten, aantal, sleutel, naam) -> pd.DataFrame:
    uit = {"groep": groep}
    for (kol, _, labels), m in zip(reversed(kolommen), reversed(maten)):
        rest, code = np.divmod(rest, m)
        uit[kol] = labels[code]
    uit = {k: uit[k] for k in ["groep"] + [k for k, _, _ in kolommen]}
    uit[naam] = aantal.astype(np.int64)
    uit[f"{naam}_sleutel"] = sleutel.astype(np.int64)
    return pd.DataFrame(uit)


def kwartaal_kolom(q: np.ndarray, a: int, b: int) -> tuple[str, np.ndarray, np.ndarray]:
    """Quarter indices a..b as a count column (codes 0..b-a, labels the indices)."""
    return "q", (q - a).astype(np.int64), np.arange(a, b + 1, dtype=np.int64)


def categorie_kolom(basis: Telbasis, kol: str, rijen: np.ndarray, naam: str) -> tuple[str, np.ndarray, np.ndarray]:
    """A text column as a count column over the given rows; none is a category of its own (None)."""
    codes, labels = basis.code(kol)
    return naam, codes[rijen], labels


def _wet_rijen(b: Telbasis, wet: str | None) -> np.ndarray:
    """A mask of the trajecten under `wet` (all for None)."""
    wet_filter(wet)  # the one check of the parameter
    if wet is None:
        return np.ones(len(b.ci), dtype=bool)
    codes, labels = b.code("wet")
    return codes == (list(labels).index(wet) if wet in labels else -1)


def in_zorg(g: Gegevens, per: str, wet: str | None, a: int, z: int, extra_groep: str | None = None,
            met_totaal: bool = True) -> pd.DataFrame:
    """in_zorg per groep (with the city total) and quarter a..z, optionally per an extra column.

    The one definition of in_zorg: distinct clients with a traject active on at least one
    day of the quarter (startdatum on or before its last day, einddatum none or on or after
    its first). Returns groep, q, [extra], in_zorg, in_zorg_sleutel; counted by intervals
    (see `intervallen`).
    """
    b = telbasis(g)
    qe = np.where(b.qe < 0, z, b.qe)
    rijen = np.flatnonzero(_wet_rijen(b, wet) & (b.qs >= 0) & (b.qs <= z) & (qe >= a))
    lo, hi = np.maximum(b.qs[rijen], a) - a, np.minimum(qe[rijen], z) - a
    del qe
    geldig = hi >= lo
    rijen, lo, hi = rijen[geldig], lo[geldig], hi[geldig]
    ci = b.ci[rijen]
    extra, extra_labels = ((np.zeros(len(rijen), dtype=np.int64), np.array([None], dtype=object))
                           if extra_groep is None else (b.code(extra_groep)[0][rijen], b.code(extra_groep)[1]))
    ne = len(extra_labels)

    def deel(codes: np.ndarray, labels: np.ndarray) -> pd.DataFrame:
        n, s = tel_actief(ci, lo, hi, codes.astype(np.int64) * ne + extra, len(labels) * ne, z - a + 1,
                          b.hk, b.botst)
        gi, qi = np.nonzero(n)
        uit = {"groep": labels[gi // ne], "q": (qi + a).astype(np.int64)}
        if extra_groep is not None:
            uit["extra"] = extra_labels[gi % ne]
        uit["in_zorg"], uit["in_zorg_sleutel"] = n[gi, qi].astype(np.int64), s[gi, qi].astype(np.int64)
        return pd.DataFrame(uit)

    groep = _groep(b, per, rijen)
    delen = [] if groep is None else [deel(*groep)]
    if groep is None or met_totaal:
        delen.append(deel(np.zeros(len(rijen), dtype=np.int64), np.array([TOTAAL], dtype=object)))
    return pd.concat(delen, ignore_index=True)


def stroom(g: Gegevens, per: str, wet: str | None, a: int, z: int, naam: str, kant: str,
           categorie: str | None = None) -> pd.DataFrame:
    """Distinct clients with a traject starting (kant 'qs') or ending ('qe') in each quarter a..z.

    With `categorie` (reden, verwijzer) also per its value as column `cat`; a traject
    without a value for it is left out.
    """
    b = telbasis(g)
    q = getattr(b, kant)
    mask = _wet_rijen(b, wet) & (q >= a) & (q <= z)
    if categorie is not None:
        codes, labels = b.code(categorie)
        mask &= codes != len(labels) - 1
    rijen = np.flatnonzero(mask)
    kolommen = [kwartaal_kolom(q[rijen], a, z)]
    if categorie is not None:
        kolommen.append(categorie_kolom(b, categorie, rijen, "cat"))
    return tel(b, rijen, kolommen, _groep(b, per, rijen), naam)


def _groep(b: Telbasis, per: str, rijen: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    kol = PER[per]
    if kol is None:
        return None
    codes, labels = b.code(kol)
    return codes[rijen], labels
