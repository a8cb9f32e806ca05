"""Input an attacker or a careless export produces: refused in Dutch (file, row, column), exit 2.

And CSV the kit writes is safe to open in a spreadsheet: no cell runs as a formula, and
what is exported reads back in unchanged.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import pytest

from conftest import SAMPLE, klein, schrijf
from duiding.opslag import Opslag

DUIDING = [sys.executable, "-m", "duiding"]


def _controleer(map) -> subprocess.CompletedProcess:
    return subprocess.run(DUIDING + ["controleer", str(map)], capture_output=True, text=True, timeout=300)


def _geweigerd(r: subprocess.CompletedProcess, *woorden: str) -> None:
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    for w in woorden:
        assert w in r.stderr, (w, r.stderr)


@pytest.mark.parametrize("kolom", ["sofinummer", "burgerservicenummer", "Burger_Service_Nummer", "BSN_nr",
                                   "Sofi-nr"])
def test_bsn_kolom_in_elke_schrijfwijze(tmp_path, kolom):
    t = klein()
    t["trajecten"][kolom] = "x"
    _geweigerd(_controleer(schrijf(tmp_path / "d", t)), "trajecten.csv", f"kolom {kolom.lower()}",
               "burgerservicenummers")


@pytest.mark.parametrize("bsn", ["1234.56.782", "123 456 782", "123-456-782", "123456782"])
def test_bsn_als_client_id_ook_met_scheidingstekens(tmp_path, bsn):
    t = klein()
    t["trajecten"].loc[2, "client_id"] = bsn
    _geweigerd(_controleer(schrijf(tmp_path / "d", t)), "trajecten.csv, rij 4, kolom client_id", "elfproef")


def test_geen_bsn_wel_geweigerd_bij_gewoon_nummer(tmp_path):
    t = klein()
    t["trajecten"].loc[2, "client_id"] = "123-456-789"  # fails the 11-proof: an ordinary number
    assert _controleer(schrijf(tmp_path / "d", t)).returncode == 0


@pytest.mark.parametrize("bestand,kolom,code", [("wijken", "wijk_code", "stad"), ("wijken", "wijk_code", "Totaal"),
                                                ("aanbieders", "aanbieder_id", "stad")])
def test_code_die_de_kit_zelf_gebruikt(tmp_path, bestand, kolom, code):
    t = klein()
    oud = t[bestand].loc[0, kolom]
    t[bestand].loc[0, kolom] = code
    for ander in ("trajecten", "ervaringen", "bevolking", "budget", "realisatie"):
        if kolom in t[ander]:
            t[ander][kolom] = t[ander][kolom].replace(oud, code)
    map = schrijf(tmp_path / "d", t)
    _geweigerd(_controleer(map), f"{bestand}.csv, rij 2, kolom {kolom}", "gebruikt de kit zelf")
    r = subprocess.run(DUIDING + ["cijfers", "--indicator", "bereik", "--per", "wijk", "--data", str(map)],
                       capture_output=True, text=True, timeout=300)
    _geweigerd(r, f"{bestand}.csv")  # the same message, never a pandas traceback


@pytest.mark.parametrize("waarde", ["inf", "1e400", "NaN", "-Infinity"])
def test_bedrag_dat_geen_getal_is(tmp_path, waarde):
    t = klein()
    t["budget"]["budget_eur"] = t["budget"]["budget_eur"].astype(object)
    t["budget"].loc[1, "budget_eur"] = waarde
    _geweigerd(_controleer(schrijf(tmp_path / "d", t)), "budget.csv, rij 3, kolom budget_eur", "geen getal")


def test_datum_in_de_toekomst(tmp_path):
    t = klein()
    t["trajecten"].loc[3, "startdatum"] = "2099-01-01"
    map = schrijf(tmp_path / "d", t)
    _geweigerd(_controleer(map), "trajecten.csv, rij 5, kolom startdatum", "in de toekomst")
    r = subprocess.run(DUIDING + ["cijfers", "--indicator", "bereik", "--per", "stad", "--data", str(map)],
                       capture_output=True, text=True, timeout=300)
    _geweigerd(r, "in de toekomst")  # 2099 never becomes the default period


def test_datum_in_het_lopende_kwartaal(tmp_path):
    from datetime import date

    from duiding.periode import Kwartaal
    t = klein()
    lopend = Kwartaal.van_datum(date.today())
    t["trajecten"].loc[1, "einddatum"] = lopend.begin.isoformat()  # happened, but the quarter is not over
    _geweigerd(_controleer(schrijf(tmp_path / "d", t)), "trajecten.csv, rij 3, kolom einddatum",
               f"lopende kwartaal ({lopend})")


def test_utf8_met_een_windows_byte_wordt_geweigerd(tmp_path):
    map = schrijf(tmp_path / "d", klein())
    regels = (map / "wijken.csv").read_text(encoding="utf-8").splitlines()
    regels[1] = regels[1].replace("Noord", "Noordérf")  # UTF-8 é
    tekst = "\n".join(regels) + "\n"
    data = tekst.encode("utf-8").replace(b"Zuid", "Zuidé".encode("cp1252"))  # one cp1252 é on row 3
    (map / "wijken.csv").write_bytes(data)
    _geweigerd(_controleer(map), "wijken.csv, rij 3", "mengt twee tekencoderingen", "CSV UTF-8")


def test_geheel_windows_1252_blijft_leesbaar(tmp_path):
    map = schrijf(tmp_path / "d", klein())
    pad = map / "wijken.csv"
    pad.write_bytes(pad.read_text(encoding="utf-8").replace("Zuid", "Zuidé").encode("cp1252"))
    r = _controleer(map)
    assert r.returncode == 0, r.stderr
    from duiding import laad
    assert "Zuidé" in set(laad(map).wijken["naam"])


def test_nul_byte_ergens_in_het_bestand(tmp_path):
    t = klein()
    t["trajecten"] = t["trajecten"].loc[[0] * 400].reset_index(drop=True)  # past the first 8 kB
    t["trajecten"]["traject_id"] = [f"T{i}" for i in range(400)]
    map = schrijf(tmp_path / "d", t)
    pad = map / "trajecten.csv"
    regels = pad.read_bytes().split(b"\n")
    regels[300] = regels[300].replace(b"jeugd", b"jeu\x00gd")
    pad.write_bytes(b"\n".join(regels))
    _geweigerd(_controleer(map), "trajecten.csv, rij 301", "NUL")


def test_absurde_vormen_vroeg_geweigerd(tmp_path):
    map = schrijf(tmp_path / "d", klein())
    # a million columns: refused on the shape of the header, before any parsing
    (map / "wijken.csv").write_text(",".join(f"k{i}" for i in range(1_000_000)) + "\n" + "x," * 10 + "\n",
                                    encoding="utf-8")
    _geweigerd(_controleer(map), "wijken.csv, rij 1", "langer dan 100.000 tekens")
    (map / "wijken.csv").write_text(",".join(f"k{i}" for i in range(2_000)) + "\n", encoding="utf-8")
    _geweigerd(_controleer(map), "wijken.csv, rij 1", "2.000 kolommen")
    schrijf(map, {"wijken": klein()["wijken"]})
    with open(map / "aanbieders.csv", "r+b") as f:  # 300 MB, sparse: nothing is read
        f.truncate(300 << 20)
    _geweigerd(_controleer(map), "aanbieders.csv", "grens voor dit bestand is 256 MB")


def test_export_is_veilig_in_een_spreadsheet_en_komt_ongeschonden_terug(tmp_path):
    opslag = tmp_path / "o.sqlite"
    o = Opslag(opslag)
    s = o.sessie_maken("wijk", "WK034407", "2024-Q4", "=HYPERLINK(\"http://x\";\"klik\")", onderwerp_naam="Zuid")
    verhalen = {"bereik": "=WEBSERVICE(\"http://x\")", "wachttijd": "+31 procent", "ervaringen": "@SUM(A1)",
                "budget": "-5 cliënten, en '=gewoon tekst"}
    for sectie, verhaal in verhalen.items():
        o.bewaar(s.id, sectie, {"verhaal": verhaal, "wat_zien_we": "'=al een apostrof"}, "-Cor")
    doel = tmp_path / "export.csv"
    r = subprocess.run(DUIDING + ["duidingen", "exporteer", "--uitvoer", str(doel), "--opslag", str(opslag)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    cellen = [c for rij in csv.reader(io.StringIO(doel.read_text(encoding="utf-8-sig"))) for c in rij]
    assert not [c for c in cellen if c.startswith(("=", "+", "-", "@", "\t", "\r"))], cellen
    assert "'=WEBSERVICE(\"http://x\")" in cellen and "''=al een apostrof" in cellen
    # import into a fresh store: every text exactly as it was
    nieuw = tmp_path / "n.sqlite"
    r = subprocess.run(DUIDING + ["duidingen", "importeer", str(doel), "--data", str(SAMPLE), "--opslag",
                                  str(nieuw)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    n = Opslag(nieuw)
    [sessie] = n.sessies()
    assert sessie.titel == s.titel
    for sectie, verhaal in verhalen.items():
        d = n.laatste(sessie.id, sectie)
        assert (d.verhaal, d.wat_zien_we, d.auteur) == (verhaal, "'=al een apostrof", "-Cor")


def test_cijfers_csv_zonder_formules_getallen_blijven_getallen(tmp_path):
    t = klein()
    boos = '=HYPERLINK("http://x";"klik")'
    for naam in ("wijken", "trajecten", "ervaringen", "bevolking"):
        t[naam]["wijk_code"] = t[naam]["wijk_code"].replace("W1", boos)
    map = schrijf(tmp_path / "d", t)
    doel = tmp_path / "c.csv"
    r = subprocess.run(DUIDING + ["cijfers", "--indicator", "bereik", "--per", "wijk", "--privacy", "geen",
                                  "--data", str(map), "--uitvoer", str(doel)], capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stderr
    rijen = list(csv.DictReader(io.StringIO(doel.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert {r["groep"] for r in rijen} >= {"'" + boos, "W2", "stad"}
    assert not [c for r in rijen for c in r.values() if c.startswith(("=", "+", "@"))]
    assert all(r["waarde"] == "" or r["waarde"].replace(",", "").lstrip("-").isdigit() for r in rijen)


def test_import_met_een_te_lang_veld(tmp_path):
    bestand = tmp_path / "lang.csv"
    bestand.write_text("sessie_titel,soort,onderwerp,periode,datum,indicator,verhaal\n"
                       f"Sessie,wijk,Zuid,2024-Q4,2024-10-12,bereik,{'x' * 200_000}\n", encoding="utf-8")
    r = subprocess.run(DUIDING + ["duidingen", "importeer", str(bestand), "--data", str(SAMPLE), "--opslag",
                                  str(tmp_path / "o.sqlite")], capture_output=True, text=True, timeout=300)
    _geweigerd(r, "lang.csv, regel 2", "langer dan 131.072 tekens", "niets geïmporteerd")
    assert Opslag(tmp_path / "o.sqlite").sessies() == []
