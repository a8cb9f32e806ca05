"""The four stelselindicatoren and the deep-dive analyses.

`bereken(g, indicator, per, perioden)` is the one entry point: it looks the indicator
up in `REGISTER` and returns its raw long table (see `_basis.KOLOMMEN`). Raw tables
are for `duiding.privacy.beveilig`, which every published table passes through.
"""

from __future__ import annotations

from typing import Callable

import pandas as pd

from ..exceptions import ParameterFout
from ..gegevens import Gegevens
from ..periode import Kwartaal
from .bereik import bereik
from .budget import budget
from .ervaringen import ervaringen, wilson
from .verdieping import overgangen, verdieping
from .wachttijd import wachttijd

REGISTER: dict[str, Callable[..., pd.DataFrame]] = {
    "bereik": bereik,
    "wachttijd": wachttijd,
    "ervaringen": ervaringen,
    "budget": budget,
    "overgangen": overgangen,
    "verdieping": verdieping,
}


def bereken(g: Gegevens, indicator: str, per: str, perioden: list[Kwartaal], wet: str | None = None,
            **opties) -> pd.DataFrame:
    """The raw long table of one indicator (not yet privacy-protected)."""
    try:
        functie = REGISTER[indicator]
    except KeyError:
        raise ParameterFout(f"Onbekende indicator '{indicator}'. Kies uit: {', '.join(REGISTER)}.") from None
    return functie(g, per, list(perioden), wet=wet, **opties)


__all__ = ["REGISTER", "bereken", "bereik", "wachttijd", "ervaringen", "budget",
           "overgangen", "verdieping", "wilson"]
