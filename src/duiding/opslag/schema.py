"""The store's tables and their migrations.

The schema carries a version number (table `schema_versie`). Opening a store runs every
migration it lacks, each in its own transaction, so a newer kit opens an older store
without loss. Migrations only add; they never drop a table or a column that holds data.

- 1: sessies, deelnemers, duidingen (append-only versions), acties, actie_updates.
- 2: the provenance of the figures discussed (data_hash, bron_periode, privacy) on every
     duiding, and the logboek of explicit deletions.
"""

from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa
from ..exceptions import InvoerFout

meta = sa.MetaData()

schema_versie = sa.Table(
    "schema_versie", meta,
    sa.Column("versie", sa.Integer, primary_key=True),
    sa.Column("toegepast_op", sa.DateTime, nullable=False),
)

sessies = sa.Table(
    "sessies", meta,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("soort", sa.String(20), nullable=False),
    sa.Column("onderwerp", sa.String(60), nullable=False),  # wijk or aanbieder code, or 'stad'
    sa.Column("onderwerp_naam", sa.String(200), nullable=False),
    sa.Column("periode", sa.String(7), nullable=False),
    sa.Column("datum", sa.Date, nullable=False),
    sa.Column("titel", sa.String(300), nullable=False),
    sa.Column("aangemaakt_op", sa.DateTime, nullable=False),
    sa.UniqueConstraint("soort", "onderwerp", "periode", "titel", name="uq_sessie"),
)

deelnemers = sa.Table(
    "deelnemers", meta,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("sessie_id", sa.Integer, sa.ForeignKey("sessies.id"), nullable=False, index=True),
    sa.Column("naam", sa.String(200), nullable=False),
    sa.Column("rol", sa.String(200), nullable=False, server_default=""),
    sa.Column("organisatie", sa.String(200), nullable=False, server_default=""),
    sa.UniqueConstraint("sessie_id", "naam", "rol", "organisatie", name="uq_deelnemer"),
)


def _duiding_kolommen(herkomst: bool = True) -> list:
    """Fresh columns of `duidingen`; without `herkomst` as schema 1 had them."""
    kolommen = [
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("sessie_id", sa.Integer, sa.ForeignKey("sessies.id"), nullable=False),
        sa.Column("indicator", sa.String(40), nullable=False),
        sa.Column("versie", sa.Integer, nullable=False),
        sa.Column("wat_zien_we", sa.Text, nullable=False, server_default=""),
        sa.Column("herkennen", sa.String(10), nullable=False, server_default=""),
        sa.Column("herkennen_toelichting", sa.Text, nullable=False, server_default=""),
        sa.Column("verhaal", sa.Text, nullable=False, server_default=""),
        sa.Column("waardering", sa.String(12), nullable=False, server_default=""),
        sa.Column("verwachting", sa.Text, nullable=False, server_default=""),
        sa.Column("principes", sa.Text, nullable=False, server_default=""),  # '; '-separated
        sa.Column("binnen_kaders", sa.String(10), nullable=False, server_default=""),
        sa.Column("auteur", sa.String(200), nullable=False, server_default=""),
        sa.Column("opgeslagen_op", sa.DateTime, nullable=False),
        sa.UniqueConstraint("sessie_id", "indicator", "versie", name="uq_duiding_versie"),
    ]
    if herkomst:  # schema 2: provenance of the figures discussed
        kolommen += [sa.Column("data_hash", sa.String(64)), sa.Column("bron_periode", sa.String(40)),
                     sa.Column("privacy", sa.String(10))]
    return kolommen


duidingen = sa.Table("duidingen", meta, *_duiding_kolommen())

acties = sa.Table(
    "acties", meta,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("sessie_id", sa.Integer, sa.ForeignKey("sessies.id"), nullable=False, index=True),
    sa.Column("indicator", sa.String(40), nullable=False, server_default=""),
    sa.Column("omschrijving", sa.Text, nullable=False),
    sa.Column("eigenaar", sa.String(200), nullable=False, server_default=""),
    sa.Column("streefdatum", sa.Date),
    sa.Column("auteur", sa.String(200), nullable=False, server_default=""),
    sa.Column("aangemaakt_op", sa.DateTime, nullable=False),
)

actie_updates = sa.Table(
    "actie_updates", meta,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("actie_id", sa.Integer, sa.ForeignKey("acties.id"), nullable=False, index=True),
    sa.Column("status", sa.String(10), nullable=False),
    sa.Column("toelichting", sa.Text, nullable=False, server_default=""),
    sa.Column("auteur", sa.String(200), nullable=False, server_default=""),
    sa.Column("opgeslagen_op", sa.DateTime, nullable=False),
)

logboek = sa.Table(
    "logboek", meta,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("tijd", sa.DateTime, nullable=False),
    sa.Column("wie", sa.String(200), nullable=False),
    sa.Column("handeling", sa.String(60), nullable=False),
    sa.Column("details", sa.Text, nullable=False),
)

SCHEMA_1 = (sessies, deelnemers, acties, actie_updates)
NIEUW_IN_2 = ("data_hash", "bron_periode", "privacy")


def nu() -> datetime:
    """UTC, without tzinfo: stored the same way by SQLite and PostgreSQL."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _v1(conn: sa.Connection) -> None:
    for t in SCHEMA_1:
        t.create(conn, checkfirst=True)
    # duidingen as schema 1 had it: without the provenance columns
    oud = sa.MetaData()
    sa.Table("sessies", oud, sa.Column("id", sa.Integer, primary_key=True))
    sa.Table("duidingen", oud, *_duiding_kolommen(herkomst=False)).create(conn)


def _v2(conn: sa.Connection) -> None:
    for naam in NIEUW_IN_2:
        kolom = duidingen.c[naam]
        conn.exec_driver_sql(f"ALTER TABLE duidingen ADD COLUMN {naam} {kolom.type.compile(conn.dialect)}")
    logboek.create(conn, checkfirst=True)


MIGRATIES = {1: _v1, 2: _v2}
VERSIE = max(MIGRATIES)


def huidige_versie(conn: sa.Connection) -> int:
    if not sa.inspect(conn).has_table("schema_versie"):
        return 0
    return conn.execute(sa.select(sa.func.max(schema_versie.c.versie))).scalar() or 0


def migreer(engine: sa.Engine, tot: int = VERSIE) -> int:
    """Bring the store up to schema `tot`; returns the version it had. Safe with concurrent openers."""
    with engine.begin() as conn:  # SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory lock
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(4242001)")
        schema_versie.create(conn, checkfirst=True)
        was = huidige_versie(conn)
        if was > VERSIE:
            raise InvoerFout(f"Deze opslag heeft schemaversie {was}; deze kit kent er {VERSIE}. "
                             "Werk de kit bij (pip install -U duiding) om hem te openen.")
        for v in range(was + 1, tot + 1):
            MIGRATIES[v](conn)
            conn.execute(schema_versie.insert().values(versie=v, toegepast_op=nu()))
    return was
