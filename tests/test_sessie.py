"""Sessions end to end: `duiding sessie`, the forms in a real kernel, verslag, export and import."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from jupyter_client.manager import KernelManager

from conftest import SAMPLE
from duiding.opslag import Opslag

pytestmark = pytest.mark.traag

DUIDING = [sys.executable, "-m", "duiding"]
BOOS = "<script>alert('x')</script><img src=x onerror=alert(1)>"


def _cli(*args, opslag: Path, cwd=None, timeout=300):
    return subprocess.run(DUIDING + [*args, "--opslag", str(opslag)], capture_output=True, text=True, cwd=cwd,
                          timeout=timeout)


@pytest.fixture(scope="module")
def sessie(tmp_path_factory):
    """A real session made by the command, with its executed session notebook."""
    map = tmp_path_factory.mktemp("sessie")
    opslag = map / "duidingen.sqlite"
    r = _cli("sessie", "--wijk", "overvecht", "--periode", "2024-Q4", "--titel", "Kwartaalsessie Overvecht",
             "--deelnemer", "Ans de Vries, buurtteamwerker, Buurtteam Overvecht", "--deelnemer", "Bram Jansen, "
             "accounthouder, Gemeente Utrecht", "--uitvoer", str(map / "sessies"), "--data", str(SAMPLE),
             opslag=opslag)
    return map, opslag, r


def test_sessie_opdracht(sessie):
    map, opslag, r = sessie
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("Sessie 1: Kwartaalsessie Overvecht")
    nb_pad = Path(r.stdout.split("Notebook: ")[1].split("\n")[0].strip())
    assert nb_pad.is_file() and nb_pad.parent == map / "sessies" and "jupyter lab" in r.stdout
    s = Opslag(opslag).sessie(1)
    assert (s.soort, s.onderwerp, s.periode) == ("wijk", "WK034403", "2024-Q4")
    assert [d.rol for d in s.deelnemers] == ["buurtteamwerker", "accounthouder"]
    import nbformat
    nb = nbformat.read(nb_pad, as_version=4)
    assert not [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    widgets = [o for c in nb.cells for o in c.get("outputs", [])
               if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert len(widgets) == 3  # a form under bereik, wachttijd and ervaringen
    from nbformat.sign import NotebookNotary
    assert NotebookNotary().check_signature(nb)  # trusted as written: JupyterLab shows the forms


def test_sessie_onbekende_wijk(tmp_path):
    r = _cli("sessie", "--wijk", "Atlantis", "--periode", "2024-Q4", "--data", str(SAMPLE), opslag=tmp_path / "o.sqlite")
    assert r.returncode == 2 and "'Atlantis' is geen bekende wijk" in r.stderr


class Kernel:
    """A real `duiding` kernel, driven like a user would drive the form."""

    def __init__(self):
        self.km = KernelManager(kernel_name="duiding")
        self.km.start_kernel()
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=60)

    def voer_uit(self, code: str) -> str:
        uit, fout = [], []
        self.kc.execute(code)
        while True:
            msg = self.kc.get_iopub_msg(timeout=120)
            t, inhoud = msg["msg_type"], msg["content"]
            if t == "stream":
                uit.append(inhoud["text"])
            elif t == "error":
                fout.append(f"{inhoud['ename']}: {inhoud['evalue']}")
            elif t == "status" and inhoud["execution_state"] == "idle" and msg["parent_header"].get("msg_type") == "execute_request":
                break
        assert not fout, fout
        return "".join(uit)

    def herstart(self):
        self.km.restart_kernel(now=True)
        self.kc.wait_for_ready(timeout=60)

    def stop(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


def _formulier(opslag: Path, sectie: str = "bereik") -> str:
    return (f"from duiding import notebook as nb\n"
            f"o = nb.wijk('Overvecht', data={str(SAMPLE)!r}, modus='sessie', sessie='1', opslag_url={str(opslag)!r})\n"
            f"nb.toon_vragen(o, {sectie!r}, 'Bereik')\n"
            f"f = o.formulieren[{sectie!r}]\n")


def test_formulier_in_een_echte_kernel(sessie):
    _, opslag, r = sessie
    assert r.returncode == 0, r.stderr
    k = Kernel()
    try:
        k.voer_uit(_formulier(opslag))
        k.voer_uit("f.velden['wat_zien_we'].value = 'Meer jongeren in zorg'\n"
                   "f.velden['herkennen'].value = 'deels'\n"
                   f"f.velden['verhaal'].value = {BOOS!r}\n"
                   "f.principes['Zo nabij mogelijk'].value = True\n"
                   "f.auteur.value = 'Ans'\n"
                   "f.opslaan.click()\n")
        status = k.voer_uit("print(f.status.value)")
        assert "opgeslagen om" in status
        d = Opslag(opslag).laatste(1, "bereik")
        assert (d.wat_zien_we, d.herkennen, d.verhaal, d.principes, d.auteur) == (
            "Meer jongeren in zorg", "deels", BOOS, "Zo nabij mogelijk", "Ans")
        assert d.herkomst.data_hash and d.herkomst.periode == "2024-Q4" and d.herkomst.privacy == "intern"
        # autosave: a change with no button press is saved once the typing stops
        k.voer_uit("f.wacht = 0.5\nf.velden['verwachting'].value = 'Daalt na de zomer'")
        grens = time.time() + 120  # a guard against hanging; a busy machine just takes longer
        while time.time() < grens and Opslag(opslag).laatste(1, "bereik").verwachting != "Daalt na de zomer":
            time.sleep(0.3)
        assert Opslag(opslag).laatste(1, "bereik").verwachting == "Daalt na de zomer"
        assert "opgeslagen om" in k.voer_uit("print(f.status.value)")
        # re-running the cell before the autosave fired loses nothing either
        k.voer_uit("f.wacht = 60\nf.velden['herkennen_toelichting'].value = 'vooral bij 12-17 jaar'")
        k.voer_uit("nb.toon_vragen(o, 'bereik', 'Bereik'); f = o.formulieren['bereik']")
        assert k.voer_uit("print(f.velden['herkennen_toelichting'].value)").strip() == "vooral bij 12-17 jaar"
        # a kernel restart loses nothing: a new form shows what was saved
        k.herstart()
        k.voer_uit(_formulier(opslag))
        waarden = json.loads(k.voer_uit("import json; print(json.dumps(f.waarden()))"))
        assert waarden["wat_zien_we"] == "Meer jongeren in zorg" and waarden["verhaal"] == BOOS
        assert waarden["verwachting"] == "Daalt na de zomer" and waarden["principes"] == ["Zo nabij mogelijk"]
        # two people save the same section at once: both versions kept, the newer shown, a notice for the other
        k.voer_uit("g = nb.toon_vragen(o, 'bereik', 'Bereik') or o.formulieren['bereik']\n"
                   "f.velden['verhaal'].value = 'versie van Ans'; f.auteur.value = 'Ans'\n"
                   "g.velden['verhaal'].value = 'versie van Bram'; g.auteur.value = 'Bram'\n"
                   "f.bewaar(); g.bewaar()")
        versies = Opslag(opslag).geschiedenis(1, "bereik")
        assert [v.verhaal for v in versies[:2]] == ["versie van Bram", "versie van Ans"]
        assert "Ans sloeg om" in k.voer_uit("print(g.melding.value)")
        assert "Geschiedenis" in k.voer_uit("print(g.geschiedenis.value)")
        # the other open form picks up the newer version (on its timer; called directly here)
        assert k.voer_uit("print(f.neem_nieuwere(), f.velden['verhaal'].value)").strip() == "True versie van Bram"
        # an action, then its status updated in place in a later session's form
        k.voer_uit("f.nieuwe_actie.omschrijving.value = 'Gesprek met de GGZ'\n"
                   "f.nieuwe_actie.eigenaar.value = 'Bram'\nf.nieuwe_actie.voeg_toe()")
        assert [a.omschrijving for a in Opslag(opslag).acties(sessie_id=1)] == ["Gesprek met de GGZ"]
    finally:
        k.stop()


def test_vorige_keer_en_actie_bijwerken(sessie, tmp_path):
    _, opslag, _ = sessie
    o = Opslag(opslag)
    oud = o.sessie_maken("wijk", "WK034403", "2024-Q3", "Sessie zomer", onderwerp_naam="Overvecht")
    o.bewaar(oud.id, "wachttijd", {"wat_zien_we": "Wachttijd loopt op", "verhaal": f"Personeelstekort {BOOS}"}, "Cor")
    actie = o.actie(oud.id, "Extra intake-uren", "Cor", sectie="wachttijd")
    from duiding import notebook as nb
    w = nb.wijk("Overvecht", data=SAMPLE, modus="sessie", sessie="1", opslag_url=str(opslag))
    from duiding.formulier import Formulier
    f = Formulier(w.opslag, w.sessie, "wachttijd", w.herkomst)
    teksten = [c.value for c in f.eerder.children if hasattr(c, "value") and isinstance(c.value, str)]
    assert any("Vorige keer (2024 K3" in t and "Wachttijd loopt op" in t for t in teksten)
    assert not any("<script>" in t for t in teksten) and any("&lt;script&gt;" in t for t in teksten)
    regel = [c for c in f.eerder.children if hasattr(c, "children")][0]
    keuze = regel.children[1].children[1]
    keuze.value = "lopend"  # updated in place, as a click in the dropdown would
    assert o.acties(actie_id=actie.id)[0].status == "lopend"


def test_verslag_html_en_md_ontsnapt(sessie, tmp_path):
    _, opslag, r = sessie
    assert r.returncode == 0
    o = Opslag(opslag)
    o.bewaar(1, "ervaringen", {"verhaal": BOOS, "waardering": "positief"}, "Ans")
    o.bewaar(1, "bereik", {"wat_zien_we": "Meer jongeren in zorg"}, "Ans")
    o.actie(1, "Gesprek met de GGZ", "Bram", sectie="bereik")
    html_pad = tmp_path / "verslag.html"
    r = _cli("verslag", "1", "--uitvoer", str(html_pad), "--data", str(SAMPLE), opslag=opslag)
    assert r.returncode == 0, r.stderr
    tekst = html_pad.read_text(encoding="utf-8")
    assert "<script>alert" not in tekst and "<img src=x" not in tekst
    assert re.search(r"&lt;script&gt;alert\((&#x27;|&#39;|')x(&#x27;|&#39;|')\)&lt;/script&gt;", tekst)  # shown as text
    assert "Kwartaalsessie Overvecht" in tekst and "Ans de Vries" in tekst and "Gesprek met de GGZ" in tekst
    assert tekst.count("<svg") == 15 and "<script" not in tekst  # charts as static SVG: one offline file
    assert tekst.count("Wat de groep zei") == 2  # bereik and ervaringen; nothing was said about wachttijd
    # openbaar: the same verslag without personal names
    r = _cli("verslag", "1", "--privacy", "openbaar", "--uitvoer", str(tmp_path / "o.html"), "--data", str(SAMPLE),
             opslag=opslag)
    openbaar = (tmp_path / "o.html").read_text(encoding="utf-8")
    assert r.returncode == 0 and "Ans de Vries" not in openbaar and "buurtteamwerker" in openbaar
    md_pad = tmp_path / "verslag.md"
    r = _cli("verslag", "1", "--formaat", "md", "--uitvoer", str(md_pad), "--data", str(SAMPLE), opslag=opslag)
    assert r.returncode == 0, r.stderr
    md = md_pad.read_text(encoding="utf-8")
    assert "<script>" not in md and "&lt;script&gt;" in md
    assert md.count("- Grafiek: ") == 15 and "## Bereik" in md and "Gesprek met de GGZ" in md


def test_rapport_toont_de_laatste_duiding_alleen_lezen(sessie):
    _, opslag, _ = sessie
    from duiding import notebook as nb
    o = nb.wijk("Overvecht", data=SAMPLE, opslag_url=str(opslag))
    assert o.modus == "rapport" and o.formulieren == {}
    tekst = nb.duiding_html(o, "ervaringen")
    assert "Wat de groep zei" in tekst and "&lt;script&gt;" in tekst and "<script>" not in tekst


def _schrijf_csv(pad: Path, rijen: list[dict], scheiding: str = ",") -> Path:
    kolommen = ["sessie_titel", "soort", "onderwerp", "periode", "datum", "indicator", "wat_zien_we", "herkennen",
                "verhaal", "waardering", "verwachting", "principes", "binnen_kaders", "auteur"]
    with pad.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=kolommen, delimiter=scheiding)
        w.writeheader()
        for r in rijen:
            w.writerow({k: r.get(k, "") for k in kolommen})
    return pad


GOED = [
    {"sessie_titel": "Papieren sessie", "soort": "wijk", "onderwerp": "Zuid", "periode": "2024-Q3",
     "datum": "12-10-2024", "indicator": "bereik", "wat_zien_we": "Minder uitstroom", "herkennen": "Ja",
     "verhaal": "Nieuwe aanpak", "waardering": "positief", "principes": "Eenvoud;Leefwereld centraal",
     "binnen_kaders": "ja", "auteur": "Dirk"},
    {"sessie_titel": "Papieren sessie", "soort": "wijk", "onderwerp": "WK034407", "periode": "2024-Q3",
     "datum": "2024-10-12", "indicator": "wachttijd", "verhaal": "Stabiel", "principes": ""},
    {"sessie_titel": "Aanbiedersgesprek", "soort": "aanbieder", "onderwerp": "A01", "periode": "2024-Q4",
     "datum": "2025-01-15", "indicator": "budget", "verhaal": "Binnen budget", "principes": "Doen wat nodig is",
     "binnen_kaders": "ja"},
]


def test_import_en_export_met_filters(tmp_path):
    opslag = tmp_path / "i.sqlite"
    bestand = _schrijf_csv(tmp_path / "papier.csv", GOED, scheiding=";")
    r = _cli("duidingen", "importeer", str(bestand), "--data", str(SAMPLE), opslag=opslag)
    assert r.returncode == 0, r.stderr
    assert "3 nieuwe versie(s) in 2 sessie(s)" in r.stdout
    r = _cli("duidingen", "importeer", str(bestand), "--data", str(SAMPLE), opslag=opslag)
    assert "0 nieuwe versie(s)" in r.stdout  # a second run adds nothing
    uit = _cli("duidingen", "exporteer", opslag=opslag)
    rijen = list(csv.DictReader(io.StringIO(uit.stdout)))
    assert len(rijen) == 3 and list(rijen[0])[:6] == ["sessie_titel", "soort", "onderwerp", "periode", "datum",
                                                      "indicator"]
    assert {"sessie_id", "versie", "opgeslagen_op"} <= set(rijen[0])
    zuid = [r for r in rijen if r["indicator"] == "bereik"][0]
    assert zuid["onderwerp"] == "Zuid" and zuid["herkennen"] == "ja" and zuid["datum"] == "2024-10-12"
    assert zuid["principes"] == "Leefwereld centraal;Eenvoud"

    def export(*filters) -> list[dict]:
        r = _cli("duidingen", "exporteer", "--formaat", "json", *filters, opslag=opslag)
        assert r.returncode == 0, r.stderr
        return json.loads(r.stdout)

    assert {r["indicator"] for r in export("--wijk", "zuid")} == {"bereik", "wachttijd"}
    assert [r["onderwerp"] for r in export("--aanbieder", "A01")] == ["De Wending Jeugdhulp"]
    assert [r["indicator"] for r in export("--principe", "eenvoud")] == ["bereik"]
    assert [r["periode"] for r in export("--van", "2024-Q4")] == ["2024-Q4"]
    assert len(export("--tot", "2024-Q3")) == 2 and export("--van", "2025-Q1") == []
    doel = tmp_path / "uit" / "export.csv"
    r = _cli("duidingen", "exporteer", "--uitvoer", str(doel), opslag=opslag)
    assert r.returncode == 0 and doel.read_text(encoding="utf-8").count("\n") == 4
    # the export reads back in: same columns, nothing new
    r = _cli("duidingen", "importeer", str(doel), "--data", str(SAMPLE), opslag=opslag)
    assert r.returncode == 0 and "0 nieuwe versie(s)" in r.stdout, r.stderr + r.stdout


def test_import_fouten_niets_half(tmp_path):
    opslag = tmp_path / "f.sqlite"
    fout = [dict(GOED[0]), {**GOED[1], "herkennen": "misschien"}, {**GOED[2], "onderwerp": "Onbekende BV"},
            {**GOED[0], "periode": "2024-Q5", "indicator": "kosten"}]
    bestand = _schrijf_csv(tmp_path / "fout.csv", fout)
    r = _cli("duidingen", "importeer", str(bestand), "--data", str(SAMPLE), opslag=opslag)
    assert r.returncode == 2
    assert "fout.csv, rij 3, kolom herkennen: 'misschien'" in r.stderr
    assert "rij 4, kolom onderwerp: 'Onbekende BV'" in r.stderr
    assert "rij 5, kolom periode" in r.stderr and "rij 5, kolom indicator" in r.stderr
    assert "niets geïmporteerd" in r.stderr
    assert Opslag(opslag).sessies() == []  # nothing half-imported (the good first row neither)
    (tmp_path / "kop.csv").write_text("titel,soort\nx,wijk\n", encoding="utf-8")
    r = _cli("duidingen", "importeer", str(tmp_path / "kop.csv"), "--data", str(SAMPLE), opslag=opslag)
    assert r.returncode == 2 and "ontbreken in de kopregel" in r.stderr


def test_import_parallel_geen_dubbelen(tmp_path):
    opslag = tmp_path / "p.sqlite"
    bestand = _schrijf_csv(tmp_path / "papier.csv", GOED)
    procs = [subprocess.Popen(DUIDING + ["duidingen", "importeer", str(bestand), "--data", str(SAMPLE), "--opslag",
                                         str(opslag)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(3)]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    o = Opslag(opslag)
    assert len(o.sessies()) == 2
    assert sum(len(o.geschiedenis(s.id, i)) for s in o.sessies() for i in ("bereik", "wachttijd", "budget")) == 3
