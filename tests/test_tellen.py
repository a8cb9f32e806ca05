"""The numpy counts of distinct clients against a plain Python count, cell by cell.

`tellen` packs cells and clients into integers and sorts them; this counts the same with
sets of client ids per cell, the definition in words, on the sample data and on trajecten
whose client ids share a record key (so the key of a cell adds that key once).
"""

from __future__ import annotations

import copy
from collections import defaultdict

import pandas as pd
import pytest

from duiding import laad
from duiding.indicatoren import tellen
from duiding.indicatoren.basis import SLEUTEL_MODULUS, TOTAAL, record_sleutels
from duiding.periode import Kwartaal

from conftest import SAMPLE

A, Z = 2022 * 4, 2024 * 4 + 3
# two ids whose md5 agree in their first five bytes: one record key for two clients
BOTSEN = ("p0009372", "p0313436")


def kwartaal(d) -> int | None:
    return None if pd.isna(d) else Kwartaal.van_datum(d.date()).index


def met_botsing(g):
    """A copy of g in which the clients of the first two trajecten of one wijk get colliding ids."""
    g = copy.copy(g)
    g.tabellen = {}
    t = g.trajecten.copy()
    wijk = t["wijk_code"].iloc[0]
    rijen = t.index[(t["wijk_code"] == wijk) & t["einddatum"].isna()][:3]
    t["client_id"] = t["client_id"].astype(object)
    t.loc[rijen[0], "client_id"] = BOTSEN[0]
    t.loc[rijen[1], "client_id"] = BOTSEN[1]
    t.loc[rijen[2], "client_id"] = BOTSEN[1]  # one client with two trajecten in the cel
    g.trajecten = t
    return g


def met_de_hand(g, per: str, extra: str | None, kant: str) -> dict:
    """{(groep, q, extra): (count, key)} by sets of client ids; kant in_zorg, qs (instroom), qe."""
    t = g.trajecten
    soort = g.aanbieders.set_index("aanbieder_id")["soort"].to_dict()
    gemeente = g.gemeente_per_wijk
    sleutel = dict(zip(t["client_id"], record_sleutels(t["client_id"])))
    cellen = defaultdict(set)
    kolommen = [t[k].astype(object).where(t[k].notna(), None).tolist()
                for k in ("client_id", "wijk_code", "aanbieder_id", "wet", "reden_beeindiging")]
    for client, wijk, aanbieder, wet, reden, qs, qe in zip(*kolommen, [kwartaal(d) for d in t["startdatum"]],
                                                           [kwartaal(d) for d in t["einddatum"]]):
        if kant == "in_zorg":
            kwartalen = range(max(qs, A), min(Z if qe is None else qe, Z) + 1)
        else:
            q = qs if kant == "qs" else qe
            kwartalen = [q] if q is not None and A <= q <= Z else []
        wijk = wijk or None
        groep = {"wijk": wijk, "aanbieder": aanbieder, "gemeente": gemeente.get(wijk) or None,
                 "stad": TOTAAL}[per]
        waarde = {None: None, "soort": soort.get(aanbieder, "aanvullend"), "wet": wet, "reden": reden or None}[extra]
        if extra == "reden" and waarde is None:
            continue
        for q in kwartalen:
            cellen[(groep, q, waarde)].add(client)
            if per != "stad":
                cellen[(TOTAAL, q, waarde)].add(client)
    return {c: (len(ids), sum({sleutel[i] for i in ids}) % SLEUTEL_MODULUS) for c, ids in cellen.items()}


def als_dict(df: pd.DataFrame, naam: str, extra: str | None) -> dict:
    e = df[extra] if extra else [None] * len(df)
    return {(gr if isinstance(gr, str) else None, int(q), x): (int(n), int(k))
            for gr, q, x, n, k in zip(df["groep"], df["q"], e, df[naam], df[f"{naam}_sleutel"])}


@pytest.fixture(scope="module")
def gegevens():
    """Three wijken of the sample (and the trajecten without a wijk), to keep the count by hand short."""
    g = copy.copy(laad(SAMPLE))
    t = g.trajecten
    wijken = sorted(t["wijk_code"].dropna().unique())[:3]
    g.trajecten = t[t["wijk_code"].isin(wijken) | t["wijk_code"].isna() | (t["wijk_code"] == "")]
    g.tabellen = {}
    return {"sample": g, "botsing": met_botsing(g)}


@pytest.mark.parametrize("data", ["sample", "botsing"])
@pytest.mark.parametrize("per", ["wijk", "aanbieder", "gemeente", "stad"])
def test_in_zorg_per_soort_en_wet_zoals_met_de_hand(gegevens, data, per):
    g = copy.copy(gegevens[data])
    g.tabellen = {}
    for extra in (None, "soort", "wet"):  # the shared pass, asked in the order bereik asks
        berekend = als_dict(tellen.in_zorg(g, per, None, A, Z, extra_groep=extra), "in_zorg",
                            extra and "extra")
        assert berekend == met_de_hand(g, per, extra, "in_zorg"), (per, extra)


@pytest.mark.parametrize("data", ["sample", "botsing"])
@pytest.mark.parametrize("per", ["wijk", "stad"])
def test_instroom_uitstroom_en_reden_zoals_met_de_hand(gegevens, data, per):
    g = copy.copy(gegevens[data])
    g.tabellen = {}
    assert als_dict(tellen.stroom(g, per, None, A, Z, "n", "qs"), "n", None) == met_de_hand(g, per, None, "qs")
    assert als_dict(tellen.stroom(g, per, None, A, Z, "n", "qe"), "n", None) == met_de_hand(g, per, None, "qe")
    reden = tellen.stroom(g, per, None, A, Z, "n", "qe", categorie="reden")
    assert als_dict(reden, "n", "cat") == met_de_hand(g, per, "reden", "qe")


def test_botsing_telt_twee_clienten_en_een_sleutel(gegevens):
    """The collision is real, and the cel counts both clients but adds their shared key once."""
    g = gegevens["botsing"]
    gedeeld = record_sleutels(pd.Series(BOTSEN))
    assert gedeeld[0] == gedeeld[1]
    t = g.trajecten
    beide = t[t["client_id"].isin(BOTSEN)]  # open trajecten of one wijk: all active from the latest start on
    q = max(max(kwartaal(d) for d in beide["startdatum"]), A)
    wijk = beide["wijk_code"].iloc[0]
    g2 = copy.copy(g)
    g2.tabellen = {}
    tabel = tellen.in_zorg(g2, "wijk", None, A, Z)
    cel = tabel[(tabel["groep"] == wijk) & (tabel["q"] == q)].iloc[0]
    actief = t[(t["wijk_code"] == wijk) & (t["startdatum"].map(kwartaal) <= q)
               & t["einddatum"].map(lambda d: d is pd.NaT or pd.isna(d) or kwartaal(d) >= q)]
    clienten = set(actief["client_id"])
    assert set(BOTSEN) <= clienten and cel["in_zorg"] == len(clienten)
    alle_sleutels = sum(record_sleutels(pd.Series(sorted(clienten))))
    assert cel["in_zorg_sleutel"] == (alle_sleutels - gedeeld[0]) % SLEUTEL_MODULUS
