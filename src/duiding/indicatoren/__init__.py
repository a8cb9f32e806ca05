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
from .nabijheid import nabijheid
from .resultaat import resultaat
from .solidariteit import solidariteit
from .verdieping import overgangen, verdieping
from .wachttijd import wachttijd

REGISTER: dict[str, Callable[..., pd.DataFrame]] = {
    "bereik": bereik,
    "wachttijd": wachttijd,
    "ervaringen": ervaringen,
    "budget": budget,
    "overgangen": overgangen,
    "verdieping": verdieping,
    # a region of gemeenten (docs/regio.md)
    "solidariteit": solidariteit,
    "resultaat": resultaat,
    "nabijheid": nabijheid,
}


def bereken(g: Gegevens, indicator: str, per: str, perioden: list[Kwartaal], wet: str | None = None,
            **opties) -> pd.DataFrame:
    """The raw long table of one indicator (not yet privacy-protected).

    `per="regio"` is the total of every gemeente in the data (the rows named 'stad'),
    the same as `per="stad"` for data of one gemeente.
    """
    try:
        functie = REGISTER[indicator]
    except KeyError:
        raise ParameterFout(f"Onbekende indicator '{indicator}'. Kies uit: {', '.join(REGISTER)}.") from None
    uit = functie(g, "stad" if per == "regio" else per, list(perioden), wet=wet, **opties)
    if per == "regio":
        uit["per"] = "regio"
    return uit


__all__ = ["REGISTER", "bereken", "bereik", "wachttijd", "ervaringen", "budget",
           "overgangen", "verdieping", "solidariteit", "resultaat", "nabijheid", "wilson"]
