"""`duiding cijfers`: the privacy-protected table behind every chart.

The top-level function reads like the pipeline: load -> compute -> protect -> write.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pandas as pd

from .config import PRIVACY_NIVEAUS, Instellingen
from .exceptions import ParameterFout, PeriodeFout
from .gegevens import Gegevens, laad
from .indicatoren import REGISTER, bereken
from .iorw import atomair, onschadelijke_tabel
from .periode import Kwartaal, reeks
from .privacy import beveilig, publiceer

PER_KEUZES = ["wijk", "gemeente", "aanbieder", "productcategorie", "wet", "soort", "stad", "regio"]


def kies_perioden(g: Gegevens, periode: str | None = None, van: str | None = None,
                  tot: str | None = None) -> list[Kwartaal]:
    """The quarters asked for, checked against the data (default: the last quarter)."""
    eerste, laatste = g.perioden()
    if periode and (van or tot):
        raise PeriodeFout("Gebruik --periode óf --van/--tot, niet allebei.")
    if periode:
        return [g.kwartaal(periode)]
    if van or tot:
        return reeks(g.kwartaal(van) if van else eerste, g.kwartaal(tot))
    return [laatste]


def cijfers(g: Gegevens, indicator: str, per: str, perioden: list[Kwartaal], privacy: str = "intern",
            wet: str | None = None, inst: Instellingen | None = None, **opties) -> pd.DataFrame:
    """One indicator over some quarters, protected: the table behind every chart.

    Parameters
    ----------
    g : Gegevens
        Loaded data (`duiding.laad`).
    indicator : str
        bereik, wachttijd, ervaringen, budget, overgangen or verdieping (docs/indicatoren.md);
        for a region also solidariteit, resultaat and nabijheid (docs/regio.md).
    per : str
        wijk, gemeente, aanbieder, productcategorie, wet, soort, stad or regio; every split
        includes the total row `stad` (the whole of the data: the gemeente, or the region).
    perioden : list of Kwartaal
        The quarters, e.g. `reeks(Kwartaal(2024, 1), Kwartaal(2024, 4))` or `g.kwartaal("2024-Q4")`
        in a list.
    privacy : str
        intern (default), openbaar or geen; every figure of 1-4 people is hidden at intern and
        openbaar, and counts carry the cell-key noise that holds across tables.
    wet : str, optional
        jeugd or wmo; both when None.
    inst : Instellingen, optional
        The gemeente's settings (the waiting-time norm, the days that make an overgang).
    **opties
        Per indicator, e.g. `norm_dagen=` for wachttijd, `dagen=` for overgangen.

    Returns
    -------
    pandas.DataFrame
        Long table: indicator, per, groep, periode, maat, waarde, status (the word shown for a
        hidden value) and the columns that say how each figure was made.
    """
    inst = inst or Instellingen()
    standaard = {}
    if indicator == "wachttijd":
        standaard["norm_dagen"] = inst.wachttijd_norm_dagen
    if indicator == "overgangen":
        standaard["dagen"] = inst.overgang_dagen
    if indicator == "nabijheid":
        standaard["drempels_km"] = inst.nabijheid_km
    ruw = bereken(g, indicator, per, perioden, wet=wet, **{**standaard, **opties})
    return publiceer(beveilig(ruw, privacy))


def _nl_waarde(x: float) -> str:
    """1234.5 -> '1234,5'; whole numbers without decimals; hidden values empty."""
    if pd.isna(x):
        return ""
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.2f}".rstrip("0").replace(".", ",")


def schrijf(tabel: pd.DataFrame, uitvoer: Path | None, formaat: str) -> None:
    """CSV in the Dutch spreadsheet dialect (`;`, decimal comma) or Parquet; atomic."""
    tabel = tabel.copy()
    tabel["waarde"] = tabel["waarde"].round(2)
    if formaat == "parquet":
        if uitvoer is None:
            raise ParameterFout("Parquet kan niet naar het scherm; geef een bestand op met --uitvoer.")
        with atomair(uitvoer, "wb") as f:
            tabel.to_parquet(f, index=False)
        return
    tabel["waarde"] = tabel["waarde"].map(_nl_waarde)
    buf = io.StringIO()
    onschadelijke_tabel(tabel, getallen=("waarde",)).to_csv(buf, index=False, sep=";")
    if uitvoer is None:
        sys.stdout.write(buf.getvalue())
        return
    with atomair(uitvoer, "w", encoding="utf-8-sig", newline="") as f:
        f.write(buf.getvalue())


def voeg_parser_toe(sub, data_optie, functie) -> None:
    c = sub.add_parser("cijfers", help="de tabel achter elke grafiek, beschermd tegen herleidbaarheid")
    c.add_argument("--indicator", required=True, choices=list(REGISTER), help="welke indicator")
    c.add_argument("--per", required=True, choices=PER_KEUZES, help="waarnaar uitgesplitst")
    c.add_argument("--periode", metavar="P", help="één kwartaal, bijvoorbeeld 2024-Q4 (standaard: het laatste)")
    c.add_argument("--van", metavar="P", help="eerste kwartaal van een reeks")
    c.add_argument("--tot", metavar="P", help="laatste kwartaal van een reeks")
    c.add_argument("--wet", choices=["jeugd", "wmo"], help="alleen jeugd of alleen wmo")
    c.add_argument("--gemeente", metavar="NAAM", help="resultaat: alleen de trajecten van cliënten uit deze gemeente")
    c.add_argument("--aanbieder", metavar="NAAM", help="resultaat: alleen de trajecten bij deze aanbieder")
    c.add_argument("--privacy", choices=PRIVACY_NIVEAUS,
                   help="openbaar (CBS-regels), intern (standaard) of geen (ruwe cijfers: niet delen)")
    c.add_argument("--formaat", choices=["csv", "parquet"], default="csv", help="csv (standaard) of parquet")
    c.add_argument("--uitvoer", type=Path, metavar="BESTAND", help="schrijf naar dit bestand (standaard: scherm)")
    data_optie(c)
    c.set_defaults(functie=functie)


def cijfers_cli(args, inst: Instellingen) -> int:
    g = laad(inst.data, inst.koppeling)
    perioden = kies_perioden(g, args.periode, args.van, args.tot)
    privacy = args.privacy or inst.privacy
    filters = {k: v for k, v in (("gemeente", args.gemeente), ("aanbieder", args.aanbieder)) if v}
    if filters and args.indicator != "resultaat":
        raise ParameterFout("--gemeente en --aanbieder gelden alleen voor --indicator resultaat.")
    tabel = cijfers(g, args.indicator, args.per, perioden, privacy, args.wet, inst, **filters)
    schrijf(tabel, args.uitvoer, args.formaat)
    if privacy == "geen":
        print("LET OP: ruwe cijfers zonder privacybescherming. Niet delen.", file=sys.stderr)
    if args.uitvoer:
        print(f"{len(tabel)} rijen geschreven naar {args.uitvoer}.", file=sys.stderr)
    return 0
