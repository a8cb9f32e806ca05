"""What the notebooks call: validated parameters, cached tables, display helpers.

A notebook's first cell after its parameters is one call, e.g.

    o = nb.wijk(wijk, periode, data=data, privacy=privacy)

which loads and validates the data, resolves the wijk by name or code and checks the
period. Any problem stops the notebook right there with a Dutch message listing the
valid values (papermill passes parameters unchecked; this is where they are checked).
Everything after that is `o.tabel(...)` for a protected table and `toon(chart)`.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from IPython.display import HTML, display

from . import codes, landelijk, nl
from .config import Instellingen
from .gegevens import gemeente_code
from .grafieken import Kader, bereik, kaart, tekstalternatief, thema
from .grafieken import landelijk as landelijk_grafiek
from .grafieken.basis import html_tabel, waarde_tekst
from .grafieken.bouw import bouwen
from .grafieken.labels import label
from .indicatoren.basis import TOTAAL
from .onderwerp import Onderwerp, aanbieder, gemeente, regio, stad, verdieping, wijk
from .periode import Kwartaal
from .sjabloon import maak
from .valt_op import als_html
from .web import opname
from .web.fouten import in_webapp

REFLECTIEVRAGEN = [
    ("Wat zien we?", "Welke beweging of welk verschil valt de groep op?"),
    ("Herkennen we het beeld?", "Past het bij wat buurtteams, aanbieders en cliënten in de praktijk merken?"),
    ("Wat is het verhaal erachter?", "Welke verklaring hebben we, en wat weten we (nog) niet?"),
    ("Hoe waarderen we dat?", "Is dit positief, neutraal of zorgelijk?"),
    ("Wat verwachten we?", "Hoe ontwikkelt dit zich de komende kwartalen?"),
    ("Wat gaan we doen?", "Welke verbeteractie, wie pakt die op en wanneer?"),
]


def wijkkaart(o: Onderwerp, maat: str = "per_1000_jeugd"):
    """A choropleth when a GeoJSON of wijk boundaries is configured, else the tile map."""
    if not o.inst.geojson and not kaart.heeft_tegels(o.g.wijken):
        return kaart.geen_tegels()
    t = o.tabel("bereik", "wijk", alle_groepen=True)  # every wijk gets its tile
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
    Vega-Lite schema), so here the spec is made without validating it again (`bouwen`).
    """
    with bouwen():
        spec = chart.to_dict(validate=False)
        alternatief = tekstalternatief(chart)
    display(thema.render(spec), raw=True)
    display(HTML(alternatief))


def kop(o: Onderwerp) -> None:
    if opname.bezig() and o.sessie is not None:  # the app's page: the carried-over actions as they stand when shown
        display(HTML(o.kop(acties=False)))
        opname.plek("eerdere_acties")
    else:
        display(HTML(o.kop()))


def wat_valt_op(o: Onderwerp) -> None:
    display(HTML(als_html(o.wat_valt_op(), o.naam)))


def vragen(sectie: str, titel: str, inst: Instellingen | None = None) -> str:
    """HTML: the reflection questions closing a section, with the gemeente's principles and kaders."""
    inst = inst or Instellingen()
    return maak("vragen.html.j2", sectie=sectie, titel=titel, vragen=inst.reflectievragen or REFLECTIEVRAGEN,
                principes=inst.leidende_principes, kaders=inst.kaders)


def duiding_html(o: Onderwerp, sectie: str) -> str:
    """HTML, read-only: what was said about this section (escaped), with its actions.

    Verslag: this session's duiding. Report: the latest duiding about this subject from
    a session up to this period. Empty when nothing was recorded.
    """

    if o.opslag is None or o.soort not in ("wijk", "aanbieder", "stad", "gemeente", "regio"):
        return ""
    if o.sessie is not None:
        sessie, d = o.sessie, o.opslag.laatste(o.sessie.id, sectie)
    else:
        gevonden = o.opslag.eerder(o.soort, o.code, sectie, hoeveel=1, tot=str(o.periode))
        sessie, d = gevonden[0] if gevonden else (None, None)
    acties = [a for a in o.opslag.acties(sessie_id=sessie.id) if a.sectie == sectie] if sessie else []
    if (d is None or d.leeg) and not acties:
        return ""
    door = d.auteur if d is not None and d.auteur and o.privacy != "openbaar" else ""
    return maak("duiding.html.j2", sectie=sectie, sessie=sessie, d=d, door=door,
                velden=d.ingevuld() if d is not None else [], acties=acties)


def toon_vragen(o: Onderwerp, sectie: str, titel: str) -> None:
    """Close a section: the questions, then the form (modus sessie) or what was said."""
    if o.modus != "verslag":
        display(HTML(vragen(sectie, titel, o.inst)))
    if o.modus == "sessie" and opname.bezig():  # the app's page: the form is made when the page is shown
        opname.plek("formulier", sectie=sectie, herkomst=opname.herkomst(o.herkomst),
                    principes=list(o.inst.leidende_principes))
    elif o.modus == "sessie":
        from .formulier import Formulier  # widgets: imported by a session's kernel only, not by a report's

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


REDENEN = {"jeugd": "Redenen beëindiging jeugdhulp", "wmo": "Redenen beëindiging Wmo-ondersteuning"}
VERWIJZERS = "Verwijzers bij instroom in jeugdhulp"


def toon_mixen(o: Onderwerp, stadnaam: str | None = None) -> None:
    """Verwijzers (jeugd) and redenen beëindiging per wet of the run: this quarter beside the whole, then over
    every quarter of the data."""
    stadnaam = stadnaam or ("alle aanbieders" if o.soort == "aanbieder" else "stad")
    for wet in o.wetten:
        t, alle = o.tabel("bereik", o.per, wet=wet), o.tabel("bereik", o.per, wet=wet, alle=True)
        families = ([("instroom_verwijzer", VERWIJZERS)] if wet == "jeugd" else []) + [("uitstroom_reden", REDENEN[wet])]
        for familie, wat in families:
            toon(bereik.mix(t, o.kader, o.code, familie, wat, wet=wet, stadnaam=stadnaam, periode=str(o.periode)))
            toon(bereik.mix_trend(alle, o.kader, o.code, familie, wat, wet=wet))


def productnamen() -> dict[str, str]:
    """productcategorie code -> Dutch name (iJw and iWmo), for a breakdown by productcategorie."""
    return {**codes.PRODUCT_WMO, **codes.PRODUCT_JEUGD}


def kerncijfers(o: Onderwerp) -> pd.DataFrame:
    """Key figures of the subject against the city in its quarter, as Dutch text."""
    p = str(o.periode)
    rijen = []
    # a provider gives either basiszorg or aanvullende zorg: the share of the other does not apply to it
    soort = dict(zip(o.g.aanbieders["aanbieder_id"], o.g.aanbieders["soort"])).get(o.code) if o.soort == "aanbieder" \
        else None
    niet_van_toepassing = {f"aandeel_{s}_pct" for s in codes.SOORTEN if soort and s != soort}
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
                   o.naam: "niet van toepassing" if maat in niet_van_toepassing
                   else waarde_tekst(maat, eigen["waarde"].iloc[0], eigen["status"].iloc[0])}
            if o.soort not in ("stad", "regio"):
                heel = "regio" if o.g.is_regio else "stad"
                rij[heel] = waarde_tekst(maat, stad["waarde"].iloc[0], stad["status"].iloc[0]) if len(stad) else ""
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
    elif o.soort not in ("stad", "regio"):
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
    return maak("weinig_inwoners.html.j2", naam=o.naam, inwoners=n)


def toon_weinig_inwoners(o: Onderwerp) -> None:
    display(HTML(weinig_inwoners_html(o) or "<p>Deze wijk heeft genoeg inwoners voor een volledig rapport; "
                                            "zie het wijkrapport.</p>"))


def toon_landelijk(o: Onderwerp) -> None:
    """The gemeente beside similar gemeenten and the Netherlands, from the stored CBS tables (stad report)."""

    code = gemeente_code(o.g.wijken["wijk_code"])
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


in_webapp()

__all__ = ["Onderwerp", "wijk", "aanbieder", "stad", "gemeente", "regio", "verdieping", "toon", "kop", "wat_valt_op", "toon_vragen",
           "kerncijfers", "toon_tabel", "REFLECTIEVRAGEN"]
