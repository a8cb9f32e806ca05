"""Validation at national scale takes short cuts; each must tell exactly what the row-by-row path tells.

A large CSV is read by Arrow's parallel reader with its dates typed at once, and rules are
checked on the distinct values of a column. Any value that does not fit sends the file or
the column down the slow path that names the rows. These tests damage copies of the sample
the way real exports go wrong and require the same tables and the same messages either way.
"""

from __future__ import annotations

import csv
import os
import random
import shutil

import numpy as np
import pandas as pd
import pytest

from conftest import SAMPLE
from duiding import iorw, laad
from duiding.controle import cache, controleer
from duiding.controle.kolommen import buiten, oplopend, paren_van, per_waarde
from duiding.exceptions import ValidatieFout

# what exports hold where a value should be: Excel's dates, padded codes, stray spaces, a BSN …
KAPOT = ["", " ", "2024-02-30", "31-03-2023", "2024-1-5", "1850-01-01", "2101-01-01", "abc", "6", " jeugd",
         "JEUGD", "Wmo", "99", "1.234", "12,5", "-3", "1e3", "123456782", "T00000001", "WK999", "2099-01-01",
         "stad", "\u00a0x", "07", "31", "2024-06-31", " 2023-05-01 "]


def _beschadig(doel, seed: int) -> None:
    r = random.Random(seed)
    shutil.copytree(SAMPLE, doel)
    for naam in ("trajecten.csv", "ervaringen.csv", "aanbieders.csv", "bevolking.csv", "wijken.csv"):
        pad = doel / naam
        with pad.open(encoding="utf-8", newline="") as f:
            rijen = list(csv.reader(f))
        for _ in range(r.choice([0, 1, 4, 25])):
            i, j = r.randrange(1, len(rijen)), r.randrange(len(rijen[0]))
            rijen[i][j] = r.choice(KAPOT + [rijen[r.randrange(1, len(rijen))][j]])  # or another row's value
        if r.random() < 0.3:  # not sorted on the key: duplicates must be found another way
            rijen[1:] = sorted(rijen[1:], key=lambda _: r.random())
        with pad.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows(rijen)


def _uitkomst(map):
    rapport, tabellen, _ = controleer(map)
    return [p.tekst() for p in rapport.problemen], tabellen


@pytest.mark.parametrize("seed", range(8))
def test_arrow_lezen_en_snelle_regels_zeggen_hetzelfde_als_rij_voor_rij(tmp_path, monkeypatch, seed):
    _beschadig(tmp_path / "data", seed)
    meldingen, tabellen = _uitkomst(tmp_path / "data")  # small files: pandas' reader, dates as text
    monkeypatch.setattr(iorw, "GROOT", 0)  # every file as if it were national: Arrow's reader, typed dates
    snel_meldingen, snel_tabellen = _uitkomst(tmp_path / "data")
    assert snel_meldingen == meldingen
    assert tabellen.keys() == snel_tabellen.keys()
    for stam, df in tabellen.items():
        pd.testing.assert_frame_equal(snel_tabellen[stam], df, check_exact=True)
    if seed in (1, 3):  # these seeds damage values: the comparison is about real messages
        assert sum(m.startswith("trajecten.csv") or m.startswith("ervaringen.csv") for m in meldingen) > 0


def test_een_grote_csv_krijgt_zijn_datums_bij_het_lezen(tmp_path, monkeypatch):
    """The short cut is really taken on clean data, and refused for one impossible date."""
    shutil.copytree(SAMPLE, tmp_path / "data")
    monkeypatch.setattr(iorw, "GROOT", 0)
    datums = ("aanmelddatum", "startdatum", "einddatum")
    ruw = iorw.lees_ruw(tmp_path / "data" / "trajecten.csv", datums)
    assert all(pd.api.types.is_datetime64_any_dtype(ruw.tabel[k]) for k in datums)
    pad = tmp_path / "data" / "trajecten.csv"
    regels = pad.read_text(encoding="utf-8").split("\n")
    kop = regels[0].split(",")
    cellen = regels[500].split(",")
    cellen[kop.index("startdatum")] = "2023-02-29"  # not a leap year
    regels[500] = ",".join(cellen)
    pad.write_text("\n".join(regels), encoding="utf-8")
    ruw = iorw.lees_ruw(pad, datums)
    assert ruw.tabel["startdatum"].dtype == "str"
    with pytest.raises(ValidatieFout) as fout:
        laad(tmp_path / "data", bewaar=False)
    assert "trajecten.csv, rij 501, kolom startdatum (waarde '2023-02-29'): deze datum bestaat niet" in \
        fout.value.rapport.als_tekst()


def test_een_herschreven_bestand_met_dezelfde_tijd_en_grootte_wordt_opnieuw_gecontroleerd(tmp_path, monkeypatch):
    """The stamp that spares hashing is not fooled by a file given back its old modification time."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    data = tmp_path / "data"
    shutil.copytree(SAMPLE, data)
    laad(data)
    pad = data / "aanbieders.csv"
    st = pad.stat()
    voor = cache.stempel(data, None)
    tekst = pad.read_text(encoding="utf-8")
    pad.write_text(tekst.replace(",jeugd\n", ",jeugt\n", 1), encoding="utf-8")  # same size, a wet that is not
    assert pad.read_text(encoding="utf-8") != tekst
    assert pad.stat().st_size == st.st_size
    os.utime(pad, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert cache.stempel(data, None) != voor
    with pytest.raises(ValidatieFout) as fout:
        laad(data)
    assert "aanbieders.csv" in fout.value.rapport.als_tekst() and "jeugt" in fout.value.rapport.als_tekst()


def test_hulpen_op_unieke_waarden_zijn_gelijk_aan_pandas():
    r = np.random.default_rng(7)
    woorden = np.array(["jeugd", "wmo", "6", "06", "", " x", "Wmo", "45", "ééN"])
    s = pd.Series(r.choice(woorden, 5000), dtype="str")
    t = pd.Series(r.choice(woorden[:4], 5000), dtype="str")
    toegestaan = {"jeugd", "06", "45"}
    pd.testing.assert_series_equal(buiten(s, toegestaan), ~s.isin(list(toegestaan)), check_names=False)
    pd.testing.assert_series_equal(per_waarde(s, str.upper), s.str.upper(), check_names=False)
    assert per_waarde(t, str.lower) is t  # nothing to change: the column itself, no copy
    paren = set(paren_van(pd.DataFrame({"a": s, "b": t}), "a", "b"))
    assert paren == set(pd.DataFrame({"a": s, "b": t}).drop_duplicates().itertuples(index=False, name=None))
    oplopende = pd.Series([f"T{i:08d}" for i in range(1000)], dtype="str")
    assert oplopend(oplopende)
    assert not oplopend(pd.Series(list(oplopende[:500]) + ["T00000001"] + list(oplopende[500:]), dtype="str"))
    assert not oplopend(oplopende[::-1].reset_index(drop=True))  # unsorted but unique: the count decides
