"""Duidingen out (CSV/JSON for researchers) and in (CSV from paper or a spreadsheet).

Both directions use the same columns. Import checks every row first, like
`duiding controleer` (file, row, column, what to do), and writes nothing when one row
is wrong; otherwise it saves all rows in one transaction per session, each a new version.
Running it twice, or in parallel, adds no duplicates: a row equal to the latest version
of its section is not saved again.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from .. import nl
from ..exceptions import InvoerFout
from ..iorw import onschadelijk, scheiding, terug
from ..periode import Kwartaal
from .modellen import Duiding, Herkomst, Sessie
from .store import Opslag, bewaar_in, sessie_in
from .velden import KEUZES, PRINCIPES, SECTIES, SOORTEN, VELDEN, principes_lijst, principes_vrij, schoon

KOLOMMEN = ["sessie_titel", "soort", "onderwerp", "periode", "datum", "indicator", "wat_zien_we", "herkennen",
            "herkennen_toelichting", "verhaal", "waardering", "verwachting", "principes", "binnen_kaders", "auteur"]
VERPLICHT = ["sessie_titel", "soort", "onderwerp", "periode", "datum", "indicator"]
EXTRA = ["sessie_id", "versie", "opgeslagen_op"]  # export only
MAX_FOUTEN = 30


def _rij(sessie: Sessie, d: Duiding) -> dict:
    r = {"sessie_titel": sessie.titel, "soort": sessie.soort, "onderwerp": sessie.onderwerp_naam,
         "periode": sessie.periode, "datum": sessie.datum.isoformat(), "indicator": d.sectie,
         **{k: d.velden[k] for k in VELDEN}, "auteur": d.auteur}
    r["principes"] = ";".join(p.strip() for p in d.velden["principes"].split(";") if p.strip())
    r.update(sessie_id=sessie.id, versie=d.versie, opgeslagen_op=nl.lokaal(d.opgeslagen_op).isoformat(timespec="seconds"))
    return r


def _past(onderwerp: str | None, sessie: Sessie) -> bool:
    if not onderwerp:
        return True
    o = onderwerp.strip().casefold()
    return o in (sessie.onderwerp.casefold(), sessie.onderwerp_naam.casefold())


def exporteer_rijen(opslag: Opslag, wijk: str | None = None, aanbieder: str | None = None,
                    principe: str | None = None, van: str | None = None, tot: str | None = None,
                    alle_versies: bool = False, principes: tuple[str, ...] = PRINCIPES) -> list[dict]:
    """The duidingen that pass the filters: the latest version per section, or every version.

    `principe` may name one of the gemeente's `principes` or one found in stored duidingen
    (saved under an earlier list).
    """
    if principe:
        opgeslagen = [p for _, d in opslag.alle_versies() for p in principes_vrij(d.velden["principes"])]
        gekozen = principes_lijst(principe, tuple(principes_vrij([*principes, *opgeslagen])))
    else:
        gekozen = []
    van_k = str(Kwartaal.parse(van)) if van else None
    tot_k = str(Kwartaal.parse(tot)) if tot else None
    if van_k and tot_k and van_k > tot_k:
        raise InvoerFout(f"--van {van_k} ligt na --tot {tot_k}.")
    paren = opslag.alle_versies()
    if not alle_versies:
        laatste = {}
        for s, d in paren:
            laatste[(s.id, d.sectie)] = (s, d)
        paren = list(laatste.values())
    uit = []
    for s, d in paren:
        if wijk and not (s.soort == "wijk" and _past(wijk, s)):
            continue
        if aanbieder and not (s.soort == "aanbieder" and _past(aanbieder, s)):
            continue
        if van_k and s.periode < van_k or tot_k and s.periode > tot_k:
            continue
        if gekozen and not {p.casefold() for p in gekozen} <= {
                p.strip().casefold() for p in d.velden["principes"].split(";")}:
            continue
        uit.append(_rij(s, d))
    return uit


def als_tekst(rijen: list[dict], formaat: str = "csv") -> str:
    if formaat == "json":
        return json.dumps(rijen, ensure_ascii=False, indent=1) + "\n"
    if formaat != "csv":
        raise InvoerFout(f"Onbekend formaat '{formaat}'. Kies csv of json.")
    buf = io.StringIO()
    schrijver = csv.DictWriter(buf, fieldnames=KOLOMMEN + EXTRA, lineterminator="\n")
    schrijver.writeheader()
    schrijver.writerows({k: onschadelijk(v) for k, v in r.items()} for r in rijen)
    return buf.getvalue()


@dataclass
class Regel:
    """One valid import row."""

    rij: int
    soort: str
    onderwerp: str
    onderwerp_naam: str
    periode: str
    datum: date
    titel: str
    sectie: str
    velden: dict
    auteur: str


def _datum(tekst: str) -> date:
    tekst = tekst.strip()
    for formaat in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(tekst, formaat).date()
        except ValueError:
            pass
    raise ValueError(tekst)


def _records(lezer: csv.DictReader, pad: Path):
    """The reader's rows; a row the csv module cannot read becomes a Dutch error with its line."""
    while True:
        try:
            yield next(lezer)
        except StopIteration:
            return
        except csv.Error as e:
            waarom = (f"een veld is langer dan {nl.getal(csv.field_size_limit())} tekens"
                      if "field limit" in str(e) else "de regel is geen geldige CSV")
            raise InvoerFout(f"{pad}, regel {lezer.line_num + 1}: {waarom}; er is niets geïmporteerd. Kort de tekst "
                             "in of controleer de aanhalingstekens in die regel.") from None


def lees_import(pad: Path, g=None, gemeente: str = "de gemeente", principes: tuple[str, ...] = PRINCIPES
                ) -> list[Regel]:
    """Read and check an import CSV; raises InvoerFout listing every problem (file, row, column).

    Principles are checked against the gemeente's list (`leidende_principes`).
    """
    pad = Path(pad)
    if not pad.is_file():
        raise InvoerFout(f"{pad}: dit bestand bestaat niet.")
    try:
        tekst = pad.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvoerFout(f"{pad}: het bestand is geen UTF-8. Sla het in de spreadsheet op als "
                         "'CSV UTF-8' en probeer het opnieuw.") from None
    eerste = tekst.split("\n", 1)[0]
    lezer = csv.DictReader(io.StringIO(tekst), delimiter=scheiding(eerste))  # Dutch spreadsheets write ';'
    kolommen = [k.strip() for k in (lezer.fieldnames or [])]
    ontbreekt = [k for k in VERPLICHT if k not in kolommen]
    if ontbreekt:
        raise InvoerFout(f"{pad}: de kolom(men) {', '.join(ontbreekt)} ontbreken in de kopregel. Verwacht: "
                         f"{', '.join(KOLOMMEN)} (principes gescheiden door ';').")
    onbekend = [k for k in kolommen if k not in KOLOMMEN + EXTRA]
    if onbekend:
        raise InvoerFout(f"{pad}: onbekende kolom '{onbekend[0]}'. Toegestaan: {', '.join(KOLOMMEN)}.")
    fouten: list[str] = []
    regels: list[Regel] = []

    def fout(rij: int, kolom: str, melding: str) -> None:
        fouten.append(f"{pad.name}, rij {rij}, kolom {kolom}: {melding}")

    for nummer, ruw in enumerate(_records(lezer, pad), start=2):  # row 1 is the header
        r = {(k or "").strip(): terug((v or "").strip()) for k, v in ruw.items() if k is not None}
        if not any(r.values()):
            continue
        aantal = len(fouten)
        for k in VERPLICHT:
            if not r.get(k):
                fout(nummer, k, "leeg; vul het in.")
        soort = r.get("soort", "").casefold()
        if soort and soort not in SOORTEN:
            fout(nummer, "soort", f"'{r['soort']}' is geen soort. Kies wijk, aanbieder of stad.")
        code = naam = r.get("onderwerp", "")
        if soort in SOORTEN and code:
            if soort == "stad":
                if code.casefold() not in ("stad", gemeente.casefold()):
                    fout(nummer, "onderwerp", f"bij soort stad hoort 'stad' of '{gemeente}', niet '{code}'.")
                code, naam = "stad", gemeente
            elif g is not None:
                try:
                    code, naam = g.onderwerp(soort, code, gemeente)
                except InvoerFout:
                    fout(nummer, "onderwerp", f"'{r['onderwerp']}' is geen bekende {soort} in de gegevens. "
                         f"Gebruik de naam of code zoals in wijken.csv / aanbieders.csv.")
        periode = r.get("periode", "")
        try:
            periode = str(Kwartaal.parse(periode)) if periode else ""
        except InvoerFout:
            fout(nummer, "periode", f"'{periode}' is geen kwartaal. Schrijf het als 2024-Q4.")
        try:
            datum = _datum(r["datum"]) if r.get("datum") else None
        except ValueError:
            fout(nummer, "datum", f"'{r['datum']}' is geen datum. Schrijf het als 2025-03-14 of 14-03-2025.")
            datum = None
        sectie = r.get("indicator", "").casefold()
        if sectie and sectie not in SECTIES:
            fout(nummer, "indicator", f"'{r['indicator']}' is geen sectie. Kies uit: {', '.join(SECTIES)}.")
        velden = {k: r.get(k, "") for k in VELDEN}
        for k, keuzes in KEUZES.items():
            if velden[k] and velden[k].casefold() not in keuzes:
                fout(nummer, k, f"'{velden[k]}' is geen geldige waarde. Kies {', '.join(keuzes[:-1])} of "
                     f"{keuzes[-1]}, of laat het leeg.")
            velden[k] = velden[k].casefold()
        try:
            velden["principes"] = principes_lijst(velden["principes"], principes)
        except InvoerFout:
            fout(nummer, "principes", f"'{velden['principes']}' bevat een onbekend principe. Kies uit: "
                 f"{'; '.join(principes)} (gescheiden door ';').")
        if len(fouten) == aantal:
            regels.append(Regel(nummer, soort, code, naam, periode, datum, r["sessie_titel"], sectie, velden,
                                r.get("auteur", "")))
        if len(fouten) >= MAX_FOUTEN:
            fouten.append("… en mogelijk meer; herstel deze eerst.")
            break
    if fouten:
        raise InvoerFout(f"{pad}: {len(fouten)} probleem/problemen; er is niets geïmporteerd. Herstel ze en "
                         "probeer het opnieuw.\n  " + "\n  ".join(fouten))
    if not regels:
        raise InvoerFout(f"{pad}: het bestand heeft geen rijen met duidingen.")
    return regels


def importeer(opslag: Opslag, regels: list[Regel]) -> tuple[int, int]:
    """Save checked rows in one transaction; returns (new versions, sessions). All or nothing."""

    def werk(conn) -> tuple[int, int]:
        ids: dict[tuple, int] = {}
        nieuw = 0
        for r in regels:
            sleutel = (r.soort, r.onderwerp, r.periode, r.titel)
            if sleutel not in ids:
                ids[sleutel] = sessie_in(conn, r.soort, r.onderwerp, r.periode, r.titel, r.datum, r.onderwerp_naam, [])
            nieuw += bewaar_in(conn, ids[sleutel], r.sectie, schoon(r.velden), r.auteur[:200], Herkomst())[1]
        return nieuw, len(ids)

    return opslag._transactie(werk)
