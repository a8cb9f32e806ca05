"""The cache of validated tables: a second load of unchanged data is read from Parquet, and any change
to the data, the mapping or the contract is checked afresh."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from conftest import SAMPLE
from duiding import gegevens, laad
from duiding.controle import cache
from duiding.exceptions import ValidatieFout

TABELLEN = ["trajecten", "aanbieders", "wijken", "bevolking", "ervaringen", "budget", "realisatie", "wachttijden",
            "gemeenten", "locaties", "postcodes"]


@pytest.fixture
def eigen_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "duiding" / "tabellen"


def _niet_controleren(monkeypatch):
    def weigeren(*a, **k):
        raise AssertionError("de gegevens zijn opnieuw gecontroleerd")
    monkeypatch.setattr(gegevens, "controleer", weigeren)


def test_tweede_keer_uit_de_cache_met_dezelfde_tabellen_en_meldingen(tmp_path, eigen_cache, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(SAMPLE, data)
    vers = laad(data, bewaar=False)
    laad(data)  # checked, then kept
    assert len(list(eigen_cache.iterdir())) == 1
    assert eigen_cache.stat().st_mode & 0o077 == 0  # pseudonymised rows: nobody else on the machine reads them
    with monkeypatch.context() as m:
        _niet_controleren(m)
        uit_cache = laad(data)
    for stam in TABELLEN:
        pd.testing.assert_frame_equal(getattr(uit_cache, stam), getattr(vers, stam), check_exact=True)
    assert uit_cache.hash == vers.hash and uit_cache.perioden() == vers.perioden()
    assert uit_cache.rapport.problemen == vers.rapport.problemen
    assert uit_cache.rapport.samenvatting == vers.rapport.samenvatting
    assert uit_cache.rapport.als_tekst() == vers.rapport.als_tekst()


def test_een_gewijzigd_bestand_wordt_opnieuw_gecontroleerd(tmp_path, eigen_cache, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(SAMPLE, data)
    laad(data)
    pad = data / "trajecten.csv"
    origineel = pad.read_bytes()
    # one byte: a wet that does not exist, in a row far down the file; same size, same file name
    kop, rest = origineel.split(b"\n", 1)
    regels = rest.split(b"\n")
    regels[40000] = regels[40000].replace(b",jeugd,", b",jeugt,", 1).replace(b",wmo,", b",wmx,", 1)
    pad.write_bytes(kop + b"\n" + b"\n".join(regels))
    assert pad.stat().st_size == len(origineel)
    with pytest.raises(ValidatieFout) as fout:
        laad(data)
    assert "rij 40002" in fout.value.rapport.als_tekst()
    # back to the original bytes: the kept tables serve again, without a check
    pad.write_bytes(origineel)
    with monkeypatch.context() as m:
        _niet_controleren(m)
        laad(data)


def test_andere_koppeling_of_contract_of_nieuw_bestand_is_een_andere_sleutel(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(SAMPLE, data)
    eerst = cache.sleutel(data, None)
    assert cache.sleutel(data, None) == eerst
    monkeypatch.setattr(cache, "_CONTRACT", "een ander contract")
    assert cache.sleutel(data, None) != eerst
    monkeypatch.undo()
    (data / "postcodes.csv").write_text("postcode,wijk_code\n3581AB,WK034401\n", encoding="utf-8")
    assert cache.sleutel(data, None) != eerst


def test_fouten_worden_niet_bewaard_en_een_kapotte_cache_wordt_genegeerd(tmp_path, eigen_cache):
    data = tmp_path / "data"
    shutil.copytree(SAMPLE, data)
    (data / "wijken.csv").write_text("wijk_code,naam\n", encoding="utf-8")
    with pytest.raises(ValidatieFout):
        laad(data)
    assert not eigen_cache.exists() or not [p for p in eigen_cache.iterdir() if not p.name.startswith(".")]
    shutil.copy(SAMPLE / "wijken.csv", data / "wijken.csv")
    vers = laad(data)
    (plek,) = list(eigen_cache.iterdir())
    (plek / "trajecten.arrow").write_bytes(b"geen arrow")  # a damaged entry: read afresh
    opnieuw = laad(data)
    pd.testing.assert_frame_equal(opnieuw.trajecten, vers.trajecten)


def test_beschermde_tabellen_gedeeld_met_een_vers_proces_en_nooit_zonder_privacy(tmp_path, eigen_cache, monkeypatch):
    from duiding import onderwerp

    data = tmp_path / "data"
    shutil.copytree(SAMPLE, data)
    o = onderwerp.wijk("Overvecht", data=str(data))
    berekend = o.tabel("bereik", "wijk")
    (plek,) = list(eigen_cache.iterdir())
    assert len(list((plek / "cijfers").glob("*.arrow"))) == 1
    # a fresh process on the same data: nothing in memory, the table is read, not computed
    gegevens._GELADEN.clear()
    with monkeypatch.context() as m:
        m.setattr(onderwerp, "cijfers", lambda *a, **k: pytest.fail("de tabel is opnieuw berekend"))
        _niet_controleren(m)
        o2 = onderwerp.wijk("Overvecht", data=str(data))
        assert o2.g is not o.g
        pd.testing.assert_frame_equal(o2.tabel("bereik", "wijk"), berekend, check_exact=True)
        # another quarter, privacy level or wet is another table
        with pytest.raises(pytest.fail.Exception):
            o2.tabel("bereik", "wijk", wet="jeugd")
    # raw figures (privacy geen) are never written to disk
    gemaakt = cache.tabel(o.g.cache_sleutel, ("bereik", "wijk"), "geen", lambda: berekend.head(3))
    assert len(gemaakt) == 3 and len(list((plek / "cijfers").glob("*.arrow"))) == 1
