"""Privacy: no table leaving the library shows a count of 1-4 or lets one be recovered.

The recoverability check is an attacker's: given every visible cell and every additive
relation between cells (rows, columns, totals), a linear program finds the smallest and
largest value each hidden cell can take. A hidden cell is safe when that range is not a
single value.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from duiding import laad
from duiding.cijfers import cijfers, kies_perioden
from duiding.indicatoren import bereken
from duiding.indicatoren._basis import KOLOMMEN
from duiding.periode import reeks
from duiding.privacy import beveilig
from tests.conftest import SAMPLE


def tabel_2d(matrix: np.ndarray) -> tuple[pd.DataFrame, dict]:
    """A raw table of groups x categories with row, column and grand totals.

    Rows are groups (g0.., total 'stad'), columns are members of family 'm' (m0.., total 'm').
    """
    r, c = matrix.shape
    rijen, cellen = [], {}
    for i in range(r + 1):
        for j in range(c + 1):
            groep = "stad" if i == r else f"g{i}"
            maat = "m" if j == c else f"m{j}"
            if i < r and j < c:
                v = matrix[i, j]
            elif i < r:
                v = matrix[i].sum()
            elif j < c:
                v = matrix[:, j].sum()
            else:
                v = matrix.sum()
            cellen[(i, j)] = len(rijen)
            rijen.append(dict(indicator="x", per="wijk", groep=groep, periode="2024-Q1", maat=maat, waarde=float(v),
                              thema="", naar="", soort="telling", basis=np.nan, basis_maat="", familie="m"))
    return pd.DataFrame(rijen, columns=KOLOMMEN), cellen


def herleidbaar(matrix: np.ndarray, zichtbaar: np.ndarray, cellen: dict) -> list[tuple[int, int]]:
    """Hidden small counts (1-4) whose value an attacker can pin down exactly.

    Complementary cells (0 or 5+) may be pinned: knowing them reveals no small count.
    """
    r, c = matrix.shape
    posities = list(cellen)  # (i, j) incl. totals at i == r or j == c
    verborgen = [p for p in posities if not zichtbaar[cellen[p]]]
    if not verborgen:
        return []
    index = {p: k for k, p in enumerate(verborgen)}
    waarde = {p: (matrix[p] if p[0] < r and p[1] < c else
                  matrix[p[0]].sum() if p[0] < r else matrix[:, p[1]].sum() if p[1] < c else matrix.sum())
              for p in posities}
    A, b = [], []
    lijnen = [[(i, j) for j in range(c)] + [(i, c)] for i in range(r + 1)]
    lijnen += [[(i, j) for i in range(r)] + [(r, j)] for j in range(c + 1)]
    for lijn in lijnen:  # sum of members - total = 0
        rij = np.zeros(len(verborgen))
        rest = 0.0
        for k, p in enumerate(lijn):
            teken = -1.0 if k == len(lijn) - 1 else 1.0
            if p in index:
                rij[index[p]] += teken
            else:
                rest -= teken * waarde[p]
        if rij.any():
            A.append(rij)
            b.append(rest)
    gevonden = []
    for p, k in index.items():
        if not 1 <= waarde[p] <= 4:
            continue
        doel = np.zeros(len(verborgen))
        doel[k] = 1
        lo = linprog(doel, A_eq=A or None, b_eq=b or None, bounds=(0, None), method="highs")
        hi = linprog(-doel, A_eq=A or None, b_eq=b or None, bounds=(0, None), method="highs")
        assert lo.status == 0
        if hi.status == 0 and abs(-hi.fun - lo.fun) < 0.5:
            gevonden.append(p)
    return gevonden


kleine_aantallen = st.integers(0, 12).map(lambda v: v if v < 9 else v * 3)
matrices = st.tuples(st.integers(1, 5), st.integers(1, 4)).flatmap(
    lambda vorm: st.lists(kleine_aantallen, min_size=vorm[0] * vorm[1], max_size=vorm[0] * vorm[1]).map(
        lambda xs: np.array(xs, float).reshape(vorm)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(matrices)
def test_intern_hides_small_counts_and_they_cannot_be_recovered(matrix):
    ruw, cellen = tabel_2d(matrix)
    uit = beveilig(ruw, "intern")
    zichtbaar = uit["status"].to_numpy() == ""
    getoond = uit.loc[zichtbaar, "waarde"]
    assert not ((getoond >= 1) & (getoond <= 4)).any()
    assert (getoond.to_numpy() == ruw.loc[zichtbaar, "waarde"].to_numpy()).all()  # shown = true value
    assert uit.loc[~zichtbaar, "waarde"].isna().all() and (uit.loc[~zichtbaar, "status"] == "verborgen").all()
    assert herleidbaar(matrix, zichtbaar, cellen) == []


@settings(max_examples=150, deadline=None)
@given(st.lists(kleine_aantallen, min_size=1, max_size=12))
def test_intern_one_dimensional_line(aantallen):
    matrix = np.array(aantallen, float).reshape(-1, 1)
    ruw, cellen = tabel_2d(matrix)
    ruw = ruw.assign(familie="")  # no family line: only groups with the city total
    uit = beveilig(ruw, "intern")
    zichtbaar = uit["status"].to_numpy() == ""
    assert not ((uit.loc[zichtbaar, "waarde"] >= 1) & (uit.loc[zichtbaar, "waarde"] <= 4)).any()
    verborgen = ~zichtbaar[[cellen[(i, 0)] for i in range(len(aantallen))]]
    if verborgen.sum() == 1:  # one hidden group: recoverable unless the total is hidden too
        assert not zichtbaar[cellen[(len(aantallen), 0)]]


@settings(max_examples=150, deadline=None)
@given(matrices)
def test_openbaar_rounds_to_five_and_hides_0_to_7(matrix):
    ruw, _ = tabel_2d(matrix)
    uit = beveilig(ruw, "openbaar")
    geheim = uit["status"] == "geheim"
    assert (geheim == (ruw["waarde"] <= 7)).all()
    getoond = uit.loc[~geheim, "waarde"]
    assert (getoond % 5 == 0).all()
    assert (abs(getoond - ruw.loc[~geheim, "waarde"]) <= 2.5).all()


def test_derived_values_follow_their_count():
    ruw = pd.DataFrame([
        dict(groep="a", maat="n", waarde=3.0, soort="telling", basis=np.nan, basis_maat=""),
        dict(groep="a", maat="pct", waarde=33.3, soort="afgeleid", basis=3.0, basis_maat="n"),
        dict(groep="b", maat="n", waarde=40.0, soort="telling", basis=np.nan, basis_maat=""),
        dict(groep="b", maat="pct", waarde=50.0, soort="afgeleid", basis=40.0, basis_maat="n"),
        dict(groep="c", maat="n", waarde=9.0, soort="telling", basis=np.nan, basis_maat=""),
        dict(groep="c", maat="pct", waarde=12.0, soort="afgeleid", basis=9.0, basis_maat="n"),
        dict(groep="stad", maat="n", waarde=52.0, soort="telling", basis=np.nan, basis_maat=""),
        dict(groep="stad", maat="mediaan", waarde=20.0, soort="afgeleid", basis=6.0, basis_maat=""),
        dict(groep="stad", maat="bedrag", waarde=3.0, soort="bedrag", basis=np.nan, basis_maat=""),
    ]).assign(indicator="x", per="wijk", periode="2024-Q1", thema="", naar="", familie="")[KOLOMMEN]
    intern = beveilig(ruw, "intern").set_index(["groep", "maat"])["status"]
    assert intern[("a", "n")] == "verborgen" and intern[("a", "pct")] == "verborgen"
    assert intern[("c", "n")] == "verborgen"  # complementary: else a = 52 - 40 - 9
    assert intern[("c", "pct")] == "verborgen"  # derived from a hidden count
    assert intern[("b", "pct")] == "" and intern[("stad", "mediaan")] == "" and intern[("stad", "bedrag")] == ""
    openbaar = beveilig(ruw, "openbaar").set_index(["groep", "maat"])["status"]
    assert openbaar[("stad", "mediaan")] == "geheim"  # 6 people: below the public threshold of 8
    assert openbaar[("b", "pct")] == ""
    geen = beveilig(ruw, "geen")
    assert (geen["status"] == "niet delen").all() and geen["waarde"].notna().all()


@pytest.fixture(scope="module")
def sample():
    return laad(SAMPLE)


@pytest.mark.parametrize("indicator,per", [("bereik", "wijk"), ("bereik", "aanbieder"), ("bereik", "productcategorie"),
                                           ("wachttijd", "aanbieder"), ("ervaringen", "wijk"),
                                           ("overgangen", "aanbieder"), ("verdieping", "wijk")])
def test_sample_tables_show_no_small_counts(sample, indicator, per):
    perioden = reeks("2024-Q1", "2024-Q4")
    ruw = bereken(sample, indicator, per, perioden)
    uit = beveilig(ruw, "intern")
    telling = uit["soort"] == "telling"
    zichtbaar = uit["status"] == ""
    assert not (telling & zichtbaar & uit["waarde"].between(1, 4)).any()
    klein = telling & ruw["waarde"].between(1, 4)
    assert (uit.loc[klein, "status"] == "verborgen").all()
    # no line (same measure and quarter, all groups + city) has exactly one hidden group cell
    # while its total is shown
    tel = uit[telling].copy()
    tel["v"] = tel["status"] != ""
    for _, lijn in tel.groupby(["periode", "maat", "thema", "naar"]):
        if (lijn["groep"] == "stad").any() and not lijn.loc[lijn["groep"] == "stad", "v"].iloc[0]:
            assert lijn.loc[lijn["groep"] != "stad", "v"].sum() != 1


def test_published_columns(sample):
    perioden = kies_perioden(sample, "2024-Q4")
    t = cijfers(sample, "ervaringen", "aanbieder", perioden)
    assert list(t.columns) == ["indicator", "per", "groep", "periode", "thema", "maat", "waarde", "status"]
    t = cijfers(sample, "bereik", "wijk", perioden)
    assert list(t.columns) == ["indicator", "per", "groep", "periode", "maat", "waarde", "status"]
    assert set(t["status"]) <= {"", "verborgen"}
    assert not t.columns.str.contains("client").any()


def test_same_figures_same_hidden_cells_whatever_the_row_order(sample):
    """Two runs must hide the same cells, or their outputs together reveal what each hid."""
    ruw = bereken(sample, "bereik", "wijk", reeks("2024-Q1", "2024-Q4"))
    cel = ["indicator", "per", "groep", "periode", "maat", "thema", "naar"]
    eerst = beveilig(ruw, "intern").sort_values(cel).reset_index(drop=True)
    assert (eerst["status"] == "verborgen").any()
    for zaad in (1, 2, 3):
        geschud = beveilig(ruw.sample(frac=1, random_state=zaad), "intern")
        pd.testing.assert_frame_equal(eerst, geschud.sort_values(cel).reset_index(drop=True))
