"""The kit's own exception types.

Every error a user can cause carries a Dutch message that says what is wrong and what
to do; the CLI prints it and exits with status 2 (bad input) or 1 (a failure).
"""

from __future__ import annotations


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
