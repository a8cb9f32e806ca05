"""Where the duidingen live: sessions, versioned duidingen and actions (see `store`).

`Opslag` (and with it SQLAlchemy) is loaded on first use: a report asks only whether a
store exists (`bestaat`), and most reports of an analyst without sessions never open one.
"""

from importlib import import_module

from .adres import als_url, bestaat
from .modellen import Actie, Deelnemer, Duiding, Herkomst, Sessie
from .velden import SECTIES, VELDEN

__all__ = ["Opslag", "Sessie", "Duiding", "Actie", "Deelnemer", "Herkomst", "als_url", "bestaat", "opslag_voor",
           "SECTIES", "VELDEN"]

_OPEN: dict = {}


def __getattr__(naam: str):
    if naam == "Opslag":
        return import_module(f"{__name__}.store").Opslag
    raise AttributeError(f"module {__name__!r} has no attribute {naam!r}")


def opslag_voor(url: str | None):
    """One open store per URL per process: a warm kernel runs many notebooks on it."""
    sleutel = als_url(url)
    if sleutel not in _OPEN:
        _OPEN[sleutel] = __getattr__("Opslag")(sleutel)
    return _OPEN[sleutel]
