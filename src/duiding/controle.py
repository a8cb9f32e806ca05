"""Validation of a data folder against the contract, with Dutch messages.

`controleer(map)` reads every file, types every column and checks every rule, and
returns a `Rapport` listing all problems at once. Row numbers are as a spreadsheet
shows them: the header is row 1, the first data row is row 2.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from . import cbs, codes
from .nl import datum as nl_datum
from .contract import CODELIJST_NAAM, CONTRACT, Bestand
from .iorw import RuweTabel, lees_ruw, zoek_bestand
from .koppeling import Koppeling, ongekoppeld, pas_toe, voorstel
from .periode import Kwartaal

VOORBEELDEN_PER_PROBLEEM = 5
MAX_REGELS = 60
# column names that announce a BSN: bsn, bsn_nr, burgerservicenummer, Burger_Service_Nummer, sofinummer …
BSN_KOLOM = re.compile(r"bsn|burger\W*_*\W*service|sofi\W*_*\W*(nummer|nr)", re.IGNORECASE)
# words the kit uses itself as a group: a wijk or aanbieder with such a code would be taken for the total
GERESERVEERD = ("stad", "totaal")
DATUM_ADVIES = "Schrijf datums als JJJJ-MM-DD (2024-03-31) of DD-MM-JJJJ (31-03-2024)."


@dataclass
class Probleem:
    bestand: str
    melding: str
    advies: str = ""
    rij: int | None = None
    kolom: str | None = None
    waarde: str | None = None
    ernst: str = "fout"  # fout | waarschuwing
    meer: int = 0  # further rows with the same problem, not listed one by one
    meer_rijen: tuple[int, ...] = ()

    def tekst(self) -> str:
        plaats = [self.bestand]
        if self.rij is not None:
            plaats.append(f"rij {self.rij}")
        if self.kolom:
            plaats.append(f"kolom {self.kolom}")
        kop = ", ".join(plaats)
        if self.waarde is not None:
            kop += f" (waarde '{self.waarde}')"
        regel = f"{kop}: {self.melding}"
        if self.meer:
            rijen = ", ".join(str(r) for r in self.meer_rijen)
            regel += f" Dit geldt ook voor nog {_nl_getal(self.meer)} rij(en)"
            regel += f", onder meer rij {rijen}." if rijen else "."
        if self.advies:
            regel += f" {self.advies}"
        return regel


def _nl_getal(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@dataclass
class Rapport:
    map: Path
    problemen: list[Probleem] = field(default_factory=list)
    samenvatting: dict = field(default_factory=dict)

    @property
    def fouten(self) -> list[Probleem]:
        return [p for p in self.problemen if p.ernst == "fout"]

    @property
    def waarschuwingen(self) -> list[Probleem]:
        return [p for p in self.problemen if p.ernst == "waarschuwing"]

    @property
    def ok(self) -> bool:
        return not self.fouten

    def als_tekst(self) -> str:
        regels: list[str] = []
        if self.fouten:
            regels.append(
                f"De gegevens in {self.map} kloppen niet: {len(self.fouten)} probleem/problemen "
                "gevonden. Herstel ze en probeer het opnieuw."
            )
            for p in self.fouten[:MAX_REGELS]:
                regels.append(f"FOUT  {p.tekst()}")
            if len(self.fouten) > MAX_REGELS:
                regels.append(f"… en nog {len(self.fouten) - MAX_REGELS} andere problemen.")
        for p in self.waarschuwingen[:MAX_REGELS]:
            regels.append(f"LET OP  {p.tekst()}")
        if self.ok and self.samenvatting:
            regels.append(samenvatting_tekst(self.map, self.samenvatting))
        return "\n".join(regels)


def samenvatting_tekst(map: Path, s: dict) -> str:
    regels = [f"De gegevens in {map} zijn in orde."]
    if s.get("fictief"):
        regels.append("Let op: dit zijn fictieve gegevens (voorbeelddata).")
    for naam, n in s["rijen"].items():
        regels.append(f"  {naam:<16} {_nl_getal(n):>12} rijen")
    for naam, (van, tot) in s.get("perioden", {}).items():
        regels.append(f"  {naam:<16} {van} t/m {tot}")
    return "\n".join(regels)


class _Verzamelaar:
    """Collects problems; many rows with the same problem become one line."""

    def __init__(self):
        self.problemen: list[Probleem] = []
        self.indeling: dict[str, set[int]] = {}  # wijk -> years from which its figures are not comparable
        self.gemeenten: set[str] = set()  # gemeente names found in CBS exports

    def los(self, bestand, melding, advies="", ernst="fout", **kw):
        self.problemen.append(Probleem(bestand, melding, advies, ernst=ernst, **kw))

    def rijen(self, bestand: str, masker, kolom, waarden, melding, advies="", ernst="fout"):
        if masker is None or not bool(np.any(masker)):
            return
        posities = np.flatnonzero(np.asarray(masker))
        toon = posities[:VOORBEELDEN_PER_PROBLEEM]
        meer = posities[VOORBEELDEN_PER_PROBLEEM:]
        if ernst == "waarschuwing":  # one line for a warning, however many rows
            toon, meer = posities[:1], posities[1:]
        for i, pos in enumerate(toon):
            waarde = None if waarden is None else str(waarden.iloc[pos])
            laatste = i == len(toon) - 1
            self.problemen.append(
                Probleem(
                    bestand, melding, advies, rij=int(pos) + 2, kolom=kolom, waarde=waarde,
                    ernst=ernst, meer=len(meer) if laatste else 0,
                    meer_rijen=tuple(int(p) + 2 for p in meer[:5]) if laatste else (),
                )
            )


# ---------------------------------------------------------------- typing columns

def _als_tekst(s: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(s):
        return s.dt.strftime("%Y-%m-%d").fillna("")
    if pd.api.types.is_float_dtype(s):
        heel = s.dropna()
        if (heel == heel.round()).all():
            s = s.astype("Int64")
    return s.astype("string").fillna("").astype(str).str.strip()


def _getal(tekst: pd.Series, nl: bool) -> pd.Series:
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
    """Parse dates; return (dates, impossible mask, unreadable mask)."""
    iso = pd.to_datetime(tekst, format="%Y-%m-%d", errors="coerce")
    rest = iso.isna() & (tekst != "")
    if rest.any():
        nl = pd.to_datetime(tekst[rest], format="%d-%m-%Y", errors="coerce")
        iso = iso.copy()
        iso[rest] = nl
    fout = iso.isna() & (tekst != "")
    vorm = tekst.str.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}-\d{1,2}-\d{4}")
    buiten = iso.notna() & ((iso.dt.year < 1900) | (iso.dt.year > 2100))
    return iso.astype("datetime64[ns]"), (fout & vorm) | buiten, fout & ~vorm


def _typeer(ruw: RuweTabel, bestand: Bestand, v: _Verzamelaar) -> pd.DataFrame:
    naam = ruw.naam
    df = ruw.tabel
    nl = ruw.scheiding == ";"
    uit = {}
    for kol in bestand.kolommen:
        if kol.naam not in df.columns:
            continue
        s = df[kol.naam]
        typed = kol.soort in ("geheel", "bedrag") and pd.api.types.is_numeric_dtype(s)
        datum_typed = kol.soort == "datum" and pd.api.types.is_datetime64_any_dtype(s)
        tekst = s if (typed or datum_typed) else _als_tekst(s)
        leeg = s.isna() if (typed or datum_typed) else (tekst == "")
        if not kol.leeg_mag:
            v.rijen(naam, leeg, kol.naam, None, "deze verplichte waarde is leeg.",
                    "Vul de waarde in of verwijder de rij.")
        if kol.soort == "datum":
            if datum_typed:
                waarde = s.astype("datetime64[ns]")
            else:
                waarde, onmogelijk, onleesbaar = _datum(tekst)
                v.rijen(naam, onmogelijk, kol.naam, tekst, "deze datum bestaat niet.", DATUM_ADVIES)
                v.rijen(naam, onleesbaar, kol.naam, tekst, "dit is geen datum.", DATUM_ADVIES)
            vandaag = pd.Timestamp(date.today())
            v.rijen(naam, waarde > vandaag, kol.naam, waarde.dt.strftime("%Y-%m-%d"),
                    f"deze datum ligt in de toekomst (na vandaag, {nl_datum(vandaag.date())}).",
                    "Verbeter de datum; de gegevens gaan over wat al gebeurd is.")
            lopend = Kwartaal.van_datum(vandaag.date())
            vorig = Kwartaal.van_datum(lopend.begin - timedelta(days=1))  # the last complete quarter
            v.rijen(naam, (waarde > pd.Timestamp(vorig.eind)) & (waarde <= vandaag), kol.naam,
                    waarde.dt.strftime("%Y-%m-%d"), f"deze datum valt in het lopende kwartaal ({lopend}); de kit "
                    f"werkt met volledige kwartalen, tot en met {vorig} ({nl_datum(vorig.eind)}).",
                    f"Laat wat na {nl_datum(vorig.eind)} gebeurde weg uit de levering, of lever na afloop van "
                    f"{lopend} opnieuw.")
        elif kol.soort in ("geheel", "bedrag"):
            waarde = s.astype("float64") if typed else _getal(tekst, nl)
            oneindig = waarde.notna() & ~np.isfinite(waarde.astype("float64"))
            waarde = waarde.where(~oneindig)  # inf, 1e400: not a number anyone can have meant
            onleesbaar = waarde.isna() & ~leeg
            soort = "een geheel getal" if kol.soort == "geheel" else "een bedrag"
            v.rijen(naam, onleesbaar, kol.naam, tekst, f"dit is geen getal; hier hoort {soort}.",
                    "Gebruik alleen cijfers (een bedrag mag een decimale komma hebben).")
            if kol.soort == "geheel":
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
            if kol.soort == "geheel":
                waarde = waarde.where(waarde.notna() & (waarde == waarde.round())).astype("Int64")
        else:  # tekst, code
            waarde = tekst
            if kol.soort == "code":
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

def _bsn_masker(ids: pd.Series) -> pd.Series:
    """Values that are a BSN: 8 or 9 digits passing the 11-proof, also as 1234.56.782 or 123 456 782."""
    ids = ids.str.replace(r"[\s.\-]", "", regex=True)
    kandidaat = ids.str.fullmatch(r"\d{8,9}")
    masker = pd.Series(False, index=ids.index)
    if not kandidaat.any():
        return masker
    sub = ids[kandidaat].str.zfill(9)
    cijfers = np.frombuffer("".join(sub.tolist()).encode("ascii"), dtype=np.uint8)
    cijfers = cijfers.reshape(-1, 9).astype(np.int64) - 48
    gewicht = np.array([9, 8, 7, 6, 5, 4, 3, 2, -1])
    som = cijfers @ gewicht
    masker.loc[kandidaat[kandidaat].index] = (som % 11 == 0) & (cijfers.sum(axis=1) > 0)
    return masker


def _jaar_uit_naam(pad: Path) -> int | None:
    m = re.search(r"(?<!\d)(20\d{2})(?!\d)", pad.stem)  # not the download date after it
    return int(m.group(1)) if m else None


def bevolking_bestanden(map: Path) -> list[Path]:
    """Every population file of a data folder, whatever the case of its name.

    bevolking.csv/.parquet, bevolking_2024.csv …, and CBS exports as downloaded
    (CBS_Kerncijfers.csv, cbs_kerncijfers_2023.csv, StatLine's
    Kerncijfers_wijken_en_buurten_2024_<datum>_<tijd>.csv …); each is read, none silently skipped.
    """
    if not map.is_dir():
        return []
    return sorted((p for p in map.iterdir() if p.is_file() and re.fullmatch(
        r"(bevolking[^/]*\.(csv|parquet)|(cbs|kerncijfers)[^/]*\.csv)", p.name, re.IGNORECASE)), key=lambda p: p.name.lower())


def _lees_bevolking(map: Path, bestand: Bestand, v: _Verzamelaar) -> tuple[pd.DataFrame | None, list[Path]]:
    """All population files together: one row per year, wijk and age group, from whichever file.

    A CBS export is converted first; its messages name the user's own rows. The same
    year and wijk in two files is an error naming both. Wijken that CBS marks as
    re-divided, or whose population changes more than twofold from one year to the
    next, get a warning (and `Gegevens.indelingswijzigingen` for the reports).
    """
    paden = bevolking_bestanden(map)
    if not paden:
        return _lees(map, bestand, v, pad=None)
    delen = []
    for pad in paden:
        df, _ = _lees(map, bestand, v, pad=pad)
        if df is not None:
            _dubbel(pad.name, df, bestand.uniek, v)
            delen.append(df.assign(_bestand=pad.name))
    if not delen:
        return None, paden
    df = pd.concat(delen, ignore_index=True)
    sleutel = ["jaar", "wijk_code", "leeftijdsgroep"]
    eerste = df.drop_duplicates(sleutel).set_index(sleutel)["_bestand"]
    botsing = df.duplicated(sleutel) & (df["_bestand"] != df.set_index(sleutel).index.map(eerste))
    for _, r in df[botsing].drop_duplicates(["_bestand", "jaar", "wijk_code"]).iterrows():
        ander = eerste[(r["jaar"], r["wijk_code"], r["leeftijdsgroep"])]
        v.los(r["_bestand"], f"de bevolking van wijk {r['wijk_code']} in {r['jaar']} staat ook in {ander}.",
              "Houd elk jaar in één bestand: verwijder het jaar uit een van beide bestanden.")
    df = df[~botsing]
    _indelingswijziging(df, v)
    return df.drop(columns=[k for k in ("_bestand", "_indeling") if k in df]).reset_index(drop=True), paden


def _indelingswijziging(df: pd.DataFrame, v: _Verzamelaar) -> None:
    """Warn about wijken whose population cannot be compared across years; remember them in `v.indeling`."""
    totaal = df.groupby(["wijk_code", "jaar"])["aantal"].sum().sort_index()
    for wijk, reeks in totaal.groupby(level="wijk_code"):
        jaren = reeks.droplevel("wijk_code")
        for (j0, a0), (j1, a1) in zip(jaren.items(), list(jaren.items())[1:]):
            if j1 == j0 + 1 and min(a0, a1) > 0 and max(a0, a1) / min(a0, a1) > 2:
                v.indeling.setdefault(str(wijk), set()).add(int(j1))
                v.los(df.loc[(df["wijk_code"] == wijk) & (df["jaar"] == j1), "_bestand"].iloc[0],
                      f"de bevolking van wijk {wijk} verandert van {a0} in {j0} naar {a1} in {j1}: "
                      f"waarschijnlijk is de wijkindeling gewijzigd.",
                      f"Vergelijk cijfers per inwoner van {wijk} niet over de grens van {j1}.", ernst="waarschuwing")
    if "_indeling" in df:
        for (bestandsnaam, wijk, jaar), _ in df[df["_indeling"].fillna(False).astype(bool)].groupby(
                ["_bestand", "wijk_code", "jaar"], sort=False):
            v.indeling.setdefault(str(wijk), set()).add(int(jaar))
            v.los(bestandsnaam, f"CBS meldt voor wijk {wijk} een indelingswijziging in {jaar}.",
                  f"Vergelijk cijfers per inwoner van {wijk} niet over de grens van {jaar}.", ernst="waarschuwing")


def _lees(map: Path, bestand: Bestand, v: _Verzamelaar, pad: Path | None = None, k: Koppeling | None = None
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
        else:
            v.los(f"{bestand.stam}.csv", f"dit bestand ontbreekt, dus {bestand.nodig_voor} "
                  "is niet beschikbaar.", ernst="waarschuwing")
        return None, None
    ruw = lees_ruw(pad)
    if ruw.probleem:
        v.los(pad.name, f"{ruw.probleem}.", ruw.advies, rij=ruw.rij)
        return None, pad
    cbs_rijen = None
    if bestand.stam == "bevolking" and cbs.is_statline(list(ruw.tabel.columns)):
        omgezet, meldingen = cbs.naar_bevolking(ruw.tabel, _jaar_uit_naam(pad))
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
    df = _typeer(ruw, bestand, v)
    if cbs_rijen is not None and df is not None and len(df) == len(cbs_rijen):
        df = df.assign(_indeling=cbs_rijen["_indeling"].to_numpy())
    return df, pad


def _dubbel(naam: str, df: pd.DataFrame, sleutel: tuple[str, ...], v: _Verzamelaar):
    dubbel = df.duplicated(list(sleutel), keep="first") & df[list(sleutel)].notna().all(axis=1)
    if len(sleutel) == 1:
        v.rijen(naam, dubbel, sleutel[0], df[sleutel[0]], "deze waarde komt al eerder voor.",
                "Elke waarde in deze kolom moet uniek zijn; verwijder of hernummer de dubbele rij.")
    else:
        v.rijen(naam, dubbel, sleutel[-1], None,
                f"de combinatie {', '.join(sleutel)} komt al eerder voor.",
                "Voeg de rijen samen of verwijder de dubbele rij.")


def _verwijzing(naam, df, kolom, bekend: pd.Series, doel: str, v: _Verzamelaar):
    waarden = df[kolom]
    onbekend = (waarden != "") & waarden.notna() & ~waarden.isin(bekend)
    v.rijen(naam, onbekend, kolom, waarden, f"deze code staat niet in {doel}.",
            f"Voeg hem toe aan {doel} of verbeter de code.")


def _regels_wachttijden(naam: str, df: pd.DataFrame, v: _Verzamelaar) -> pd.DataFrame:
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


def _regels_trajecten(naam, t: pd.DataFrame, v: _Verzamelaar):
    v.rijen(naam, _bsn_masker(t["client_id"]), "client_id", t["client_id"],
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


def _eigen_namen(problemen: list[Probleem], koppeling: dict[str, Koppeling], bestandsnamen: dict[str, str]
                 ) -> list[Probleem]:
    """Messages about a mapped file name the user's own columns (its export), not the contract's."""
    eigen = {}
    for stam, k in koppeling.items():
        terug = {contract: str(own) for own, contract in k.kolommen.items()}
        eigen[bestandsnamen.get(stam, k.bestand or f"{stam}.csv")] = terug
    return [replace(p, kolom=eigen[p.bestand].get(p.kolom, p.kolom)) if p.bestand in eigen and p.kolom else p
            for p in problemen]


def controleer(map: Path | str, koppeling: dict[str, Koppeling] | None = None
               ) -> tuple[Rapport, dict[str, pd.DataFrame], list[Path]]:
    """Check a folder; return the report, the typed tables and the files read."""
    map = Path(map)
    v = _Verzamelaar()
    rapport = Rapport(map)
    if not map.is_dir():
        v.los(str(map), "deze map bestaat niet.",
              "Geef met --data de map met uw CSV-bestanden op (zie docs/data.md).")
        rapport.problemen = v.problemen
        return rapport, {}, []
    tabellen: dict[str, pd.DataFrame] = {}
    paden: list[Path] = []
    bestandsnamen: dict[str, str] = {}  # contract table -> the user's file it was read from
    for stam, bestand in CONTRACT.items():
        if stam == "bevolking":  # several files, each checked on its own in _lees_bevolking
            df, gelezen = _lees_bevolking(map, bestand, v)
            paden.extend(gelezen if isinstance(gelezen, list) else [gelezen] if gelezen else [])
            if df is not None:
                tabellen[stam] = df
            continue
        df, pad = _lees(map, bestand, v, k=(koppeling or {}).get(stam))
        if pad is not None:
            paden.append(pad)
            bestandsnamen[stam] = pad.name
        if df is not None and stam == "wachttijden":
            df = _regels_wachttijden(pad.name, df, v)
        if df is not None:
            tabellen[stam] = df
            bestandsnaam = pad.name
            if bestand.uniek:
                _dubbel(bestandsnaam, df, bestand.uniek, v)

    def naam(stam):
        return bestandsnamen.get(stam, f"{stam}.csv")

    a, w = tabellen.get("aanbieders"), tabellen.get("wijken")
    if "trajecten" in tabellen:
        t = tabellen["trajecten"]
        _regels_trajecten(naam("trajecten"), t, v)
        if a is not None:
            _verwijzing(naam("trajecten"), t, "aanbieder_id", a["aanbieder_id"], naam("aanbieders"), v)
            soort = t["aanbieder_id"].map(a.drop_duplicates("aanbieder_id").set_index("aanbieder_id")["wet"])
            v.rijen(naam("trajecten"), soort.notna() & (soort != "beide") & (soort != t["wet"]),
                    "wet", t["wet"], "de wet van dit traject past niet bij de wet van de aanbieder "
                    "in aanbieders.csv.", ernst="waarschuwing")
        if w is not None:
            _verwijzing(naam("trajecten"), t, "wijk_code", w["wijk_code"], naam("wijken"), v)
    for stam in ("ervaringen", "budget", "realisatie", "wachttijden"):
        if stam in tabellen and a is not None:
            _verwijzing(naam(stam), tabellen[stam], "aanbieder_id", a["aanbieder_id"], naam("aanbieders"), v)
    for stam in ("ervaringen", "bevolking"):
        if stam in tabellen and w is not None:
            _verwijzing(naam(stam), tabellen[stam], "wijk_code", w["wijk_code"], naam("wijken"), v)
    for stam, kolom in (("wijken", "wijk_code"), ("aanbieders", "aanbieder_id")):
        if stam in tabellen:
            codes_ = tabellen[stam][kolom]
            v.rijen(naam(stam), codes_.str.casefold().isin(GERESERVEERD), kolom, codes_,
                    f"deze code gebruikt de kit zelf ({' en '.join(GERESERVEERD)} staan voor het totaal).",
                    "Geef een andere code, bijvoorbeeld de CBS-wijkcode of de AGB-code.")
    if a is not None:
        v.rijen(naam("aanbieders"), a.duplicated("naam") & (a["naam"] != ""), "naam", a["naam"],
                "deze naam komt vaker voor; zoeken op naam wordt dubbelzinnig, gebruik dan de code.",
                ernst="waarschuwing")

    rapport.problemen = _eigen_namen(v.problemen, koppeling or {}, bestandsnamen)
    rapport.samenvatting = _samenvatting(tabellen)
    rapport.samenvatting["indelingswijzigingen"] = {w: sorted(j) for w, j in sorted(v.indeling.items())}
    if len(v.gemeenten) == 1:
        rapport.samenvatting["gemeente"] = next(iter(v.gemeenten))
    return rapport, tabellen, paden


def dekking(t: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day the trajecten cover.

    An extract often holds only trajecten still running at its start, some begun
    years earlier; the figures are complete from the first recorded ending (or the
    first start, if that is later). The last day is the latest start or end.
    """
    eerste = t["startdatum"].min()
    if t["einddatum"].notna().any():
        eerste = max(eerste, t["einddatum"].min())
    return eerste, pd.concat([t["startdatum"], t["einddatum"]]).max()


def _kwartaal(d) -> str:
    return f"{d.year}-Q{(d.month - 1) // 3 + 1}"


def _samenvatting(tabellen: dict[str, pd.DataFrame]) -> dict:
    s = {"rijen": {f"{k}": len(df) for k, df in tabellen.items()}, "perioden": {}}
    t = tabellen.get("trajecten")
    if t is not None and t["startdatum"].notna().any():
        s["perioden"]["trajecten"] = tuple(_kwartaal(d) for d in dekking(t))
    e = tabellen.get("ervaringen")
    if e is not None and e["datum"].notna().any():
        s["perioden"]["ervaringen"] = (_kwartaal(e["datum"].min()), _kwartaal(e["datum"].max()))
    r = tabellen.get("realisatie")
    if r is not None and r["jaar"].notna().any():
        sleutel = (r["jaar"] * 4 + r["kwartaal"] - 1).dropna().astype(int)
        s["perioden"]["realisatie"] = tuple(f"{i // 4}-Q{i % 4 + 1}" for i in (sleutel.min(), sleutel.max()))
    return s
