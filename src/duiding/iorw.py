"""Reading input files in the dialects municipalities produce, and atomic writes.

A CSV may be `,`- or `;`-separated, UTF-8 with or without BOM, or Windows-1252.
Everything is read as text first; typing and validation happen in `controle`.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import socket
import tempfile
import threading
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .arrow_csv import kolomnaam, lees_met_datums
from .exceptions import schijf_fout
from .nl import getal


@dataclass
class RuweTabel:
    """A file read as text columns, with how it was read."""

    pad: Path
    tabel: pd.DataFrame | None
    scheiding: str = ","
    codering: str = "utf-8"
    probleem: str | None = None  # Dutch reason when the file could not be read at all
    rij: int | None = None  # the line the problem is on, as a spreadsheet numbers it
    advies: str = "Lever het bestand opnieuw aan als CSV of Parquet."

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


# Absurd shapes are refused before parsing (docs/data.md, "Grenzen").
MAX_REGEL = 100_000  # bytes in one line of a CSV
MAX_KOLOMMEN = 1_000  # a CBS export has a few hundred; the contract files about ten
MAX_BYTES = 256 << 20  # per file, unless `grens` says otherwise
GROOT = 64 << 20  # from this size on a CSV is read with Arrow's parallel reader
GRENS = {"trajecten": 8 << 30, "ervaringen": 4 << 30}
GRENS_ADVIES = "Controleer of het het juiste bestand is; zie de grenzen in docs/data.md."

UTF8_ADVIES = ("Open het in uw spreadsheet en sla het op als 'CSV UTF-8 (door komma's gescheiden)'; "
               "of, vanuit een ander programma, als tekst met codering UTF-8.")
_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def grens(pad: Path) -> int:
    """The largest size accepted for this contract file (by its name)."""
    stam = pad.stem.lower()
    return next((g for naam, g in GRENS.items() if stam.startswith(naam)), MAX_BYTES)


@dataclass
class _Scan:
    codering: str = "utf-8"
    probleem: str | None = None
    rij: int | None = None
    advies: str = ""


def _scan(pad: Path) -> _Scan:
    """One pass over the bytes: NUL characters, overlong lines, and the text encoding.

    UTF-8 (with or without BOM) when every byte decodes; Windows-1252 when nothing in the
    file is UTF-8 beyond ASCII; a file with both (one cp1252 byte in a UTF-8 file, as after
    pasting from an old program) is refused, naming the line, instead of showing "WÃ©st".
    """
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    regel, lopend, hoog, utf8 = 1, 0, False, True
    bom = False
    fout_regel = None
    with open(pad, "rb") as f:
        for nr, blok in enumerate(iter(lambda: f.read(1 << 22), b"")):
            if nr == 0 and blok.startswith(b"\xef\xbb\xbf"):
                bom, blok = True, blok[3:]
            nul = blok.find(b"\x00")
            if nul >= 0:
                return _Scan(probleem="het bestand bevat een NUL-teken (een nulbyte); zo ziet een beschadigd of "
                             "binair bestand eruit, geen CSV", rij=regel + blok.count(b"\n", 0, nul),
                             advies="Exporteer het bestand opnieuw als CSV uit het bronsysteem.")
            bytes_ = np.frombuffer(blok, np.uint8)
            einden = np.flatnonzero(bytes_ == 10)
            lengtes = np.diff(np.concatenate(([-1 - lopend], einden))) - 1
            te_lang = np.flatnonzero(lengtes > MAX_REGEL)
            lopend = lopend + len(blok) if len(einden) == 0 else len(blok) - int(einden[-1]) - 1
            if len(te_lang) or lopend > MAX_REGEL:
                waar = regel + (int(te_lang[0]) if len(te_lang) else len(einden))
                return _Scan(probleem=f"een regel is langer dan {getal(MAX_REGEL)} tekens", rij=waar,
                             advies="Zo lang is geen regel van een geldig bestand; controleer of het echt het "
                             "juiste CSV-bestand is en of de aanhalingstekens kloppen.")
            if utf8:
                try:
                    decoder.decode(blok)
                    hoog = hoog or bool((bytes_ >= 0x80).any())
                except UnicodeDecodeError as e:
                    utf8 = False
                    fout_regel = regel + blok.count(b"\n", 0, e.start)
                    gemengd = bom or hoog or bool((bytes_[:e.start] >= 0x80).any()) \
                        or _MULTIBYTE.search(blok, e.end) is not None
                    if gemengd:
                        return _Scan(probleem="het bestand mengt twee tekencoderingen: het is grotendeels UTF-8, "
                                     "maar deze regel is in een andere codering (zoals Windows-1252) geschreven",
                                     rij=fout_regel, advies=UTF8_ADVIES)
            elif _MULTIBYTE.search(blok):
                return _Scan(probleem="het bestand mengt twee tekencoderingen: Windows-1252 (vanaf deze regel) "
                             "en verderop UTF-8", rij=fout_regel, advies=UTF8_ADVIES)
            regel += len(einden)
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return _Scan(probleem="het bestand eindigt midden in een teken", rij=regel, advies=UTF8_ADVIES)
        return _Scan("utf-8-sig" if bom else "utf-8")
    return _Scan("cp1252")


def scheiding(kopregel: str) -> str:
    return ";" if kopregel.count(";") > kopregel.count(",") else ","


def lees_ruw(pad: Path, datums: tuple[str, ...] = ()) -> RuweTabel:
    """Read a CSV or Parquet file as a table of text (Parquet keeps its own types).

    `datums` names columns (as the contract spells them) that a large CSV may read as dates
    at once, in Arrow's parallel reader: only when every value in them is a valid ISO date
    (JJJJ-MM-DD) from 1900 to 2100 or empty. Otherwise they are read as text like the rest,
    and `controle` tells what is wrong where.
    """
    pad = Path(pad)
    if pad.suffix.lower() == ".parquet":
        try:
            return RuweTabel(pad, pd.read_parquet(pad), scheiding="", codering="parquet")
        except Exception as fout:  # pyarrow raises several unrelated types
            return RuweTabel(pad, None, probleem=f"dit Parquet-bestand is niet te lezen ({fout})")
    grootte = pad.stat().st_size
    if grootte > grens(pad):
        return RuweTabel(pad, None, probleem=f"het bestand is {getal(grootte / (1 << 20))} MB; de grens voor dit "
                         f"bestand is {getal(grens(pad) >> 20)} MB", advies=GRENS_ADVIES)
    with open(pad, "rb") as f:
        begin = f.read(1 << 20)
    if not begin.strip(b" \r\n\t\xef\xbb\xbf"):
        return RuweTabel(pad, None, probleem="het bestand is leeg")
    if b"\x00" in begin[:8192]:
        return RuweTabel(
            pad, None, probleem="dit is geen tekstbestand (CSV); sla het op als CSV (UTF-8)"
        )
    scan = _scan(pad)
    if scan.probleem:
        return RuweTabel(pad, None, probleem=scan.probleem, rij=scan.rij, advies=scan.advies)
    codering = scan.codering
    kop = begin.decode(codering, errors="replace").lstrip("\ufeff").splitlines()[0]
    teken = scheiding(kop)
    if kop.count(teken) + 1 > MAX_KOLOMMEN:
        return RuweTabel(pad, None, probleem=f"de kopregel heeft {getal(kop.count(teken) + 1)} kolommen; de "
                         f"grens is {getal(MAX_KOLOMMEN)}", rij=1, advies=GRENS_ADVIES)
    lees = dict(
        sep=teken, dtype=str, keep_default_na=False, na_filter=False,
        skipinitialspace=False, quotechar='"', skip_blank_lines=True,
    )
    if pad.stat().st_size > GROOT:  # large files: pyarrow's reader is faster and leaner
        lees = dict(lees, engine="pyarrow")
        for optie in ("skip_blank_lines", "na_filter", "skipinitialspace"):
            lees.pop(optie)
    if datums and lees.get("engine") == "pyarrow" and codering.startswith("utf-8"):
        getypt = lees_met_datums(pad, kop, teken, datums)
        if getypt is not None:
            return RuweTabel(pad, getypt, teken, codering)
    try:
        tabel = pd.read_csv(pad, encoding=codering, **lees)
    except (pd.errors.ParserError, csv.Error, ValueError) as fout:
        return RuweTabel(
            pad, None, teken, codering,
            probleem=f"de CSV-structuur klopt niet ({str(fout).strip()}); "
            "controleer aanhalingstekens en het aantal kolommen per regel",
        )
    tabel.columns = [kolomnaam(k) for k in tabel.columns]
    return RuweTabel(pad, tabel, teken, codering)


UMASK = os.umask(0o022)
os.umask(UMASK)  # read once: the process's umask, restored at once


# Temporary files are named .<name>.<host>-<pid>.<random>.tmp[.ext]: after a kill -9 the next
# run on this machine can tell its own dead process's leftovers from a live writer's.
_HOST = re.sub(r"[^A-Za-z0-9]", "-", socket.gethostname())[:40] or "host"


def eigenaar() -> str:
    """<host>-<pid> of the writing process, asked at each write (a forked worker has a pid of its own)."""
    return f"{_HOST}-{os.getpid()}"


_TIJDELIJK = re.compile(r"^\..+\.(?P<host>[A-Za-z0-9-]+)-(?P<pid>\d+)\.[^./]+\.tmp(\.[a-z]+)?$")


def tijdelijk_pad(doel: Path) -> Path:
    """A temporary name beside `doel` (same folder, so `os.replace` is atomic)."""
    return doel.with_name(f".{doel.stem}.{eigenaar()}.{uuid.uuid4().hex[:8]}.tmp{doel.suffix}")


def ruim_op(map: Path) -> int:
    """Remove temporary files left in `map` (recursively) by dead processes of this machine."""
    weg = 0
    if not Path(map).is_dir():
        return 0
    for pad in Path(map).rglob(".*.tmp*"):
        m = _TIJDELIJK.match(pad.name)
        if not m or m["host"] != _HOST or _leeft(int(m["pid"])):
            continue
        try:
            pad.unlink()
            weg += 1
        except OSError:
            pass
    return weg


def _leeft(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def slot(pad: Path):
    """An exclusive lock on `pad` (created when missing) for a read-modify-write by several processes."""
    import fcntl
    pad.parent.mkdir(parents=True, exist_ok=True)
    with open(pad, "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


@contextmanager
def atomair_pad(doel: Path):
    """A temporary path beside `doel` for a writer that wants a file name (papermill); renamed over
    `doel` only on success, removed otherwise.

    The file gets the mode a plain `open` would give it (0666 minus the umask), not
    mkstemp's private 0600, so reports in a shared folder stay readable.
    """
    doel = Path(doel)
    doel.parent.mkdir(parents=True, exist_ok=True)
    fd, tijdelijk = tempfile.mkstemp(prefix=f".{doel.name}.{eigenaar()}.", suffix=f".tmp{doel.suffix}", dir=doel.parent)
    os.close(fd)
    try:
        yield Path(tijdelijk)
        os.chmod(tijdelijk, 0o666 & ~UMASK)
        os.replace(tijdelijk, doel)
    finally:
        Path(tijdelijk).unlink(missing_ok=True)


@contextmanager
def atomair(doel: Path, modus: str = "w", **open_args):
    """Open a temporary file beside `doel`; rename it over `doel` only on success (see `atomair_pad`)."""
    with atomair_pad(doel) as tijdelijk, open(tijdelijk, modus, **open_args) as f:
        yield f
        f.flush()
        os.fsync(f.fileno())


def schrijfbaar(map: Path) -> None:
    """Make `map` and write a probe file in it; a `SchijfFout` in Dutch when that fails.

    Called before long work (a batch, a verslag), so a read-only or full disk is said at
    once instead of after minutes of computing.
    """
    map = Path(map)
    try:
        map.mkdir(parents=True, exist_ok=True)
        with atomair(map / ".schrijftest", "w", encoding="utf-8") as f:
            f.write("duiding\n")
        (map / ".schrijftest").unlink()
    except OSError as e:
        raise schijf_fout(e, map) from None


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
    onschadelijke_tabel(tabel).to_csv(buf, index=False)
    return buf.getvalue()


_NOTARIS = threading.Lock()


def vertrouw(nb) -> None:
    """Mark a notebook the kit executed itself as trusted, as `jupyter trust` would.

    JupyterLab draws SVG charts and widget forms only in trusted output; an untrusted
    notebook shows their plain-text stand-ins. The signature (a keyed hash of the
    content, kept in the user's Jupyter data folder) matches only this exact content:
    edited elsewhere or shared, the notebook is untrusted again, as Jupyter intends.

    `nb` may be the notebook in memory as just written: what the writer leaves out (the original
    format, a cell's `trusted` flag) is left out of the signature too (tests/test_draai.py).
    """
    from nbformat import NotebookNode
    from nbformat.sign import NotebookNotary

    weg = ("orig_nbformat", "orig_nbformat_minor", "signature")
    nb = NotebookNode({**nb, "metadata": {k: v for k, v in nb.get("metadata", {}).items() if k not in weg},
                       "cells": [{**c, "metadata": {k: v for k, v in c.get("metadata", {}).items() if k != "trusted"}}
                                 for c in nb.get("cells", [])]})
    with _NOTARIS:  # one SQLite signature store; worker threads take turns
        notaris = NotebookNotary()
        try:
            notaris.sign(nb)
        finally:
            notaris.store.close()


# ---- spreadsheet-safe CSV -------------------------------------------------------------

FORMULE_BEGIN = ("=", "+", "-", "@", "\t", "\r")


def onschadelijk(tekst):
    """A text cell a spreadsheet will not run as a formula (OWASP CSV injection rule).

    A cell starting with = + - @ tab or CR gets a leading apostrophe, which Excel and
    LibreOffice show as text. Not text (numbers, empty values): returned unchanged.
    `terug` undoes exactly this, so export -> import gives the text back.
    """
    if isinstance(tekst, str) and _formule(tekst):
        return "'" + tekst
    return tekst


def _formule(tekst: str) -> bool:
    # apostrophes already in front count too, so "'=x" becomes "''=x" and comes back intact
    return tekst.lstrip("'").startswith(FORMULE_BEGIN)


def terug(tekst: str) -> str:
    """Undo `onschadelijk`: drop the apostrophe only where the kit put it."""
    if tekst.startswith("'") and _formule(tekst[1:]):
        return tekst[1:]
    return tekst


def onschadelijke_tabel(tabel: pd.DataFrame, getallen: tuple[str, ...] = ()) -> pd.DataFrame:
    """Every text column made `onschadelijk`; the columns in `getallen` stay numbers."""
    tabel = tabel.copy()
    for kol in tabel.columns:
        if kol not in getallen and (tabel[kol].dtype == object or pd.api.types.is_string_dtype(tabel[kol])):
            tabel[kol] = tabel[kol].map(onschadelijk)
    return tabel
