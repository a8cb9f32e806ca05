"""Charts of the indicators (Altair): tidy published table in, composable chart out.

Importing this package registers the kit's theme and renderer (`thema`); a notebook enables
them with `thema.gebruik()`, other code briefly with `with thema.actief():`.
Every chart function takes a privacy-protected table from `duiding.cijfers` and a
`Kader` (where, source, privacy level), and returns a chart with a Dutch title,
units, the source line, hidden values drawn as grey labels and a one-sentence text
alternative (`tekstalternatief` adds the table behind it).
"""

from .thema import registreer

registreer()

from . import bereik, budget, ervaringen, kaart, verdieping, wachttijd  # noqa: E402
from .basis import Kader, bewaar, naast, tabel_van, tekstalternatief  # noqa: E402

__all__ = ["Kader", "bewaar", "naast", "tabel_van", "tekstalternatief", "bereik", "wachttijd", "ervaringen",
           "budget", "verdieping", "kaart", "registreer"]
