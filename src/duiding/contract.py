"""The data contract: which files, which columns, which values.

`docs/data.md` describes the same contract for users; this module is what the loader
and `duiding controleer` enforce.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from . import codes


@dataclass(frozen=True)
class Kolom:
    naam: str
    type: str  # the value type: tekst | code | geheel | bedrag | datum
    leeg_mag: bool = False  # the value may be empty
    codes: Mapping[str, str] | None = None  # fixed code list (None: none or per wet)
    minimum: float | None = None
    maximum: float | None = None
    weglaten_mag: bool = False  # the whole column may be absent


@dataclass(frozen=True)
class Bestand:
    stam: str
    kolommen: tuple[Kolom, ...]
    verplicht: bool = True
    uniek: tuple[str, ...] = ()  # these columns together identify a row
    nodig_voor: str = ""  # Dutch: what is unavailable without this file
    melden: bool = True  # say so when this optional file is absent (not for files only a region needs)

    @property
    def namen(self) -> list[str]:
        return [k.naam for k in self.kolommen]

    def kolom(self, naam: str) -> Kolom:
        return next(k for k in self.kolommen if k.naam == naam)


JAAR = dict(minimum=2000, maximum=2100)
# a region's data carry the gemeente on wijken, aanbieders (where they are based), budget and realisatie
GEMEENTE = Kolom("gemeente_code", "tekst", leeg_mag=True, weglaten_mag=True)
# positions: RD New in metres (as CBS and PDOK publish) or WGS84 degrees
RD_X = dict(minimum=-7_000, maximum=300_000)
RD_Y = dict(minimum=289_000, maximum=629_000)
POSITIE = (Kolom("x", "bedrag", leeg_mag=True, weglaten_mag=True, **RD_X),
           Kolom("y", "bedrag", leeg_mag=True, weglaten_mag=True, **RD_Y),
           Kolom("lat", "bedrag", leeg_mag=True, weglaten_mag=True, minimum=50.5, maximum=53.8),
           Kolom("lon", "bedrag", leeg_mag=True, weglaten_mag=True, minimum=3.2, maximum=7.3))

CONTRACT: dict[str, Bestand] = {
    b.stam: b
    for b in (
        Bestand(
            "aanbieders",
            (
                Kolom("aanbieder_id", "tekst"),
                Kolom("naam", "tekst"),
                Kolom("soort", "code", codes=codes.SOORTEN),
                Kolom("wet", "code", codes=codes.AANBIEDER_WETTEN),
                GEMEENTE,  # where the aanbieder is based; empty: outside the region
                # the name on a crowded chart (empty or absent: derived from naam, see Gegevens.kortenamen)
                Kolom("korte_naam", "tekst", leeg_mag=True, weglaten_mag=True),
            ),
            uniek=("aanbieder_id",),
        ),
        Bestand(
            "wijken",
            (
                Kolom("wijk_code", "tekst"),
                Kolom("naam", "tekst"),
                Kolom("tegel_rij", "geheel", leeg_mag=True, minimum=0, maximum=50, weglaten_mag=True),
                Kolom("tegel_kolom", "geheel", leeg_mag=True, minimum=0, maximum=50, weglaten_mag=True),
                GEMEENTE,  # empty or absent: from the CBS wijk code (WK + the gemeente's 4 digits)
                *POSITIE,  # the wijk's centre, for nabijheid
            ),
            uniek=("wijk_code",),
        ),
        Bestand(
            "trajecten",
            (
                Kolom("traject_id", "tekst"),
                Kolom("client_id", "tekst"),
                Kolom("wet", "code", codes=codes.WETTEN),
                Kolom("aanbieder_id", "tekst"),
                Kolom("productcategorie", "code"),
                Kolom("wijk_code", "tekst", leeg_mag=True),  # empty: no wijk known; counted for the gemeente only
                Kolom("verwijzer", "code", leeg_mag=True, codes=codes.VERWIJZER),
                Kolom("aanmelddatum", "datum", leeg_mag=True),
                Kolom("startdatum", "datum"),
                Kolom("einddatum", "datum", leeg_mag=True),
                Kolom("reden_beeindiging", "code", leeg_mag=True),
                Kolom("geboortejaar", "geheel", minimum=1900, maximum=2100),
            ),
            uniek=("traject_id",),
        ),
        Bestand(
            "bevolking",
            (
                Kolom("jaar", "geheel", **JAAR),
                Kolom("wijk_code", "tekst"),
                Kolom("leeftijdsgroep", "code", codes={g: g for g in codes.LEEFTIJDSGROEPEN}),
                Kolom("aantal", "geheel", minimum=0),
            ),
            verplicht=False,
            uniek=("jaar", "wijk_code", "leeftijdsgroep"),
            nodig_voor="het bereik per 1000 inwoners",
        ),
        Bestand(
            "ervaringen",
            (
                Kolom("respons_id", "tekst"),
                Kolom("aanbieder_id", "tekst"),
                Kolom("wijk_code", "tekst", leeg_mag=True),
                Kolom("datum", "datum"),
                Kolom("thema", "code", codes=codes.THEMAS),
                Kolom("score", "geheel", minimum=1, maximum=5),
            ),
            verplicht=False,
            uniek=("respons_id",),
            nodig_voor="de indicator ervaringen",
        ),
        Bestand(
            "budget",
            (
                Kolom("jaar", "geheel", **JAAR),
                Kolom("aanbieder_id", "tekst"),
                GEMEENTE,  # a region: the budget of one gemeente with this aanbieder
                Kolom("budget_eur", "bedrag", minimum=0),
                Kolom("afgesproken_clienten", "geheel", minimum=0),
            ),
            verplicht=False,
            uniek=("jaar", "aanbieder_id", "gemeente_code"),
            nodig_voor="de indicator budget (het vierkant)",
        ),
        Bestand(
            "realisatie",
            (
                Kolom("jaar", "geheel", **JAAR),
                Kolom("kwartaal", "geheel", minimum=1, maximum=4),
                Kolom("aanbieder_id", "tekst"),
                GEMEENTE,  # a region: the costs for one gemeente
                Kolom("kosten_eur", "bedrag", minimum=0),
            ),
            verplicht=False,
            uniek=("jaar", "kwartaal", "aanbieder_id", "gemeente_code"),
            nodig_voor="de indicator budget (het vierkant)",
        ),
        Bestand(
            "gemeenten",
            (
                Kolom("gemeente_code", "tekst"),
                Kolom("naam", "tekst"),
            ),
            verplicht=False,
            melden=False,
            uniek=("gemeente_code",),
            nodig_voor="de namen van de gemeenten van een regio",
        ),
        Bestand(
            "locaties",
            (
                Kolom("aanbieder_id", "tekst"),
                Kolom("naam", "tekst", leeg_mag=True, weglaten_mag=True),
                *POSITIE,
                Kolom("postcode", "tekst", leeg_mag=True, weglaten_mag=True),
                Kolom("wijk_code", "tekst", leeg_mag=True, weglaten_mag=True),
            ),
            verplicht=False,
            melden=False,
            nodig_voor="nabijheid: hoe dicht bij huis cliënten geholpen worden",
        ),
        Bestand(
            "postcodes",
            (
                Kolom("postcode", "tekst"),
                *POSITIE,
            ),
            verplicht=False,
            melden=False,
            uniek=("postcode",),
            nodig_voor="de ligging van aanbiederslocaties die alleen een postcode hebben",
        ),
    )
}

CONTRACT["wachttijden"] = Bestand(
    "wachttijden",
    (
        Kolom("aanbieder_id", "tekst"),
        Kolom("productcategorie", "code", leeg_mag=True, weglaten_mag=True),
        Kolom("product", "tekst", leeg_mag=True, weglaten_mag=True),
        Kolom("periode", "tekst"),
        Kolom("weken_tot_intake", "bedrag", leeg_mag=True, minimum=0, maximum=520),
        Kolom("weken_tot_start", "bedrag", leeg_mag=True, minimum=0, maximum=520),
        Kolom("bron", "tekst", leeg_mag=True, weglaten_mag=True),
    ),
    verplicht=False,
    uniek=("aanbieder_id", "productcategorie", "product", "periode"),
    nodig_voor="het overzicht van door aanbieders gemelde wachttijden",
)

# Code lists with readable names, for messages.
CODELIJST_NAAM = {
    "wet": "wet (jeugd of wmo)",
    "soort": "soort (basiszorg of aanvullend)",
    "verwijzer": "verwijzer (COD327)",
    "thema": "thema",
    "leeftijdsgroep": "leeftijdsgroep",
}
