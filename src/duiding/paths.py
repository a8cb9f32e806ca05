"""Where the kit's own files are: in a source checkout, or inside the installed package.

In a checkout the files live at the top (`notebooks/`, `data/sample/`, `kernels/`), where
the design card puts them. A wheel carries the same files as package data
(`duiding/notebooks`, `duiding/sample`, `duiding/kernels`, see pyproject.toml), found through
`importlib.resources`. The checkout wins when the package runs from one, so an edited
notebook is the one that runs.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path

_PAKKET = Path(str(files("duiding")))
_CHECKOUT = _PAKKET.parents[1]  # src/duiding -> the repository root
IN_CHECKOUT = (_CHECKOUT / "pyproject.toml").is_file() and (_CHECKOUT / "notebooks").is_dir()


def _kit(checkout: str, pakket: str) -> Path:
    return _CHECKOUT / checkout if IN_CHECKOUT else _PAKKET / pakket


NOTEBOOKS = _kit("notebooks", "notebooks")
VOORBEELD = _kit("data/sample", "sample")
VOORBEELD_REGIO = _kit("data/sample-regio", "sample_regio")  # the default data of the gemeente and regio notebooks
KERNELS = _kit("kernels", "kernels")  # kernels/duiding/kernel.json
WEB_SHARE = _PAKKET / "web" / "share" / "jupyter"  # the Voilà template and JupyterLab settings
KERNEL = "duiding"


def startadres() -> str:
    """The app's start page as an address from the server's root (links in page output resolve it so)."""
    return os.environ.get("VOILA_BASE_URL", "/").rstrip("/") + "/voila/render/start.ipynb"


def jupyter_paden(bestaand: str | None = None) -> str:
    """JUPYTER_PATH with the kit's folders first (its Voilà template, a folder holding
    `kernels/duiding`), then the folders of `bestaand` (a previous value) that are not those."""
    eigen = [str(WEB_SHARE), str(KERNELS.parent)]
    return os.pathsep.join(eigen + [p for p in (bestaand or "").split(os.pathsep) if p and p not in eigen])


@contextmanager
def met_omgeving(naam: str, waarde: str | None):
    """While inside, environment variable `naam` is `waarde` (unchanged when None); restored afterwards."""
    vorige = os.environ.get(naam)
    if waarde is not None:
        os.environ[naam] = waarde
    try:
        yield
    finally:
        if vorige is None:
            os.environ.pop(naam, None)
        else:
            os.environ[naam] = vorige


def jupyter_pad():
    """While inside, Jupyter (papermill's kernels, Voilà, JupyterLab) finds the kit's kernel and template.

    JUPYTER_PATH is read by jupyter_client and Voilà when they look up a kernel or a
    template, and inherited by every server started inside.
    """
    return met_omgeving("JUPYTER_PATH", jupyter_paden(os.environ.get("JUPYTER_PATH")))


def stempel(map: Path) -> tuple:
    """What changes when a file in the folder `map` changes: (name, mtime, size) per file, sorted; () when absent.

    Cheap (no file is read), so a kernel can tell in an instant whether what it made
    from these files is still theirs.
    """
    try:
        return tuple(sorted((p.name, s.st_mtime_ns, s.st_size) for p in Path(map).iterdir() if p.is_file()
                            for s in [p.stat()]))
    except (FileNotFoundError, NotADirectoryError):
        return ()
