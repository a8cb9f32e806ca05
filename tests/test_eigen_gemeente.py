"""A second gemeente, from its downloads to reports and the app, without a line of code.

The files are made by `eigen_gemeente.py` in the shapes their publishers give them (the
CBS/PDOK GeoPackage in RD New, StatLine's CSV per year, a gemeente's own export mapped in
duiding.toml). Everything runs as the README walkthrough tells a user to, through the
command line in the gemeente's own working folder. No output may mention Utrecht, the
gemeente the kit's sample comes from.
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import eigen_gemeente as eg
import processen
from conftest import ROOT, SAMPLE
from duiding import grenzen
from duiding.opslag import Opslag
from test_app import IMG, WACHT, Pagina, adres, start_app, stop_app, _vrije_poort, _wacht_op

pytestmark = pytest.mark.traag

DUIDING = [sys.executable, "-m", "duiding"]
CODES = [c for c, *_ in eg.WIJKEN]


def _duiding(werk, *args) -> subprocess.CompletedProcess:
    return subprocess.run(DUIDING + list(args), cwd=werk, capture_output=True, text=True, timeout=900)


def _zonder_utrecht(tekst: str, waar: str) -> None:
    assert "utrecht" not in tekst.lower(), f"{waar} noemt Utrecht"


@pytest.fixture(scope="module")
def werk(tmp_path_factory):
    """The working folder after the walkthrough's first step: downloads, data, duiding.toml; then wijken.csv."""
    werk = eg.bouw(tmp_path_factory.mktemp("rotterdam") / "werk", SAMPLE)
    r = _duiding(werk, "wijken", "downloads/wijkenbuurten_2024_v3.gpkg", "--gemeente", "Rotterdam",
                 "--uitvoer", "data/wijken.csv")
    assert r.returncode == 0, r.stderr
    assert "12 wijken" in r.stdout
    return werk


def test_wijken_csv_from_the_downloaded_map(werk):
    df = pd.read_csv(werk / "data" / "wijken.csv", dtype={"wijk_code": str})
    assert list(df["wijk_code"]) == sorted(CODES)  # the buurten layer is not read as wijken
    assert dict(zip(df["wijk_code"], df["naam"])) == {c: n for c, n, *_ in eg.WIJKEN}
    plek = {n: (r, k) for n, r, k in zip(df["naam"], df["tegel_rij"], df["tegel_kolom"])}
    assert len(set(plek.values())) == 12  # one wijk per tile
    # north above south, west left of east, as on the map
    assert plek["Hillegersberg-Schiebroek"][0] < plek["Charlois"][0]
    assert plek["Overschie"][0] < plek["IJsselmonde"][0]
    assert plek["Hoogvliet"][1] < plek["Feijenoord"][1] < plek["IJsselmonde"][1]
    assert plek["Pernis"][1] < plek["Delfshaven"][1] < plek["Stadscentrum"][1] < plek["Kralingen-Crooswijk"][1]
    assert plek["Prins Alexander"][1] == df["tegel_kolom"].max()  # the easternmost wijk in the last column
    # the GeoJSON of the same wijken (other ring order, statcode/statnaam) gives the same table
    r = _duiding(werk, "wijken", "downloads/wijken_2024.geojson", "--gemeente", "GM0599", "--uitvoer", "uit.csv")
    assert r.returncode == 0, r.stderr
    assert (werk / "uit.csv").read_text(encoding="utf-8") == (werk / "data" / "wijken.csv").read_text(encoding="utf-8")


def test_controleer_accepts_the_downloads_and_names_the_users_own_file(werk):
    r = _duiding(werk, "controleer")
    assert r.returncode == 0, r.stdout + r.stderr
    uit = r.stdout + r.stderr
    assert "zijn in orde" in uit
    # the three StatLine files are each read; the export's messages name its own file and column
    assert uit.count("Kerncijfers_wijken_en_buurten_20") >= 3
    assert "zorgexport.csv, rij" in uit and "kolom Aanmelddatum" in uit
    assert "trajecten.csv, rij" not in uit
    _zonder_utrecht(uit, "controleer")


def test_cijfers_for_every_wijk_and_year(werk):
    r = _duiding(werk, "cijfers", "--indicator", "bereik", "--per", "wijk", "--van", "2022-Q1", "--tot", "2024-Q4",
                 "--uitvoer", "bereik.csv")
    assert r.returncode == 0, r.stderr
    tekst = (werk / "bereik.csv").read_text(encoding="utf-8-sig")
    _zonder_utrecht(tekst, "bereik.csv")
    df = pd.read_csv(werk / "bereik.csv", sep=";", decimal=",", dtype={"groep": str})
    assert set(df["groep"]) == set(CODES) | {"stad"}
    rate = df[(df["maat"] == "per_1000_jeugd") & (df["groep"] != "stad")]
    # per 1.000 jeugdigen in every year: each year's StatLine file is read, none silently skipped
    for jaar in (2022, 2023, 2024):
        dit_jaar = rate[rate["periode"].str.startswith(str(jaar))]
        assert dit_jaar["waarde"].notna().sum() >= 10 * 4, jaar
    # the rate uses the inhabitants of the export: Prins Alexander (96.000) vs Pernis (5.000)
    inwoners = {c: n for c, *_, n in eg.WIJKEN}
    assert inwoners["WK059914"] > 10 * inwoners["WK059913"]


@pytest.fixture(scope="module")
def rapporten(werk):
    r1 = _duiding(werk, "draai", "--per", "stad", "--uitvoer", "uitvoer")
    r2 = _duiding(werk, "draai", "--per", "wijk", "--alleen", "Pernis", "--uitvoer", "uitvoer")
    assert r1.returncode == 0 and r2.returncode == 0, r1.stderr + r2.stderr
    return werk / "uitvoer" / "2024-Q4"


def test_reports_name_the_gemeente_and_never_utrecht(rapporten):
    bestanden = [p for p in rapporten.rglob("*") if p.is_file() and p.suffix in (".html", ".json", ".ipynb")]
    assert {p.name for p in bestanden} >= {"rotterdam.html", "pernis.html", "index.html"}
    for p in bestanden:
        _zonder_utrecht(p.read_text(encoding="utf-8"), p.name)
    stad = (rapporten / "stad" / "rotterdam.html").read_text(encoding="utf-8")
    assert "Rotterdam" in stad and "zorgexport van de gemeente" in stad


def _rd_naar_lonlat(punten) -> np.ndarray:
    return grenzen.rd_naar_wgs84(np.asarray(punten, float))


def test_real_boundary_map_in_chromium(rapporten, browser):
    """Each wijk covers its own part of the map, the lake is a hole; the README's screenshot is taken here."""
    p = browser.new_context(viewport={"width": 1280, "height": 900}, offline=True).new_page()
    p.goto((rapporten / "stad" / "rotterdam.html").as_uri())
    p.wait_for_function("[...document.querySelectorAll('figure[data-vega]')].every(f => f.dataset.getekend)",
                        timeout=180_000)
    kaart = p.locator("figure[data-vega]").filter(has=p.locator(".mark-shape")).first
    vormen = kaart.locator(".mark-shape path")
    assert vormen.count() == 12
    vakken = vormen.evaluate_all("ps => ps.map(p => { const b = p.getBBox(); return [b.x, b.y, b.width, b.height]; })")
    x0 = min(x for x, *_ in vakken)
    y0 = min(y for _, y, *_ in vakken)
    breed = max(x + w for x, _, w, _ in vakken) - x0
    hoog = max(y + h for _, y, _, h in vakken) - y0
    for x, y, w, h in vakken:
        assert w < 0.6 * breed and h < 0.7 * hoog  # no wijk fills the map (the ring-order bug drew rectangles)

    # where the Kralingse Plas lies, Kralingen-Crooswijk's shape has a hole; beside it, it is filled
    alle = np.concatenate([_rd_naar_lonlat(r) for r in eg.cellen().values()])
    lon0, lon1 = alle[:, 0].min(), alle[:, 0].max()
    merc = lambda lat: np.log(np.tan(np.pi / 4 + np.radians(lat) / 2))  # noqa: E731
    m0, m1 = merc(alle[:, 1].min()), merc(alle[:, 1].max())

    def pixel(rd):
        lon, lat = _rd_naar_lonlat([rd])[0]
        return x0 + (lon - lon0) / (lon1 - lon0) * breed, y0 + (m1 - merc(lat)) / (m1 - m0) * hoog

    plas = np.mean(eg.KRALINGSE_PLAS, axis=0)
    naast = (plas[0], plas[1] - 900)  # south of the lake, still in Kralingen-Crooswijk
    index = CODES.index("WK059908")
    binnen = vormen.nth(index).evaluate("(p, pt) => pt.map(([x, y]) => p.isPointInFill(new DOMPoint(x, y)))",
                                        [pixel(plas), pixel(naast)])
    assert binnen == [False, True]
    IMG.mkdir(parents=True, exist_ok=True)
    kaart.screenshot(path=str(IMG / "kaart-eigen-gemeente.png"))
    breedte, hoogte = eg.png_grootte(IMG / "kaart-eigen-gemeente.png")
    assert breedte > 300 and hoogte > 250
    p.context.close()


def test_the_app_for_the_other_gemeente(werk, browser, tmp_path):
    opslag = tmp_path / "duidingen.sqlite"
    r = _duiding(werk, "sessie", "--wijk", "Pernis", "--periode", "2024-Q4", "--opslag", str(opslag),
                 "--uitvoer", str(tmp_path / "sessies-cli"))
    assert r.returncode == 0, r.stderr
    _zonder_utrecht(r.stdout + r.stderr, "duiding sessie")
    sessie = Opslag(opslag).sessies()[0]
    assert sessie.onderwerp == "WK059913"
    poort, merk = _vrije_poort(), processen.nieuw_merk()
    proc, log = start_app(["app", "--poort", str(poort), "--opslag", str(opslag), "--map", str(tmp_path / "sessies")],
                          werk, merk)
    try:
        basis, token = adres(log, proc)
        url = lambda pad: f"{basis}/voila/render/{pad}?token={token}"  # noqa: E731
        _wacht_op(url("start.ipynb"), proc, log)
        t = Pagina(browser)
        t.page.goto(url("start.ipynb"))
        t.page.get_by_role("button", name="Sessie starten").wait_for(timeout=WACHT)
        assert t.page.get_by_role("link", name=sessie.titel).is_visible()
        _zonder_utrecht(t.page.locator("body").inner_text(), "de startpagina")
        pagina = t.open_sessie(f"{basis}/voila/render/sessie.ipynb?sessie={sessie.id}")  # the token is in a cookie
        tekst = pagina.locator("body").inner_text()
        assert "Pernis" in tekst and "Rotterdam" in tekst
        _zonder_utrecht(tekst, "de sessiepagina")
        t.alleen_deze_computer()
        assert not t.fouten, t.fouten
        t.sluit()
    finally:
        stop_app(proc, merk)
    _zonder_utrecht(json.dumps([c for c in log.read_text(errors="replace").splitlines()]), "de app-log")


def test_readme_walkthrough_uses_these_steps():
    """The README's "Uw eigen gemeente" shows the commands run here and the screenshot taken here."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    deel = readme[readme.index("## Uw eigen gemeente"):]
    deel = deel[:deel.index("\n## ", 5)]
    for stap in ("duiding wijken", "--gemeente", "duiding controleer", "[koppeling.trajecten]", "duiding cijfers",
                 "duiding draai", "duiding app", "docs/img/kaart-eigen-gemeente.png", "Kerncijfers wijken en buurten"):
        assert stap in deel, stap
