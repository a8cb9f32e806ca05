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


# The app's own three pages are small notebooks written as plain JSON (nbformat 4.5): `duiding app`
# writes them at every start, and papermill and nbformat cost it two seconds before Voilà could begin.
KERNELSPEC = {"name": "duiding", "display_name": "duiding", "language": "python"}


def _cel(cel_id: str, bron: str, tags: tuple[str, ...] = ()) -> dict:
    return {"cell_type": "code", "id": cel_id, "metadata": {"tags": list(tags)} if tags else {},
            "execution_count": None, "outputs": [], "source": bron}


def _app_pagina(cellen: list[dict], titel: str, doel: Path) -> Path:
    import json

    from ..iorw import atomair

    nb = {"cells": cellen, "metadata": {"kernelspec": KERNELSPEC, "language_info": {"name": "python"},
                                        "title": titel},  # the browser tab's title in Voilà
          "nbformat": 4, "nbformat_minor": 5}
    with atomair(doel, "w", encoding="utf-8") as f:
        json.dump(nb, f, ensure_ascii=False, indent=1)
        f.write("\n")
    return doel


def sessiepagina(map: Path, opslag_url: str, data: Path) -> Path:
    """sessie.ipynb: the first cell runs before anyone asks (Voilà's pool), the second waits for the request."""
    args = f"opslag_url={str(opslag_url)!r}, data={str(Path(data).resolve())!r}"
    return _app_pagina([_cel("sessie-0", f"from duiding.web import sessiepagina as sp\n\nsp.voorbereiden({args})"),
                        _cel("sessie-1", f"sp.toon(sp.gevraagd(), {args})")], "Duidingssessie", Path(map) / SESSIE)


def actienotebook(map: Path, opslag_url: str) -> Path:
    """acties.ipynb: every action across sessions."""
    return _app_pagina([_cel("acties-0", "from duiding.web.actiepagina import actiepagina\n\n"
                                         f"actiepagina({str(opslag_url)!r})")], "Acties", Path(map) / "acties.ipynb")


def startnotebook(map: Path, opslag_url: str, data: Path) -> Path:
    """start.ipynb in the served folder, with this store and data folder as parameters (and the other pages).

    As papermill does: the kit's start notebook without the analysts' how-to, and after its
    `parameters` cell one tagged `injected-parameters` with the values.
    """
    import json

    sessiepagina(map, opslag_url, data)
    actienotebook(map, opslag_url)
    bron = json.loads((NOTEBOOKS / START).read_text(encoding="utf-8"))
    cellen = []
    for c in bron["cells"]:
        tags = c.get("metadata", {}).get("tags", [])
        if "notebook-uitleg" in tags:
            continue
        cellen.append({**c, "outputs": [], "execution_count": None} if c["cell_type"] == "code" else c)
        if "parameters" in tags:
            waarden = {"opslag_url": str(opslag_url), "data": str(Path(data).resolve())}
            cellen.append(_cel("injected-parameters", "# Parameters\n" + "".join(
                f"{k} = {v!r}\n" for k, v in waarden.items()), ("injected-parameters",)))
    return _app_pagina(cellen, "Duidingssessies", Path(map) / START)
