"""`duiding draai`: a real batch on real kernels, failures, interruption, Dask, and a real browser."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import xml.etree.ElementTree as ET

import nbformat
import pytest
from nbformat.sign import NotebookNotary

import processen
from conftest import ROOT, SAMPLE, _chromium
from processen import wacht_tot
from duiding import __version__, laad
from duiding.draai.plan import slug
from duiding.grafieken import thema

pytestmark = pytest.mark.traag

DUIDING = [sys.executable, "-m", "duiding"]
G = laad(SAMPLE)
PERIODE = str(G.laatste_kwartaal())


def _draai(*args, cwd=None, timeout=600):
    return subprocess.run(DUIDING + ["draai", "--data", str(SAMPLE), *args], capture_output=True, text=True,
                          cwd=cwd, timeout=timeout)


def _tijdelijk(map: Path) -> list[Path]:
    return [p for p in map.rglob("*") if ".tmp" in p.name]


@pytest.fixture(scope="module")
def wijken(tmp_path_factory):
    uit = tmp_path_factory.mktemp("uitvoer")
    r = _draai("--per", "wijk", "--jobs", "2", "--uitvoer", str(uit))
    return uit, r


def test_slugs_zijn_veilige_bestandsnamen():
    assert slug("Vleuten-De Meern") == "vleuten-de-meern"
    assert slug("Stichting Buurtkracht Jeugd & Gezin") == "stichting-buurtkracht-jeugd-gezin"
    assert slug("../../etc/passwd") == "etc-passwd"
    assert slug("Café Ñandú") == "cafe-nandu"


def test_batch_over_alle_wijken(wijken):
    uit, r = wijken
    assert r.returncode == 0, r.stderr
    assert "10 van de 10 rapporten zijn klaar" in r.stderr
    index = uit / PERIODE / "index.html"
    assert r.stdout.strip() == f"Overzicht: {index.resolve()}"
    html_index = index.read_text(encoding="utf-8")
    bundels = list((uit / "_static").iterdir())
    assert len(bundels) == 1 and bundels[0].stat().st_size > 500_000  # once per folder, never per chart
    bundel = bundels[0]
    assert "https://cdn" not in bundel.read_text(encoding="utf-8")
    for code, naam in zip(G.wijken["wijk_code"], G.wijken["naam"]):
        rapport = uit / PERIODE / "wijk" / f"{slug(naam)}.html"
        assert f"href='wijk/{slug(naam)}.html'" in html_index
        tekst = rapport.read_text(encoding="utf-8")
        assert f"Wijk: {naam}" in tekst and tekst.rstrip().endswith("</html>")
        # one script to load: the folder's own Vega bundle, relative; every other script block is chart data
        assert re.findall(r"<script src=['\"]([^'\"]+)['\"]", tekst) == [f"../../_static/{bundel.name}"]
        assert tekst.count("<script") == 16 and len(re.findall(r"<script type=['\"]application/json['\"]>", tekst)) == 15
        assert not re.search(r"(src|href)=['\"]?https?:", tekst)  # no CDN, no external resource
        assert rapport.stat().st_size <= 400 * 1024, f"{rapport.name}: {rapport.stat().st_size} bytes"
        assert len(re.findall(r"data-vega=['\"]1['\"]", tekst)) == 15
        assert "def " not in tekst and "nb.toon(" not in tekst  # no code in the report
        voet = re.search(r"<footer>(.*?)</footer>", tekst).group(1)
        assert G.hash[:16] in voet and "2024 K4" in voet and "privacy intern" in voet and __version__ in voet
        assert re.search(r"gemaakt op \d{1,2} [a-z]{3} \d{4} \d{2}:\d{2}", voet)
        nb = nbformat.read(rapport.with_suffix(".ipynb"), as_version=4)
        assert not [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
        # the notebook beside the report shows its charts where no Vega-Lite v6 renderer exists
        grafieken = [o.data for c in nb.cells for o in c.get("outputs", []) if thema.MIME in o.get("data", {})]
        assert len(grafieken) == 15
        for data in grafieken:
            svg = ET.fromstring(data[thema.SVG])
            assert float(svg.get("width")) > 200 and float(svg.get("height")) > 100
            assert len(list(svg.iter())) > 20  # marks, not an empty frame
        assert rapport.with_suffix(".ipynb").stat().st_size <= 900 * 1024  # 15 charts, each spec and SVG
        assert NotebookNotary().check_signature(nb)  # signed as written: JupyterLab draws the SVGs
    assert "@media print" in tekst
    assert not _tijdelijk(uit)


def test_mislukt_rapport_stopt_de_rest_niet(tmp_path):
    notebooks = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", notebooks)
    nb = nbformat.read(notebooks / "wijk.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell('if o.code == "WK034405":\n    raise RuntimeError("kapot in de test")'))
    nbformat.write(nb, notebooks / "wijk.ipynb")
    uit = tmp_path / "uitvoer"
    r = _draai("--per", "wijk", "--alleen", "Oost", "West", "WK034407", "--notebooks", str(notebooks),
               "--uitvoer", str(uit), "--jobs", "2")
    assert r.returncode == 1
    assert "2 van de 3 rapporten zijn klaar" in r.stderr
    samenvatting = r.stderr.split("Mislukt:")[1]
    assert "wijk Oost (cel " in samenvatting and "RuntimeError: kapot in de test" in samenvatting
    map = uit / PERIODE / "wijk"
    assert sorted(p.name for p in map.iterdir()) == ["oost.ipynb", "west.html", "west.ipynb", "zuid.html", "zuid.ipynb"]
    kept = nbformat.read(map / "oost.ipynb", as_version=4)
    assert any(o.output_type == "error" for c in kept.cells for o in c.get("outputs", []))
    index = (uit / PERIODE / "index.html").read_text(encoding="utf-8")
    assert "mislukt: RuntimeError: kapot in de test" in index and "href='wijk/oost.ipynb'" in index


def test_relatieve_uitvoermap_zoals_make_run(tmp_path):
    # two reports at once: a worker must not change the working folder under the other
    r = _draai("--per", "wijk", "--alleen", "West", "Zuid", "Oost", "Noordwest", "--jobs", "2", "--uitvoer", "uit",
               cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    index = tmp_path / "uit" / PERIODE / "index.html"
    assert r.stdout.strip() == f"Overzicht: {index}"
    assert sorted(p.name for p in (tmp_path / "uit" / PERIODE / "wijk").glob("*.html")) == ["noordwest.html", "oost.html", "west.html", "zuid.html"]
    assert not (ROOT / "notebooks" / "uit").exists()


def test_padnamen_en_onbekende_namen_geweigerd(tmp_path):
    uit = tmp_path / "uitvoer"
    r = _draai("--per", "wijk", "--alleen", "../../etc", "--uitvoer", str(uit))
    assert r.returncode == 2
    assert "'../../etc' is geen bekende wijk" in r.stderr and "Overvecht (WK034403)" in r.stderr
    assert not uit.exists()  # nothing written
    r = _draai("--per", "wijk", "--periode", "2024-Q9", "--uitvoer", str(uit))
    assert r.returncode == 2 and "geen geldige periode" in r.stderr and not uit.exists()


def test_kapotte_gegevens_niets_geschreven(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(SAMPLE, data)
    (data / "wijken.csv").write_text("wijk_code,naam\nWK034401,\n", encoding="utf-8")
    uit = tmp_path / "uitvoer"
    r = subprocess.run(DUIDING + ["draai", "--per", "wijk", "--data", str(data), "--uitvoer", str(uit)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "wijken.csv" in r.stderr and "rij" in r.stderr
    assert not uit.exists()


def test_eerste_rapport_draait_in_een_voorverwarmde_kernel(tmp_path):
    """The batch starts its kernels before it loads the data, and each imports the kit meanwhile: the first
    report's first cell finds `duiding.notebook` already imported. A kernel makes report after report, each
    in a clean namespace, with what lives as long as the kernel frozen for the garbage collector. On bad
    input those kernels are stopped with the command: exit 2, nothing written, no kernel left."""
    notebooks = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", notebooks)
    nb = nbformat.read(notebooks / "wijk.ipynb", as_version=4)
    eerste = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
    nb.cells.insert(eerste, nbformat.v4.new_code_cell(
        "import sys, gc\nprint('al geladen:', 'duiding.notebook' in sys.modules)\n"
        "print('schoon:', not {'o', 't', 'tijd', 'w', 'e'} & set(globals()))\n"
        "print('bevroren:', gc.get_freeze_count() > 10_000)"))
    nbformat.write(nb, notebooks / "wijk.ipynb")
    uit = tmp_path / "uitvoer"
    r = _draai("--per", "wijk", "--alleen", "West", "Zuid", "--jobs", "1", "--notebooks", str(notebooks),
               "--uitvoer", str(uit))
    assert r.returncode == 0, r.stderr
    for naam in ("west", "zuid"):  # one kernel: Zuid after West
        gedaan = nbformat.read(uit / PERIODE / "wijk" / f"{naam}.ipynb", as_version=4)
        tekst = "".join(o.get("text", "") for c in gedaan.cells for o in c.get("outputs", [])
                        if o.output_type == "stream")
        assert "al geladen: True" in tekst and "schoon: True" in tekst and "bevroren: True" in tekst, tekst

    data = tmp_path / "data"
    shutil.copytree(SAMPLE, data)
    (data / "trajecten.csv").write_text("traject_id,client_id\nT1,c1\n", encoding="utf-8")
    merk = processen.nieuw_merk()
    r = subprocess.run(DUIDING + ["draai", "--per", "wijk", "--data", str(data), "--uitvoer", str(uit / "nee")],
                       capture_output=True, text=True, timeout=300, env=processen.omgeving(merk))
    assert r.returncode == 2 and "trajecten.csv" in r.stderr and not (uit / "nee").exists()
    wacht_tot(lambda: not processen.met_merk(merk), 60)
    assert not processen.met_merk(merk), f"kernels bleven draaien na foute invoer: {processen.met_merk(merk)}"


def test_onderbroken_batch_laat_geen_halve_bestanden(tmp_path):
    uit = tmp_path / "uitvoer"
    merk = processen.nieuw_merk()  # this run's kernels carry it; kernels of other tests do not count
    proc = subprocess.Popen(DUIDING + ["draai", "--per", "alle", "--jobs", "2", "--data", str(SAMPLE),
                                       "--uitvoer", str(uit)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True, env=processen.omgeving(merk),
                            # a background shell ignores SIGINT and children inherit that; a terminal does not
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert wacht_tot(lambda: list(uit.rglob("*.html")), 300), "geen enkel rapport klaar binnen de tijd"
    # Ctrl-C while the next reports are mid-execution: their kernels are running
    assert wacht_tot(lambda: any(processen.is_kernel(c) for c in processen.met_merk(merk).values()), 120)
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C in a terminal signals the whole foreground group
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "Afgebroken" in err
    assert not _tijdelijk(uit)
    for html in uit.rglob("*.html"):
        assert html.read_text(encoding="utf-8").rstrip().endswith("</html>"), html
    for nb in uit.rglob("*.ipynb"):
        nbformat.read(nb, as_version=4)  # every kept notebook is complete JSON
    wacht_tot(lambda: not processen.met_merk(merk), 60)  # a kernel killed just now may take a moment to go
    assert not processen.met_merk(merk), f"processen bleven draaien na Ctrl-C: {processen.met_merk(merk)}"
    # a rerun overwrites cleanly
    r = _draai("--per", "wijk", "--alleen", "West", "--uitvoer", str(uit))
    assert r.returncode == 0 and not _tijdelijk(uit)


def test_dask_localcluster(tmp_path):
    uit = tmp_path / "uitvoer"
    r = _draai("--per", "aanbieder", "--alleen", "A01", "Thuishulp Vechtstreek", "--executor", "dask", "--jobs", "2",
               "--uitvoer", str(uit))
    assert r.returncode == 0, r.stderr
    namen = sorted(p.name for p in (uit / PERIODE / "aanbieder").glob("*.html"))
    assert namen == ["de-wending-jeugdhulp.html", "thuishulp-vechtstreek.html"]
    overzicht = json.loads((uit / PERIODE / "overzicht.json").read_text(encoding="utf-8"))
    assert {r["code"] for r in overzicht} == {"A01", "A12"} and all(r["ok"] for r in overzicht)


def test_rapport_in_chromium_zonder_netwerk(wijken):
    from playwright.sync_api import sync_playwright

    uit, r = wijken
    assert r.returncode == 0
    rapport = uit / PERIODE / "wijk" / "overvecht.html"
    verzoeken, fouten = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=_chromium(), args=["--no-sandbox"])
        context = browser.new_context(offline=True)
        pagina = context.new_page()
        pagina.on("request", lambda req: verzoeken.append(req.url))
        pagina.on("pageerror", lambda e: fouten.append(str(e)))
        pagina.on("console", lambda m: fouten.append(m.text) if m.type == "error" else None)
        pagina.goto(rapport.as_uri())
        pagina.wait_for_load_state("load")
        figuren = pagina.locator("figure[data-vega]")
        assert figuren.count() == 15
        # every chart is drawn by the local bundle (or marked as failed): wait for all ten
        pagina.wait_for_function("[...document.querySelectorAll('figure[data-vega]')].every(f => f.dataset.getekend)",
                                 timeout=180_000)  # a guard against hanging, not a speed check
        for i in range(figuren.count()):
            figuur = figuren.nth(i)
            assert figuur.get_attribute("data-getekend") == "ja", i
            svg = figuur.locator("svg")
            box = svg.bounding_box()
            assert box and box["width"] > 200 and box["height"] > 100, i
            assert svg.locator("path, rect, text").count() > 5  # marks drawn, not an empty frame
            assert svg.get_attribute("aria-label") == figuur.get_attribute("data-beschrijving")
        # the Dutch locale reaches the browser: 1.234,5 style numbers on the axes and labels
        teksten = pagina.eval_on_selector_all("svg text", "ts => ts.map(t => t.textContent)")
        assert any(re.fullmatch(r"\d+,\d", t) for t in teksten), teksten[:40]
        assert "Overvecht" in pagina.locator("h1").inner_text()
        pagina.emulate_media(media="print")
        assert pagina.locator(".duiding-vragen").first.is_hidden()  # questions are for the session, not for paper
        browser.close()
    assert not fouten, fouten
    assert all(u.startswith("file://") for u in verzoeken), verzoeken


def _grafiek_notebook(label: str, svg: bool) -> nbformat.NotebookNode:
    """An executed notebook holding one real chart output, as the renderer makes it."""
    import altair as alt
    import pandas as pd

    from duiding.grafieken import thema

    chart = alt.Chart(pd.DataFrame({"naam": [label, "B"], "waarde": [3, 5]}), description=f"Zin over {label}"
                      ).mark_bar().encode(x="waarde:Q", y="naam:N")
    spec = chart.to_dict()
    bundel = {thema.MIME: spec, "text/plain": spec["description"]}
    if svg:
        bundel["image/svg+xml"] = thema.svg(spec)
    cel = nbformat.v4.new_code_cell("nb.toon(chart)")
    cel.outputs = [nbformat.v4.new_output("display_data", data=bundel)]
    return nbformat.v4.new_notebook(cells=[cel])


def test_vertrouwd_in_het_geheugen_is_vertrouwd_als_bestand(tmp_path):
    """`vertrouw` signs the notebook in memory; what the writer leaves out (the original format, a cell's
    `trusted` flag) stays out of the signature, so the file as read back is trusted, and an edit is not."""
    from duiding.iorw import vertrouw

    nb = _grafiek_notebook("A", svg=True)
    nb.metadata["orig_nbformat"] = 3
    nb.cells[0].metadata["trusted"] = True
    nb.cells.append(nbformat.v4.new_markdown_cell("regel een\nregel twee"))
    vertrouw(nb)
    nbformat.write(nb, tmp_path / "n.ipynb")
    terug = nbformat.read(tmp_path / "n.ipynb", as_version=4)
    assert "orig_nbformat" not in terug.metadata and NotebookNotary().check_signature(terug)
    terug.cells[1].source = "anders"
    assert not NotebookNotary().check_signature(terug)


def test_html_grafiek_als_spec_kan_niet_uit_de_json_breken():
    from duiding.draai.html import Voet, rapport_html

    boos = "</script><img src=x onerror=alert(1)>"
    voet = Voet("0" * 16, PERIODE, "intern", __version__, "1 jan 2025 10:00")
    tekst = rapport_html(_grafiek_notebook(boos, svg=False), "T", voet, static="../../_static/v.js")
    assert "<img src=x" not in tekst and "</script><img" not in tekst
    assert tekst.count("</script>") == 2  # the JSON block and the bundle, nothing closed early
    blok = re.search(r"<script type=['\"]application/json['\"]>(.*?)</script>", tekst, re.S).group(1)
    assert boos in json.dumps(json.loads(blok), ensure_ascii=False)  # the label itself survives intact
    assert re.search(r"data-beschrijving=['\"]Zin over &lt;/script&gt;&lt;img src=x onerror=alert\(1\)&gt;['\"]", tekst)
    with pytest.raises(ValueError):
        rapport_html(_grafiek_notebook("A", svg=False), "T", voet)  # a spec without a bundle would show nothing


def test_html_grafiek_als_svg_heeft_geen_script():
    from duiding.draai.html import Voet, rapport_html

    voet = Voet("0" * 16, PERIODE, "intern", __version__, "1 jan 2025 10:00")
    tekst = rapport_html(_grafiek_notebook("A", svg=True), "T", voet)  # a verslag: one file
    assert "<script" not in tekst
    assert len(re.findall(r"<svg [^>]*aria-label=['\"]Zin over A['\"]", tekst)) == 1
    # with the bundle (the batch's reports) the browser draws the spec, even when an SVG is there
    tekst = rapport_html(_grafiek_notebook("A", svg=True), "T", voet, static="../../_static/v.js")
    assert "<svg" not in tekst and len(re.findall(r"data-vega=['\"]1['\"]", tekst)) == 1


def test_html_van_een_echt_rapport_is_wat_nbconvert_ervan_maakt(wijken, monkeypatch):
    """The outputs' HTML goes into the page after nbconvert, so its HTMLExporter does not parse and rewrite
    the whole page: for a real report, as a batch page (spec) and as a verslag (inline SVG), the page is
    the one nbconvert makes with the outputs inside, once both pass the same HTML parser."""
    from bs4 import BeautifulSoup
    from duiding.draai import html

    uit, r = wijken
    assert r.returncode == 0, r.stderr
    nb = nbformat.read(uit / PERIODE / "wijk" / "west.ipynb", as_version=4)
    voet = html.Voet("0" * 16, PERIODE, "intern", __version__, "1 jan 2025 10:00")
    snel = [html.rapport_html(nb, "West", voet, static="../../_static/v.js"), html.rapport_html(nb, "West", voet)]
    with monkeypatch.context() as m:
        m.setattr(html._Plekken, "zet", lambda self, o: o)  # every output through nbconvert, parsed and rewritten
        heel = [html.rapport_html(nb, "West", voet, static="../../_static/v.js"), html.rapport_html(nb, "West", voet)]
    for a, b in zip(snel, heel):
        assert "duiding-plek" not in a
        assert str(BeautifulSoup(a, "html.parser")) == str(BeautifulSoup(b, "html.parser"))
    assert snel[0].count("data-vega=") == 15 and snel[1].count("<svg ") == 15 and "<script" not in snel[1]
    assert snel[0].count("<table") == heel[0].count("<table") >= 15  # every chart's table, the key figures


def test_a_wijk_without_inhabitants_gets_a_short_report_marked_in_the_index(tmp_path):
    """An industrial estate: 40 inhabitants, no clients. No empty charts: a short report that says why."""
    import pandas as pd
    from conftest import klein, schrijf

    tabellen = klein()
    tabellen["wijken"] = pd.concat([tabellen["wijken"], pd.DataFrame(
        [("W3", "Bedrijventerrein De Hoek", 2, 0)], columns=tabellen["wijken"].columns)], ignore_index=True)
    tabellen["bevolking"] = pd.concat([tabellen["bevolking"], pd.DataFrame(
        [(2024, "W3", "0-17", 0), (2024, "W3", "18-64", 35), (2024, "W3", "65+", 5)],
        columns=tabellen["bevolking"].columns)], ignore_index=True)
    map = schrijf(tmp_path / "data", tabellen)
    uit = tmp_path / "uitvoer"
    r = subprocess.run(DUIDING + ["draai", "--data", str(map), "--per", "wijk", "--periode", "2024-Q2",
                                  "--uitvoer", str(uit)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    kort = (uit / "2024-Q2" / "wijk" / "bedrijventerrein-de-hoek.html").read_text(encoding="utf-8")
    assert "heeft (bijna) geen inwoners" in kort and "40 volgens de bevolkingscijfers" in kort
    assert kort.count("<svg") + kort.count("vegaEmbed(") == 0  # no charts at all
    volledig = (uit / "2024-Q2" / "wijk" / "noord.html").read_text(encoding="utf-8")
    assert "geen inwoners" not in volledig
    index = (uit / "2024-Q2" / "index.html").read_text(encoding="utf-8")
    assert index.count("weinig inwoners: kort rapport") == 1


def test_een_wet_kiezen_maakt_rapporten_over_die_wet_in_een_eigen_map(tmp_path):
    uit = tmp_path / "uit"
    r = _draai("--per", "stad", "--wet", "wmo", "--uitvoer", str(uit))
    assert r.returncode == 0, r.stderr
    rapport = (uit / f"{PERIODE}-wmo" / "stad" / "utrecht.html").read_text(encoding="utf-8")
    assert "Redenen beëindiging Wmo-ondersteuning" in rapport
    assert "jeugdhulp" not in rapport.lower()  # no verwijzers or redenen of youth care, and no jeugd figures
    assert "alleen Wmo 2015" in (uit / f"{PERIODE}-wmo" / "index.html").read_text(encoding="utf-8")
    fout = _draai("--per", "stad", "--wet", "zorg", "--uitvoer", str(uit))
    assert fout.returncode == 2 and "--wet" in fout.stderr


def test_vega_bundel_een_keer_gebouwd_en_daarna_uit_de_cache(tmp_path, monkeypatch):
    from duiding.draai import statisch

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    eerste = statisch.schrijf_bundel(tmp_path / "a").read_text(encoding="utf-8")
    assert eerste.rstrip().endswith(statisch._EINDE) and len(eerste) > 500_000
    with monkeypatch.context() as m:
        m.setattr(statisch.vlc, "javascript_bundle", lambda *a: pytest.fail("de bundel is opnieuw gebouwd"))
        assert statisch.schrijf_bundel(tmp_path / "b").read_text(encoding="utf-8") == eerste
    # a cut-off copy in the cache is not used: the bundle is built again
    statisch._cache_pad().write_text(eerste[:1000], encoding="utf-8")
    assert statisch.schrijf_bundel(tmp_path / "c").read_text(encoding="utf-8") == eerste
    assert statisch._cache_pad().read_text(encoding="utf-8") == eerste  # and the cache is whole again
