"""The kit's chart functions build their charts without Altair's check of each object as it is made.

Altair checks every schema object against the Vega-Lite schema the moment it is made
("debug mode", on by default), so that a mistake in a hand-written chart is reported on the
line that made it. A report's charts are made of thousands of such objects, and Altair
makes many of them again while it layers, copies and serialises a chart: in cProfile some
140 schema validations per report, about a ninth of its cells.

`@grafiek` switches that check off while a chart function of the kit runs (and `bouwen()`
while the kit serialises a chart it shows). The charts come out the same, object for object
(tests/test_grafieken.py compares the specs with the check on and off); they are checked as
a whole instead: the tests validate the specs of the kit's charts against the schema, and
Altair validates a chart as a whole whenever it displays one itself. A user's own
charts in the same kernel keep Altair's check, unless they are made while a kit function
runs in another thread (the check is a setting of the whole process).
"""

from __future__ import annotations

import functools
import threading
from contextlib import contextmanager

from altair.utils import schemapi

_slot = threading.Lock()
_binnen = 0  # kit chart functions running now, in any thread
_was = True  # Altair's setting before the first of them began


@contextmanager
def bouwen():
    """Altair's check at instantiation off while inside; its earlier setting back when the last one leaves."""
    global _binnen, _was
    with _slot:
        if _binnen == 0:
            _was = schemapi.DEBUG_MODE
            schemapi.disable_debug_mode()
        _binnen += 1
    try:
        yield
    finally:
        with _slot:
            _binnen -= 1
            if _binnen == 0 and _was:
                schemapi.enable_debug_mode()


def grafiek(functie):
    """Decorator for a chart function of the kit: it builds its chart inside `bouwen()`."""
    @functools.wraps(functie)
    def bouw(*args, **kwargs):
        with bouwen():
            return functie(*args, **kwargs)
    return bouw
