"""'Wat valt op': notable movements in plain Dutch, as a starting point for the conversation.

Built only from published (privacy-protected) tables, the same ones the charts use;
a hidden value is never compared. For each watched measure of one group it looks at:
- the change against the previous quarter and against the same quarter a year earlier
  (relative for counts and days, in percentage points for shares);
- whether the value lies outside the range of the 8 quarters before it;
- for a provider's vierkant: a prognosis above the budget, clients far from the agreement.
Each finding gets a score (how far past its threshold); the highest come first.
The sentences describe, they do not judge: no 'goed' or 'slecht'.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import nl
from .grafieken.basis import waarde_tekst
from .grafieken.labels import eenheid, label
from .periode import Kwartaal
from .sjabloon import maak

# (indicator, maat, thema) watched per kind of subject
KIJK = {
    "wijk": [("bereik", "in_zorg", ""), ("bereik", "instroom", ""), ("bereik", "uitstroom", ""),
             ("bereik", "per_1000_jeugd", ""), ("bereik", "in_zorg_aanvullend", ""),
             ("wachttijd", "mediaan_dagen", ""), ("wachttijd", "binnen_norm_pct", ""),
             ("ervaringen", "positief_pct", "toegankelijkheid"), ("ervaringen", "positief_pct", "kwaliteit"),
             ("ervaringen", "positief_pct", "effect")],
    "aanbieder": [("bereik", "in_zorg", ""), ("bereik", "instroom", ""), ("bereik", "uitstroom", ""),
                  ("wachttijd", "mediaan_dagen", ""), ("wachttijd", "binnen_norm_pct", ""),
                  ("ervaringen", "positief_pct", "toegankelijkheid"), ("ervaringen", "positief_pct", "kwaliteit"),
                  ("ervaringen", "positief_pct", "effect"),
                  ("budget", "prognose_pct", ""), ("budget", "clienten_pct", "")],
}
KIJK["stad"] = KIJK["wijk"] + [("budget", "prognose_pct", ""), ("budget", "clienten_pct", "")]
KIJK["gemeente"] = KIJK["stad"]  # a gemeente of a region: its own figures and its own vierkant
KIJK["regio"] = KIJK["stad"]

DREMPEL_RELATIEF = 0.10  # counts and days: a change of 10% or more
DREMPEL_PUNTEN = 5.0  # shares: a change of 5 percentage points or more
MINIMUM_AANTAL = 20  # relative changes of counts below this are noise
MINIMUM_ANTWOORDEN = 30  # ervaringen on fewer answers are too uncertain to compare
VENSTER = 8  # quarters of history for the range


@dataclass(frozen=True)
class Opvallend:
    score: float
    indicator: str
    maat: str
    tekst: str


def _naam(maat: str, thema: str) -> str:
    naam = label(maat)
    if maat == "positief_pct" and thema:
        return f"positieve ervaringen met {thema}"
    return naam


def _reeks(tabel: pd.DataFrame, groep: str, maat: str, thema: str) -> pd.Series:
    t = tabel[(tabel["groep"] == groep) & (tabel["maat"] == maat)]
    if thema and "thema" in t:
        t = t[t["thema"] == thema]
    return t.set_index("periode")["waarde"].astype("float64")


def _verschil(nu: float, toen: float, maat: str) -> tuple[float, str] | None:
    """(score, Dutch phrase) for a change, or None when below the threshold."""
    if pd.isna(toen) or pd.isna(nu):
        return None
    if eenheid(maat) == "%":
        d = nu - toen
        if abs(d) < DREMPEL_PUNTEN:
            return None
        return abs(d) / DREMPEL_PUNTEN, f"{nl.getal(abs(d), 1)} procentpunt {'hoger' if d > 0 else 'lager'}"
    if toen == 0 or (eenheid(maat) == "aantal" and max(nu, toen) < MINIMUM_AANTAL):
        return None
    r = (nu - toen) / toen
    if abs(r) < DREMPEL_RELATIEF:
        return None
    woord = ("meer" if r > 0 else "minder") if eenheid(maat) == "aantal" else ("hoger" if r > 0 else "lager")
    return abs(r) / DREMPEL_RELATIEF, f"{nl.getal(abs(r) * 100, 0)}% {woord}"


def bewegingen(tabellen: dict[str, pd.DataFrame], groep: str, periode: Kwartaal, soort: str = "wijk",
               maximaal: int = 6) -> list[Opvallend]:
    """The notable movements of one group in one quarter, highest score first."""
    uit: list[Opvallend] = []
    nu_p, vorig_p, jaar_p = str(periode), str(periode.vorige()), str(periode.vorige(4))
    geschiedenis = [str(periode.vorige(i)) for i in range(1, VENSTER + 1)]
    for indicator, maat, thema in KIJK[soort]:
        tabel = tabellen.get(indicator)
        if tabel is None or tabel.empty:
            continue
        reeks = _reeks(tabel, groep, maat, thema)
        nu = reeks.get(nu_p)
        if nu is None or pd.isna(nu):
            continue
        naam = _naam(maat, thema)
        nu_tekst = waarde_tekst(maat, nu)
        if indicator == "ervaringen":
            n = _reeks(tabel, groep, "n", thema).get(nu_p)
            if n is None or pd.isna(n) or n < MINIMUM_ANTWOORDEN:
                continue
            nu_tekst = f"{nu_tekst} (n = {nl.getal(n)})"
        if indicator == "budget":
            uit.extend(_vierkant(maat, nu, nu_tekst, periode))
            continue
        delen, score = [], 0.0
        for toen_p, wanneer in ((vorig_p, "dan het kwartaal ervoor"), (jaar_p, "dan een jaar eerder")):
            v = _verschil(nu, reeks.get(toen_p, float("nan")), maat)
            if v:
                score = max(score, v[0])
                delen.append(f"{v[1]} {wanneer} ({waarde_tekst(maat, reeks[toen_p])})")
        eerder = reeks.reindex(geschiedenis).dropna()
        if len(eerder) >= 4 and (nu > eerder.max() or nu < eerder.min()):
            score = max(score, 1.5)
            richting = "hoger" if nu > eerder.max() else "lager"
            delen.append(f"{richting} dan in elk van de {len(eerder)} kwartalen ervoor "
                         f"({waarde_tekst(maat, eerder.min())} tot {waarde_tekst(maat, eerder.max())})")
        if delen:
            uit.append(Opvallend(score, indicator, maat,
                                 f"{naam.capitalize()}: {nu_tekst} in {periode.label}, {nl.opsomming(delen)}."))
    return sorted(uit, key=lambda o: -o.score)[:maximaal]


def _vierkant(maat: str, nu: float, nu_tekst: str, periode: Kwartaal) -> list[Opvallend]:
    if maat == "prognose_pct" and nu > 100:
        return [Opvallend(1 + (nu - 100) / 5, "budget", maat,
                          f"Prognose: bij het tempo tot en met {periode.label} komen de kosten over heel "
                          f"{periode.jaar} uit op {nu_tekst} van het budget.")]
    if maat == "clienten_pct" and abs(nu - 100) >= 10:
        richting = "boven" if nu > 100 else "onder"
        return [Opvallend(abs(nu - 100) / 10, "budget", maat,
                          f"Cliënten: gemiddeld {nu_tekst} van het afgesproken aantal, {richting} de afspraak.")]
    return []


def als_html(items: list[Opvallend], waar: str) -> str:
    """The list as HTML for the top of a notebook or report."""
    return maak("valt_op.html.j2", items=items, waar=waar)
