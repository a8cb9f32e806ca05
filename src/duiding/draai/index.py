"""uitvoer/<periode>/index.html: every report of the period, with a small overview.

A manifest (`overzicht.json`, written atomically) remembers the reports of earlier
batches, so a batch with `--alleen` keeps the others in the index. The read-modify-write
of manifest and index holds a file lock, so batches running side by side into one folder
each add their reports.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from .. import nl
from ..iorw import atomair, slot
from .html import Voet, pagina
from .uitvoeren import Resultaat

KOPPEN = {"stad": "De stad", "wijk": "Wijken", "aanbieder": "Aanbieders"}


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
    delen = [f"<h1>Rapporten {html.escape(voet.periode)}</h1>"]
    if fictief:
        delen.append("<p class='duiding-fictief'><strong>Let op: fictieve gegevens.</strong></p>")
    goed = sum(r["ok"] for r in rijen)
    delen.append(f"<p>{goed} van de {len(rijen)} rapporten zijn klaar. Elk rapport werkt zonder internet.</p>")
    for soort, kop in KOPPEN.items():
        deze = [r for r in rijen if r["soort"] == soort]
        if not deze:
            continue
        body = []
        for r in deze:
            naam = html.escape(r["naam"])
            link = (f"<a href='{soort}/{html.escape(r['slug'])}.html'>{naam}</a>" if r["ok"]
                    else f"{naam} <strong>(mislukt: {html.escape(r['fout'][:160])}; zie "
                         f"<a href='{soort}/{html.escape(r['slug'])}.ipynb'>het notebook</a>)</strong>")
            if r.get("kort"):
                link += " <span class='duiding-let-op'>(weinig inwoners: kort rapport)</span>"
            body.append(f"<tr><td>{link}</td><td>{html.escape(r['code'])}</td><td>{r['grafieken']}</td>"
                        f"<td>{nl.getal(r['seconden'], 1)} s</td></tr>")
        delen.append(f"<h2>{kop}</h2><table class='duiding-tabel'><thead><tr><th scope='col'>rapport</th>"
                     f"<th scope='col'>code</th><th scope='col'>grafieken</th><th scope='col'>rekentijd</th></tr>"
                     f"</thead><tbody>{''.join(body)}</tbody></table>")
    pad = map / "index.html"
    with atomair(pad, "w", encoding="utf-8") as f:
        f.write(pagina(f"Rapporten {voet.periode}", "".join(delen), voet, terug=None))
    return pad
