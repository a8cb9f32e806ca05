"""Altair's conversion of a channel given as text or dict, without rebuilding its class table each time.

Altair 6 turns every channel written as shorthand (`x="waarde:Q"`), as `alt.value(...)` or
as `alt.condition(...)` into its schema class with `SchemaBase.from_dict`, and each call
first builds a table of all ~570 schema classes keyed by a JSON hash of each schema, then
throws it away: some 3,5 ms per channel, a tenth of a second and more per report. The
table depends only on the set of classes, so `onthoud()` keeps one per set. What a chart
becomes is unchanged (tests/test_grafieken.py compares specs built with and without).
Should a future Altair drop `_FromDict`, `onthoud()` does nothing and charts are only slower.
"""

from __future__ import annotations

from altair.utils import schemapi

_ORIGINEEL = getattr(schemapi, "_FromDict", None)
_TABELLEN: dict[tuple, dict] = {}


def onthoud() -> bool:
    """Install the remembering converter (idempotent); False when this Altair has no `_FromDict`."""
    if _ORIGINEEL is None or not hasattr(_ORIGINEEL, "hash_schema"):
        return False
    if schemapi._FromDict is not _Onthouden:
        schemapi._FromDict = _Onthouden
    return True


def vergeet() -> None:
    """Altair's own converter again (for the test that compares both)."""
    if _ORIGINEEL is not None:
        schemapi._FromDict = _ORIGINEEL


class _Onthouden(_ORIGINEEL or object):  # type: ignore[misc]
    def __init__(self, wrapper_classes, /) -> None:
        klassen = tuple(wrapper_classes)
        tabel = _TABELLEN.get(klassen)
        if tabel is None:
            super().__init__(klassen)
            _TABELLEN[klassen] = tabel = self.class_dict
        self.class_dict = tabel
