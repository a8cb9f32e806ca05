"""Shared fixtures: a small hand-made data folder whose figures are computed by hand."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from pathlib import Path

import pandas as pd
import pytest

from duiding.grafieken import thema
from processen import met_merk, wacht_tot

thema.gebruik()  # as every notebook does when it starts: the kit's theme and renderer on

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"

# Tests never touch the user's own duiding store: one empty store folder per test run,
# inherited by every subprocess and kernel the tests start.
os.environ["DUIDING_OPSLAG"] = str(Path(tempfile.mkdtemp(prefix="duiding-test-opslag-")) / "duidingen.sqlite")
# nor the user's cache of validated tables: one per test run, shared by its processes and kernels
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="duiding-test-cache-")

# Every process this run starts carries this mark in its environment (see processen.py).
TESTRUN = os.environ.setdefault("DUIDING_TESTRUN", uuid.uuid4().hex)


def pytest_collection_modifyitems(items):
    """`browser` and `postgres` follow from what a test uses, so no test can forget its marker."""
    bronnen: dict[str, str] = {}
    for item in items:
        pad = str(item.fspath)
        if pad not in bronnen:
            bronnen[pad] = Path(pad).read_text(encoding="utf-8") if pad.endswith(".py") else ""
        if "browser" in getattr(item, "fixturenames", ()) or "playwright" in bronnen[pad]:
            item.add_marker(pytest.mark.browser)
        if "postgres_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgres)


@pytest.fixture(scope="session", autouse=True)
def niets_blijft_draaien():
    """After the whole run: no server, kernel or browser started by a test is still alive.

    Set up first, so it is torn down last, after every other fixture has stopped what
    it started.
    """
    yield

    def over() -> dict[int, str]:
        # multiprocessing's own helpers belong to this pytest process and end with it
        return {pid: cmd for pid, cmd in met_merk(TESTRUN, "DUIDING_TESTRUN").items()
                if "multiprocessing.resource_tracker" not in cmd and "multiprocessing.forkserver" not in cmd}
    wacht_tot(lambda: not over(), 120)
    assert not over(), f"processen van de tests draaien nog: {over()}"


def klein() -> dict[str, pd.DataFrame]:
    """A tiny, valid data set (text columns, as a user would write them)."""
    trajecten = pd.DataFrame(
        [
            # id, client, wet, aanbieder, cat, wijk, verwijzer, aanmeld, start, eind, reden, geboren
            ("T1", "c1", "jeugd", "B1", "45", "W1", "06", "2024-01-02", "2024-01-10", "2024-03-31", "31", "2012"),
            ("T2", "c2", "jeugd", "A1", "54", "W1", "02", "2023-12-01", "2024-02-15", "", "", "2010"),
            ("T3", "c3", "wmo", "A2", "01", "W2", "", "2024-01-01", "2024-03-01", "2024-04-01", "19", "1950"),
            ("T4", "c1", "jeugd", "A1", "54", "W2", "01", "", "2024-04-01", "", "", "2012"),
            ("T5", "c4", "jeugd", "B1", "45", "W2", "06", "2024-02-20", "2024-02-29", "2024-05-15", "38", "2015"),
            ("T6", "c2", "jeugd", "A1", "54", "W1", "02", "2024-03-01", "2024-03-31", "2024-06-30", "31", "2010"),
        ],
        columns=["traject_id", "client_id", "wet", "aanbieder_id", "productcategorie", "wijk_code",
                 "verwijzer", "aanmelddatum", "startdatum", "einddatum", "reden_beeindiging", "geboortejaar"],
    )
    aanbieders = pd.DataFrame(
        [("B1", "Buurtteam Test", "basiszorg", "jeugd"), ("A1", "Jeugdhulp Test", "aanvullend", "jeugd"),
         ("A2", "Wmo Test", "aanvullend", "wmo")],
        columns=["aanbieder_id", "naam", "soort", "wet"],
    )
    wijken = pd.DataFrame([("W1", "Noord", 0, 0), ("W2", "Zuid", 1, 0)],
                          columns=["wijk_code", "naam", "tegel_rij", "tegel_kolom"])
    bevolking = pd.DataFrame(
        [(2024, "W1", "0-17", 1000), (2024, "W1", "18-64", 3000), (2024, "W1", "65+", 500),
         (2024, "W2", "0-17", 2000), (2024, "W2", "18-64", 4000), (2024, "W2", "65+", 1000)],
        columns=["jaar", "wijk_code", "leeftijdsgroep", "aantal"],
    )
    ervaringen = pd.DataFrame(
        [("R1", "A1", "W1", "2024-01-15", "kwaliteit", 5), ("R2", "A1", "", "2024-02-15", "kwaliteit", 2),
         ("R3", "A1", "W2", "2024-03-15", "effect", 4)],
        columns=["respons_id", "aanbieder_id", "wijk_code", "datum", "thema", "score"],
    )
    budget = pd.DataFrame([(2024, "A1", 400000.0, 20), (2024, "A2", 100000.5, 10)],
                          columns=["jaar", "aanbieder_id", "budget_eur", "afgesproken_clienten"])
    realisatie = pd.DataFrame([(2024, 1, "A1", 120000.0), (2024, 2, "A1", 110000.25), (2024, 1, "A2", 20000.0)],
                              columns=["jaar", "kwartaal", "aanbieder_id", "kosten_eur"])
    return {"trajecten": trajecten, "aanbieders": aanbieders, "wijken": wijken, "bevolking": bevolking,
            "ervaringen": ervaringen, "budget": budget, "realisatie": realisatie}


def schrijf(map: Path, tabellen: dict[str, pd.DataFrame], **csv) -> Path:
    map.mkdir(parents=True, exist_ok=True)
    for naam, df in tabellen.items():
        df.to_csv(map / f"{naam}.csv", index=False, **csv)
    return map


@pytest.fixture
def klein_map(tmp_path) -> Path:
    return schrijf(tmp_path / "klein", klein())


@pytest.fixture(scope="session")
def sample_kopie(tmp_path_factory) -> Path:
    doel = tmp_path_factory.mktemp("sample") / "sample"
    shutil.copytree(SAMPLE, doel)
    return doel


def knopen(obj):
    """Every dict inside a nested JSON-like structure (a Vega-Lite spec, a Vega scenegraph)."""
    if isinstance(obj, dict):
        yield obj
        for v in obj.values():
            yield from knopen(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from knopen(v)


def _pg_bin() -> Path | None:
    kandidaten = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
    return kandidaten[0].parent if kandidaten else None


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory):
    """A real PostgreSQL server on a free loopback port, for this test run only.

    Debian's `postgresql` package provides the binaries (`make test` installs it with
    apt-get when missing). As root the server runs as the `postgres` user, because
    PostgreSQL refuses to run as root.
    """
    import pwd
    import socket
    import subprocess

    bin_ = _pg_bin()
    if bin_ is None:
        pytest.fail("PostgreSQL ontbreekt: 'make test' installeert het pakket postgresql met apt-get.")
    basis = Path(tempfile.mkdtemp(prefix="duiding-pg-"))
    data, sockets = basis / "data", basis / "sockets"
    sockets.mkdir()
    als: list[str] = []
    if os.geteuid() == 0:
        pg = pwd.getpwnam("postgres")
        os.chown(basis, pg.pw_uid, pg.pw_gid)
        os.chown(sockets, pg.pw_uid, pg.pw_gid)
        als = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        poort = s.getsockname()[1]
    subprocess.run(als + [str(bin_ / "initdb"), "-D", str(data), "-U", "duiding", "--auth=trust", "-E", "UTF8",
                          "--no-instructions"], check=True, capture_output=True)
    subprocess.run(als + [str(bin_ / "pg_ctl"), "-D", str(data), "-w", "-l", str(basis / "log.txt"), "-o",
                          f"-h 127.0.0.1 -p {poort} -k {sockets} -c fsync=off", "start"], check=True,
                   capture_output=True)
    subprocess.run(als + [str(bin_ / "createdb"), "-h", "127.0.0.1", "-p", str(poort), "-U", "duiding", "duiding"],
                   check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://duiding@127.0.0.1:{poort}/duiding"
    finally:
        subprocess.run(als + [str(bin_ / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(basis, ignore_errors=True)


def _chromium() -> str:
    for pad in ("/usr/lib/chromium/chromium", "/usr/bin/chromium"):
        if Path(pad).exists():
            return pad
    pytest.fail("Chromium ontbreekt: 'make test' installeert het pakket chromium met apt-get.")


@pytest.fixture(scope="module")
def browser():
    """A real headless Chromium (Debian's package), one per test module."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=_chromium(), args=["--no-sandbox"])
        yield b
        b.close()
