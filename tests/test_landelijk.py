"""The CBS benchmark: stored from a recorded StatLine answer, compared by size class, shown in the stad report."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from conftest import SAMPLE
from duiding import landelijk
from duiding.exceptions import InvoerFout

pytestmark = pytest.mark.traag

OPNAME = Path(__file__).parent / "opname"


def opname(tabel: str) -> dict:
    """StatLine's answer as recorded (tests/opname/README.md): no network in tests."""
    return json.loads((OPNAME / f"cbs_{tabel}.json").read_text(encoding="utf-8"))


def test_haal_stores_each_table_with_its_id_and_date(tmp_path):
    paden = landelijk.haal(tmp_path, bron=opname, vandaag=date(2026, 11, 24))
    assert sorted(p.name for p in paden) == ["70072NED_2026-11-24.csv", "70072NED_2026-11-24.json",
                                             "85098NED_2026-11-24.csv", "85098NED_2026-11-24.json"]
    df, meta = landelijk.lees(tmp_path, "85098NED")
    assert set(df["regio"]) >= {"NL01", "GM0344", "GM0060"}  # keys back from the titles, padding gone
    assert sorted(df["jaar"].unique()) == [2022, 2023]  # '2023*' (provisional) is 2023
    utrecht = df[(df["regio"] == "GM0344") & (df["jaar"] == 2022)].iloc[0]
    assert utrecht["JongerenMetJeugdhulpInNatura_1"] == 12.1
    assert pd.isna(utrecht["JongerenMetJeugdreclassering_5"])  # CBS's empty stays empty, never 0
    assert meta["maten"]["JongerenMetJeugdhulpInNatura_1"] == {"titel": "Jongeren met jeugdhulp in natura",
                                                               "eenheid": "%"}
    bev, _ = landelijk.lees(tmp_path, "70072NED")
    assert list(bev.columns) == ["regio", "regionaam", "jaar", "TotaleBevolking_1"]  # only what is needed


def test_size_class_median_leaves_out_what_cbs_keeps_secret(tmp_path):
    landelijk.haal(tmp_path, bron=opname, vandaag=date(2026, 11, 24))
    df, meta = landelijk.vergelijking(tmp_path, "GM0344")
    assert meta["klasse"] == "250.000 inwoners of meer"
    natura = df[df["maat"] == "JongerenMetJeugdhulpInNatura_1"].set_index(["jaar", "wie"])
    # peers of Utrecht: Amsterdam 11,2, 's-Gravenhage 10,4, Rotterdam 11,8 (not Eindhoven, 238.478 inwoners)
    assert natura.loc[(2022, "klasse"), "waarde"] == pytest.approx(11.2) and natura.loc[(2022, "klasse"), "n"] == 3
    # 2023: Rotterdam has no figure yet; the median is of the two that do
    assert natura.loc[(2023, "klasse"), "waarde"] == pytest.approx(11.15) and natura.loc[(2023, "klasse"), "n"] == 2
    assert natura.loc[(2022, "Nederland"), "waarde"] == 12.6
    assert natura.loc[(2022, "gemeente"), "waarde"] == 12.1
    reclassering = df[(df["maat"] == "JongerenMetJeugdreclassering_5") & (df["wie"] == "gemeente")]
    assert reclassering["waarde"].isna().all()
    assert landelijk.vergelijking(tmp_path, "GM9999") is None  # a gemeente CBS does not list


def test_no_internet_gives_a_dutch_message_and_writes_nothing(tmp_path):
    def geen_netwerk(tabel):
        raise ConnectionError("no route to host")
    with pytest.raises(InvoerFout, match="kon niet worden opgehaald.*internet"):
        landelijk.haal(tmp_path, bron=geen_netwerk)
    assert not list((tmp_path / "cbs").glob("*.csv"))


@pytest.fixture(scope="module")
def stadrapporten(tmp_path_factory):
    """The stad report of the sample, with and without the stored CBS tables."""
    uit = {}
    for naam, met in (("met", True), ("zonder", False)):
        werk = tmp_path_factory.mktemp(naam)
        data = werk / "data"
        shutil.copytree(SAMPLE, data)
        if met:
            landelijk.haal(data, bron=opname, vandaag=date(2026, 11, 24))
        r = subprocess.run([sys.executable, "-m", "duiding", "draai", "--per", "stad", "--data", str(data),
                            "--uitvoer", str(werk / "uitvoer")], capture_output=True, text=True, timeout=600)
        assert r.returncode == 0, r.stderr
        uit[naam] = next((werk / "uitvoer").glob("*/stad/*.html")).read_text(encoding="utf-8")
    return uit


def test_the_stad_report_shows_the_gemeente_beside_its_class_and_the_netherlands(stadrapporten):
    html = stadrapporten["met"]
    # the chart shows 2022: 2023 is provisional at CBS, with one figure of five
    assert "Utrecht naast vergelijkbare gemeenten en Nederland · 2022" in html
    assert "vergelijkbare gemeenten (250.000 inwoners of meer), mediaan" in html
    assert "12,1" in html and "11,2" in html and "12,6" in html  # Utrecht, the median, the Netherlands (2022)
    assert "geheim (CBS)" in html
    assert "opgehaald 24 nov 2026" in html
    assert "duiding cbs haal" in stadrapporten["zonder"]  # without the tables: how to get them, no chart
    assert "naast vergelijkbare gemeenten en Nederland ·" not in stadrapporten["zonder"]
