"""Each indicator against the hand-made fixture of conftest.klein(), computed by hand.

The fixture (2024):
  T1 c1 jeugd B1(basiszorg) W1  aanmeld 01-02 start 01-10 eind 03-31 (31)
  T2 c2 jeugd A1            W1  aanmeld 12-01 start 02-15 lopend
  T3 c3 wmo   A2            W2  aanmeld 01-01 start 03-01 eind 04-01 (19)  <- ends on a first day
  T4 c1 jeugd A1            W2  no aanmeld    start 04-01 lopend           <- c1 moved wijk
  T5 c4 jeugd B1(basiszorg) W2  aanmeld 02-20 start 02-29 eind 05-15 (38)  <- 29 February
  T6 c2 jeugd A1            W1  aanmeld 03-01 start 03-31 eind 06-30 (31)  <- starts on a last day,
                                                                             c2 twice in Q1
"""

from __future__ import annotations

import pandas as pd
import pytest

from duiding import laad
from duiding.exceptions import ParameterFout
from duiding.indicatoren import bereken, wilson
from duiding.periode import reeks
from tests.conftest import klein, schrijf

JAAR = reeks("2024-Q1", "2024-Q4")


@pytest.fixture(scope="module")
def g(tmp_path_factory):
    return laad(schrijf(tmp_path_factory.mktemp("k") / "k", klein()))


def waarden(df, **filt):
    for k, v in filt.items():
        df = df[df[k] == v]
    return df.set_index(["groep", "periode"])["waarde"].to_dict() if "maat" in filt else df


def w(df, groep, periode, maat, **extra):
    sel = df[(df["groep"] == groep) & (df["periode"] == periode) & (df["maat"] == maat)]
    for k, v in extra.items():
        sel = sel[sel[k] == v]
    assert len(sel) == 1, (groep, periode, maat, sel)
    return sel["waarde"].iloc[0]


def test_in_zorg_instroom_uitstroom(g):
    b = bereken(g, "bereik", "wijk", JAAR)
    verwacht = {
        "in_zorg": {("W1", "2024-Q1"): 2, ("W2", "2024-Q1"): 2, ("stad", "2024-Q1"): 4,
                    ("W1", "2024-Q2"): 1, ("W2", "2024-Q2"): 3, ("stad", "2024-Q2"): 4,
                    ("W1", "2024-Q3"): 1, ("W2", "2024-Q3"): 1, ("stad", "2024-Q3"): 2},
        "instroom": {("W1", "2024-Q1"): 2, ("W2", "2024-Q1"): 2, ("stad", "2024-Q1"): 4,
                     ("W1", "2024-Q2"): 0, ("W2", "2024-Q2"): 1, ("stad", "2024-Q2"): 1,
                     ("stad", "2024-Q3"): 0},
        "uitstroom": {("W1", "2024-Q1"): 1, ("W2", "2024-Q1"): 0, ("stad", "2024-Q1"): 1,
                      ("W1", "2024-Q2"): 1, ("W2", "2024-Q2"): 2, ("stad", "2024-Q2"): 3,
                      ("stad", "2024-Q3"): 0},
    }
    for maat, cellen in verwacht.items():
        for (groep, periode), waarde in cellen.items():
            assert w(b, groep, periode, maat) == waarde, (maat, groep, periode)


def test_empty_quarter_is_zero_not_missing(g):
    b = bereken(g, "bereik", "wijk", JAAR)
    assert w(b, "W1", "2024-Q3", "instroom") == 0
    assert w(b, "stad", "2024-Q4", "uitstroom") == 0


def test_basiszorg_share_and_per_1000(g):
    b = bereken(g, "bereik", "wijk", JAAR)
    assert w(b, "W1", "2024-Q1", "in_zorg_basiszorg") == 1
    assert w(b, "W1", "2024-Q1", "in_zorg_aanvullend") == 1
    assert w(b, "W1", "2024-Q1", "aandeel_basiszorg_pct") == 50
    assert w(b, "W1", "2024-Q1", "per_1000_jeugd") == pytest.approx(2.0)   # 2 of 1000
    assert w(b, "W2", "2024-Q1", "per_1000_jeugd") == pytest.approx(0.5)   # 1 of 2000
    assert w(b, "stad", "2024-Q1", "per_1000_jeugd") == pytest.approx(1.0)  # 3 of 3000
    assert w(b, "W2", "2024-Q1", "per_1000_volwassen") == pytest.approx(0.2)  # 1 of 5000 (18+)


def test_reden_and_verwijzer_mix(g):
    b = bereken(g, "bereik", "stad", JAAR)
    for reden in ("31", "19", "38"):
        assert w(b, "stad", "2024-Q2", f"uitstroom_reden_{reden}") == 1
        assert w(b, "stad", "2024-Q2", f"uitstroom_reden_{reden}_pct") == pytest.approx(100 / 3)
    assert w(b, "stad", "2024-Q1", "instroom_verwijzer_06") == 2  # c1 and c4
    assert w(b, "stad", "2024-Q1", "instroom_verwijzer_02") == 1  # c2, twice, counted once
    assert w(b, "stad", "2024-Q1", "instroom_verwijzer_06_pct") == pytest.approx(200 / 3)
    assert w(b, "stad", "2024-Q1", "instroom_verwijzer") == 3  # the family total


def test_doorlooptijd(g):
    b = bereken(g, "bereik", "stad", JAAR)
    # endings in Q2: T3 31 days, T5 76 days (over 29 February), T6 91 days
    assert w(b, "stad", "2024-Q2", "doorlooptijd_mediaan_dagen") == 76
    assert w(b, "stad", "2024-Q2", "doorlooptijd_p25_dagen") == pytest.approx(53.5)
    assert w(b, "stad", "2024-Q2", "doorlooptijd_p75_dagen") == pytest.approx(83.5)


def test_wachttijd(g):
    t = bereken(g, "wachttijd", "stad", JAAR)
    dagen = pd.Series([8, 76, 60, 9, 30])  # T1, T2, T3, T5, T6 start in Q1 with an aanmelddatum
    assert w(t, "stad", "2024-Q1", "n") == 5
    assert w(t, "stad", "2024-Q1", "mediaan_dagen") == dagen.median() == 30
    assert w(t, "stad", "2024-Q1", "p90_dagen") == pytest.approx(dagen.quantile(0.9)) == pytest.approx(69.6)
    assert w(t, "stad", "2024-Q1", "binnen_norm_pct") == 60
    strenger = bereken(g, "wachttijd", "stad", JAAR, norm_dagen=9)
    assert w(strenger, "stad", "2024-Q1", "binnen_norm_pct") == 40
    assert t[(t["periode"] == "2024-Q2")].empty  # T4 has no aanmelddatum


def test_ervaringen_with_wilson(g):
    e = bereken(g, "ervaringen", "aanbieder", JAAR)
    assert w(e, "A1", "2024-Q1", "n", thema="kwaliteit") == 2
    assert w(e, "A1", "2024-Q1", "positief_pct", thema="kwaliteit") == 50
    assert w(e, "A1", "2024-Q1", "ondergrens_pct", thema="kwaliteit") == pytest.approx(9.45, abs=0.01)
    assert w(e, "A1", "2024-Q1", "bovengrens_pct", thema="kwaliteit") == pytest.approx(90.55, abs=0.01)
    assert w(e, "A1", "2024-Q1", "positief_pct", thema="effect") == 100
    per_wijk = bereken(g, "ervaringen", "wijk", JAAR)
    assert w(per_wijk, "stad", "2024-Q1", "n", thema="kwaliteit") == 2  # includes the answer without wijk
    assert w(per_wijk, "W1", "2024-Q1", "n", thema="kwaliteit") == 1


def test_wilson_known_values():
    onder, boven = wilson([8], [10])
    assert onder[0] == pytest.approx(0.4902, abs=1e-4) and boven[0] == pytest.approx(0.9433, abs=1e-4)


def test_budget_vierkant_and_macrovierkant(g):
    b = bereken(g, "budget", "aanbieder", reeks("2024-Q2", "2024-Q2"))
    assert w(b, "A1", "2024-Q2", "kosten_eur") == pytest.approx(230000.25)
    assert w(b, "A1", "2024-Q2", "budget_pro_rata_eur") == 200000
    assert w(b, "A1", "2024-Q2", "realisatie_pct") == pytest.approx(115.000125)
    assert w(b, "A1", "2024-Q2", "prognose_eur") == pytest.approx(460000.5)
    assert w(b, "A1", "2024-Q2", "gemiddeld_in_zorg") == 1.5  # Q1 {c2}, Q2 {c1, c2}
    assert w(b, "A1", "2024-Q2", "afgesproken_clienten") == 20
    assert w(b, "stad", "2024-Q2", "kosten_eur") == pytest.approx(250000.25)
    assert w(b, "stad", "2024-Q2", "realisatie_pct") == pytest.approx(100.0)
    with pytest.raises(ParameterFout):
        bereken(g, "budget", "wijk", JAAR)


def test_overgangen(g):
    o = bereken(g, "overgangen", "aanbieder", JAAR)
    assert w(o, "B1", "2024-Q2", "overgangen", naar="A1") == 1  # c1: buurtteam ended 31-03, A1 from 01-04
    assert w(o, "B1", "2024-Q2", "overgangen", naar="totaal") == 1
    assert w(o, "stad", "2024-Q2", "overgangen", naar="A1") == 1
    assert len(o[o["groep"] != "stad"]) == 2  # nothing else: T6 follows T2 at the same provider
    assert bereken(g, "overgangen", "aanbieder", JAAR, dagen=0).empty  # T4 starts one day after T1 ends
    assert w(bereken(g, "overgangen", "aanbieder", JAAR, dagen=1), "B1", "2024-Q2", "overgangen", naar="A1") == 1


def test_herinstroom_and_schuiven(g, tmp_path):
    v = bereken(g, "verdieping", "stad", JAAR)
    assert w(v, "stad", "2024-Q1", "beeindigd_volgens_plan") == 1  # c1 (T1)
    assert w(v, "stad", "2024-Q1", "herinstroom") == 1  # ... back with T4 the next day
    assert w(v, "stad", "2024-Q2", "beeindigd_volgens_plan") == 2  # c3 (T3), c2 (T6)
    assert w(v, "stad", "2024-Q2", "herinstroom") == 0
    assert w(v, "stad", "2024-Q1", "clienten_aanvullend") == 2
    assert w(v, "stad", "2024-Q1", "schuivers") == 0
    # a second aanvullende provider for c2 within 12 months makes c2 a schuiver
    t = klein()
    t["aanbieders"].loc[len(t["aanbieders"])] = ("A3", "Tweede Test", "aanvullend", "jeugd")
    t["trajecten"].loc[len(t["trajecten"])] = ("T7", "c2", "jeugd", "A3", "45", "W1", "01", "", "2024-08-01",
                                                "", "", "2010")
    g2 = laad(schrijf(tmp_path / "s", t))
    v2 = bereken(g2, "verdieping", "stad", JAAR)
    assert w(v2, "stad", "2024-Q3", "schuivers") == 1
    assert w(v2, "stad", "2024-Q3", "schuiven_pct") == 100


def test_per_productcategorie_wet_soort(g):
    for per, groepen in (("productcategorie", {"45", "54", "01", "stad"}), ("wet", {"jeugd", "wmo", "stad"}),
                         ("soort", {"basiszorg", "aanvullend", "stad"})):
        b = bereken(g, "bereik", per, JAAR)
        assert set(b["groep"]) == groepen
    b = bereken(g, "bereik", "wet", JAAR)
    assert w(b, "jeugd", "2024-Q1", "in_zorg") == 3 and w(b, "wmo", "2024-Q1", "in_zorg") == 1


def test_wet_filter(g):
    b = bereken(g, "bereik", "wijk", JAAR, wet="wmo")
    assert w(b, "W2", "2024-Q1", "in_zorg") == 1 and w(b, "W1", "2024-Q1", "in_zorg") == 0


def test_record_sleutels_in_python_zijn_die_van_de_sql_definitie():
    """The cell keys rest on record keys now computed in Python: they must stay the md5 definition in SQL."""
    import duckdb

    from duiding.indicatoren.basis import SLEUTEL_MODULUS, record_sleutel, record_sleutels

    ids = pd.Series(["p43b970b9f2", "T00000001", "é-ü 1", "", "12345", "x" * 300], dtype="str")
    con = duckdb.connect()
    con.register("x", pd.DataFrame({"i": ids}))
    sql = [r[0] for r in con.execute(f"SELECT {record_sleutel('i')} FROM x").fetchall()]
    python = record_sleutels(ids)
    assert python.tolist() == sql
    assert python.dtype == "int64" and python.between(0, SLEUTEL_MODULUS - 1).all()
    assert python.nunique() == len(ids)  # different ids, different keys
