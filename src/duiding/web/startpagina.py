"""The start page of the web app, run in its kernel: the sessions, and a form that starts a new one."""

from __future__ import annotations

import sys
from pathlib import Path

import ipywidgets as w
from IPython.display import HTML, display

from ..config import laad_instellingen
from ..exceptions import DuidingFout
from ..gegevens import laad_bewaard
from ..opslag import Deelnemer, opslag_voor
from ..periode import Kwartaal, reeks
from ..sjabloon import maak
from .pagina import sessie_adres
from .fouten import in_webapp
from .sessiepagina import verslag_knop, vooraf, wacht_op_verzoek

def startpagina(opslag_url: str | None = None, data: str | Path | None = None, map: str | Path = ".") -> None:
    """The start page: sessions in the store, and a form that starts a new one.

    In the app its kernel is kept ready with the data loaded; the list is read when the
    browser asks, so it is never stale. The chart stack is imported only when a session is
    started (its page is recorded then): a start page that is only looked at stays small.
    """
    in_webapp()
    inst = laad_instellingen()
    if data:
        inst = inst.met(data=Path(data))
    g = laad_bewaard(inst.data, inst.koppeling, bewaar=False)  # many small kernels: none maps the kept tables or hashes the files
    winkel = opslag_voor(opslag_url or inst.opslag)
    wacht_op_verzoek()
    fictief = ("<p class='duiding-fictief'><strong>Let op: fictieve gegevens.</strong> Deze cijfers zijn verzonnen "
               "om de kit te laten zien.</p>") if g.fictief else ""
    display(HTML(f"<h1>Samen naar de cijfers kijken</h1>{fictief}"))

    lijst = w.VBox()

    def pagina(s) -> str:
        """The session's page, as a link relative to the start page."""
        return sessie_adres(s.id)

    def toon_lijst() -> None:
        sessies = winkel.sessies()
        rijen = [w.HBox([w.HTML(maak("sessies.html.j2", wat="rij", s=s, link=pagina(s))),
                         verslag_knop(s, inst, winkel.url, klein=True)],
                        layout=w.Layout(align_items="center", flex_flow="row wrap"))
                 for s in sessies]
        lijst.children = [w.HTML(maak("sessies.html.j2", wat="kop", sessies=sessies)), *rijen]

    eerste, laatste = g.perioden()
    perioden = [(p.label, str(p)) for p in reeks(eerste, laatste)][::-1]  # shown as 2024 K4
    heel = [("Gemeente", "gemeente"), ("Regio", "regio")] if g.is_regio else [("Stad", "stad")]
    soort = w.ToggleButtons(options=[("Wijk", "wijk"), ("Aanbieder", "aanbieder")] + heel, value="wijk")
    onderwerp = w.Dropdown(description="Over", layout=w.Layout(width="32em"))
    periode = w.Dropdown(options=perioden, value=perioden[0][1], description="Kwartaal")
    titel = w.Text(description="Titel", placeholder="standaard: Duidingssessie … kwartaal", layout=w.Layout(width="40em"))
    deelnemers = w.Textarea(description="Deelnemers", placeholder="één per regel: naam, rol, organisatie",
                            layout=w.Layout(width="40em", height="6em"))
    knop = w.Button(description="Sessie starten", button_style="primary")
    uitslag = w.HTML()

    def kies_soort(_=None) -> None:
        namen = {"wijk": g.wijknamen, "aanbieder": g.aanbiedernamen, "gemeente": g.gemeentenamen}.get(soort.value, {})
        onderwerp.options = [(n, c) for c, n in namen.items()] or [(inst.gemeente_voor(g), "stad")]
        onderwerp.value = onderwerp.options[0][1]  # ipywidgets does not select when options change
        onderwerp.disabled = soort.value in ("stad", "regio")

    def start(_=None) -> None:
        try:
            wie = [Deelnemer.lees(r) for r in deelnemers.value.splitlines() if r.strip()]
            code, naam = g.onderwerp(soort.value, onderwerp.value, inst.gemeente_voor(g))
            s = winkel.sessie_maken(soort.value, code, periode.value, titel.value.strip() or None,
                                    deelnemers=wie, onderwerp_naam=naam)
            link = pagina(s)
            uitslag.value = maak("startpagina.html.j2", wat="bezig", s=s, link=link)
            vooraf(s, inst.data, winkel.url)  # its page recorded now: it opens in seconds
            uitslag.value = maak("startpagina.html.j2", wat="klaar", s=s, link=link)
            toon_lijst()
        except DuidingFout as e:
            uitslag.value = maak("startpagina.html.j2", wat="fout", tekst=str(e))
        except Exception as e:  # never a silent click: say it in Dutch, log the detail
            print(f"startpagina: {type(e).__name__}: {e}", file=sys.__stderr__)
            uitslag.value = ("<p class='duiding-fout'>De sessie kon niet worden gestart. Probeer het opnieuw; "
                             "blijft het misgaan, kijk dan in het venster van 'duiding app'.</p>")

    soort.observe(kies_soort, names="value")
    knop.on_click(start)
    kies_soort()
    toon_lijst()
    display(lijst)
    display(w.VBox([w.HTML("<h2>Nieuwe sessie</h2>"), soort, onderwerp, periode, titel, deelnemers, knop, uitslag]))


def _kwartaal_label(periode: str) -> str:
    return Kwartaal.parse(periode).label
