"""What the gemeente and regio notebooks call beside `duiding.notebook`: a region's own sections.

    from duiding import notebook as nb, notebook_regio as nr
    o = nb.gemeente(gemeente, periode, data=data)
    nr.toon_wijken_binnen(o, "bereik", "per_1000_jeugd")

Every table comes through `Onderwerp.tabel` (protected, cached per kernel), so the
figures of a gemeente, its wijken and the region are protected as one publication.
"""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML, display

from .grafieken import Kader
from .grafieken import regio as grafiek
from .grafieken.basis import waarde_tekst
from .grafieken.labels import label
from .indicatoren.basis import TOTAAL
from .notebook import toon, toon_tabel
from .onderwerp import Onderwerp


def regionaam(o: Onderwerp) -> str:
    return o.inst.gemeente_voor(o.g)


def _kader(o: Onderwerp, waar: str | None = None) -> Kader:
    return Kader(waar or regionaam(o), o.g.bronvermelding, o.privacy)


def gemeenten(o: Onderwerp) -> dict[str, str]:
    return o.g.gemeentenamen


def wijken_binnen(o: Onderwerp, indicator: str) -> pd.DataFrame:
    """The gemeente's wijken with the gemeente itself as the total row: wijken against their own gemeente."""
    w = o.tabel(indicator, "wijk")
    w = w[w["groep"].isin(o.g.wijken_van(o.code))]
    eigen = o.tabel(indicator, "gemeente")
    eigen = eigen[eigen["groep"] == o.code].assign(groep=TOTAAL)
    return pd.concat([w, eigen], ignore_index=True)


def toon_wijken_binnen(o: Onderwerp, indicator: str, maat: str) -> None:
    """One measure for each wijk of the gemeente, the gemeente as the reference line."""
    toon(grafiek.per_groep(wijken_binnen(o, indicator), o.kader, maat, o.g.wijken_van(o.code), "wijk",
                           str(o.periode), referentie=o.naam))


def toon_gemeenten(o: Onderwerp, indicator: str, maat: str, periode: str | None = None, **opties) -> None:
    """One measure for every gemeente of the region, the region as the reference line (this gemeente in colour)."""
    t = o.tabel(indicator, "gemeente", **opties)
    uitgelicht = o.code if o.soort == "gemeente" else None
    toon(grafiek.per_groep(t, _kader(o), maat, gemeenten(o), "gemeente", periode or str(o.periode),
                           referentie=regionaam(o), uitgelicht=uitgelicht))


def laatst_gevolgd(o: Onderwerp) -> str | None:
    """The last quarter with herinstroom figures (a full year after it lies within the data)."""
    t = o.tabel("resultaat", "gemeente")
    t = t[t["maat"] == "gevolgd"]
    return max(t["periode"]) if len(t) else None


def toon_resultaat(o: Onderwerp) -> None:
    """Maatschappelijk resultaat: the gemeenten (or this gemeente's aanbieders) against the region."""
    gevolgd = laatst_gevolgd(o)
    if o.soort == "regio":
        for maat in ("volgens_plan_pct", "duur_mediaan_dagen"):
            toon_gemeenten(o, "resultaat", maat)
        if gevolgd:
            toon_gemeenten(o, "resultaat", "herinstroom_pct", gevolgd)
        t = o.tabel("resultaat", "aanbieder")
        toon(grafiek.per_groep(t, _kader(o), "volgens_plan_pct", o.aanbiedernamen, "aanbieder", str(o.periode),
                               referentie=regionaam(o)))
        return
    toon(grafiek.per_groep(_met_regio(o, "resultaat"), o.kader, "volgens_plan_pct", {o.code: o.naam}, "gemeente",
                           str(o.periode), referentie=regionaam(o), uitgelicht=o.code))
    t = o.tabel("resultaat", "aanbieder", gemeente=o.code)
    toon(grafiek.per_groep(t, o.kader, "volgens_plan_pct", o.aanbiedernamen, "aanbieder", str(o.periode),
                           referentie=o.naam))
    if gevolgd:
        toon_gemeenten(o, "resultaat", "herinstroom_pct", gevolgd)


def _met_regio(o: Onderwerp, indicator: str, **opties) -> pd.DataFrame:
    t = o.tabel(indicator, "gemeente", **opties)
    return t[t["groep"].isin([o.code, TOTAAL])]


def nabijheid_maten(o: Onderwerp) -> list[str]:
    """The nabijheid shares the data allow: per distance threshold, and the own gemeente."""
    t = o.tabel("nabijheid", "gemeente")
    maten = [f"dichtbij_{d:g}km_pct".replace(".", "_") for d in o.inst.nabijheid_km]
    return [m for m in maten + ["eigen_gemeente_pct"] if m in set(t["maat"])]


def toon_nabijheid(o: Onderwerp) -> None:
    maten = nabijheid_maten(o)
    if not maten:
        display(HTML("<p>Geen gegevens over nabijheid: geef in locaties.csv de locaties van de aanbieders, of in "
                     "aanbieders.csv hun gemeente (kolom gemeente_code). Zie docs/regio.md.</p>"))
        return
    for maat in maten:
        toon_gemeenten(o, "nabijheid", maat)


def toon_solidariteit(o: Onderwerp) -> None:
    """Shares of costs, clients and inhabitants per gemeente (jeugd and Wmo), with the method in words."""
    for wet, wat in (("jeugd", "Jeugdwet"), ("wmo", "Wmo")):
        t = o.tabel("solidariteit", "gemeente", wet=wet)
        kader = Kader(f"{regionaam(o)}, {wat}", o.g.bronvermelding, o.privacy)
        toon(grafiek.solidariteit(t, kader, gemeenten(o), wet, str(o.periode)))
        toon_tabel(grafiek.verschil_tabel(t, gemeenten(o), wet, str(o.periode)),
                   f"{wat}: aandelen per gemeente, {o.periode.label} (het jaar tot en met dit kwartaal). "
                   f"Kosten min inwoners: hoeveel procentpunt het aandeel in de kosten hoger (+) of lager (−) ligt "
                   f"dan het aandeel in de {'inwoners van 0-17 jaar' if wet == 'jeugd' else 'inwoners'}.")
        toon_tabel(grafiek.per_jaar_tabel(t, gemeenten(o)), f"{wat}: aandeel in de kosten per jaar")
    display(HTML(
        "<p><strong>Zo is gerekend.</strong> Kosten komen uit realisatie.csv per gemeente; kosten zonder gemeente "
        "zijn per aanbieder en kwartaal verdeeld naar de zorgdagen van de cliënten uit elke gemeente. Cliënten: "
        "verschillende cliënten met een traject in het jaar tot nu toe. Inwoners: de bevolkingscijfers van dat "
        "jaar. Elk aandeel is het deel van de som over de gemeenten, zodat de aandelen optellen tot 100%. "
        "Zie docs/regio.md.</p>"))


def kerncijfers_gemeenten(o: Onderwerp) -> pd.DataFrame:
    """Per gemeente (and the region) the key figures of the quarter, as Dutch text."""
    p = str(o.periode)
    kolommen = [("bereik", "in_zorg"), ("bereik", "per_1000_jeugd"), ("wachttijd", "mediaan_dagen"),
                ("resultaat", "volgens_plan_pct")] + [("nabijheid", m) for m in nabijheid_maten(o)[:1]]
    namen = {**gemeenten(o), TOTAAL: regionaam(o)}
    uit = pd.DataFrame({"gemeente": list(namen.values())})
    for indicator, maat in kolommen:
        t = o.tabel(indicator, "gemeente")
        t = t[(t["periode"] == p) & (t["maat"] == maat)].set_index("groep")
        uit[label(maat)] = [waarde_tekst(maat, t["waarde"].get(g), t["status"].get(g, "")) if g in t.index
                            else "geen gegevens" for g in namen]
    return uit


def toon_resultaat_aanbieder(o: Onderwerp) -> None:
    """An aanbieder's maatschappelijk resultaat beside similar aanbieders and, in a region, per gemeente."""
    t = o.tabel("resultaat", "aanbieder")
    toon(grafiek.per_groep(t, o.kader, "volgens_plan_pct", o.peers(), "aanbieder", str(o.periode),
                           referentie="alle aanbieders", uitgelicht=o.code))
    if not o.g.is_regio:
        return
    t = o.tabel("resultaat", "gemeente", aanbieder=o.code)
    toon(grafiek.per_groep(t, o.kader, "volgens_plan_pct", gemeenten(o), "gemeente", str(o.periode),
                           referentie=f"{o.naam} in de hele regio"))
