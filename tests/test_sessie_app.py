"""The live session in the app, as a facilitator uses it (issue 15), in a real headless Chromium.

Start a session from the start page (it opens by itself), open it twice (load times are
recorded in the test's output, not asserted: speed is measured in bench/app.py), fill a
section in the presentation view, download the verslag as PDF and find the action carried
over from an earlier session, make the verslag from the session list too, and change that
action's status on the actions page.
"""

from __future__ import annotations

from datetime import date

import pytest
from pypdf import PdfReader

import processen
from bench.app import open_sessiepagina
from conftest import SAMPLE
from duiding.opslag import Opslag
import leesbaar
from test_app import WACHT, Pagina, _vrije_poort, _wacht_op, adres, start_app, stop_app

pytestmark = pytest.mark.traag


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    map_ = tmp_path_factory.mktemp("live")
    opslag = map_ / "duidingen.sqlite"
    o = Opslag(opslag)
    zomer = o.sessie_maken("wijk", "WK034401", "2024-Q3", "Zomersessie West", onderwerp_naam="West")
    o.actie(zomer.id, "Gesprek met de GGZ over de wachtlijst", "Cor", date(2024, 11, 1), "bereik")
    merk = processen.nieuw_merk()
    proc, log = start_app(["app", "--poort", str(_vrije_poort()), "--opslag", str(opslag), "--data", str(SAMPLE),
                           "--map", str(map_ / "sessies")], map_, merk)
    try:
        basis, token = adres(log, proc)
        _wacht_op(f"{basis}/voila/render/start.ipynb?token={token}", proc, log)
        yield {"basis": basis, "token": token, "opslag": opslag, "zomer": zomer.id}
    finally:
        stop_app(proc, merk)


def test_a_live_session_from_start_to_verslag_and_actions(app, browser, tmp_path):
    t = Pagina(browser, breedte=1280)
    p = t.page
    p.set_viewport_size({"width": 1280, "height": 720})
    p.goto(f"{app['basis']}/voila/render/start.ipynb?token={app['token']}")
    p.get_by_role("button", name="Sessie starten").wait_for(timeout=WACHT)
    p.locator("select").first.select_option(label="West")  # the wijk; the quarter stays the last one
    p.get_by_role("button", name="Sessie starten").click()
    p.get_by_role("button", name="Opslaan", exact=True).first.wait_for(timeout=WACHT)
    nieuw = max(Opslag(app["opslag"]).sessies(), key=lambda s: s.id)
    assert (nieuw.onderwerp, nieuw.periode) == ("WK034401", "2024-Q4")
    url = f"{app['basis']}/voila/render/sessie.ipynb?sessie={nieuw.id}"
    tijden = [open_sessiepagina(p, url) for _ in range(2)]
    print(f"\nsessiepagina geopend in {tijden[0]:.1f} s en opnieuw in {tijden[1]:.1f} s")
    # the earlier session's open action, on top of the page, in words
    assert p.get_by_role("heading", name="Open acties uit eerdere sessies").is_visible()
    assert p.locator(".duiding-te-laat").first.inner_text().startswith("te laat")

    # presentation view: one section per screen, the keyboard moves
    p.get_by_role("button", name="Presentatie").click()
    p.wait_for_function("document.body.classList.contains('duiding-presentatie')")
    assert "Sectie 1 van 3" in p.locator("#duiding-dia-teller").inner_text()
    zichtbaar = p.locator(".jp-OutputArea-child:visible h2").all_inner_texts()
    assert len(zichtbaar) == 1 and zichtbaar[0].startswith("Bereik")
    veld = p.get_by_placeholder("Welke beweging of welk verschil valt op?").first
    # at 1280x720 the section's first chart and its form are on the screen together, side by side
    grafiek = p.locator(".jp-RenderedSVG:visible, .jp-RenderedImage:visible").first.bounding_box()
    vak = veld.bounding_box()
    for doos in (grafiek, vak):
        assert doos["y"] >= 0 and doos["y"] + doos["height"] <= 720 and doos["x"] + doos["width"] <= 1280, doos
    assert grafiek["x"] + grafiek["width"] <= vak["x"], (grafiek, vak)
    veld.fill("De instroom van jongeren stijgt")
    p.get_by_role("button", name="Opslaan", exact=True).first.click()
    p.get_by_text("opgeslagen om").first.wait_for(timeout=WACHT)
    p.locator("body").click(position={"x": 5, "y": 5})
    p.keyboard.press("PageDown")
    p.wait_for_function("document.getElementById('duiding-dia-teller').textContent.includes('Sectie 2 van 3')")
    p.keyboard.press("ArrowLeft")
    p.wait_for_function("document.getElementById('duiding-dia-teller').textContent.includes('Sectie 1 van 3')")
    p.keyboard.press("Escape")
    assert Opslag(app["opslag"]).laatste(nieuw.id, "bereik").wat_zien_we == "De instroom van jongeren stijgt"

    # the verslag as PDF, with the action carried over
    p.get_by_role("button", name="Verslag maken (HTML en PDF)").click()
    p.get_by_role("link", name="Verslag als PDF").wait_for(timeout=WACHT)
    with p.expect_download() as download:
        p.get_by_role("link", name="Verslag als PDF").click()
    pad = tmp_path / "verslag.pdf"
    download.value.save_as(pad)
    tekst = " ".join(pagina.extract_text() for pagina in PdfReader(pad).pages)
    assert "Gesprek met de GGZ over de wachtlijst" in tekst and "De instroom van jongeren stijgt" in tekst

    # the actions page: overdue marked, status changed
    p.goto(f"{app['basis']}/voila/render/sessie.ipynb?sessie={nieuw.id}")
    p.get_by_role("link", name="Alle sessies").click()
    # the verslag from the session list, too
    rij = p.locator(".widget-hbox").filter(has=p.locator(f"a[href='sessie.ipynb?sessie={nieuw.id}']"))
    rij.get_by_role("button", name="Verslag (HTML en PDF)").click(timeout=WACHT)
    rij.get_by_role("link", name="Verslag als PDF").wait_for(timeout=WACHT)
    assert rij.get_by_role("link", name="Verslag als HTML").get_attribute("download").startswith(
        f"verslag-{nieuw.id}-west-2024-Q4")
    p.get_by_role("link", name="Alle acties bekijken en bijwerken").click(timeout=WACHT)
    p.get_by_text("te laat").first.wait_for(timeout=WACHT)
    p.locator("select").nth(1).select_option("gereed")
    p.get_by_text("staat nu op gereed").wait_for(timeout=WACHT)
    assert [a.status for a in Opslag(app["opslag"]).acties(sessie_id=app["zomer"])] == ["gereed"]
    t.alleen_deze_computer()
    assert not t.fouten, t.fouten
    t.sluit()


def test_de_app_leest_op_een_beamer(app, browser):
    """Start page, a session page and the actions page at 1280x720 and 1920x1080: charts as wide as the page,
    no text under 14 px, nothing cut off with '…', no overlapping chart text, contrast at least WCAG AA."""
    sessie = Opslag(app["opslag"]).sessie_maken("wijk", "WK034403", "2024-Q4", "Beamer Overvecht",
                                                onderwerp_naam="Overvecht")
    t = Pagina(browser, breedte=1280)
    p = t.page
    for breedte, hoogte in leesbaar.FORMATEN:
        p.set_viewport_size({"width": breedte, "height": hoogte})
        p.goto(f"{app['basis']}/voila/render/start.ipynb?token={app['token']}", timeout=WACHT)
        p.get_by_role("button", name="Sessie starten").wait_for(timeout=WACHT)
        assert leesbaar.problemen(p) == [], ("startpagina", breedte)
        p.goto(f"{app['basis']}/voila/render/sessie.ipynb?sessie={sessie.id}", timeout=WACHT)  # recorded on first open
        p.get_by_role("button", name="Opslaan", exact=True).first.wait_for(timeout=WACHT)
        assert p.locator(".jp-RenderedSVG").count() >= 6
        assert leesbaar.problemen(p) == [], ("sessiepagina", breedte)
        assert p.locator(".jp-RenderedSVG svg text").count() > 100  # the charts' text was measured, not skipped
        # the presentation view, section by section: the charts share the screen with the form
        p.reload(timeout=WACHT)
        p.get_by_role("button", name="Opslaan", exact=True).first.wait_for(timeout=WACHT)
        p.get_by_role("button", name="Presentatie").click()
        p.wait_for_function("document.body.classList.contains('duiding-presentatie')")
        for sectie in (1, 2, 3):
            p.wait_for_function(f"document.getElementById('duiding-dia-teller').textContent.includes('Sectie {sectie} van')")
            assert leesbaar.problemen(p) == [], ("presentatie", sectie, breedte)
            p.locator("body").click(position={"x": 5, "y": 5})
            p.keyboard.press("PageDown")
        p.keyboard.press("Escape")
        p.goto(f"{app['basis']}/voila/render/acties.ipynb", timeout=WACHT)
        p.get_by_role("heading", name="Acties").first.wait_for(timeout=WACHT)
        assert leesbaar.problemen(p) == [], ("acties", breedte)
    assert not t.fouten, t.fouten
    t.sluit()
