"""What the store holds: sessions, participants, versioned duidingen, actions and their provenance (frozen records)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


from .. import nl
from ..exceptions import InvoerFout
from .velden import VELDEN


@dataclass(frozen=True)
class Herkomst:
    """Which figures a duiding is about: data files' hash, the period shown, privacy level."""

    data_hash: str | None = None
    periode: str | None = None
    privacy: str | None = None


@dataclass(frozen=True)
class Deelnemer:
    naam: str
    rol: str = ""
    organisatie: str = ""

    @classmethod
    def lees(cls, tekst: str) -> "Deelnemer":
        """'naam, rol, organisatie' (rol and organisatie optional)."""
        delen = [d.strip() for d in str(tekst).split(",")]
        if not delen[0] or len(delen) > 3:
            raise InvoerFout(f"Deelnemer '{tekst}': schrijf het als \"naam, rol, organisatie\".")
        return cls(*delen)


@dataclass(frozen=True)
class Sessie:
    id: int
    soort: str
    onderwerp: str
    onderwerp_naam: str
    periode: str
    datum: date
    titel: str
    deelnemers: tuple[Deelnemer, ...] = ()


@dataclass(frozen=True)
class Duiding:
    id: int
    sessie_id: int
    sectie: str  # bereik, wachttijd, ervaringen or budget (stored in the column 'indicator')
    versie: int
    velden: dict
    auteur: str
    opgeslagen_op: datetime  # UTC
    herkomst: Herkomst = Herkomst()

    def __getattr__(self, naam):
        if naam in VELDEN and "velden" in self.__dict__:
            return self.__dict__["velden"][naam]
        raise AttributeError(naam)

    @property
    def leeg(self) -> bool:
        return not any(self.velden.values())

    def ingevuld(self, labels: dict[str, str] | None = None) -> list[tuple[str, str]]:
        """(label, text) of every filled field in the form's order; `labels` picks and names a subset.

        The one way a duiding is told, whether as HTML, Markdown or terminal text.
        """
        return [(label, self.velden[k]) for k, label in (labels or VELDEN).items() if self.velden.get(k)]


@dataclass(frozen=True)
class ActieUpdate:
    status: str
    toelichting: str
    auteur: str
    opgeslagen_op: datetime


@dataclass(frozen=True)
class Actie:
    id: int
    sessie_id: int
    sectie: str  # bereik, wachttijd, ervaringen or budget (stored in the column 'indicator')
    omschrijving: str
    eigenaar: str
    streefdatum: date | None
    auteur: str
    aangemaakt_op: datetime
    updates: tuple[ActieUpdate, ...] = field(default=())

    @property
    def status(self) -> str:
        return self.updates[-1].status if self.updates else "open"

    def regel(self) -> str:
        """One line of plain text (escape it for HTML/Markdown): what · who · when · status."""
        streef = f" · streefdatum {nl.datum(self.streefdatum)}" if self.streefdatum else ""
        return f"{self.omschrijving} · {self.eigenaar or 'geen eigenaar'}{streef} · {self.status}"
