"""The key figures of the index: per wijk and per aanbieder, this quarter against the last one and a year ago.

The figures come from the same protected tables as the reports (`duiding.cijfers`, the
batch's privacy level), so the index publishes nothing the reports do not: a hidden value
stays hidden and its change is not given.
"""

from __future__ import annotations

import pandas as pd

from .. import nl
from ..cijfers import cijfers
from ..config import Instellingen
from ..controle import cache
from ..gegevens import Gegevens
from ..grafieken.basis import waarde_tekst
from ..grafieken.labels import eenheid
from ..indicatoren.basis import TOTAAL
from ..periode import Kwartaal, reeks

# (indicator, per-table, maat, column heading) per kind of report
KOLOMMEN = {
    "wijk": [("bereik", "in_zorg", "in zorg"), ("bereik", "instroom", "instroom"),
             ("bereik", "per_1000_jeugd", "jeugdigen in zorg per 1.000"),
             ("wachttijd", "mediaan_dagen", "wachttijd (mediaan)"), ("wachttijd", "binnen_norm_pct", "binnen de norm")],
    "aanbieder": [("bereik", "in_zorg", "in zorg"), ("bereik", "instroom", "instroom"),
                  ("wachttijd", "mediaan_dagen", "wachttijd (mediaan)"),
                  ("budget", "prognose_pct", "prognose t.o.v. budget")],
}
KOLOMMEN["gemeente"] = KOLOMMEN["wijk"]


def _verschil(maat: str, nu: float | None, toen: float | None) -> dict:
    """The change as an arrow and Dutch text ('▲ +12', '▼ −1,5 procentpunt'), with the number for sorting."""
    if nu is None or toen is None or pd.isna(nu) or pd.isna(toen):
        return {"pijl": "", "tekst": "–", "waarde": None, "richting": "onbekend"}
    d = float(nu) - float(toen)
    e = eenheid(maat)
    decimalen = 0 if e in ("aantal", "dagen") and float(d).is_integer() else 1
    d = round(d, decimalen)
    getal = nl.getal(abs(d), decimalen)
    teken = "+" if d > 0 else ("−" if d < 0 else "")
    eenheid_tekst = {"%": " procentpunt", "dagen": " dag" if abs(d) == 1 else " dagen"}.get(e, "")
    if d == 0:
        return {"pijl": "=", "tekst": "= gelijk", "waarde": 0.0, "richting": "gelijk"}
    pijl = "▲" if d > 0 else "▼"
    return {"pijl": pijl, "tekst": f"{pijl} {teken}{getal}{eenheid_tekst}", "waarde": d,
            "richting": "hoger" if d > 0 else "lager"}


def _per_groep_maat(t: pd.DataFrame, maten: set[str], perioden: set[str]
                    ) -> dict[tuple[str, str], dict[str, tuple[float | None, str]]]:
    """(groep, maat) -> periode -> (value or None, status text): the rows of a published table that are asked for."""
    uit: dict[tuple[str, str], dict[str, tuple[float | None, str]]] = {}
    if not len(t):
        return uit
    t = t[t["maat"].isin(list(maten)) & t["periode"].astype(str).isin(list(perioden))]
    status = t["status"] if "status" in t else pd.Series("", index=t.index)
    for groep, maat, periode, waarde, s in zip(t["groep"], t["maat"], t["periode"], t["waarde"], status):
        waarde = None if waarde is None or pd.isna(waarde) else float(waarde)
        uit.setdefault((groep, maat), {}).setdefault(str(periode), (waarde, s if isinstance(s, str) else ""))
    return uit


def kerncijfers(g: Gegevens, periode: Kwartaal, privacy: str, inst: Instellingen | None = None,
                wet: str | None = None) -> dict[str, dict[str, list[dict]]]:
    """soort -> code -> one cell per column: value, change against the previous quarter and a year earlier."""
    inst = inst or Instellingen()
    perioden = reeks(max(periode.vorige(4), g.perioden()[0]), periode)
    p, vorig, jaar = str(periode), str(periode.vorige()), str(periode.vorige(4))
    uit: dict[str, dict[str, list[dict]]] = {}
    for soort in ("wijk", "aanbieder", "gemeente"):
        if soort == "gemeente" and not g.is_regio:
            continue
        if soort == "aanbieder":
            codes = list(g.aanbiedernamen)
        elif soort == "wijk":
            codes = list(g.wijknamen)
        else:
            codes = list(g.gemeentenamen)
        tabellen: dict[str, pd.DataFrame] = {}
        for indicator, _, _ in KOLOMMEN[soort]:
            if indicator in tabellen:
                continue
            if indicator == "budget" and (g.budget is None or not len(g.budget)):
                tabellen[indicator] = pd.DataFrame(columns=["groep", "periode", "maat", "waarde", "status"])
                continue
            sleutel = ("overzicht", indicator, soort, wet, tuple(map(str, perioden)), privacy,
                       inst.wachttijd_norm_dagen, inst.overgang_dagen)
            tabellen[indicator] = cache.tabel(g.cache_sleutel, sleutel, privacy, lambda: cijfers(
                g, indicator, soort, perioden, privacy, wet, inst))
        # one pass over each table: (groep, maat) -> periode -> (waarde, status); a lookup per cell after
        # that, where filtering the whole table per code and column grew with wijken x rows
        opzoek = {indicator: _per_groep_maat(t, {m for i, m, _ in KOLOMMEN[soort] if i == indicator}, {p, vorig, jaar})
                  for indicator, t in tabellen.items()}
        rijen: dict[str, list[dict]] = {}
        for code in codes + [TOTAAL]:
            cellen = []
            for indicator, maat, kop in KOLOMMEN[soort]:
                reeks_ = opzoek[indicator].get((code, maat), {})
                nu, status = reeks_.get(p, (None, ""))
                cellen.append({"kop": kop, "maat": maat, "waarde": nu,
                               "tekst": waarde_tekst(maat, nu, status),
                               "vorig": _verschil(maat, nu, reeks_.get(vorig, (None,))[0]),
                               "jaar": _verschil(maat, nu, reeks_.get(jaar, (None,))[0])})
            rijen[code] = cellen
        uit[soort] = rijen
    return uit
