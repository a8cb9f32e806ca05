"""Large CSV files through Arrow's parallel reader, their date columns typed while reading.

Used by `iorw.lees_ruw` for national files; any value that is not a plain ISO date sends
the file back to the text path, where `controle` tells what is wrong in which row.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv


def kolomnaam(naam: str) -> str:
    """A header as the contract spells it: trimmed, without byte-order mark, lower case."""
    return str(naam).strip().lstrip("\ufeff").strip().lower()


def als_tijdstempel(d: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray | None:
    """Dates (date32) as the kit's timestamps, or None when one lies outside 1900-2100.

    The text path calls such a date impossible and names its row; a fast path that meets
    one hands the column back to it.
    """
    grenzen = pc.min_max(d)
    laag, hoog = grenzen["min"].as_py(), grenzen["max"].as_py()
    if laag is not None and (laag.year < 1900 or hoog.year > 2100):
        return None
    return pc.cast(d, pa.timestamp("ns"))


def lees_met_datums(pad: Path, kop: str, teken: str, datums: tuple[str, ...]) -> pd.DataFrame | None:
    """A large CSV with its date columns typed while reading; None when any date is not plainly valid."""
    namen = next(csv.reader([kop.lstrip("\ufeff")], delimiter=teken))
    typen = {n: pa.date32() if kolomnaam(n) in datums else pa.large_string() for n in namen}
    if len(typen) != len(namen) or not any(t == pa.date32() for t in typen.values()):
        return None  # a repeated column name, or no date column: the plain reading tells
    try:
        tabel = pacsv.read_csv(pad, parse_options=pacsv.ParseOptions(delimiter=teken, quote_char='"'),
                               convert_options=pacsv.ConvertOptions(
                                   column_types=typen, null_values=[""], strings_can_be_null=False,
                                   quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, OSError):
        return None
    for n, t in typen.items():
        if t == pa.date32():
            tijd = als_tijdstempel(tabel[n])
            if tijd is None:
                return None  # told as impossible dates by the text path
            tabel = tabel.set_column(tabel.schema.get_field_index(n), n, tijd)
    df = tabel.to_pandas()
    df.columns = [kolomnaam(k) for k in df.columns]
    return df
