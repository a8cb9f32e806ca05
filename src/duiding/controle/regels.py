"""Rules across columns and files: codes per wet, date order, references to aanbieders and wijken."""

from __future__ import annotations


import pandas as pd

from .. import codes
from ..koppeling import ongekoppeld
from ..periode import Kwartaal
from .kolommen import bsn_masker
from .rapport import Verzamelaar


GERESERVEERD = ("stad", "totaal")
def verwijzing(naam, df, kolom, bekend: pd.Series, doel: str, v: Verzamelaar):
    waarden = df[kolom]
    onbekend = (waarden != "") & waarden.notna() & ~waarden.isin(bekend)
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


def regels_trajecten(naam, t: pd.DataFrame, v: Verzamelaar):
    v.rijen(naam, bsn_masker(t["client_id"]), "client_id", t["client_id"],
            "dit lijkt een burgerservicenummer (9 cijfers die de elfproef doorstaan).",
            "Pseudonimiseer de cliëntnummers voordat u de gegevens inleest.")
    for wet, lijst in codes.PRODUCT.items():
        fout = (t["wet"] == wet) & (t["productcategorie"] != "") & ~t["productcategorie"].isin(list(lijst))
        v.rijen(naam, fout, "productcategorie", t["productcategorie"],
                f"onbekende productcategorie voor wet {wet}.",
                f"Gebruik een code uit {'JZ020 (iJw)' if wet == 'jeugd' else 'WMO020 (iWmo)'}: "
                f"{', '.join(lijst)}.")
        fout = (t["wet"] == wet) & (t["reden_beeindiging"] != "") & ~t["reden_beeindiging"].isin(
            list(codes.REDEN[wet]))
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
    v.rijen(naam, t["einddatum"] < t["startdatum"], "einddatum", t["einddatum"].dt.strftime("%Y-%m-%d"),
            "de einddatum ligt vóór de startdatum.", "Verbeter een van beide datums.")
    v.rijen(naam, t["aanmelddatum"] > t["startdatum"], "aanmelddatum",
            t["aanmelddatum"].dt.strftime("%Y-%m-%d"), "de aanmelddatum ligt na de startdatum.",
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
