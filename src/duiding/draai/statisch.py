"""The Vega bundle, written once per output folder (`uitvoer/_static/`).

Reports made by `duiding draai` carry each chart as its Vega-Lite spec; the browser draws
it with this one local script (vega, vega-lite and vega-embed, from vl-convert, so no CDN
and no network). The file name carries the vl-convert version and a hash of our snippet,
so a folder never mixes an old bundle with newer reports.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import vl_convert as vlc
from platformdirs import user_cache_dir

from ..iorw import atomair
from ..grafieken.thema import NL_GETAL, NL_TIJD

MAP = "_static"
_EINDE = "duidingTeken();"  # how the bundle ends: the last statement of the snippet

# Draws every chart of the page: spec from the JSON script in its figure, SVG renderer (sharp
# on a projector and in print), the figure's sentence as the SVG's accessible name.
# A chart takes the width of its figure: a single or layered view fits it ("container", and
# follows a resized window); small multiples and side-by-side views share it out.
SNIPPET = """
window.vegaEmbed = vegaEmbed;
const NL = {formatLocale: %(getal)s, timeFormatLocale: %(tijd)s};
function duidingBreedte(spec, ruimte) {
  if (spec.facet && spec.spec) {
    const k = Math.max(1, Math.min(spec.columns || 1, Math.floor(ruimte / 260)));
    spec.columns = k;
    spec.spec.width = Math.max(150, Math.floor((ruimte - 110) / k) - 24);
  } else if (spec.hconcat) {
    const n = spec.hconcat.length;
    for (const deel of spec.hconcat) {
      if (typeof deel.width === "number") deel.width = Math.max(160, Math.floor(ruimte / n) - 190);
    }
  } else if (spec.vconcat) {
    for (const deel of spec.vconcat) if (typeof deel.width === "number") deel.width = ruimte - 110;
  } else if (typeof spec.width === "number") {
    spec.width = "container";
    spec.autosize = {type: "fit-x", contains: "padding"};
  }
  return spec;
}
function duidingTeken() {
  for (const fig of document.querySelectorAll("figure.duiding-grafiek[data-vega]")) {
    const bron = fig.querySelector("script[type='application/json']");
    const doel = fig.querySelector(".duiding-vega");
    const spec = duidingBreedte(JSON.parse(bron.textContent), doel.clientWidth);
    vegaEmbed(doel, spec, {renderer: "svg", actions: false, ...NL}).then(() => {
      const svg = doel.querySelector("svg");
      svg.setAttribute("role", "img");
      svg.setAttribute("aria-label", fig.dataset.beschrijving || "Grafiek");
      fig.dataset.getekend = "ja";
    }).catch((fout) => {
      doel.textContent = "Deze grafiek kon niet getekend worden. De tabel eronder geeft dezelfde cijfers.";
      fig.dataset.getekend = "fout";
      console.error(fout);
    });
  }
}
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", duidingTeken);
else duidingTeken();
"""


def _snippet() -> str:
    import json
    return SNIPPET % {"getal": json.dumps(NL_GETAL), "tijd": json.dumps(NL_TIJD)}


def bestandsnaam() -> str:
    h = hashlib.sha256(_snippet().encode("utf-8")).hexdigest()[:8]
    return f"duiding-vega-{vlc.__version__}-{h}.js"


def schrijf_bundel(uitvoer: Path) -> Path:
    """uitvoer/_static/<bundle>.js, written atomically unless it is already there.

    vl-convert takes one to two seconds of CPU to build the bundle; the name holds its
    version and a hash of the snippet, so a built bundle is kept in the user's cache
    folder and copied from there by every later batch.
    """
    pad = Path(uitvoer) / MAP / bestandsnaam()
    if not pad.exists():
        pad.parent.mkdir(parents=True, exist_ok=True)
        inhoud = _uit_cache()
        if inhoud is None:
            inhoud = vlc.javascript_bundle(_snippet())
            _in_cache(inhoud)
        with atomair(pad, "w") as f:
            f.write(inhoud)
    return pad


def _cache_pad() -> Path:
    return Path(user_cache_dir("duiding", appauthor=False)) / "vega" / bestandsnaam()


def _uit_cache() -> str | None:
    try:
        inhoud = _cache_pad().read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return inhoud if inhoud.rstrip().endswith(_EINDE) else None  # a cut-off copy is built anew


def _in_cache(inhoud: str) -> None:
    pad = _cache_pad()
    try:
        pad.parent.mkdir(parents=True, exist_ok=True)
        with atomair(pad, "w") as f:
            f.write(inhoud)
    except OSError:
        pass  # no cache folder: the next batch builds the bundle again


class Bundel(threading.Thread):
    """Builds the bundle beside the batch (vl-convert takes about a second), joined at the end."""

    def __init__(self, uitvoer: Path):
        super().__init__(daemon=True, name="duiding-vega-bundel")
        self.uitvoer, self.pad, self.fout = uitvoer, None, None

    def run(self) -> None:
        try:
            self.pad = schrijf_bundel(self.uitvoer)
        except Exception as e:  # reported by klaar(); the reports keep their tables
            self.fout = e

    def klaar(self) -> Path:
        self.join()
        if self.fout is not None:
            raise self.fout
        return self.pad
