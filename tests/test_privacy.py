"""Privacy: nothing hidden can be recomputed from everything the kit publishes, read together.

The mechanism (cell-key perturbation, `duiding.privacy`) is checked on its own promises
first; then `tests/aanval.py` attacks the whole publication of a data folder, the sample
and small gemeenten that hypothesis makes up, with a linear program over every relation
an outsider knows. The same attack is run against plain suppression (exact figures, small
ones hidden) to show that it does find what a weak publication leaks.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import aanval
from duiding import codes, laad
from duiding.cijfers import cijfers, kies_perioden
from duiding.indicatoren import bereken
from duiding.indicatoren.basis import KOLOMMEN, SLEUTEL_MODULUS
from duiding.periode import reeks
from duiding.privacy import KANS, MAX_RUIS, RUIS, beveilig, ruis
from tests.conftest import SAMPLE

pytestmark = pytest.mark.traag

VENSTER = ("2024-Q1", "2024-Q2")  # two quarters from the start of a year: stock-flow and budget relations apply


def tabel(waarden, sleutels, waardesoort="telling", groepen=None) -> pd.DataFrame:
    n = len(waarden)
    return pd.DataFrame({
        "indicator": "x", "per": "wijk", "groep": groepen if groepen is not None else [f"g{i}" for i in range(n)], "periode": "2024-Q1", "maat": "m",
        "waarde": np.asarray(waarden, float), "thema": "", "naar": "", "waardesoort": waardesoort, "basis": np.nan,
        "basis_maat": "", "familie": "", "sleutel": np.asarray(sleutels, float), "vorm": "", "teller": "",
        "noemer": "", "factor": np.nan})[KOLOMMEN]


aantallen = st.lists(st.tuples(st.integers(0, 60), st.integers(0, SLEUTEL_MODULUS - 1)), min_size=1, max_size=40)


@settings(max_examples=200, deadline=None)
@given(aantallen)
def test_intern_hides_1_to_4_and_moves_the_rest_a_little(cellen):
    waarden, sleutels = map(np.array, zip(*cellen))
    uit = beveilig(tabel(waarden, sleutels), "intern")
    verborgen = (uit["status"] == "verborgen").to_numpy()
    assert verborgen[(waarden >= 1) & (waarden <= 4)].all()
    assert (waarden[verborgen] <= 4 + MAX_RUIS).all()  # a hidden cell holds at most 7 people
    assert uit.loc[verborgen, "waarde"].isna().all()
    getoond = uit.loc[~verborgen, "waarde"].to_numpy()
    echt = waarden[~verborgen]
    assert (getoond[echt == 0] == 0).all()  # an empty cell is 0 or hidden, never another number
    assert (getoond[echt > 0] >= 5).all() and (np.abs(getoond - echt) <= MAX_RUIS).all()


def test_intern_hidden_cells_hold_0_to_7_people():
    """Otherwise "hidden" would say "1-4", and a hidden line under a hidden total gives each >= 1."""
    rng = np.random.default_rng(5)
    waarden = np.repeat(np.arange(0, 9), 2000)
    uit = beveilig(tabel(waarden, rng.integers(0, SLEUTEL_MODULUS, len(waarden))), "intern")
    verborgen = (uit["status"] == "verborgen").to_numpy()
    deel = np.array([verborgen[waarden == v].mean() for v in range(9)])
    assert 0.4 < deel[0] < 0.6  # half the empty cells
    assert (deel[1:5] == 1).all() and 0.2 < deel[5] < 0.3 and 0 < deel[6] < 0.1 and deel[8] == 0


@settings(max_examples=200, deadline=None)
@given(aantallen)
def test_openbaar_hides_0_to_7_and_rounds_to_five(cellen):
    waarden, sleutels = map(np.array, zip(*cellen))
    uit = beveilig(tabel(waarden, sleutels), "openbaar")
    geheim = (uit["status"] == "geheim").to_numpy()
    assert (geheim == (waarden <= 7)).all()
    getoond = uit.loc[~geheim, "waarde"].to_numpy()
    assert (getoond % 5 == 0).all() and (getoond >= 10).all()
    assert (np.abs(getoond - waarden[~geheim]) <= 2 + MAX_RUIS).all()


def test_noise_follows_its_table_and_is_unbiased():
    sleutels = (np.arange(200_000) + 0.5) * (SLEUTEL_MODULUS / 200_000)
    e = ruis(sleutels)
    aandeel = np.array([(e == r).mean() for r in RUIS])
    assert np.allclose(aandeel, KANS, atol=1e-4)
    assert abs(e.mean()) < 1e-3 and e.min() == -MAX_RUIS and e.max() == MAX_RUIS


def test_a_cells_figure_depends_on_the_cell_alone():
    """Same count and same people: the same figure, whatever table, order or neighbours."""
    rng = np.random.default_rng(3)
    waarden, sleutels = rng.integers(0, 50, 300), rng.integers(0, SLEUTEL_MODULUS, 300)
    namen = np.array([f"g{i}" for i in range(300)])
    alleen = np.array([beveilig(tabel([w], [s], groepen=[g]), "intern")["waarde"].iloc[0]
                       for w, s, g in zip(waarden, sleutels, namen)])
    samen = beveilig(tabel(waarden, sleutels, groepen=namen), "intern")["waarde"].to_numpy()
    geschud = rng.permutation(300)
    anders = beveilig(tabel(waarden[geschud], sleutels[geschud], groepen=namen[geschud]), "intern")["waarde"].to_numpy()
    np.testing.assert_array_equal(samen, alleen)
    np.testing.assert_array_equal(anders, samen[geschud])


def test_derived_figures_rest_on_protected_counts():
    rijen = [
        dict(groep="a", maat="n", waarde=40, sleutel=123456789),
        dict(groep="a", maat="pos", waarde=3, sleutel=987654321, waardesoort="hulp"),
        dict(groep="a", maat="pos_pct", waarde=7.5, waardesoort="afgeleid", basis_maat="n", vorm="ratio", teller="pos",
             noemer="n", factor=100.0),
        dict(groep="b", maat="n", waarde=52, sleutel=555555555),
        dict(groep="b", maat="pos", waarde=26, sleutel=444444444444, waardesoort="hulp"),
        dict(groep="b", maat="pos_pct", waarde=50.0, waardesoort="afgeleid", basis_maat="n", vorm="ratio", teller="pos",
             noemer="n", factor=100.0),
        dict(groep="b", maat="onder_pct", waarde=36.8, waardesoort="afgeleid", basis_maat="n", vorm="wilson_onder",
             teller="pos", noemer="n", factor=100.0),
        dict(groep="b", maat="mediaan", waarde=20.0, waardesoort="afgeleid", basis_maat="n"),
        dict(groep="c", maat="n", waarde=6, sleutel=1),
        dict(groep="c", maat="mediaan", waarde=11.0, waardesoort="afgeleid", basis_maat="n"),
        dict(groep="c", maat="bedrag", waarde=3.0, waardesoort="bedrag"),
    ]
    ruw = pd.DataFrame(rijen).assign(indicator="x", per="wijk", periode="2024-Q1", thema="", naar="", familie="",
                                     basis=np.nan)
    ruw = ruw.fillna({"waardesoort": "telling", "basis_maat": "", "vorm": "", "teller": "", "noemer": ""})
    ruw = ruw.reindex(columns=KOLOMMEN).fillna({"vorm": "", "teller": "", "noemer": "", "familie": ""})
    intern = beveilig(ruw, "intern").set_index(["groep", "maat"])
    assert "pos" not in set(intern.index.get_level_values("maat"))  # hulp counts are never published
    assert intern.loc[("a", "pos_pct"), "status"] == "verborgen"  # its count is 3
    n_b = intern.loc[("b", "n"), "waarde"]
    pos_b = 26 + ruis([444444444444])[0]
    assert intern.loc[("b", "pos_pct"), "waarde"] == pytest.approx(100 * pos_b / n_b)
    from duiding.indicatoren import wilson
    assert intern.loc[("b", "onder_pct"), "waarde"] == pytest.approx(100 * wilson(pos_b, n_b)[0])
    assert intern.loc[("b", "mediaan"), "waarde"] == 20.0 and intern.loc[("c", "bedrag"), "waarde"] == 3.0
    openbaar = beveilig(ruw, "openbaar").set_index(["groep", "maat"])
    assert openbaar.loc[("c", "mediaan"), "status"] == "geheim"  # 6 people: below the public threshold of 8
    geen = beveilig(ruw, "geen")
    assert (geen["status"] == "niet delen").all() and geen["waarde"].notna().all()
    assert geen.set_index(["groep", "maat"]).loc[("b", "pos_pct"), "waarde"] == 50.0  # geen stays exact


@pytest.fixture(scope="module")
def sample():
    return laad(SAMPLE)


@pytest.mark.parametrize("indicator,per", [("bereik", "wijk"), ("bereik", "aanbieder"), ("bereik", "productcategorie"),
                                           ("wachttijd", "aanbieder"), ("ervaringen", "wijk"),
                                           ("overgangen", "aanbieder"), ("verdieping", "wijk")])
def test_sample_tables_show_no_small_counts(sample, indicator, per):
    ruw = bereken(sample, indicator, per, reeks("2024-Q1", "2024-Q4"))
    uit = beveilig(ruw, "intern")
    ruw = ruw[ruw["waardesoort"] != "hulp"].reset_index(drop=True)
    telling = uit["waardesoort"] == "telling"
    assert not (telling & (uit["status"] == "") & uit["waarde"].between(1, 4)).any()
    klein = telling & ruw["waarde"].between(1, 4)
    assert (uit.loc[klein, "status"] == "verborgen").all()


def test_published_columns(sample):
    perioden = kies_perioden(sample, "2024-Q4")
    t = cijfers(sample, "ervaringen", "aanbieder", perioden)
    assert list(t.columns) == ["indicator", "per", "groep", "periode", "thema", "maat", "waarde", "status"]
    t = cijfers(sample, "bereik", "wijk", perioden)
    assert list(t.columns) == ["indicator", "per", "groep", "periode", "maat", "waarde", "status"]
    assert set(t["status"]) <= {"", "verborgen"}
    assert not t.columns.str.contains("client").any()


# -- the attack -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def publicaties(sample):
    return {niveau: aanval.publicatie(sample, reeks(*VENSTER), niveau) for niveau in ("intern", "openbaar")}


@pytest.mark.parametrize("niveau", ["intern", "openbaar"])
def test_attack_on_everything_published_recovers_nothing(publicaties, niveau):
    m = aanval.model(publicaties[niveau], niveau)
    doelen = m.verborgen & (m.waar >= 1) & (m.waar <= 4)
    assert doelen.sum() > 500 and len(m.gelijk) > 1000  # a real publication, with real relations
    assert aanval.vastgepind(m) == []


def test_the_attack_breaks_plain_suppression(publicaties):
    """The same attacker against exact figures with only 1-4 hidden: it must find them."""
    pub = publicaties["intern"].copy()
    tel = pub["waardesoort"].isin(aanval.TELLING)
    echt = pub["waarde"]
    pub.loc[tel, "gepubliceerd"] = echt.where(~echt.between(1, 4))
    m = aanval.model(pub, "exact")
    assert len(aanval.vastgepind(m, genoeg=100)) == 100


def test_derived_figures_are_functions_of_published_counts(publicaties):
    """A percentage times its total, an average times its quarters: nothing beyond the published counts."""
    pub = publicaties["intern"]
    cel = ["indicator", "per", "wet", "groep", "periode", "thema", "naar"]
    tel = pub[pub["waardesoort"].isin(aanval.TELLING)].set_index(cel + ["maat"])["gepubliceerd"]
    tel = tel[~tel.index.duplicated()]
    afg = pub[(pub["waardesoort"] == "afgeleid")]
    # every figure names the published count it rests on, and every count has its cell key:
    # nothing is decided on a raw number
    assert (afg["basis_maat"] != "").all()
    assert pub.loc[pub["waardesoort"].isin(aanval.TELLING), "sleutel"].notna().all()
    # every share, rate and average is recomputed; only order statistics keep their own value
    zelf = afg[afg["vorm"] == ""]
    assert set(zelf["maat"]) <= {"mediaan_dagen", "p90_dagen", "doorlooptijd_mediaan_dagen",
                                 "doorlooptijd_p25_dagen", "doorlooptijd_p75_dagen", "duur_mediaan_dagen"}
    ratio = afg[(afg["vorm"] == "ratio") & afg["gepubliceerd"].notna()]
    teller = tel.reindex(pd.MultiIndex.from_frame(ratio[cel].assign(maat=ratio["teller"]))).to_numpy()
    noemer = np.where(ratio["noemer"] != "",
                      tel.reindex(pd.MultiIndex.from_frame(ratio[cel].assign(maat=ratio["noemer"]))).to_numpy(), 1.0)
    np.testing.assert_allclose(ratio["gepubliceerd"], ratio["factor"] * teller / noemer, rtol=1e-9)
    verschil = ratio["gepubliceerd"].to_numpy() != ratio["waarde"].to_numpy()
    assert verschil.sum() > 100  # the noise reaches the derived figures


def _gemeente(tmp_path, data) -> None:
    """Write a small gemeente's data folder in the contract's shape from hypothesis' draws."""
    wijken = [f"WK09990{i}" for i in range(1, data.draw(st.integers(2, 3)) + 1)]
    aanbieders = [("B1", "basiszorg", "beide"), ("A1", "aanvullend", "jeugd"), ("A2", "aanvullend", "wmo"),
                  ("A3", "aanvullend", "beide")]
    rijen = []
    for c in range(data.draw(st.integers(15, 70))):
        wet = data.draw(st.sampled_from(["jeugd", "wmo"]))
        wijk = data.draw(st.sampled_from(wijken))
        for k in range(data.draw(st.integers(1, 3))):
            aanb = data.draw(st.sampled_from([a for a, _, w in aanbieders if w in (wet, "beide")]))
            start = pd.Timestamp("2023-10-01") + pd.Timedelta(days=data.draw(st.integers(0, 260)))
            eind = data.draw(st.one_of(st.none(), st.integers(0, 200)))
            eind = None if eind is None else start + pd.Timedelta(days=eind)
            rijen.append(dict(
                traject_id=f"T{c:03d}{k}", client_id=f"p{c:04d}x", wet=wet, aanbieder_id=aanb,
                productcategorie=data.draw(st.sampled_from(sorted(codes.PRODUCT[wet]))), wijk_code=wijk,
                verwijzer=data.draw(st.sampled_from(sorted(codes.VERWIJZER))) if wet == "jeugd" else "",
                aanmelddatum=(start - pd.Timedelta(days=data.draw(st.integers(0, 100)))).date(),
                startdatum=start.date(), einddatum=None if eind is None else eind.date(),
                reden_beeindiging=data.draw(st.sampled_from(sorted(codes.REDEN[wet]))) if eind is not None else "",
                geboortejaar=2010 if wet == "jeugd" else 1960))
    pd.DataFrame(rijen).to_csv(tmp_path / "trajecten.csv", index=False)
    pd.DataFrame([dict(aanbieder_id=a, naam=f"Aanbieder {a}", soort=s, wet=w) for a, s, w in aanbieders]).to_csv(
        tmp_path / "aanbieders.csv", index=False)
    pd.DataFrame([dict(wijk_code=w, naam=f"Wijk {i}") for i, w in enumerate(wijken)]).to_csv(
        tmp_path / "wijken.csv", index=False)
    pd.DataFrame([dict(jaar=2024, wijk_code=w, leeftijdsgroep=g, aantal=900) for w in wijken
                  for g in codes.LEEFTIJDSGROEPEN]).to_csv(tmp_path / "bevolking.csv", index=False)
    antwoorden = [dict(respons_id=f"R{i:04d}", aanbieder_id=data.draw(st.sampled_from([a for a, _, _ in aanbieders])),
                       wijk_code=data.draw(st.sampled_from(wijken + [""])),
                       datum=(pd.Timestamp("2024-01-01") + pd.Timedelta(days=data.draw(st.integers(0, 180)))).date(),
                       thema=data.draw(st.sampled_from(sorted(codes.THEMAS))), score=data.draw(st.integers(1, 5)))
                  for i in range(data.draw(st.integers(1, 40)))]
    pd.DataFrame(antwoorden, columns=["respons_id", "aanbieder_id", "wijk_code", "datum", "thema", "score"]).to_csv(
        tmp_path / "ervaringen.csv", index=False)
    pd.DataFrame([dict(jaar=2024, aanbieder_id=a, budget_eur=100000.0, afgesproken_clienten=20)
                  for a, _, _ in aanbieders]).to_csv(tmp_path / "budget.csv", index=False)
    pd.DataFrame([dict(jaar=2024, kwartaal=k, aanbieder_id=a, kosten_eur=25000.0) for a, _, _ in aanbieders
                  for k in (1, 2)]).to_csv(tmp_path / "realisatie.csv", index=False)


@settings(max_examples=4, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large])
@given(data=st.data(), niveau=st.sampled_from(["intern", "openbaar"]))
def test_attack_on_small_gemeenten_recovers_nothing(tmp_path_factory, data, niveau):
    map_ = tmp_path_factory.mktemp("gemeente")
    _gemeente(map_, data)
    g = laad(map_)
    m = aanval.model(aanval.publicatie(g, reeks(*VENSTER), niveau), niveau)
    assert aanval.vastgepind(m) == []
