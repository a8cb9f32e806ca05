"""duiding: samen naar de cijfers kijken.

The pipeline, one module per step:
data in (`iorw`, `cbs`) -> validated tables (`contract`, `controle`, `gegevens`)
-> indicators (`indicatoren`) -> privacy (`privacy`) -> tables for users (`cijfers`).

`Gegevens`, `laad` and `Kwartaal` are imported on first use, so that a light page of
the app (a form, a list of actions) does not pay for pandas it never touches.
"""

__version__ = "0.1.0"

_LUI = {"Gegevens": "gegevens", "laad": "gegevens", "Kwartaal": "periode"}

__all__ = ["Gegevens", "Kwartaal", "laad", "__version__"]


def __getattr__(naam: str):
    if naam in _LUI:
        from importlib import import_module

        return getattr(import_module(f".{_LUI[naam]}", __name__), naam)
    raise AttributeError(f"module {__name__!r} has no attribute {naam!r}")
