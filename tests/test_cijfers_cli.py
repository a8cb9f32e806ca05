"""`duiding cijfers` end to end, as an analyst runs it."""

from __future__ import annotations

import io
import subprocess
import sys

import pandas as pd
import pytest

from tests.conftest import SAMPLE


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "duiding", "cijfers", "--data", str(SAMPLE), *args],
                          capture_output=True, text=True)


@pytest.mark.parametrize("periode", ["2024-Q3", "2024-K3", "2024KW03"])
def test_period_spellings_written_canonically(periode):
    r = _cli("--indicator", "bereik", "--per", "wijk", "--periode", periode)
    assert r.returncode == 0, r.stderr
    t = pd.read_csv(io.StringIO(r.stdout), sep=";", dtype=str, keep_default_na=False)
    assert list(t.columns) == ["indicator", "per", "groep", "periode", "maat", "waarde", "status"]
    assert set(t["periode"]) == {"2024-Q3"}
    assert len(set(t["groep"])) == 11  # ten wijken and the city
    zichtbaar = t[(t["status"] == "") & ~t["maat"].str.contains("pct|per_1000|dagen")]
    getallen = zichtbaar["waarde"].str.replace(",", ".").astype(float)
    assert not getallen.between(1, 4).any()
    assert (t.loc[t["status"] == "verborgen", "waarde"] == "").all()


def test_range_and_parquet(tmp_path):
    doel = tmp_path / "uit" / "wacht.parquet"
    r = _cli("--indicator", "wachttijd", "--per", "aanbieder", "--van", "2023-Q1", "--tot", "2023-Q4",
             "--formaat", "parquet", "--uitvoer", str(doel))
    assert r.returncode == 0, r.stderr
    t = pd.read_parquet(doel)
    assert sorted(set(t["periode"])) == ["2023-Q1", "2023-Q2", "2023-Q3", "2023-Q4"]
    assert {"n", "mediaan_dagen", "p90_dagen", "binnen_norm_pct"} <= set(t["maat"])
    assert [p.name for p in doel.parent.iterdir()] == ["wacht.parquet"]  # no temporary file left


def test_csv_file_opens_in_dutch_excel(tmp_path):
    doel = tmp_path / "budget.csv"
    r = _cli("--indicator", "budget", "--per", "aanbieder", "--periode", "2024-Q2", "--uitvoer", str(doel))
    assert r.returncode == 0, r.stderr
    ruw = doel.read_bytes()
    assert ruw.startswith(b"\xef\xbb\xbf") and b";" in ruw.splitlines()[0]
    t = pd.read_csv(doel, sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    pct = t[(t["groep"] == "stad") & (t["maat"] == "realisatie_pct")]["waarde"].iloc[0]
    assert "," in pct and 80 < float(pct.replace(",", ".")) < 120


def test_geen_is_marked_niet_delen():
    r = _cli("--indicator", "bereik", "--per", "wijk", "--privacy", "geen")
    assert r.returncode == 0
    t = pd.read_csv(io.StringIO(r.stdout), sep=";", dtype=str, keep_default_na=False)
    assert (t["status"] == "niet delen").all() and "Niet delen" in r.stderr


@pytest.mark.parametrize("args,woorden", [
    (["--indicator", "bereik", "--per", "wijk", "--periode", "2024-Q7"], "geen geldige periode"),
    (["--indicator", "bereik", "--per", "wijk", "--periode", "2019-Q1"], "Kies een kwartaal van 2022-Q1 t/m 2024-Q4"),
    (["--indicator", "budget", "--per", "wijk"], "niet per 'wijk'"),
    (["--indicator", "bereik", "--per", "wijk", "--periode", "2024-Q1", "--van", "2023-Q1"], "niet allebei"),
    (["--indicator", "bestaat-niet", "--per", "wijk"], "ongeldige keuze"),
])
def test_bad_parameters_exit_2_in_dutch(args, woorden):
    r = _cli(*args)
    assert r.returncode == 2 and woorden in r.stderr and r.stdout == ""
