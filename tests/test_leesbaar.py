"""Every report of `make run` and its index, read in Chromium at a projector's 1280x720 and at 1920x1080.

Nothing here knows how a chart is made: `leesbaar.js` measures the laid-out page (chart width
against its container, text size, cut-off text, overlapping text, WCAG AA contrast), the
quarter is looked for in the text a person reads, and the index is used as a person would
(sorting, following links). The README's screenshots of the index and of a report are taken here.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import leesbaar
from conftest import ROOT, SAMPLE

PERIODE = "2024-Q4"
IMG = ROOT / "docs" / "img"
# a quarter written any other way than '2024 K4': 2024-Q4, Q4 2024, K4 2024, 4e kwartaal 2024, K1 23
ANDERS = re.compile(r"\b20\d\d-?Q[1-4]\b|\bQ[1-4] 20\d\d\b|\bK[1-4] \d{2,4}\b|\b[1-4]e kwartaal\b")

pytestmark = pytest.mark.traag


@pytest.fixture(scope="module")
def uitvoer(tmp_path_factory) -> Path:
    """What `make run` makes: every report of the sample (wijken, aanbieders, stad, verdieping) and the index."""
    uit = tmp_path_factory.mktemp("run") / "uitvoer"
    r = subprocess.run([sys.executable, "-m", "duiding", "draai", "--per", "alle", "--data", str(SAMPLE),
                        "--uitvoer", str(uit)], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr[-3000:]
    return uit / PERIODE


def _open(page, pad: Path) -> None:
    page.goto(pad.as_uri())
    leesbaar.wacht_op_grafieken(page)


def test_elk_rapport_en_de_index_lezen_op_een_beamer(uitvoer, browser):
    rapporten = sorted(uitvoer.glob("*/*.html"))
    soorten = {p.parent.name for p in rapporten}
    assert soorten == {"wijk", "aanbieder", "stad", "verdieping"}, soorten
    assert len(rapporten) == 10 + 23 + 1 + 1
    gevonden: dict[str, list[str]] = {}
    for breedte, hoogte in leesbaar.FORMATEN:
        page = browser.new_page(viewport={"width": breedte, "height": hoogte})
        for pad in rapporten + [uitvoer / "index.html"]:
            _open(page, pad)
            problemen = leesbaar.problemen(page)
            if problemen:
                gevonden[f"{pad.parent.name}/{pad.name} @ {breedte}x{hoogte}"] = problemen[:5]
            tekst = page.locator("main").inner_text()
            anders = sorted(set(ANDERS.findall(tekst)))
            if anders:
                gevonden[f"{pad.name} quarter"] = anders
        page.close()
    assert gevonden == {}


def test_de_grafieken_volgen_een_smaller_venster(uitvoer, browser):
    """The page is at most 1180 px wide; in a narrower window (a laptop beside the projector) every chart
    follows its figure's width."""
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    _open(page, uitvoer / "wijk" / "west.html")
    breed = page.locator("figure[data-vega] svg").first.bounding_box()["width"]
    page.set_viewport_size({"width": 900, "height": 700})
    page.wait_for_function("(w) => document.querySelector('figure[data-vega] svg').getBoundingClientRect().width < w",
                           arg=breed - 100)
    verhoudingen = page.locator("figure[data-vega]").evaluate_all(
        "fs => fs.map(f => f.querySelector('svg').getBoundingClientRect().width / f.getBoundingClientRect().width)")
    assert len(verhoudingen) == 15 and all(0.9 <= v <= 1.01 for v in verhoudingen), verhoudingen
    page.close()


def test_verborgen_en_nul_zien_er_anders_uit(uitvoer, browser):
    """A hidden bar is a dashed box with the word; a bar of zero is a '0', not nothing."""
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    _open(page, uitvoer / "wijk" / "west.html")
    figuur = page.locator("figure[data-vega]").filter(has_text="Redenen beëindiging jeugdhulp").first
    vakken = figuur.locator("path[stroke-dasharray], rect[stroke-dasharray]")
    woorden = figuur.locator("svg text").filter(has_text=re.compile(r"^verborgen$"))
    assert vakken.count() >= 1 and vakken.count() == woorden.count()
    assert re.search(r"gestippeld\s*vak = verborgen", figuur.inner_text())  # the subtitle may break the line
    page.close()


def test_de_index_is_een_overzicht(uitvoer, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    _open(page, uitvoer / "index.html")
    wijken = page.locator("#wijk ~ table").first
    koppen = wijken.locator("thead th").all_inner_texts()
    assert koppen[0].startswith("wijk") and any(k.startswith("in zorg") for k in koppen)
    assert not any(re.search(r"rekentijd|grafieken|\bcode\b", k) for k in page.locator("th").all_inner_texts())
    # every cell: the value, and its change against the previous quarter and a year earlier, with an arrow
    cel = wijken.locator("tbody tr").first.locator("td").nth(1).inner_text()
    assert re.search(r"kw: ([▲▼] [+−][\d.,]+|= gelijk)", cel) and re.search(r"jaar: ([▲▼] [+−][\d.,]+|= gelijk)", cel)

    def kolom(n: int) -> list[float]:
        return [float(v) for v in wijken.locator("tbody tr").evaluate_all(
            f"rs => rs.map(r => r.cells[{n}].dataset.waarde)") if v]

    wijken.locator("thead th").nth(1).locator("button").first.click()
    assert kolom(1) == sorted(kolom(1))
    wijken.locator("thead th").nth(1).locator("button").first.click()
    assert kolom(1) == sorted(kolom(1), reverse=True)
    assert wijken.locator("thead th").nth(1).get_attribute("aria-sort") == "descending"
    # sorted by the change against a year earlier
    wijken.locator("thead th").nth(1).get_by_role("button", name="± jaar").click()
    jaar = [float(v) for v in wijken.locator("tbody tr").evaluate_all("rs => rs.map(r => r.cells[1].dataset.jaar)") if v]
    assert jaar == sorted(jaar)
    # the links: every report, the deep dive, and how to open the app
    links = page.locator("main a[href$='.html']").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert sorted(links) == sorted(f"{p.parent.name}/{p.name}" for p in uitvoer.glob("*/*.html"))
    assert page.get_by_role("link", name="Utrecht").count() >= 2  # the stad and the verdieping
    assert "duiding app --data" in page.locator("#app ~ p").first.inner_text()
    IMG.mkdir(parents=True, exist_ok=True)
    page.locator("#wijk").evaluate("h => h.scrollIntoView()")  # the README shows the wijken's table
    page.screenshot(path=str(IMG / "index.png"))
    page.close()


def test_readme_toont_een_rapport_op_beamerformaat(uitvoer, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    _open(page, uitvoer / "wijk" / "overvecht.html")
    page.locator("figure[data-vega]").filter(has_text="Instroom en uitstroom").first.scroll_into_view_if_needed()
    page.locator("h2", has_text="Bereik").first.evaluate("h => h.scrollIntoView()")
    assert leesbaar.problemen(page) == []
    page.screenshot(path=str(IMG / "rapport-beamer.png"))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/img/index.png" in readme and "docs/img/rapport-beamer.png" in readme
    page.close()
