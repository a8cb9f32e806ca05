"""One page for every session (`sessie.ipynb?sessie=N`), fast because its kernel is ready beforehand.

Voilà keeps a kernel waiting for this page (`--preheat_kernel`, a pool of one) with the
first cell already run: `voorbereiden` imports the kit, loads the data and computes the
tables every report of the last quarter shares. The second cell waits for the browser's
request (`voila.utils.get_query_string`), then runs the session subject's own notebook
(wijk, aanbieder, stad, gemeente or regio) in that kernel, with the forms. Charts come
from the SVG cache when they were drawn before (`thema.svg`); `vooraf` draws them when a
session is started, so even its first opening is quick.

The subject's notebook stays the one source of what a page shows: its code cells are run
here as they are, with the session's parameters in place of the parameters cell.
"""

from __future__ import annotations

import base64
import html
import os
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qs

import ipywidgets as w
import nbformat
from IPython.display import Markdown, display
from IPython.utils.capture import capture_output

from .. import notebook as nb
from ..config import laad_instellingen
from ..exceptions import ParameterFout
from ..grafieken import thema
from ..indicatoren.basis import TOTAAL
from ..onderwerp import _laad_bewaard, _periode, Onderwerp
from ..opslag import opslag_voor
from ..paths import NOTEBOOKS
from ..draai.plan import slug
from ..exceptions import DuidingFout
from ..sessie import sessie_parameters, verslag_html, verslag_pdf

try:
    from voila.utils import wait_for_request
except ImportError:  # the kit without Voilà: the page is not served, the functions still run
    wait_for_request = None


def wacht_op_verzoek() -> None:
    """In a kernel kept ready by Voilà: wait here until a browser asks for the page (else: go on).

    A kernel filled into the pool while Voilà is still starting may find nobody listening
    yet: it tries again until Voilà answers.
    """
    if wait_for_request is None or os.environ.get("VOILA_PREHEAT") != "True":
        return
    while "SCRIPT_NAME" not in os.environ:
        wait_for_request()
        if "SCRIPT_NAME" not in os.environ:
            time.sleep(0.5)

# the tables the reports of a quarter share (indicator, per, wet): computed once per kernel, beforehand
GEDEELD = [("bereik", "wijk", None), ("bereik", "aanbieder", None), ("bereik", "stad", None),
           ("bereik", "stad", "jeugd"), ("bereik", "stad", "wmo"), ("wachttijd", "wijk", None),
           ("wachttijd", "aanbieder", None), ("ervaringen", "wijk", None), ("ervaringen", "aanbieder", None),
           ("ervaringen", "stad", None), ("budget", "aanbieder", None), ("resultaat", "aanbieder", None)]


def voorbereiden(opslag_url: str = "", data: str = "") -> None:
    """The first cell, run before anyone asks for the page: kit imported, data loaded, shared tables made."""
    thema.gebruik()
    inst = laad_instellingen()
    if data:
        inst = inst.met(data=Path(data))
    g = _laad_bewaard(inst.data, inst.koppeling)
    p, perioden = _periode(g, None)
    o = Onderwerp("stad", TOTAAL, inst.gemeente_voor(g), p, perioden, g, inst, inst.privacy)
    for indicator, per, wet in GEDEELD:
        try:
            o.tabel(indicator, per, wet=wet)
        except ParameterFout:  # e.g. no budget in these data
            pass
    opslag_voor(opslag_url or inst.opslag)  # the store's engine and schema checked once


def gevraagd() -> int:
    """The session asked for in the page's address (`?sessie=N`), once the browser has asked."""
    wacht_op_verzoek()
    vraag = os.environ.get("QUERY_STRING") or ""  # Voilà puts the request's query here (also without a pool)
    waarden = parse_qs(vraag).get("sessie", [""])
    try:
        return int(waarden[0])
    except ValueError:
        raise ParameterFout("Deze pagina weet niet welke sessie ze moet tonen. Open de sessie vanaf de "
                            "startpagina.") from None


def cellen(soort: str) -> list[nbformat.NotebookNode]:
    """The subject notebook's cells a page shows: no how-to for analysts (the parameters cell first)."""
    bron = nbformat.read(NOTEBOOKS / f"{soort}.ipynb", as_version=4)
    return [c for c in bron.cells if "notebook-uitleg" not in c.metadata.get("tags", [])]


def uitvoeren(soort: str, parameters: dict) -> dict:
    """Run the subject's notebook in this kernel with these parameters; returns its namespace.

    As papermill does: the notebook's own defaults first, then the given parameters over them.
    """
    ruimte: dict = {"__name__": "__duiding_sessie__"}
    for c in cellen(soort):
        if "parameters" in c.metadata.get("tags", []):
            exec(compile(c.source, f"<{soort}.ipynb: parameters>", "exec"), ruimte)
            ruimte.update(parameters)
        elif c.cell_type == "markdown":
            display(Markdown(c.source))
        elif c.cell_type == "code":
            exec(compile(c.source, f"<{soort}.ipynb>", "exec"), ruimte)
    return ruimte


def toon(sessie_id: int, opslag_url: str = "", data: str = "") -> None:
    """The second cell: the session's page, with a form after every section."""
    inst = laad_instellingen()
    if data:
        inst = inst.met(data=Path(data))
    winkel = opslag_voor(opslag_url or inst.opslag)
    try:
        s = winkel.sessie(sessie_id)
    except ParameterFout:
        raise ParameterFout(f"Sessie {sessie_id} bestaat niet. Kies een sessie op de startpagina.") from None
    uitvoeren(s.soort, sessie_parameters(s, inst.data, winkel.url))
    display(verslag_knop(s, opslag_url, data))


def vooraf(sessie, data: Path, opslag_url: str) -> None:
    """Draw a session's charts now (into the SVG cache), out of sight, so its page opens quickly."""
    parameters = {**sessie_parameters(sessie, data, opslag_url), "modus": "", "sessie": ""}
    with capture_output():
        uitvoeren(sessie.soort, parameters)


__all__ = ["voorbereiden", "gevraagd", "toon", "vooraf", "uitvoeren", "verslag_knop", "nb"]


def verslag_hier(sessie, data: Path, opslag_url: str, privacy: str) -> nbformat.NotebookNode:
    """The session's verslag made in this kernel (its tables and charts are here already): a notebook.

    The subject's notebook runs once more in modus verslag, out of sight; its outputs
    become the verslag's cells. Seconds, where a fresh kernel takes a minute.
    """
    parameters = sessie_parameters(sessie, data, opslag_url, "verslag", privacy)
    with capture_output() as c:
        uitvoeren(sessie.soort, parameters)
    uit = [nbformat.v4.new_output("display_data", data=o.data, metadata=o.metadata or {}) for o in c.outputs]
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("", outputs=uit)])


def verslag_knop(sessie, opslag_url: str = "", data: str = "") -> w.Widget:
    """A button that makes the session's verslag (HTML and PDF) and offers both as downloads."""
    inst = laad_instellingen()
    if data:
        inst = inst.met(data=Path(data))
    knop = w.Button(description="Verslag maken (HTML en PDF)", button_style="primary",
                    layout=w.Layout(width="auto"))
    uitslag = w.HTML()

    def maak_verslag(_=None) -> None:
        knop.disabled = True
        uitslag.value = "<p class='duiding-status'>Het verslag wordt gemaakt …</p>"
        try:
            winkel = opslag_voor(opslag_url or inst.opslag)
            g = _laad_bewaard(inst.data, inst.koppeling)
            nb_ = verslag_hier(sessie, inst.data, winkel.url, inst.privacy)
            tekst = verslag_html(nb_, sessie, g.hash, inst.privacy)
            naam = f"verslag-{sessie.id}-{slug(sessie.onderwerp_naam)}-{sessie.periode}"
            links = [_download(tekst.encode("utf-8"), "text/html", f"{naam}.html", "Verslag als HTML")]
            try:
                with tempfile.TemporaryDirectory(prefix="duiding-verslag-") as tmp:
                    pdf = verslag_pdf(tekst, sessie, g.hash, inst.privacy, Path(tmp) / f"{naam}.pdf")
                    links.append(_download(pdf.read_bytes(), "application/pdf", f"{naam}.pdf", "Verslag als PDF"))
            except DuidingFout as e:
                links.append(f"<span class='duiding-fout'>{html.escape(str(e))}</span>")
            uitslag.value = "<p class='duiding-verslag-klaar'>" + " · ".join(links) + "</p>"
        except DuidingFout as e:
            uitslag.value = f"<p class='duiding-fout'>{html.escape(str(e))}</p>"
        finally:
            knop.disabled = False

    knop.on_click(maak_verslag)
    return w.VBox([w.HTML("<h2>Verslag</h2><p>Alles wat in deze sessie is vastgelegd, met de grafieken en de open "
                          "acties uit eerdere sessies, als HTML en als PDF (A4).</p>"), knop, uitslag])


def _download(inhoud: bytes, soort: str, naam: str, tekst: str) -> str:
    """A link that downloads `inhoud` as a file (a data: address: nothing stored on the server)."""
    return (f"<a download='{html.escape(naam)}' href='data:{soort};base64,{base64.b64encode(inhoud).decode()}'>"
            f"{html.escape(tekst)}</a>")
