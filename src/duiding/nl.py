"""Dutch formats for everything a user reads: 1.234,5 · 12,3% · 3 mrt 2024 · 14:32.

Charts get the same formats from the Vega locale in `duiding.grafieken.thema`;
this module is for text built in Python (sentences, tables, 'Wat valt op').
"""

from __future__ import annotations

import math
from datetime import date, datetime

MAANDEN_KORT = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
MAANDEN = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
           "oktober", "november", "december"]


def getal(x: float | None, decimalen: int = 0) -> str:
    """1234.5 -> '1.234,5' (thousands '.', decimal ','); None/NaN -> ''."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    tekst = f"{x:,.{decimalen}f}"
    return tekst.replace(",", "\0").replace(".", ",").replace("\0", ".")


def procent(x: float | None, decimalen: int = 1) -> str:
    """12.34 -> '12,3%'."""
    tekst = getal(x, decimalen)
    return f"{tekst}%" if tekst else ""


def euro(x: float | None) -> str:
    """1234567 -> '€ 1.234.567'."""
    tekst = getal(x, 0)
    return f"€ {tekst}" if tekst else ""


def datum(d: date | datetime) -> str:
    """date(2024, 3, 3) -> '3 mrt 2024'."""
    return f"{d.day} {MAANDEN_KORT[d.month - 1]} {d.year}"


def tijd(d: datetime) -> str:
    """datetime(..., 14, 32) -> '14:32'."""
    return f"{d.hour:02d}:{d.minute:02d}"


def opsomming(delen: list[str]) -> str:
    """['a', 'b', 'c'] -> 'a, b en c'."""
    delen = [d for d in delen if d]
    if len(delen) <= 1:
        return "".join(delen)
    return ", ".join(delen[:-1]) + " en " + delen[-1]


def lokaal(utc: datetime) -> datetime:
    """A stored UTC time (naive) as Dutch local time (Europe/Amsterdam, summer time included)."""
    from datetime import timezone
    from zoneinfo import ZoneInfo

    if utc.tzinfo is None:
        utc = utc.replace(tzinfo=timezone.utc)
    return utc.astimezone(ZoneInfo("Europe/Amsterdam"))


def moment(utc: datetime) -> str:
    """A stored UTC time as '3 mrt 2024 14:32', Dutch local time."""
    d = lokaal(utc)
    return f"{datum(d)} {tijd(d)}"


def nu() -> datetime:
    """Now, in Dutch local time (whatever the machine's time zone)."""
    from datetime import timezone
    return lokaal(datetime.now(timezone.utc))
