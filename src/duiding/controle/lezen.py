"""One contract file (CSV or Parquet, a CBS export, a gemeente's mapped export) into a typed table."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from .. import cbs
from ..contract import Bestand
from ..iorw import lees_ruw, zoek_bestand
from ..koppeling import Koppeling, pas_toe, voorstel
from .kolommen import BSN_KOLOM, oplopend, typeer
from .rapport import Verzamelaar


def lees(map: Path, bestand: Bestand, v: Verzamelaar, pad: Path | None = None, k: Koppeling | None = None
         ) -> tuple[pd.DataFrame | None, Path | None]:
    if pad is None and k is not None and k.bestand:
        pad = map / k.bestand
        if not pad.is_file():
            v.los(k.bestand, f"dit bestand staat in [koppeling.{bestand.stam}] van duiding.toml, maar niet in {map}.",
                  "Verbeter de bestandsnaam in duiding.toml of zet het bestand in de map.")
            return None, None
    pad = pad or zoek_bestand(map, bestand.stam)
    if pad is None:
        if bestand.verplicht:
            v.los(f"{bestand.stam}.csv", "dit verplichte bestand ontbreekt.",
                  f"Zet {bestand.stam}.csv (of .parquet) in {map}; zie docs/data.md.")
        elif bestand.melden:
            v.los(f"{bestand.stam}.csv", f"dit bestand ontbreekt, dus {bestand.nodig_voor} "
                  "is niet beschikbaar.", ernst="waarschuwing")
        return None, None
    datums = tuple(kol.naam for kol in bestand.kolommen if kol.type == "datum")
    ruw = lees_ruw(pad, datums if k is None else ())
    if ruw.probleem:
        v.los(pad.name, f"{ruw.probleem}.", ruw.advies, rij=ruw.rij)
        return None, pad
    cbs_rijen = None
    if bestand.stam == "bevolking" and cbs.is_statline(list(ruw.tabel.columns)):
        omgezet, meldingen = cbs.naar_bevolking(ruw.tabel, jaar_uit_naam(pad))
        v.gemeenten.update(omgezet.attrs.get("gemeenten", []))
        for m in meldingen:
            if m.startswith("waarschuwing: "):
                v.los(pad.name, m.removeprefix("waarschuwing: ") + ".", ernst="waarschuwing")
            else:
                v.los(pad.name, m + ".")
        if omgezet.empty:
            return None, pad
        v.los(pad.name, "dit is een CBS-export (Kerncijfers wijken en buurten); de groep 0-17 "
              "is geschat als 0-15 jaar plus 3/10 van 15-25 jaar.", ernst="waarschuwing")
        # the same year and wijk twice in one export: name the user's rows, keep the first
        dubbel = omgezet.duplicated(["jaar", "wijk_code", "leeftijdsgroep"])
        for _, r in omgezet[dubbel].drop_duplicates(["jaar", "wijk_code"]).iterrows():
            v.los(pad.name, f"wijk {r['wijk_code']} staat voor {r['jaar']} al in een eerdere rij.",
                  "Verwijder de dubbele rij uit de export.", rij=int(r["_rij"]), kolom="Codering")
        omgezet = omgezet[~dubbel]
        cbs_rijen = omgezet[["_indeling"]].reset_index(drop=True)
        ruw.tabel = omgezet.drop(columns=["_rij", "_indeling"]).reset_index(drop=True)
        ruw.scheiding = ","
    if k is not None:
        ruw.tabel = pas_toe(ruw.tabel, k, bestand)
    df = ruw.tabel
    if len(df) == 0:
        v.los(pad.name, "het bestand heeft een kopregel maar geen rijen.",
              "Lever een bestand met gegevens aan.")
        return None, pad
    for kol in df.columns:
        if BSN_KOLOM.search(kol):
            v.los(pad.name, "deze kolom lijkt burgerservicenummers te bevatten.",
                  "Verwijder de kolom: de kit werkt alleen met pseudoniemen, nooit met een BSN.",
                  kolom=kol)
    ontbreekt = [k.naam for k in bestand.kolommen if k.naam not in df.columns and not k.weglaten_mag]
    if ontbreekt:
        gevonden = ", ".join(df.columns[:15])
        suggestie = voorstel(list(df.columns), df, bestand, ontbreekt)
        advies = f"Gevonden kolommen: {gevonden}. Gebruik precies de namen uit docs/data.md"
        advies += (f", of zet deze koppeling in duiding.toml (controleer elke regel):\n{suggestie}" if suggestie
                   else ".")
        for i, kol in enumerate(ontbreekt):
            v.los(pad.name, "deze verplichte kolom ontbreekt.",
                  advies if i == len(ontbreekt) - 1 else "", kolom=kol)
        return None, pad
    df = typeer(ruw, bestand, v)
    if cbs_rijen is not None and df is not None and len(df) == len(cbs_rijen):
        df = df.assign(_indeling=cbs_rijen["_indeling"].to_numpy())
    return df, pad


def dubbel(naam: str, df: pd.DataFrame, sleutel: tuple[str, ...], v: Verzamelaar):
    if len(sleutel) == 1 and oplopend(df[sleutel[0]]):
        return  # sorted on its key, as exports usually are: no value can occur twice
    dubbel = df.duplicated(list(sleutel), keep="first") & df[list(sleutel)].notna().all(axis=1)
    if len(sleutel) == 1:
        v.rijen(naam, dubbel, sleutel[0], df[sleutel[0]], "deze waarde komt al eerder voor.",
                "Elke waarde in deze kolom moet uniek zijn; verwijder of hernummer de dubbele rij.")
    else:
        v.rijen(naam, dubbel, sleutel[-1], None,
                f"de combinatie {', '.join(sleutel)} komt al eerder voor.",
                "Voeg de rijen samen of verwijder de dubbele rij.")


def jaar_uit_naam(pad: Path) -> int | None:
    m = re.search(r"(?<!\d)(20\d{2})(?!\d)", pad.stem)  # not the download date after it
    return int(m.group(1)) if m else None
