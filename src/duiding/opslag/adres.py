"""Where the store is, without loading SQLAlchemy: its URL, and whether there is one to read.

A report shows what earlier sessions said only when a store exists, and never creates
one. Finding that out here, from the URL and the file system, spares every report of an
analyst without sessions the import of SQLAlchemy (a fifth of a second per kernel).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

BESTAND = "duidingen.sqlite"

_SQLITE = re.compile(r"^sqlite(\+\w+)?:///(?P<pad>[^?]*)(\?.*)?$")


def standaard_url() -> str:
    """The user's own store: a SQLite file in the user's data folder."""
    from platformdirs import user_data_dir
    return f"sqlite:///{Path(user_data_dir('duiding', appauthor=False)) / BESTAND}"


def als_url(opslag: str | Path | None) -> str:
    """`--opslag`, DUIDING_OPSLAG or the default, as an SQLAlchemy URL (a plain path means SQLite)."""
    waarde = str(opslag).strip() if opslag else ""
    if not waarde:
        waarde = os.environ.get("DUIDING_OPSLAG", "").strip() or standaard_url()
    if "://" not in waarde:
        waarde = f"sqlite:///{Path(waarde).expanduser().resolve()}"
    return waarde


def bestaat(url: str | Path | None = None) -> bool:
    """Whether there is a store to read: a SQLite file that exists, or any server URL."""
    url = als_url(url)
    if not url.startswith("sqlite"):
        return True
    m = _SQLITE.match(url)
    if m is None or "%" in url:  # an unusual SQLite URL: let SQLAlchemy read it
        import sqlalchemy as sa
        pad = sa.engine.make_url(url).database
    else:
        pad = m["pad"]
    return bool(pad) and pad != ":memory:" and Path(pad).is_file()
