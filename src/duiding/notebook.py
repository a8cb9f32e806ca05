"""What the notebooks call: validated parameters, cached tables, display helpers.

A notebook's first cell after its parameters is one call, e.g.

    o = nb.wijk(wijk, periode, data=data, privacy=privacy)

which loads and validates the data, resolves the wijk by name or code and checks the
period. Any problem stops the notebook right there with a Dutch message listing the
valid values (papermill passes parameters unchecked; this is where they are checked).
Everything after that is `o.tabel(...)` for a protected table and `toon(chart)`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from IPython.display import HTML, display

from . import codes
from .cijfers import cijfers
from .config import PRIVACY_NIVEAUS, Instellingen, laad_instellingen
from .exceptions import ParameterFout, PeriodeFout
from .gegevens import Gegevens, laad
from .grafieken import Kader, tekstalternatief, thema
from .grafieken.basis import html_tabel, waarde_tekst
from .grafieken.labels import label
from .indicatoren._basis import TOTAAL
from .periode import Kwartaal, reeks
from .valt_op import als_html, bewegingen

VENSTER = 9  # quarters shown: the chosen one and the 8 before it

# The questions of a duidingssessie, in the kit's own words (see the domain brief)
REFLECTIEVRAGEN = [
    ("Wat zien we?", "Welke beweging of welk verschil valt de groep op?"),
    ("Herkennen we het beeld?", "Past het bij wat buurtteams, aanbieders en cliënten in de praktijk merken?"),
    ("Wat is het verhaal erachter?", "Welke verklaring hebben we, en wat weten we (nog) niet?"),
    ("Hoe waarderen we dat?", "Is dit positief, neutraal of zorgelijk?"),
    ("Wat verwachten we?", "Hoe ontwikkelt dit zich de komende kwartalen?"),
    ("Wat gaan we doen?", "Welke verbeteractie, wie pakt die op en wanneer?"),
]


@dataclass
class Onderwerp:
    """The subject of one notebook run: a wijk, an aanbieder, the city, or a deep dive."""

    soort: str  # wijk | aanbieder | stad | verdieping
    code: str  # wijk_code, aanbieder_id or 'stad'
    naam: str
    periode: Kwartaal
    perioden: list[Kwartaal]
    g: Gegevens
    inst: Instellingen
    privacy: str
    wet: str | None = None

    @property
    def kader(self) -> Kader:
        return Kader(self.naam, self.g.bronvermelding, self.privacy)

    @property
    def stadkader(self) -> Kader:
        return Kader(self.inst.gemeente, self.g.bronvermelding, self.privacy)

    def tabel(self, indicator: str, per: str, wet: str | None = None, **opties) -> pd.DataFrame:
        """The protected table of an indicator over this run's quarters.

        Cached on the loaded data, so every notebook a warm kernel runs on the same data
        shares it (`duiding draai`).
        """
        sleutel = (indicator, per, wet, tuple(sorted(opties.items())), tuple(map(str, self.perioden)), self.privacy,
                   self.inst.wachttijd_norm_dagen, self.inst.overgang_dagen)
        cache = self.g.__dict__.setdefault("_tabellen", {})
        if sleutel not in cache:
            cache[sleutel] = cijfers(self.g, indicator, per, self.perioden, self.privacy, wet, self.inst, **opties)
        return cache[sleutel]

    @property
    def per(self) -> str:
        """How this subject's own tables are split: per wijk, per aanbieder, or the city."""
        return self.soort if self.soort in ("wijk", "aanbieder") else "stad"

    @property
    def wijknamen(self) -> dict[str, str]:
        return self.g.wijknamen

    @property
    def aanbiedernamen(self) -> dict[str, str]:
        return self.g.aanbiedernamen

    @property
    def wetten(self) -> list[str]:
        """The wetten this subject concerns (a provider may serve one or both)."""
        if self.soort == "aanbieder":
            w = dict(zip(self.g.aanbieders["aanbieder_id"], self.g.aanbieders["wet"])).get(self.code, "beide")
            return ["jeugd", "wmo"] if w == "beide" else [w]
        return [self.wet] if self.wet else ["jeugd", "wmo"]

    def peers(self) -> dict[str, str]:
        """Providers of the same soort as this one (itself first), code -> name."""
        a = self.g.aanbieders
        soort = dict(zip(a["aanbieder_id"], a["soort"])).get(self.code)
        zelfde = a[a["soort"] == soort]
        namen = dict(zip(zelfde["aanbieder_id"], zelfde["naam"]))
        return {self.code: namen.pop(self.code, self.naam), **namen}

    def wat_valt_op(self, maximaal: int = 6):
        """Notable movements of this subject (see duiding.valt_op)."""
        tabellen = {"bereik": self.tabel("bereik", self.per), "wachttijd": self.tabel("wachttijd", self.per),
                    "ervaringen": self.tabel("ervaringen", self.per)}
        if self.soort in ("aanbieder", "stad") and len(self.g.budget):
            tabellen["budget"] = self.tabel("budget", "aanbieder")
        return bewegingen(tabellen, self.code, self.periode, self.soort, maximaal)

    def kop(self) -> str:
        """HTML heading: what, which period, source, privacy level."""
        soort = {"wijk": "Wijk", "aanbieder": "Aanbieder", "stad": "Stad", "verdieping": "Verdieping"}[self.soort]
        eerste, laatste = self.perioden[0], self.perioden[-1]
        fictief = ("<p class='duiding-fictief'><strong>Let op: fictieve gegevens.</strong> Deze cijfers zijn "
                   "verzonnen om de kit te laten zien; trek er geen conclusies uit.</p>") if self.g.fictief else ""
        privacy = {"intern": "intern: aantallen van 1 t/m 4 personen zijn verborgen",
                   "openbaar": "openbaar: afgerond op vijftallen, 0 t/m 7 geheim",
                   "geen": "geen bescherming: ruwe cijfers, niet delen"}[self.privacy]
        return (f"<div class='duiding-kop'><h1>{soort}: {self.naam}</h1>"
                f"<p>{self.periode.label} · reeksen van {eerste.label} t/m {laatste.label} · privacy {privacy}</p>"
                f"<p>{self.g.bronvermelding} · gegevens {self.g.hash[:12]}</p>{fictief}</div>")


_GELADEN: dict[tuple, Gegevens] = {}


def _laad_bewaard(map: Path) -> Gegevens:
    """`laad`, remembered per process while the folder's files are unchanged.

    A batch (`duiding draai`) runs report after report in one warm kernel; this keeps it
    from validating the same files again for every report.
    """
    map = Path(map).resolve()
    try:
        stempel = tuple(sorted((p.name, s.st_mtime_ns, s.st_size) for p in map.iterdir() if p.is_file()
                               for s in [p.stat()]))
    except FileNotFoundError:
        stempel = ()
    sleutel = (str(map), stempel)
    if sleutel not in _GELADEN:
        g = laad(map)
        _GELADEN.clear()
        _GELADEN[sleutel] = g
    return _GELADEN[sleutel]


def _start(data: str | Path | None, privacy: str | None) -> tuple[Gegevens, Instellingen, str]:
    inst = laad_instellingen()
    if data:
        inst = inst.met(data=Path(data))
    privacy = privacy or inst.privacy
    if privacy not in PRIVACY_NIVEAUS:
        raise ParameterFout(f"Onbekend privacyniveau '{privacy}'. Kies uit: {', '.join(PRIVACY_NIVEAUS)}.")
    return _laad_bewaard(inst.data), inst, privacy


def _periode(g: Gegevens, periode: str | None) -> tuple[Kwartaal, list[Kwartaal]]:
    eerste, laatste = g.perioden()
    p = Kwartaal.parse(periode) if periode and str(periode).strip() else laatste
    if p < eerste or p > laatste:
        raise PeriodeFout(f"Er zijn geen gegevens voor {p}. Kies een kwartaal van {eerste} t/m {laatste}.")
    begin = max(eerste, p.vorige(VENSTER - 1))
    return p, reeks(begin, p)


def wijk(wijk: str, periode: str | None = None, data: str | Path | None = None, privacy: str | None = None
         ) -> Onderwerp:
    g, inst, privacy = _start(data, privacy)
    code = g.wijk(wijk)
    p, perioden = _periode(g, periode)
    return Onderwerp("wijk", code, g.wijknaam(code), p, perioden, g, inst, privacy)


def aanbieder(aanbieder: str, periode: str | None = None, data: str | Path | None = None,
              privacy: str | None = None) -> Onderwerp:
    g, inst, privacy = _start(data, privacy)
    code = g.aanbieder(aanbieder)
    p, perioden = _periode(g, periode)
    return Onderwerp("aanbieder", code, g.aanbiedernaam(code), p, perioden, g, inst, privacy)


def stad(periode: str | None = None, data: str | Path | None = None, privacy: str | None = None) -> Onderwerp:
    g, inst, privacy = _start(data, privacy)
    p, perioden = _periode(g, periode)
    return Onderwerp("stad", TOTAAL, inst.gemeente, p, perioden, g, inst, privacy)


def verdieping(van: str | None = None, tot: str | None = None, wet: str | None = None,
               data: str | Path | None = None, privacy: str | None = None) -> Onderwerp:
    g, inst, privacy = _start(data, privacy)
    eerste, laatste = g.perioden()
    a = Kwartaal.parse(van) if van else eerste
    b = Kwartaal.parse(tot) if tot else laatste
    for p in (a, b):
        if p < eerste or p > laatste:
            raise PeriodeFout(f"Er zijn geen gegevens voor {p}. Kies kwartalen van {eerste} t/m {laatste}.")
    wet = wet or None
    if wet not in (None, "jeugd", "wmo"):
        raise ParameterFout(f"Onbekende wet '{wet}'. Kies jeugd, wmo of laat leeg voor beide.")
    naam = inst.gemeente + ("" if wet is None else f", {codes.WETTEN[wet]}")
    return Onderwerp("verdieping", TOTAAL, naam, b, reeks(a, b), g, inst, privacy, wet=wet)


def wijkkaart(o: Onderwerp, maat: str = "per_1000_jeugd"):
    """A choropleth when a GeoJSON of wijk boundaries is configured, else the tile map."""
    from .grafieken import kaart
    t = o.tabel("bereik", "wijk")
    uitgelicht = o.code if o.soort == "wijk" else None
    kader = o.stadkader
    if uitgelicht:
        kader = Kader(f"{o.inst.gemeente}, {o.naam} omlijnd", o.g.bronvermelding, o.privacy)
    if o.inst.geojson:
        return kaart.choropleet(t, o.g.wijken, kaart.lees_geojson(o.inst.geojson), kader, maat, uitgelicht,
                                str(o.periode))
    return kaart.tegelkaart(t, o.g.wijken, kader, maat, uitgelicht, str(o.periode))


# --- display -------------------------------------------------------------------------------

def toon(chart) -> None:
    """Show a chart and, under it, its text alternative with the table behind it.

    The chart functions build valid specs (their tests validate them against the
    Vega-Lite schema), so here the spec is made without validating it again.
    """
    display(thema.render(chart.to_dict(validate=False)), raw=True)
    display(HTML(tekstalternatief(chart)))


def kop(o: Onderwerp) -> None:
    display(HTML(o.kop()))


def wat_valt_op(o: Onderwerp) -> None:
    display(HTML(als_html(o.wat_valt_op(), o.naam)))


def vragen(sectie: str, titel: str) -> str:
    """HTML: the reflection questions closing a section, and the marked place of its duiding form."""
    lijst = "".join(f"<li><strong>{html.escape(v)}</strong> {html.escape(u)}</li>" for v, u in REFLECTIEVRAGEN)
    principes = " · ".join(codes.LEIDENDE_PRINCIPES)
    return (f"<div class='duiding-vragen' data-sectie='{html.escape(sectie)}'>"
            f"<h3>Samen duiden: {html.escape(titel)}</h3><ol>{lijst}</ol>"
            f"<p>Leg het ook naast de leidende principes ({html.escape(principes)}) en de kaders: "
            f"blijven we binnen budget en afspraken?</p>"
            f"<div class='duiding-formulier' data-sectie='{html.escape(sectie)}'>"
            f"<em>Duiding van deze sectie: hier komt het formulier om vast te leggen wat de groep zegt.</em>"
            f"</div></div>")


def toon_vragen(sectie: str, titel: str) -> None:
    display(HTML(vragen(sectie, titel)))


def kerncijfers(o: Onderwerp) -> pd.DataFrame:
    """Key figures of the subject against the city in its quarter, as Dutch text."""
    p = str(o.periode)
    rijen = []
    bronnen = [("bereik", ["in_zorg", "instroom", "uitstroom", "per_1000_jeugd", "per_1000_volwassen",
                           "aandeel_basiszorg_pct", "aandeel_aanvullend_pct"]),
               ("wachttijd", ["mediaan_dagen", "binnen_norm_pct"])]
    for indicator, maten in bronnen:
        t = o.tabel(indicator, o.per)
        t = t[t["periode"] == p]
        for maat in maten:
            eigen = t[(t["groep"] == o.code) & (t["maat"] == maat)]
            stad = t[(t["groep"] == TOTAAL) & (t["maat"] == maat)]
            if eigen.empty:
                continue
            rij = {"kerncijfer": label(maat),
                   o.naam: waarde_tekst(maat, eigen["waarde"].iloc[0], eigen["status"].iloc[0])}
            if o.soort != "stad":
                rij["stad"] = waarde_tekst(maat, stad["waarde"].iloc[0], stad["status"].iloc[0]) if len(stad) else ""
            rijen.append(rij)
    return pd.DataFrame(rijen)


def toon_tabel(df: pd.DataFrame, bijschrift: str = "") -> None:
    """A small Dutch table (already formatted text), with a caption."""
    display(HTML(html_tabel(df, bijschrift)))


__all__ = ["Onderwerp", "wijk", "aanbieder", "stad", "verdieping", "toon", "kop", "wat_valt_op", "toon_vragen",
           "kerncijfers", "toon_tabel", "REFLECTIEVRAGEN"]
