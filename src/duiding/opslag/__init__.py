"""Where the duidingen live: sessions, versioned duidingen and actions (see `store`)."""

from .store import Actie, Deelnemer, Duiding, Herkomst, Opslag, Sessie, als_url
from .velden import SECTIES, VELDEN

__all__ = ["Opslag", "Sessie", "Duiding", "Actie", "Deelnemer", "Herkomst", "als_url", "SECTIES", "VELDEN"]
