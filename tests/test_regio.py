"""A region of gemeenten (issue 17): data, solidariteit, maatschappelijk resultaat, nabijheid, privacy, reports.

The hand-computed fixtures are small data folders written here in the contract's shape;
the region runs use `duiding voorbeelddata --schaal regio` (data/sample-regio).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import aanval
from duiding import laad
from duiding.cijfers import cijfers
from duiding.config import laad_instellingen
from duiding.exceptions import ParameterFout
from duiding.indicatoren import bereken
from duiding.indicatoren.nabijheid import afstanden
from duiding.opslag import Opslag
from duiding.periode import reeks
from duiding.privacy import beveilig
from tests.conftest import ROOT, SAMPLE

REGIO = ROOT / "data" / "sample-regio"
DUIDING = [sys.executable, "-m", "duiding"]


def _draai(*args, cwd=None, check=True) -> subprocess.CompletedProcess:
    r = subprocess.run(DUIDING + list(map(str, args)), capture_output=True, text=True, cwd=cwd)
    if check:
        assert r.returncode == 0, r.stderr
    return r


@pytest.fixture(scope="module")
def regio():
    return laad(REGIO)


# -- the sample region ------------------------------------------------------------------------

def test_sample_region_has_gemeenten_of_very_different_size(regio):
    assert regio.is_regio and regio.gemeente == "Regio Kustwaard"
    assert len(regio.gemeentenamen) == 12
    inwoners = regio.bevolking[regio.bevolking["jaar"] == 2024].assign(
        gm=lambda d: d["wijk_code"].map(regio.gemeente_per_wijk)).groupby("gm")["aantal"].sum()
    assert inwoners.max() > 100_000 and inwoners.min() < 2_500 and (inwoners < 15_000).sum() >= 5
    # every wijk belongs to a gemeente, every location can be placed
    assert set(regio.gemeente_per_wijk.values()) == set(regio.gemeentenamen)


def test_voorbeelddata_regio_is_what_is_committed(tmp_path):
    _draai("voorbeelddata", "--schaal", "regio", "--zaad", "2024", "--uitvoer", tmp_path / "r")
    for pad in REGIO.glob("*.csv"):
        assert (tmp_path / "r" / pad.name).read_bytes() == pad.read_bytes(), pad.name


# -- solidariteit ------------------------------------------------------------------------------

@pytest.mark.parametrize("privacy", ["intern", "openbaar"])
@pytest.mark.parametrize("wet", [None, "jeugd", "wmo"])
def test_solidarity_shares_sum_to_100(regio, privacy, wet):
    t = cijfers(regio, "solidariteit", "gemeente", reeks("2023-Q1", "2024-Q4"), privacy, wet)
    aandelen = t[t["maat"].str.startswith("aandeel_") & (t["groep"] != "stad")]
    assert set(aandelen["maat"]) == {"aandeel_kosten_pct", "aandeel_clienten_pct", "aandeel_jeugdigen_pct",
                                     "aandeel_inwoners_pct"}
    for (periode, maat), deel in aandelen.groupby(["periode", "maat"]):
        assert len(deel) == 12
        if deel["waarde"].isna().any():  # one hidden: all hidden, never 100 minus the others
            assert deel["waarde"].isna().all(), (periode, maat)
        else:
            assert deel["waarde"].sum() == pytest.approx(100, abs=1e-9), (periode, maat)


def test_solidarity_costs_without_gemeente_are_divided_by_days_of_care(regio, tmp_path):
    """The same costs without gemeente_code: divided over the gemeenten, nothing lost, nothing invented."""
    map_ = tmp_path / "zonder"
    map_.mkdir()
    for pad in REGIO.iterdir():
        (map_ / pad.name).write_bytes(pad.read_bytes())
    r = pd.read_csv(REGIO / "realisatie.csv", dtype={"gemeente_code": str})
    r.groupby(["jaar", "kwartaal", "aanbieder_id"], as_index=False)["kosten_eur"].sum().to_csv(
        map_ / "realisatie.csv", index=False)
    zonder = laad(map_)
    p = reeks("2024-Q1", "2024-Q4")
    met = cijfers(regio, "solidariteit", "gemeente", p, "geen")
    verdeeld = cijfers(zonder, "solidariteit", "gemeente", p, "geen")
    kosten = lambda t: t[(t["maat"] == "kosten_eur") & (t["periode"] == "2024-Q4")].set_index("groep")["waarde"]  # noqa
    assert kosten(verdeeld).drop("stad").sum() == pytest.approx(r[r["jaar"] == 2024]["kosten_eur"].sum(), rel=1e-9)
    # the sample's costs follow the days of care, so the division lands close to the given costs
    np.testing.assert_allclose(kosten(verdeeld), kosten(met), rtol=0.08)
    assert not np.allclose(kosten(verdeeld), kosten(met), rtol=1e-6)


def test_solidarity_needs_a_region():
    with pytest.raises(ParameterFout, match="regio"):
        cijfers(laad(SAMPLE), "solidariteit", "gemeente", reeks("2024-Q4", "2024-Q4"))


# -- a hand-computed region --------------------------------------------------------------------

def _hand_regio(map_: Path) -> None:
    """Two gemeenten (GM9101 with two wijken, GM9102 with one), two aanbieders, trajecten with known endings."""
    map_.mkdir()
    pd.DataFrame({"gemeente_code": ["GM9101", "GM9102"], "naam": ["Noordkaap", "Zuidoord"]}).to_csv(
        map_ / "gemeenten.csv", index=False)
    # wijk centres in RD New: WK910101 at (100000, 450000), WK910102 10 km east, WK910201 30 km east
    pd.DataFrame({"wijk_code": ["WK910101", "WK910102", "WK910201"], "naam": ["Haven", "Polder", "Dorp"],
                  "x": [100000, 110000, 130000], "y": [450000, 450000, 450000]}).to_csv(map_ / "wijken.csv",
                                                                                     index=False)
    pd.DataFrame({"aanbieder_id": ["A1", "A2"], "naam": ["Eerste Hulp", "Tweede Hulp"], "soort": ["aanvullend"] * 2,
                  "wet": ["jeugd", "beide"], "gemeente_code": ["GM9101", ""]}).to_csv(map_ / "aanbieders.csv",
                                                                                      index=False)
    # A1: one location in WK910101; A2: one location 2 km from WK910201 (given as x/y) and one by postcode
    pd.DataFrame({"aanbieder_id": ["A1", "A2", "A2"], "naam": ["", "Oost", "Postcodelocatie"],
                  "x": ["", "132000", ""], "y": ["", "450000", ""], "postcode": ["", "", "9999 zz"],
                  "wijk_code": ["WK910101", "", ""]}).to_csv(map_ / "locaties.csv", index=False)
    pd.DataFrame({"postcode": ["9999ZZ"], "x": [100500], "y": [450000]}).to_csv(map_ / "postcodes.csv", index=False)
    rijen = []

    def traject(i, client, wijk, aanbieder, start, eind="", reden="", wet="jeugd"):
        rijen.append(dict(traject_id=f"T{i:03d}", client_id=f"c{client:03d}", wet=wet, aanbieder_id=aanbieder,
                          productcategorie="45" if wet == "jeugd" else "02", wijk_code=wijk,
                          verwijzer="02" if wet == "jeugd" else "", aanmelddatum="", startdatum=start,
                          einddatum=eind, reden_beeindiging=reden, geboortejaar=2012 if wet == "jeugd" else 1950))

    # ended in 2023-Q1 at A1, gemeente GM9101: 10 as planned (31), 3 early by the client (32), and endings that
    # do not count: 2 overstap (38), 1 wijzigingsverzoek (37). Durations: planned 40..85 days by 5.
    n = 0
    for k in range(10):
        traject(n, n, "WK910101" if k < 6 else "WK910102", "A1", "2022-12-01",
                (pd.Timestamp("2022-12-01") + pd.Timedelta(days=40 + 5 * k)).date().isoformat(), "31")
        n += 1
    for k in range(3):
        traject(n, n, "WK910101", "A1", "2022-11-01", "2023-02-15", "32")
        n += 1
    for reden in ("38", "38", "37"):
        traject(n, n, "WK910101", "A1", "2022-11-01", "2023-03-01", reden)
        n += 1
    # herinstroom: clients 0, 1 and 2 (ended as planned in 2023-Q1) start again within a year; client 3 after 400 days
    for c, dagen in ((0, 30), (1, 200), (2, 364), (3, 400)):
        eind = pd.Timestamp("2022-12-01") + pd.Timedelta(days=40 + 5 * c)
        traject(n, c, "WK910101", "A1", (eind + pd.Timedelta(days=dagen)).date().isoformat())
        n += 1
    # GM9102: 6 Wmo trajecten at A2 ended in 2023-Q1: 5 as planned (19), 1 by moving away (31, does not count)
    for k in range(6):
        traject(n, n, "WK910201", "A2", "2022-06-01", "2023-01-20", "19" if k < 5 else "31", wet="wmo")
        n += 1
    # still running all of 2024 (the data run to 2024-12-31): 8 in WK910201 at A2, 7 in WK910102 at A1
    for k in range(8):
        traject(n, n, "WK910201", "A2", "2023-06-01", "2024-12-31", "31")
        n += 1
    for k in range(7):
        traject(n, n, "WK910102", "A1", "2023-06-01", "2024-12-31", "31")
        n += 1
    pd.DataFrame(rijen).to_csv(map_ / "trajecten.csv", index=False)


@pytest.fixture(scope="module")
def hand(tmp_path_factory):
    map_ = tmp_path_factory.mktemp("hand") / "regio"
    _hand_regio(map_)
    return laad(map_)


def _waarden(t: pd.DataFrame, periode: str) -> dict:
    t = t[t["periode"] == periode]
    return {(g, m): w for g, m, w in zip(t["groep"], t["maat"], t["waarde"])}


def test_resultaat_against_hand_computed_fixture(hand):
    t = _waarden(cijfers(hand, "resultaat", "gemeente", reeks("2023-Q1", "2023-Q1"), "geen"), "2023-Q1")
    # GM9101: 10 planned + 3 early count (overstap and wijzigingsverzoek do not)
    assert t[("GM9101", "beeindigd")] == 13 and t[("GM9101", "volgens_plan")] == 10
    assert t[("GM9101", "volgens_plan_pct")] == pytest.approx(100 * 10 / 13)
    # durations: 40..85 (planned) and 106 (2022-11-01 to 2023-02-15) three times: the median of 13 is the 7th
    assert sorted([40 + 5 * k for k in range(10)] + [106] * 3)[6] == 70
    assert t[("GM9101", "duur_mediaan_dagen")] == 70
    # herinstroom: of the 10 ended as planned, clients 0, 1 and 2 came back within 365 days (3 after 400: no)
    assert t[("GM9101", "gevolgd")] == 10 and t[("GM9101", "herinstroom")] == 3
    assert t[("GM9101", "herinstroom_pct")] == pytest.approx(30.0)
    # GM9102 (Wmo): 19 counts, 31 (verhuizing) does not
    assert t[("GM9102", "beeindigd")] == 5 and t[("GM9102", "volgens_plan_pct")] == pytest.approx(100.0)
    # the region: both together
    assert t[("stad", "beeindigd")] == 18 and t[("stad", "volgens_plan")] == 15
    # one aanbieder in each gemeente; every aanbieder within one gemeente
    a1 = _waarden(cijfers(hand, "resultaat", "gemeente", reeks("2023-Q1", "2023-Q1"), "geen", aanbieder="A1"),
                  "2023-Q1")
    assert a1[("GM9101", "beeindigd")] == 13 and ("GM9102", "beeindigd") not in a1
    gm = _waarden(cijfers(hand, "resultaat", "aanbieder", reeks("2023-Q1", "2023-Q1"), "geen", gemeente="Zuidoord"),
                  "2023-Q1")
    assert gm[("A2", "beeindigd")] == 5 and ("A1", "beeindigd") not in gm


def test_herinstroom_only_where_a_full_year_follows(hand):
    t = cijfers(hand, "resultaat", "gemeente", reeks("2023-Q1", "2024-Q4"), "geen")
    gevolgd = set(t.loc[t["maat"] == "herinstroom_pct", "periode"])
    assert "2023-Q1" in gevolgd and not gevolgd & {"2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"}


def test_nabijheid_against_hand_computed_distances(hand):
    km = afstanden(hand).set_index(["wijk_code", "aanbieder_id"])["km"]
    # A1 sits in WK910101: 0 km there, 10 km from WK910102; A2's nearest to WK910201 is 2 km (x/y location),
    # to WK910101 its postcode location 0,5 km away
    assert km[("WK910101", "A1")] == pytest.approx(0, abs=0.01)
    assert km[("WK910102", "A1")] == pytest.approx(10, rel=0.01)
    assert km[("WK910201", "A2")] == pytest.approx(2, rel=0.01)
    assert km[("WK910101", "A2")] == pytest.approx(0.5, rel=0.02)
    t = _waarden(cijfers(hand, "nabijheid", "gemeente", reeks("2024-Q2", "2024-Q2"), "geen"), "2024-Q2")
    # 2024-Q2: GM9101 has 7 clients in WK910102 at A1 (10 km) and the 4 who came back, in WK910101 at A1
    # (0 km); GM9102 the 8 in WK910201 at A2 (2 km)
    assert t[("GM9101", "clienten_afstand")] == 11 and t[("GM9101", "dichtbij_5km")] == 4
    assert t[("GM9101", "dichtbij_15km")] == 11
    assert t[("GM9102", "dichtbij_5km_pct")] == pytest.approx(100.0)
    # eigen gemeente: A1 is based in GM9101 (its 11 clients there: yes); A2 is based outside the region (no)
    assert t[("GM9101", "eigen_gemeente_pct")] == pytest.approx(100.0)
    assert t[("GM9102", "eigen_gemeente")] == 0 and t[("stad", "eigen_gemeente")] == 11


def test_nabijheid_thresholds_come_from_duiding_toml(hand, tmp_path):
    (tmp_path / "duiding.toml").write_text("nabijheid_km = [1, 12.5]\n", encoding="utf-8")
    inst = laad_instellingen(tmp_path)
    t = cijfers(hand, "nabijheid", "gemeente", reeks("2024-Q2", "2024-Q2"), "geen", inst=inst)
    assert {"dichtbij_1km", "dichtbij_12_5km"} <= set(t["maat"]) and "dichtbij_5km" not in set(t["maat"])


# -- privacy over the whole region -------------------------------------------------------------

def test_small_gemeente_gets_the_same_protection(regio):
    """Every table per gemeente and per wijk: no count of 1-4 shown, for the smallest gemeente too."""
    p = reeks("2024-Q1", "2024-Q4")
    inwoners = regio.inwoners(2024)
    klein = min(regio.gemeentenamen, key=lambda c: sum(inwoners.get(w, 0) for w in regio.wijken_van(c)))
    assert regio.gemeentenaam(klein) == "Slikkerdam"
    gezien = 0
    for indicator in ("bereik", "wachttijd", "ervaringen", "resultaat", "nabijheid", "solidariteit", "budget"):
        for per in ("gemeente", "wijk"):
            try:
                ruw = bereken(regio, indicator, per, p)
            except ParameterFout:  # solidariteit and budget are per gemeente only
                continue
            uit = beveilig(ruw, "intern")
            ruw = ruw[ruw["waardesoort"] != "hulp"].reset_index(drop=True)
            telling = (uit["waardesoort"] == "telling").to_numpy()
            assert not (telling & (uit["status"] == "") & uit["waarde"].between(1, 4)).any(), (indicator, per)
            assert (uit.loc[telling & ruw["waarde"].between(1, 4).to_numpy(), "status"] == "verborgen").all()
            eigen = uit["groep"].isin([klein, *regio.wijken_van(klein)]) & telling
            gezien += int((eigen & ruw["waarde"].between(1, 4).to_numpy()).sum())
    assert gezien > 10  # the small gemeente really has small cells, and they are hidden


def test_attack_on_the_region_recovers_nothing(regio):
    """The outsider's attack (tests/aanval.py) over everything published for the region, gemeenten included."""
    m = aanval.model(aanval.publicatie(regio, reeks("2024-Q1", "2024-Q2"), "intern"), "intern")
    doelen = m.verborgen & (m.waar >= 1) & (m.waar <= 4)
    assert doelen.sum() > 300 and len(m.gelijk) > 1000
    assert aanval.vastgepind(m) == []


# -- validation -------------------------------------------------------------------------------

def _kopie(map_: Path, bron: Path = REGIO) -> Path:
    map_.mkdir()
    for pad in bron.iterdir():
        (map_ / pad.name).write_bytes(pad.read_bytes())
    return map_


def test_unknown_gemeente_and_unplaceable_location_are_named(tmp_path):
    map_ = _kopie(tmp_path / "fout")
    b = pd.read_csv(map_ / "budget.csv", dtype=str)
    b.loc[4, "gemeente_code"] = "GM9999"
    b.to_csv(map_ / "budget.csv", index=False)
    loc = pd.read_csv(map_ / "locaties.csv", dtype=str)
    loc.loc[2, ["x", "y", "wijk_code"]] = ["", "", ""]
    loc.to_csv(map_ / "locaties.csv", index=False)
    voor = {p.name: p.read_bytes() for p in map_.iterdir()}
    r = _draai("controleer", map_, check=False)
    assert r.returncode == 2
    uit = r.stdout + r.stderr
    assert "budget.csv, rij 6, kolom gemeente_code" in uit and "GM9999" in uit
    assert "locaties.csv, rij 4, kolom x" in uit and "x en y" in uit
    assert {p.name: p.read_bytes() for p in map_.iterdir()} == voor  # nothing written


# -- commands and reports ---------------------------------------------------------------------

def test_cijfers_per_gemeente_and_regio():
    r = _draai("cijfers", "--data", REGIO, "--indicator", "bereik", "--per", "gemeente", "--periode", "2024-Q4")
    groepen = {regel.split(";")[2] for regel in r.stdout.splitlines()[1:]}
    assert groepen == {f"GM90{i:02d}" for i in range(1, 13)} | {"stad"}
    r = _draai("cijfers", "--data", REGIO, "--indicator", "resultaat", "--per", "aanbieder", "--gemeente", "Havenstad")
    assert "volgens_plan_pct" in r.stdout
    r = _draai("cijfers", "--data", ROOT / "data" / "sample", "--indicator", "solidariteit", "--per", "gemeente",
               check=False)
    assert r.returncode == 2 and "één gemeente" in r.stderr


@pytest.mark.traag
def test_draai_makes_regio_gemeente_and_aanbieder_reports(tmp_path):
    uit = tmp_path / "uitvoer"
    _draai("draai", "--per", "regio", "--data", REGIO, "--uitvoer", uit, "--periode", "2024-Q4")
    _draai("draai", "--per", "gemeente", "--data", REGIO, "--uitvoer", uit, "--periode", "2024-Q4")
    _draai("draai", "--per", "aanbieder", "--alleen", "Kompas Jeugd-GGZ", "Samen Verder Begeleiding", "--data", REGIO,
           "--uitvoer", uit, "--periode", "2024-Q4")
    map_ = uit / "2024-Q4"
    regio_html = (map_ / "regio" / "regio-kustwaard.html").read_text(encoding="utf-8")
    for woord in ("Solidariteit", "Maatschappelijk resultaat", "Nabijheid", "Slikkerdam", "aandeel in de kosten"):
        assert woord in regio_html, woord
    gemeenten = sorted(p.stem for p in (map_ / "gemeente").glob("*.html"))
    assert len(gemeenten) == 12 and "slikkerdam" in gemeenten
    dijkwaard = (map_ / "gemeente" / "dijkwaard.html").read_text(encoding="utf-8")
    assert "Dijkwaard Noord" in dijkwaard and "Regio Kustwaard" in dijkwaard
    kompas = (map_ / "aanbieder" / "kompas-jeugd-ggz.html").read_text(encoding="utf-8")
    assert "Volgens plan beëindigd per gemeente" in kompas
    index = (map_ / "index.html").read_text(encoding="utf-8")
    assert "De regio" in index and "Gemeenten" in index
    for html in map_.rglob("*.html"):  # no client-level rows anywhere
        assert "client_id" not in html.read_text(encoding="utf-8")
    overzicht = json.loads((map_ / "overzicht.json").read_text(encoding="utf-8"))
    assert all(r["ok"] for r in overzicht)


def test_per_gemeente_on_one_gemeente_says_what_to_do():
    r = _draai("draai", "--per", "gemeente", "--data", ROOT / "data" / "sample", check=False)
    assert r.returncode == 2 and "--per stad" in r.stderr


@pytest.mark.traag
def test_sessions_per_gemeente_and_for_the_region_with_a_verslag(tmp_path):
    """The same forms one level up: a session about a gemeente, one about the region, each with its verslag."""
    url = f"sqlite:///{tmp_path / 'duidingen.sqlite'}"
    r = _draai("sessie", "--gemeente", "Slikkerdam", "--periode", "2024-Q4", "--data", REGIO, "--opslag", url,
               "--uitvoer", tmp_path / "sessies", cwd=tmp_path)
    assert "gemeente Slikkerdam, 2024 K4" in r.stdout
    _draai("sessie", "--regio", "--periode", "2024-Q4", "--data", REGIO, "--opslag", url,
           "--uitvoer", tmp_path / "sessies", cwd=tmp_path)
    opslag = Opslag(url)
    gemeente, regio_ = sorted(opslag.sessies(), key=lambda s: s.id)
    assert (gemeente.soort, gemeente.onderwerp, regio_.soort) == ("gemeente", "GM9012", "regio")
    opslag.bewaar(regio_.id, "solidariteit", {"wat_zien_we": "Havenstad draagt meer dan haar deel van de jeugd",
                                              "waardering": "neutraal"}, auteur="An")
    opslag.bewaar(gemeente.id, "nabijheid", {"wat_zien_we": "Weinig hulp in de eigen gemeente"}, auteur="Bo")
    for s, tekst, sectie in ((regio_, "Havenstad draagt meer", "Solidariteit"),
                             (gemeente, "Weinig hulp in de eigen gemeente", "Nabijheid")):
        pad = tmp_path / f"verslag-{s.id}.html"
        _draai("verslag", str(s.id), "--data", REGIO, "--opslag", url, "--uitvoer", pad, cwd=tmp_path)
        html = pad.read_text(encoding="utf-8")
        assert tekst in html and sectie in html and "Traceback" not in html
