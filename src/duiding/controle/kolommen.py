"""Typing the columns of a raw table: numbers (Dutch or not), dates, codes, with a message per bad value."""

from __future__ import annotations

import re
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..arrow_csv import als_tijdstempel
from ..nl import datum as nl_datum
from ..contract import CODELIJST_NAAM, Bestand
from ..iorw import RuweTabel
from ..periode import Kwartaal
from .rapport import Verzamelaar


BSN_KOLOM = re.compile(r"bsn|burger\W*_*\W*service|sofi\W*_*\W*(nummer|nr)", re.IGNORECASE)
# words the kit uses itself as a group: a wijk or aanbieder with such a code would be taken for the total
DATUM_ADVIES = "Schrijf datums als JJJJ-MM-DD (2024-03-31) of DD-MM-JJJJ (31-03-2024)."


# ---------------------------------------------------------------- Arrow helpers
# A national file holds millions of rows but few distinct codes: a rule is checked on the
# distinct values, and a mask over all rows is built only when some value breaks it.

VEEL = 200_000  # more distinct values than this: work row by row instead


def pijl(s: pd.Series) -> pa.ChunkedArray:
    """The Arrow data behind a text column, without a copy (the kit's text columns are Arrow-backed)."""
    eigen = getattr(s.array, "__arrow_array__", None)
    arr = eigen() if eigen is not None and isinstance(s.dtype, pd.StringDtype) else pa.array(s, from_pandas=True)
    return arr if isinstance(arr, pa.ChunkedArray) else pa.chunked_array([arr])


_CODERINGEN: dict[int, tuple[pa.ChunkedArray, pa.DictionaryArray]] = {}


def codering(s: pd.Series) -> pa.DictionaryArray:
    """A text column as distinct values and, per row, the index of its value.

    Several rules look at the same column; the encoding is kept for the last few columns
    (Arrow data never changes in place, and the entry holds its column, so an id is not reused).
    """
    arr = pijl(s)
    bewaard = _CODERINGEN.get(id(arr))
    if bewaard is not None and bewaard[0] is arr:
        return bewaard[1]
    uit = pc.dictionary_encode(arr).combine_chunks()
    if len(_CODERINGEN) >= 8:
        _CODERINGEN.pop(next(iter(_CODERINGEN)))
    _CODERINGEN[id(arr)] = (arr, uit)
    return uit


def vergeet_coderingen() -> None:
    _CODERINGEN.clear()


def oplopend(s: pd.Series) -> bool:
    """Whether every value is larger than the one before it: then none occurs twice.

    Exports are often sorted on their key; this tells it in one comparison of neighbours,
    where counting distinct values of millions of texts takes seconds.
    """
    arr = pijl(s).combine_chunks() if isinstance(s.dtype, pd.StringDtype) or s.dtype == object else None
    if arr is None or len(arr) < 2 or arr.null_count:
        return False
    return bool(pc.all(pc.greater(arr[1:], arr[:-1])).as_py())


def paren_van(df: pd.DataFrame, a: str, b: str) -> list[tuple]:
    """The distinct (a, b) pairs of two text columns: a handful, however many rows."""
    ia, ib = codering(df[a]), codering(df[b])
    na, nb = len(ia.dictionary), len(ib.dictionary)
    code = ia.indices.to_numpy(zero_copy_only=False).astype(np.int64) * nb + ib.indices.to_numpy(
        zero_copy_only=False)
    gezien = np.flatnonzero(np.bincount(code, minlength=na * nb))
    la, lb = ia.dictionary.to_pylist(), ib.dictionary.to_pylist()
    return [(la[i // nb], lb[i % nb]) for i in gezien]


def buiten(s: pd.Series, toegestaan) -> pd.Series:
    """Rows whose value is not among `toegestaan` (a missing value counts as not allowed)."""
    if not isinstance(s.dtype, pd.StringDtype):
        return ~s.isin(list(toegestaan))
    c = codering(s)
    if len(c.dictionary) > VEEL:
        return ~s.isin(list(toegestaan))
    toegestaan = set(toegestaan)
    fout = np.array([w not in toegestaan for w in c.dictionary.to_pylist()] + [True])  # last: a missing value
    if not fout.any():
        return pd.Series(False, index=s.index)
    index = c.indices.fill_null(len(c.dictionary)).to_numpy(zero_copy_only=False)
    return pd.Series(fout[index], index=s.index)


def per_waarde(s: pd.Series, f) -> pd.Series:
    """`s` with `f` applied to each distinct value (s itself when f changes none)."""
    if not isinstance(s.dtype, pd.StringDtype):
        return s.map(f)
    c = codering(s)
    if len(c.dictionary) > VEEL:
        return s.map(f)
    oud = c.dictionary.to_pylist()
    nieuw = [f(w) for w in oud]
    if nieuw == oud:
        return s
    waarden = pc.take(pa.array(nieuw, type=c.dictionary.type), c.indices)
    return pd.Series(waarden.to_pandas(), index=s.index).astype(s.dtype)


def _witruimte_mogelijk(arr: pa.ChunkedArray) -> bool:
    """Whether any value may have whitespace to strip: one scan of the bytes, no copy.

    Any byte up to 32 (space, tab, newline) or above 127 (a non-breaking space is two such
    bytes) answers yes; text without either has nothing to strip.
    """
    for deel in arr.chunks:
        data = deel.buffers()[2]
        if data is not None and data.size:
            b = np.frombuffer(data, dtype=np.uint8)
            if b.min() <= 32 or b.max() > 127:
                return True
    return False


def _als_tekst(s: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(s):
        return s.dt.strftime("%Y-%m-%d").fillna("")
    if pd.api.types.is_float_dtype(s):
        heel = s.dropna()
        if (heel == heel.round()).all():
            s = s.astype("Int64")
    if str(s.dtype) != "str" or s.hasnans:
        s = s.astype("string").fillna("").astype(str)
    return s.str.strip() if _witruimte_mogelijk(pijl(s)) else s


def _getal(tekst: pd.Series, nl: bool) -> pd.Series:
    arr = pa.array(tekst, type=pa.string(), from_pandas=True)
    gevuld = pc.not_equal(arr, "")
    try:  # whole numbers, the same in a Dutch and an English file: one strict Arrow cast
        heel = pc.cast(pc.if_else(gevuld, arr, pa.scalar(None, pa.string())), pa.int64())
        grenzen = pc.min_max(heel)
        if grenzen["min"].as_py() is None or max(-grenzen["min"].as_py(), grenzen["max"].as_py()) < 10 ** 15:
            return pd.Series(pc.cast(heel, pa.float64()).to_numpy(zero_copy_only=False), index=tekst.index)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    # the usual case: plain whole numbers (or decimals with a point in a ','-separated file), read in Arrow
    vorm = r"^-?\d{1,15}$" if nl else r"^-?\d{1,15}(\.\d+)?$"
    if pc.all(pc.or_(pc.invert(gevuld), pc.match_substring_regex(arr, vorm))).as_py():
        getal = pc.cast(pc.if_else(gevuld, arr, pa.scalar(None, pa.string())), pa.float64())
        return pd.Series(getal.to_numpy(zero_copy_only=False), index=tekst.index)
    t = tekst.str.replace("€", "", regex=False).str.replace(" ", "", regex=False)
    komma = t.str.contains(",", regex=False)
    if komma.any():
        t = t.where(~komma, t.str.replace(".", "", regex=False).str.replace(",", ".", regex=False))
    if nl:  # a ';'-separated (Dutch) file: 1.234.567 is a thousands-separated number
        duizend = t.str.fullmatch(r"-?\d{1,3}(\.\d{3})+")
        if duizend.any():
            t = t.where(~duizend, t.str.replace(".", "", regex=False))
    return pd.to_numeric(t.where(t != ""), errors="coerce")


def _datum(tekst: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Parse dates; return (dates, impossible mask, unreadable mask).

    The usual case, a well-formed ISO date between 1900 and 2100, is parsed in Arrow, and
    its day and month are compared with the text (Arrow would roll 2024-02-30 over to
    1 March). Only the other rows go through the slower parsing that tells what is wrong.
    """
    arr = pa.array(tekst, type=pa.string(), from_pandas=True)
    snel = _datum_iso(arr, tekst.index)
    if snel is not None:
        geen = pd.Series(False, index=tekst.index)
        return snel, geen, geen.copy()
    vorm_iso = pc.match_substring_regex(arr, r"^(19|20)\d{2}-\d{2}-\d{2}$|^2100-\d{2}-\d{2}$")
    iso = pc.if_else(vorm_iso, arr, pa.scalar(None, pa.string()))
    ts = pc.strptime(iso, format="%Y-%m-%d", unit="s", error_is_null=True)

    def deel(begin, eind):
        return pc.cast(pc.utf8_slice_codeunits(iso, begin, eind), pa.int64())

    goed = pc.fill_null(pc.and_(pc.equal(pc.day(ts), deel(8, 10)), pc.equal(pc.month(ts), deel(5, 7))), False)
    goed = goed.to_numpy(zero_copy_only=False)
    snel = pd.Series(ts.to_numpy(zero_copy_only=False), index=tekst.index).astype("datetime64[ns]")
    rest = ~goed & (tekst != "").to_numpy()
    if not rest.any():
        geen = pd.Series(False, index=tekst.index)
        return snel.where(goed), geen, geen.copy()
    waarde, onmogelijk, onleesbaar = _datum_traag(tekst[rest])
    snel = snel.where(goed)
    snel[rest] = waarde
    masker = [pd.Series(False, index=tekst.index) for _ in range(2)]
    masker[0][rest], masker[1][rest] = onmogelijk, onleesbaar
    return snel, masker[0], masker[1]


def _datum_iso(arr: pa.Array, index: pd.Index) -> pd.Series | None:
    """All dates well-formed ISO (or empty) within 1900-2100: parsed in one strict Arrow cast.

    Arrow's cast refuses anything but JJJJ-MM-DD and impossible days (2024-02-30); then
    None, and the caller parses row by row to tell what is wrong where.
    """
    try:
        d = pc.cast(pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.string()), arr), pa.date32())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    tijd = als_tijdstempel(d)
    return None if tijd is None else pd.Series(tijd.to_numpy(zero_copy_only=False), index=index)


def _datum_traag(tekst: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Dates in any accepted form, with what is wrong with those that are not."""
    iso = pd.to_datetime(tekst, format="%Y-%m-%d", errors="coerce")
    rest = iso.isna() & (tekst != "")
    if rest.any():
        nl = pd.to_datetime(tekst[rest], format="%d-%m-%Y", errors="coerce")
        iso = iso.copy()
        iso[rest] = nl
    fout = iso.isna() & (tekst != "")
    vorm = tekst.str.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}-\d{1,2}-\d{4}")
    buiten = iso.notna() & ((iso.dt.year < 1900) | (iso.dt.year > 2100))
    return iso.where(~buiten).astype("datetime64[ns]"), (fout & vorm) | buiten, fout & ~vorm


def _twee_cijfers(code: str) -> str:
    """A one-digit code as Excel leaves it (6) as the code list writes it (06)."""
    return "0" + code if len(code) == 1 and code.isdigit() and code.isascii() else code


def typeer(ruw: RuweTabel, bestand: Bestand, v: Verzamelaar) -> pd.DataFrame:
    naam = ruw.naam
    df = ruw.tabel
    nl = ruw.scheiding == ";"
    uit = {}
    for kol in bestand.kolommen:
        if kol.naam not in df.columns:
            continue
        s = df[kol.naam]
        typed = kol.type in ("geheel", "bedrag") and pd.api.types.is_numeric_dtype(s)
        datum_typed = kol.type == "datum" and pd.api.types.is_datetime64_any_dtype(s)
        tekst = s if (typed or datum_typed) else _als_tekst(s)
        leeg = s.isna() if (typed or datum_typed) else (tekst == "")
        if not kol.leeg_mag:
            v.rijen(naam, leeg, kol.naam, None, "deze verplichte waarde is leeg.",
                    "Vul de waarde in of verwijder de rij.")
        if kol.type == "datum":
            if datum_typed:
                waarde = s.astype("datetime64[ns]")
            else:
                waarde, onmogelijk, onleesbaar = _datum(tekst)
                v.rijen(naam, onmogelijk, kol.naam, tekst, "deze datum bestaat niet.", DATUM_ADVIES)
                v.rijen(naam, onleesbaar, kol.naam, tekst, "dit is geen datum.", DATUM_ADVIES)
            vandaag = pd.Timestamp(date.today())
            lopend = Kwartaal.van_datum(vandaag.date())
            vorig = Kwartaal.van_datum(lopend.begin - timedelta(days=1))  # the last complete quarter
            if not waarde.max() > pd.Timestamp(vorig.eind):  # (NaT when all empty) nothing recent: checked
                uit[kol.naam] = waarde
                continue
            v.rijen(naam, waarde > vandaag, kol.naam, waarde,
                    f"deze datum ligt in de toekomst (na vandaag, {nl_datum(vandaag.date())}).",
                    "Verbeter de datum; de gegevens gaan over wat al gebeurd is.")
            v.rijen(naam, (waarde > pd.Timestamp(vorig.eind)) & (waarde <= vandaag), kol.naam,
                    waarde, f"deze datum valt in het lopende kwartaal ({lopend}); de kit "
                    f"werkt met volledige kwartalen, tot en met {vorig} ({nl_datum(vorig.eind)}).",
                    f"Laat wat na {nl_datum(vorig.eind)} gebeurde weg uit de levering, of lever na afloop van "
                    f"{lopend} opnieuw.")
        elif kol.type in ("geheel", "bedrag"):
            waarde = s.astype("float64") if typed else _getal(tekst, nl)
            oneindig = waarde.notna() & ~np.isfinite(waarde.astype("float64"))
            waarde = waarde.where(~oneindig)  # inf, 1e400: not a number anyone can have meant
            onleesbaar = waarde.isna() & ~leeg
            soort = "een geheel getal" if kol.type == "geheel" else "een bedrag"
            v.rijen(naam, onleesbaar, kol.naam, tekst, f"dit is geen getal; hier hoort {soort}.",
                    "Gebruik alleen cijfers (een bedrag mag een decimale komma hebben).")
            if kol.type == "geheel":
                gebroken = waarde.notna() & (waarde != waarde.round())
                v.rijen(naam, gebroken, kol.naam, tekst, "hier hoort een geheel getal.",
                        "Laat de decimalen weg.")
            if kol.minimum is not None:
                te_laag = waarde < kol.minimum
                wat = "negatief" if kol.minimum == 0 else f"kleiner dan {kol.minimum:g}"
                v.rijen(naam, te_laag, kol.naam, tekst, f"deze waarde is {wat}.",
                        f"Gebruik een waarde van minstens {kol.minimum:g}.")
            if kol.maximum is not None:
                te_hoog = waarde > kol.maximum
                v.rijen(naam, te_hoog, kol.naam, tekst, f"deze waarde is groter dan {kol.maximum:g}.",
                        f"Gebruik een waarde van hoogstens {kol.maximum:g}.")
            if kol.type == "geheel":
                waarde = waarde.where(waarde.notna() & (waarde == waarde.round())).astype("Int64")
        else:  # tekst, code
            waarde = tekst
            if kol.type == "code":
                if kol.codes is None or all(c.isdigit() for c in kol.codes):
                    waarde = per_waarde(waarde, _twee_cijfers)
                else:
                    waarde = per_waarde(waarde, str.lower)
                if kol.codes is not None:
                    onbekend = ~leeg & buiten(waarde, kol.codes)
                    lijst = ", ".join(kol.codes)
                    v.rijen(naam, onbekend, kol.naam, tekst,
                            f"onbekende code voor {CODELIJST_NAAM.get(kol.naam, kol.naam)}.",
                            f"Gebruik een van: {lijst}.")
        uit[kol.naam] = waarde
    return pd.DataFrame(uit, index=df.index)


# ---------------------------------------------------------------- reading a folder

def bsn_masker(ids: pd.Series) -> pd.Series:
    """Values that are a BSN: 8 or 9 digits passing the 11-proof, also as 1234.56.782 or 123 456 782."""
    masker = pd.Series(False, index=ids.index)
    # a BSN starts with a digit and holds only digits and separators: Arrow finds those rows, usually none
    arr = pa.array(ids, type=pa.string(), from_pandas=True)
    verdacht = pc.utf8_is_digit(pc.utf8_slice_codeunits(arr, 0, 1))
    if not pc.any(verdacht).as_py():
        return masker
    verdacht = pc.and_(verdacht, pc.match_substring_regex(arr, r"^[\d\s.\-]{8,17}$"))
    verdacht = pc.fill_null(verdacht, False).to_numpy(zero_copy_only=False)
    if not verdacht.any():
        return masker
    sub = ids[verdacht].astype("str").str.replace(r"[\s.\-]", "", regex=True)
    kandidaat = sub.str.fullmatch(r"\d{8,9}").fillna(False).astype(bool)
    if not kandidaat.any():
        return masker
    sub = sub[kandidaat].str.zfill(9)
    cijfers = np.frombuffer("".join(sub.tolist()).encode("ascii"), dtype=np.uint8)
    cijfers = cijfers.reshape(-1, 9).astype(np.int64) - 48
    gewicht = np.array([9, 8, 7, 6, 5, 4, 3, 2, -1])
    som = cijfers @ gewicht
    masker.loc[sub.index] = (som % 11 == 0) & (cijfers.sum(axis=1) > 0)
    return masker
