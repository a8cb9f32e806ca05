"""A session's page recorded once and replayed in a light kernel: figures ahead of time, forms live.

Drawing a session's page means loading the data, computing the indicators of its subject
and rendering its charts: seconds of pandas and Vega in a warm kernel, many more in a
fresh one, and a kernel of 300-450 MB. None of that changes while the data, the settings,
the session and the kit stay the same. So the page is recorded once: when the session is
started (the start page's kernel is warm), or else on its first opening. The subject's
own notebook runs in modus sessie with its output captured; where a form or the open
actions of earlier sessions belong, the recording keeps a place (`plek`) instead.

Opening the page replays the recording in a kernel that imported only widgets and the
store (about 50 MB, ready in a second, so Voilà can keep a few waiting), and fills each
place live: the form with what is saved now, the carried-over actions as they stand now.

The recording lives in the user's cache folder under a key of everything that shapes it
(kit version, the session, the store, the data files, the settings); like the SVG cache
it holds only what the page publishes, never a client's row.
"""

from __future__ import annotations

import hashlib
import json
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

from IPython.display import display
from IPython.utils.capture import capture_output
from platformdirs import user_cache_dir

from .. import __version__

PLEK = "application/vnd.duiding.plek+json"  # a place in a recording, filled when the page is shown
MAP = Path(user_cache_dir("duiding", appauthor=False)) / "paginas"
VERSIE = 1  # of the recording's format: a change makes every older recording stale

_staat = {"opnemen": False}


@contextmanager
def opnemen():
    """While inside, a session's notebook leaves places for its live parts instead of drawing them."""
    vorige = _staat["opnemen"]
    _staat["opnemen"] = True
    try:
        yield
    finally:
        _staat["opnemen"] = vorige


def bezig() -> bool:
    """Is a page being recorded (in this process)?"""
    return _staat["opnemen"]


def plek(wat: str, **gegevens) -> None:
    """Leave a place in the recording: `wat` is "formulier" (with sectie, herkomst, principes) or "eerdere_acties"."""
    display({PLEK: {"wat": wat, **gegevens}, "text/plain": ""}, raw=True)


def sleutel(sessie, opslag_url: str, inst) -> str:
    """Everything a recording depends on, hashed: a change in any of it records the page again."""
    from ..paths import stempel

    delen = [VERSIE, __version__, opslag_url, repr(sessie), repr(inst), stempel(inst.data)]
    if getattr(inst, "geojson", None):
        bestand = Path(inst.geojson)
        delen.append(stempel(bestand.parent) if bestand.exists() else ())
    return hashlib.sha256(repr(delen).encode("utf-8")).hexdigest()[:32]


def pad(sessie, opslag_url: str, inst) -> Path:
    return MAP / f"sessie-{sessie.id}-{sleutel(sessie, opslag_url, inst)}.json"


def neem_op(sessie, opslag_url: str, inst) -> list[dict]:
    """Record the session's page: its notebook run in this kernel, out of sight, with places; saved and returned."""
    from ..iorw import atomair
    from ..sessie import sessie_parameters

    with opnemen(), capture_output(display=True) as c:
        uitvoeren(sessie.soort, sessie_parameters(sessie, inst.data, opslag_url))
    opname = [{"data": o.data, "metadata": o.metadata or {}} for o in c.outputs]
    doel = pad(sessie, opslag_url, inst)
    try:
        _ruim_op(sessie.id)
        with atomair(doel, "w", encoding="utf-8") as f:
            json.dump(opname, f, ensure_ascii=False)
    except OSError:  # a cache that cannot be written is no reason to fail the page
        pass
    return opname


def cellen(soort: str) -> list:
    """The subject notebook's cells a page shows: no how-to for analysts (the parameters cell first)."""
    import nbformat

    from ..paths import NOTEBOOKS

    bron = nbformat.read(NOTEBOOKS / f"{soort}.ipynb", as_version=4)
    return [c for c in bron.cells if "notebook-uitleg" not in c.metadata.get("tags", [])]


def uitvoeren(soort: str, parameters: dict) -> dict:
    """Run the subject's notebook in this kernel with these parameters; returns its namespace.

    As papermill does: the notebook's own defaults first, then the given parameters over them.
    """
    from IPython.display import Markdown

    ruimte: dict = {"__name__": "__duiding_sessie__"}
    for c in cellen(soort):
        if "parameters" in c.metadata.get("tags", []):
            exec(compile(c.source, f"<{soort}.ipynb: parameters>", "exec"), ruimte)
            ruimte.update(parameters)
        elif c.cell_type == "markdown":
            display(Markdown(c.source))
        elif c.cell_type == "code":
            exec(compile(c.source, f"<{soort}.ipynb>", "exec"), ruimte)
    return ruimte


def bewaard(sessie, opslag_url: str, inst) -> list[dict] | None:
    """The recording of this session's page, when it is still the page's (else None)."""
    try:
        return json.loads(pad(sessie, opslag_url, inst).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _ruim_op(sessie_id: int) -> None:
    """Older recordings of this session go: only the newest one can still be asked for."""
    for oud in MAP.glob(f"sessie-{int(sessie_id)}-*.json"):
        try:
            oud.unlink()
        except OSError:
            pass


def speel_af(opname: list[dict], opslag, sessie) -> dict:
    """Show a recording, its places filled live; returns the forms by section."""
    from ..formulier import Formulier
    from ..opslag import Herkomst

    formulieren = {}
    for o in opname:
        p = o["data"].get(PLEK)
        if p is None:
            display(o["data"], metadata=o["metadata"], raw=True)
        elif p["wat"] == "formulier":
            f = Formulier(opslag, sessie, p["sectie"], Herkomst(**p["herkomst"]), principes=tuple(p["principes"]))
            formulieren[p["sectie"]] = f
            display(f.widget)
        elif p["wat"] == "eerdere_acties":
            display({"text/html": eerdere_acties_html(opslag, sessie)}, raw=True)
    return formulieren


def eerdere_acties_html(opslag, sessie) -> str:
    from ..acties import eerdere
    from ..sjabloon import maak

    return maak("eerdere_acties.html.j2", eerdere_acties=eerdere(opslag, sessie))


def herkomst(h) -> dict:
    """A form's Herkomst as the place in a recording keeps it."""
    return asdict(h)
