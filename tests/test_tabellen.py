"""A wijk's or aanbieder's run gets, of a cached table for all groups, exactly the rows its charts use:
the same rows in the same order as filtering the whole table, from the Arrow file and from memory."""

from __future__ import annotations

import shutil

import pandas as pd
import pyarrow as pa
import pytest

from conftest import SAMPLE
from duiding import gegevens, onderwerp
from duiding.indicatoren.basis import TOTAAL
from duiding.tabellen import Tabel


@pytest.fixture
def data(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    gegevens._GELADEN.clear()
    shutil.copytree(SAMPLE, tmp_path / "data")
    yield tmp_path / "data"
    gegevens._GELADEN.clear()


def _gefilterd(heel: pd.DataFrame, groepen) -> pd.DataFrame:
    return heel[heel["groep"].isin(groepen)].reset_index(drop=True)


def test_tabel_geeft_de_rijen_van_de_groepen_in_de_volgorde_van_het_geheel():
    heel = pd.DataFrame({"groep": ["b", "a", "c", TOTAAL, "a", "b"], "periode": list("123456"),
                         "waarde": [1.0, 2.0, None, 4.0, 5.0, 6.0]}).astype({"groep": "str", "periode": "str"})
    t = Tabel(pa.Table.from_pandas(heel))
    deel = t.van(["a", TOTAAL])
    assert list(deel["periode"]) == ["2", "4", "5"]
    pd.testing.assert_frame_equal(deel.reset_index(drop=True), _gefilterd(heel, ["a", TOTAAL]))
    assert t.van(["b"])["periode"].tolist() == ["1", "6"]  # another selection, not the last one again
    assert t.van(["onbekend"]).empty
    pd.testing.assert_frame_equal(t.heel(), heel)
    # once the whole table is in pandas, a selection comes from it, with the same rows
    pd.testing.assert_frame_equal(t.van(["a", TOTAAL]).reset_index(drop=True), _gefilterd(heel, ["a", TOTAAL]))


def test_een_wijk_krijgt_zijn_eigen_rijen_en_die_van_de_stad(data):
    o = onderwerp.wijk("Overvecht", data=str(data))
    for indicator in ("bereik", "wachttijd", "ervaringen"):
        heel = o.tabel(indicator, "wijk", alle_groepen=True)
        assert len(set(heel["groep"])) > 2  # the whole has every wijk: the selection below leaves some out
        deel = o.tabel(indicator, "wijk")
        assert set(deel["groep"]) == {o.code, TOTAAL}
        pd.testing.assert_frame_equal(deel.reset_index(drop=True), _gefilterd(heel, [o.code, TOTAAL]),
                                      check_exact=True)
    # a table split another way than the subject's own is whole
    soort = o.tabel("bereik", "soort")
    assert len(soort) == len(o.tabel("bereik", "soort", alle_groepen=True))


def test_een_aanbieder_krijgt_ook_de_vergelijkbare_aanbieders(data):
    gegevens._GELADEN.clear()
    o = onderwerp.aanbieder("De Wending Jeugdhulp", data=str(data))
    peers = list(o.peers())
    assert len(peers) > 1
    heel = o.tabel("bereik", "aanbieder", alle_groepen=True)
    deel = o.tabel("bereik", "aanbieder")
    assert set(deel["groep"]) == (set(peers) | {TOTAAL}) & set(heel["groep"])
    pd.testing.assert_frame_equal(deel.reset_index(drop=True), _gefilterd(heel, peers + [TOTAAL]), check_exact=True)


def test_de_stad_krijgt_alle_wijken(data):
    o = onderwerp.stad(data=str(data))
    assert set(o.tabel("bereik", "wijk")["groep"]) == set(o.g.wijken["wijk_code"]) | {TOTAAL}


def test_grote_tabellen_uit_de_cache_blijven_arrow_tot_ze_nodig_zijn(data):
    from duiding import laad
    from duiding.tabellen import LuiVeld

    vers = laad(data, bewaar=False)
    laad(data)  # checked, then kept
    g = laad(data)  # from the cache
    assert isinstance(LuiVeld.ruw(g, "trajecten"), pa.Table) and isinstance(LuiVeld.ruw(g, "ervaringen"), pa.Table)
    assert g.perioden() == vers.perioden()  # read from the Arrow table's dates
    assert isinstance(LuiVeld.ruw(g, "trajecten"), pa.Table)
    pd.testing.assert_frame_equal(g.trajecten, vers.trajecten, check_exact=True)
    pd.testing.assert_frame_equal(g.ervaringen, vers.ervaringen, check_exact=True)
    assert isinstance(LuiVeld.ruw(g, "trajecten"), pd.DataFrame)  # made pandas once, then kept
    assert g.trajecten is g.trajecten
    assert g.perioden() == vers.perioden()
