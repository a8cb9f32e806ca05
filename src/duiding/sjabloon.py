"""HTML from Jinja2 templates with autoescaping: reports, the index, the verslag and form fragments.

Every value is escaped unless a template marks it `|safe`, which it does only for
markup the kit made itself (nbconvert's fragment of a report, an SVG from vl-convert, JSON
already made safe for a script block). The filters speak Dutch: `getal` (1.234,5), `datum`
(3 mrt 2024), `moment` and `kwartaal` (the quarter's label).
"""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, StrictUndefined

from . import nl
from .periode import leesbaar

_OMGEVING = Environment(loader=PackageLoader("duiding", "sjablonen"), autoescape=True, undefined=StrictUndefined,
                        keep_trailing_newline=False)
_OMGEVING.filters.update(getal=nl.getal, datum=nl.datum, moment=nl.moment,
                         kwartaal=leesbaar)


def maak(sjabloon: str, /, **context) -> str:
    """Render `sjablonen/<sjabloon>` with `context`, every value escaped unless the template says otherwise."""
    return _OMGEVING.get_template(sjabloon).render(**context).strip()
