"""The sample data: deterministic, valid, small enough, and realistic where it matters."""

from __future__ import annotations

import filecmp

import numpy as np
import pandas as pd
import pytest

from duiding import laad
from duiding.voorbeeld import genereer
from tests.conftest import SAMPLE


@pytest.fixture(scope="module")
def sample():
    return laad(SAMPLE)


def test_same_seed_same_bytes(tmp_path):
    genereer(tmp_path / "a", "stad", 7)
    genereer(tmp_path / "b", "stad", 7)
    genereer(tmp_path / "c", "stad", 8)
    namen = sorted(p.name for p in (tmp_path / "a").iterdir())
    gelijk, anders, fout = filecmp.cmpfiles(tmp_path / "a", tmp_path / "b", namen, shallow=False)
    assert not anders and not fout and "trajecten.csv" in gelijk
    assert (tmp_path / "a" / "trajecten.csv").read_bytes() != (tmp_path / "c" / "trajecten.csv").read_bytes()


def test_committed_sample_is_the_generator_output(tmp_path):
    genereer(tmp_path / "s", "stad", 2024)
    namen = sorted(p.name for p in SAMPLE.iterdir())
    _, anders, fout = filecmp.cmpfiles(SAMPLE, tmp_path / "s", namen, shallow=False)
    assert not anders and not fout, "run `make sample` and commit data/sample"


def test_rerun_replaces_folder_atomically(tmp_path):
    doel = tmp_path / "s"
    genereer(doel, "stad", 1)
    (doel / "oud.txt").write_text("x")
    genereer(doel, "stad", 1)
    assert not (doel / "oud.txt").exists()
    assert not any(p.name.startswith(".") for p in tmp_path.iterdir())


def test_sample_passes_controleer_and_says_fictief(sample):
    assert sample.rapport.ok
    assert sample.fictief and "fictieve gegevens" in sample.bronvermelding
    assert "fictieve gegevens" in (SAMPLE / "README.md").read_text(encoding="utf-8")
    assert sum(p.stat().st_size for p in SAMPLE.iterdir()) < 10 * 1024 * 1024


def _in_zorg_per_jaar(t, wet, jaar):
    actief = (t["startdatum"] <= f"{jaar}-12-31") & (t["einddatum"].isna() | (t["einddatum"] >= f"{jaar}-01-01"))
    return t[actief & (t["wet"] == wet)]["client_id"].nunique()


def test_scale_and_coverage(sample):
    t = sample.trajecten
    for jaar in (2022, 2023, 2024):
        assert 6000 <= _in_zorg_per_jaar(t, "jeugd", jaar) <= 10000
        assert 12000 <= _in_zorg_per_jaar(t, "wmo", jaar) <= 18000
    assert set(sample.wijken["naam"]) >= {"Overvecht", "Leidsche Rijn", "Vleuten-De Meern"}
    soort = sample.aanbieders["soort"].value_counts()
    assert soort["basiszorg"] >= 1 and 18 <= soort["aanvullend"] <= 25
    assert t["startdatum"].max() <= pd.Timestamp("2024-12-31")


def test_realistic_patterns(sample):
    t = sample.trajecten.copy()
    jeugd = t[t["wet"] == "jeugd"]
    # seasonal instroom: fewer youth starts in July-August than in September-October
    maand = jeugd[jeugd["startdatum"].dt.year >= 2022]["startdatum"].dt.month.value_counts()
    assert maand[[7, 8]].sum() < 0.75 * maand[[9, 10]].sum()
    # Leidsche Rijn (WK034409): youth reach rises faster than the city's
    lr = jeugd[jeugd["wijk_code"] == "WK034409"]
    groei_lr = _in_zorg_per_jaar(lr, "jeugd", 2024) / _in_zorg_per_jaar(lr, "jeugd", 2022)
    groei_stad = _in_zorg_per_jaar(jeugd, "jeugd", 2024) / _in_zorg_per_jaar(jeugd, "jeugd", 2022)
    assert groei_lr > groei_stad + 0.1
    # Overvecht (WK034403) waits longest for aanvullende zorg
    aanv = t.merge(sample.aanbieders[["aanbieder_id", "soort"]])
    aanv = aanv[aanv["soort"] == "aanvullend"].dropna(subset=["aanmelddatum"])
    wacht = (aanv["startdatum"] - aanv["aanmelddatum"]).dt.days.groupby(aanv["wijk_code"]).median()
    assert wacht.idxmax() == "WK034403"
    # waiting times are long-tailed and differ by provider
    alle = (aanv["startdatum"] - aanv["aanmelddatum"]).dt.days
    assert alle.quantile(0.9) > 2.5 * alle.median()
    per_aanbieder = alle.groupby(aanv["aanbieder_id"]).median()
    assert per_aanbieder.max() > 4 * per_aanbieder.min()
    # clients with several trajecten, and switches to another provider (reden 38)
    assert (t.groupby("client_id").size() > 1).mean() > 0.15
    assert (t["reden_beeindiging"] == "38").sum() > 500
    # mixes like practice: most youth endings volgens plan, most direct referrals by the huisarts
    redenen = jeugd["reden_beeindiging"][jeugd["reden_beeindiging"] != ""].value_counts(normalize=True)
    assert redenen.idxmax() == "31" and redenen["31"] > 0.5
    verwijzers = jeugd[~jeugd["verwijzer"].isin(["06", "01"])]["verwijzer"].value_counts()
    assert verwijzers.idxmax() == "02"


def test_budget_overruns_and_survey_sizes(sample):
    kosten = sample.realisatie.groupby(["jaar", "aanbieder_id"])["kosten_eur"].sum()
    b = sample.budget.set_index(["jaar", "aanbieder_id"])["budget_eur"]
    verhouding = (kosten / b).xs(2024)
    assert 2 <= (verhouding > 1.05).sum() <= 6  # a few providers run over their vierkant
    n = sample.ervaringen.assign(q=sample.ervaringen["datum"].dt.to_period("Q")).groupby(["aanbieder_id", "q", "thema"]).size()
    assert n.median() >= 5 and n.min() < 5  # most groups are usable, some are too small


def test_land_scale_small_slice(tmp_path):
    """The land generator writes chunks with regional providers (checked on a full run in bench/)."""
    from duiding.voorbeeld import simulatie

    rng = np.random.default_rng(1)
    wijken = simulatie.land(rng, n_gemeenten=4, per_gemeente=3)
    assert len(wijken) == 12 and wijken.code[0] == "WK000101" and len(set(wijken.code)) == 12
