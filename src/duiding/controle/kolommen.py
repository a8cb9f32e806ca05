"""Typing the columns of a raw table: numbers (Dutch or not), dates, codes, with a message per bad value."""

from __future__ import annotations

import re
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..nl import datum as nl_datum
from ..contract import CODELIJST_NAAM, Bestand
from ..iorw import RuweTabel
from ..periode import Kwartaal
from .rapport import Verzamelaar


BSN_KOLOM = re.compile(r"bsn|burger\W*_*\W*service|sofi\W*_*\W*(nummer|nr)", re.IGNORECASE)
# words the kit uses itself as a group: a wijk or aanbieder with such a code would be taken for the total
DATUM_ADVIES = "Schrijf datums als JJJJ-MM-DD (2024-03-31) of DD-MM-JJJJ (31-03-2024)."


def _als_tekst(s: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(s):
        return s.dt.strftime("%Y-%m-%d").fillna("")
    if pd.api.types.is_float_dtype(s):
        heel = s.dropna()
        if (heel == heel.round()).all():
            s = s.astype("Int64")
    return s.astype("string").fillna("").astype(str).str.strip()


def _getal(tekst: pd.Series, nl: bool) -> pd.Series:
    arr = pa.array(tekst, type=pa.string(), from_pandas=True)
    gevuld = pc.not_equal(arr, "")
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
            v.rijen(naam, waarde > vandaag, kol.naam, waarde,
                    f"deze datum ligt in de toekomst (na vandaag, {nl_datum(vandaag.date())}).",
                    "Verbeter de datum; de gegevens gaan over wat al gebeurd is.")
            lopend = Kwartaal.van_datum(vandaag.date())
            vorig = Kwartaal.van_datum(lopend.begin - timedelta(days=1))  # the last complete quarter
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
                    cijfers = waarde.str.fullmatch(r"\d")
                    if cijfers.any():
                        waarde = waarde.where(~cijfers, "0" + waarde)
                else:
                    waarde = waarde.str.lower()
                if kol.codes is not None:
                    onbekend = ~leeg & ~waarde.isin(list(kol.codes))
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
