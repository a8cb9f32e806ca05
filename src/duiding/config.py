"""Settings a municipality sets once.

Order of precedence (later wins): built-in defaults, `duiding.toml` in the working
folder, environment variables (DUIDING_*), command-line flags.

    # duiding.toml
    gemeente = "Utrecht"                   # default: from the data
    regio = "Regio Kustwaard"              # data of several gemeenten: the region's name
    leidende_principes = ["Leefwereld centraal", "Doen wat nodig is", ...]
    kaders = "blijven we binnen budget en afspraken?"
    data = "/pad/naar/gegevens"
    opslag = "sqlite:////pad/naar/duidingen.db"
    wachttijd_norm_dagen = 42
    privacy = "intern"
    geojson = "/pad/naar/wijken.geojson"
    overgang_dagen = 90
    nabijheid_km = [5, 15]                 # "dichtbij huis": binnen deze afstanden
"""

from __future__ import annotations

import os
import tomllib
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from .codes import LEIDENDE_PRINCIPES
from .exceptions import InstellingenFout

from .paths import VOORBEELD as VOORBEELD_MAP, met_omgeving
from .koppeling import lees
PRIVACY_NIVEAUS = ("openbaar", "intern", "geen")
PUBLICEERBAAR = PRIVACY_NIVEAUS[:2]  # what a report or verslag may be made at ("geen" is for analysis only)


# the default leidende principes are Utrecht's (codes.py); a gemeente sets its own in
# duiding.toml (`leidende_principes = [...]`)
KADERS = "blijven we binnen budget en afspraken?"


@dataclass(frozen=True)
class Instellingen:
    gemeente: str | None = None  # None: from the data (bron.toml, the CBS export, the wijk codes)
    regio: str | None = None  # a region's name, when the data hold several gemeenten (None: bron.toml)
    data: Path = field(default=VOORBEELD_MAP)
    opslag: str | None = None
    wachttijd_norm_dagen: int = 42
    privacy: str = "intern"
    geojson: Path | None = None
    overgang_dagen: int = 90
    leidende_principes: tuple[str, ...] = LEIDENDE_PRINCIPES
    kaders: str = KADERS
    koppeling: dict = field(default_factory=dict)  # contract table -> koppeling.Koppeling
    reflectievragen: tuple[tuple[str, str], ...] = ()  # (vraag, uitleg); empty: the kit's own (notebook.py)
    pseudoniem_geheim: str | None = field(default=None, repr=False)  # HMAC key for BSNs in i-berichten
    nabijheid_km: tuple[float, ...] = (5.0, 15.0)  # "close to home": these distances in km (nabijheid)

    def gemeente_voor(self, g) -> str:
        """The name of the whole the data cover: the gemeente (this setting, else what the data say), or
        for data of several gemeenten the region (setting `regio`, else bron.toml)."""
        if getattr(g, "is_regio", False):
            return self.regio or g.gemeente
        return self.gemeente or g.gemeente

    def met(self, **wijzigingen) -> "Instellingen":
        """A copy with the given (non-None) values replaced, validated."""
        schoon = {k: v for k, v in wijzigingen.items() if v is not None}
        return _controleer(replace(self, **_omzetten(schoon, "opdrachtregel")))


_OMGEVING = {
    "gemeente": "DUIDING_GEMEENTE",
    "regio": "DUIDING_REGIO",
    "data": "DUIDING_DATA",
    "opslag": "DUIDING_OPSLAG",
    "wachttijd_norm_dagen": "DUIDING_NORM",
    "privacy": "DUIDING_PRIVACY",
    "geojson": "DUIDING_GEOJSON",
    "overgang_dagen": "DUIDING_OVERGANG_DAGEN",
    "kaders": "DUIDING_KADERS",
    "pseudoniem_geheim": "DUIDING_PSEUDONIEM_GEHEIM",
}


def _omzetten(waarden: dict, bron: str) -> dict:
    namen = {f.name for f in fields(Instellingen)}
    uit = {}
    for sleutel, waarde in waarden.items():
        if sleutel not in namen:
            raise InstellingenFout(
                f"{bron}: onbekende instelling '{sleutel}'. "
                f"Toegestaan zijn: {', '.join(sorted(namen))}."
            )
        if sleutel in ("data", "geojson"):
            waarde = Path(waarde).expanduser()
        elif sleutel in ("wachttijd_norm_dagen", "overgang_dagen"):
            try:
                waarde = int(waarde)
            except (TypeError, ValueError):
                raise InstellingenFout(
                    f"{bron}: '{sleutel}' moet een geheel aantal dagen zijn, niet '{waarde}'."
                ) from None
        elif sleutel == "reflectievragen":
            if not isinstance(waarde, (list, tuple)) or not waarde or not all(
                    isinstance(v, (list, tuple)) and len(v) == 2 and all(isinstance(x, str) for x in v) for v in waarde):
                raise InstellingenFout(f"{bron}: 'reflectievragen' is een lijst van [vraag, uitleg], bijvoorbeeld "
                                       '[["Wat zien we?", "Welke beweging valt op?"]].')
            waarde = tuple((v.strip(), u.strip()) for v, u in waarde)
        elif sleutel == "nabijheid_km":
            lijst = waarde.replace(";", ",").split(",") if isinstance(waarde, str) else waarde
            try:
                waarde = tuple(sorted({float(str(x).replace(",", ".")) for x in lijst}))
            except (TypeError, ValueError):
                waarde = ()
            if not waarde or any(not 0 < x <= 500 for x in waarde):
                raise InstellingenFout(f"{bron}: 'nabijheid_km' is een lijst van afstanden in kilometers tussen 0 "
                                       f"en 500, bijvoorbeeld [5, 15].")
        elif sleutel == "koppeling":
            waarde = lees(waarde, bron)
        elif sleutel == "leidende_principes":
            if isinstance(waarde, str):
                waarde = waarde.split(";")
            if not isinstance(waarde, (list, tuple)) or not all(isinstance(p, str) for p in waarde):
                raise InstellingenFout(f"{bron}: 'leidende_principes' is een lijst van namen, bijvoorbeeld "
                                       f'["Dichtbij", "Eenvoud"].')
            waarde = tuple(p.strip() for p in waarde if p.strip())
            if not waarde or len(set(p.casefold() for p in waarde)) < len(waarde) or any(
                    ";" in p or len(p) > 100 for p in waarde):
                raise InstellingenFout(f"{bron}: 'leidende_principes' moet minstens één naam hebben, zonder "
                                       "dubbele namen, zonder ';' en elk hoogstens 100 tekens.")
        else:
            waarde = str(waarde)
        uit[sleutel] = waarde
    return uit


def _controleer(inst: Instellingen) -> Instellingen:
    if inst.privacy not in PRIVACY_NIVEAUS:
        raise InstellingenFout(
            f"Privacyniveau '{inst.privacy}' bestaat niet. Kies uit: openbaar, intern of geen."
        )
    for naam in ("wachttijd_norm_dagen", "overgang_dagen"):
        if getattr(inst, naam) <= 0:
            raise InstellingenFout(f"'{naam}' moet groter dan 0 zijn.")
    return inst


@contextmanager
def geef_door(map: Path | None = None):
    """While inside, every kernel and server started from here reads this folder's duiding.toml.

    They run in another working folder (the notebooks', the app's), so the folder travels
    in DUIDING_INSTELLINGEN; the previous state is restored on leaving.
    """
    map = Path.cwd() if map is None else Path(map)
    eigen = None
    if "DUIDING_INSTELLINGEN" not in os.environ and (map / "duiding.toml").is_file():
        eigen = str(map.resolve())
    with met_omgeving("DUIDING_INSTELLINGEN", eigen):
        yield


def laad_instellingen(map: Path | None = None, omgeving: dict | None = None) -> Instellingen:
    """Read defaults, then duiding.toml in `map`, then env.

    `map` defaults to DUIDING_INSTELLINGEN (the folder `duiding` was started in, handed
    down to every kernel and server it starts, whose working folder differs), else the
    working folder.
    """
    omgeving = os.environ if omgeving is None else omgeving
    if map is None:
        map = Path(omgeving.get("DUIDING_INSTELLINGEN") or Path.cwd())
    map = Path(map)
    inst = Instellingen()
    toml = map / "duiding.toml"
    if toml.exists():
        try:
            inhoud = tomllib.loads(toml.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as fout:
            raise InstellingenFout(
                f"{toml}: dit bestand is geen geldige TOML ({fout}). "
                "Herstel het of verwijder het om de standaardinstellingen te gebruiken."
            ) from None
        inhoud = inhoud.get("duiding", inhoud)
        waarden = _omzetten(inhoud, str(toml))
        for sleutel in ("data", "geojson"):  # relative to the folder of duiding.toml
            if waarden.get(sleutel) is not None and not waarden[sleutel].is_absolute():
                waarden[sleutel] = (map / waarden[sleutel]).resolve()
        inst = replace(inst, **waarden)
    uit_omgeving = {k: omgeving[v] for k, v in _OMGEVING.items() if omgeving.get(v)}
    inst = replace(inst, **_omzetten(uit_omgeving, "omgevingsvariabele"))
    return _controleer(inst)
