"""Actions followed across sessions: one list of every action, where it came from, and which are overdue.

`duiding acties` prints it; the app's actions page (`web/actiepagina`) shows the same
list with filters and a status to change. An action is overdue when its streefdatum has
passed and it is not gereed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from .opslag import Actie, Sessie
from .periode import leesbaar
from .opslag.velden import SECTIES

if TYPE_CHECKING:  # a report imports this module without opening a store (SQLAlchemy)
    from .opslag.store import Opslag

STATUS_KEUZES = ("open", "lopend", "gereed", "alle")


@dataclass(frozen=True)
class Regel:
    """One action with the session it came from."""

    actie: Actie
    sessie: Sessie
    te_laat: bool

    @property
    def sectie(self) -> str:
        return SECTIES.get(self.actie.sectie, self.actie.sectie or "algemeen")

    @property
    def wanneer(self) -> str:
        return f"{self.actie.streefdatum:%d-%m-%Y}" if self.actie.streefdatum else "geen streefdatum"

    @property
    def herkomst(self) -> str:
        """'Kwartaalsessie Overvecht (2024 K4), sectie Bereik'."""
        return f"{self.sessie.titel} ({leesbaar(self.sessie.periode)}), sectie {self.sectie}"


def overzicht(opslag: Opslag, status: str = "open", onderwerp: str | None = None,
              vandaag: date | None = None) -> list[Regel]:
    """Every action, newest session first; `status` open (open and lopend: not done), lopend, gereed or alle.

    `onderwerp`: only actions of sessions about this wijk, aanbieder, gemeente or region
    (its code or name, as the session knows it).
    """
    vandaag = vandaag or date.today()
    sessies = {s.id: s for s in opslag.sessies()}
    gezocht = (onderwerp or "").strip().casefold()
    uit = []
    for a in opslag.acties():
        s = sessies.get(a.sessie_id)
        if s is None:
            continue
        if gezocht and gezocht not in (s.onderwerp.casefold(), s.onderwerp_naam.casefold()):
            continue
        if status == "open" and a.status == "gereed":
            continue
        if status in ("lopend", "gereed") and a.status != status:
            continue
        te_laat = bool(a.streefdatum and a.streefdatum < vandaag and a.status != "gereed")
        uit.append(Regel(a, s, te_laat))
    return sorted(uit, key=lambda r: (not r.te_laat, r.actie.streefdatum or date.max, -r.sessie.id, r.actie.id))


def eerdere(opslag: Opslag, sessie: Sessie, vandaag: date | None = None) -> list[Regel]:
    """The open actions carried over to `sessie`: from earlier sessions on the same subject, up to its quarter."""
    return [r for r in overzicht(opslag, "open", sessie.onderwerp, vandaag)
            if r.sessie.soort == sessie.soort and r.sessie.id != sessie.id and r.sessie.periode <= sessie.periode]


def onderwerpen(opslag: Opslag) -> dict[str, str]:
    """The subjects that have sessions: code -> '<soort> <naam>', for a filter."""
    return {s.onderwerp: f"{s.soort} {s.onderwerp_naam}" for s in opslag.sessies()}


def als_tekst(regels: list[Regel]) -> str:
    """The list for a terminal: one action per line, overdue ones marked in words."""
    if not regels:
        return "Geen acties gevonden."
    lijnen = []
    for r in regels:
        merk = "TE LAAT  " if r.te_laat else "         "
        lijnen.append(f"{merk}{r.actie.id:>4}  {r.actie.status:<7} {r.wanneer:<17} {r.actie.eigenaar or 'niemand':<18} "
                      f"{r.actie.omschrijving}  [{r.herkomst}]")
    return "\n".join(lijnen)


def voeg_parser_toe(sub, opslag_optie, functie) -> None:
    p = sub.add_parser("acties", help="alle acties uit de sessies: wat, wie, wanneer, status en waar ze vandaan komen")
    p.add_argument("--status", choices=STATUS_KEUZES, default="open",
                   help="open (standaard: nog niet gereed), lopend, gereed of alle")
    p.add_argument("--onderwerp", metavar="NAAM", help="alleen acties over deze wijk, aanbieder of gemeente")
    p.add_argument("--zet", nargs=2, metavar=("ACTIE", "STATUS"), help="zet de status van een actie "
                   "(open, lopend of gereed), bijvoorbeeld --zet 3 gereed")
    p.add_argument("--toelichting", default="", help="bij --zet: een korte toelichting")
    opslag_optie(p)
    p.set_defaults(functie=functie)
