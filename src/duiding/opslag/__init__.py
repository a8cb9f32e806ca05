"""Where the duidingen live: sessions, versioned duidingen and actions (see `store`)."""

from .modellen import Actie, Deelnemer, Duiding, Herkomst, Sessie
from .store import Opslag, als_url
from .velden import SECTIES, VELDEN

__all__ = ["Opslag", "Sessie", "Duiding", "Actie", "Deelnemer", "Herkomst", "als_url", "opslag_voor", "SECTIES",
           "VELDEN"]

_OPEN: dict[str, Opslag] = {}


def opslag_voor(url: str | None) -> Opslag:
    """One open store per URL per process: a warm kernel runs many notebooks on it."""
    sleutel = als_url(url)
    if sleutel not in _OPEN:
        _OPEN[sleutel] = Opslag(sleutel)
    return _OPEN[sleutel]
