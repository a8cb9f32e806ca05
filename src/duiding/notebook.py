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
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd
from IPython.display import HTML, display

from . import codes, landelijk, nl
from .cijfers import cijfers
from .config import PRIVACY_NIVEAUS, Instellingen, laad_instellingen
from .exceptions import ParameterFout
from .formulier import Formulier
from .gegevens import Gegevens, laad
from .grafieken import Kader, kaart, tekstalternatief, thema
from .grafieken import landelijk as landelijk_grafiek
from .grafieken.basis import html_tabel, waarde_tekst
from .grafieken.labels import label
from .indicatoren.basis import TOTAAL
from .opslag import Herkomst, Opslag, Sessie, opslag_voor
from .opslag.velden import SECTIES, VELDEN
from .periode import Kwartaal, reeks
from .valt_op import als_html, bewegingen
from .web.fouten import installeer_foutafhandeling

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
        privacy = {"intern": "intern: aantallen van 1 t/m 4 personen zijn verborgen, andere aantallen "
                             "kunnen door beschermende ruis een paar personen afwijken",
                   "openbaar": "openbaar: met beschermende ruis en afgerond op vijftallen, 0 t/m 7 geheim",
                   "geen": "geen bescherming: ruwe cijfers, niet delen"}[self.privacy]
        indeling = [] if self.soort not in ("wijk", "stad") else self.g.indelingswijzigingen(
            eerste, laatste, self.code if self.soort == "wijk" else None)
        indeling = "".join(f"<p class='duiding-let-op'>Let op: {html.escape(t)}.</p>" for t in indeling)
        return (f"{self._navigatie()}<div class='duiding-kop'><h1>{soort}: {html.escape(self.naam)}</h1>"
                f"{self._sessie_kop()}"
                f"<p>{self.periode.label} · reeksen van {eerste.label} t/m {laatste.label} · privacy {privacy}</p>"
                f"<p>{self.g.bronvermelding} · gegevens {self.g.hash[:12]}</p>{fictief}{indeling}</div>")

    def _navigatie(self) -> str:
        """In a session: links to every indicator section (sticky on the projector page)."""
        if self.modus != "sessie":
            return ""
        secties = ["bereik", "wachttijd", "ervaringen"] + (["budget"] if self.soort in ("aanbieder", "stad") else [])
        links = "".join(f"<a href='#duiding-{k}'>{SECTIES[k]}</a>" for k in secties)
        return f"<nav class='duiding-nav' aria-label='Secties'>{links}</nav>"

    def _sessie_kop(self) -> str:
        """Session title, date and participants (names left out at privacy level openbaar)."""
        if self.sessie is None:
            return ""
        s = self.sessie
        wie = [", ".join(html.escape(x) for x in ((d.naam,) if self.privacy != "openbaar" else ()) +
                         (d.rol, d.organisatie) if x) for d in s.deelnemers]
        deelnemers = (f"<p class='duiding-deelnemers'><strong>Deelnemers:</strong> "
                      f"{html.escape('; ').join(w for w in wie if w)}</p>") if s.deelnemers else ""
        return (f"<p class='duiding-sessie'><strong>{html.escape(s.titel)}</strong> · sessie {s.id} · "
                f"{nl.datum(s.datum)}</p>{deelnemers}")


_GELADEN: dict[tuple, Gegevens] = {}


def _laad_bewaard(map: Path, koppeling: dict | None = None) -> Gegevens:
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
    sleutel = (str(map), stempel, repr(sorted((koppeling or {}).items())))
    if sleutel not in _GELADEN:
        g = laad(map, koppeling)
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
    return _laad_bewaard(inst.data, inst.koppeling), inst, privacy


def _periode(g: Gegevens, periode: str | None) -> tuple[Kwartaal, list[Kwartaal]]:
    p = g.kwartaal(periode)
    begin = max(g.perioden()[0], p.vorige(VENSTER - 1))
    return p, reeks(begin, p)


MODI = ("rapport", "sessie", "verslag")
def _met_sessie(soort: str, code: str, naam: str, periode, g: Gegevens, inst: Instellingen, privacy: str,
                modus: str | None, sessie, opslag) -> Onderwerp:
    """The subject, with its session and store when the notebook runs as a session or verslag.

    modus "sessie": forms that save to the store; "verslag": one session's duidingen,
    read-only; "rapport" (or empty): the latest duiding per section, read-only, when a
    store exists (a report never creates one).
    """
    modus = (modus or "rapport").strip().casefold()
    if modus not in MODI:
        raise ParameterFout(f"Onbekende modus '{modus}'. Kies sessie, verslag of laat leeg voor een rapport.")
    url = opslag or inst.opslag
    if modus == "rapport":
        winkel = opslag_voor(url) if Opslag.bestaat(url) else None
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
    return Onderwerp(soort, code, naam, p, perioden, g, inst, privacy, modus=modus, sessie=s, opslag=winkel)


def wijk(wijk: str, periode: str | None = None, data: str | Path | None = None, privacy: str | None = None,
         modus: str | None = None, sessie: int | str | None = None, opslag: str | None = None) -> Onderwerp:
    g, inst, privacy = _start(data, privacy)
    code = g.wijk(wijk)
    return _met_sessie("wijk", code, g.wijknaam(code), periode, g, inst, privacy, modus, sessie, opslag)


def aanbieder(aanbieder: str, periode: str | None = None, data: str | Path | None = None,
              privacy: str | None = None, modus: str | None = None, sessie: int | str | None = None,
              opslag: str | None = None) -> Onderwerp:
    g, inst, privacy = _start(data, privacy)
    code = g.aanbieder(aanbieder)
    return _met_sessie("aanbieder", code, g.aanbiedernaam(code), periode, g, inst, privacy, modus, sessie, opslag)


def stad(periode: str | None = None, data: str | Path | None = None, privacy: str | None = None,
         modus: str | None = None, sessie: int | str | None = None, opslag: str | None = None) -> Onderwerp:
    g, inst, privacy = _start(data, privacy)
    return _met_sessie("stad", TOTAAL, inst.gemeente_voor(g), periode, g, inst, privacy, modus, sessie, opslag)


def verdieping(van: str | None = None, tot: str | None = None, wet: str | None = None,
               data: str | Path | None = None, privacy: str | None = None) -> Onderwerp:
    g, inst, privacy = _start(data, privacy)
    a = g.kwartaal(van) if van else g.perioden()[0]
    b = g.kwartaal(tot)
    wet = wet or None
    if wet not in (None, "jeugd", "wmo"):
        raise ParameterFout(f"Onbekende wet '{wet}'. Kies jeugd, wmo of laat leeg voor beide.")
    naam = inst.gemeente_voor(g) + ("" if wet is None else f", {codes.WETTEN[wet]}")
    return Onderwerp("verdieping", TOTAAL, naam, b, reeks(a, b), g, inst, privacy, wet=wet)


def wijkkaart(o: Onderwerp, maat: str = "per_1000_jeugd"):
    """A choropleth when a GeoJSON of wijk boundaries is configured, else the tile map."""
    t = o.tabel("bereik", "wijk")
    uitgelicht = o.code if o.soort == "wijk" else None
    kader = o.stadkader
    if uitgelicht:
        kader = Kader(f"{o.inst.gemeente_voor(o.g)}, {o.naam} omlijnd", o.g.bronvermelding, o.privacy)
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


def vragen(sectie: str, titel: str, inst: Instellingen | None = None) -> str:
    """HTML: the reflection questions closing a section, with the gemeente's principles and kaders."""
    inst = inst or Instellingen()
    lijst = "".join(f"<li><strong>{html.escape(v)}</strong> {html.escape(u)}</li>"
                    for v, u in (inst.reflectievragen or REFLECTIEVRAGEN))
    principes = " · ".join(inst.leidende_principes)
    return (f"<div class='duiding-vragen' id='duiding-{html.escape(sectie)}' data-sectie='{html.escape(sectie)}'>"
            f"<h3>Samen duiden: {html.escape(titel)}</h3><ol>{lijst}</ol>"
            f"<p>Leg het ook naast de leidende principes ({html.escape(principes)}) en de kaders: "
            f"{html.escape(inst.kaders)}</p></div>")


def duiding_html(o: Onderwerp, sectie: str) -> str:
    """HTML, read-only: what was said about this section (escaped), with its actions.

    Verslag: this session's duiding. Report: the latest duiding about this subject from
    a session up to this period. Empty when nothing was recorded.
    """

    if o.opslag is None or o.soort not in ("wijk", "aanbieder", "stad"):
        return ""
    if o.sessie is not None:
        sessie, d = o.sessie, o.opslag.laatste(o.sessie.id, sectie)
    else:
        gevonden = o.opslag.eerder(o.soort, o.code, sectie, hoeveel=1, tot=str(o.periode))
        sessie, d = gevonden[0] if gevonden else (None, None)
    acties = [a for a in o.opslag.acties(sessie_id=sessie.id) if a.indicator == sectie] if sessie else []
    if (d is None or d.leeg) and not acties:
        return ""
    regels = ""
    if d is not None:
        for k, vraag in VELDEN.items():
            if d.velden[k]:
                regels += f"<dt>{html.escape(vraag)}</dt><dd>{html.escape(d.velden[k])}</dd>"
    door = f", vastgelegd door {html.escape(d.auteur)}" if d is not None and d.auteur and o.privacy != "openbaar" else ""
    wanneer = f" (versie {d.versie}, {nl.moment(d.opgeslagen_op)}{door})" if d is not None else ""
    lijst = "".join(f"<li>{html.escape(a.regel())}</li>" for a in acties)
    return (f"<div class='duiding-vastgelegd' data-sectie='{html.escape(sectie)}'>"
            f"<h3>Wat de groep zei</h3><p class='duiding-bron'>{html.escape(sessie.titel)}, "
            f"{nl.datum(sessie.datum)}{wanneer}</p><dl>{regels}</dl>"
            f"{'<h4>Acties</h4><ul>' + lijst + '</ul>' if lijst else ''}</div>")


def toon_vragen(o: Onderwerp, sectie: str, titel: str) -> None:
    """Close a section: the questions, then the form (modus sessie) or what was said."""
    if o.modus != "verslag":
        display(HTML(vragen(sectie, titel, o.inst)))
    if o.modus == "sessie":
        f = Formulier(o.opslag, o.sessie, sectie, o.herkomst, principes=o.inst.leidende_principes)
        o.formulieren[sectie] = f
        # Where no live widget can be drawn (a notebook viewer, an untrusted notebook) the
        # HTML says what was saved at this moment and how to get the form.
        bundel = f.widget._repr_mimebundle_()
        bundel["text/html"] = (duiding_html(o, sectie) + "<p class='duiding-formulier-uit'><em>Hier staat het "
                               "formulier van deze sectie. Voer het notebook uit (Run All) om het te gebruiken."
                               "</em></p>")
        display(bundel, raw=True)
    else:
        tekst = duiding_html(o, sectie)
        if tekst:
            display(HTML(tekst))


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


def gemelde_wachttijden(o: Onderwerp, kwartalen: int = 4) -> pd.DataFrame:
    """Waiting times as providers report them (wachttijden.csv), as Dutch text.

    An aanbieder: its own rows for the last `kwartalen` quarters up to the report's quarter;
    the stad: every aanbieder in the report's quarter. Empty when the file is absent.
    """
    w = o.g.wachttijden
    if w.empty:
        return pd.DataFrame()
    eerste = Kwartaal.van_index(o.periode.index - (kwartalen - 1 if o.soort == "aanbieder" else 0))
    w = w[(w["periode"] >= str(eerste)) & (w["periode"] <= str(o.periode))]
    if o.soort == "aanbieder":
        w = w[w["aanbieder_id"] == o.code]
    elif o.soort != "stad":
        return pd.DataFrame()
    namen = {**codes.PRODUCT_JEUGD, **codes.PRODUCT_WMO}
    uit = pd.DataFrame({
        "aanbieder": [o.g.aanbiedernaam(a) for a in w["aanbieder_id"]],
        "product": [p if p else namen.get(c, c) for c, p in zip(w.get("productcategorie", ""), w.get("product", ""))],
        "kwartaal": [Kwartaal.parse(p).label for p in w["periode"]],
        "weken tot intake": [_weken(x) for x in w["weken_tot_intake"]],
        "weken tot start": [_weken(x) for x in w["weken_tot_start"]],
        "bron": list(w.get("bron", "")),
    })
    return uit.sort_values(["aanbieder", "product", "kwartaal"], kind="stable").reset_index(drop=True)


def _weken(x) -> str:
    return "" if pd.isna(x) else nl.getal(x, 0 if float(x).is_integer() else 1)


def toon_gemelde_wachttijden(o: Onderwerp) -> None:
    """The reported waiting times beside the computed ones, clearly labelled as self-reported."""
    df = gemelde_wachttijden(o)
    if df.empty:
        return
    toon_tabel(df, "Wachttijden zoals aanbieders ze zelf melden (in weken, niet per cliënt gemeten; "
                   "niet te vergelijken met de wachttijd uit de trajecten hierboven)")


def weinig_inwoners_html(o: Onderwerp) -> str:
    """HTML for a wijk with (almost) no inhabitants: why its report is short. Empty for other wijken."""
    n = o.g.weinig_inwoners(o.periode.jaar).get(o.code) if o.soort == "wijk" else None
    if n is None:
        return ""
    return (f"<div class='duiding-let-op'><p><strong>{html.escape(o.naam)} heeft (bijna) geen inwoners</strong> "
            f"({nl.getal(n, 0)} volgens de bevolkingscijfers), bijvoorbeeld een bedrijventerrein. Cijfers per "
            f"inwoner en verdelingen zeggen hier niets, dus dit rapport is kort. De zorg voor wie hier wel woont, "
            f"staat in het rapport van de stad en in de rapporten van de aanbieders.</p></div>")


def toon_weinig_inwoners(o: Onderwerp) -> None:
    display(HTML(weinig_inwoners_html(o) or "<p>Deze wijk heeft genoeg inwoners voor een volledig rapport; "
                                            "zie het wijkrapport.</p>"))


def toon_landelijk(o: Onderwerp) -> None:
    """The gemeente beside similar gemeenten and the Netherlands, from the stored CBS tables (stad report)."""

    code = landelijk.gemeente_code(o.g.wijken["wijk_code"])
    uitkomst = landelijk.vergelijking(o.g.map, code) if code else None
    if uitkomst is None:
        display(HTML("<p>Geen landelijke vergelijking: de CBS-tabellen staan niet in de gegevensmap (of de wijkcodes "
                     "zijn geen CBS-codes). Haal ze eenmalig op met <code>duiding cbs haal</code> (dat vraagt "
                     "internet; de rapporten zelf niet).</p>"))
        return
    df, meta = uitkomst
    kader = Kader(o.inst.gemeente_voor(o.g), f"CBS, tabel {meta['tabel']}", o.privacy)
    toon(landelijk_grafiek.vergelijking(df, kader, meta))
    toon_tabel(landelijk_grafiek.tabel(df, kader.waar, meta), f"{kader.waar} naast vergelijkbare gemeenten ({meta['klasse']}) "
               f"en Nederland; bron: {meta['bron']}, opgehaald {nl.datum(date.fromisoformat(meta['opgehaald']))}")


def toon_tabel(df: pd.DataFrame, bijschrift: str = "") -> None:
    """A small Dutch table (already formatted text), with a caption."""
    display(HTML(html_tabel(df, bijschrift)))


def _in_webapp() -> None:
    """In the web app (Voilà started by `duiding app` / `--serve`): Dutch messages, no tracebacks."""
    import os
    if os.environ.get("DUIDING_WEBAPP") == "1":
        from IPython import get_ipython
        shell = get_ipython()
        if shell is not None:
            installeer_foutafhandeling(shell)


_in_webapp()

__all__ = ["Onderwerp", "wijk", "aanbieder", "stad", "verdieping", "toon", "kop", "wat_valt_op", "toon_vragen",
           "kerncijfers", "toon_tabel", "REFLECTIEVRAGEN"]
