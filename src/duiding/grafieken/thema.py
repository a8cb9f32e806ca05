"""The one Altair theme and renderer of the kit: registered in Altair's registries, enabled explicitly.

`registreer()` (on import of `duiding.grafieken`) only registers them. A notebook switches
them on with `gebruik()` when it starts (`duiding.onderwerp`); code that needs them briefly
uses `with actief():`, which restores what was active before (Altair's own enablers).

- Theme `duiding`: large fonts for a projector, the Okabe-Ito palette (safe for the
  common forms of colour blindness), and Vega's Dutch number and time locale, so an
  axis reads 1.234,5 and a date reads 3 mrt 2024 in every chart without styling per chart.
- Renderer `duiding`: each chart is rendered to static SVG by vl-convert (no browser,
  no network, no CDN script) and shipped beside its Vega-Lite spec. JupyterLab, VS Code,
  GitHub's and nbviewer's notebook views and Voilà show the SVG (none of them renders a
  Vega-Lite v6 spec); the batch's HTML reports draw the spec with the Vega bundle shipped
  once per output folder, and tests read the spec.
- Data transformer `duiding` (`waarden.py`): a chart's rows as inline values, the same as
  Altair's default gives, in a fraction of the time; `enable("duiding", max_rows=None)`
  lifts its 5.000-row limit.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

import altair as alt
import vl_convert as vlc
from platformdirs import user_cache_dir

from ..mime import SVG as SVG_MIME, VEGALITE
from . import kanalen, kopie
from .waarden import waarden

NAAM = "duiding"

# Vega's locale definitions for Dutch (d3-format and d3-time-format)
NL_GETAL = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["€\u00a0", ""]}
NL_TIJD = {
    "dateTime": "%a %e %B %Y %X",
    "date": "%d-%m-%Y",
    "time": "%H:%M:%S",
    "periods": ["AM", "PM"],
    "days": ["zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"],
    "shortDays": ["zo", "ma", "di", "wo", "do", "vr", "za"],
    "months": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
               "september", "oktober", "november", "december"],
    "shortMonths": ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
}

# Okabe & Ito (2008): distinguishable with protanopia, deuteranopia and tritanopia
PALET = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
VERBORGEN = "#8C8C8C"  # grey for hidden (privacy) values: outlines and reference lines, never text
VERBORGEN_TEKST = "#595959"  # the word 'verborgen' (7:1 on white, WCAG AA)
STAD = "#000000"  # the city as reference
EIGEN = PALET[0]  # the subject itself: a wijk, an aanbieder, the gemeente
TWEEDE = PALET[1]  # a second series beside EIGEN
DERDE = PALET[2]
GEEN_WAARDE = "#D9D9D9"  # the fill of a shape or cell without a value
LICHT = "#B9B9B9"  # a quiet reference series
VLAK = "#EEEEEE"  # a background band
RAND = "#FFFFFF"  # borders between shapes
TEKST = "#333333"
TEKST_ZACHT = "#555555"
TEKST_DONKER = "#111111"
LETTER = "DejaVu Sans, Verdana, Arial, sans-serif"
# The colour of a map or heatmap: the light part of Vega's "blues" scheme only. Dark text reads on
# every tile of it (WCAG AA, 4.5:1); on the full scheme there is a middle band of blues on which
# neither dark nor white text reaches 4.5:1.
BLAUW = {"name": "blues", "extent": [0.0, 0.6]}
BREEDTE, HOOGTE = 520, 300  # the SVG (app, verslag, PDF); the reports fit their page
LIJN_HOOGTE = 220  # a line over time is wide, not tall: at 1280×720 it fits beside the session's form
STAAF = 260  # the bars of a chart with long names beside them (aanbieders, redenen): together about BREEDTE


def thema() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "locale": {"number": NL_GETAL, "time": NL_TIJD},
            "font": LETTER,
            "background": "#ffffff",
            "padding": 12,
            "view": {"continuousWidth": BREEDTE, "continuousHeight": HOOGTE, "stroke": None},
            "title": {"fontSize": 22, "subtitleFontSize": 15, "subtitleColor": "#333333", "anchor": "start",
                      "offset": 14, "subtitlePadding": 6, "limit": 0},
            "axis": {"labelFontSize": 15, "titleFontSize": 15, "titleFontWeight": "normal",
                     "labelColor": "#222222", "titleColor": "#222222", "gridColor": "#e4e4e4",
                     "labelLimit": 0, "titleLimit": 0, "labelOverlap": True},
            "legend": {"labelFontSize": 15, "titleFontSize": 15, "orient": "bottom", "direction": "horizontal",
                       "titleFontWeight": "normal", "symbolSize": 160, "labelLimit": 0,
                       "titleLimit": 0},
            "header": {"labelFontSize": 15, "titleFontSize": 15, "labelLimit": 0},
            "range": {"category": PALET},
            "line": {"strokeWidth": 3},
            "point": {"size": 70, "filled": True},
            "text": {"fontSize": 15},
            "bar": {"discreteBandSize": {"band": 0.8}},
        }
    }


def _zonder_nan(x):
    """JSON has no NaN: a missing value in chart data becomes null."""
    if isinstance(x, float) and math.isnan(x):
        return None
    if isinstance(x, dict):
        return {k: _zonder_nan(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_zonder_nan(v) for v in x]
    return x


SVG_MAP = Path(user_cache_dir("duiding", appauthor=False)) / "svg"  # rendered charts, by their spec
SVG_HOOGSTENS = 20_000  # files kept; the oldest go first
_geschreven = 0


def svg(spec: dict) -> str:
    """A Vega-Lite spec as static SVG, in Dutch formats (vl-convert: no browser, no network).

    vl-convert takes a few tenths of a second per chart, one chart at a time, so the SVG is
    kept in the user's cache folder under a hash of the spec (and the renderer's version):
    the same chart (the same published figures) is rendered once, whichever kernel asks.
    The cache holds only what the charts publish, never raw figures.
    """
    spec = _zonder_nan(spec)
    sleutel = hashlib.sha256(json.dumps([vlc.__version__, spec], sort_keys=True, ensure_ascii=False,
                                        default=str).encode("utf-8")).hexdigest()
    pad = SVG_MAP / sleutel[:2] / f"{sleutel}.svg"
    try:
        return pad.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        pass
    tekst = vlc.vegalite_to_svg(spec, format_locale=NL_GETAL, time_format_locale=NL_TIJD)
    _bewaar(pad, tekst)
    return tekst


def _bewaar(pad: Path, tekst: str) -> None:
    """Write atomically; a cache that cannot be written is no reason to fail a chart."""
    global _geschreven
    try:
        pad.parent.mkdir(parents=True, exist_ok=True)
        fd, tijdelijk = tempfile.mkstemp(dir=pad.parent, prefix=".svg.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(tekst)
        os.replace(tijdelijk, pad)
        _geschreven += 1
        if _geschreven % 500 == 1:
            _snoei()
    except OSError:
        pass


def _snoei() -> None:
    """Keep at most SVG_HOOGSTENS files: the least recently written go."""
    bestanden = [(p.stat().st_mtime, p) for p in SVG_MAP.glob("*/*.svg")]
    for _, p in sorted(bestanden)[:max(0, len(bestanden) - SVG_HOOGSTENS)]:
        p.unlink(missing_ok=True)


def png(spec: dict, schaal: float = 2.0) -> bytes:
    return vlc.vegalite_to_png(_zonder_nan(spec), scale=schaal, format_locale=NL_GETAL, time_format_locale=NL_TIJD)


MIME, SVG = VEGALITE, SVG_MIME


def render(spec: dict, **metadata) -> dict:
    """Mimebundle: static SVG (shown everywhere, offline) plus the Vega-Lite spec."""
    spec = _zonder_nan(spec)
    return {MIME: spec, SVG: svg(spec), "text/plain": spec.get("description", "Grafiek")}


def registreer() -> None:
    """Register the theme, the renderer and the data transformer in Altair's registries (idempotent);
    enables nothing.

    Also keeps Altair's table of schema classes between channel conversions (`kanalen`) and
    copies charts without rebuilding them (`kopie`): the same charts, built in a fraction of
    the time.
    """
    global _GEREGISTREERD
    kanalen.onthoud()
    kopie.snel()
    if _GEREGISTREERD:  # a registry's names() reads every installed package's entry points: 14 ms a call
        return
    if NAAM not in alt.theme.names():
        alt.theme.register(NAAM, enable=False)(thema)
    if NAAM not in alt.renderers.names():
        alt.renderers.register(NAAM, render)
    if NAAM not in alt.data_transformers.names():
        alt.data_transformers.register(NAAM, waarden)
    _GEREGISTREERD = True


_GEREGISTREERD = False


def gebruik() -> None:
    """Switch the kit's theme, renderer and data transformer on for this process (a notebook's kernel)."""
    registreer()
    alt.theme.enable(NAAM)
    alt.renderers.enable(NAAM)
    alt.data_transformers.enable(NAAM)


@contextmanager
def actief():
    """The kit's theme, renderer and data transformer while inside; whatever was active before afterwards."""
    registreer()
    with alt.theme.enable(NAAM), alt.renderers.enable(NAAM), alt.data_transformers.enable(NAAM):
        yield
