"""Validated tables kept as Arrow files, keyed by the data's hash: a second load of unchanged data skips
reading, typing and checking.

The key covers the bytes and names of every CSV and Parquet file in the data folder (and of
the files a koppeling names), the mapping itself, the contract, the kit's version and the
running quarter (the only way the calendar changes a verdict: dates in the running quarter
are refused). Any change to one of those gives another key, so a stale entry is never read;
the oldest entries are removed. Only data without errors is kept. The entries live in the
user's cache folder ($XDG_CACHE_HOME/duiding/tabellen, else ~/.cache/duiding/tabellen), not
beside the data: a data folder may be read-only or shared.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Callable

import pandas as pd
import pyarrow as pa
import pyarrow.ipc  # noqa: F401  (pa.ipc)

from .. import __version__
from ..contract import CONTRACT
from ..inhoud import bestand_hash, blok_hashes
from ..periode import Kwartaal
from .rapport import Probleem, Rapport

BEWAREN = 3  # entries kept; a national data set takes a few hundred MB as Parquet
_CONTRACT = hashlib.sha256(repr(sorted(CONTRACT.items())).encode()).hexdigest()[:16]


def map_() -> Path:
    basis = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(basis) / "duiding" / "tabellen"


def bestanden(map: Path, koppeling: dict | None) -> list[Path]:
    """The files a load can read: CSV and Parquet in the folder, and the files a koppeling names."""
    paden = {p for p in map.iterdir() if p.is_file() and not p.name.startswith(".")
             and p.suffix.lower() in (".csv", ".parquet")}
    paden |= {map / k.bestand for k in (koppeling or {}).values() if getattr(k, "bestand", None)
              and (map / k.bestand).is_file()}
    return sorted(paden, key=lambda p: p.name)


@dataclass(frozen=True)
class Vingerafdruk:
    """The cache key of a data folder, and the content hash of its files (`inhoud.bestand_hash` of `paden`)."""
    sleutel: str
    inhoud: str
    paden: tuple[Path, ...]


def vingerafdruk(map: Path, koppeling: dict | None) -> Vingerafdruk:
    """Key and content hash from one pass over the bytes, both cores hashing (`inhoud.blok_hashes`)."""
    paden = bestanden(map, koppeling)
    blokken = blok_hashes(paden)
    h = hashlib.sha256(_meta(koppeling))
    for pad, hashes in blokken:
        h.update(b"\0" + pad.name.encode() + b"\0" + b"".join(hashes))
    return Vingerafdruk(h.hexdigest()[:32], bestand_hash(paden, blokken), tuple(paden))


def sleutel(map: Path, koppeling: dict | None) -> str:
    return vingerafdruk(map, koppeling).sleutel


def _meta(koppeling: dict | None) -> bytes:
    return f"{__version__}|{_CONTRACT}|{Kwartaal.van_datum(date.today())}|{koppeling!r}".encode()


def stempel(map: Path, koppeling: dict | None) -> str:
    """What the file system says of the files, without reading them: names, sizes, times, inodes.

    The change time (ctime) moves with every write to a file and no program can set it back,
    so an unchanged stamp means unchanged bytes. A stamp seen before leads to the content key
    without hashing (`index`); a new stamp (a copied folder, a file saved again) is hashed.
    """
    h = hashlib.sha256(_meta(koppeling))
    for pad in bestanden(map, koppeling):
        st = pad.stat()
        h.update(f"\0{pad.resolve()}\0{st.st_size}|{st.st_mtime_ns}|{st.st_ctime_ns}|{st.st_ino}|{st.st_dev}".encode())
    return h.hexdigest()[:32]


def _index() -> Path:
    """Stamps and the fingerprints they stand for: beside the entries, not among them."""
    return map_().parent / "stempels"


def uit_index(stempel_: str) -> Vingerafdruk | None:
    """The fingerprint recorded for this stamp by an earlier load, or None."""
    try:
        gegeven = json.loads((_index() / stempel_).read_text(encoding="utf-8"))
        return Vingerafdruk(gegeven["sleutel"], gegeven["inhoud"], tuple(Path(p) for p in gegeven["paden"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def in_index(stempel_: str, vinger: Vingerafdruk) -> None:
    """Record the fingerprint of a stamp (atomically); the index keeps the newest few hundred stamps."""
    map = _index()
    try:
        map.mkdir(parents=True, exist_ok=True)
        map.chmod(0o700)
        tijdelijk = map / f".{stempel_}.{os.getpid()}.tmp"
        tijdelijk.write_text(json.dumps({"sleutel": vinger.sleutel, "inhoud": vinger.inhoud,
                                         "paden": [str(p) for p in vinger.paden]}), encoding="utf-8")
        os.replace(tijdelijk, map / stempel_)
        oud = sorted(map.iterdir(), key=lambda p: p.stat().st_mtime, reverse=True)[300:]
        for p in oud:
            p.unlink(missing_ok=True)
    except OSError:
        pass  # without an index the next load hashes the files: slower, never wrong


LUI = ("trajecten", "ervaringen")  # the large tables: handed over as Arrow, made pandas where needed


def lees(code: str, map: Path) -> tuple[Rapport, dict[str, pd.DataFrame | pa.Table], str] | None:
    """The tables, report and data hash of an earlier load with the same key, or None.

    The tables of `LUI` come as Arrow, mapped from the file: `Gegevens` makes them pandas
    on first use, so a report that needs only its cached figures never converts them.
    """
    plek = map_() / code
    try:
        meta = json.loads((plek / "meta.json").read_text(encoding="utf-8"))
        tabellen = {stam: (_arrow if stam in LUI else _lees_arrow)(plek / f"{stam}.arrow") for stam in meta["tabellen"]}
    except (OSError, ValueError, KeyError, pa.ArrowException):
        if plek.is_dir():
            shutil.rmtree(plek, ignore_errors=True)  # damaged: the next load writes it anew
        return None
    samenvatting = meta["samenvatting"]
    samenvatting["perioden"] = {k: tuple(v) for k, v in samenvatting.get("perioden", {}).items()}
    problemen = [Probleem(**{**p, "meer_rijen": tuple(p.get("meer_rijen", ()))}) for p in meta["problemen"]]
    os.utime(plek)  # recently used: removed last
    return Rapport(map, problemen, samenvatting), tabellen, meta["hash"]


def schrijf(code: str, rapport: Rapport, tabellen: dict[str, pd.DataFrame], data_hash: str) -> None:
    """Keep a load's result; all files appear at once (a folder renamed into place) or not at all."""
    basis = map_()
    try:
        basis.mkdir(parents=True, exist_ok=True)
        basis.chmod(0o700)  # pseudonymised rows: for this user only, also on a shared machine
        tijdelijk = Path(tempfile.mkdtemp(prefix=".nieuw-", dir=basis))
    except OSError:
        return  # no cache folder to write to: loading works without one
    try:
        for stam, df in tabellen.items():
            _schrijf_arrow(df, tijdelijk / f"{stam}.arrow")
        meta = {"tabellen": list(tabellen), "hash": data_hash, "samenvatting": rapport.samenvatting,
                "problemen": [asdict(p) for p in rapport.problemen]}
        (tijdelijk / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, default=str), encoding="utf-8")
        os.rename(tijdelijk, basis / code)
    except OSError:
        pass  # another process wrote the same entry first, or the disk is full: nothing half-written stays
    finally:
        shutil.rmtree(tijdelijk, ignore_errors=True)
    _ruim_op(basis)


def _schrijf_arrow(df: pd.DataFrame | pa.Table, pad: Path) -> None:
    """Arrow's own file format, uncompressed: written at disk speed, read back by mapping it into memory.

    A national trajecten table takes 0,2 s to read this way, against 1 s from Parquet; it
    costs disk space (some 700 MB for 5 million trajecten), which is why few entries are kept.
    """
    t = df if isinstance(df, pa.Table) else pa.Table.from_pandas(df)
    with pa.OSFile(str(pad), "wb") as f, pa.ipc.new_file(f, t.schema) as w:
        w.write_table(t, max_chunksize=1 << 20)


def _lees_arrow(pad: Path) -> pd.DataFrame:
    with pa.memory_map(str(pad)) as bron:
        return pa.ipc.open_file(bron).read_all().to_pandas()


def _arrow(pad: Path) -> pa.Table:
    """The file mapped into memory, not copied: its pages are read when a filter touches them."""
    return pa.ipc.open_file(pa.memory_map(str(pad))).read_all()


def tabel(data_sleutel: str, sleutel: tuple, privacy: str, maak: Callable[[], pd.DataFrame],
          arrow: bool = False) -> pd.DataFrame | pa.Table:
    """A protected table (`cijfers`) made once per data hash and read by every later process.

    The kernels of `duiding draai` and the app's pages share the tables for all wijken this
    way instead of each computing them. Kept beside the entry of the validated tables, so it
    goes when they go. Only protected figures are kept: never a table at privacy level geen.
    `arrow`: the table as Arrow (mapped from the file when it is kept), for a caller that
    takes the rows of a few groups out of a national table (`duiding.tabellen`).
    """
    if not data_sleutel or privacy == "geen":
        return _als(maak(), arrow)
    naam = hashlib.sha256(repr((sleutel, privacy)).encode()).hexdigest()[:32]
    map = map_() / data_sleutel / "cijfers"
    pad = map / f"{naam}.arrow"
    try:
        return _arrow(pad) if arrow else _lees_arrow(pad)
    except (OSError, ValueError, pa.ArrowException):
        pass
    finally:
        geef_vrij()
    uit = maak()
    bron = pa.Table.from_pandas(uit)  # converted once: written, and handed over when asked as Arrow
    tijdelijk = map / f".{naam}.{os.getpid()}.tmp"
    try:
        map.mkdir(exist_ok=True)  # not its parent: an entry that was removed is not made anew here
        _schrijf_arrow(bron, tijdelijk)
        os.replace(tijdelijk, pad)
    except OSError:
        tijdelijk.unlink(missing_ok=True)
    geef_vrij()
    return bron if arrow else uit


def _als(df: pd.DataFrame, arrow: bool) -> pd.DataFrame | pa.Table:
    return pa.Table.from_pandas(df) if arrow else df


def geef_vrij() -> None:
    """Give Arrow's freed buffers back to the system: a kernel of the app stays small after a load."""
    pa.default_memory_pool().release_unused()


def _ruim_op(basis: Path) -> None:
    """Keep the most recently used entries; remove half-written ones a killed process left (after an hour)."""
    entries, nu = [], time.time()
    for p in basis.iterdir():
        try:
            if p.name.startswith(".nieuw-") and nu - p.stat().st_mtime > 3600:
                shutil.rmtree(p, ignore_errors=True)
            elif p.is_dir() and not p.name.startswith("."):
                entries.append((p.stat().st_mtime, p))
        except OSError:
            continue  # removed by another process meanwhile
    for _, oud in sorted(entries, reverse=True)[BEWAREN:]:
        shutil.rmtree(oud, ignore_errors=True)
