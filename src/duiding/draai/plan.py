"""Which reports a batch makes: one task per wijk, aanbieder or the city, with safe paths."""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..exceptions import ParameterFout
from ..gegevens import Gegevens
from ..periode import Kwartaal
from .statisch import MAP, bestandsnaam

PER_KEUZES = ("wijk", "aanbieder", "stad", "gemeente", "regio", "verdieping", "alle")
NOTEBOOK = {"wijk": "wijk.ipynb", "aanbieder": "aanbieder.ipynb", "stad": "stad.ipynb",
            "gemeente": "gemeente.ipynb", "regio": "regio.ipynb", "verdieping": "verdieping.ipynb"}
TITELS = {"wijk": "Wijk", "aanbieder": "Aanbieder", "stad": "Stad", "gemeente": "Gemeente", "regio": "Regio",
          "verdieping": "Verdieping"}
HEEL = ("stad", "regio", "verdieping")  # the whole of the data: no subject parameter
WET_KEUZES = ("beide", "jeugd", "wmo")


def map_naam(periode: Kwartaal, wet: str | None) -> str:
    """uitvoer/<map_naam>/: '2024-Q4', or '2024-Q4-jeugd' for the reports of one wet."""
    return str(periode) + (f"-{wet}" if wet else "")
KORT = "wijk_kort.ipynb"  # for a wijk with (almost) no inhabitants


def slug(naam: str) -> str:
    """A safe file name: 'Vleuten-De Meern' -> 'vleuten-de-meern'; only a-z, 0-9 and '-'."""
    ascii_ = unicodedata.normalize("NFKD", naam).encode("ascii", "ignore").decode("ascii")
    s = re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")
    return s[:60] or "rapport"


@dataclass(frozen=True)
class Taak:
    """One report: which notebook, with which parameters, written where."""

    soort: str  # wijk | aanbieder | stad | gemeente | regio
    code: str
    naam: str
    slug: str
    notebook: Path
    parameters: dict = field(hash=False)
    map: Path  # uitvoer/<periode>/<soort>/
    bundel: Path  # uitvoer/_static/<vega bundle>.js, shared by every report of the folder
    kort: bool = False  # a short report: the wijk has (almost) no inhabitants

    @property
    def ipynb(self) -> Path:
        return self.map / f"{self.slug}.ipynb"

    @property
    def html(self) -> Path:
        return self.map / f"{self.slug}.html"

    @property
    def bundel_url(self) -> str:
        """The bundle relative to the report, so the folder can be moved or zipped whole."""
        return Path(os.path.relpath(self.bundel, self.map)).as_posix()

    @property
    def titel(self) -> str:
        return TITELS[self.soort] + f": {self.naam}"


def maak_plan(g: Gegevens, per: str, periode: Kwartaal, uitvoer: Path, notebooks: Path, privacy: str,
              alleen: list[str] | None = None, gemeente: str = "de gemeente", wet: str | None = None) -> list[Taak]:
    """The tasks of a batch. Names in `alleen` must be known wijken/aanbieders (name or code).

    `wet` (jeugd or wmo) makes every report about that wet only, into its own folder; None: both.
    `--per alle` includes the deep dive (verdieping) over all quarters up to `periode`.
    """
    if per not in PER_KEUZES:
        raise ParameterFout(f"Onbekende keuze --per {per}. Kies uit: {', '.join(PER_KEUZES)}.")
    if per in ("gemeente", "regio") and not g.is_regio:
        raise ParameterFout(f"--per {per} is voor gegevens van een regio (meer dan één gemeente); deze gegevens gaan "
                            f"over één gemeente. Gebruik --per stad.")
    heel = "regio" if g.is_regio else "stad"
    soorten = (["wijk", "aanbieder"] + (["gemeente"] if g.is_regio else []) + [heel]
               + (["verdieping"] if (notebooks / NOTEBOOK["verdieping"]).is_file() else [])) if per == "alle" else [per]
    for soort in soorten:
        if not (notebooks / NOTEBOOK[soort]).is_file():
            raise ParameterFout(f"Het notebook {notebooks / NOTEBOOK[soort]} ontbreekt. Geef met --notebooks de "
                                f"map met {', '.join(NOTEBOOK[s] for s in soorten)}.")
    kandidaten: dict[str, list[tuple[str, str]]] = {
        "wijk": list(g.wijknamen.items()),
        "aanbieder": list(g.aanbiedernamen.items()),
        "gemeente": list(g.gemeentenamen.items()),
        "stad": [("stad", gemeente)],
        "regio": [("stad", gemeente)],
        "verdieping": [("stad", gemeente)],
    }
    gekozen: dict[str, set[str]] | None = None
    if alleen:
        gekozen = {s: set() for s in soorten}
        for naam in alleen:
            gevonden = []
            for soort, zoek in (("wijk", g.wijk), ("aanbieder", g.aanbieder), ("gemeente", g.gemeente_zoek)):
                if soort in soorten:
                    try:
                        gevonden.append((soort, zoek(naam)))
                    except ParameterFout:
                        pass
            for s in HEEL:
                if s in soorten and naam.strip().casefold() in (s, gemeente.casefold()):
                    gevonden.append((s, "stad"))
            if not gevonden:
                geldig = "; ".join(f"{n} ({c})" for s in soorten if s not in HEEL for c, n in kandidaten[s])
                raise ParameterFout(f"'{naam}' is geen bekende {' of '.join(s for s in soorten if s not in HEEL)}. "
                                    f"Geldige waarden: {geldig}.")
            for soort, code in gevonden:
                gekozen[soort].add(code)
    bundel = uitvoer / MAP / bestandsnaam()
    weinig = g.weinig_inwoners(periode.jaar) if (notebooks / KORT).is_file() else {}
    taken = []
    gebruikt: set[tuple[str, str]] = set()
    for soort in soorten:
        for code, naam in kandidaten[soort]:
            if gekozen is not None and code not in gekozen[soort]:
                continue
            kort = soort == "wijk" and code in weinig
            s = slug(naam)
            if (soort, s) in gebruikt:  # two names with the same slug: add the code
                s = f"{s}-{slug(code)}"
            gebruikt.add((soort, s))
            parameters = {"periode": str(periode), "data": str(g.map.resolve()), "privacy": privacy}
            if soort == "verdieping":  # all quarters up to the chosen one
                parameters = {"tot": str(periode), "data": parameters["data"], "privacy": privacy}
            if wet and not kort:
                parameters["wet"] = wet
            if soort not in HEEL:
                parameters[soort] = code
            taken.append(Taak(soort, code, naam, s, notebooks / (KORT if kort else NOTEBOOK[soort]), parameters,
                              uitvoer / map_naam(periode, wet) / soort, bundel, kort))
    return taken
