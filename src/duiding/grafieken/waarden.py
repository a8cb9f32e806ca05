"""The kit's Altair data transformer: a chart's rows as inline values, what Altair's default gives, quicker.

Altair turns a chart's DataFrame into `{"values": [...]}` by copying the frame, converting
every column with pandas, then `to_dict("records")`: some 20 ms for a frame of a few
hundred rows, a fifth of a report's time. The chart rows (`basis.rijen`) hold only text,
numbers, booleans and None, and for those columns the same values come from one pass over
each column. Any other column (dates, categories, nullable numbers, ...) goes through
Altair's own conversion, and the 5.000-row limit is Altair's. Registered and enabled with
the theme (`thema.gebruik`, `thema.actief`); tests/test_grafieken.py compares the specs
with Altair's default.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from altair.utils.data import limit_rows, to_values
from altair.vegalite.data import default_data_transformer

MAX_RIJEN = 5000  # Altair's default limit


def waarden(data, max_rows: int | None = MAX_RIJEN) -> dict:
    """Altair data transformer: DataFrame -> {"values": records}; anything else as Altair's default does."""
    if not isinstance(data, pd.DataFrame):
        return default_data_transformer(data, max_rows=max_rows)
    if max_rows is not None and len(data) > max_rows:
        limit_rows(data, max_rows=max_rows)  # raises Altair's MaxRowsError, with its advice
    kolommen = _kolommen(data)
    if kolommen is None:
        return to_values(data)
    namen = list(data.columns)
    return {"values": [dict(zip(namen, rij)) for rij in zip(*kolommen)] if namen else [{} for _ in range(len(data))]}


def _kolommen(df: pd.DataFrame) -> list[list] | None:
    """Each column as a list of JSON-ready Python values, as Altair's sanitising gives them; None for a
    frame this pass does not cover (non-text column names, a hierarchical index, other dtypes)."""
    if isinstance(df.index, pd.MultiIndex) or isinstance(df.columns, pd.MultiIndex):
        return None
    if not all(isinstance(n, str) for n in df.columns) or df.columns.has_duplicates:
        return None
    uit = []
    for i, dtype in enumerate(df.dtypes):
        col = df.iloc[:, i]
        naam = str(dtype)
        if naam == "object":
            leeg = col.isna().to_numpy()
            uit.append([None if l else _python(v) for v, l in zip(col.to_numpy(), leeg)])
        elif naam in ("string", "str"):
            leeg = col.isna().to_numpy()
            uit.append([None if l else v for v, l in zip(col.to_numpy(dtype=object), leeg)])
        elif not isinstance(dtype, np.dtype):  # pandas' own dtypes (nullable, category, ...): Altair's way
            return None
        elif dtype.kind in "biu":
            uit.append(col.to_numpy().tolist())
        elif dtype.kind == "f":
            uit.append([None if math.isnan(v) or math.isinf(v) else v for v in col.to_numpy().tolist()])
        else:
            return None
    return uit


def _python(v):
    """A value of an object column as `to_dict('records')` hands it over after Altair's sanitising."""
    if isinstance(v, np.ndarray):
        return v.tolist()
    if isinstance(v, np.generic):
        return v.item()
    return v
