"""The duiding form of one section (ipywidgets), saving to the store.

Shown under a section's charts when a notebook runs with `modus="sessie"`. Each change
is saved by itself a moment after the typing stops (debounced on the kernel's event
loop), "Opslaan" saves at once, and the status line says when it was saved. Every save
is a new version in the store, so a kernel restart, a re-run cell or a colleague saving
the same section at the same time loses nothing: the form reloads the newest version,
and says when someone else saved in between.

Beside the form: what was said about this section in earlier sessions on the same
subject, and their open actions, whose status can be updated in place.
"""

from __future__ import annotations

import asyncio
import html
from datetime import date, datetime

import ipywidgets as w

from . import nl
from .exceptions import DuidingFout
from .opslag import Herkomst, Opslag, Sessie
from .opslag.modellen import Actie, Duiding
from .sjabloon import maak
from .opslag.velden import KEUZES, PRINCIPES, SECTIES, STATUS, VELDEN

TEKSTVELDEN = ("wat_zien_we", "herkennen_toelichting", "verhaal", "verwachting")
UITLEG = {
    "wat_zien_we": "Welke beweging of welk verschil valt op?",
    "herkennen_toelichting": "Waarom wel, deels of niet?",
    "verhaal": "De verklaring: wat weten we, wat (nog) niet?",
    "verwachting": "Hoe ontwikkelt dit zich de komende kwartalen?",
}


def _breed(widget, hoogte: str | None = None):
    widget.layout = w.Layout(width="96%", height=hoogte) if hoogte else w.Layout(width="96%")
    return widget


class Formulier:
    """One section's form. `.widget` is what the notebook shows."""

    _laatste: dict[tuple, "Formulier"] = {}  # (store, sessie, sectie) -> the form shown last in this kernel

    def __init__(self, opslag: Opslag, sessie: Sessie, sectie: str, herkomst: Herkomst | None = None,
                 wacht: float = 2.0, principes: tuple[str, ...] = PRINCIPES):
        self.opslag, self.sessie, self.sectie = opslag, sessie, sectie
        vorig = Formulier._laatste.get(self._sleutel)
        if vorig is not None and vorig._gepland is not None:
            vorig.bewaar()  # the cell was re-run within the autosave delay: save what was typed first
        Formulier._laatste[self._sleutel] = self
        self.herkomst = herkomst or Herkomst()
        self.wacht = wacht  # seconds of quiet before an autosave
        self._gepland = None
        self._laden = False
        self.basis: int = 0  # the version this form last loaded or saved
        self.velden: dict[str, w.ValueWidget] = {}
        for naam in TEKSTVELDEN:
            self.velden[naam] = _breed(w.Textarea(placeholder=UITLEG[naam], description=""),
                                       "6em" if naam != "herkennen_toelichting" else "3.5em")
        for naam, keuzes in KEUZES.items():
            self.velden[naam] = w.ToggleButtons(options=[("nog niet", "")] + [(k, k) for k in keuzes], value="",
                                                style={"button_width": "auto"})
        self.principes = {p: self._vakje(p) for p in principes}
        self.auteur = w.Text(placeholder="naam van wie dit vastlegt", layout=w.Layout(width="22em"))
        self.opslaan = w.Button(description="Opslaan", button_style="primary", tooltip="Sla deze duiding nu op")
        self.status = w.HTML(layout=w.Layout(margin="0 0 0 1em"))
        self.melding = w.HTML()
        self.eerder = w.VBox()
        self.geschiedenis = w.HTML()
        for veld in [*self.velden.values(), self.auteur]:
            veld.observe(self._gewijzigd, names="value")
        self.opslaan.on_click(lambda _: self.bewaar())
        self.nieuwe_actie = _NieuweActie(self)
        self.widget = self._opbouw()
        self.laad()
        self.toon_eerder()
        self._volg()

    @property
    def _sleutel(self) -> tuple:
        return (self.opslag.url, self.sessie.id, self.sectie)

    def _vakje(self, principe: str) -> w.Checkbox:
        vak = w.Checkbox(value=False, description=principe, indent=False,
                         layout=w.Layout(width="auto", margin="0 1.2em 0 0"))
        vak.observe(self._gewijzigd, names="value")
        return vak

    # ---- layout --------------------------------------------------------------------
    def _rij(self, naam: str, widget) -> w.Widget:
        return w.VBox([w.HTML(maak("formulier.html.j2", wat="label", tekst=VELDEN[naam])), widget],
                      layout=w.Layout(margin="0 0 .6em 0"))

    def _opbouw(self) -> w.Widget:
        v = self.velden
        principes = self._principes_vak = w.Box(list(self.principes.values()), layout=w.Layout(flex_flow="row wrap"))
        formulier = w.VBox([
            w.HTML(maak("formulier.html.j2", wat="kop", tekst=SECTIES.get(self.sectie, self.sectie))),
            self._rij("wat_zien_we", v["wat_zien_we"]),
            self._rij("herkennen", v["herkennen"]), self._rij("herkennen_toelichting", v["herkennen_toelichting"]),
            self._rij("verhaal", v["verhaal"]),
            self._rij("waardering", v["waardering"]),
            self._rij("verwachting", v["verwachting"]),
            self._rij("principes", principes),
            self._rij("binnen_kaders", v["binnen_kaders"]),
            w.HBox([w.HTML("<strong>Vastgelegd door</strong>&nbsp;"), self.auteur]),
            w.HBox([self.opslaan, self.status], layout=w.Layout(align_items="center")),
            self.melding,
            self.nieuwe_actie.widget,
            self.geschiedenis,
        ], layout=w.Layout(flex="3", padding="0 1em 0 0"))
        formulier.add_class("duiding-formulier-invoer")
        zij = w.VBox([w.HTML("<h3>Eerder gezegd</h3>"), self.eerder], layout=w.Layout(flex="2"))
        geheel = w.HBox([formulier, zij], layout=w.Layout(width="100%", flex_flow="row wrap"))
        geheel.add_class("duiding-formulier")
        return geheel

    # ---- values --------------------------------------------------------------------
    def waarden(self) -> dict:
        uit = {k: v.value for k, v in self.velden.items()}
        uit["principes"] = [p for p, vak in self.principes.items() if vak.value]
        return uit

    def vul(self, d: Duiding | None) -> None:
        """Put a stored version in the fields (without triggering an autosave)."""
        self._laden = True
        try:
            velden = d.velden if d else {}
            for k, widget in self.velden.items():
                widget.value = velden.get(k, "")
            gekozen = {p.strip() for p in (velden.get("principes") or "").split(";") if p.strip()}
            bekend = {p.casefold() for p in self.principes}
            for p in sorted(gekozen):  # saved under an earlier list of principles: keep it visible
                if p.casefold() not in bekend:
                    self.principes[p] = self._vakje(p)
                    self._principes_vak.children = list(self.principes.values())
            gekozen = {p.casefold() for p in gekozen}
            for p, vak in self.principes.items():
                vak.value = p.casefold() in gekozen
            if d and d.auteur:
                self.auteur.value = d.auteur
        finally:
            self._laden = False

    def laad(self) -> None:
        self._toon_versie(self.opslag.laatste(self.sessie.id, self.sectie))

    def _toon_versie(self, d: Duiding | None) -> None:
        """A stored version in the fields, as this form's base, with its saved state and the history."""
        self.vul(d)
        self._opgeslagen(d)

    def _opgeslagen(self, d: Duiding | None) -> None:
        """`d` is now what this form stands on: status line ('opgeslagen om 14:32') and history."""
        self.basis = d.versie if d else 0
        self.status.value = (f"<span class='duiding-status'>opgeslagen om {nl.tijd(nl.lokaal(d.opgeslagen_op))} "
                             f"(versie {d.versie})</span>" if d else
                             "<span class='duiding-status'>nog niets opgeslagen</span>")
        self.toon_geschiedenis()

    # ---- saving --------------------------------------------------------------------
    KIJK = 10.0  # seconds between looks for a newer version saved elsewhere

    def _volg(self) -> None:
        """Every few seconds on the kernel's event loop: pick up a newer version saved elsewhere."""
        try:
            lus = asyncio.get_running_loop()
        except RuntimeError:  # plain Python: nothing to follow
            return

        def kijk() -> None:
            if Formulier._laatste.get(self._sleutel) is not self:
                return  # a newer form for this section took over (re-run cell)
            try:
                self.neem_nieuwere()
            finally:
                lus.call_later(self.KIJK, kijk)

        lus.call_later(self.KIJK, kijk)

    def neem_nieuwere(self) -> bool:
        """Show a version someone else saved since, unless this form has unsaved typing."""
        if self._gepland is not None:
            return False  # own changes wait to be saved; they will become the newest
        d = self.opslag.laatste(self.sessie.id, self.sectie)
        if d is None or d.versie <= self.basis:
            return False
        self._toon_versie(d)
        self.melding.value = maak("formulier.html.j2", wat="nieuwer", d=d, tijd=nl.tijd(nl.lokaal(d.opgeslagen_op)))
        return True

    def _gewijzigd(self, _change) -> None:
        if self._laden:
            return
        self.status.value = "<span class='duiding-status'>niet opgeslagen wijzigingen …</span>"
        if self._gepland is not None:
            self._gepland.cancel()
        try:
            lus = asyncio.get_running_loop()
        except RuntimeError:  # no event loop (plain Python): save at once
            self.bewaar()
            return
        self._gepland = lus.call_later(self.wacht, self.bewaar)

    def bewaar(self) -> Duiding | None:
        """Save now (the button, an autosave, or a call from code)."""
        if self._gepland is not None:
            self._gepland.cancel()
            self._gepland = None
        waarden = self.waarden()
        if not any(waarden.values()) and self.basis == 0:
            return None  # an untouched form stores nothing
        try:
            voor = self.opslag.laatste(self.sessie.id, self.sectie)
            d, nieuw = self.opslag.bewaar(self.sessie.id, self.sectie, waarden, self.auteur.value,
                                          self.herkomst)
        except Exception as e:  # shown in the form, never a traceback in a session
            wat = str(e) if isinstance(e, DuidingFout) else "de opslag gaf een fout; probeer het zo opnieuw"
            self.status.value = maak("formulier.html.j2", wat="niet_opgeslagen", tekst=wat)
            return None
        ander = voor is not None and voor.versie > self.basis and nieuw
        self.melding.value = maak("formulier.html.j2", wat="ook_opgeslagen", voor=voor, d=d,
                                  tijd=nl.tijd(nl.lokaal(voor.opgeslagen_op))) if ander else ""
        self._opgeslagen(d)
        return d

    # ---- history and earlier sessions ------------------------------------------------
    def toon_geschiedenis(self) -> None:
        versies = self.opslag.geschiedenis(self.sessie.id, self.sectie)
        if len(versies) < 2:
            self.geschiedenis.value = ""
            return
        self.geschiedenis.value = maak("formulier.html.j2", wat="geschiedenis",
                                       versies=[(d, _kort(d)) for d in versies])

    def toon_eerder(self) -> None:
        s = self.sessie
        delen: list[w.Widget] = []
        for sessie, d in self.opslag.eerder(s.soort, s.onderwerp, self.sectie, voor=s):
            delen.append(w.HTML(eerder_html(sessie, d)))
        for actie in self.opslag.acties(soort=s.soort, onderwerp=s.onderwerp, alleen_open=True):
            if actie.sectie in ("", self.sectie):
                delen.append(_ActieRegel(self, actie).widget)
        self.eerder.children = delen or [w.HTML("<p>Nog niets vastgelegd in eerdere sessies.</p>")]


def _kort(d: Duiding, n: int = 90) -> str:
    tekst = d.velden["wat_zien_we"] or d.velden["verhaal"] or "(zonder tekst)"
    return tekst if len(tekst) <= n else tekst[: n - 1] + "…"


def eerder_html(sessie: Sessie, d: Duiding) -> str:
    """'Vorige keer (2024 K3) zeiden we …', escaped."""
    return maak("eerder.html.j2", sessie=sessie, velden=d.ingevuld(
        {"wat_zien_we": "Wat we zagen", "verhaal": "Het verhaal", "waardering": "Waardering",
         "verwachting": "Verwachting"}))


class _ActieRegel:
    """An open action of an earlier session, with its status editable in place."""

    def __init__(self, formulier: Formulier, actie: Actie):
        self.formulier, self.actie = formulier, actie
        self.tekst = w.HTML(maak("formulier.html.j2", wat="actie", actie=actie))
        self.status = w.Dropdown(options=list(STATUS), value=actie.status, layout=w.Layout(width="8em"))
        self.status.observe(self._wijzig, names="value")
        self.klaar = w.HTML()
        self.widget = w.VBox([self.tekst, w.HBox([w.HTML("status&nbsp;"), self.status, self.klaar])])

    def _wijzig(self, change) -> None:
        a = self.formulier.opslag.actie_bijwerken(self.actie.id, change["new"], auteur=self.formulier.auteur.value)
        self.klaar.value = f"&nbsp;bijgewerkt om {nl.tijd(nl.lokaal(a.updates[-1].opgeslagen_op))}"


def lees_datum(tekst) -> date | None:
    """'31-3-2025' or '31-03-2025' (or 2025-03-31) -> a date; empty -> None; anything else: ValueError."""
    if isinstance(tekst, date):
        return tekst
    t = str(tekst or "").strip()
    if not t:
        return None
    for vorm in ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(t, vorm).date()
        except ValueError:
            continue
    raise ValueError(t)


class _NieuweActie:
    """Add an improvement action (what, who, when) to this section."""

    def __init__(self, formulier: Formulier):
        self.formulier = formulier
        self.omschrijving = w.Text(placeholder="Wat gaan we doen?", layout=w.Layout(width="60%"))
        self.eigenaar = w.Text(placeholder="Wie pakt het op?", layout=w.Layout(width="25%"))
        # a Dutch date as people write it (dd-mm-jjjj); a browser's date picker shows the browser's format
        self.streefdatum = w.Text(placeholder="dd-mm-jjjj", layout=w.Layout(width="9em"))
        self.toevoegen = w.Button(description="Actie toevoegen")
        self.lijst = w.HTML()
        self.toevoegen.on_click(lambda _: self.voeg_toe())
        self.widget = w.VBox([w.HTML("<strong>Verbeteracties</strong>"),
                              w.HBox([self.omschrijving, self.eigenaar]),
                              w.HBox([w.HTML("streefdatum&nbsp;"), self.streefdatum, self.toevoegen]),
                              self.lijst])
        self.toon()

    def voeg_toe(self) -> Actie | None:
        f = self.formulier
        if not self.omschrijving.value.strip():
            self.lijst.value = "<p class='duiding-fout'>Vul eerst in wat we gaan doen.</p>"
            return None
        try:
            streef = lees_datum(self.streefdatum.value)
        except ValueError:
            self.lijst.value = (f"<p class='duiding-fout'>'{html.escape(self.streefdatum.value.strip())}' is geen "
                                f"datum. Schrijf de streefdatum als dd-mm-jjjj, bijvoorbeeld 31-03-2025.</p>")
            return None
        a = f.opslag.actie(f.sessie.id, self.omschrijving.value, self.eigenaar.value, streef, f.sectie,
                           f.auteur.value)
        self.omschrijving.value = self.eigenaar.value = self.streefdatum.value = ""
        self.toon()
        return a

    def toon(self) -> None:
        f = self.formulier
        acties = [a for a in f.opslag.acties(sessie_id=f.sessie.id) if a.sectie == f.sectie]
        self.lijst.value = maak("formulier.html.j2", wat="acties", acties=acties)
