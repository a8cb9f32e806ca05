"""The actions page of the web app (`acties.ipynb`): every action across sessions, filtered, status changeable.

Overdue actions stand out by colour and by the words "te laat". The list is the same as
`duiding acties` prints (`duiding.acties.overzicht`).
"""

from __future__ import annotations

import html

import ipywidgets as w
from IPython.display import HTML, display

from ..acties import overzicht, onderwerpen
from ..config import laad_instellingen
from ..exceptions import DuidingFout
from ..opslag import opslag_voor
from ..opslag.velden import STATUS
from ..paths import startadres
from .sessiepagina import wacht_op_verzoek


def actiepagina(opslag_url: str | None = None) -> None:
    """The page: a filter per subject and status, and one row per action with its status to change."""
    inst = laad_instellingen()
    winkel = opslag_voor(opslag_url or inst.opslag)
    wacht_op_verzoek()  # a kernel kept ready by Voilà waits here: the list is read when the browser asks
    display(HTML(f"<a class='duiding-terug' href='{startadres()}'>&larr; Alle sessies</a><h1>Acties</h1>"
                 "<p>Alle verbeteracties uit de duidingssessies. Acties waarvan de streefdatum voorbij is, staan "
                 "bovenaan en zijn gemarkeerd met <strong>te laat</strong>.</p>"))
    onderwerp = w.Dropdown(description="Over", options=[("alle onderwerpen", "")] + [
        (naam, code) for code, naam in onderwerpen(winkel).items()], layout=w.Layout(width="32em"))
    status = w.ToggleButtons(options=[("nog niet gereed", "open"), ("lopend", "lopend"), ("gereed", "gereed"),
                                      ("alle", "alle")], value="open")
    lijst = w.VBox()
    melding = w.HTML()

    def rij(r) -> w.Widget:
        a = r.actie
        tekst = (f"<div class='duiding-actie{' duiding-te-laat' if r.te_laat else ''}'>"
                 + ("<strong>te laat</strong> · " if r.te_laat else "")
                 + f"<strong>{html.escape(a.omschrijving)}</strong> · {html.escape(a.eigenaar or 'geen eigenaar')} · "
                 f"{html.escape(r.wanneer)}<br><small>{html.escape(r.herkomst)}</small></div>")
        keuze = w.Dropdown(options=list(STATUS), value=a.status, description="status", layout=w.Layout(width="14em"))

        def wijzig(change, actie_id=a.id):
            try:
                winkel.actie_bijwerken(actie_id, change["new"])
                melding.value = f"<p class='duiding-status'>Actie {actie_id} staat nu op {change['new']}.</p>"
            except DuidingFout as e:
                melding.value = f"<p class='duiding-fout'>{html.escape(str(e))}</p>"
            toon()

        keuze.observe(wijzig, names="value")
        return w.HBox([w.HTML(tekst, layout=w.Layout(width="70%")), keuze])

    def toon(_=None) -> None:
        regels = overzicht(winkel, status.value, onderwerp.value or None)
        lijst.children = [rij(r) for r in regels] or [w.HTML("<p>Geen acties met deze keuze.</p>")]

    onderwerp.observe(toon, names="value")
    status.observe(toon, names="value")
    toon()
    display(w.VBox([onderwerp, status, melding, lijst]))
