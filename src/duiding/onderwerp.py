"""The subject of a notebook run (a wijk, an aanbieder, the city, a deep dive) and how a notebook gets one.

`wijk(...)`, `aanbieder(...)`, `stad(...)` and `verdieping(...)` load the data once per kernel,
check the quarter and, in a session or verslag, open the session and its store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from . import codes
from .acties import eerdere as eerdere_acties
from .cijfers import cijfers
from .config import PRIVACY_NIVEAUS, Instellingen, laad_instellingen
from .controle import cache
from .exceptions import ParameterFout
from .gegevens import Gegevens, laad_bewaard
from .grafieken import Kader, thema
from .indicatoren.basis import TOTAAL
from .opslag import Herkomst, Sessie, bestaat, opslag_voor
from .opslag.velden import SECTIES
from .paths import VOORBEELD, VOORBEELD_REGIO, startadres
from .periode import Kwartaal, reeks
from .sjabloon import maak
from .tabellen import Tabel
from .valt_op import bewegingen

if TYPE_CHECKING:  # a report without a store never loads it (SQLAlchemy)
    from .opslag.store import Opslag


VENSTER = 9  # quarters shown: the chosen one and the 8 before it

# The questions of a duidingssessie, in the kit's own words (see the domain brief)
@dataclass
class Onderwerp:
    """The subject of one notebook run: a wijk, an aanbieder, the city, or a deep dive."""

    soort: str  # wijk | aanbieder | stad | gemeente | regio | verdieping
    code: str  # wijk_code, aanbieder_id, gemeente_code or 'stad' (the whole: a gemeente or a region)
    naam: str
    periode: Kwartaal
    perioden: list[Kwartaal]
    g: Gegevens
    inst: Instellingen
    privacy: str
    wet: str | None = None
    modus: str = "rapport"  # rapport | sessie (forms) | verslag (one session's duidingen)
    sessie: "Sessie | None" = None
    opslag: "Opslag | None" = None
    formulieren: dict = field(default_factory=dict)  # sectie -> Formulier (modus sessie)

    @property
    def herkomst(self) -> Herkomst:
        """The figures a duiding made beside this run is about."""
        return Herkomst(self.g.hash, str(self.periode), self.privacy)

    @property
    def kader(self) -> Kader:
        return Kader(self.naam, self.g.bronvermelding, self.privacy)

    @property
    def stadkader(self) -> Kader:
        return Kader(self.inst.gemeente_voor(self.g), self.g.bronvermelding, self.privacy)

    @property
    def alle_perioden(self) -> list[Kwartaal]:
        """Every quarter of the data up to this run's quarter: the span of the trend charts."""
        return reeks(min(self.g.perioden()[0], self.perioden[0]), self.periode)

    def tabel(self, indicator: str, per: str, wet: str | None = None, alle: bool = False, alle_groepen: bool = False,
              **opties) -> pd.DataFrame:
        """The protected table of an indicator over this run's quarters (`alle`: every quarter of the data).

        Cached on the loaded data, so every notebook a warm kernel runs on the same data
        shares it (`duiding draai`), and in the user's cache folder beside the validated tables,
        so a fresh kernel on the same data reads it instead of computing it (`controle.cache`).
        Without `wet`, the run's own choice (`self.wet`: jeugd,
        wmo, or None for both). A wijk's or an aanbieder's run gets, of a table split its own
        way, the rows its charts use (`eigen_groepen`); `alle_groepen` gives every row.
        """
        wet = wet or self.wet
        perioden = self.alle_perioden if alle else self.perioden
        sleutel = (indicator, per, wet, tuple(sorted(opties.items())), tuple(map(str, perioden)), self.privacy,
                   self.inst.wachttijd_norm_dagen, self.inst.overgang_dagen)
        if sleutel not in self.g.tabellen:
            self.g.tabellen[sleutel] = Tabel(cache.tabel(self.g.cache_sleutel, sleutel, self.privacy, lambda: cijfers(
                self.g, indicator, per, perioden, self.privacy, wet, self.inst, **opties), arrow=True))
        t = self.g.tabellen[sleutel]
        groepen = None if alle_groepen else self.eigen_groepen(per)
        return t.heel() if groepen is None else t.van(groepen)

    def eigen_groepen(self, per: str) -> list[str] | None:
        """The groups of a table split `per` that this run's charts show, or None for all of them.

        A wijk: itself and the city. An aanbieder: itself, all aanbieders together and the
        comparable aanbieders. Other subjects, and tables split another way, use every group.
        """
        if per != self.per or self.soort not in ("wijk", "aanbieder"):
            return None
        return [self.code, TOTAAL] + (list(self.peers()) if self.soort == "aanbieder" else [])

    @property
    def per(self) -> str:
        """How this subject's own tables are split: per wijk, aanbieder or gemeente, or the whole."""
        return self.soort if self.soort in ("wijk", "aanbieder", "gemeente") else "stad"

    @property
    def wijknamen(self) -> dict[str, str]:
        return self.g.wijknamen

    @property
    def aanbiedernamen(self) -> dict[str, str]:
        return self.g.aanbiedernamen

    @property
    def wetten(self) -> list[str]:
        """The wetten this subject concerns (a provider may serve one or both)."""
        eigen = [self.wet] if self.wet else ["jeugd", "wmo"]
        if self.soort == "aanbieder":
            w = dict(zip(self.g.aanbieders["aanbieder_id"], self.g.aanbieders["wet"])).get(self.code, "beide")
            return [x for x in (["jeugd", "wmo"] if w == "beide" else [w]) if x in eigen]
        return eigen

    def peers(self) -> dict[str, str]:
        """Comparable providers (itself first), code -> name: see `gegevens.vergelijkbare_aanbieders`."""
        namen = self.g.aanbiedernamen
        return {c: namen.get(c, c) for c in self.g.vergelijkbare_aanbieders(self.code)}

    def wat_valt_op(self, maximaal: int = 6):
        """Notable movements of this subject (see duiding.valt_op)."""
        tabellen = {"bereik": self.tabel("bereik", self.per), "wachttijd": self.tabel("wachttijd", self.per),
                    "ervaringen": self.tabel("ervaringen", self.per)}
        if self.soort in ("aanbieder", "stad", "regio") and len(self.g.budget):
            tabellen["budget"] = self.tabel("budget", "aanbieder")
        if self.soort == "gemeente" and len(self.g.budget) and "gemeente_code" in self.g.budget:
            tabellen["budget"] = self.tabel("budget", "gemeente")
        return bewegingen(tabellen, self.code, self.periode, self.soort, maximaal)

    @property
    def secties(self) -> list[str]:
        """The sections of this subject's notebook that close with questions (and a form in a session)."""
        basis = ["bereik", "wachttijd", "ervaringen"]
        if self.soort in ("aanbieder", "stad"):
            return basis + ["budget"]
        if self.soort == "gemeente":
            return basis + ["resultaat", "nabijheid", "budget"]
        if self.soort == "regio":
            return basis + ["resultaat", "nabijheid", "solidariteit"]
        return basis

    def kop(self, acties: bool = True) -> str:
        """HTML heading: what, which period, source, privacy level (and in a session the open actions carried over)."""
        soort = {"wijk": "Wijk", "aanbieder": "Aanbieder", "stad": "Stad", "gemeente": "Gemeente", "regio": "Regio",
                 "verdieping": "Verdieping"}[self.soort]
        eerste, laatste = self.perioden[0], self.perioden[-1]
        privacy = {"intern": "intern: aantallen van 1 t/m 4 personen zijn verborgen, andere aantallen "
                             "kunnen door beschermende ruis een paar personen afwijken",
                   "openbaar": "openbaar: met beschermende ruis en afgerond op vijftallen, 0 t/m 7 geheim",
                   "geen": "geen bescherming: ruwe cijfers, niet delen"}[self.privacy]
        indeling = [] if self.soort not in ("wijk", "stad") else self.g.indelingswijzigingen(
            eerste, laatste, self.code if self.soort == "wijk" else None)
        # in a session: links to every section (sticky on the projector page)
        secties = [] if self.modus != "sessie" else [(k, SECTIES[k]) for k in self.secties]
        # participants: names left out at privacy level openbaar
        wie = [", ".join(x for x in ((d.naam,) if self.privacy != "openbaar" else ()) + (d.rol, d.organisatie) if x)
               for d in (self.sessie.deelnemers if self.sessie else ())]
        eerdere = [] if self.sessie is None or self.opslag is None or not acties else eerdere_acties(self.opslag, self.sessie)
        terug = startadres() if self.modus == "sessie" else ""
        return maak("kop.html.j2", secties=secties, eerdere_acties=eerdere, terug=terug, soort=soort, naam=self.naam, sessie=self.sessie,
                    deelnemers=[w for w in wie if w], periode=self.periode.label, eerste=eerste.label,
                    laatste=laatste.label, privacy=privacy, bron=self.g.bronvermelding, hash=self.g.hash[:12],
                    fictief=self.g.fictief, indeling=indeling)




def _start(data: str | Path | None, privacy: str | None, regio: bool = False
           ) -> tuple[Gegevens, Instellingen, str]:
    """Settings, data and privacy level of a notebook run.

    Without `data` the notebook reads duiding.toml's data, else the sample; a region's
    notebook (`regio=True`) then gets the sample region, not the sample city.
    """
    thema.gebruik()  # this kernel shows the kit's charts: its theme and renderer on, explicitly
    inst = laad_instellingen()
    if data:
        inst = inst.met(data=Path(data))
    elif regio and inst.data == VOORBEELD:
        inst = inst.met(data=VOORBEELD_REGIO)
    privacy = privacy or inst.privacy
    if privacy not in PRIVACY_NIVEAUS:
        raise ParameterFout(f"Onbekend privacyniveau '{privacy}'. Kies uit: {', '.join(PRIVACY_NIVEAUS)}.")
    return laad_bewaard(inst.data, inst.koppeling), inst, privacy


def _periode(g: Gegevens, periode: str | None) -> tuple[Kwartaal, list[Kwartaal]]:
    p = g.kwartaal(periode)
    begin = max(g.perioden()[0], p.vorige(VENSTER - 1))
    return p, reeks(begin, p)


MODI = ("rapport", "sessie", "verslag")
def _wet(wet: str | None) -> str | None:
    """A notebook's `wet` parameter: jeugd, wmo, or both ('beide' or empty)."""
    wet = (wet or "").strip().casefold()
    if wet in ("", "beide"):
        return None
    if wet not in codes.WETTEN:
        raise ParameterFout(f"Onbekende wet '{wet}'. Kies jeugd, wmo of beide (of laat leeg voor beide).")
    return wet


def _met_sessie(soort: str, code: str, naam: str, periode, g: Gegevens, inst: Instellingen, privacy: str,
                modus: str | None, sessie, opslag_url, wet: str | None = None) -> Onderwerp:
    """The subject, with its session and store when the notebook runs as a session or verslag.

    modus "sessie": forms that save to the store; "verslag": one session's duidingen,
    read-only; "rapport" (or empty): the latest duiding per section, read-only, when a
    store exists (a report never creates one).
    """
    modus = (modus or "rapport").strip().casefold()
    if modus not in MODI:
        raise ParameterFout(f"Onbekende modus '{modus}'. Kies sessie, verslag of laat leeg voor een rapport.")
    url = opslag_url or inst.opslag
    if modus == "rapport":
        winkel = opslag_voor(url) if bestaat(url) else None
        s = None
    else:
        if not str(sessie or "").strip():
            raise ParameterFout(f"Modus {modus} heeft een sessie nodig: geef het sessienummer als parameter "
                                f"'sessie' (duiding sessie maakt er een).")
        winkel = opslag_voor(url)
        s = winkel.sessie(sessie)
        if (s.soort, s.onderwerp) != (soort, code):
            raise ParameterFout(f"Sessie {s.id} gaat over {s.soort} {s.onderwerp_naam}, niet over {soort} {naam}.")
        periode = periode or s.periode
    p, perioden = _periode(g, periode)
    return Onderwerp(soort, code, naam, p, perioden, g, inst, privacy, wet=_wet(wet), modus=modus, sessie=s,
                     opslag=winkel)


def wijk(wijk: str, periode: str | None = None, data: str | Path | None = None, privacy: str | None = None,
         modus: str | None = None, sessie: int | str | None = None, opslag_url: str | None = None, wet: str | None = None) -> Onderwerp:
    g, inst, privacy = _start(data, privacy)
    code = g.wijk(wijk)
    return _met_sessie("wijk", code, g.wijknaam(code), periode, g, inst, privacy, modus, sessie, opslag_url, wet)


def aanbieder(aanbieder: str, periode: str | None = None, data: str | Path | None = None,
              privacy: str | None = None, modus: str | None = None, sessie: int | str | None = None,
              opslag_url: str | None = None, wet: str | None = None) -> Onderwerp:
    g, inst, privacy = _start(data, privacy)
    code = g.aanbieder(aanbieder)
    return _met_sessie("aanbieder", code, g.aanbiedernaam(code), periode, g, inst, privacy, modus, sessie, opslag_url, wet)


def stad(periode: str | None = None, data: str | Path | None = None, privacy: str | None = None,
         modus: str | None = None, sessie: int | str | None = None, opslag_url: str | None = None, wet: str | None = None) -> Onderwerp:
    g, inst, privacy = _start(data, privacy)
    return _met_sessie("stad", TOTAAL, inst.gemeente_voor(g), periode, g, inst, privacy, modus, sessie, opslag_url, wet)


def gemeente(gemeente: str, periode: str | None = None, data: str | Path | None = None, privacy: str | None = None,
             modus: str | None = None, sessie: int | str | None = None, opslag_url: str | None = None, wet: str | None = None) -> Onderwerp:
    """A gemeente of a region: its figures against the region, its wijken against the gemeente."""
    g, inst, privacy = _start(data, privacy, regio=True)
    code = g.gemeente_zoek(gemeente)
    return _met_sessie("gemeente", code, g.gemeentenaam(code), periode, g, inst, privacy, modus, sessie, opslag_url, wet)


def regio(periode: str | None = None, data: str | Path | None = None, privacy: str | None = None,
          modus: str | None = None, sessie: int | str | None = None, opslag_url: str | None = None, wet: str | None = None) -> Onderwerp:
    """The whole region: its gemeenten side by side, solidariteit, results and nabijheid."""
    g, inst, privacy = _start(data, privacy, regio=True)
    if not g.is_regio:
        raise ParameterFout("Het regiorapport is voor gegevens van meer dan één gemeente; deze gegevens gaan over "
                            "één gemeente. Gebruik het stadsrapport (stad.ipynb).")
    return _met_sessie("regio", TOTAAL, inst.gemeente_voor(g), periode, g, inst, privacy, modus, sessie, opslag_url, wet)


def verdieping(van: str | None = None, tot: str | None = None, wet: str | None = None,
               data: str | Path | None = None, privacy: str | None = None) -> Onderwerp:
    g, inst, privacy = _start(data, privacy)
    a = g.kwartaal(van) if van else g.perioden()[0]
    b = g.kwartaal(tot)
    wet = _wet(wet)
    naam = inst.gemeente_voor(g) + ("" if wet is None else f", {codes.WETTEN[wet]}")
    return Onderwerp("verdieping", TOTAAL, naam, b, reeks(a, b), g, inst, privacy, wet=wet)
