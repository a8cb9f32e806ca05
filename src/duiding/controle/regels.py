"""Rules across columns and files: codes per wet, date order, references to aanbieders and wijken."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import codes
from ..koppeling import ongekoppeld
from ..periode import Kwartaal
from .kolommen import bsn_masker, buiten, paren_van
from .rapport import Verzamelaar


GERESERVEERD = ("stad", "totaal")
def verwijzing(naam, df, kolom, bekend: pd.Series, doel: str, v: Verzamelaar):
    waarden = df[kolom]
    onbekend = buiten(waarden, set(bekend) | {""}) & waarden.notna()
    v.rijen(naam, onbekend, kolom, waarden, f"deze code staat niet in {doel}.",
            f"Voeg hem toe aan {doel} of verbeter de code.")


def regels_wachttijden(naam: str, df: pd.DataFrame, v: Verzamelaar) -> pd.DataFrame:
    """Waiting times as providers report them: per aanbieder, product(categorie) and quarter."""
    df = df.copy()
    for kol in ("productcategorie", "product", "bron"):
        if kol not in df:
            df[kol] = ""
    alle = set(codes.PRODUCT_JEUGD) | set(codes.PRODUCT_WMO)
    v.rijen(naam, (df["productcategorie"] != "") & ~df["productcategorie"].isin(alle), "productcategorie",
            df["productcategorie"], "onbekende productcategorie.",
            "Gebruik een code uit JZ020 (jeugd) of WMO020 (Wmo), of laat leeg en vul 'product' in.")
    v.rijen(naam, (df["productcategorie"] == "") & (df["product"] == ""), "product", None,
            "geen productcategorie en geen product: waarvoor geldt deze wachttijd?",
            "Vul productcategorie (code) of product (naam) in.")
    geldig = []
    for tekst in df["periode"]:
        try:
            geldig.append(str(Kwartaal.parse(tekst)))
        except Exception:  # PeriodeFout; reported per row below
            geldig.append("")
    df["periode"] = [g or t for g, t in zip(geldig, df["periode"])]
    v.rijen(naam, pd.Series([g == "" for g in geldig], index=df.index), "periode", df["periode"],
            "geen kwartaal.", "Schrijf het kwartaal als 2024-Q3 (of 2024 K3).")
    v.rijen(naam, df["weken_tot_intake"].isna() & df["weken_tot_start"].isna(), "weken_tot_start", None,
            "geen enkele wachttijd ingevuld.", "Vul weken_tot_intake, weken_tot_start of allebei in.")
    return df


def _fout_bij(t: pd.DataFrame, wet: str, kol: str, paren: dict, lijst: set) -> pd.Series | None:
    """Rows of this wet whose code in `kol` is not in its list (empty is allowed); None when there are none."""
    fout = [b for a, b in paren[kol] if a == wet and b != "" and b not in lijst]
    return (t["wet"] == wet) & t[kol].isin(fout) if fout else None


def regels_trajecten(naam, t: pd.DataFrame, v: Verzamelaar):
    v.rijen(naam, bsn_masker(t["client_id"]), "client_id", t["client_id"],
            "dit lijkt een burgerservicenummer (9 cijfers die de elfproef doorstaan).",
            "Pseudonimiseer de cliëntnummers voordat u de gegevens inleest.")
    paren = {kol: paren_van(t, "wet", kol) for kol in ("productcategorie", "reden_beeindiging")}
    for wet, lijst in codes.PRODUCT.items():
        fout = _fout_bij(t, wet, "productcategorie", paren, set(lijst))
        v.rijen(naam, fout, "productcategorie", t["productcategorie"],
                f"onbekende productcategorie voor wet {wet}.",
                f"Gebruik een code uit {'JZ020 (iJw)' if wet == 'jeugd' else 'WMO020 (iWmo)'}: "
                f"{', '.join(lijst)}.")
        fout = _fout_bij(t, wet, "reden_beeindiging", paren, set(codes.REDEN[wet]))
        v.rijen(naam, fout, "reden_beeindiging", t["reden_beeindiging"],
                f"onbekende reden beëindiging voor wet {wet}.",
                f"Gebruik een code uit {'JZ588 (iJw)' if wet == 'jeugd' else 'WMO588 (iWmo)'}: "
                f"{', '.join(codes.REDEN[wet])}.")
    # every unknown value once, with its count, as a [koppeling] to fill in
    for kol, lijsten in (("reden_beeindiging", codes.REDEN), ("productcategorie", codes.PRODUCT)):
        geldig = {c for lijst in lijsten.values() for c in lijst}
        suggestie = ongekoppeld(t[kol], geldig, "trajecten", kol)
        if suggestie:
            v.los(naam, f"waarden in {kol} zonder code uit de iStandaarden (met hoe vaak ze voorkomen).",
                  f"Koppel ze in duiding.toml aan de juiste code:\n{suggestie}", kolom=kol)
    v.rijen(naam, t["wijk_code"] == "", "wijk_code", None,
            "dit traject heeft geen wijk: het telt mee voor de gemeente en de aanbieder, niet in een wijk.",
            "Vul de wijk in als die bekend is (bij iJw/iWmo-berichten: --postcodes of --clientwijk).",
            ernst="waarschuwing")
    v.rijen(naam, t["einddatum"] < t["startdatum"], "einddatum", t["einddatum"],
            "de einddatum ligt vóór de startdatum.", "Verbeter een van beide datums.")
    v.rijen(naam, t["aanmelddatum"] > t["startdatum"], "aanmelddatum",
            t["aanmelddatum"], "de aanmelddatum ligt na de startdatum.",
            "Verbeter een van beide datums; de aanmelding komt vóór de start van de zorg.")
    v.rijen(naam, t["einddatum"].notna() & (t["reden_beeindiging"] == ""), "reden_beeindiging", None,
            "er is een einddatum maar geen reden beëindiging.",
            "Vul de reden in (JZ588 voor jeugd, WMO588 voor wmo).")
    v.rijen(naam, t["einddatum"].isna() & (t["reden_beeindiging"] != ""), "reden_beeindiging",
            t["reden_beeindiging"], "er is een reden beëindiging maar geen einddatum; het traject "
            "telt als lopend.", ernst="waarschuwing")
    v.rijen(naam, t["aanmelddatum"].isna() & t["startdatum"].notna(), "aanmelddatum", None,
            "dit traject heeft geen aanmelddatum, dus geen wachttijd.", ernst="waarschuwing")
    v.rijen(naam, (t["wet"] == "wmo") & (t["verwijzer"] != ""), "verwijzer", t["verwijzer"],
            "een verwijzer hoort alleen bij jeugdtrajecten; bij wmo wordt hij genegeerd.",
            ernst="waarschuwing")


def gemeente_codes(wijken: pd.DataFrame) -> pd.Series:
    """The gemeente of each wijk: its gemeente_code, else from its CBS code (WK0344.. -> GM0344); '' if neither."""
    afgeleid = wijken["wijk_code"].astype(str).str.upper().str.extract(r"^WK(\d{4})", expand=False)
    afgeleid = ("GM" + afgeleid).fillna("")
    if "gemeente_code" not in wijken:
        return afgeleid
    eigen = wijken["gemeente_code"].fillna("").astype(str)
    return eigen.where(eigen != "", afgeleid)


def regels_regio(tabellen: dict[str, pd.DataFrame], naam, v: Verzamelaar) -> None:
    """A region's files: gemeente codes that are known, locations that can be placed."""
    w = tabellen.get("wijken")
    gm = tabellen.get("gemeenten")
    bekend = set(gm["gemeente_code"]) if gm is not None else set()
    if w is not None:
        per_wijk = gemeente_codes(w)
        bekend |= set(per_wijk) - {""}
        if gm is not None:
            verwijzing(naam("wijken"), w.assign(gemeente_code=per_wijk), "gemeente_code", gm["gemeente_code"],
                       naam("gemeenten"), v)
        if len(bekend) > 1:  # a region: every wijk must belong to a gemeente
            v.rijen(naam("wijken"), per_wijk == "", "gemeente_code", None,
                    "bij deze wijk is geen gemeente bekend (de gegevens gaan over meer dan één gemeente).",
                    "Vul gemeente_code in (bijvoorbeeld GM0344) of gebruik de CBS-wijkcode (WK + vier cijfers "
                    "van de gemeente).")
    for stam in ("aanbieders", "budget", "realisatie"):
        t = tabellen.get(stam)
        if t is not None and "gemeente_code" in t and bekend:
            verwijzing(naam(stam), t, "gemeente_code", pd.Series(sorted(bekend), dtype=str),
                       naam("gemeenten") if gm is not None else naam("wijken"), v)
    loc = tabellen.get("locaties")
    if loc is None:
        return
    pc = tabellen.get("postcodes")
    xy = _paar(loc, "x", "y") | _paar(loc, "lat", "lon")
    for a, b in (("x", "y"), ("lat", "lon")):
        if a in loc or b in loc:
            half = loc.get(a, pd.Series(np.nan, index=loc.index)).isna() ^ loc.get(
                b, pd.Series(np.nan, index=loc.index)).isna()
            v.rijen(naam("locaties"), half, b if a in loc and loc[a].notna().any() else a, None,
                    f"alleen één van {a} en {b} is ingevuld.", f"Vul {a} en {b} allebei in, of geen van beide.")
    wijk = loc["wijk_code"].fillna("") if "wijk_code" in loc else pd.Series("", index=loc.index)
    if w is not None:
        verwijzing(naam("locaties"), loc.assign(wijk_code=wijk), "wijk_code", w["wijk_code"], naam("wijken"), v)
    postcode = normaliseer_postcode(loc["postcode"]) if "postcode" in loc else pd.Series("", index=loc.index)
    bekende_pc = set(normaliseer_postcode(pc["postcode"])) if pc is not None else set()
    via_pc = (postcode != "") & (postcode.isin(bekende_pc) | postcode.str[:4].isin(bekende_pc))
    v.rijen(naam("locaties"), ~xy & (wijk == "") & (postcode != "") & ~via_pc, "postcode", postcode,
            "deze postcode staat niet in postcodes.csv, dus de kit weet niet waar de locatie ligt.",
            "Voeg de postcode met x en y (RD) toe aan postcodes.csv, of vul x en y van de locatie zelf in.")
    v.rijen(naam("locaties"), ~xy & (wijk == "") & (postcode == ""), "x", None,
            "van deze locatie is niet bekend waar hij ligt.",
            "Vul x en y (RD New, meters), lat en lon, de wijk_code of een postcode in.")


def _paar(df: pd.DataFrame, a: str, b: str) -> pd.Series:
    if a not in df or b not in df:
        return pd.Series(False, index=df.index)
    return df[a].notna() & df[b].notna()


def normaliseer_postcode(s: pd.Series) -> pd.Series:
    """'1234 ab' -> '1234AB'; a PC4 stays four digits."""
    return s.fillna("").astype(str).str.upper().str.replace(r"\s+", "", regex=True)
