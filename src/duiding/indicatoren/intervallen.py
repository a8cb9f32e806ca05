"""in_zorg without a row per quarter: merged intervals and difference arrays.

A client is in care in a cel (groep, quarter) when one of its trajecten in that groep
spans the quarter. Expanding every traject to the quarters it spans gives four rows per
traject in a national set (22 million), to be made distinct. Here the trajecten of each
(groep, client) are sorted by their first quarter and overlapping ranges merged into
disjoint intervals; each interval adds its client (1, and the client's record key) at
its first quarter and takes it off after its last. A cumulative sum over the quarters
then gives the count and the key of every cel: one sort of the trajecten per table.

The key of a cel adds a record key once even when two clients share it (`botst`, a few
in a national set): those clients' intervals are expanded (a handful of rows) and the
double keys taken off.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .basis import SLEUTEL_MODULUS


def bits_nodig(n: int) -> int:
    return max(1, (n - 1).bit_length())


def anders_dan_vorige(k: np.ndarray) -> np.ndarray:
    """For a sorted array: True where a value differs from the one before it."""
    nieuw = np.empty(len(k), dtype=bool)
    if len(k):
        nieuw[0] = True
        np.not_equal(k[1:], k[:-1], out=nieuw[1:])
    return nieuw


def dubbele_sleutels(cel: np.ndarray, hk: np.ndarray) -> pd.Series:
    """Per cel, what summing the keys of its clients added too much: a key n clients share, n - 1 times.

    `cel` and `hk` are the distinct (cel, client) rows of the clients whose key another
    client has (`botst`); the result is indexed by cel.
    """
    n = pd.DataFrame({"cel": cel, "hk": hk}).groupby(["cel", "hk"]).size()
    return ((n - 1) * n.index.get_level_values("hk")).groupby(level="cel").sum()


def tel_actief(ci: np.ndarray, lo: np.ndarray, hi: np.ndarray, groep: np.ndarray, ng: int, nq: int,
               hk: np.ndarray, botst: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct clients per (groep, quarter) over trajecten active in quarters lo..hi (0..nq-1).

    `ci` are the trajecten's client codes, `groep` their groep codes 0..ng-1; `hk` and
    `botst` are per client code. Returns the counts and the keys as (ng, nq) arrays.
    """
    cb, qb = bits_nodig(len(hk)), bits_nodig(nq + 1)
    if bits_nodig(ng) + cb + 2 * qb > 63:
        raise OverflowError("te veel cellen om te tellen")
    k = groep.astype(np.int64) << (cb + 2 * qb)
    k |= ci.astype(np.int64) << (2 * qb)
    k |= lo.astype(np.int64) << qb
    k |= hi.astype(np.int64)
    k.sort()
    masker = (1 << qb) - 1
    lo, hi, gc = (k >> qb) & masker, k & masker, k >> (2 * qb)
    del k
    # a traject opens a new interval when it starts after every earlier one of its (groep, client) has ended
    eerste = anders_dan_vorige(gc)
    stap = (np.cumsum(eerste) - 1) * (nq + 1)  # keeps the running maximum within one (groep, client)
    tot_nu = np.maximum.accumulate(hi + stap) - stap
    begint = eerste.copy()
    begint[1:] |= lo[1:] > tot_nu[:-1]
    seg = np.flatnonzero(begint)
    van, tot = lo[seg], np.maximum.reduceat(hi, seg) if len(seg) else hi[:0]
    g, c = gc[seg] >> cb, gc[seg] & ((1 << cb) - 1)
    sleutel = hk[c]
    aan, af = g * (nq + 1) + van, g * (nq + 1) + tot + 1
    n = np.bincount(aan, minlength=ng * (nq + 1)) - np.bincount(af, minlength=ng * (nq + 1))
    s = np.zeros(ng * (nq + 1), dtype=np.int64)
    np.add.at(s, aan, sleutel)
    np.subtract.at(s, af, sleutel)
    n = n.reshape(ng, nq + 1).cumsum(axis=1)[:, :nq]
    s = s.reshape(ng, nq + 1).cumsum(axis=1)[:, :nq]
    gedeeld = botst[c]
    if gedeeld.any():  # a key shared by clients of one cel is added once
        lengte = (tot - van + 1)[gedeeld]
        cel = np.repeat(g[gedeeld] * nq + van[gedeeld], lengte) + _binnen(lengte)  # (groep, quarter) flat
        te_veel = dubbele_sleutels(cel, np.repeat(sleutel[gedeeld], lengte))
        plek = te_veel.index.to_numpy()
        np.subtract.at(s, (plek // nq, plek % nq), te_veel.to_numpy(dtype=np.int64))
    return n, s % SLEUTEL_MODULUS


def _binnen(lengte: np.ndarray) -> np.ndarray:
    """0..n-1 for each n in `lengte`, one after the other."""
    eind = np.cumsum(lengte)
    return np.arange(eind[-1] if len(eind) else 0) - np.repeat(eind - lengte, lengte)
