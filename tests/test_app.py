"""The session web app (Voilà) end to end, in a real headless Chromium (Debian's `chromium`).

The app runs as the user starts it (`duiding app`), on a free loopback port, with a store
and data folder of its own. The browser has no network beyond this machine; every request
it makes is recorded.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

import processen
from conftest import ROOT, SAMPLE
from processen import wacht_tot
from duiding.opslag import Opslag

pytestmark = pytest.mark.traag

DUIDING = [sys.executable, "-m", "duiding"]
BOOS = "Wachtlijst <img src=x onerror=alert(1)> bij de GGZ"
IMG = ROOT / "docs" / "img"
WACHT = 180_000  # ms: a page runs the whole notebook in a fresh kernel


def _vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def open_url(url: str, timeout: float = 180):
    """GET as a browser would: the token in the address becomes a cookie, and the redirect follows it."""
    import http.cookiejar
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())).open(
        url, timeout=timeout)


def _wacht_op(url: str, proc: subprocess.Popen, log: Path | None = None, seconden: float = 180) -> None:
    def antwoordt():
        if proc.poll() is not None:
            pytest.fail(f"de app stopte: {log.read_text(errors='replace') if log else ''}")
        try:
            open_url(url, timeout=10)
            return True
        except OSError:
            return False
    if not wacht_tot(antwoordt, seconden):
        pytest.fail(f"{url} antwoordde niet binnen {seconden} s")


def start_app(args: list[str], cwd: Path, merk: str) -> tuple[subprocess.Popen, Path]:
    """`duiding …` as a user starts it, its output in a log file (a full pipe would block it)."""
    log = cwd / f"app-{merk[:8]}.log"
    with open(log, "w") as uit:
        proc = subprocess.Popen(DUIDING + args, cwd=cwd, stdout=uit, stderr=subprocess.STDOUT, text=True,
                                env=processen.omgeving(merk),
                                # a background shell ignores SIGINT and children inherit that; a terminal does not
                                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    return proc, log


def adres(log: Path, proc: subprocess.Popen) -> tuple[str, str]:
    """(base URL, token) from the line `duiding app` prints: "Open in de browser: http://…?token=…"."""
    def regel():
        assert proc.poll() is None, log.read_text(errors="replace")
        m = re.search(r"Open in de browser: (http://[^/\s]+)\S*?(?:\?token=(\S+))?$", log.read_text(errors="replace"),
                      re.M)
        return m and (m.group(1), m.group(2) or "")
    gevonden = wacht_tot(regel, 120)
    assert gevonden, log.read_text(errors="replace")
    return gevonden


def stop_app(proc: subprocess.Popen, merk: str) -> None:
    """Stop as a service manager would (SIGTERM), and wait until every process of this app is gone."""
    if proc.poll() is None:
        proc.terminate()
    try:
        proc.wait(timeout=120)
    except subprocess.TimeoutExpired:
        proc.kill()
    if not wacht_tot(lambda: not processen.met_merk(merk), 120):
        for pid in processen.met_merk(merk):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        pytest.fail("processen van de app bleven draaien na SIGTERM")


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    map = tmp_path_factory.mktemp("app")
    opslag = map / "duidingen.sqlite"
    o = Opslag(opslag)
    vorige = o.sessie_maken("wijk", "WK034403", "2024-Q3", "Zomersessie Overvecht", onderwerp_naam="Overvecht")
    o.bewaar(vorige.id, "bereik", {"wat_zien_we": "Meer aanmeldingen van jongeren",
                                   "verhaal": "De wachtlijst bij de jeugd-GGZ loopt op; het buurtteam vangt meer op.",
                                   "waardering": "zorgelijk"}, "Cor")
    o.bewaar(vorige.id, "ervaringen", {"verhaal": BOOS}, "Cor")  # shown on the page as text, never as HTML
    o.actie(vorige.id, "Gesprek met de GGZ over de wachtlijst", "Cor", sectie="bereik")
    nu = o.sessie_maken("wijk", "WK034403", "2024-Q4", "Kwartaalsessie Overvecht", onderwerp_naam="Overvecht",
                        deelnemers=["Ans de Vries, buurtteamwerker, Buurtteam Overvecht"])
    poort = _vrije_poort()
    merk = processen.nieuw_merk()
    # many browser contexts, one after the other, each a page of its own: room for all of them
    proc, log = start_app(["app", "--poort", str(poort), "--opslag", str(opslag), "--data", str(SAMPLE),
                           "--map", str(map / "sessies"), "--max-paginas", "12"], map, merk)
    try:
        basis, token = adres(log, proc)
        _wacht_op(f"{basis}/voila/render/start.ipynb?token={token}", proc, log)
        # one page for every session, beside the start page and the actions page
        assert {p.name for p in (map / "sessies").glob("*.ipynb")} == {"start.ipynb", "sessie.ipynb", "acties.ipynb"}
        yield {"basis": basis, "opslag": opslag, "sessie": nu.id, "vorige": vorige.id, "map": map, "token": token,
               "url": lambda pad: f"{basis}/voila/render/{pad}?token={token}"}
    finally:
        stop_app(proc, merk)


class Pagina:
    """A browser tab that records every request, websocket, script error and dialog."""

    def __init__(self, browser, breedte: int = 1400):
        self.context = browser.new_context(viewport={"width": breedte, "height": 1000})
        self.page = self.context.new_page()
        self.verzoeken, self.fouten, self.dialogen = [], [], []
        self.page.on("request", lambda r: self.verzoeken.append(r.url))
        self.page.on("websocket", lambda ws: self.verzoeken.append(ws.url))
        self.page.on("pageerror", lambda e: self.fouten.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogen.append(d.message), d.dismiss()))

    def open_sessie(self, url: str):
        # Voilà streams the page while its kernel runs the notebook: wait for what it shows, not for "load"
        self.page.goto(url, wait_until="commit", timeout=WACHT)
        self.page.get_by_role("button", name="Opslaan", exact=True).first.wait_for(timeout=WACHT)
        self.page.wait_for_function("document.querySelectorAll('.jp-RenderedSVG, .jp-RenderedImage').length >= 10",
                                    timeout=WACHT)
        return self.page

    def alleen_deze_computer(self) -> None:
        vreemd = [u for u in self.verzoeken if not u.startswith(("http://127.0.0.1:", "ws://127.0.0.1:", "data:",
                                                                 "blob:", "about:"))]
        assert not vreemd, vreemd

    def sluit(self):
        self.context.close()


def _sessie_url(app) -> str:
    return f"{app['basis']}/voila/render/sessie.ipynb?sessie={app['sessie']}&token={app['token']}"


def test_startpagina_lijst_en_nieuwe_sessie(app, browser):
    t = Pagina(browser)
    p = t.page
    p.goto(app["url"]("start.ipynb"))
    p.get_by_role("button", name="Sessie starten").wait_for(timeout=WACHT)
    assert p.get_by_role("link", name="Kwartaalsessie Overvecht").is_visible()
    assert p.get_by_role("link", name="Zomersessie Overvecht").is_visible()
    assert p.get_by_text("Let op: fictieve gegevens").is_visible()
    IMG.mkdir(parents=True, exist_ok=True)
    p.screenshot(path=str(IMG / "startpagina.png"))
    p.get_by_role("button", name="Aanbieder").click()
    p.locator("select").first.select_option(label="De Wending Jeugdhulp")
    p.locator("select").nth(1).select_option(label="2024 K3")
    p.get_by_role("button", name="Sessie starten").click()
    # the new session opens by itself
    p.get_by_role("button", name="Opslaan", exact=True).first.wait_for(timeout=WACHT)
    nieuw = [s for s in Opslag(app["opslag"]).sessies() if s.soort == "aanbieder"]
    assert [(s.onderwerp, s.periode) for s in nieuw] == [("A01", "2024-Q3")]
    assert f"sessie.ipynb?sessie={nieuw[0].id}" in p.url and "Aanbieder: De Wending Jeugdhulp" in p.inner_text("h1")
    t.alleen_deze_computer()
    assert not t.fouten
    t.sluit()
    bron = open_url(app["url"]("start.ipynb")).read().decode("utf-8")
    assert "Even geduld, de pagina wordt gemaakt" in bron and "Running " not in bron  # Dutch while loading
    assert "cdn.jsdelivr" not in bron and "fontawesome" not in bron
    assert '<html lang="nl">' in bron and "<title>Duidingssessies</title>" in bron


def test_sessie_grafieken_formulier_opslaan_en_herladen(app, browser):
    t = Pagina(browser)
    p = t.open_sessie(_sessie_url(app))
    # every chart rendered, no code on the page
    grafieken = p.locator(".jp-RenderedSVG, .jp-RenderedImage")
    assert grafieken.count() == 15
    for i in range(15):
        box = grafieken.nth(i).bounding_box()
        assert box and box["width"] > 200 and box["height"] > 100, i
    assert p.locator(".jp-InputArea-editor:visible").count() == 0 and "nb.toon(" not in p.content()
    assert p.get_by_text("Let op: fictieve gegevens").first.is_visible()
    assert p.title() == "Kwartaalsessie Overvecht"
    assert p.locator("nav.duiding-nav a").all_inner_texts() == ["Bereik", "Beschikbaarheid", "Ervaringen"]
    # what an earlier session said, as text: the <img> in the story is not an element
    p.get_by_text("Vorige keer (2024 K3").first.wait_for()
    assert p.get_by_text("<img src=x onerror=alert(1)>").first.is_visible()
    assert p.locator("img[src='x']").count() == 0
    # fill in a duiding and press Opslaan
    wat = p.get_by_placeholder("Welke beweging of welk verschil valt op?").first
    wat.fill("Instroom 276, hoger dan in elk kwartaal ervoor")
    verhaal = "Na de zomer meldden zich meer jongeren met somberheid; de huisartsen verwijzen eerder door."
    p.get_by_placeholder("De verklaring: wat weten we, wat (nog) niet?").first.fill(verhaal)
    p.get_by_role("button", name="deels").first.click()
    p.get_by_role("button", name="Opslaan", exact=True).first.click()
    p.get_by_text("opgeslagen om").first.wait_for(timeout=WACHT)
    d = Opslag(app["opslag"]).laatste(app["sessie"], "bereik")
    assert (d.wat_zien_we, d.verhaal, d.herkennen) == ("Instroom 276, hoger dan in elk kwartaal ervoor", verhaal, "deels")
    p.locator(".duiding-formulier").first.evaluate("e => e.scrollIntoView({block: 'start'})")
    p.screenshot(path=str(IMG / "sessie-formulier.png"))
    # reload: the form shows what was saved
    p = t.open_sessie(_sessie_url(app))
    assert p.get_by_placeholder("Welke beweging of welk verschil valt op?").first.input_value() == \
        "Instroom 276, hoger dan in elk kwartaal ervoor"
    assert p.get_by_placeholder("De verklaring: wat weten we, wat (nog) niet?").first.input_value() == verhaal
    p.get_by_text("opgeslagen om").first.wait_for()
    p.screenshot(path=str(IMG / "sessie-boven.png"))
    assert not t.dialogen and not t.fouten, (t.dialogen, t.fouten)
    t.alleen_deze_computer()
    t.sluit()


def test_twee_browsers_slaan_dezelfde_sectie_op(app, browser):
    a, b = Pagina(browser), Pagina(browser)
    pa, pb = a.open_sessie(_sessie_url(app)), b.open_sessie(_sessie_url(app))
    veld = "De verklaring: wat weten we, wat (nog) niet?"
    pa.get_by_placeholder(veld).nth(1).fill("Verhaal uit browser A")
    pb.get_by_placeholder(veld).nth(1).fill("Verhaal uit browser B")
    pa.get_by_role("button", name="Opslaan", exact=True).nth(1).click()
    pb.get_by_role("button", name="Opslaan", exact=True).nth(1).click()
    pa.locator(".duiding-formulier").nth(1).get_by_text("opgeslagen om").wait_for(timeout=WACHT)
    pb.get_by_text("ook een versie op").wait_for(timeout=WACHT)  # B is told A saved in between
    versies = Opslag(app["opslag"]).geschiedenis(app["sessie"], "wachttijd")
    assert {"Verhaal uit browser A", "Verhaal uit browser B"} <= {v.verhaal for v in versies}
    assert versies[0].verhaal == "Verhaal uit browser B"  # the newer is shown
    # ... in browser A too: its form picks up B's newer version by itself
    pa.wait_for_function("[...document.querySelectorAll('textarea')].some(t => t.value === 'Verhaal uit browser B')",
                         timeout=WACHT)
    pa.get_by_text("een nieuwere versie op").first.wait_for(timeout=WACHT)
    for t in (a, b):
        t.alleen_deze_computer()
        t.sluit()


def test_fout_geeft_een_nederlandse_pagina(app, browser):
    from duiding.web.pagina import sessienotebook
    sessienotebook("wijk", {"wijk": "WK034403", "modus": "sessie", "sessie": "999", "opslag_url": str(app["opslag"]),
                            "data": str(SAMPLE)}, app["map"] / "sessies" / "kapot.ipynb")
    t = Pagina(browser)
    p = t.page
    p.goto(app["url"]("kapot.ipynb"))
    p.get_by_text("Dit deel van de pagina kon niet worden gemaakt").wait_for(timeout=WACHT)
    tekst = p.inner_text("body")
    assert "Sessie 999 bestaat niet" in tekst
    assert "Traceback" not in tekst and "There was an error" not in tekst and "ParameterFout" not in tekst
    assert p.locator(".duiding-foutmelding").count() == 1  # one message, not one per cell
    p.goto(app["url"]("bestaat-niet.ipynb"))
    assert "Deze pagina kan niet worden getoond" in p.inner_text("body")
    t.alleen_deze_computer()
    t.sluit()


def test_alleen_loopback_tenzij_expliciet(tmp_path):
    for args in (["app", "--host", "0.0.0.0"],
                 ["sessie", "--wijk", "West", "--periode", "2024-Q4", "--serve", "--host", "0.0.0.0"]):
        r = subprocess.run(DUIDING + args + ["--opslag", str(tmp_path / "o.sqlite"), "--data", str(SAMPLE)],
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 2 and "--netwerk" in r.stderr and "alleen op deze computer" in r.stderr
    assert not (tmp_path / "o.sqlite").exists()  # refused before anything was created


def test_sessie_serve(tmp_path, browser):
    poort = _vrije_poort()
    merk = processen.nieuw_merk()
    proc, log = start_app(["sessie", "--wijk", "Zuid", "--periode", "2024-Q4", "--serve", "--poort", str(poort),
                           "--opslag", str(tmp_path / "o.sqlite"), "--data", str(SAMPLE),
                           "--uitvoer", str(tmp_path / "sessies")], tmp_path, merk)
    try:
        basis, token = adres(log, proc)
        _wacht_op(f"{basis}/?token={token}", proc, log)
        t = Pagina(browser)
        p = t.open_sessie(f"{basis}/?token={token}")
        assert "Wijk: Zuid" in p.inner_text("h1")
        assert p.get_by_role("button", name="Opslaan", exact=True).count() == 3
        t.alleen_deze_computer()
        t.sluit()
    finally:
        stop_app(proc, merk)
    assert [s.onderwerp for s in Opslag(tmp_path / "o.sqlite").sessies()] == ["WK034407"]
