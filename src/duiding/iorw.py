"""Reading input files in the dialects municipalities produce, and atomic writes.

A CSV may be `,`- or `;`-separated, UTF-8 with or without BOM, or Windows-1252.
Everything is read as text first; typing and validation happen in `controle`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd


@dataclass
class RuweTabel:
    """A file read as text columns, with how it was read."""

    pad: Path
    tabel: pd.DataFrame | None
    scheiding: str = ","
    codering: str = "utf-8"
    probleem: str | None = None  # Dutch reason when the file could not be read at all

    @property
    def naam(self) -> str:
        return self.pad.name


def zoek_bestand(map: Path, stam: str) -> Path | None:
    """The file for table `stam` in `map`: stam.csv, then stam.parquet."""
    for ext in (".csv", ".parquet"):
        pad = map / f"{stam}{ext}"
        if pad.exists():
            return pad
    return None


def _codering(begin: bytes) -> str:
    if begin.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        begin.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as fout:
        # a multi-byte character cut off at the end of the sample is still UTF-8
        if fout.start >= len(begin) - 3:
            return "utf-8"
        return "cp1252"


def _scheiding(kopregel: str) -> str:
    return ";" if kopregel.count(";") > kopregel.count(",") else ","


def lees_ruw(pad: Path) -> RuweTabel:
    """Read a CSV or Parquet file as a table of text (Parquet keeps its own types)."""
    pad = Path(pad)
    if pad.suffix.lower() == ".parquet":
        try:
            return RuweTabel(pad, pd.read_parquet(pad), scheiding="", codering="parquet")
        except Exception as fout:  # pyarrow raises several unrelated types
            return RuweTabel(pad, None, probleem=f"dit Parquet-bestand is niet te lezen ({fout})")
    with open(pad, "rb") as f:
        begin = f.read(1 << 20)
    if not begin.strip(b" \r\n\t\xef\xbb\xbf"):
        return RuweTabel(pad, None, probleem="het bestand is leeg")
    if b"\x00" in begin[:8192]:
        return RuweTabel(
            pad, None, probleem="dit is geen tekstbestand (CSV); sla het op als CSV (UTF-8)"
        )
    codering = _codering(begin)
    kop = begin.decode(codering, errors="replace").lstrip("\ufeff").splitlines()[0]
    scheiding = _scheiding(kop)
    lees = dict(
        sep=scheiding, dtype=str, keep_default_na=False, na_filter=False,
        skipinitialspace=False, quotechar='"', skip_blank_lines=True,
    )
    if pad.stat().st_size > (64 << 20):  # large files: pyarrow's reader is faster and leaner
        lees = dict(lees, engine="pyarrow")
        for optie in ("skip_blank_lines", "na_filter", "skipinitialspace"):
            lees.pop(optie)
    try:
        tabel = pd.read_csv(pad, encoding=codering, **lees)
    except UnicodeDecodeError:
        codering = "cp1252"
        tabel = pd.read_csv(pad, encoding=codering, **lees)
    except (pd.errors.ParserError, csv.Error, ValueError) as fout:
        return RuweTabel(
            pad, None, scheiding, codering,
            probleem=f"de CSV-structuur klopt niet ({str(fout).strip()}); "
            "controleer aanhalingstekens en het aantal kolommen per regel",
        )
    tabel.columns = [str(k).strip().lstrip("\ufeff").strip().lower() for k in tabel.columns]
    return RuweTabel(pad, tabel, scheiding, codering)


def bestand_hash(paden: list[Path]) -> str:
    """A short SHA-256 over the names and bytes of the given files (provenance)."""
    h = hashlib.sha256()
    for pad in sorted(paden, key=lambda p: p.name):
        h.update(pad.name.encode())
        with open(pad, "rb") as f:
            for blok in iter(lambda: f.read(1 << 20), b""):
                h.update(blok)
    return h.hexdigest()[:16]


_UMASK = os.umask(0o022)
os.umask(_UMASK)  # read once: the process's umask, restored at once


@contextmanager
def atomair(doel: Path, modus: str = "w", **open_args):
    """Open a temporary file beside `doel`; rename it over `doel` only on success.

    The file gets the mode a plain `open` would give it (0666 minus the umask), not
    mkstemp's private 0600, so reports in a shared folder stay readable.
    """
    doel = Path(doel)
    doel.parent.mkdir(parents=True, exist_ok=True)
    fd, tijdelijk = tempfile.mkstemp(prefix=f".{doel.name}.", suffix=".tmp", dir=doel.parent)
    try:
        os.fchmod(fd, 0o666 & ~_UMASK)
        with os.fdopen(fd, modus, **open_args) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tijdelijk, doel)
    except BaseException:
        try:
            os.unlink(tijdelijk)
        except FileNotFoundError:
            pass
        raise


def schrijf_tabel(tabel: pd.DataFrame, doel: Path, formaat: str | None = None) -> Path:
    """Write a DataFrame as CSV (UTF-8, `,`) or Parquet, atomically."""
    doel = Path(doel)
    formaat = formaat or ("parquet" if doel.suffix == ".parquet" else "csv")
    if formaat == "parquet":
        with atomair(doel, "wb") as f:
            tabel.to_parquet(f, index=False)
    else:
        with atomair(doel, "w", encoding="utf-8", newline="") as f:
            tabel.to_csv(f, index=False)
    return doel


def tekst_naar(doel: Path, tekst: str) -> Path:
    with atomair(doel, "w", encoding="utf-8") as f:
        f.write(tekst)
    return doel


def csv_tekst(tabel: pd.DataFrame) -> str:
    buf = io.StringIO()
    tabel.to_csv(buf, index=False)
    return buf.getvalue()


_NOTARIS = threading.Lock()


def vertrouw(nb) -> None:
    """Mark a notebook the kit executed itself as trusted, as `jupyter trust` would.

    JupyterLab draws SVG charts and widget forms only in trusted output; an untrusted
    notebook shows their plain-text stand-ins. The signature (a keyed hash of the
    content, kept in the user's Jupyter data folder) matches only this exact content:
    edited elsewhere or shared, the notebook is untrusted again, as Jupyter intends.
    """
    from nbformat.sign import NotebookNotary

    with _NOTARIS:  # one SQLite signature store; worker threads take turns
        notaris = NotebookNotary()
        try:
            notaris.sign(nb)
        finally:
            notaris.store.close()
