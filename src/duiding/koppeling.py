"""A gemeente's own export mapped to the data contract without code: `[koppeling]` in duiding.toml.

    [koppeling.trajecten]
    bestand = "zorgexport.csv"          # optional: the file that holds this table
    datumformaat = "%d-%m-%Y"           # optional: how dates are written in that file
    [koppeling.trajecten.kolommen]      # its column -> the contract's column
    "Clientnummer" = "client_id"
    "Begindatum" = "startdatum"
    [koppeling.trajecten.waarden.reden_beeindiging]   # its value -> the iJw/iWmo code
    "Afgerond volgens plan" = "31"

`duiding controleer` suggests such a section when columns are missing (close names, and
values that look like what the column needs) and lists code values that no mapping covers,
with how often they occur, so a user edits a suggestion instead of starting blank.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .contract import CONTRACT, Bestand
from .exceptions import InstellingenFout

if TYPE_CHECKING:  # pandas only where a table is mapped: the settings are read without it
    import pandas as pd


@dataclass(frozen=True)
class Koppeling:
    """The mapping of one contract table."""
    bestand: str | None = None
    datumformaat: str | None = None
    kolommen: dict = field(default_factory=dict)  # own column -> contract column
    waarden: dict = field(default_factory=dict)  # contract column -> {own value: code}


def lees(instelling: dict, bron: str = "duiding.toml") -> dict[str, Koppeling]:
    """Check the `[koppeling]` table of the settings; InstellingenFout in Dutch naming what is wrong."""
    if not isinstance(instelling, dict):
        raise InstellingenFout(f"{bron}: [koppeling] moet een tabel zijn, bijvoorbeeld [koppeling.trajecten].")
    uit = {}
    for stam, deel in instelling.items():
        if stam not in CONTRACT:
            raise InstellingenFout(f"{bron}: [koppeling.{stam}]: onbekend bestand. Kies uit: {', '.join(CONTRACT)}.")
        if not isinstance(deel, dict):
            raise InstellingenFout(f"{bron}: [koppeling.{stam}] moet een tabel zijn.")
        onbekend = set(deel) - {"bestand", "datumformaat", "kolommen", "waarden"}
        if onbekend:
            raise InstellingenFout(f"{bron}: [koppeling.{stam}]: onbekende sleutel '{sorted(onbekend)[0]}'. "
                                   "Toegestaan: bestand, datumformaat, kolommen, waarden.")
        namen = set(CONTRACT[stam].namen)
        kolommen = {str(k): str(v) for k, v in (deel.get("kolommen") or {}).items()}
        fout = sorted(set(kolommen.values()) - namen)
        if fout:
            raise InstellingenFout(f"{bron}: [koppeling.{stam}.kolommen]: '{fout[0]}' is geen kolom van "
                                   f"{stam}.csv. Kies uit: {', '.join(CONTRACT[stam].namen)}.")
        waarden = {str(k): {str(a): str(b) for a, b in v.items()} for k, v in (deel.get("waarden") or {}).items()}
        fout = sorted(set(waarden) - namen)
        if fout:
            raise InstellingenFout(f"{bron}: [koppeling.{stam}.waarden.{fout[0]}]: geen kolom van {stam}.csv.")
        formaat = deel.get("datumformaat")
        if formaat is not None and not re.search(r"%[dmYy]", str(formaat)):
            raise InstellingenFout(f"{bron}: [koppeling.{stam}] datumformaat '{formaat}' is geen datumformaat; "
                                   "schrijf bijvoorbeeld \"%d-%m-%Y\" voor 31-12-2024.")
        uit[stam] = Koppeling(deel.get("bestand"), formaat, kolommen, waarden)
    return uit


def pas_toe(df: pd.DataFrame, k: Koppeling, bestand: Bestand) -> pd.DataFrame:
    """The table under the contract's names, codes and date notation (text in, text out)."""
    # column names are read in lower case (iorw), so the mapping's names match in any case
    namen = {str(a).strip().casefold(): b for a, b in k.kolommen.items()}
    df = df.rename(columns=lambda c: namen.get(str(c).strip().casefold(), c))
    for kol, tabel in k.waarden.items():
        if kol in df:
            tekst = df[kol].astype("string").str.strip()
            df[kol] = tekst.map(lambda x: tabel.get(x, x) if isinstance(x, str) else x)
    if k.datumformaat:
        for kol in bestand.kolommen:
            if kol.type == "datum" and kol.naam in df:
                tekst = df[kol.naam].astype("string").str.strip()
                import pandas as pd

                datum = pd.to_datetime(tekst, format=k.datumformaat, errors="coerce")
                # what the format cannot read stays as written, so the check names it
                df[kol.naam] = datum.dt.strftime("%Y-%m-%d").where(datum.notna(), tekst)
    return df


def _plat(naam: str) -> str:
    return re.sub(r"[^a-z0-9]", "", naam.lower())


_PATROON = {
    "datum": r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}",
    "geheel": r"\d{1,4}",
}


def voorstel(kolommen: list[str], df: pd.DataFrame, bestand: Bestand, ontbreekt: list[str]) -> str:
    """A `[koppeling]` section for the missing columns: the closest own column whose values fit."""
    vrij = [k for k in kolommen if k not in bestand.namen]
    regels = []
    for doel in ontbreekt:
        soort = bestand.kolom(doel).type
        passend = []
        for k in vrij:
            voorbeeld = df[k].dropna().astype(str).str.strip()
            voorbeeld = voorbeeld[voorbeeld != ""].head(50)
            patroon = _PATROON.get(soort)
            if patroon and len(voorbeeld) and not voorbeeld.str.fullmatch(patroon).mean() > 0.8:
                continue
            passend.append(k)
        namen = {_plat(k): k for k in passend}
        beste = difflib.get_close_matches(_plat(doel), list(namen), n=1, cutoff=0.4)
        if beste:
            regels.append(f'"{namen[beste[0]]}" = "{doel}"')
            vrij.remove(namen[beste[0]])
    if not regels:
        return ""
    return f"[koppeling.{bestand.stam}.kolommen]\n" + "\n".join(regels)


def ongekoppeld(waarden: pd.Series, geldig: set[str], stam: str, kolom: str) -> str:
    """The unknown values of a code column with their counts, as a `[koppeling]` section to fill in."""
    onbekend = waarden[(waarden != "") & ~waarden.isin(geldig)].value_counts()
    if onbekend.empty:
        return ""
    regels = [f'"{w}" = ""   # {n}×' for w, n in onbekend.head(20).items()]
    return f"[koppeling.{stam}.waarden.{kolom}]\n" + "\n".join(regels)
