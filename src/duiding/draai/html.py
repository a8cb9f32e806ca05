"""An executed notebook -> one offline HTML report without code.

nbconvert's `basic` template renders the cells (inputs excluded) as a fragment; the page
around it is ours: Dutch, readable on a projector, printable. A chart output becomes:
- inline SVG when the kernel rendered one (notebooks run outside the batch), a page
  with no script at all; or
- its Vega-Lite spec in a JSON block, drawn in the browser by the one local Vega bundle
  of the output folder (`statisch.py`, referenced relatively as `static`), when the batch
  ran its kernels in spec mode. Nothing is ever fetched from a CDN.
Under every chart stays its sentence and table, readable without any script.

nbconvert renders the page around each output, with a stand-in where the output's HTML goes
(`_Plekken`); the outputs' own HTML is put in afterwards, as it is. nbconvert's HTMLExporter
ends by parsing the whole page with BeautifulSoup (to give an <img> without alt an English
alt text and outputs of a `.jp-Notebook` a tabindex) and writing it out again; a report has
neither, yet with its tables and charts in the page that pass was most of the HTML's time.
"""

from __future__ import annotations

import html
import json
import re
import threading
import uuid
from dataclasses import dataclass

import nbformat
from nbconvert import HTMLExporter

from ..mime import SVG, VEGALITE as MIME
from ..sjabloon import maak

# Everything a report needs to look right, inline: large type, tables, print rules.
STIJL = """
:root { --tekst: #1a1a1a; --zacht: #555; --lijn: #d9d9d9; --accent: #0072B2; }
html { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; color: var(--tekst); background: #fff; }
body { max-width: 1180px; margin: 0 auto; padding: 24px 32px 64px; font-size: 19px; line-height: 1.5; }
h1 { font-size: 2.1em; margin: .2em 0; } h2 { font-size: 1.6em; margin-top: 1.6em;
  border-bottom: 3px solid var(--accent); padding-bottom: .2em; } h3 { font-size: 1.25em; }
svg { max-width: 100%; height: auto; } svg text { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; }
table.duiding-tabel { border-collapse: collapse; margin: .6em 0 1.2em; font-size: .9em; }
table.duiding-tabel caption { text-align: left; font-weight: bold; padding-bottom: .3em; }
table.duiding-tabel th, table.duiding-tabel td { border: 1px solid var(--lijn); padding: .25em .6em; text-align: left; }
table.duiding-tabel td { font-variant-numeric: tabular-nums; }
.duiding-alt p { color: var(--zacht); font-size: .9em; margin: .2em 0; }
details summary { cursor: pointer; color: var(--accent); }
.duiding-fictief { background: #fff3cd; border-left: 6px solid #e69f00; padding: .5em .8em; }
.duiding-valt-op { background: #eef6fb; border-left: 6px solid var(--accent); padding: .3em 1em; margin: 1em 0; }
.duiding-vragen { background: #f6f6f6; border-radius: 6px; padding: .4em 1.2em; margin: 1em 0 2em; }
.duiding-vastgelegd { background: #eefaf5; border-left: 6px solid #009E73; padding: .3em 1em; margin: 1em 0 2em; }
.duiding-vastgelegd dt { font-weight: bold; margin-top: .4em; } .duiding-vastgelegd dd { margin: 0 0 0 1em; white-space: pre-wrap; }
.duiding-bron, .duiding-sessie, .duiding-deelnemers { color: var(--zacht); }
.jp-OutputArea-output, .output_area { margin: .4em 0; }
figure.duiding-grafiek { margin: 1em 0 .4em; }
.duiding-vega, .duiding-vega.vega-embed { display: block; width: 100%; }
a.anchor-link { display: none; }
table.duiding-overzicht { width: 100%; } table.duiding-overzicht td { vertical-align: top; }
table.duiding-overzicht th button { font: inherit; font-weight: bold; background: none; border: 0; padding: 0;
  color: var(--accent); cursor: pointer; text-align: left; text-decoration: underline; }
table.duiding-overzicht th .duiding-sorteer-verschil { display: block; font-size: .8em; }
table.duiding-overzicht th .duiding-sorteer-verschil button { font-weight: normal; }
table.duiding-overzicht th button.op::after { content: " ↑"; }
table.duiding-overzicht th button.af::after { content: " ↓"; }
.duiding-verschil { display: block; font-size: .85em; color: var(--zacht); white-space: nowrap; }
nav.duiding-inhoud a { margin-right: 1.2em; }
footer { margin-top: 3em; border-top: 1px solid var(--lijn); padding-top: .6em; font-size: .8em; color: var(--zacht); }
nav a { margin-right: 1em; }
@media print {
  body { max-width: none; font-size: 11pt; padding: 0; }
  h2 { break-before: auto; } svg, table, .duiding-vastgelegd { break-inside: avoid; }
  details { display: block; } details > summary { display: none; } details > table { display: table; }
  .duiding-vragen { display: none; } a { color: inherit; text-decoration: none; }
  footer { position: static; }
}
"""


@dataclass(frozen=True)
class Voet:
    """The footer every report carries."""

    data_hash: str
    periode: str
    privacy: str
    versie: str
    gemaakt: str  # Dutch date and time

    def html(self) -> str:
        return maak("voet.html.j2", voet=self)


def pagina(titel: str, inhoud: str, voet: Voet, terug: str | None = None, script: str | None = None) -> str:
    """The page; `script` is the relative URL of the local Vega bundle, when charts need it."""
    return maak("pagina.html.j2", titel=titel, stijl=STIJL, terug=terug, inhoud=inhoud, voet=voet, script=script) + "\n"


_FONT = re.compile(r' font-family="[^"]*"')


def _compact(fragment: str) -> str:
    """Smaller SVG: the font is set once in the stylesheet instead of on every text element."""
    return _FONT.sub("", fragment)


def _grafiek_html(svg: str, beschrijving: str) -> str:
    """Inline SVG with its sentence as accessible name (no base64 image, no English alt text)."""
    svg = _compact(svg.strip())
    if svg.startswith("<?xml"):
        svg = svg[svg.index("?>") + 2:].lstrip()
    svg = svg.replace("<svg ", f"<svg role='img' aria-label='{html.escape(beschrijving, quote=True)}' ", 1)
    return maak("grafiek_svg.html.j2", svg=svg)


def _json_in_html(spec: dict) -> str:
    """JSON safe inside a <script> block: no '<', '>' or '&' can close it or open a tag."""
    tekst = json.dumps(spec, ensure_ascii=False, separators=(",", ":"))
    return tekst.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _vega_html(spec: dict, beschrijving: str) -> str:
    """A chart the browser draws from its spec; the sentence names it meanwhile and without script."""
    return maak("grafiek_vega.html.j2", beschrijving=beschrijving, spec_json=_json_in_html(spec))


_EXPORTER = threading.local()  # building an exporter loads its templates: once per worker thread


def _exporter() -> HTMLExporter:
    if getattr(_EXPORTER, "x", None) is None:
        # optimistic_validation: the notebook is checked against its schema once, after all
        # preprocessors, not after each of them (six checks of a whole report)
        _EXPORTER.x = HTMLExporter(template_name="basic", exclude_input=True, exclude_input_prompt=True,
                                   exclude_output_prompt=True, anchor_link_text="", optimistic_validation=True)
    return _EXPORTER.x


def rapport_html(nb: nbformat.NotebookNode, titel: str, voet: Voet, terug: str | None = "../index.html",
                 static: str | None = None) -> str:
    """The report page of an executed notebook: outputs and text, no code, no prompts.

    `static` is the relative URL of the output folder's Vega bundle: with it, the browser
    draws each chart from its spec (the batch's reports, light pages); without it, each
    chart is the static SVG of its output, inline (a verslag: one file, no script).
    """
    exporter = _exporter()
    plekken = _Plekken()
    # papermill's own cells (parameters, error banner) and the how-to for analysts are not part of the report
    weg = {"injected-parameters", "parameters", "notebook-uitleg"}
    vega = False
    cellen = []
    for c in nb.cells:
        if set(c.metadata.get("tags", [])) & weg or c.metadata.get("papermill", {}).get("exception"):
            continue
        if c.cell_type == "code":
            # a shallow copy: a chart's spec (its data rows) is read here, never copied
            uit = []
            for o in c.outputs:
                if o.output_type == "stream" and o.get("name") == "stderr":
                    continue
                data = o.get("data", {})
                tekst = data.get("text/plain", "Grafiek")
                tekst = "".join(tekst) if isinstance(tekst, list) else tekst
                if MIME in data and static is not None:
                    o = {**o, "data": {"text/html": _vega_html(data[MIME], tekst)}}
                    vega = True
                elif SVG in data:
                    svg = data[SVG]
                    o = {**o, "data": {"text/html": _grafiek_html("".join(svg) if isinstance(svg, list) else svg, tekst)}}
                elif MIME in data:
                    raise ValueError("a chart without SVG needs the Vega bundle: pass static=")
                uit.append(plekken.zet(o))
            c = {**c, "outputs": uit}
        cellen.append(c)
    nb = nbformat.from_dict({**nb, "cells": cellen})
    fragment, _ = exporter.from_notebook_node(nb)
    return pagina(titel, _compact(plekken.vul(fragment)), voet, terug, script=static if vega else None)


class _Plekken:
    """Outputs' HTML out of nbconvert's way: a stand-in goes through the exporter, the HTML comes back after."""

    def __init__(self) -> None:
        self.merk = f"duiding-plek-{uuid.uuid4().hex}-"
        self.inhoud: list[str] = []

    def zet(self, o: dict) -> dict:
        inhoud = o.get("data", {}).get("text/html") if o.get("output_type") in ("display_data", "execute_result") \
            else None
        if inhoud is None:
            return o
        self.inhoud.append("".join(inhoud) if isinstance(inhoud, list) else inhoud)
        # the other types stay: nbconvert chooses among them as before, and only a chosen stand-in is filled
        return {**o, "data": {**o["data"], "text/html": f"{self.merk}{len(self.inhoud) - 1}."}}

    def vul(self, fragment: str) -> str:
        return re.sub(re.escape(self.merk) + r"(\d+)\.", lambda m: self.inhoud[int(m.group(1))], fragment)
