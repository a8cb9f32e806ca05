"""Calendar quarters ("kwartalen"): parsing, bounds and ranges.

Accepted spellings: 2024-Q4, 2024-K4, 2024KW04 (and the same without dash or in lower
case). The canonical spelling, used in every output, is 2024-Q4.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from .exceptions import PeriodeFout

_PATROON = re.compile(r"^\s*(\d{4})\s*-?\s*(?:Q|K|KW)\s*0?([1-4])\s*$", re.IGNORECASE)
VOORBEELD = "2024-Q4, 2024-K4 of 2024KW04"


@dataclass(frozen=True, order=True)
class Kwartaal:
    jaar: int
    kwartaal: int

    @classmethod
    def parse(cls, tekst: "str | Kwartaal") -> "Kwartaal":
        if isinstance(tekst, Kwartaal):
            return tekst
        m = _PATROON.match(str(tekst))
        if not m:
            raise PeriodeFout(
                f"'{tekst}' is geen geldige periode. Schrijf een kwartaal als {VOORBEELD}."
            )
        return cls(int(m.group(1)), int(m.group(2)))

    @classmethod
    def van_datum(cls, d: date) -> "Kwartaal":
        return cls(d.year, (d.month - 1) // 3 + 1)

    @property
    def begin(self) -> date:
        return date(self.jaar, 3 * self.kwartaal - 2, 1)

    @property
    def eind(self) -> date:
        return self.volgende().begin - timedelta(days=1)

    @property
    def index(self) -> int:
        """A running number: consecutive quarters differ by one."""
        return self.jaar * 4 + self.kwartaal - 1

    @classmethod
    def van_index(cls, i: int) -> "Kwartaal":
        return cls(i // 4, i % 4 + 1)

    def volgende(self, n: int = 1) -> "Kwartaal":
        return Kwartaal.van_index(self.index + n)

    def vorige(self, n: int = 1) -> "Kwartaal":
        return Kwartaal.van_index(self.index - n)

    def __str__(self) -> str:
        return f"{self.jaar}-Q{self.kwartaal}"

    @property
    def label(self) -> str:
        """How a person reads a quarter, everywhere: '2024 K4' (titles, axes, tables, forms, links).

        `str()` stays '2024-Q4': the machine spelling of folder names, parameters and the store.
        """
        return f"{self.jaar} K{self.kwartaal}"


def reeks(van: "str | Kwartaal", tot: "str | Kwartaal") -> list[Kwartaal]:
    """All quarters from van to tot, inclusive."""
    a, b = Kwartaal.parse(van), Kwartaal.parse(tot)
    if b < a:
        raise PeriodeFout(f"De periode loopt achteruit: {a} ligt na {b}. Zet --van vóór --tot.")
    return [Kwartaal.van_index(i) for i in range(a.index, b.index + 1)]


def leesbaar(periode: "str | Kwartaal") -> str:
    """'2024-Q4' -> '2024 K4', and a span 'A t/m B' the same way; other text unchanged."""
    tekst = str(periode)
    if " t/m " in tekst:
        return " t/m ".join(leesbaar(d) for d in tekst.split(" t/m "))
    try:
        return Kwartaal.parse(tekst).label
    except PeriodeFout:
        return tekst
