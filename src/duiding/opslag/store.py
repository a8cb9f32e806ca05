"""The duiding store: sessions, their duidingen (append-only versions) and actions.

SQLite by default, any SQLAlchemy URL (PostgreSQL for a shared server) otherwise.
Every save is an INSERT: an edit is a new version of the section, the history stays.
Only `verwijder` deletes, and it writes what it did to the logboek.

SQLite runs in WAL mode with a busy timeout, and every write transaction starts with
BEGIN IMMEDIATE, so concurrent writers queue instead of failing, and a writer killed
mid-save leaves the last committed state. PostgreSQL transactions retry on a version
clash, so two people saving the same section at once both keep their version.
"""

from __future__ import annotations

import hashlib
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError

from ..exceptions import InvoerFout, ParameterFout, schijf_fout
from ..periode import Kwartaal
from . import schema as s
from .adres import als_url, bestaat
from .modellen import Actie, ActieUpdate, Deelnemer, Duiding, Herkomst, Sessie
from .velden import SECTIES, SOORTEN, STATUS, VELDEN, geldige_sectie, schoon

def _engine(url: str) -> sa.Engine:
    if url.startswith("sqlite"):
        pad = sa.engine.make_url(url).database
        if pad and pad != ":memory:":
            Path(pad).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"timeout": 60})

        @sa.event.listens_for(engine, "connect")
        def _verbind(dbapi, _record):
            dbapi.isolation_level = None  # we issue BEGIN ourselves (below)
            cur = dbapi.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=60000")
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        @sa.event.listens_for(engine, "begin")
        def _begin(conn):
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # take the write lock up front: no upgrade deadlock

        return engine
    try:
        return sa.create_engine(url, pool_pre_ping=True)
    except (ImportError, sa.exc.NoSuchModuleError, sa.exc.ArgumentError) as e:
        raise InvoerFout(f"De opslag '{_zonder_wachtwoord(url)}' kan niet worden geopend ({e}). Voor PostgreSQL: "
                         "pip install 'duiding[postgres]' en een URL als postgresql+psycopg://gebruiker@host/db.") from None


def _zonder_wachtwoord(url: str) -> str:
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "(ongeldige URL)"


class Opslag:
    """A duiding store. `Opslag(url)` opens it and brings its schema up to date."""

    def __init__(self, url: str | Path | None = None):
        self.url = als_url(url)
        self.engine = _engine(self.url)
        try:
            self.schema_was = s.migreer(self.engine)
        except OperationalError as e:
            raise InvoerFout(f"De opslag '{_zonder_wachtwoord(self.url)}' kan niet worden geopend: "
                             f"{e.orig}. Controleer het pad of de URL (--opslag of DUIDING_OPSLAG).") from None

    @staticmethod
    def bestaat(url: str | Path | None = None) -> bool:
        """Whether there is a store to read (a report must never create one as a side effect)."""
        return bestaat(url)

    def sluit(self) -> None:
        self.engine.dispose()

    def __repr__(self) -> str:
        return f"Opslag({_zonder_wachtwoord(self.url)!r})"

    # ---- sessions -------------------------------------------------------------------
    def sessie_maken(self, soort: str, onderwerp: str, periode: str, titel: str | None = None,
                     datum: date | None = None, deelnemers=(), onderwerp_naam: str | None = None) -> Sessie:
        """The session (soort, onderwerp, periode, titel), created when it does not exist yet."""
        if soort not in SOORTEN:
            raise InvoerFout(f"Onbekende soort '{soort}'. Kies uit: {', '.join(SOORTEN)}.")
        periode = str(Kwartaal.parse(str(periode)))
        naam = onderwerp_naam or onderwerp
        titel = (titel or f"Duidingssessie {naam} {Kwartaal.parse(periode).label}").strip()
        deelnemers = [d if isinstance(d, Deelnemer) else Deelnemer.lees(d) for d in deelnemers]
        sid = self._transactie(lambda conn: sessie_in(conn, soort, onderwerp, periode, titel,
                                                       datum or date.today(), naam, deelnemers))
        return self.sessie(sid)

    def _transactie(self, werk, pogingen: int = 50):
        """Run `werk(conn)` in one write transaction; again when a concurrent writer took a key first."""
        for _ in range(pogingen):
            try:
                with self._schrijf() as conn:
                    return werk(conn)
            except IntegrityError:
                continue
        raise RuntimeError("too many write conflicts")

    @contextmanager
    def _schrijf(self):
        """A write transaction; a full or read-only disk becomes a Dutch `SchijfFout`.

        The driver's own message is dropped: it quotes the statement's parameters, which
        hold the duiding's text.
        """
        try:
            with self.engine.begin() as conn:
                yield conn
        except IntegrityError:
            raise
        except (OperationalError, sa.exc.DBAPIError) as e:
            raise schijf_fout(e, f"de duidingenopslag ({_zonder_wachtwoord(self.url)})") from None

    def sessie(self, sessie_id: int | str) -> Sessie:
        try:
            sid = int(sessie_id)
        except (TypeError, ValueError):
            raise ParameterFout(f"'{sessie_id}' is geen sessienummer. 'duiding sessies' toont de sessies.") from None
        gevonden = self._lees_sessies(s.sessies.c.id == sid)
        if not gevonden:
            raise ParameterFout(f"Sessie {sid} bestaat niet in {self}. 'duiding sessies' toont de sessies.")
        return gevonden[0]

    def sessies(self, soort: str | None = None, onderwerp: str | None = None) -> list[Sessie]:
        """Sessions, newest period first."""
        voorwaarden = ([s.sessies.c.soort == soort] if soort else []) + \
            ([s.sessies.c.onderwerp == onderwerp] if onderwerp else [])
        return self._lees_sessies(*voorwaarden)

    def _lees_sessies(self, *voorwaarden) -> list[Sessie]:
        """The sessions that meet the conditions, each with its participants (only theirs are read)."""
        q = (sa.select(s.sessies).where(*voorwaarden)
             .order_by(s.sessies.c.periode.desc(), s.sessies.c.datum.desc(), s.sessies.c.id.desc()))
        with self.engine.connect() as conn:
            rijen = conn.execute(q).all()
            ids = [r.id for r in rijen]
            wie = conn.execute(sa.select(s.deelnemers).where(s.deelnemers.c.sessie_id.in_(ids))
                               .order_by(s.deelnemers.c.id)).all() if ids else []
        per = {}
        for w in wie:
            per.setdefault(w.sessie_id, []).append(w)
        return [_sessie(r, per.get(r.id, [])) for r in rijen]

    # ---- duidingen --------------------------------------------------------------------
    def bewaar(self, sessie_id: int, sectie: str, velden: dict, auteur: str = "",
               herkomst: Herkomst | None = None) -> tuple[Duiding, bool]:
        """Save a new version of a section's duiding; returns (version, new?).

        Nothing changed against the latest version (same fields, same author): no new
        version. Two writers saving at once both get their own version.
        """
        sectie = geldige_sectie(sectie)
        velden = schoon(velden)
        auteur = str(auteur or "").strip()[:200]
        herkomst = herkomst or Herkomst()
        self.sessie(sessie_id)
        rij, nieuw = self._transactie(lambda conn: bewaar_in(conn, int(sessie_id), sectie, velden, auteur,
                                                             herkomst))
        return _duiding(rij), nieuw

    def laatste(self, sessie_id: int, sectie: str) -> Duiding | None:
        with self.engine.connect() as conn:
            rij = conn.execute(_versies(sessie_id, geldige_sectie(sectie)).limit(1)).first()
        return _duiding(rij) if rij else None

    def geschiedenis(self, sessie_id: int, sectie: str) -> list[Duiding]:
        """Every version of a section, newest first."""
        with self.engine.connect() as conn:
            return [_duiding(r) for r in conn.execute(_versies(sessie_id, geldige_sectie(sectie)))]

    def duidingen(self, sessie_id: int) -> dict[str, Duiding]:
        """The latest version of every section of a session, in section order."""
        with self.engine.connect() as conn:
            rijen = conn.execute(sa.select(s.duidingen).where(s.duidingen.c.sessie_id == sessie_id)
                                 .order_by(s.duidingen.c.versie)).all()
        laatste = {r.indicator: _duiding(r) for r in rijen}  # column 'indicator' holds the sectie
        return {k: laatste[k] for k in SECTIES if k in laatste}

    def eerder(self, soort: str, onderwerp: str, sectie: str, voor: Sessie | None = None,
               hoeveel: int = 3, tot: str | None = None) -> list[tuple[Sessie, Duiding]]:
        """The latest non-empty duiding of this section per session about the same subject, newest first.

        `voor`: only sessions before that one (a form's "Vorige keer"); `tot`: only sessions
        about that period or earlier (a report of that period).
        """
        uit = []
        for sessie in self.sessies(soort, onderwerp):
            if voor is not None and (sessie.id == voor.id or (sessie.periode, sessie.datum) > (voor.periode, voor.datum)):
                continue
            if tot is not None and sessie.periode > tot:
                continue
            d = self.laatste(sessie.id, sectie)
            if d is not None and not d.leeg:
                uit.append((sessie, d))
            if len(uit) >= hoeveel:
                break
        return uit

    def alle_versies(self) -> list[tuple[Sessie, Duiding]]:
        """Every saved version with its session (for export)."""
        sessies = {x.id: x for x in self.sessies()}
        with self.engine.connect() as conn:
            rijen = conn.execute(sa.select(s.duidingen).order_by(s.duidingen.c.sessie_id, s.duidingen.c.indicator,
                                                                 s.duidingen.c.versie)).all()
        return [(sessies[r.sessie_id], _duiding(r)) for r in rijen]

    def verwijder(self, duiding_id: int, reden: str, wie: str) -> Duiding:
        """Delete one version, explicitly and logged (e.g. a name that should never have been typed)."""
        if not str(reden or "").strip() or not str(wie or "").strip():
            raise InvoerFout("Verwijderen vraagt een reden (--reden) en wie het doet (--door).")
        with self._schrijf() as conn:
            rij = conn.execute(sa.select(s.duidingen).where(s.duidingen.c.id == int(duiding_id))).first()
            if rij is None:
                raise ParameterFout(f"Duiding {duiding_id} bestaat niet in {self}.")
            d = _duiding(rij)
            vingerafdruk = hashlib.sha256(repr(sorted(d.velden.items())).encode("utf-8")).hexdigest()[:16]
            conn.execute(s.duidingen.delete().where(s.duidingen.c.id == d.id))
            conn.execute(s.logboek.insert().values(
                tijd=s.nu(), wie=str(wie).strip(), handeling="verwijder duiding",
                details=(f"duiding {d.id}: sessie {d.sessie_id}, sectie {d.sectie}, versie {d.versie}, "
                         f"inhoud-hash {vingerafdruk}; reden: {str(reden).strip()}")))
        return d

    def logboek(self) -> list:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(s.logboek).order_by(s.logboek.c.id)).all()

    # ---- acties -----------------------------------------------------------------------
    def actie(self, sessie_id: int, omschrijving: str, eigenaar: str = "", streefdatum: date | None = None,
              sectie: str = "", auteur: str = "") -> Actie:
        omschrijving = str(omschrijving or "").strip()
        if not omschrijving:
            raise InvoerFout("Een actie heeft een omschrijving nodig: wat gaan we doen?")
        self.sessie(sessie_id)
        with self._schrijf() as conn:
            aid = conn.execute(s.acties.insert().values(
                sessie_id=sessie_id, indicator=geldige_sectie(sectie) if sectie else "", omschrijving=omschrijving,
                eigenaar=str(eigenaar or "").strip(), streefdatum=streefdatum, auteur=str(auteur or "").strip(),
                aangemaakt_op=s.nu())).inserted_primary_key[0]
            conn.execute(s.actie_updates.insert().values(actie_id=aid, status="open", toelichting="",
                                                         auteur=str(auteur or "").strip(), opgeslagen_op=s.nu()))
        return self.acties(actie_id=aid)[0]

    def actie_bijwerken(self, actie_id: int, status: str, toelichting: str = "", auteur: str = "") -> Actie:
        """A dated status update (open, lopend, gereed); earlier updates stay."""
        status = str(status).strip().casefold()
        if status not in STATUS:
            raise InvoerFout(f"'{status}' is geen status. Kies open, lopend of gereed.")
        if not self.acties(actie_id=actie_id):
            raise ParameterFout(f"Actie {actie_id} bestaat niet in {self}.")
        with self._schrijf() as conn:
            conn.execute(s.actie_updates.insert().values(actie_id=int(actie_id), status=status,
                                                         toelichting=str(toelichting or "").strip(),
                                                         auteur=str(auteur or "").strip(), opgeslagen_op=s.nu()))
        return self.acties(actie_id=actie_id)[0]

    def acties(self, sessie_id: int | None = None, soort: str | None = None, onderwerp: str | None = None,
               actie_id: int | None = None, alleen_open: bool = False) -> list[Actie]:
        q = sa.select(s.acties).join(s.sessies, s.sessies.c.id == s.acties.c.sessie_id).order_by(s.acties.c.id)
        if sessie_id is not None:
            q = q.where(s.acties.c.sessie_id == int(sessie_id))
        if soort:
            q = q.where(s.sessies.c.soort == soort)
        if onderwerp:
            q = q.where(s.sessies.c.onderwerp == onderwerp)
        if actie_id is not None:
            q = q.where(s.acties.c.id == int(actie_id))
        with self.engine.connect() as conn:
            rijen = conn.execute(q).all()
            ids = [r.id for r in rijen]
            ups = conn.execute(sa.select(s.actie_updates).where(s.actie_updates.c.actie_id.in_(ids))
                               .order_by(s.actie_updates.c.id)).all() if ids else []
        per = {}
        for u in ups:
            per.setdefault(u.actie_id, []).append(ActieUpdate(u.status, u.toelichting, u.auteur, u.opgeslagen_op))
        uit = [Actie(r.id, r.sessie_id, r.indicator, r.omschrijving, r.eigenaar, r.streefdatum, r.auteur,
                     r.aangemaakt_op, tuple(per.get(r.id, ()))) for r in rijen]
        return [a for a in uit if a.status != "gereed"] if alleen_open else uit


def sessie_in(conn, soort, onderwerp, periode, titel, datum, naam, deelnemers) -> int:
    """Get or create a session (and add missing participants) inside a transaction."""
    rij = conn.execute(sa.select(s.sessies.c.id).where(
        s.sessies.c.soort == soort, s.sessies.c.onderwerp == onderwerp, s.sessies.c.periode == periode,
        s.sessies.c.titel == titel)).first()
    if rij is None:
        sid = conn.execute(s.sessies.insert().values(
            soort=soort, onderwerp=onderwerp, onderwerp_naam=naam, periode=periode, datum=datum, titel=titel,
            aangemaakt_op=s.nu())).inserted_primary_key[0]
    else:
        sid = rij.id
    bekend = {(r.naam, r.rol, r.organisatie) for r in conn.execute(
        sa.select(s.deelnemers).where(s.deelnemers.c.sessie_id == sid))}
    for d in deelnemers:
        if (d.naam, d.rol, d.organisatie) not in bekend:
            conn.execute(s.deelnemers.insert().values(sessie_id=sid, naam=d.naam, rol=d.rol, organisatie=d.organisatie))
            bekend.add((d.naam, d.rol, d.organisatie))
    return sid


def bewaar_in(conn, sessie_id: int, sectie: str, velden: dict, auteur: str, herkomst: Herkomst):
    """A new version of a section inside a transaction, unless it equals the latest: (row, new?)."""
    laatste = conn.execute(_versies(sessie_id, sectie).limit(1)).first()
    if laatste is not None and _velden(laatste) == velden and laatste.auteur == auteur:
        return laatste, False
    versie = (laatste.versie if laatste else 0) + 1
    did = conn.execute(s.duidingen.insert().values(
        sessie_id=sessie_id, indicator=sectie, versie=versie, auteur=auteur, opgeslagen_op=s.nu(),
        data_hash=herkomst.data_hash, bron_periode=herkomst.periode, privacy=herkomst.privacy,
        **velden)).inserted_primary_key[0]
    return conn.execute(sa.select(s.duidingen).where(s.duidingen.c.id == did)).one(), True


def _versies(sessie_id: int, sectie: str):
    return (sa.select(s.duidingen).where(s.duidingen.c.sessie_id == int(sessie_id),
                                         s.duidingen.c.indicator == sectie)
            .order_by(s.duidingen.c.versie.desc()))


def _velden(rij) -> dict:
    return {k: getattr(rij, k) or "" for k in VELDEN}


def _duiding(rij) -> Duiding:
    return Duiding(rij.id, rij.sessie_id, rij.indicator, rij.versie, _velden(rij), rij.auteur, rij.opgeslagen_op,
                   Herkomst(rij.data_hash, rij.bron_periode, rij.privacy))


def _sessie(rij, wie) -> Sessie:
    return Sessie(rij.id, rij.soort, rij.onderwerp, rij.onderwerp_naam, rij.periode, rij.datum, rij.titel,
                  tuple(Deelnemer(w.naam, w.rol, w.organisatie) for w in wie))
