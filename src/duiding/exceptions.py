"""The kit's own exception types.

Every error a user can cause carries a Dutch message that says what is wrong and what
to do; the CLI prints it and exits with status 2 (bad input) or 1 (a failure).
"""

from __future__ import annotations

import errno


class DuidingFout(Exception):
    """Base class: an error with a Dutch message meant for the user."""

    exit_status = 1

    def _render_traceback_(self) -> list[str]:
        """In a notebook, show the Dutch message without a Python traceback."""
        return [f"{type(self).__name__}: {self}"]


class InvoerFout(DuidingFout):
    """Bad input from the user (a file, a parameter, a setting). Exit status 2."""

    exit_status = 2


class PeriodeFout(InvoerFout):
    """A period that cannot be parsed or lies outside the data."""


class ParameterFout(InvoerFout):
    """An unknown wijk, aanbieder or other parameter value."""


class InstellingenFout(InvoerFout):
    """A broken duiding.toml or environment variable."""


class ValidatieFout(InvoerFout):
    """The data folder breaks the data contract; carries every problem found."""

    def __init__(self, rapport):
        self.rapport = rapport
        super().__init__(rapport.als_tekst())


class SchijfFout(DuidingFout):
    """Writing failed: the disk is full, the folder is read-only or not writable. Exit status 1.

    The message says what and where in one Dutch sentence; it never repeats what was
    being written (a duiding's text stays out of error output and logs).
    """


_REDENEN = {
    errno.ENOSPC: ("de schijf is vol", "Maak ruimte vrij of kies een andere plek."),
    errno.EDQUOT: ("uw schijfruimte (quotum) is op", "Maak ruimte vrij of kies een andere plek."),
    errno.EROFS: ("die plek is alleen-lezen", "Kies een map waarin u mag schrijven."),
    errno.EACCES: ("u hebt daar geen schrijfrechten", "Kies een map waarin u mag schrijven."),
    errno.EPERM: ("u hebt daar geen schrijfrechten", "Kies een map waarin u mag schrijven."),
    errno.EFBIG: ("het bestand wordt te groot voor die schijf", "Kies een andere plek."),
}

SCHRIJFFOUTEN = frozenset(_REDENEN)


def schijf_fout(fout: BaseException, waar) -> SchijfFout:
    """A Dutch `SchijfFout` for an OSError (or a database's 'disk full'), naming the place."""
    nummer = getattr(fout, "errno", None)
    tekst = str(getattr(fout, "orig", "") or "").lower()  # a database driver's own error, never shown
    if nummer is None and ("full" in tekst or "no space" in tekst):
        nummer = errno.ENOSPC
    elif nummer is None and "readonly" in tekst.replace("-", "").replace(" ", ""):
        nummer = errno.EROFS
    reden, advies = _REDENEN.get(nummer, ("het schrijven mislukte", "Controleer de plek en probeer het opnieuw."))
    return SchijfFout(f"Kon niet schrijven naar {waar}: {reden}. {advies}")
