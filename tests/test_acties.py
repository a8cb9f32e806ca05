"""Actions across sessions: `duiding acties` lists them with their origin, marks overdue ones, changes a status."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta

from pypdf import PdfReader

from duiding.acties import overzicht
from duiding.formulier import Formulier
from duiding.opslag import Herkomst, Opslag
from tests.conftest import SAMPLE


def _opslag(tmp_path) -> Opslag:
    o = Opslag(tmp_path / "duidingen.sqlite")
    zomer = o.sessie_maken("wijk", "WK034403", "2024-Q3", "Zomersessie Overvecht", onderwerp_naam="Overvecht")
    herfst = o.sessie_maken("wijk", "WK034401", "2024-Q4", "Herfstsessie West", onderwerp_naam="West")
    o.actie(zomer.id, "Gesprek met de GGZ over de wachtlijst", "Cor", date.today() - timedelta(days=10), "bereik")
    o.actie(zomer.id, "Cijfers delen met huisartsen", "Ans", date.today() + timedelta(days=30), "wachttijd")
    klaar = o.actie(herfst.id, "Folder vernieuwen", "Bo", None, "ervaringen")
    o.actie_bijwerken(klaar.id, "gereed")
    return o


def test_overzicht_filters_and_marks_overdue(tmp_path):
    o = _opslag(tmp_path)
    open_ = overzicht(o)
    assert [r.actie.omschrijving for r in open_] == ["Gesprek met de GGZ over de wachtlijst",
                                                     "Cijfers delen met huisartsen"]  # overdue first
    assert [r.te_laat for r in open_] == [True, False]
    assert open_[0].herkomst == "Zomersessie Overvecht (2024 K3), sectie Bereik"
    assert [r.actie.omschrijving for r in overzicht(o, "gereed")] == ["Folder vernieuwen"]
    assert len(overzicht(o, "alle")) == 3 and overzicht(o, "alle", onderwerp="west")[0].sessie.titel == \
        "Herfstsessie West"


def test_duiding_acties_prints_and_sets_status(tmp_path):
    o = _opslag(tmp_path)
    opslag = ["--opslag", str(tmp_path / "duidingen.sqlite")]
    r = subprocess.run([sys.executable, "-m", "duiding", "acties", *opslag], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    regels = r.stdout.splitlines()
    assert regels[0].startswith("TE LAAT") and "Gesprek met de GGZ" in regels[0] and "Cor" in regels[0]
    te_laat = (date.today() - timedelta(days=10)).strftime("%d-%m-%Y")
    assert te_laat in regels[0] and "Folder vernieuwen" not in r.stdout
    r = subprocess.run([sys.executable, "-m", "duiding", "acties", "--zet", "1", "gereed", *opslag],
                       capture_output=True, text=True)
    assert r.returncode == 0 and "gereed" in r.stdout
    assert o.acties(actie_id=1)[0].status == "gereed"
    r = subprocess.run([sys.executable, "-m", "duiding", "acties", "--zet", "1", "klaar", *opslag],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "Kies open, lopend of gereed" in r.stderr


def test_verslag_carries_open_actions_of_earlier_sessions(tmp_path):
    """The Q4 verslag names the Q3 action still open (and not the one already done)."""
    o = Opslag(tmp_path / "duidingen.sqlite")
    zomer = o.sessie_maken("wijk", "WK034403", "2024-Q3", "Zomersessie Overvecht", onderwerp_naam="Overvecht")
    o.actie(zomer.id, "Gesprek met de GGZ over de wachtlijst", "Cor", date(2024, 11, 1), "bereik")
    klaar = o.actie(zomer.id, "Folder vernieuwen", "Bo", None, "ervaringen")
    o.actie_bijwerken(klaar.id, "gereed")
    herfst = o.sessie_maken("wijk", "WK034403", "2024-Q4", "Kwartaalsessie Overvecht", onderwerp_naam="Overvecht")
    for formaat in ("html", "md"):
        pad = tmp_path / f"verslag.{formaat}"
        r = subprocess.run([sys.executable, "-m", "duiding", "verslag", str(herfst.id), "--formaat", formaat,
                            "--uitvoer", str(pad), "--opslag", str(tmp_path / "duidingen.sqlite"),
                            "--data", str(SAMPLE)], capture_output=True, text=True, cwd=tmp_path)
        assert r.returncode == 0, r.stderr
        tekst = pad.read_text(encoding="utf-8")
        assert "Open acties uit eerdere sessies" in tekst and "Gesprek met de GGZ over de wachtlijst" in tekst
        assert "te laat" in tekst and "Zomersessie Overvecht" in tekst and "Folder vernieuwen" not in tekst


def test_a_form_takes_a_dutch_date(tmp_path):
    o = Opslag(tmp_path / "duidingen.sqlite")
    s = o.sessie_maken("wijk", "WK034403", "2024-Q4", "Kwartaalsessie Overvecht", onderwerp_naam="Overvecht")
    f = Formulier(o, s, "bereik", Herkomst("abc", "2024-Q4", "intern"))
    nieuw = f.nieuwe_actie
    nieuw.omschrijving.value, nieuw.eigenaar.value, nieuw.streefdatum.value = "Gesprek plannen", "Cor", "31-3-2025"
    assert nieuw.voeg_toe().streefdatum == date(2025, 3, 31)
    assert nieuw.streefdatum.value == ""  # emptied for the next one
    nieuw.omschrijving.value, nieuw.streefdatum.value = "Nog een", "31-02-2025"
    assert nieuw.voeg_toe() is None and "dd-mm-jjjj" in nieuw.lijst.value
    assert [a.omschrijving for a in o.acties(sessie_id=s.id)] == ["Gesprek plannen"]


def test_verslag_as_pdf_a4_with_page_numbers_and_the_carried_action(tmp_path):
    o = Opslag(tmp_path / "duidingen.sqlite")
    zomer = o.sessie_maken("wijk", "WK034403", "2024-Q3", "Zomersessie Overvecht", onderwerp_naam="Overvecht")
    o.actie(zomer.id, "Gesprek met de GGZ over de wachtlijst", "Cor", date(2024, 11, 1), "bereik")
    herfst = o.sessie_maken("wijk", "WK034403", "2024-Q4", "Kwartaalsessie Overvecht", onderwerp_naam="Overvecht")
    pad = tmp_path / "verslag.pdf"
    r = subprocess.run([sys.executable, "-m", "duiding", "verslag", str(herfst.id), "--formaat", "pdf",
                        "--uitvoer", str(pad), "--opslag", str(tmp_path / "duidingen.sqlite"), "--data", str(SAMPLE)],
                       capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    pdf = PdfReader(pad)
    assert len(pdf.pages) > 2
    breedte, hoogte = (float(x) for x in pdf.pages[0].mediabox.upper_right)
    assert (round(breedte), round(hoogte)) == (595, 842)  # A4 in points
    tekst = [p.extract_text() for p in pdf.pages]
    assert all(f"pagina {i + 1} van {len(pdf.pages)}" in t for i, t in enumerate(tekst))
    assert all("privacy intern" in t for t in tekst)  # the provenance on every page
    alles = " ".join(tekst)
    assert "Gesprek met de GGZ over de wachtlijst" in alles and "Open acties uit eerdere sessies" in alles
