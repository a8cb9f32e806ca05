"""Every validation rule: refused with a Dutch message naming file, row and column."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from duiding.controle import controleer
from tests.conftest import klein, schrijf


def _zet(tabellen, bestand, rij, kolom, waarde):
    """Set a value at a 0-based data row (spreadsheet row = rij + 2)."""
    tabellen[bestand][kolom] = tabellen[bestand][kolom].astype(object)
    tabellen[bestand].loc[rij, kolom] = waarde
    return tabellen


GEVALLEN = [
    # (description, mutation, file, spreadsheet row, column, words in the message)
    ("onmogelijke datum", lambda t: _zet(t, "trajecten", 0, "startdatum", "31-02-2024"),
     "trajecten.csv", 2, "startdatum", "bestaat niet"),
    ("onleesbare datum", lambda t: _zet(t, "trajecten", 1, "einddatum", "gisteren"),
     "trajecten.csv", 3, "einddatum", "geen datum"),
    ("geen getal", lambda t: _zet(t, "trajecten", 2, "geboortejaar", "negentien"),
     "trajecten.csv", 4, "geboortejaar", "geen getal"),
    ("onbekende wet", lambda t: _zet(t, "trajecten", 0, "wet", "wlz"),
     "trajecten.csv", 2, "wet", "onbekende code"),
    ("onbekende soort", lambda t: _zet(t, "aanbieders", 1, "soort", "specialistisch"),
     "aanbieders.csv", 3, "soort", "onbekende code"),
    ("productcategorie van de andere wet", lambda t: _zet(t, "trajecten", 2, "productcategorie", "45"),
     "trajecten.csv", 4, "productcategorie", "wet wmo"),
    ("reden van de andere wet", lambda t: _zet(t, "trajecten", 0, "reden_beeindiging", "19"),
     "trajecten.csv", 2, "reden_beeindiging", "wet jeugd"),
    ("verwijzer 07 bestaat niet", lambda t: _zet(t, "trajecten", 1, "verwijzer", "07"),
     "trajecten.csv", 3, "verwijzer", "COD327"),
    ("onbekend thema", lambda t: _zet(t, "ervaringen", 0, "thema", "bejegening"),
     "ervaringen.csv", 2, "thema", "onbekende code"),
    ("score buiten 1-5", lambda t: _zet(t, "ervaringen", 2, "score", "6"),
     "ervaringen.csv", 4, "score", "groter dan 5"),
    ("kwartaal 5", lambda t: _zet(t, "realisatie", 1, "kwartaal", "5"),
     "realisatie.csv", 3, "kwartaal", "groter dan 4"),
    ("onbekende leeftijdsgroep", lambda t: _zet(t, "bevolking", 0, "leeftijdsgroep", "0-18"),
     "bevolking.csv", 2, "leeftijdsgroep", "onbekende code"),
    ("einddatum voor startdatum", lambda t: _zet(t, "trajecten", 0, "einddatum", "2023-12-31"),
     "trajecten.csv", 2, "einddatum", "vóór de startdatum"),
    ("aanmelddatum na startdatum", lambda t: _zet(t, "trajecten", 2, "aanmelddatum", "2024-03-02"),
     "trajecten.csv", 4, "aanmelddatum", "na de startdatum"),
    ("einddatum zonder reden", lambda t: _zet(t, "trajecten", 0, "reden_beeindiging", ""),
     "trajecten.csv", 2, "reden_beeindiging", "geen reden"),
    ("onbekende aanbieder", lambda t: _zet(t, "trajecten", 3, "aanbieder_id", "A9"),
     "trajecten.csv", 5, "aanbieder_id", "aanbieders.csv"),
    ("onbekende wijk", lambda t: _zet(t, "trajecten", 4, "wijk_code", "W9"),
     "trajecten.csv", 6, "wijk_code", "wijken.csv"),
    ("onbekende aanbieder in budget", lambda t: _zet(t, "budget", 1, "aanbieder_id", "X"),
     "budget.csv", 3, "aanbieder_id", "aanbieders.csv"),
    ("dubbel traject_id", lambda t: _zet(t, "trajecten", 4, "traject_id", "T1"),
     "trajecten.csv", 6, "traject_id", "al eerder"),
    ("dubbele wijk_code", lambda t: _zet(t, "wijken", 1, "wijk_code", "W1"),
     "wijken.csv", 3, "wijk_code", "al eerder"),
    ("dubbel aanbieder_id", lambda t: _zet(t, "aanbieders", 2, "aanbieder_id", "A1"),
     "aanbieders.csv", 4, "aanbieder_id", "al eerder"),
    ("dubbel respons_id", lambda t: _zet(t, "ervaringen", 1, "respons_id", "R1"),
     "ervaringen.csv", 3, "respons_id", "al eerder"),
    ("negatief bedrag", lambda t: _zet(t, "realisatie", 0, "kosten_eur", "-5,00"),
     "realisatie.csv", 2, "kosten_eur", "negatief"),
    ("negatief aantal", lambda t: _zet(t, "bevolking", 3, "aantal", "-1"),
     "bevolking.csv", 5, "aantal", "negatief"),
    ("lege verplichte waarde", lambda t: _zet(t, "trajecten", 1, "client_id", ""),
     "trajecten.csv", 3, "client_id", "leeg"),
    ("client_id is een BSN", lambda t: _zet(t, "trajecten", 1, "client_id", "111222333"),
     "trajecten.csv", 3, "client_id", "burgerservicenummer"),
]


def _eerste(rapport, bestand, kolom):
    kandidaten = [p for p in rapport.fouten if p.bestand == bestand and p.kolom == kolom]
    assert kandidaten, f"geen fout voor {bestand}/{kolom}: {rapport.als_tekst()}"
    return kandidaten[0]


@pytest.mark.parametrize("beschrijving,wijzig,bestand,rij,kolom,woorden", GEVALLEN, ids=[g[0] for g in GEVALLEN])
def test_rule(tmp_path, beschrijving, wijzig, bestand, rij, kolom, woorden):
    map = schrijf(tmp_path / "d", wijzig(klein()))
    rapport, _, _ = controleer(map)
    assert not rapport.ok
    p = _eerste(rapport, bestand, kolom)
    assert p.rij == rij
    tekst = p.tekst()
    assert tekst.startswith(f"{bestand}, rij {rij}, kolom {kolom}")
    assert woorden in tekst
    assert p.advies, "every problem says what to do"


def test_nine_digit_pseudonym_failing_elfproef_is_accepted(tmp_path):
    t = _zet(klein(), "trajecten", 1, "client_id", "111222334")
    rapport, _, _ = controleer(schrijf(tmp_path / "d", t))
    assert rapport.ok, rapport.als_tekst()


def test_bsn_column_refused(tmp_path):
    t = klein()
    t["trajecten"]["BSN_nummer"] = "x"
    rapport, _, _ = controleer(schrijf(tmp_path / "d", t))
    p = _eerste(rapport, "trajecten.csv", "bsn_nummer")
    assert "burgerservicenummers" in p.tekst()


def test_missing_required_column(tmp_path):
    t = klein()
    t["aanbieders"] = t["aanbieders"].drop(columns=["soort"])
    rapport, _, _ = controleer(schrijf(tmp_path / "d", t))
    p = _eerste(rapport, "aanbieders.csv", "soort")
    assert "ontbreekt" in p.tekst() and "aanbieder_id" in p.tekst()


def test_missing_required_file_and_optional_file(tmp_path):
    t = klein()
    del t["wijken"], t["ervaringen"]
    rapport, _, _ = controleer(schrijf(tmp_path / "d", t))
    assert any(p.bestand == "wijken.csv" and "ontbreekt" in p.melding for p in rapport.fouten)
    assert any(p.bestand == "ervaringen.csv" for p in rapport.waarschuwingen)
    assert not any(p.bestand == "ervaringen.csv" for p in rapport.fouten)


def test_empty_and_binary_files(tmp_path):
    map = schrijf(tmp_path / "d", klein())
    (map / "budget.csv").write_bytes(b"")
    (map / "realisatie.csv").write_bytes(b"PK\x03\x04\x00\x00binary")
    rapport, _, _ = controleer(map)
    teksten = {p.bestand: p.tekst() for p in rapport.fouten}
    assert "leeg" in teksten["budget.csv"]
    assert "geen tekstbestand" in teksten["realisatie.csv"]


def test_all_problems_at_once_and_capped(tmp_path):
    t = klein()
    groot = pd.concat([t["trajecten"]] * 40, ignore_index=True)
    groot["traject_id"] = [f"T{i}" for i in range(len(groot))]
    groot["wet"] = "wlz"
    t["trajecten"] = groot
    t["wijken"].loc[1, "naam"] = ""
    rapport, _, _ = controleer(schrijf(tmp_path / "d", t))
    wet = [p for p in rapport.fouten if p.kolom == "wet"]
    assert len(wet) == 5  # five rows shown
    assert wet[-1].meer == 235 and "nog 235 rij(en)" in wet[-1].tekst()
    assert any(p.bestand == "wijken.csv" for p in rapport.fouten)  # other files still checked


def test_warnings_do_not_block(klein_map):
    rapport, _, _ = controleer(klein_map)
    assert rapport.ok
    assert any(p.kolom == "aanmelddatum" for p in rapport.waarschuwingen)  # T4 has none


def _cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "duiding", *args], capture_output=True, text=True, env=env)


def test_cli_good_folder_exits_0(klein_map):
    r = _cli("controleer", str(klein_map))
    assert r.returncode == 0, r.stderr
    assert "in orde" in r.stdout and "trajecten" in r.stdout and "2024 K1 t/m 2024 K2" in r.stdout


def test_cli_broken_folder_exits_2(tmp_path):
    map = schrijf(tmp_path / "d", _zet(klein(), "trajecten", 0, "startdatum", "31-02-2024"))
    r = _cli("controleer", "--data", str(map))
    assert r.returncode == 2
    assert "trajecten.csv, rij 2, kolom startdatum (waarde '31-02-2024'): deze datum bestaat niet." in r.stderr


def test_cli_missing_folder_exits_2(tmp_path):
    r = _cli("controleer", str(tmp_path / "bestaat-niet"))
    assert r.returncode == 2 and "bestaat niet" in r.stderr


def test_cli_argument_errors_are_dutch():
    r = _cli("voorbeelddata", "--schaal", "wereld")
    assert r.returncode == 2 and "ongeldige keuze" in r.stderr and "invalid" not in r.stderr
