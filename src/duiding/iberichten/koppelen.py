"""From product lines to trajecten: apply StatusAanlevering, link start and stop, find the wijk.

- A start (305) and a stop (307) are records keyed by wet, aanbieder, ToewijzingNummer and
  Begindatum (a stop repeats the Begindatum of the start it ends). In message order
  (Dagtekening, then Identificatie), status 1 adds a record, 2 replaces it, 3 deletes it.
- A traject is every key with a start or a stop; a stop without a start still gives one
  (its Begindatum is in the stop), and is counted.
- The toewijzing (301) gives the address (for the wijk) and, for jeugd, the verwijzer; the
  verzoek om toewijzing (315), matched by ReferentieAanbieder, gives the aanmelddatum (its
  Dagtekening) and the verwijzer where the 301 has none.
- The wijk comes from the postcode (and house number) in the 301 and the CBS table, or
  from the gemeente's own client->wijk file. Without either it stays empty: such a
  traject counts for the gemeente and the aanbieder, never for a wijk, and is counted.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from .berichten import Regel
from .pseudoniem import Pseudoniem


@dataclass
class Telling:
    """What happened, in counts only (never a client's data)."""
    gelezen: int = 0  # messages read and used
    overgeslagen: int = 0  # messages with errors, skipped
    ander_type: int = 0  # messages of the standard the kit does not use (302, 306 …)
    per_bericht: Counter = field(default_factory=Counter)
    gecorrigeerd: int = 0  # product lines with status 2 applied
    verwijderd: int = 0  # records deleted by status 3
    verwijderen_zonder_record: int = 0
    stop_zonder_start: int = 0
    zonder_wijk: int = 0
    wijk_uit_postcode: int = 0
    wijk_uit_bestand: int = 0
    nieuwe_aanbieders: int = 0
    fouten: list[str] = field(default_factory=list)


def _toepassen(regels: list[Regel], sleutel, t: Telling) -> dict:
    """The state after applying every line in message order: key -> last Regel."""
    stand: dict = {}
    for r in sorted(regels, key=lambda r: r.volgorde):
        k = sleutel(r)
        if r.status == "3":
            if k in stand:
                del stand[k]
                t.verwijderd += 1
            else:
                t.verwijderen_zonder_record += 1
        else:
            if r.status == "2":
                t.gecorrigeerd += 1
            stand[k] = r
    return stand


def _laatste(regels: list[Regel], sleutel) -> dict:
    uit: dict = {}
    for r in sorted(regels, key=lambda r: r.volgorde):
        uit[sleutel(r)] = r
    return uit


def trajecten(regels: list[Regel], pseudoniem: Pseudoniem, postcodes: dict | None, clientwijk: dict | None,
              t: Telling) -> pd.DataFrame:
    """The trajecten table of the contract (text columns), one row per start/stop key."""
    per = {n: [r for r in regels if r.bericht.endswith(n)] for n in ("301", "305", "307", "315")}

    def zorg(r: Regel):
        return r.wet, r.aanbieder, r.toewijzing, r.begindatum

    starts = _toepassen(per["305"], zorg, t)
    stops = _toepassen(per["307"], zorg, t)
    toewijzingen = _laatste(per["301"], lambda r: (r.wet, r.toewijzing))
    verzoeken = _laatste(per["315"], lambda r: (r.wet, r.aanbieder, r.referentie))
    rijen = []
    for k in sorted(set(starts) | set(stops)):
        start, stop = starts.get(k), stops.get(k)
        if start is None:
            t.stop_zonder_start += 1
        r = start or stop
        tw = toewijzingen.get((r.wet, r.toewijzing))
        vz = verzoeken.get((r.wet, r.aanbieder, tw.referentie)) if tw is not None and tw.referentie else None
        verwijzer = ""
        if r.wet == "jeugd":
            verwijzer = (tw.verwijzer if tw is not None else "") or (vz.verwijzer if vz is not None else "")
        wijk = _wijk(r.client, tw, postcodes, clientwijk, t)
        rijen.append({
            "traject_id": pseudoniem.traject(r.wet, r.aanbieder, r.toewijzing, r.begindatum),
            "client_id": r.client, "wet": r.wet, "aanbieder_id": r.aanbieder,
            "productcategorie": (start.categorie if start is not None and start.categorie else
                                 (stop.categorie if stop is not None else "")) or (tw.categorie if tw else ""),
            "wijk_code": wijk, "verwijzer": verwijzer,
            "aanmelddatum": vz.dagtekening if vz is not None else "",
            "startdatum": r.begindatum,
            "einddatum": stop.einddatum if stop is not None else "",
            "reden_beeindiging": stop.reden if stop is not None else "",
            "geboortejaar": str(r.geboortejaar),
        })
    kolommen = ["traject_id", "client_id", "wet", "aanbieder_id", "productcategorie", "wijk_code", "verwijzer",
                "aanmelddatum", "startdatum", "einddatum", "reden_beeindiging", "geboortejaar"]
    return pd.DataFrame(rijen, columns=kolommen)


def _wijk(client: str, tw: Regel | None, postcodes: dict | None, clientwijk: dict | None, t: Telling) -> str:
    if tw is not None and tw.postcode and postcodes:
        wijk = postcodes.get((tw.postcode, tw.huisnummer)) or postcodes.get((tw.postcode, ""))
        if wijk:
            t.wijk_uit_postcode += 1
            return wijk
    if clientwijk and client in clientwijk:
        t.wijk_uit_bestand += 1
        return clientwijk[client]
    t.zonder_wijk += 1
    return ""


def aanbieders(regels: list[Regel]) -> pd.DataFrame:
    """A skeleton aanbieders.csv: every AGB code found, its wet(ten); name and soort to fill in."""
    wetten: dict[str, set] = {}
    for r in regels:
        if r.aanbieder:
            wetten.setdefault(r.aanbieder, set()).add(r.wet)
    return pd.DataFrame([{"aanbieder_id": agb, "naam": f"AGB {agb}", "soort": "aanvullend",
                          "wet": w.pop() if len(w) == 1 else "beide"} for agb, w in sorted(wetten.items())],
                        columns=["aanbieder_id", "naam", "soort", "wet"])
