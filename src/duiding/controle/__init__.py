"""Validation of a data folder against the contract, with Dutch messages.

`controleer(map)` reads every file, types every column and checks every rule, and
returns a `Rapport` listing all problems at once. Row numbers are as a spreadsheet
shows them: the header is row 1, the first data row is row 2.

The steps have their own modules: `lezen` (a file into a typed table, with `kolommen`),
`bevolking` (population files and CBS exports), `regels` (rules across columns and files)
and `rapport` (the problems and how they are told).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..contract import CONTRACT
from ..koppeling import Koppeling
from .bevolking import bevolking_bestanden, lees_bevolking
from .lezen import dubbel, lees
from .rapport import Probleem, Rapport, Verzamelaar, samenvatting_tekst
from .kolommen import paren_van, vergeet_coderingen
from .regels import GERESERVEERD, regels_regio, regels_trajecten, regels_wachttijden, verwijzing


def _eigen_namen(problemen: list[Probleem], koppeling: dict[str, Koppeling], bestandsnamen: dict[str, str]
                 ) -> list[Probleem]:
    """Messages about a mapped file name the user's own columns (its export), not the contract's."""
    eigen = {}
    for stam, k in koppeling.items():
        terug = {contract: str(own) for own, contract in k.kolommen.items()}
        eigen[bestandsnamen.get(stam, k.bestand or f"{stam}.csv")] = terug
    return [replace(p, kolom=eigen[p.bestand].get(p.kolom, p.kolom)) if p.bestand in eigen and p.kolom else p
            for p in problemen]


def controleer(map: Path | str, koppeling: dict[str, Koppeling] | None = None
               ) -> tuple[Rapport, dict[str, pd.DataFrame], list[Path]]:
    """Check a folder; return the report, the typed tables and the files read."""
    try:
        return _controleer(map, koppeling)
    finally:
        vergeet_coderingen()  # the encodings shared between rules hold whole columns


def _controleer(map: Path | str, koppeling: dict[str, Koppeling] | None
                ) -> tuple[Rapport, dict[str, pd.DataFrame], list[Path]]:
    map = Path(map)
    v = Verzamelaar()
    rapport = Rapport(map)
    if not map.is_dir():
        v.los(str(map), "deze map bestaat niet.",
              "Geef met --data de map met uw CSV-bestanden op (zie docs/data.md).")
        rapport.problemen = v.problemen
        return rapport, {}, []
    tabellen: dict[str, pd.DataFrame] = {}
    paden: list[Path] = []
    bestandsnamen: dict[str, str] = {}  # contract table -> the user's file it was read from
    for stam, bestand in CONTRACT.items():
        if stam == "bevolking":  # several files, each checked on its own in lees_bevolking
            df, gelezen = lees_bevolking(map, bestand, v)
            paden.extend(gelezen if isinstance(gelezen, list) else [gelezen] if gelezen else [])
            if df is not None:
                tabellen[stam] = df
            continue
        df, pad = lees(map, bestand, v, k=(koppeling or {}).get(stam))
        if pad is not None:
            paden.append(pad)
            bestandsnamen[stam] = pad.name
        if df is not None and stam == "wachttijden":
            df = regels_wachttijden(pad.name, df, v)
        if df is not None:
            tabellen[stam] = df
            bestandsnaam = pad.name
            uniek = tuple(k for k in bestand.uniek if k in df)  # optional key columns may be absent
            if uniek:
                dubbel(bestandsnaam, df, uniek, v)

    def naam(stam):
        return bestandsnamen.get(stam, f"{stam}.csv")

    a, w = tabellen.get("aanbieders"), tabellen.get("wijken")
    if "trajecten" in tabellen:
        t = tabellen["trajecten"]
        regels_trajecten(naam("trajecten"), t, v)
        if a is not None:
            verwijzing(naam("trajecten"), t, "aanbieder_id", a["aanbieder_id"], naam("aanbieders"), v)
            v.rijen(naam("trajecten"), _wet_past_niet(t, a),
                    "wet", t["wet"], "de wet van dit traject past niet bij de wet van de aanbieder "
                    "in aanbieders.csv.", ernst="waarschuwing")
        if w is not None:
            verwijzing(naam("trajecten"), t, "wijk_code", w["wijk_code"], naam("wijken"), v)
    for stam in ("ervaringen", "budget", "realisatie", "wachttijden", "locaties"):
        if stam in tabellen and a is not None:
            verwijzing(naam(stam), tabellen[stam], "aanbieder_id", a["aanbieder_id"], naam("aanbieders"), v)
    for stam in ("ervaringen", "bevolking"):
        if stam in tabellen and w is not None:
            verwijzing(naam(stam), tabellen[stam], "wijk_code", w["wijk_code"], naam("wijken"), v)
    regels_regio(tabellen, naam, v)
    for stam, kolom in (("wijken", "wijk_code"), ("aanbieders", "aanbieder_id"), ("gemeenten", "gemeente_code")):
        if stam in tabellen:
            codes_ = tabellen[stam][kolom]
            v.rijen(naam(stam), codes_.str.casefold().isin(GERESERVEERD), kolom, codes_,
                    f"deze code gebruikt de kit zelf ({' en '.join(GERESERVEERD)} staan voor het totaal).",
                    "Geef een andere code, bijvoorbeeld de CBS-wijkcode of de AGB-code.")
    if a is not None:
        v.rijen(naam("aanbieders"), a.duplicated("naam") & (a["naam"] != ""), "naam", a["naam"],
                "deze naam komt vaker voor; zoeken op naam wordt dubbelzinnig, gebruik dan de code.",
                ernst="waarschuwing")

    rapport.problemen = _eigen_namen(v.problemen, koppeling or {}, bestandsnamen)
    rapport.samenvatting = _samenvatting(tabellen)
    rapport.samenvatting["indelingswijzigingen"] = {w: sorted(j) for w, j in sorted(v.indeling.items())}
    if len(v.gemeenten) == 1:
        rapport.samenvatting["gemeente"] = next(iter(v.gemeenten))
    return rapport, tabellen, paden


def _wet_past_niet(t: pd.DataFrame, a: pd.DataFrame) -> pd.Series | None:
    """Trajecten under another wet than their aanbieder's (an aanbieder of both wetten fits either)."""
    eerste = a.drop_duplicates("aanbieder_id")
    wet_van = dict(zip(eerste["aanbieder_id"], eerste["wet"]))
    fout = [(aanbieder, wet) for aanbieder, wet in paren_van(t, "aanbieder_id", "wet")
            if wet_van.get(aanbieder, "beide") not in ("beide", wet)]
    if not fout:
        return None
    paar = pd.MultiIndex.from_frame(t[["aanbieder_id", "wet"]])
    return pd.Series(paar.isin(fout), index=t.index)


def dekking(t: pd.DataFrame | pa.Table) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day the trajecten cover.

    An extract often holds only trajecten still running at its start, some begun
    years earlier; the figures are complete from the first recorded ending (or the
    first start, if that is later). The last day is the latest start or end.
    """
    if isinstance(t, pa.Table):  # the cached table, not yet made pandas (`tabellen.LuiVeld`)
        t = {k: pd.Series([pc.min(t.column(k)).as_py(), pc.max(t.column(k)).as_py()], dtype="datetime64[ns]")
             for k in ("startdatum", "einddatum")}
    eerste, eind = t["startdatum"].min(), t["einddatum"].min()
    if pd.notna(eind):
        eerste = max(eerste, eind)
    return eerste, max((d for d in (t["startdatum"].max(), t["einddatum"].max()) if pd.notna(d)), default=pd.NaT)


def _kwartaal(d) -> str:
    return f"{d.year}-Q{(d.month - 1) // 3 + 1}"


def _samenvatting(tabellen: dict[str, pd.DataFrame]) -> dict:
    s = {"rijen": {f"{k}": len(df) for k, df in tabellen.items()}, "perioden": {}}
    t = tabellen.get("trajecten")
    if t is not None and t["startdatum"].notna().any():
        s["perioden"]["trajecten"] = tuple(_kwartaal(d) for d in dekking(t))
    e = tabellen.get("ervaringen")
    if e is not None and e["datum"].notna().any():
        s["perioden"]["ervaringen"] = (_kwartaal(e["datum"].min()), _kwartaal(e["datum"].max()))
    r = tabellen.get("realisatie")
    if r is not None and r["jaar"].notna().any():
        sleutel = (r["jaar"] * 4 + r["kwartaal"] - 1).dropna().astype(int)
        s["perioden"]["realisatie"] = tuple(f"{i // 4}-Q{i % 4 + 1}" for i in (sleutel.min(), sleutel.max()))
    return s


__all__ = ["controleer", "dekking", "Rapport", "Probleem", "samenvatting_tekst", "bevolking_bestanden"]
