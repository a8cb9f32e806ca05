"""Dutch names and units of the measures, for axes, legends, tables and sentences."""

from __future__ import annotations

from .. import codes
from ..indicatoren.wachttijd import KLASSEN

_LABELS = {
    "in_zorg": "in zorg",
    "instroom": "instroom",
    "uitstroom": "uitstroom",
    "in_zorg_basiszorg": "basiszorg (buurtteam)",
    "in_zorg_aanvullend": "aanvullende zorg",
    "aandeel_basiszorg_pct": "aandeel basiszorg",
    "aandeel_aanvullend_pct": "aandeel aanvullende zorg",
    "per_1000_jeugd": "jeugdigen in zorg per 1.000 inwoners van 0-17 jaar",
    "per_1000_volwassen": "volwassenen met Wmo-ondersteuning per 1.000 inwoners van 18+",
    "in_zorg_jeugd": "jeugdigen in zorg",
    "in_zorg_wmo": "volwassenen met Wmo-ondersteuning",
    "uitstroom_reden": "uitstroom met een reden",
    "instroom_verwijzer": "instroom jeugd met verwijzer",
    "doorlooptijd_mediaan_dagen": "doorlooptijd (mediaan)",
    "doorlooptijd_p25_dagen": "doorlooptijd (25e percentiel)",
    "doorlooptijd_p75_dagen": "doorlooptijd (75e percentiel)",
    "n": "aantal gestarte trajecten",
    "mediaan_dagen": "wachttijd (mediaan)",
    "p90_dagen": "wachttijd (90e percentiel)",
    "binnen_norm_pct": "binnen de norm",
    "positief_pct": "positief",
    "ondergrens_pct": "ondergrens (95%)",
    "bovengrens_pct": "bovengrens (95%)",
    "budget_eur": "budget",
    "kosten_eur": "kosten",
    "budget_pro_rata_eur": "budget naar rato",
    "realisatie_pct": "realisatie naar rato",
    "prognose_eur": "prognose jaarkosten",
    "prognose_pct": "prognose t.o.v. budget",
    "gemiddeld_in_zorg": "gemiddeld aantal cliënten",
    "afgesproken_clienten": "afgesproken aantal cliënten",
    "clienten_pct": "cliënten t.o.v. afspraak",
    "overgangen": "overstappers",
    "clienten_aanvullend": "cliënten gestart met aanvullende zorg",
    "schuivers": "cliënten bij 2+ aanvullende aanbieders in een jaar",
    "schuiven_pct": "schuiven",
    "beeindigd_volgens_plan": "volgens plan beëindigd",
    "herinstroom": "terug in zorg binnen een jaar",
    "herinstroom_pct": "herinstroom",
    # a region (docs/regio.md)
    "clienten": "cliënten in het jaar tot nu toe",
    "jeugdigen": "inwoners van 0-17 jaar",
    "inwoners": "inwoners",
    "aandeel_kosten_pct": "aandeel in de kosten",
    "aandeel_clienten_pct": "aandeel in de cliënten",
    "aandeel_jeugdigen_pct": "aandeel in de inwoners van 0-17 jaar",
    "aandeel_inwoners_pct": "aandeel in de inwoners",
    "beeindigd": "beëindigde trajecten",
    "volgens_plan": "volgens plan beëindigde trajecten",
    "volgens_plan_pct": "volgens plan beëindigd",
    "duur_mediaan_dagen": "duur van beëindigde trajecten (mediaan)",
    "gevolgd": "volgens plan beëindigd, een jaar gevolgd",
    "clienten_afstand": "cliënten met een bekende afstand",
    "clienten_gemeente": "cliënten met een bekende vestiging",
    "eigen_gemeente": "bij een aanbieder uit de eigen gemeente",
    "eigen_gemeente_pct": "bij een aanbieder uit de eigen gemeente",
}
for _maat, _lo, _hi in KLASSEN:
    _LABELS[_maat] = f"{_lo}-{_hi} dagen" if _hi is not None else f"{_lo} dagen of meer"

_EENHEID_AANTAL = {"n": "trajecten", "overgangen": "cliënten"}


def label(maat: str, wet: str | None = None) -> str:
    """Dutch label of a measure, also for the code mixes (reden, verwijzer).

    Reden codes differ per wet (31 is 'volgens plan' in iJw, 'verhuizing' in iWmo): pass
    the wet for a reden mix; without it the iJw meaning is tried first.
    """
    if maat in _LABELS:
        return _LABELS[maat]
    kern = maat.removesuffix("_pct")
    if kern.startswith("uitstroom_reden_"):
        code = kern.rsplit("_", 1)[1]
        if wet:
            return codes.REDEN[wet].get(code, code)
        return codes.REDEN_JEUGD.get(code) or codes.REDEN_WMO.get(code) or code
    if kern.startswith("dichtbij_") and kern.endswith("km"):
        return f"binnen {kern[9:-2].replace('_', ',')} km van huis"
    if kern.startswith("instroom_verwijzer_"):
        code = kern.rsplit("_", 1)[1]
        return codes.VERWIJZER.get(code, "onbekend" if code == "onbekend" else code)
    return maat.replace("_", " ")


def eenheid(maat: str) -> str:
    """'%', '€', 'dagen', 'per 1.000' or 'aantal'."""
    if maat.endswith("_pct"):
        return "%"
    if maat.endswith("_eur"):
        return "€"
    if maat.endswith("_dagen"):
        return "dagen"
    if maat.startswith("per_1000"):
        return "per 1.000"
    return "aantal"


def is_aantal(maat: str) -> bool:
    """True for counts of people or trajecten (the values privacy hides when 1-4)."""
    return eenheid(maat) == "aantal" and maat not in ("afgesproken_clienten", "gemiddeld_in_zorg", "jeugdigen",
                                                      "inwoners")
