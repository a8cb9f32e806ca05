"""uitvoer/<periode>/index.html: every report of the period, with a small overview.

A manifest (`overzicht.json`, written atomically) remembers the reports of earlier
batches, so a batch with `--alleen` keeps the others in the index. The read-modify-write
of manifest and index holds a file lock, so batches running side by side into one folder
each add their reports.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..iorw import atomair, slot
from ..periode import leesbaar
from ..sjabloon import maak
from .html import Voet, pagina
from .uitvoeren import Resultaat

KOPPEN = {"regio": "De regio", "stad": "De stad", "gemeente": "Gemeenten", "wijk": "Wijken",
          "aanbieder": "Aanbieders"}


def bij_te_werken(map: Path, resultaten: list[Resultaat]) -> list[dict]:
    pad = map / "overzicht.json"
    try:
        rijen = {(r["soort"], r["slug"]): r for r in json.loads(pad.read_text(encoding="utf-8"))}
    except (FileNotFoundError, json.JSONDecodeError, KeyError, TypeError):
        rijen = {}
    for r in resultaten:
        t = r.taak
        rijen[(t.soort, t.slug)] = {"soort": t.soort, "code": t.code, "naam": t.naam, "slug": t.slug, "ok": r.ok,
                                    "grafieken": r.grafieken, "seconden": round(r.seconden, 1), "fout": r.fout,
                                    "kort": t.kort}
    uit = sorted(rijen.values(), key=lambda r: (list(KOPPEN).index(r["soort"]), r["naam"].casefold()))
    with atomair(pad, "w", encoding="utf-8") as f:
        json.dump(uit, f, ensure_ascii=False, indent=1)
    return uit


def schrijf_index(map: Path, resultaten: list[Resultaat], voet: Voet, fictief: bool) -> Path:
    """Merge this batch into the manifest and write the index; one batch at a time per folder."""
    with slot(map / ".overzicht.lock"):  # two batches into one folder: neither loses the other's reports
        return _schrijf_index(map, resultaten, voet, fictief)


def _schrijf_index(map: Path, resultaten: list[Resultaat], voet: Voet, fictief: bool) -> Path:
    rijen = bij_te_werken(map, resultaten)
    secties = [(soort, kop, deze) for soort, kop in KOPPEN.items() if (deze := [r for r in rijen if r["soort"] == soort])]
    inhoud = maak("index.html.j2", periode=voet.periode, fictief=fictief, goed=sum(r["ok"] for r in rijen),
                  totaal=len(rijen), secties=[(s, k, [{"kort": False, "fout": "", **r} for r in d]) for s, k, d in secties])
    pad = map / "index.html"
    with atomair(pad, "w", encoding="utf-8") as f:
        f.write(pagina(f"Rapporten {leesbaar(voet.periode)}", inhoud, voet, terug=None))
    return pad
