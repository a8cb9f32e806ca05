"""Tables held as Arrow and made pandas only as far as asked: a run's protected tables (`Tabel`) and the
large validated tables of `Gegevens` (`LuiVeld`).

`Tabel`: a protected table as a notebook run holds it, handed out whole or as the rows of a few groups.

A wijk's report needs, of a table for all wijken, the rows of its own wijk and of the city
(`TOTAAL`); an aanbieder's report also those of comparable aanbieders. On national data a
table for all wijken has up to two million rows. Selecting the few thousand a report needs
in Arrow, on the table mapped from the cache file, takes a few hundredths of a second;
turning the whole table into pandas and filtering it per chart took most of a first report.
The rows come out in the table's own order, so a chart sees exactly what filtering the whole
table would have given it.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


class Tabel:
    """One protected table (`cijfers`), kept as Arrow; pandas is made of what is asked for."""

    def __init__(self, bron: pa.Table):
        self.bron = bron
        self._heel: pd.DataFrame | None = None
        self._deel: tuple[tuple[str, ...], pd.DataFrame] | None = None  # the last selection: a report asks it often

    def heel(self) -> pd.DataFrame:
        """Every row (a city's or a region's report, a map of all wijken)."""
        if self._heel is None:
            self._heel = self.bron.to_pandas()
        return self._heel

    def van(self, groepen: Iterable[str]) -> pd.DataFrame:
        """The rows of these groups, in the table's order."""
        sleutel = tuple(sorted(set(groepen)))
        if self._heel is not None:  # already in pandas: filter there
            return self._heel[self._heel["groep"].isin(sleutel)]
        if self._deel is None or self._deel[0] != sleutel:
            kolom = self.bron.column("groep")
            masker = pc.is_in(kolom, value_set=pa.array(sleutel, type=kolom.type))
            self._deel = (sleutel, self.bron.filter(masker).to_pandas())
        return self._deel[1]


class LuiVeld:
    """A table field given as an Arrow table (mapped from the cache) and made pandas on first use.

    A report whose protected tables are all cached never touches the national trajecten
    (five million rows, a quarter of a second to convert) or the answers of every survey.
    """

    def __set_name__(self, owner, naam: str) -> None:
        self.plek = f"_{naam}"

    def __get__(self, obj, owner=None) -> pd.DataFrame:
        if obj is None:
            raise AttributeError(self.plek[1:])  # a required field: no default
        waarde = obj.__dict__[self.plek]
        if isinstance(waarde, pa.Table):
            waarde = obj.__dict__[self.plek] = waarde.to_pandas()
        return waarde

    def __set__(self, obj, waarde) -> None:
        obj.__dict__[self.plek] = waarde

    @staticmethod
    def ruw(obj, naam: str):
        """The table as it is held: Arrow until something asked for pandas."""
        return obj.__dict__[f"_{naam}"]


def onthouden(obj, naam: str, bronnen: tuple, maak):
    """A mapping derived from an object's tables, made once per set of table objects; each caller gets its
    own copy (`Gegevens.is_regio` and the gemeente names: a dozen questions per report, 14 ms each on the
    3.300 wijken of the land set). Replacing one of the tables makes it anew."""
    memo = obj.__dict__.setdefault("_memo", {})
    sleutel = tuple(id(b) for b in bronnen)
    if naam not in memo or memo[naam][0] != sleutel:
        memo[naam] = (sleutel, maak(), bronnen)  # the tables kept, so their ids stay theirs
    return dict(memo[naam][1])
