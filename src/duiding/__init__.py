"""duiding: samen naar de cijfers kijken.

The pipeline, one module per step:
data in (`iorw`, `cbs`) -> validated tables (`contract`, `controle`, `gegevens`)
-> indicators (`indicatoren`) -> privacy (`privacy`) -> tables for users (`cijfers`).

`Gegevens`, `laad` and `Kwartaal` are imported on first use, so that a light page of
the app (a form, a list of actions) does not pay for pandas it never touches.
"""

import sys as _sys

__version__ = "0.1.0"

# jsonschema (imported by Altair and nbformat) imports the optional rfc3987_syntax when it is
# installed (jupyter-events asks for it), and that module builds a Lark grammar on import:
# 1,2-1,4 s in every kernel and every `duiding` command on the 2-core machine. It only
# checks the 'iri' and 'iri-reference' formats, which nothing the kit validates uses, so the
# kit's processes go without it; a process that imported jsonschema first keeps it.
if "jsonschema" not in _sys.modules:
    _sys.modules.setdefault("rfc3987_syntax", None)

_LUI = {"Gegevens": "gegevens", "laad": "gegevens", "Kwartaal": "periode"}

__all__ = ["Gegevens", "Kwartaal", "laad", "__version__"]


def __getattr__(naam: str):
    if naam in _LUI:
        from importlib import import_module

        return getattr(import_module(f".{_LUI[naam]}", __name__), naam)
    raise AttributeError(f"module {__name__!r} has no attribute {naam!r}")
