"""`duiding iberichten`: a gemeente's iJw/iWmo messages become a data folder, with no BSN, name or birth date.

The messages are composed in the published release 3.2 shapes (iberichten_maker.py) and
run through the command as a user runs it, then through controleer and draai.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile

import pandas as pd
import pytest

import iberichten_maker as im

DUIDING = [sys.executable, "-m", "duiding"]
GEHEIM = "a3f1c0de" * 8
ANNA = im.Client("999900006", "2012-05-01", "Jansen", "Anna", postcode="3531AB", huisnummer="12")  # test BSN
BOB = im.Client("999900018", "2009-11-23", "Bakker", "Bob", postcode="3562XY", huisnummer="3")
CEES = im.Client("999900031", "1948-02-29", "de Vries", "Cees", postcode="3531AB", huisnummer="14")
# what may never appear in any output: BSNs, names, birth dates in any notation
PERSOONLIJK = ["999900006", "999900018", "999900031", "Jansen", "Anna", "Bakker", "Bob", "Vries", "Cees",
               "2012-05-01", "01-05-2012", "2009-11-23", "23-11-2009", "1948-02-29", "29-02-1948",
               "Teststraat", "dr. Huisarts"]


def _schrijf(map, naam, tekst):
    (map / naam).write_text(tekst, encoding="utf-8")


@pytest.fixture(scope="module")
def berichten(tmp_path_factory):
    """An export as a gemeente's system gives it: loose files, a sub folder and a zip archive."""
    m = tmp_path_factory.mktemp("berichten") / "export"
    (m / "aanbieder").mkdir(parents=True)
    # Anna: verzoek (huisarts), toewijzing, start in Q1 corrected to categorie 54, stop in Q2 (volgens plan)
    _schrijf(m, "jw315_1.xml", im.bericht("ijw", "315", ANNA, [im.verzoek("R-1", "45", "2024-01-08", "02")],
                                          "2024-01-05", "V1"))
    _schrijf(m, "jw301_1.xml", im.bericht("ijw", "301", ANNA, [im.toewijzing("1001", "45", "2024-01-10", "R-1", "02")],
                                          "2024-01-09", "T1"))
    _schrijf(m / "aanbieder", "jw305_1.xml", im.bericht("ijw", "305", ANNA, [im.start("1001", "45", "2024-01-15")],
                                                        "2024-01-16", "S1"))
    _schrijf(m / "aanbieder", "jw305_2.xml", im.bericht("ijw", "305", ANNA,
                                                        [im.start("1001", "54", "2024-01-15", status="2")],
                                                        "2024-01-20", "S2"))
    _schrijf(m / "aanbieder", "jw307_1.xml", im.bericht("ijw", "307", ANNA,
                                                        [im.stop("1001", "54", "2024-01-15", "2024-05-31", "31")],
                                                        "2024-06-02", "E1"))
    # Bob: a start that is deleted again (status 3), and a stop whose start came before the export
    _schrijf(m, "jw305_bob.xml", im.bericht("ijw", "305", BOB, [im.start("2002", "45", "2024-02-01")],
                                            "2024-02-02", "S3", aanbieder="87654321"))
    _schrijf(m, "jw305_bob_weg.xml", im.bericht("ijw", "305", BOB, [im.start("2002", "45", "2024-02-01", status="3")],
                                                "2024-02-05", "S4", aanbieder="87654321"))
    _schrijf(m, "jw307_bob.xml", im.bericht("ijw", "307", BOB,
                                            [im.stop("2001", "45", "2023-11-01", "2024-03-15", "38")],
                                            "2024-03-16", "E2", aanbieder="87654321"))
    # Cees (Wmo): toewijzing with address, start; in a zip archive as exported
    with zipfile.ZipFile(m / "wmo-export.zip", "w") as z:
        z.writestr("wmo301.xml", im.bericht("iwmo", "301", CEES, [im.toewijzing("3001", "02", "2024-03-01")],
                                            "2024-02-28", "W1", aanbieder="11112222"))
        z.writestr("wmo305.xml", im.bericht("iwmo", "305", CEES, [im.start("3001", "02", "2024-03-04")],
                                            "2024-03-05", "W2", aanbieder="11112222"))
    # what a real export also holds: a broken file, a wrong code, another message type
    _schrijf(m, "kapot.xml", im.bericht("ijw", "305", ANNA, [im.start("1001", "45", "2024-01-15")], "2024-01-16",
                                        "K1")[:300])
    _schrijf(m, "foute_code.xml", im.bericht("ijw", "307", ANNA,
                                             [im.stop("1001", "45", "2024-01-15", "2024-05-31", "99")],
                                             "2024-06-03", "K2"))
    _schrijf(m, "jw302.xml", im.bericht("ijw", "305", ANNA, [im.start("1001", "45", "2024-01-15")], "2024-01-16",
                                        "K3").replace("/jw305/", "/jw302/"))
    return m


@pytest.fixture(scope="module")
def uitvoer(berichten, tmp_path_factory):
    werk = tmp_path_factory.mktemp("gemeente")
    (werk / "duiding.toml").write_text(f'pseudoniem_geheim = "{GEHEIM}"\n', encoding="utf-8")
    # CBS's postcode/house number table as distributed: a zip holding the CSV (here four of its rows)
    with zipfile.ZipFile(werk / "2024-cbs-pc6huisnr20240801_buurt.zip", "w") as z:
        z.writestr("pc6hnr20240801_gwb.csv", "PC6;Huisnummer;Buurt2024;Wijk2024;Gemeente2024\n"
                   "3531AB;12;03440101;034401;0344\n3531AB;14;03440101;034401;0344\n"
                   "3562XY;3;03440305;034403;0344\n1011AB;1;03630000;036300;0363\n")
    # the wijken from StatLine's Kerncijfers export, which also holds a neighbouring gemeente
    from duiding.codes import UTRECHT_WIJKEN
    regels = ['"ID";"WijkenEnBuurten";"Gemeentenaam_1";"SoortRegio_2";"Codering_3";"AantalInwoners_5"',
              '"0";"Utrecht";"Utrecht                                 ";"Gemeente  ";"GM0344    ";"  361924"']
    regels += [f'"{i + 1}";"{n}";"Utrecht                                 ";"Wijk      ";"{c}  ";"   30000"'
               for i, (c, n) in enumerate(UTRECHT_WIJKEN.items())]
    regels.append('"99";"Wijk 00 Nieuwegein";"Nieuwegein                              ";"Wijk      ";"WK035600  ";'
                  '"   10000"')
    (werk / "Kerncijfers_wijken_en_buurten_2024.csv").write_text("\ufeff" + "\n".join(regels) + "\n",
                                                                 encoding="utf-8")
    r = subprocess.run(DUIDING + ["iberichten", str(berichten), "--uitvoer", "data", "--postcodes",
                                  "2024-cbs-pc6huisnr20240801_buurt.zip", "--wijken", "Kerncijfers_wijken_en_buurten_2024.csv"],
                       cwd=werk, capture_output=True, text=True, timeout=300)
    return werk, r


def test_messages_become_trajecten(uitvoer):
    werk, r = uitvoer
    assert r.returncode == 0, r.stderr
    t = pd.read_csv(werk / "data" / "trajecten.csv", dtype=str, keep_default_na=False)
    assert len(t) == 3  # Anna's, Bob's stop-only traject, Cees'; Bob's deleted start is gone
    anna = t[t["startdatum"] == "2024-01-15"].iloc[0]
    assert anna["productcategorie"] == "54"  # the correction (status 2) applied
    assert (anna["einddatum"], anna["reden_beeindiging"]) == ("2024-05-31", "31")  # stopped in the next quarter
    assert (anna["aanmelddatum"], anna["verwijzer"]) == ("2024-01-05", "02")  # from the JW315, via ReferentieAanbieder
    assert (anna["wijk_code"], anna["wet"], anna["aanbieder_id"], anna["geboortejaar"]) == (
        "WK034401", "jeugd", "12345678", "2012")
    bob = t[t["aanbieder_id"] == "87654321"]
    assert list(bob["startdatum"]) == ["2023-11-01"] and list(bob["reden_beeindiging"]) == ["38"]
    assert list(bob["wijk_code"]) == [""]  # no toewijzing with an address: no wijk, never guessed
    cees = t[t["wet"] == "wmo"].iloc[0]
    assert (cees["productcategorie"], cees["wijk_code"], cees["verwijzer"]) == ("02", "WK034401", "")
    # the same BSN with the same secret: the same pseudonym; different people: different ones
    assert t["client_id"].nunique() == 3 and all(c.startswith("C") and len(c) == 21 for c in t["client_id"])
    w = pd.read_csv(werk / "data" / "wijken.csv", dtype=str)
    assert len(w) == 10 and w["wijk_code"].str.startswith("WK0344").all()  # the gemeente from the headers
    a = pd.read_csv(werk / "data" / "aanbieders.csv", dtype=str)
    assert list(a["aanbieder_id"]) == ["11112222", "12345678", "87654321"]
    assert list(a["wet"]) == ["wmo", "jeugd", "jeugd"]


def test_summary_counts_and_dutch_errors_name_file_and_element(uitvoer):
    _, r = uitvoer
    uit = r.stdout
    assert "Berichten gelezen: 10 (JW301 1, JW305 4, JW307 2, JW315 1, WMO301 1, WMO305 1)" in uit
    assert "overgeslagen wegens fouten: 2" in uit and "ander berichttype (niet nodig): 1" in uit
    assert "gecorrigeerd (status 2): 1; verwijderd (status 3): 1" in uit
    assert "1 daarvan alleen uit een stopbericht" in uit
    assert "zonder wijk: 1" in uit
    assert "kapot.xml: geen geldige XML" in r.stderr
    assert ("foute_code.xml: JW307, element Client/StopProducten/StopProduct/RedenBeeindiging: code '99' staat niet "
            "in de codelijst") in r.stderr


def test_no_bsn_name_or_birth_date_anywhere(uitvoer):
    werk, r = uitvoer
    teksten = {"stdout": r.stdout, "stderr": r.stderr}
    teksten.update({p.name: p.read_text(encoding="utf-8") for p in (werk / "data").iterdir() if p.is_file()})
    for naam, tekst in teksten.items():
        for geheim in PERSOONLIJK:
            assert geheim not in tekst, (naam, geheim)


def test_the_folder_is_valid_and_reports_come_from_it(uitvoer, tmp_path):
    werk, _ = uitvoer
    data = tmp_path / "data"
    shutil.copytree(werk / "data", data)
    r = subprocess.run(DUIDING + ["controleer", str(data)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "heeft geen wijk" in r.stdout + r.stderr  # Bob's traject, warned about, counted for the gemeente
    r = subprocess.run(DUIDING + ["cijfers", "--indicator", "bereik", "--per", "wijk", "--periode", "2024-Q1",
                                  "--privacy", "geen", "--data", str(data)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    df = pd.read_csv(__import__("io").StringIO(r.stdout), sep=";", decimal=",", dtype={"groep": str})
    in_zorg = df[df["maat"] == "in_zorg"].set_index("groep")["waarde"]
    assert in_zorg["stad"] == 3 and in_zorg["WK034401"] == 2  # Bob counts for the gemeente, not for a wijk
    assert "" not in in_zorg.index and "None" not in in_zorg.index
    r = subprocess.run(DUIDING + ["draai", "--per", "stad", "--periode", "2024-Q1", "--data", str(data),
                                  "--uitvoer", str(tmp_path / "uitvoer")], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    rapport = next((tmp_path / "uitvoer" / "2024-Q1" / "stad").glob("*.html"))
    tekst = rapport.read_text(encoding="utf-8")
    for geheim in PERSOONLIJK[:10]:
        assert geheim not in tekst


def test_without_a_secret_the_command_refuses(berichten, tmp_path):
    r = subprocess.run(DUIDING + ["iberichten", str(berichten), "--uitvoer", "data"], cwd=tmp_path,
                       capture_output=True, text=True, timeout=120, env={**__import__("os").environ,
                                                                         "DUIDING_PSEUDONIEM_GEHEIM": ""})
    assert r.returncode == 2
    assert "geen geheim" in r.stderr and "--nieuw-geheim" in r.stderr
    assert not (tmp_path / "data").exists()
    nieuw = subprocess.run(DUIDING + ["iberichten", "--nieuw-geheim"], cwd=tmp_path, capture_output=True, text=True)
    assert nieuw.returncode == 0 and "pseudoniem_geheim = " in nieuw.stdout


def test_a_trajecten_file_not_made_here_is_never_overwritten(berichten, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "trajecten.csv").write_text("eigen bestand\n", encoding="utf-8")
    r = subprocess.run(DUIDING + ["iberichten", str(berichten), "--uitvoer", str(data)], cwd=tmp_path,
                       capture_output=True, text=True, timeout=120,
                       env={**__import__("os").environ, "DUIDING_PSEUDONIEM_GEHEIM": GEHEIM})
    assert r.returncode == 2 and "niets overschreven" in r.stderr
    assert (data / "trajecten.csv").read_text(encoding="utf-8") == "eigen bestand\n"


def test_a_doctype_is_refused(tmp_path):
    from duiding.iberichten.berichten import BerichtFout, lees
    from duiding.iberichten.pseudoniem import Pseudoniem
    kwaad = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
             + im.bericht("ijw", "305", ANNA, [im.start("1", "45", "2024-01-01")], "2024-01-02", "X")
             .split("?>", 1)[1])
    with pytest.raises(BerichtFout, match="DOCTYPE"):
        lees("kwaad.xml", kwaad.encode(), Pseudoniem(GEHEIM), 0)
