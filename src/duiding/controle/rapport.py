"""Problems and the report: each with file, row, column and advice; many rows folded into one line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..periode import leesbaar



VOORBEELDEN_PER_PROBLEEM = 5
MAX_REGELS = 60
# column names that announce a BSN: bsn, bsn_nr, burgerservicenummer, Burger_Service_Nummer, sofinummer …
@dataclass
class Probleem:
    bestand: str
    melding: str
    advies: str = ""
    rij: int | None = None
    kolom: str | None = None
    waarde: str | None = None
    ernst: str = "fout"  # fout | waarschuwing
    meer: int = 0  # further rows with the same problem, not listed one by one
    meer_rijen: tuple[int, ...] = ()

    def tekst(self) -> str:
        plaats = [self.bestand]
        if self.rij is not None:
            plaats.append(f"rij {self.rij}")
        if self.kolom:
            plaats.append(f"kolom {self.kolom}")
        kop = ", ".join(plaats)
        if self.waarde is not None:
            kop += f" (waarde '{self.waarde}')"
        regel = f"{kop}: {self.melding}"
        if self.meer:
            rijen = ", ".join(str(r) for r in self.meer_rijen)
            regel += f" Dit geldt ook voor nog {nl_getal(self.meer)} rij(en)"
            regel += f", onder meer rij {rijen}." if rijen else "."
        if self.advies:
            regel += f" {self.advies}"
        return regel


def nl_getal(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@dataclass
class Rapport:
    map: Path
    problemen: list[Probleem] = field(default_factory=list)
    samenvatting: dict = field(default_factory=dict)

    @property
    def fouten(self) -> list[Probleem]:
        return [p for p in self.problemen if p.ernst == "fout"]

    @property
    def waarschuwingen(self) -> list[Probleem]:
        return [p for p in self.problemen if p.ernst == "waarschuwing"]

    @property
    def ok(self) -> bool:
        return not self.fouten

    def als_tekst(self) -> str:
        regels: list[str] = []
        if self.fouten:
            regels.append(
                f"De gegevens in {self.map} kloppen niet: {len(self.fouten)} probleem/problemen "
                "gevonden. Herstel ze en probeer het opnieuw."
            )
            for p in self.fouten[:MAX_REGELS]:
                regels.append(f"FOUT  {p.tekst()}")
            if len(self.fouten) > MAX_REGELS:
                regels.append(f"… en nog {len(self.fouten) - MAX_REGELS} andere problemen.")
        for p in self.waarschuwingen[:MAX_REGELS]:
            regels.append(f"LET OP  {p.tekst()}")
        if self.ok and self.samenvatting:
            regels.append(samenvatting_tekst(self.map, self.samenvatting))
        return "\n".join(regels)


def samenvatting_tekst(map: Path, s: dict) -> str:
    regels = [f"De gegevens in {map} zijn in orde."]
    if s.get("fictief"):
        regels.append("Let op: dit zijn fictieve gegevens (voorbeelddata).")
    for naam, n in s["rijen"].items():
        regels.append(f"  {naam:<16} {nl_getal(n):>12} rijen")
    for naam, (van, tot) in s.get("perioden", {}).items():
        regels.append(f"  {naam:<16} {leesbaar(van)} t/m {leesbaar(tot)}")
    return "\n".join(regels)


def _tekst(waarde) -> str:
    """A value as the user wrote it; a date as JJJJ-MM-DD (dates are formatted only for the rows shown)."""
    if isinstance(waarde, pd.Timestamp):
        return waarde.strftime("%Y-%m-%d")
    return str(waarde)


class Verzamelaar:
    """Collects problems; many rows with the same problem become one line."""

    def __init__(self):
        self.problemen: list[Probleem] = []
        self.indeling: dict[str, set[int]] = {}  # wijk -> years from which its figures are not comparable
        self.gemeenten: set[str] = set()  # gemeente names found in CBS exports

    def los(self, bestand, melding, advies="", ernst="fout", **kw):
        self.problemen.append(Probleem(bestand, melding, advies, ernst=ernst, **kw))

    def rijen(self, bestand: str, masker, kolom, waarden, melding, advies="", ernst="fout"):
        if masker is None or not bool(np.any(masker)):
            return
        posities = np.flatnonzero(np.asarray(masker))
        toon = posities[:VOORBEELDEN_PER_PROBLEEM]
        meer = posities[VOORBEELDEN_PER_PROBLEEM:]
        if ernst == "waarschuwing":  # one line for a warning, however many rows
            toon, meer = posities[:1], posities[1:]
        for i, pos in enumerate(toon):
            waarde = None if waarden is None else _tekst(waarden.iloc[pos])
            laatste = i == len(toon) - 1
            self.problemen.append(
                Probleem(
                    bestand, melding, advies, rij=int(pos) + 2, kolom=kolom, waarde=waarde,
                    ernst=ernst, meer=len(meer) if laatste else 0,
                    meer_rijen=tuple(int(p) + 2 for p in meer[:5]) if laatste else (),
                )
            )


# ---------------------------------------------------------------- typing columns
