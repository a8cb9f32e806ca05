"""Settings a municipality sets once.

Order of precedence (later wins): built-in defaults, `duiding.toml` in the working
folder, environment variables (DUIDING_*), command-line flags.

    # duiding.toml
    gemeente = "Utrecht"
    data = "/pad/naar/gegevens"
    opslag = "sqlite:////pad/naar/duidingen.db"
    wachttijd_norm_dagen = 42
    privacy = "intern"
    geojson = "/pad/naar/wijken.geojson"
    overgang_dagen = 90
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from .exceptions import InstellingenFout

KIT_MAP = Path(__file__).resolve().parents[2]
VOORBEELD_MAP = KIT_MAP / "data" / "sample"
PRIVACY_NIVEAUS = ("openbaar", "intern", "geen")


@dataclass(frozen=True)
class Instellingen:
    gemeente: str = "Utrecht"
    data: Path = field(default=VOORBEELD_MAP)
    opslag: str | None = None
    wachttijd_norm_dagen: int = 42
    privacy: str = "intern"
    geojson: Path | None = None
    overgang_dagen: int = 90

    def met(self, **wijzigingen) -> "Instellingen":
        """A copy with the given (non-None) values replaced, validated."""
        schoon = {k: v for k, v in wijzigingen.items() if v is not None}
        return _controleer(replace(self, **_omzetten(schoon, "opdrachtregel")))


_OMGEVING = {
    "gemeente": "DUIDING_GEMEENTE",
    "data": "DUIDING_DATA",
    "opslag": "DUIDING_OPSLAG",
    "wachttijd_norm_dagen": "DUIDING_NORM",
    "privacy": "DUIDING_PRIVACY",
    "geojson": "DUIDING_GEOJSON",
    "overgang_dagen": "DUIDING_OVERGANG_DAGEN",
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


def laad_instellingen(map: Path | None = None, omgeving: dict | None = None) -> Instellingen:
    """Read defaults, then duiding.toml in `map` (default: working folder), then env."""
    map = Path.cwd() if map is None else Path(map)
    omgeving = os.environ if omgeving is None else omgeving
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
        if "data" in waarden and not waarden["data"].is_absolute():
            waarden["data"] = (map / waarden["data"]).resolve()
        inst = replace(inst, **waarden)
    uit_omgeving = {k: omgeving[v] for k, v in _OMGEVING.items() if omgeving.get(v)}
    inst = replace(inst, **_omzetten(uit_omgeving, "omgevingsvariabele"))
    return _controleer(inst)
