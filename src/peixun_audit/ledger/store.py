"""The ledger's database: schema, versioned migrations, and every change in one transaction.

SQLAlchemy Core (not the ORM): one code path for the embedded SQLite file and for a
PostgreSQL server shared by a city and its counties. SQLite is opened in WAL mode with a
busy timeout, and each write transaction starts with ``BEGIN IMMEDIATE``: two recorders
from two terminals serialise (the second waits for the first, up to the timeout) instead
of failing half-way, and a run killed mid-transaction leaves the file as it was (the
uncommitted WAL frames are discarded on the next open). A new SQLite file is created
owner-only (0600) before SQLite opens it; SQLite gives its -wal and -shm files the same
permissions.

Amounts are stored as integer fen (分), exact on both databases.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

SCHEMA_VERSION = 1
BUSY_TIMEOUT_MS = 30_000
LOCK = 0x7065_6978  # the PostgreSQL advisory lock of ledger writers ("peix")  # a second recorder waits this long for the first to commit

metadata = sa.MetaData()

meta = sa.Table(
    "ledger_meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.String(200), nullable=False),
)

batches = sa.Table(
    "batches",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("kind", sa.String(16), nullable=False),  # record | import
    sa.Column("recorded_by", sa.String(200), nullable=False),
    sa.Column("recorded_at", sa.DateTime, nullable=False),  # UTC
    sa.Column("source_file", sa.String(1000), nullable=False),
    sa.Column("source_sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("paid_on", sa.Date, nullable=True),  # record: the --paid-on date
    sa.Column("payments", sa.Integer, nullable=False),
)

payments = sa.Table(
    "payments",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "batch_id", sa.Integer, sa.ForeignKey("batches.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("id_number", sa.String(32), nullable=False),
    sa.Column("name", sa.String(100)),
    sa.Column("class_id", sa.String(100)),
    sa.Column("institution", sa.String(200)),
    sa.Column("occupation", sa.String(200)),
    sa.Column("level", sa.String(50)),
    sa.Column("training_type", sa.String(100)),
    sa.Column("end_date", sa.Date),
    sa.Column("amount_fen", sa.BigInteger),
    sa.Column("paid_on", sa.Date, nullable=False),
    sa.Column("src_row", sa.Integer),  # the row of the source file
    sa.Index("ix_payments_id_number", "id_number"),
    sa.Index("ix_payments_batch", "batch_id"),
)

events = sa.Table(
    "events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime, nullable=False),  # UTC
    sa.Column("action", sa.String(16), nullable=False),  # create | record | import | undo
    sa.Column("batch_name", sa.String(200)),
    sa.Column("source_sha256", sa.String(64)),
    sa.Column("payments", sa.Integer),
    sa.Column("by", sa.String(200), nullable=False),
)

PAYMENT_FIELDS = (
    "id_number",
    "name",
    "class_id",
    "institution",
    "occupation",
    "level",
    "training_type",
    "end_date",
    "amount_fen",
    "paid_on",
    "src_row",
)


class LedgerError(Exception):
    """A ledger operation refused or failed; ``key`` is a messages.UI key."""

    def __init__(self, key: str, **params: Any):
        super().__init__(f"{key}: {params}")
        self.key = key
        self.params = params


def _v1(conn: Connection) -> None:
    metadata.create_all(conn)


# version → the step that brings the schema from version-1 to it. A later change to the
# schema is a new step here (ALTER TABLE … in portable SQL), never an edit of an old one.
MIGRATIONS = {1: _v1}


def is_url(target: str) -> bool:
    return "://" in target


def describe(target: str) -> str:
    """The ledger's location for messages: a URL without its password."""
    if not is_url(target):
        return target
    try:
        return sa.make_url(target).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "<url>"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (a service account without one)
        return "unknown"


@dataclass
class Ledger:
    engine: Engine
    target: str

    @property
    def sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One change: committed whole or not at all (BEGIN IMMEDIATE on SQLite)."""
        with self.engine.connect() as conn:
            conn.info["immediate"] = True
            try:
                with conn.begin():
                    if conn.dialect.name == "postgresql":
                        # writers take turns, as on SQLite: the second sees what the first
                        # committed (the same file, the schema just created) and never
                        # races it; the lock ends with the transaction
                        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK})
                    yield conn
            finally:
                conn.info.pop("immediate", None)

    def close(self) -> None:
        self.engine.dispose()

    # --- schema ---------------------------------------------------------------------

    def version(self, conn: Connection) -> int:
        if not sa.inspect(conn).has_table("ledger_meta"):
            return 0
        value = conn.execute(sa.select(meta.c.value).where(meta.c.key == "schema_version")).scalar()
        return int(value) if value is not None else 0

    def migrate(self) -> None:
        """Create or bring the schema up to :data:`SCHEMA_VERSION`, in one transaction; a
        ledger written by a newer version of the tool is refused, never downgraded."""
        with self.transaction() as conn:
            current = self.version(conn)
            if current > SCHEMA_VERSION:
                raise LedgerError("ledger_too_new", version=current, supported=SCHEMA_VERSION)
            for version in range(current + 1, SCHEMA_VERSION + 1):
                MIGRATIONS[version](conn)
                if version == 1:
                    conn.execute(meta.insert().values(key="schema_version", value="1"))
                else:
                    conn.execute(
                        meta.update()
                        .where(meta.c.key == "schema_version")
                        .values(value=str(version))
                    )
            if current == 0:
                conn.execute(events.insert().values(at=_now(), action="create", by=_user()))

    # --- changes ----------------------------------------------------------------------

    def add_batch(
        self,
        *,
        name: str | None,
        kind: str,
        source_file: str,
        sha256: str,
        paid_on: dt.date | None,
        rows: Iterable[dict[str, Any]],
    ) -> tuple[str, int]:
        """Record a batch and its payments in one transaction: (batch name, payments).
        A file whose SHA-256 is already in the ledger is refused (``ledger_same_file``),
        as is a batch name already taken."""
        try:
            return self._add_batch(name, kind, source_file, sha256, paid_on, rows)
        except sa.exc.IntegrityError as exc:
            # two recorders of the same file (or batch name) at once on a server: the
            # unique constraints let one land and refuse the other, rolled back whole
            raise LedgerError("ledger_conflict", detail=_short(exc)) from exc

    def _add_batch(self, name, kind, source_file, sha256, paid_on, rows) -> tuple[str, int]:
        with self.transaction() as conn:
            same = conn.execute(
                sa.select(batches.c.name, batches.c.recorded_at).where(
                    batches.c.source_sha256 == sha256
                )
            ).first()
            if same is not None:
                raise LedgerError(
                    "ledger_same_file", batch=same.name, at=same.recorded_at.isoformat(" ")
                )
            at = _now()
            if name is None:
                name = f"{kind}-{at:%Y%m%d-%H%M%S}-{sha256[:8]}"
            if conn.execute(sa.select(batches.c.id).where(batches.c.name == name)).first():
                raise LedgerError("ledger_batch_exists", batch=name)
            batch_id = conn.execute(
                batches.insert().values(
                    name=name,
                    kind=kind,
                    recorded_by=_user(),
                    recorded_at=at,
                    source_file=source_file,
                    source_sha256=sha256,
                    paid_on=paid_on,
                    payments=0,
                )
            ).inserted_primary_key[0]
            count = 0
            chunk: list[dict[str, Any]] = []
            for row in rows:
                chunk.append({"batch_id": batch_id, **{k: row.get(k) for k in PAYMENT_FIELDS}})
                if len(chunk) >= 2000:
                    conn.execute(payments.insert(), chunk)
                    count += len(chunk)
                    chunk = []
            if chunk:
                conn.execute(payments.insert(), chunk)
                count += len(chunk)
            if not count:
                raise LedgerError("ledger_no_rows", file=source_file)
            conn.execute(batches.update().where(batches.c.id == batch_id).values(payments=count))
            conn.execute(
                events.insert().values(
                    at=at,
                    action=kind,
                    batch_name=name,
                    source_sha256=sha256,
                    payments=count,
                    by=_user(),
                )
            )
            return name, count

    def undo(self, name: str) -> int:
        """Remove a batch and its payments in one transaction, logged; the number removed."""
        with self.transaction() as conn:
            found = conn.execute(
                sa.select(batches.c.id, batches.c.source_sha256).where(batches.c.name == name)
            ).first()
            if found is None:
                raise LedgerError("ledger_no_batch", batch=name)
            removed = conn.execute(payments.delete().where(payments.c.batch_id == found.id))
            conn.execute(batches.delete().where(batches.c.id == found.id))
            conn.execute(
                events.insert().values(
                    at=_now(),
                    action="undo",
                    batch_name=name,
                    source_sha256=found.source_sha256,
                    payments=removed.rowcount,
                    by=_user(),
                )
            )
            return removed.rowcount

    # --- reading ----------------------------------------------------------------------

    def batch_rows(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(batches).order_by(batches.c.id)).mappings().all()
        return [dict(r) for r in rows]

    def event_rows(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(events).order_by(events.c.id)).mappings().all()
        return [dict(r) for r in rows]

    def payments_of(self, id_number: str | None = None) -> list[dict[str, Any]]:
        """Payments (with their batch's name), of one person or all, in payment order."""
        query = (
            sa.select(payments, batches.c.name.label("batch"))
            .join(batches, payments.c.batch_id == batches.c.id)
            .order_by(payments.c.paid_on, payments.c.id)
        )
        if id_number is not None:
            query = query.where(payments.c.id_number == id_number)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings().all()]

    def payments_for(self, id_numbers: Iterable[str]) -> list[tuple]:
        """The payments of these people (the rows S01xx rules need), joined in the
        database through a temporary table: a city-year's 24,000 IDs against a ledger
        of five city-years fetch only the rows that match."""
        ids = sorted({i for i in id_numbers if isinstance(i, str)})
        wanted = sa.Table(
            "wanted_ids",
            sa.MetaData(),
            sa.Column("id_number", sa.String(32), primary_key=True),
            prefixes=["TEMPORARY"],
        )
        columns = (
            payments.c.id_number,
            payments.c.name,
            payments.c.class_id,
            payments.c.occupation,
            payments.c.level,
            payments.c.training_type,
            payments.c.end_date,
            payments.c.paid_on,
            batches.c.name,
        )
        with self.engine.connect() as conn:
            wanted.create(conn)
            try:
                if ids:
                    conn.execute(wanted.insert(), [{"id_number": i} for i in ids])
                query = (
                    sa.select(*columns)
                    .join(batches, payments.c.batch_id == batches.c.id)
                    .join(wanted, wanted.c.id_number == payments.c.id_number)
                )
                return [tuple(r) for r in conn.execute(query)]
            finally:
                wanted.drop(conn)
                conn.rollback()

    def verify(self) -> list[tuple[str, dict[str, Any]]]:
        """Integrity problems: (messages.UI key, params); empty when the ledger is sound."""
        out: list[tuple[str, dict[str, Any]]] = []
        with self.engine.connect() as conn:
            if self.sqlite:
                for (line,) in conn.exec_driver_sql("PRAGMA integrity_check"):
                    if line != "ok":
                        out.append(("verify_integrity", {"detail": line}))
                for row in conn.exec_driver_sql("PRAGMA foreign_key_check"):
                    out.append(("verify_foreign_key", {"detail": str(tuple(row))}))
            version = self.version(conn)
            if version != SCHEMA_VERSION:
                out.append(("verify_version", {"version": version, "expected": SCHEMA_VERSION}))
                return out
            counted = (
                sa.select(batches.c.name, batches.c.payments, sa.func.count(payments.c.id))
                .select_from(batches.outerjoin(payments, payments.c.batch_id == batches.c.id))
                .group_by(batches.c.id, batches.c.name, batches.c.payments)
            )
            for name, declared, actual in conn.execute(counted):
                if declared != actual:
                    out.append(
                        ("verify_count", {"batch": name, "declared": declared, "actual": actual})
                    )
            orphans = conn.execute(
                sa.select(sa.func.count())
                .select_from(payments.outerjoin(batches, payments.c.batch_id == batches.c.id))
                .where(batches.c.id.is_(None))
            ).scalar()
            if orphans:
                out.append(("verify_orphans", {"n": orphans}))
        return out


def _sqlite_engine(path: Path) -> Engine:
    if not path.exists():
        if not path.parent.is_dir():
            raise LedgerError("ledger_no_folder", path=str(path.parent))
        # owner-only from the first byte: created here, before SQLite opens it
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
    engine = sa.create_engine(f"sqlite:///{path}", poolclass=sa.pool.NullPool)

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_conn, _record) -> None:
        dbapi_conn.isolation_level = None  # transactions are begun below, not by the driver
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = FULL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(conn) -> None:
        # a change takes the write lock at its start, so two writers never deadlock on a
        # lock upgrade (the second waits up to the busy timeout); a read begins deferred
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get("immediate") else "BEGIN")

    return engine


def _server_engine(url: str) -> Engine:
    parsed = sa.make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    try:
        return sa.create_engine(parsed, pool_pre_ping=True)
    except ModuleNotFoundError as exc:
        raise LedgerError("ledger_driver_missing", driver=parsed.drivername) from exc


def open_ledger(target: str | os.PathLike[str], create: bool = True) -> Ledger:
    """Open (creating and migrating when needed) the ledger at a path or URL. With
    ``create`` False (the audit reads a ledger), a database without the ledger's tables
    is refused (``ledger_missing``) rather than taken for a ledger of no payments."""
    target = str(target)
    try:
        engine = _server_engine(target) if is_url(target) else _sqlite_engine(Path(target))
        ledger = Ledger(engine, target)
        if not create:
            with engine.connect() as conn:
                if ledger.version(conn) == 0:
                    engine.dispose()
                    raise LedgerError("ledger_missing", where=describe(target))
        ledger.migrate()
    except sa.exc.OperationalError as exc:
        raise LedgerError("ledger_unreachable", where=describe(target), detail=_short(exc)) from exc
    except sa.exc.DatabaseError as exc:  # not a database (a random file named .db)
        raise LedgerError("ledger_unreachable", where=describe(target), detail=_short(exc)) from exc
    return ledger


def _short(exc: Exception) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig or exc).splitlines()[0][:200]
