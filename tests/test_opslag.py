"""The duiding store against real SQLite files and a real PostgreSQL server."""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from duiding.exceptions import InvoerFout, ParameterFout
from duiding.opslag import Herkomst, Opslag
from duiding.opslag import schema

VELDEN = {"wat_zien_we": "Instroom stijgt", "herkennen": "deels", "herkennen_toelichting": "vooral bij 12-17",
          "verhaal": "Wachtlijst bij de GGZ loopt op", "waardering": "zorgelijk", "verwachting": "Blijft stijgen",
          "principes": ["Zo nabij mogelijk", "Eenvoud"], "binnen_kaders": "twijfel"}


def _leeg(o: Opslag) -> Opslag:
    """The shared PostgreSQL database emptied, so every test starts from an empty store."""
    with o.engine.begin() as conn:
        for t in reversed(schema.meta.sorted_tables):
            if t.name != "schema_versie":
                conn.execute(t.delete())
    return o


@pytest.fixture(params=["sqlite", "postgresql"])
def opslag(request, tmp_path):
    if request.param == "sqlite":
        o = Opslag(tmp_path / "duidingen.sqlite")
    else:
        o = _leeg(Opslag(request.getfixturevalue("postgres_url")))
    yield o
    o.sluit()


def test_rondgang(opslag):
    s = opslag.sessie_maken("wijk", "WK034403", "2024-Q4", datum=date(2025, 1, 20), onderwerp_naam="Overvecht",
                            deelnemers=["Ans de Vries, buurtteamwerker, Buurtteam Overvecht", "Bram, beleid"])
    assert s.titel == "Duidingssessie Overvecht 2024 K4" and s.datum == date(2025, 1, 20)
    assert [d.naam for d in s.deelnemers] == ["Ans de Vries", "Bram"]
    assert s.deelnemers[0].organisatie == "Buurtteam Overvecht"
    # the same key again reopens the session; a new participant is added, none doubled
    s2 = opslag.sessie_maken("wijk", "WK034403", "2024-Q4", deelnemers=["Bram, beleid", "Cor"],
                             onderwerp_naam="Overvecht")
    assert s2.id == s.id and [d.naam for d in s2.deelnemers] == ["Ans de Vries", "Bram", "Cor"]
    d, nieuw = opslag.bewaar(s.id, "Bereik", VELDEN, "Ans", Herkomst("abc123", "2024-Q4", "intern"))
    assert nieuw and d.versie == 1 and d.sectie == "bereik"
    terug = opslag.laatste(s.id, "bereik")
    assert terug.velden == {**VELDEN, "principes": "Zo nabij mogelijk; Eenvoud"}
    assert terug.auteur == "Ans" and terug.herkomst == Herkomst("abc123", "2024-Q4", "intern")
    a = opslag.actie(s.id, "Navragen bij de GGZ", "Bram", date(2025, 3, 1), "bereik", "Ans")
    assert a.status == "open" and a.streefdatum == date(2025, 3, 1)
    a = opslag.actie_bijwerken(a.id, "lopend", "gesprek gepland", "Bram")
    assert a.status == "lopend" and [u.status for u in a.updates] == ["open", "lopend"]
    assert [x.id for x in opslag.acties(soort="wijk", onderwerp="WK034403", alleen_open=True)] == [a.id]
    opslag.actie_bijwerken(a.id, "gereed")
    assert opslag.acties(soort="wijk", onderwerp="WK034403", alleen_open=True) == []


def test_ongeldige_waarden_geweigerd(opslag):
    s = opslag.sessie_maken("aanbieder", "A01", "2024-Q4", onderwerp_naam="De Wending")
    with pytest.raises(InvoerFout, match="misschien"):
        opslag.bewaar(s.id, "bereik", {"herkennen": "misschien"})
    # the store keeps any gemeente's principles (the form and the import check the configured list)
    with pytest.raises(InvoerFout, match="te lang"):
        opslag.bewaar(s.id, "bereik", {"principes": "x" * 101})
    with pytest.raises(InvoerFout, match="Onbekende sectie"):
        opslag.bewaar(s.id, "kosten", {"verhaal": "x"})
    with pytest.raises(ParameterFout, match="Sessie 999 bestaat niet"):
        opslag.bewaar(999, "bereik", {"verhaal": "x"})
    with pytest.raises(InvoerFout, match="status"):
        opslag.actie_bijwerken(opslag.actie(s.id, "x").id, "klaar")
    assert opslag.geschiedenis(s.id, "bereik") == []


def test_alleen_toevoegen_met_geschiedenis(opslag):
    s = opslag.sessie_maken("stad", "stad", "2024-Q3", onderwerp_naam="Utrecht")
    opslag.bewaar(s.id, "budget", {"verhaal": "eerste"}, "Ans")
    d, nieuw = opslag.bewaar(s.id, "budget", {"verhaal": "eerste"}, "Ans")
    assert not nieuw and d.versie == 1  # nothing changed: no new version
    opslag.bewaar(s.id, "budget", {"verhaal": "tweede"}, "Bram")
    opslag.bewaar(s.id, "budget", {"verhaal": "derde", "waardering": "positief"}, "Ans")
    versies = opslag.geschiedenis(s.id, "budget")
    assert [(v.versie, v.verhaal, v.auteur) for v in versies] == [(3, "derde", "Ans"), (2, "tweede", "Bram"),
                                                                 (1, "eerste", "Ans")]
    assert opslag.duidingen(s.id)["budget"].verhaal == "derde"
    # deleting is explicit, one version at a time, and logged without the content
    weg = opslag.verwijder(versies[1].id, "naam van een cliënt getypt", "Functioneel beheer")
    assert [v.versie for v in opslag.geschiedenis(s.id, "budget")] == [3, 1]
    log = opslag.logboek()
    assert len(log) == 1 and log[0].wie == "Functioneel beheer" and f"duiding {weg.id}" in log[0].details
    assert "tweede" not in log[0].details and "naam van een cliënt getypt" in log[0].details
    with pytest.raises(InvoerFout, match="reden"):
        opslag.verwijder(versies[0].id, "", "x")


def _schrijver(url: str, nummer: int, aantal: int) -> None:
    o = Opslag(url)
    s = o.sessie_maken("wijk", "WK034401", "2024-Q4", onderwerp_naam="West")  # all four race to create it
    for i in range(aantal):
        o.bewaar(s.id, ["bereik", "wachttijd", "ervaringen"][i % 3], {"verhaal": f"proces {nummer} nr {i}"},
                 f"p{nummer}")


@pytest.mark.parametrize("soort", ["sqlite", "postgresql"])
def test_vier_processen_tegelijk_niets_kwijt(soort, tmp_path, request):
    url = str(tmp_path / "samen.sqlite") if soort == "sqlite" else request.getfixturevalue("postgres_url")
    o = Opslag(url) if soort == "sqlite" else _leeg(Opslag(url))
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_schrijver, args=(url, n, 250)) for n in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=600)
        assert p.exitcode == 0
    assert len(o.sessies()) == 1
    sid = o.sessies()[0].id
    alle = [d for ind in ("bereik", "wachttijd", "ervaringen") for d in o.geschiedenis(sid, ind)]
    assert len(alle) == 1000
    assert {d.verhaal for d in alle} == {f"proces {n} nr {i}" for n in range(4) for i in range(250)}
    for ind in ("bereik", "wachttijd", "ervaringen"):
        versies = sorted(d.versie for d in o.geschiedenis(sid, ind))
        assert versies == list(range(1, len(versies) + 1))  # no gaps, no doubles


SCHRIJF_TOT_KILL = """
import sys
from duiding.opslag import Opslag
o = Opslag(sys.argv[1])
s = o.sessie_maken("wijk", "WK034402", "2024-Q4", onderwerp_naam="Noordwest")
i = 0
while True:
    d, _ = o.bewaar(s.id, "bereik", {"verhaal": "x" * 5000 + str(i)}, "schrijver")
    print(d.versie, flush=True)
    i += 1
"""


def test_sigkill_midden_in_opslaan_laat_een_heel_bestand(tmp_path):
    pad = tmp_path / "kill.sqlite"
    proc = subprocess.Popen([sys.executable, "-c", SCHRIJF_TOT_KILL, str(pad)], stdout=subprocess.PIPE, text=True)
    bevestigd = []
    while len(bevestigd) < 40:
        bevestigd.append(int(proc.stdout.readline()))
    os.kill(proc.pid, signal.SIGKILL)  # mid-save: the loop never pauses between saves
    proc.wait()
    con = sqlite3.connect(pad)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    o = Opslag(pad)
    versies = sorted(d.versie for d in o.geschiedenis(1, "bereik"))
    assert versies == list(range(1, len(versies) + 1))
    assert set(bevestigd) <= set(versies)  # every save reported as done is there
    d, nieuw = o.bewaar(1, "bereik", {"verhaal": "na de crash"})
    assert nieuw and d.versie == len(versies) + 1


def test_migratie_van_schema_1(tmp_path):
    pad = tmp_path / "oud.sqlite"
    engine = sa.create_engine(f"sqlite:///{pad}")
    schema.migreer(engine, tot=1)  # a store as the first kit left it
    with engine.begin() as conn:
        assert "data_hash" not in {c["name"] for c in sa.inspect(conn).get_columns("duidingen")}
        conn.exec_driver_sql("INSERT INTO sessies (soort, onderwerp, onderwerp_naam, periode, datum, titel, "
                             "aangemaakt_op) VALUES ('wijk', 'WK034405', 'Oost', '2024-Q2', '2024-07-10', "
                             "'Oude sessie', '2024-07-10 10:00:00')")
        conn.exec_driver_sql("INSERT INTO duidingen (sessie_id, indicator, versie, verhaal, auteur, opgeslagen_op) "
                             "VALUES (1, 'bereik', 1, 'van voor de migratie', 'Ans', '2024-07-10 10:05:00')")
    engine.dispose()
    o = Opslag(pad)
    assert o.schema_was == 1
    with o.engine.connect() as conn:
        assert schema.huidige_versie(conn) == schema.VERSIE == 2
    oud = o.laatste(1, "bereik")
    assert oud.verhaal == "van voor de migratie" and oud.herkomst == Herkomst(None, None, None)
    d, _ = o.bewaar(1, "bereik", {"verhaal": "erna"}, herkomst=Herkomst("h", "2024-Q2", "intern"))
    assert d.versie == 2 and d.herkomst.data_hash == "h"
    assert Opslag(pad).schema_was == 2  # opening again changes nothing
    o.sluit()


def test_nieuwere_opslag_dan_de_kit(tmp_path):
    pad = tmp_path / "toekomst.sqlite"
    Opslag(pad).sluit()
    con = sqlite3.connect(pad)
    con.execute("INSERT INTO schema_versie VALUES (99, '2030-01-01')")
    con.commit()
    con.close()
    with pytest.raises(InvoerFout, match="schemaversie 99"):
        Opslag(pad)


def test_sqlite_staat_in_wal_met_wachttijd(tmp_path):
    o = Opslag(tmp_path / "w.sqlite")
    with o.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 10_000


def test_opslag_url_uit_omgeving_en_pad(tmp_path, monkeypatch):
    from duiding.opslag.store import als_url
    monkeypatch.setenv("DUIDING_OPSLAG", str(tmp_path / "env.sqlite"))
    assert als_url(None) == f"sqlite:///{tmp_path / 'env.sqlite'}"
    assert als_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    assert not Opslag.bestaat(tmp_path / "nog-niet.sqlite")  # reports must not create a store
    assert not (tmp_path / "nog-niet.sqlite").exists()


@pytest.mark.parametrize("vorm", ["sqlite:///{pad}", "sqlite+pysqlite:///{pad}", "sqlite:///{pad}?timeout=5", "{pad}"])
def test_bestaat_leest_de_url_zoals_sqlalchemy(tmp_path, vorm):
    """`bestaat` finds the SQLite file without SQLAlchemy; it must agree with SQLAlchemy's own reading."""
    from duiding.opslag import bestaat

    pad = tmp_path / "s.sqlite"
    url = vorm.format(pad=pad)
    assert not bestaat(url)
    sqlite3.connect(pad).close()
    assert bestaat(url)
    if "://" in url:
        assert Path(sa.engine.make_url(url).database) == pad
    assert not bestaat("sqlite:///:memory:")
    assert bestaat("postgresql+psycopg://u@h/db")  # a server: only connecting tells


def test_een_rapport_zonder_opslag_laadt_geen_sqlalchemy(tmp_path):
    code = ("import sys; from duiding import notebook, onderwerp; "
            "assert not onderwerp.bestaat(sys.argv[1]); assert 'sqlalchemy' not in sys.modules, 'sqlalchemy geladen'")
    r = subprocess.run([sys.executable, "-c", code, str(tmp_path / "geen.sqlite")], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
