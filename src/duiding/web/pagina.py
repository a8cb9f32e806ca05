"""The notebooks the web app serves: the start page and one page per session, written atomically.

nbformat and papermill are imported where a notebook is written: a page's kernel that
only needs an address from here does not pay for them.

The analysts' how-to cell is left out of both: a facilitator's page shows figures and forms.
"""

from __future__ import annotations

from pathlib import Path

from ..paths import NOTEBOOKS

START = "start.ipynb"
SESSIE = "sessie.ipynb"  # the page of every session: sessie.ipynb?sessie=N


def sessie_bestand(sessie_id: int) -> str:
    """The file name of a session's page beside the start page."""
    return f"sessie-{int(sessie_id)}.ipynb"


def sessienotebook(soort: str, parameters: dict, doel: Path, titel: str = "Duidingssessie") -> Path:
    """The subject's notebook with the session's parameters, for Voilà to run (atomic write).

    The analysts' how-to cell is left out: a facilitator's page shows the figures only.
    """
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    bron = load_notebook_node(str(NOTEBOOKS / f"{soort}.ipynb"))  # papermill's reader adds the tag lists it needs
    bron.cells = [c for c in bron.cells if "notebook-uitleg" not in c.metadata.get("tags", [])]
    nb = parameterize_notebook(bron, parameters, report_mode=False)
    nb.metadata["title"] = titel  # the browser tab's title in Voilà
    _schrijf(nb, doel)
    return doel


def _schrijf(nb, doel: Path) -> None:
    import nbformat

    from ..iorw import atomair

    with atomair(doel, "w", encoding="utf-8") as f:
        nbformat.write(nb, f)


def sessie_adres(sessie_id: int) -> str:
    """A session's page in the app, relative to the start page."""
    return f"{SESSIE}?sessie={int(sessie_id)}"


def sessiepagina(map: Path, opslag_url: str, data: Path) -> Path:
    """sessie.ipynb: the first cell runs before anyone asks (Voilà's pool), the second waits for the request."""
    import nbformat

    args = f"opslag_url={str(opslag_url)!r}, data={str(Path(data).resolve())!r}"
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell(f"from duiding.web import sessiepagina as sp\n\nsp.voorbereiden({args})"),
        nbformat.v4.new_code_cell(f"sp.toon(sp.gevraagd(), {args})"),
    ])
    for i, c in enumerate(nb.cells):
        c["id"] = f"sessie-{i}"
    nb.metadata["kernelspec"] = {"name": "duiding", "display_name": "duiding", "language": "python"}
    nb.metadata["title"] = "Duidingssessie"
    doel = Path(map) / SESSIE
    _schrijf(nb, doel)
    return doel


def actienotebook(map: Path, opslag_url: str) -> Path:
    """acties.ipynb: every action across sessions."""
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        f"from duiding.web.actiepagina import actiepagina\n\nactiepagina({str(opslag_url)!r})")])
    nb.cells[0]["id"] = "acties-0"
    nb.metadata["kernelspec"] = {"name": "duiding", "display_name": "duiding", "language": "python"}
    nb.metadata["title"] = "Acties"
    doel = Path(map) / "acties.ipynb"
    _schrijf(nb, doel)
    return doel


def startnotebook(map: Path, opslag_url: str, data: Path) -> Path:
    """start.ipynb in the served folder, with this store and data folder as parameters (and the other pages)."""
    sessiepagina(map, opslag_url, data)
    actienotebook(map, opslag_url)
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    bron = load_notebook_node(str(NOTEBOOKS / START))
    bron.cells = [c for c in bron.cells if "notebook-uitleg" not in c.metadata.get("tags", [])]
    nb = parameterize_notebook(bron, {"opslag_url": opslag_url, "data": str(Path(data).resolve())}, report_mode=False)
    nb.metadata["title"] = "Duidingssessies"
    doel = Path(map) / START
    _schrijf(nb, doel)
    return doel
