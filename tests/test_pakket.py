"""The kit as an installed package: a wheel in a fresh virtual environment, used from a folder outside the checkout.

The wheel is built from this checkout and installed without its dependencies into a new
venv; the dependencies come from the test environment (a `.pth` line, and JUPYTER_PATH
for their data files such as Voilà's and nbconvert's templates), standing in for what
`pip install duiding` would download. Everything of the kit itself, its notebooks, sample
generator, kernel and web template, must come from the wheel.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

import processen
from conftest import ROOT
from test_app import _vrije_poort, _wacht_op, adres, open_url, stop_app

pytestmark = pytest.mark.traag


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pakket")
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                        "-w", str(tmp / "wheel"), str(ROOT)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    wheel = next((tmp / "wheel").glob("duiding-*.whl"))
    # nothing of the checkout may leak in through the environment
    schoon = {k: w for k, w in os.environ.items() if k not in ("PYTHONPATH", "JUPYTER_PATH", "DUIDING_DATA")}
    v = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(v)], check=True, timeout=300, env=schoon)
    py = v / "bin" / "python"
    eigen_site = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                capture_output=True, text=True, check=True, env=schoon).stdout.strip()
    r = subprocess.run([str(py), "-m", "pip", "install", "--no-deps", "-q", str(wheel)], capture_output=True,
                       text=True, timeout=600, env=schoon)
    assert r.returncode == 0, r.stderr
    # after the install: pip would otherwise see the checkout's editable install and skip the wheel
    (Path(eigen_site) / "_duiding_afhankelijkheden.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    werk = tmp / "werk"  # outside the checkout
    werk.mkdir()
    env = dict(schoon)
    env["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")  # the dependencies' data files
    env["PATH"] = f"{v / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return {"bin": v / "bin", "py": py, "werk": werk, "env": env, "site": Path(eigen_site)}


def _run(venv, *args, timeout=900) -> subprocess.CompletedProcess:
    return subprocess.run([str(venv["bin"] / "duiding"), *args], cwd=venv["werk"], env=venv["env"],
                          capture_output=True, text=True, timeout=timeout)


def test_the_package_and_its_files_come_from_the_wheel(venv):
    r = subprocess.run([str(venv["py"]), "-c", "import duiding, duiding.paths as p; print(duiding.__file__); "
                        "print(p.IN_CHECKOUT, p.NOTEBOOKS, p.VOORBEELD, p.VOORBEELD_REGIO, p.KERNELS)"],
                       cwd=venv["werk"], env=venv["env"], capture_output=True, text=True, check=True)
    bestand, in_checkout, *paden = r.stdout.split()
    assert bestand.startswith(str(venv["site"])) and in_checkout == "False"
    for pad in paden:
        assert pad.startswith(str(venv["site"])) and Path(pad).is_dir(), pad
    assert (Path(paden[2]) / "gemeenten.csv").is_file()  # the sample region travels with the package
    assert str(ROOT) not in r.stdout


def test_voorbeelddata_and_a_wijk_report_from_a_folder_outside_the_checkout(venv):
    r = _run(venv, "voorbeelddata", "--uitvoer", "data")
    assert r.returncode == 0, r.stderr
    assert (venv["werk"] / "data" / "trajecten.csv").is_file()
    r = _run(venv, "draai", "--per", "wijk", "--alleen", "West", "--data", "data", "--uitvoer", "uitvoer")
    assert r.returncode == 0, r.stdout + r.stderr
    rapporten = list((venv["werk"] / "uitvoer").glob("*/wijk/west.html"))
    assert len(rapporten) == 1 and "West" in rapporten[0].read_text(encoding="utf-8")


def test_notebooks_kopieer_gives_editable_copies(venv):
    r = _run(venv, "notebooks", "kopieer", "mijn-notebooks")
    assert r.returncode == 0, r.stderr
    namen = sorted(p.name for p in (venv["werk"] / "mijn-notebooks").glob("*.ipynb"))
    assert namen == ["aanbieder.ipynb", "gemeente.ipynb", "regio.ipynb", "stad.ipynb", "start.ipynb",
                     "verdieping.ipynb", "wijk.ipynb", "wijk_kort.ipynb"]
    eigen = venv["werk"] / "mijn-notebooks" / "wijk.ipynb"
    eigen.write_text(eigen.read_text(encoding="utf-8").replace("Samen naar de cijfers kijken", "Onze eigen versie"),
                     encoding="utf-8")
    r = _run(venv, "notebooks", "kopieer", "mijn-notebooks")
    assert "Niet overschreven" in r.stdout and "Onze eigen versie" in eigen.read_text(encoding="utf-8")


def test_the_app_start_page_answers(venv):
    poort, merk = _vrije_poort(), processen.nieuw_merk()
    log = venv["werk"] / "app.log"
    with open(log, "w") as uit:
        proc = subprocess.Popen([str(venv["bin"] / "duiding"), "app", "--poort", str(poort), "--opslag",
                                 str(venv["werk"] / "duidingen.sqlite"), "--data", "data"], cwd=venv["werk"],
                                stdout=uit, stderr=subprocess.STDOUT, env={**venv["env"], processen.SLEUTEL: merk})
    try:
        basis, token = adres(log, proc)
        url = f"{basis}/voila/render/start.ipynb?token={token}"
        _wacht_op(url, proc, log)
        pagina = open_url(url).read().decode("utf-8")
        assert "Sessie starten" in pagina or "sessie" in pagina.lower()
    finally:
        stop_app(proc, merk)
