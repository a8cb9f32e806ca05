"""The analyst's JupyterLab, in a real headless Chromium: executed notebooks show their charts, forms save.

JupyterLab runs from the kit's own environment on a loopback port with a token, with
settings and workspaces of its own, over a folder holding what `duiding draai` and
`duiding sessie` wrote. Nothing in the notebooks is re-run before the charts are checked:
what an analyst sees on opening is what is tested.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import urllib.request

import nbformat
import pytest

import processen
from conftest import SAMPLE
from duiding import laad
from duiding.opslag import Opslag
from processen import wacht_tot
from test_app import _vrije_poort

pytestmark = pytest.mark.traag

DUIDING = [sys.executable, "-m", "duiding"]
PERIODE = str(laad(SAMPLE).laatste_kwartaal())
WACHT = 180_000  # ms
VERHAAL = "Meer jongeren melden zich na de zomer; het buurtteam vangt een deel op."
GRAFIEK = ".jp-RenderedSVG img, .jp-RenderedSVG svg, .jp-RenderedImage img"


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    root = tmp_path_factory.mktemp("lab")
    opslag = root / "duidingen.sqlite"
    r = subprocess.run(DUIDING + ["draai", "--per", "wijk", "--alleen", "West", "--data", str(SAMPLE),
                                  "--uitvoer", str(root / "uitvoer")], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    r = subprocess.run(DUIDING + ["sessie", "--wijk", "West", "--periode", PERIODE, "--opslag", str(opslag),
                                  "--data", str(SAMPLE), "--uitvoer", str(root / "sessies")],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    sessie = next((root / "sessies").glob("sessie-*.ipynb"))
    token, poort, merk = secrets.token_hex(16), _vrije_poort(), processen.nieuw_merk()
    env = processen.omgeving(merk, JUPYTERLAB_SETTINGS_DIR=str(root / ".lab-instellingen"),
                             JUPYTERLAB_WORKSPACES_DIR=str(root / ".lab-werkruimten"))
    # every cell in the page at once: JupyterLab otherwise lays out cells only as they scroll into
    # view, which makes "all charts are there" depend on the speed of the machine
    tracker = root / ".lab-instellingen" / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    tracker.parent.mkdir(parents=True)
    tracker.write_text(json.dumps({"windowingMode": "none"}), encoding="utf-8")
    log = root / "lab.log"
    with open(log, "w") as uit:
        proc = subprocess.Popen([sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={poort}",
                                 "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}",
                                 f"--ServerApp.root_dir={root}", "--expose-app-in-browser",
                                 "--LabApp.extension_manager=readonly"]
                                + (["--allow-root"] if os.geteuid() == 0 else []),
                                cwd=root, env=env, stdout=uit, stderr=subprocess.STDOUT)
    basis = f"http://127.0.0.1:{poort}"
    try:
        def antwoordt():
            assert proc.poll() is None, log.read_text()
            try:
                urllib.request.urlopen(f"{basis}/api/status?token={token}", timeout=5)
                return True
            except OSError:
                return False
        assert wacht_tot(antwoordt, 180), log.read_text()
        yield {"basis": basis, "token": token, "root": root, "sessie": sessie, "opslag": opslag}
    finally:
        proc.terminate()
        proc.wait(timeout=120)
        assert wacht_tot(lambda: not processen.met_merk(merk), 120), processen.met_merk(merk)


def _open(browser, lab, pad: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    # a workspace of its own per page: the default workspace would restore the notebooks an
    # earlier test opened, in tabs behind this one
    werkruimte = secrets.token_hex(6)
    page.goto(f"{lab['basis']}/lab/workspaces/{werkruimte}/tree/{pad}?token={lab['token']}")
    page.locator(".jp-Notebook:visible").first.wait_for(timeout=WACHT)
    assert page.locator(".jp-NotebookPanel").count() == 1
    return context, page


def _grafieken_getekend(page, aantal: int) -> None:
    """Every chart is a drawn image of real size, all at the same moment.

    One condition over all of them, polled: JupyterLab may re-render an output (when the
    kernel starts, when widgets are restored), so a handle to one element can go stale.
    """
    page.wait_for_function(
        """([sel, n]) => {
            const es = [...document.querySelectorAll(sel)];
            return es.length === n && es.every(e => {
                const r = e.getBoundingClientRect();
                return (e.tagName !== 'IMG' || (e.complete && e.naturalWidth > 0)) && r.width > 200 && r.height > 100;
            });
        }""", arg=[GRAFIEK, aantal], timeout=WACHT)


def test_uitgevoerd_wijknotebook_toont_elke_grafiek(lab, browser):
    pad = f"uitvoer/{PERIODE}/wijk/west.ipynb"
    nb = nbformat.read(lab["root"] / pad, as_version=4)
    aantal = sum(1 for c in nb.cells for o in c.get("outputs", []) if "image/svg+xml" in o.get("data", {}))
    assert aantal == 15
    context, page = _open(browser, lab, pad)
    _grafieken_getekend(page, aantal)
    assert page.locator(".jp-OutputArea-output pre", has_text="Grafiek").count() == 0  # no stand-in text
    context.close()


def test_sessienotebook_formulier_slaat_op_en_blijft_zichtbaar(lab, browser):
    pad = f"sessies/{lab['sessie'].name}"
    context, page = _open(browser, lab, pad)
    _grafieken_getekend(page, 15)
    # the executed notebook shows its forms as saved (widget state), not dead views or object text
    veld = page.get_by_placeholder("De verklaring: wat weten we, wat (nog) niet?")
    veld.first.wait_for(timeout=WACHT)
    assert veld.count() == 3
    assert page.get_by_text("model not found").count() == 0 and page.get_by_text("VBox(").count() == 0
    # run it, as the how-to says, and save a duiding from the live form
    page.wait_for_function("window.jupyterapp !== undefined", timeout=WACHT)
    page.evaluate("""async () => {
        await window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs');
        await window.jupyterapp.commands.execute('notebook:run-all-cells');
    }""")
    sessie_id = int(lab["sessie"].name.split("-")[1])

    def klaar():  # every code cell ran in this kernel and the kernel is idle again
        return page.evaluate("""() => {
            const nb = window.jupyterapp.shell.currentWidget;
            const k = nb.sessionContext.session && nb.sessionContext.session.kernel;
            const cellen = nb.content.widgets.filter(c => c.model.type === 'code');
            return !!k && k.status === 'idle' && cellen.every(c => c.model.executionCount !== null);
        }""")
    assert wacht_tot(klaar, 300), "de cellen liepen niet door"
    veld = page.get_by_placeholder("De verklaring: wat weten we, wat (nog) niet?").first
    veld.wait_for(timeout=WACHT)
    veld.fill(VERHAAL)
    page.get_by_role("button", name="Opslaan", exact=True).first.click()
    page.get_by_text("opgeslagen om").first.wait_for(timeout=WACHT)
    d = Opslag(lab["opslag"]).laatste(sessie_id, "bereik")
    assert d is not None and d.verhaal == VERHAAL
    # save the notebook: JupyterLab keeps the widget state in it (the kit's setting saveState)
    page.evaluate("window.jupyterapp.commands.execute('docmanager:save')")
    bestand = lab["root"] / pad
    assert wacht_tot(lambda: VERHAAL in bestand.read_text(encoding="utf-8"), 60), "widgetstatus niet bewaard"
    staat = nbformat.read(bestand, as_version=4).metadata["widgets"]["application/vnd.jupyter.widget-state+json"]
    assert any(m["state"].get("value") == VERHAAL for m in staat["state"].values())
    # closed and opened again without a kernel: the form shows what was saved
    page.evaluate("window.jupyterapp.commands.execute('kernelmenu:shutdown')")
    page.wait_for_function("!window.jupyterapp.shell.currentWidget.sessionContext.session"
                           " || !window.jupyterapp.shell.currentWidget.sessionContext.session.kernel",
                           timeout=WACHT)
    context.close()
    context, page = _open(browser, lab, pad)
    page.wait_for_function(
        f"[...document.querySelectorAll('textarea')].some(t => t.value === {json.dumps(VERHAAL)})", timeout=WACHT)
    context.close()
