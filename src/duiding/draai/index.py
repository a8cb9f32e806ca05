"""uitvoer/<periode>/index.html: the overview of the quarter, with every report.

Per wijk and per aanbieder the key figures of the quarter and their change against the
previous quarter and a year earlier (`overzicht.py`), sortable by any column (a few lines
of inline script; without script the table reads in its own order); links to every report,
the deep dive, and how to open the session app.

A manifest (`overzicht.json`, written atomically) remembers the reports of earlier
batches, so a batch with `--alleen` keeps the others in the index. The read-modify-write
of manifest and index holds a file lock, so batches running side by side into one folder
each add their reports.
"""

from __future__ import annotations

import json
from pathlib import Path

from .. import codes
from ..iorw import atomair, slot
from ..periode import leesbaar
from ..sjabloon import maak
from .html import Voet, pagina
from .uitvoeren import Resultaat

KOPPEN = {"regio": "De regio", "stad": "De stad", "gemeente": "Gemeenten", "wijk": "Wijken",
          "aanbieder": "Aanbieders", "verdieping": "Verdieping"}
KOP_NAAM = {"wijk": "wijk", "aanbieder": "aanbieder", "gemeente": "gemeente", "stad": "", "regio": "",
            "verdieping": ""}

# Sorts a table by a column's number (data-waarde, -vorig, -jaar) or name; a second click reverses.
SORTEER = """
document.querySelectorAll("table[data-sorteerbaar] th button").forEach(function (knop) {
  knop.addEventListener("click", function () {
    var tabel = knop.closest("table"), kolom = Number(knop.dataset.kolom), sleutel = knop.dataset.sleutel;
    var th = knop.closest("th"), oplopend = th.getAttribute("aria-sort") !== "ascending" || th.dataset.sleutel !== sleutel;
    tabel.querySelectorAll("th").forEach(function (t) { t.setAttribute("aria-sort", "none"); });
    th.setAttribute("aria-sort", oplopend ? "ascending" : "descending");
    th.dataset.sleutel = sleutel;
    tabel.querySelectorAll("th button").forEach(function (b) { b.classList.remove("op", "af"); });
    knop.classList.add(oplopend ? "op" : "af");  // the arrow on the button that sorted
    var rijen = Array.from(tabel.tBodies[0].rows);
    function waarde(rij) {
      var v = rij.cells[kolom].dataset[sleutel];
      if (sleutel === "naam") return v;
      return v === "" || v === undefined ? null : Number(v);
    }
    rijen.sort(function (a, b) {
      var x = waarde(a), y = waarde(b);
      if (x === null) return 1;
      if (y === null) return -1;
      var d = typeof x === "string" ? x.localeCompare(y, "nl") : x - y;
      return oplopend ? d : -d;
    });
    rijen.forEach(function (r) { tabel.tBodies[0].appendChild(r); });
  });
});
"""


def bij_te_werken(map: Path, resultaten: list[Resultaat], cijfers: dict | None = None) -> list[dict]:
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
    cijfers = cijfers or {}
    for (soort, _), r in rijen.items():  # this batch's figures for every row, also those of earlier batches
        bron = {"stad": ("wijk", "stad"), "regio": ("gemeente", "stad")}.get(soort, (soort, r["code"]))
        if bron[0] in cijfers and bron[1] in cijfers[bron[0]]:
            r["cijfers"] = cijfers[bron[0]][bron[1]]
    uit = sorted(rijen.values(), key=lambda r: (list(KOPPEN).index(r["soort"]), r["naam"].casefold()))
    with atomair(pad, "w", encoding="utf-8") as f:
        json.dump(uit, f, ensure_ascii=False, indent=1)
    return uit


def schrijf_index(map: Path, resultaten: list[Resultaat], voet: Voet, fictief: bool, cijfers: dict | None = None,
                  wet: str | None = None, data: str = "") -> Path:
    """Merge this batch into the manifest and write the index; one batch at a time per folder."""
    with slot(map / ".overzicht.lock"):  # two batches into one folder: neither loses the other's reports
        return _schrijf_index(map, resultaten, voet, fictief, cijfers, wet, data)


def _schrijf_index(map: Path, resultaten: list[Resultaat], voet: Voet, fictief: bool, cijfers: dict | None,
                   wet: str | None, data: str) -> Path:
    rijen = bij_te_werken(map, resultaten, cijfers)
    secties = []
    for soort, kop in KOPPEN.items():
        deze = [{"kort": False, "fout": "", "cijfers": [], **r} for r in rijen if r["soort"] == soort]
        if deze:
            kolommen = [c["kop"] for c in deze[0]["cijfers"]] if len(deze) > 1 and deze[0]["cijfers"] else []
            secties.append((soort, kop, deze, kolommen))
    inhoud = maak("index.html.j2", periode=voet.periode, fictief=fictief, totaal=len(rijen),
                  niet_klaar=sum(not r["ok"] for r in rijen), secties=secties, kop_naam=KOP_NAAM, sorteer=SORTEER,
                  wet=codes.WETTEN.get(wet or "", ""), data=data)
    pad = map / "index.html"
    with atomair(pad, "w", encoding="utf-8") as f:
        f.write(pagina(f"Overzicht {leesbaar(voet.periode)}", inhoud, voet, terug=None))
    return pad
