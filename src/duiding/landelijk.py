"""The national benchmark beside a gemeente's own figures: CBS open data, fetched once, stored beside the data.

`duiding cbs haal` fetches (with `cbsodata`, when there is internet) two StatLine tables:

- 85098NED *Jongeren met jeugdzorg; regio*: per gemeente and year the share of young
  people with jeugdhulp (in natura, with verblijf), jeugdbescherming and jeugdreclassering;
- 70072NED *Regionale kerncijfers Nederland*: the population per gemeente, for the size class.

Each is stored in `<data>/cbs/<id>_<date>.csv` with a `.json` beside it holding CBS's own
titles and units. Nothing is fetched while reports run: they read the newest stored copy.

The comparison: the gemeente, the median of the gemeenten of its size class (CBS's
classes by inhabitants) and the Netherlands, per measure and year. CBS's own secrecy is
kept: a value CBS leaves empty stays empty ("geheim (CBS)"), and is left out of the median.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Callable

import pandas as pd

from .exceptions import InvoerFout
from .iorw import atomair

JEUGDZORG = "85098NED"
BEVOLKING = "70072NED"
TABELLEN = {JEUGDZORG: "Jongeren met jeugdzorg; regio", BEVOLKING: "Regionale kerncijfers Nederland"}
# per table: the measures kept (None: every measure of the table)
MATEN = {JEUGDZORG: None, BEVOLKING: ("TotaleBevolking_1",)}
NEDERLAND = "NL01"
# CBS's size classes of gemeenten, by inhabitants (Gemeentegrootte)
KLASSEN = [(0, 20_000, "minder dan 20.000 inwoners"), (20_000, 50_000, "20.000 tot 50.000 inwoners"),
           (50_000, 100_000, "50.000 tot 100.000 inwoners"), (100_000, 150_000, "100.000 tot 150.000 inwoners"),
           (150_000, 250_000, "150.000 tot 250.000 inwoners"), (250_000, 10**9, "250.000 inwoners of meer")]
MAP = "cbs"


def _cbsodata(tabel: str) -> dict:
    """What StatLine's OData API gives for a table: DataProperties, RegioS, Perioden and the data."""
    import cbsodata

    meta = {k: cbsodata.get_meta(tabel, k) for k in ("DataProperties", "RegioS", "Perioden")}
    filters = "substringof('GM', RegioS) or RegioS eq 'NL01'"
    return {**meta, "TypedDataSet": cbsodata.get_data(tabel, filters=filters)}


def haal(map: Path, bron: Callable[[str], dict] = _cbsodata, vandaag: date | None = None) -> list[Path]:
    """Fetch both tables and store them in `map/cbs/`; return the files written.

    `bron` answers as StatLine's OData API does (the default asks it over the internet; the
    tests replay a recorded answer).
    """
    vandaag = vandaag or date.today()
    doel = Path(map) / MAP
    doel.mkdir(parents=True, exist_ok=True)
    geschreven = []
    for tabel in TABELLEN:
        try:
            antwoord = bron(tabel)
        except OSError as fout:
            raise InvoerFout(f"CBS-tabel {tabel} kon niet worden opgehaald ({fout.__class__.__name__}). Is er "
                             "internet? De rapporten werken ook zonder; probeer het later opnieuw.") from None
        df, meta = _omzetten(tabel, antwoord, vandaag)
        stam = doel / f"{tabel}_{vandaag.isoformat()}"
        with atomair(stam.with_suffix(".csv"), "w", encoding="utf-8", newline="") as f:
            df.to_csv(f, index=False)
        with atomair(stam.with_suffix(".json"), "w", encoding="utf-8") as f:
            json.dump(meta, f, ensure_ascii=False, indent=1)
        geschreven += [stam.with_suffix(".csv"), stam.with_suffix(".json")]
    return geschreven


def _omzetten(tabel: str, antwoord: dict, vandaag: date) -> tuple[pd.DataFrame, dict]:
    """Dimension titles back to their keys (GM0344, 2023), the measures kept, CBS's empties kept empty."""
    regio = {r["Title"].strip(): r["Key"].strip() for r in antwoord["RegioS"]}
    regionaam = {r["Key"].strip(): r["Title"].strip() for r in antwoord["RegioS"]}
    perioden = {p["Title"].strip(): p["Key"].strip() for p in antwoord["Perioden"]}
    maten = [p for p in antwoord["DataProperties"] if p.get("Type") == "Topic" and p.get("Key")]
    if MATEN[tabel]:
        maten = [p for p in maten if p["Key"] in MATEN[tabel]]
    rijen = []
    for r in antwoord["TypedDataSet"]:
        code = regio.get(str(r["RegioS"]).strip(), str(r["RegioS"]).strip())
        periode = perioden.get(str(r["Perioden"]).strip(), str(r["Perioden"]).strip())
        rij = {"regio": code, "regionaam": regionaam.get(code, str(r["RegioS"]).strip()),
               "jaar": int(re.match(r"\d{4}", periode).group())}
        rij.update({m["Key"]: r.get(m["Key"]) for m in maten})
        rijen.append(rij)
    meta = {"tabel": tabel, "titel": TABELLEN[tabel], "opgehaald": vandaag.isoformat(),
            "bron": f"CBS StatLine, tabel {tabel}",
            "maten": {m["Key"]: {"titel": m.get("Title", m["Key"]).strip(), "eenheid": (m.get("Unit") or "").strip()}
                      for m in maten}}
    return pd.DataFrame(rijen), meta


def lees(map: Path, tabel: str) -> tuple[pd.DataFrame, dict] | None:
    """The newest stored copy of a table, or None when `duiding cbs haal` has not been run."""
    kandidaten = sorted((Path(map) / MAP).glob(f"{tabel}_*.csv"))
    if not kandidaten:
        return None
    pad = kandidaten[-1]
    meta = json.loads(pad.with_suffix(".json").read_text(encoding="utf-8"))
    return pd.read_csv(pad, dtype={"regio": str}), meta


def klasse(inwoners: float) -> str:
    return next(naam for van, tot, naam in KLASSEN if van <= inwoners < tot)


def vergelijking(map: Path, gemeente: str) -> tuple[pd.DataFrame, dict] | None:
    """Per measure and year: the gemeente, the median of its size class, the Netherlands (long table).

    Columns: jaar, maat, titel, eenheid, wie (gemeente | klasse | Nederland), waarde (NaN:
    secret or absent at CBS), n (gemeenten in the median). None without stored tables.
    """
    zorg, bevolking = lees(map, JEUGDZORG), lees(map, BEVOLKING)
    if zorg is None or bevolking is None:
        return None
    z, meta = zorg
    b, _ = bevolking
    if gemeente not in set(z["regio"]):
        return None
    inwoners = b[b["regio"].str.startswith("GM")].sort_values("jaar").groupby("regio")["TotaleBevolking_1"].last()
    klassen = inwoners.dropna().map(klasse)
    eigen = klassen.get(gemeente)
    rijen = []
    for maat, info in meta["maten"].items():
        for jaar, deel in z.groupby("jaar"):
            per_regio = deel.set_index("regio")[maat]
            peers = [g for g, k in klassen.items() if k == eigen and g != gemeente and g in per_regio.index]
            waarden = per_regio.reindex(peers).dropna()
            for wie, waarde, n in (("gemeente", per_regio.get(gemeente), 1),
                                   ("klasse", waarden.median() if len(waarden) else None, len(waarden)),
                                   ("Nederland", per_regio.get(NEDERLAND), 1)):
                rijen.append({"jaar": int(jaar), "maat": maat, "titel": info["titel"], "eenheid": info["eenheid"],
                              "wie": wie, "waarde": waarde, "n": n})
    return pd.DataFrame(rijen), {**meta, "klasse": eigen}
