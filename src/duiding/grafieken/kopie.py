"""Altair's deep copy of a chart, without rebuilding every object it copies.

Altair copies charts all the time: `alt.layer` copies each layer twice (to drop duplicate
params and to lift params to the top), and `properties()` or a shallow copy of a layer
chart builds the chart anew, which copies its layers again. Altair's deep copy makes each
object through its class's `__init__`: for a `LayerChart` that is the whole layering work
again, copies of copies, so a bar chart with a nested layer of hidden bars took some 20 ms
in copies alone. And every object passes its 50-odd unset properties through the copy.

`snel()` installs a deep copy that makes the same objects directly: the same class, the
same set properties (copied), the unset ones left as they are. A chart made by `__init__`
already carries what `__init__` would do again (data and params lifted, layer properties
moved up), so the copy is the same chart. tests/test_grafieken.py compares the specs of
the kit's charts built both ways. Should a future Altair drop `_deep_copy`, `snel()` does
nothing and charts are only slower.
"""

from __future__ import annotations

from altair.utils import schemapi

_ORIGINEEL = getattr(schemapi, "_deep_copy", None)
_SCHEMA = getattr(schemapi, "SchemaBase", None)
_LEEG = getattr(schemapi, "Undefined", None)


def snel() -> bool:
    """Install the direct deep copy (idempotent); False when this Altair has no `_deep_copy` to replace."""
    if _ORIGINEEL is None or _SCHEMA is None or not hasattr(schemapi, "debug_mode"):
        return False
    schemapi._deep_copy = _kopie
    return True


def altair_eigen() -> None:
    """Altair's own deep copy again (for the test that compares both)."""
    if _ORIGINEEL is not None:
        schemapi._deep_copy = _ORIGINEEL


def _kopie(obj, by_ref: set[str]):
    """What Altair's `_deep_copy` returns, made without calling `__init__` (see the module docstring)."""
    if isinstance(obj, _SCHEMA):
        eigen = getattr(obj, "__deepcopy__", None)
        if eigen is not None:  # Altair's own rule for objects that copy themselves
            with schemapi.debug_mode(False):
                return eigen(obj)
        nieuw = object.__new__(type(obj))
        object.__setattr__(nieuw, "_args", tuple(_kopie(a, by_ref) for a in obj._args))
        object.__setattr__(nieuw, "_kwds", {k: v if v is _LEEG or k in by_ref else _kopie(v, by_ref)
                                            for k, v in obj._kwds.items()})
        return nieuw
    if isinstance(obj, list):
        return [_kopie(v, by_ref) for v in obj]
    if isinstance(obj, dict):
        return {k: v if k in by_ref else _kopie(v, by_ref) for k, v in obj.items()}
    return obj
