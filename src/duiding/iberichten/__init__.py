"""iJw and iWmo messages (release 3.2) in, contract files out: `duiding iberichten`.

    converteer(bronnen, uitvoer, geheim)   # reads, checks, pseudonymises, links, writes

reads like the pipeline it runs: berichten.bronnen -> berichten.lees (schema check,
pseudonym at the door) -> koppelen.trajecten (StatusAanlevering, start/stop, wijk) ->
trajecten.csv and an aanbieders.csv skeleton, written atomically.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pandas as pd

from ..exceptions import InvoerFout
from ..iorw import atomair, lees_ruw, scheiding
from .berichten import BerichtFout, bronnen, lees
from .koppelen import Telling, aanbieders, trajecten
from .pseudoniem import Pseudoniem

__all__ = ["converteer", "lees_postcodes", "lees_clientwijk", "Telling"]


def _kolom(kolommen, *patronen) -> str | None:
    for p in patronen:
        for k in kolommen:
            if re.fullmatch(p, str(k).strip(), re.IGNORECASE):
                return k
    return None


def _wijkcode(waarde: str) -> str:
    w = str(waarde).strip().upper()
    if w.startswith("WK"):
        return w
    return "WK" + w.zfill(6) if w.isdigit() else ""


def _postcodebron(pad: Path):
    """A text stream of the table: the CSV itself, or the pc6hnr…csv inside the zip CBS distributes."""
    import io
    import zipfile

    if zipfile.is_zipfile(pad):
        z = zipfile.ZipFile(pad)
        leden = [n for n in z.namelist() if n.lower().endswith(".csv")]
        if not leden:
            raise InvoerFout(f"{pad.name}: dit zip-archief bevat geen CSV-bestand met postcodes.")
        return io.TextIOWrapper(z.open(sorted(leden, key=lambda n: "pc6" not in n.lower())[0]), encoding="utf-8-sig")
    return open(pad, encoding="utf-8-sig", newline="")


def lees_postcodes(pad: Path, nodig: set[str] | None = None) -> dict[tuple[str, str], str]:
    """CBS's postcode/house number -> buurt/wijk table as downloaded: (pc6, nr) -> WK….

    The table covers the whole country (millions of rows, often zipped): it is streamed in
    chunks and only the postcodes in `nodig` are kept. A postcode whose addresses all lie
    in one wijk also answers without a house number.
    """
    with _postcodebron(pad) as f:
        kop = f.readline()
    teken = scheiding(kop)
    kolommen = [k.strip().strip('"') for k in kop.strip().split(teken)]
    pc = _kolom(kolommen, r"pc6", r"postcode")
    nr = _kolom(kolommen, r"huisnummer", r"huisnr")
    wijk = _kolom(kolommen, r"wijk\d{0,4}", r"wijkcode", r"wijk_code")
    if pc is None or wijk is None:
        raise InvoerFout(f"{pad.name}: dit is geen postcodetabel van CBS (verwacht de kolommen PC6, Huisnummer en "
                         f"Wijk2024 of wijk_code; gevonden: {', '.join(kolommen[:8])}).")
    delen = []
    with _postcodebron(pad) as f:
        for blok in pd.read_csv(f, sep=teken, dtype=str, keep_default_na=False, chunksize=500_000,
                                usecols=[k for k in (pc, nr, wijk) if k is not None]):
            blok[pc] = blok[pc].str.replace(r"\s", "", regex=True).str.upper()
            if nodig is not None:
                blok = blok[blok[pc].isin(nodig)]
            delen.append(blok)
    t = pd.concat(delen, ignore_index=True)
    df = pd.DataFrame({"pc": t[pc], "nr": t[nr].str.strip() if nr is not None else "",
                       "wijk": t[wijk].map(_wijkcode)})
    df = df[df["wijk"] != ""]
    uit = dict(zip(zip(df["pc"], df["nr"]), df["wijk"]))
    eenduidig = df.groupby("pc")["wijk"].nunique()
    for pc_, w in df[df["pc"].isin(eenduidig[eenduidig == 1].index)].drop_duplicates("pc")[["pc", "wijk"]].values:
        uit[(pc_, "")] = w
    return uit


def lees_clientwijk(pad: Path) -> dict[str, str]:
    """The gemeente's own client -> wijk file: client_id (the same keyed hash) and wijk_code."""
    ruw = lees_ruw(pad)
    if ruw.probleem:
        raise InvoerFout(f"{pad.name}: {ruw.probleem}.")
    t = ruw.tabel
    if "client_id" not in t.columns or "wijk_code" not in t.columns:
        raise InvoerFout(f"{pad.name}: verwacht de kolommen client_id en wijk_code (client_id gemaakt met hetzelfde "
                         "geheim als de berichten).")
    return dict(zip(t["client_id"].astype(str).str.strip(), t["wijk_code"].astype(str).str.strip()))


def converteer(paden: list[Path], uitvoer: Path, geheim: str | None, postcodes: Path | None = None,
               clientwijk: Path | None = None) -> tuple[Telling, pd.DataFrame, pd.DataFrame, str | None]:
    """Read every message, write trajecten.csv and aanbieders.csv into `uitvoer`.

    Returns the counts, both tables and the gemeente's CBS code found in the headers. A
    message that cannot be used is skipped with a Dutch line in `Telling.fouten`; the
    rest goes on. Nothing is written when no message could be used.
    """
    pseudoniem = Pseudoniem(geheim)
    for p in paden:
        if not p.exists():
            raise InvoerFout(f"{p}: dit bestand of deze map bestaat niet.")
    for p in (postcodes, clientwijk):
        if p is not None and not p.is_file():
            raise InvoerFout(f"{p}: dit bestand bestaat niet.")
    cw = lees_clientwijk(clientwijk) if clientwijk else None
    t = Telling()
    regels = []
    for i, (naam, inhoud) in enumerate(bronnen(paden)):
        try:
            soort, deel = lees(naam, inhoud, pseudoniem, i)
        except BerichtFout as fout:
            t.overgeslagen += 1
            t.fouten.append(str(fout))
            continue
        if soort is None:
            t.ander_type += 1
            continue
        t.gelezen += 1
        t.per_bericht[soort.naam] += 1
        regels.extend(deel)
    if not regels:
        raise InvoerFout("Geen enkel bruikbaar iJw- of iWmo-bericht gevonden"
                         + (f"; {t.overgeslagen} bericht(en) overgeslagen:\n" + "\n".join(t.fouten[:10])
                            if t.fouten else ".") + "\nEr is niets geschreven.")
    pc = lees_postcodes(postcodes, {r.postcode for r in regels if r.postcode}) if postcodes else None
    traj = trajecten(regels, pseudoniem, pc, cw, t)
    aanb = aanbieders(regels)
    gemeenten = Counter(r.gemeente for r in regels if r.gemeente)
    gemeente = "GM" + gemeenten.most_common(1)[0][0].zfill(4) if gemeenten else None
    schrijf(uitvoer, traj, aanb, t)
    return t, traj, aanb, gemeente


HERKOMST = "iberichten.toml"  # marks trajecten.csv as made by this command (so a rerun may replace it)


def schrijf(uitvoer: Path, traj: pd.DataFrame, aanb: pd.DataFrame, t: Telling) -> None:
    """trajecten.csv (replacing only one this command made) and aanbieders.csv (kept, new AGB codes added)."""
    uitvoer.mkdir(parents=True, exist_ok=True)
    if (uitvoer / "trajecten.csv").exists() and not (uitvoer / HERKOMST).exists():
        raise InvoerFout(f"{uitvoer / 'trajecten.csv'} bestaat al en is niet door 'duiding iberichten' gemaakt. "
                         "Kies een andere map met --uitvoer, of verplaats dat bestand eerst; er is niets "
                         "overschreven.")
    bestaand = uitvoer / "aanbieders.csv"
    if bestaand.exists():
        oud = pd.read_csv(bestaand, dtype=str, keep_default_na=False)
        nieuw = aanb[~aanb["aanbieder_id"].isin(oud.get("aanbieder_id", pd.Series(dtype=str)))]
        t.nieuwe_aanbieders = len(nieuw)
        aanb = pd.concat([oud, nieuw], ignore_index=True)
    else:
        t.nieuwe_aanbieders = len(aanb)
    with atomair(uitvoer / "trajecten.csv", "w", encoding="utf-8", newline="") as f:
        traj.to_csv(f, index=False)
    with atomair(uitvoer / "aanbieders.csv", "w", encoding="utf-8", newline="") as f:
        aanb.to_csv(f, index=False)
    with atomair(uitvoer / HERKOMST, "w", encoding="utf-8") as f:
        f.write("# trajecten.csv is gemaakt door 'duiding iberichten' uit iJw/iWmo-berichten (release 3.2)\n"
                f"berichten = {t.gelezen}\ntrajecten = {len(traj)}\n")
