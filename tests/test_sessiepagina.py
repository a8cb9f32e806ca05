"""A session's page recorded once and replayed with live forms (web/opname, web/sessiepagina).

The recording is the subject's notebook run in modus sessie with places for what must be
live; replaying it fills those places from the store as it is now. A change in the data
or the settings makes a recording stale, so a page never shows figures of other data.
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import date, timedelta

import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

from duiding.config import laad_instellingen
from duiding.opslag import Opslag
from duiding.web import opname, sessiepagina
from tests.conftest import SAMPLE


@pytest.fixture
def omgeving(tmp_path, monkeypatch):
    InteractiveShell.instance()  # display() publishes to a shell, as in a kernel
    monkeypatch.setattr(opname, "MAP", tmp_path / "cache")
    data = tmp_path / "data"
    shutil.copytree(SAMPLE, data)
    o = Opslag(tmp_path / "duidingen.sqlite")
    zomer = o.sessie_maken("wijk", "WK034401", "2024-Q3", "Zomersessie West", onderwerp_naam="West")
    actie = o.actie(zomer.id, "Gesprek met de GGZ over de wachtlijst", "Cor", date.today() - timedelta(days=3), "bereik")
    herfst = o.sessie_maken("wijk", "WK034401", "2024-Q4", "Herfstsessie West", onderwerp_naam="West")
    return {"opslag": o, "sessie": herfst, "actie": actie, "data": data,
            "inst": laad_instellingen().met(data=data)}


def _plekken(pagina):
    return [o["data"][opname.PLEK] for o in pagina if opname.PLEK in o["data"]]


def _html(uitvoer) -> str:
    return " ".join(str(o.data.get("text/html", "")) for o in uitvoer.outputs)


def test_the_recording_holds_figures_and_places_not_live_parts(omgeving):
    o, s, inst = omgeving["opslag"], omgeving["sessie"], omgeving["inst"]
    pagina = opname.neem_op(s, o.url, inst)
    plekken = _plekken(pagina)
    assert [p["sectie"] for p in plekken if p["wat"] == "formulier"] == ["bereik", "wachttijd", "ervaringen"]
    assert [p["wat"] for p in plekken].count("eerdere_acties") == 1
    assert all(p["herkomst"]["periode"] == "2024-Q4" and p["herkomst"]["data_hash"] for p in plekken
               if p["wat"] == "formulier")
    tekst = json.dumps(pagina)
    assert "image/svg+xml" in tekst and "Herfstsessie West" in tekst  # the charts and the heading are recorded
    # no widget of the recording kernel, and the actions only live: they change between openings
    assert "application/vnd.jupyter.widget-view+json" not in tekst
    assert "Gesprek met de GGZ" not in tekst
    assert opname.bewaard(s, o.url, inst) == pagina


def test_replaying_fills_the_places_from_the_store_as_it_is_now(omgeving):
    o, s, inst = omgeving["opslag"], omgeving["sessie"], omgeving["inst"]
    pagina = opname.neem_op(s, o.url, inst)
    with capture_output() as eerst:
        formulieren = opname.speel_af(pagina, o, s)
    assert set(formulieren) == {"bereik", "wachttijd", "ervaringen"}
    assert "te laat:" in _html(eerst) and "Gesprek met de GGZ" in _html(eerst)
    f = formulieren["bereik"]
    f.velden["wat_zien_we"].value = "Meer jongeren uit West in zorg"
    f.bewaar()
    bewaard = o.laatste(s.id, "bereik")
    assert bewaard.wat_zien_we == "Meer jongeren uit West in zorg" and bewaard.herkomst.periode == "2024-Q4"

    o.actie_bijwerken(omgeving["actie"].id, "gereed")
    with capture_output() as daarna:
        formulieren = opname.speel_af(pagina, o, s)
    assert "Gesprek met de GGZ" not in _html(daarna)  # done since: no longer carried over
    assert formulieren["bereik"].velden["wat_zien_we"].value == "Meer jongeren uit West in zorg"


def test_a_change_in_data_or_settings_makes_the_recording_stale(omgeving):
    o, s, inst, data = omgeving["opslag"], omgeving["sessie"], omgeving["inst"], omgeving["data"]
    opname.neem_op(s, o.url, inst)
    assert opname.bewaard(s, o.url, inst) is not None
    assert opname.bewaard(s, o.url, inst.met(privacy="openbaar")) is None
    bestand = data / "trajecten.csv"
    st = bestand.stat()
    os.utime(bestand, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    assert opname.bewaard(s, o.url, inst) is None
    opname.neem_op(s, o.url, inst)  # recorded again: the older recording of this session is gone
    assert len(list(opname.MAP.glob(f"sessie-{s.id}-*.json"))) == 1


def test_the_page_records_a_session_on_its_first_opening(omgeving):
    o, s, data = omgeving["opslag"], omgeving["sessie"], omgeving["data"]
    with capture_output() as c:
        sessiepagina.toon(s.id, o.url, str(data))
    assert "Herfstsessie West" in _html(c) and "Gesprek met de GGZ" in _html(c)
    assert opname.bewaard(s, o.url, omgeving["inst"]) is not None
    with pytest.raises(Exception, match="Sessie 999 bestaat niet"):
        sessiepagina.toon(999, o.url, str(data))
