"""The notebooks: committed clean, run with papermill for every wijk and every aanbieder of the sample.

Each run executes the real kernel `duiding`. The assertions read the executed notebook:
no error output, the expected number of charts, the subject's name in the chart titles,
and no visible count of 1-4 people in any chart's data.
"""

from __future__ import annotations

import json
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import papermill as pm
import pytest

from conftest import ROOT, SAMPLE, knopen
from duiding import laad

pytestmark = pytest.mark.traag

NOTEBOOKS = ROOT / "notebooks"
VEGALITE = "application/vnd.vegalite.v6+json"
G = laad(SAMPLE)
WIJKEN = list(G.wijken["wijk_code"])
AANBIEDERS = list(G.aanbieders["aanbieder_id"])


def test_notebooks_zonder_uitvoer_met_parameters_en_kernel():
    paden = sorted(NOTEBOOKS.glob("*.ipynb"))
    assert [p.stem for p in paden] == ["aanbieder", "gemeente", "regio", "stad", "start", "verdieping", "wijk",
                                       "wijk_kort"]
    for pad in paden:
        nb = nbformat.read(pad, as_version=4)
        nbformat.validate(nb)
        assert nb.metadata.kernelspec.name == "duiding", pad.name
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert "parameters" in code[0].metadata.get("tags", []), f"{pad.name}: eerste codecel is geen parameters-cel"
        for c in code:
            assert c.outputs == [] and c.execution_count is None, (
                f"{pad.name} is opgeslagen met uitvoer; maak hem schoon met 'make strip'.")
        # thin notebooks: no cell longer than a handful of lines; logic lives in src/duiding
        assert max(len(c.source.splitlines()) for c in code) <= 12, pad.name


def _draai(notebook: str, parameters: dict, tmp: Path) -> nbformat.NotebookNode:
    uit = tmp / f"{notebook}-{uuid.uuid4().hex[:8]}.ipynb"
    pm.execute_notebook(str(NOTEBOOKS / f"{notebook}.ipynb"), str(uit), parameters=parameters,
                        kernel_name="duiding", cwd=str(NOTEBOOKS), progress_bar=False)
    return nbformat.read(uit, as_version=4)


@pytest.fixture(scope="module")
def uitgevoerd(tmp_path_factory):
    """Every wijk and every aanbieder of the sample, two kernels at a time (this machine has 2 cores)."""
    tmp = tmp_path_factory.mktemp("notebooks")
    taken = [("wijk", {"wijk": w, "data": str(SAMPLE)}) for w in WIJKEN]
    taken += [("aanbieder", {"aanbieder": a, "data": str(SAMPLE)}) for a in AANBIEDERS]
    with ThreadPoolExecutor(max_workers=2) as pool:
        resultaten = list(pool.map(lambda t: _draai(t[0], t[1], tmp), taken))
    return {(soort, next(iter(p.values()))): nb for (soort, p), nb in zip(taken, resultaten)}


def _uitvoer(nb):
    return [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]


def _grafieken(nb) -> list[dict]:
    return [o["data"][VEGALITE] for o in _uitvoer(nb) if VEGALITE in o.get("data", {})]


def _titels(spec) -> list[str]:
    """Every title text in a spec, also of composed or faceted parts; a title on several lines as one text."""
    return [" ".join(t) if isinstance(t := k["title"]["text"], list) else t for k in knopen(spec)
            if isinstance(k.get("title"), dict) and "text" in k["title"]]


def _zichtbare_kleine_aantallen(spec) -> list[dict]:
    rijen = [r for ds in spec.get("datasets", {}).values() for r in ds]
    return [r for r in rijen if r.get("aantal") is True and r.get("waarde") is not None and 1 <= r["waarde"] <= 4]


def _controleer(nb, naam: str, verwacht: int):
    fouten = [o for o in _uitvoer(nb) if o.output_type == "error"]
    assert not fouten, f"{naam}: {fouten[0].ename}: {fouten[0].evalue}"
    assert not [o for o in _uitvoer(nb) if o.output_type == "stream" and o.name == "stderr"], naam
    grafieken = _grafieken(nb)
    assert len(grafieken) == verwacht, f"{naam}: {len(grafieken)} grafieken, verwacht {verwacht}"
    for spec in grafieken:
        assert any(naam in t for t in _titels(spec)), f"{naam} staat niet in de titel {_titels(spec)}"
        assert not _zichtbare_kleine_aantallen(spec), naam
        assert spec.get("description"), "grafiek zonder tekstalternatief"
    html = "".join("".join(o.get("data", {}).get("text/html", "")) for o in _uitvoer(nb))
    assert html.count("Tabel bij deze grafiek") == verwacht  # every chart has its table
    assert "Wat valt op" in html and "fictieve gegevens" in html
    assert html.count("class='duiding-vragen'") >= 3  # every section closes with the reflection questions


@pytest.mark.parametrize("wijk", WIJKEN)
def test_wijk_notebook(uitgevoerd, wijk):
    _controleer(uitgevoerd[("wijk", wijk)], G.wijknaam(wijk), 15)


@pytest.mark.parametrize("aanbieder", AANBIEDERS)
def test_aanbieder_notebook(uitgevoerd, aanbieder):
    wet = dict(zip(G.aanbieders["aanbieder_id"], G.aanbieders["wet"]))[aanbieder]
    wetten = ["jeugd", "wmo"] if wet == "beide" else [wet]
    # stand and stroom, each its own chart; per wet the redenen (and for jeugd the verwijzers), each this quarter and over time;
    # 2 wachttijd; ervaringen and their trend; maatschappelijk resultaat (one gemeente: beside the other
    # aanbieders); 4 budget (vierkant, in euro and in % over time, beside comparable aanbieders)
    verwacht = 2 + 2 * len(wetten) + 2 * ("jeugd" in wetten) + 2 + 2 + 1 + 4
    _controleer(uitgevoerd[("aanbieder", aanbieder)], G.aanbiedernaam(aanbieder), verwacht)


def test_onbekende_wijk_stopt_in_de_eerste_cel(tmp_path):
    with pytest.raises(pm.PapermillExecutionError) as e:
        _draai("wijk", {"wijk": "Nergenshuizen"}, tmp_path)
    assert e.value.ename == "ParameterFout"
    assert "Geldige waarden: West (WK034401)" in e.value.evalue
    nb = nbformat.read(next(tmp_path.glob("*.ipynb")), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    fout = next(i for i, c in enumerate(code) if any(o.output_type == "error" for o in c.outputs))
    assert "injected-parameters" in code[fout - 1].metadata.get("tags", [])  # the first cell after the parameters
    assert "nb.wijk(" in code[fout].source
    assert not _grafieken(nb)


def test_foute_periode_stopt_met_nederlandse_uitleg(tmp_path):
    with pytest.raises(pm.PapermillExecutionError) as e:
        _draai("aanbieder", {"aanbieder": "A01", "periode": "2024-Q7"}, tmp_path)
    assert e.value.ename == "PeriodeFout" and "2024-K4" in e.value.evalue


def test_stad_en_verdieping_met_andere_parameters(tmp_path):
    stad = _draai("stad", {"periode": "2023-Q4", "privacy": "openbaar"}, tmp_path)
    assert all("2023 K4" in json.dumps(s["title"], ensure_ascii=False) for s in _grafieken(stad)
               if "title" in s and " K" in json.dumps(s["title"], ensure_ascii=False))
    html = "".join("".join(o.get("data", {}).get("text/html", "")) for o in _uitvoer(stad))
    assert "privacy openbaar" in html
    diep = _draai("verdieping", {"van": "2023-Q1", "tot": "2023-Q4", "wet": "jeugd"}, tmp_path)
    titels = [t for s in _grafieken(diep) for t in _titels(s)]
    assert len(_grafieken(diep)) == 3 and all("Jeugdwet" in t for t in titels if "·" in t)
