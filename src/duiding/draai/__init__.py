"""`duiding draai`: every report of a quarter, in parallel, as offline HTML (the pipeline: `batch.py`).

The package itself loads nothing heavy, so the command line can start the batch's kernels
(`kernels.voorverwarm`) before it imports papermill, nbconvert and pandas for the batch:
the kernels start and import what a report needs while this process loads and checks the
data. `draai`, `draai_cli`, `Batch`, `Taak`, `Resultaat` and `maak_plan` load on first use.
"""

from importlib import import_module

__all__ = ["draai", "draai_cli", "Batch", "Taak", "Resultaat", "maak_plan"]

_WAAR = {"draai": "batch", "draai_cli": "batch", "Batch": "batch", "Taak": "plan", "maak_plan": "plan",
         "Resultaat": "uitvoeren"}


def __getattr__(naam: str):
    if naam in _WAAR:
        return getattr(import_module(f"{__name__}.{_WAAR[naam]}"), naam)
    raise AttributeError(f"module {__name__!r} has no attribute {naam!r}")
