"""Pseudonymisation at the door: a keyed hash (HMAC-SHA256) of the BSN, with the gemeente's secret.

The same BSN with the same secret gives the same client_id in every run, so a gemeente
can link its own client->wijk file (keyed the same way) and compare runs; without the
secret nobody can test a BSN against the output.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from ..exceptions import InstellingenFout

MIN_LENGTE = 32


def nieuw_geheim() -> str:
    return secrets.token_hex(32)


def uitleg() -> str:
    return ("Maak er een met 'duiding iberichten --nieuw-geheim' en zet het in duiding.toml "
            "(pseudoniem_geheim = \"…\") of in de omgevingsvariabele DUIDING_PSEUDONIEM_GEHEIM. Bewaar het "
            "zoals een wachtwoord: met een ander geheim krijgen dezelfde cliënten andere nummers.")


class Pseudoniem:
    def __init__(self, geheim: str | None):
        if not geheim:
            raise InstellingenFout("Er is geen geheim voor de pseudoniemen ingesteld; zonder geheim worden "
                                   "berichten niet gelezen. " + uitleg())
        if len(geheim) < MIN_LENGTE:
            raise InstellingenFout(f"Het geheim voor de pseudoniemen is te kort (minder dan {MIN_LENGTE} tekens). "
                                   + uitleg())
        self._sleutel = geheim.encode("utf-8")

    def _hash(self, soort: str, waarde: str, lengte: int) -> str:
        return hmac.new(self._sleutel, f"{soort}:{waarde}".encode(), hashlib.sha256).hexdigest()[:lengte]

    def client(self, bsn: str) -> str:
        """client_id: 20 hex digits (80 bits) of HMAC-SHA256 over the BSN."""
        return "C" + self._hash("bsn", bsn, 20)

    def traject(self, *delen: str) -> str:
        return "T" + self._hash("traject", "|".join(delen), 16)
