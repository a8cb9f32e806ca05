"""One page for every session (`sessie.ipynb?sessie=N`), open in a second: recorded figures, live forms.

Voilà keeps a few kernels waiting for this page (`--preheat_kernel`, a pool): their first
cell (`voorbereiden`) imported only the widgets, the forms and the store, about 70 MB
each. The second cell waits for the browser's request (`wacht_op_verzoek`),
reads which session is asked for, and replays the session's recorded page
(`web/opname`): its charts and tables as they were drawn, its forms and carried-over
actions made live. A session without a recording (the data or the settings changed, or
it was started on the command line) is recorded on its first opening, in that kernel,
which then takes the seconds a report takes.

The subject's notebook stays the one source of what a page shows: the recording is that
notebook run in modus sessie.
"""

from __future__ import annotations

import base64
import html
import json
import os
import sys
import tempfile
import time
from importlib import import_module
from pathlib import Path
from urllib.parse import parse_qs

import ipywidgets as w
from IPython.display import display

from ..config import laad_instellingen
from ..exceptions import DuidingFout, ParameterFout
from ..opslag import opslag_voor
from . import opname
from .fouten import in_webapp


def wacht_op_verzoek() -> None:
    """In a kernel kept ready by Voilà: wait here until a browser asks for the page (else: go on at once).

    Voilà's preheat protocol, as `voila.utils.wait_for_request` speaks it: the kernel opens
    a websocket at `/voila/query/<kernel id>` and receives the request's environment
    (QUERY_STRING, SCRIPT_NAME, …) when its page is asked for. Spoken here with `websockets`
    alone, because importing voila.utils loads the whole Voilà server: 2 s of every kernel.
    A kernel filled into the pool while Voilà is still starting finds nobody listening yet:
    it tries again until Voilà answers.
    """
    if os.environ.get("VOILA_PREHEAT") != "True":
        return
    from websockets.exceptions import WebSocketException
    from websockets.sync.client import connect

    adres = (f"{os.environ.get('VOILA_WS_PROTOCOL', 'ws')}://{os.environ.get('VOILA_APP_IP', '127.0.0.1')}:"
             f"{os.environ.get('VOILA_APP_PORT', '8866')}"
             f"{os.environ.get('VOILA_WS_BASE_URL', os.environ.get('VOILA_SERVER_URL', '/'))}voila/query/"
             f"{os.environ.get('VOILA_KERNEL_ID', '')}")
    while "SCRIPT_NAME" not in os.environ:
        try:
            with connect(adres, open_timeout=5, close_timeout=1, max_size=2**20) as ws:
                os.environ.update({str(k): str(v) for k, v in json.loads(ws.recv()).items()})
        except (OSError, TimeoutError, ValueError, WebSocketException) as e:  # Voilà not listening yet
            print(f"sessiepagina: wachten op Voilà ({type(e).__name__})", file=sys.__stderr__)
            time.sleep(0.5)


def _instellingen(data: str = ""):
    inst = laad_instellingen()
    return inst.met(data=Path(data)) if data else inst


def voorbereiden(opslag_url: str = "", data: str = "") -> None:
    """The first cell, run before anyone asks for the page: the forms' modules imported, the store opened."""
    in_webapp()
    import_module("duiding.formulier")  # imported now, not while the facilitator waits

    opslag_voor(opslag_url or _instellingen(data).opslag)  # the store's engine and schema checked once


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


def toon(sessie_id: int, opslag_url: str = "", data: str = "") -> None:
    """The second cell: the session's page, with a form after every section."""
    inst = _instellingen(data)
    winkel = opslag_voor(opslag_url or inst.opslag)
    try:
        s = winkel.sessie(sessie_id)
    except ParameterFout:
        raise ParameterFout(f"Sessie {sessie_id} bestaat niet. Kies een sessie op de startpagina.") from None
    pagina = opname.bewaard(s, winkel.url, inst)
    if pagina is None:  # never recorded, or the data or the settings changed since
        pagina = opname.neem_op(s, winkel.url, inst)
    opname.speel_af(pagina, winkel, s)
    display(verslag_knop(s, inst, winkel.url))


def vooraf(sessie, data: Path, opslag_url: str) -> None:
    """Record a session's page now (in the start page's kernel, which holds the data), so its first opening is quick too."""
    opname.neem_op(sessie, opslag_url, _instellingen(str(data)))


def verslag_hier(sessie, inst, opslag_url: str):
    """The session's verslag made in this kernel, as a notebook: seconds, where a fresh kernel takes a minute.

    The subject's notebook runs once more in modus verslag, out of sight; its outputs
    become the verslag's cells (charts from the SVG cache when they were drawn before).
    """
    import nbformat
    from IPython.utils.capture import capture_output

    from ..sessie import sessie_parameters

    parameters = sessie_parameters(sessie, inst.data, opslag_url, "verslag", inst.privacy)
    with capture_output() as c:
        opname.uitvoeren(sessie.soort, parameters)
    uit = [nbformat.v4.new_output("display_data", data=o.data, metadata=o.metadata or {}) for o in c.outputs]
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("", outputs=uit)])


def verslag_links(sessie, inst, opslag_url: str) -> str:
    """Make the session's verslag (HTML and PDF, A4) here; HTML with a download link for each."""
    from ..draai.plan import slug
    from ..gegevens import laad_bewaard
    from ..sessie import verslag_html, verslag_pdf

    g = laad_bewaard(inst.data, inst.koppeling, bewaar=False)  # many small kernels: none maps the kept tables or hashes the files
    tekst = verslag_html(verslag_hier(sessie, inst, opslag_url), sessie, g.hash, inst.privacy)
    naam = f"verslag-{sessie.id}-{slug(sessie.onderwerp_naam)}-{sessie.periode}"
    links = [_download(tekst.encode("utf-8"), "text/html", f"{naam}.html", "Verslag als HTML")]
    try:
        with tempfile.TemporaryDirectory(prefix="duiding-verslag-") as tmp:
            pdf = verslag_pdf(tekst, sessie, g.hash, inst.privacy, Path(tmp) / f"{naam}.pdf")
            links.append(_download(pdf.read_bytes(), "application/pdf", f"{naam}.pdf", "Verslag als PDF"))
    except DuidingFout as e:  # no Chromium here: the HTML still comes
        links.append(f"<span class='duiding-fout'>{html.escape(str(e))}</span>")
    return "<p class='duiding-verslag-klaar'>" + " · ".join(links) + "</p>"


def verslag_knop(sessie, inst, opslag_url: str, klein: bool = False) -> w.Widget:
    """A button that makes the session's verslag (HTML and PDF) and offers both as downloads.

    `inst`: the page's settings, `opslag_url`: its store. `klein`: the button alone (a row of
    the session list), without the heading.
    """
    knop = w.Button(description="Verslag (HTML en PDF)" if klein else "Verslag maken (HTML en PDF)",
                    button_style="" if klein else "primary", layout=w.Layout(width="auto"),
                    tooltip=f"Maak het verslag van sessie {sessie.id}")
    uitslag = w.HTML()

    def maak_verslag(_=None) -> None:
        knop.disabled = True
        uitslag.value = "<p class='duiding-status'>Het verslag wordt gemaakt …</p>"
        try:
            uitslag.value = verslag_links(sessie, inst, opslag_url)
        except DuidingFout as e:
            uitslag.value = f"<p class='duiding-fout'>{html.escape(str(e))}</p>"
        finally:
            knop.disabled = False

    knop.on_click(maak_verslag)
    if klein:
        return w.HBox([knop, uitslag], layout=w.Layout(align_items="center"))
    return w.VBox([w.HTML("<h2>Verslag</h2><p>Alles wat in deze sessie is vastgelegd, met de grafieken en de open "
                          "acties uit eerdere sessies, als HTML en als PDF (A4).</p>"), knop, uitslag])


def _download(inhoud: bytes, soort: str, naam: str, tekst: str) -> str:
    """A link that downloads `inhoud` as a file (a data: address: nothing stored on the server)."""
    return (f"<a download='{html.escape(naam)}' href='data:{soort};base64,{base64.b64encode(inhoud).decode()}'>"
            f"{html.escape(tekst)}</a>")
