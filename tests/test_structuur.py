"""Plain checks on the code's shape: every module imports on its own, no hidden cycles, small modules.

A function-level import of a project module is how an import cycle hides (the module
loads, and breaks only when that function first runs). It is allowed only in the modules
whose job is to start fast (`LUI`: the command line, the app's light kernels), and there
only when it hides no cycle: the imported module, loaded on its own, does not load the
module that imports it. Third-party imports inside functions stay allowed everywhere.
"""

from __future__ import annotations

import pytest

import ast
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from conftest import ROOT

pytestmark = pytest.mark.traag

PAKKET = ROOT / "src" / "duiding"
MAX_REGELS = 400
# modules that import part of the kit only when a function needs it: the command line (a command
# loads its own modules) and the app's light pages (docs/app.md: a session page's kernel has no pandas)
# and the notebooks' module (a report's kernel needs no form widgets: only a session's loads them)
LUI = {"cli.py", "sessie_cli.py", "wijken.py", "web/opname.py", "web/sessiepagina.py", "web/startpagina.py",
       "web/pagina.py", "notebook.py"}


def _modules() -> list[str]:
    namen = []
    for pad in sorted(PAKKET.rglob("*.py")):
        delen = list(pad.relative_to(PAKKET.parent).with_suffix("").parts)
        if delen[-1] == "__init__":
            delen.pop()
        if delen[-1] != "__main__":
            namen.append(".".join(delen))
    return namen


def test_every_module_imports_on_its_own():
    """Each module first, in a fresh interpreter: a cycle shows whichever side is imported first."""
    def probeer(naam):
        r = subprocess.run([sys.executable, "-c", f"import {naam}"], capture_output=True, text=True, timeout=300)
        return naam, r.returncode, r.stderr[-600:]
    with ThreadPoolExecutor(max_workers=2) as pool:
        mislukt = [(n, fout) for n, code, fout in pool.map(probeer, _modules()) if code != 0]
    assert not mislukt, mislukt


def _project_import(node: ast.AST, module: str) -> bool:
    if isinstance(node, ast.ImportFrom):
        return node.level > 0 or (node.module or "").split(".")[0] == "duiding"
    if isinstance(node, ast.Import):
        return any(a.name.split(".")[0] == "duiding" for a in node.names)
    return False


def _module(pad) -> str:
    delen = list(pad.relative_to(PAKKET.parent).with_suffix("").parts)
    return ".".join(delen[:-1] if delen[-1] == "__init__" else delen)


def _doel(node: ast.AST, module: str, pakket: bool) -> list[str]:
    """The project modules a function-level import loads."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    basis = module.split(".")
    basis = basis if pakket else basis[:-1]
    basis = basis[:len(basis) - (node.level - 1)] if node.level else []
    naam = ".".join(basis + ([node.module] if node.module else []))
    return [naam] if node.module else [f"{naam}.{a.name}" for a in node.names]


def _lui() -> tuple[list[str], set[tuple[str, str]]]:
    buiten, paren = [], set()
    for pad in sorted(PAKKET.rglob("*.py")):
        boom = ast.parse(pad.read_text(encoding="utf-8"))
        plek = str(pad.relative_to(PAKKET))
        for functie in ast.walk(boom):
            if isinstance(functie, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for node in ast.walk(functie):
                    if _project_import(node, str(pad)):
                        if plek not in LUI:
                            buiten.append(f"{pad.relative_to(ROOT)}:{node.lineno}")
                        for doel in _doel(node, _module(pad), pad.name == "__init__.py"):
                            paren.add((_module(pad), doel))
    return buiten, paren


def test_no_function_level_imports_of_project_modules():
    buiten, _ = _lui()
    assert not buiten, buiten


def test_the_light_modules_lazy_imports_hide_no_cycle():
    _, paren = _lui()
    assert paren  # the light modules do import lazily: this test checks something

    def probeer(paar):
        wie, doel = paar
        code = (f"import importlib, sys\ntry:\n    importlib.import_module({doel!r})\nexcept ModuleNotFoundError:\n"
                f"    importlib.import_module({doel.rsplit('.', 1)[0]!r})\nprint({wie!r} in sys.modules)")
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        return wie, doel, r.stdout.strip(), r.stderr[-300:]
    with ThreadPoolExecutor(max_workers=2) as pool:
        fout = [(w, d, uit, e) for w, d, uit, e in pool.map(probeer, sorted(paren)) if uit != "False"]
    assert not fout, fout


def test_no_module_over_400_lines():
    te_lang = {str(p.relative_to(ROOT)): n for p in PAKKET.rglob("*.py")
               if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_REGELS}
    assert not te_lang, te_lang


def test_the_wheel_lists_every_package():
    """pyproject.toml names the packages explicitly (the data packages are mapped): none may be forgotten."""
    import tomllib
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    genoemd = set(pyproject["tool"]["setuptools"]["packages"])
    pakketten = {".".join(p.parent.relative_to(PAKKET.parent).parts) for p in PAKKET.rglob("__init__.py")}
    assert pakketten <= genoemd, pakketten - genoemd


def test_checks_can_fail(tmp_path):
    """The checks above find what they look for: a function-level project import in a scratch file."""
    voorbeeld = ast.parse("def f():\n    from .gegevens import laad\n    import json\n")
    functie = voorbeeld.body[0]
    assert [_project_import(n, "x") for n in functie.body] == [True, False]
