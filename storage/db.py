"""Engine and unit of work: one session per user action, committed or rolled back whole."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

T = TypeVar("T")

# Set on the engine that read-only scopes use; SQLite's BEGIN then takes no write lock.
_READ_ONLY = "handoff_read_only"


class LostRace(Exception):
    """A compare-and-set found the row changed since it was read: another request won."""


def normalize_url(url: str) -> str:
    """Accept the URLs hosting providers hand out and pick the installed driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str, **kwargs: Any) -> Engine:
    url = normalize_url(url)
    # A failed statement's message must not carry its parameters: they are what people typed.
    kwargs.setdefault("hide_parameters", True)
    if url.startswith("sqlite"):
        # Bolt runs listeners on worker threads, so connections cross threads.
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Take transaction control away from the sqlite3 module, which would otherwise start
    # transactions late and break SAVEPOINTs.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    # WAL: readers never wait for the writer, and the writer never waits for readers.
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL syncs the log at checkpoints, not at every commit. A committed
    # transaction is in the log (the operating system's cache) before COMMIT returns, so
    # it survives the process being killed; only a crash of the machine itself may lose
    # the last transactions before a checkpoint (never corrupting the file).
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Fresh statistics for the query planner where they are missing or stale (SQLite
    # 3.46+ checks every table at open; older versions only act on what the connection ran).
    cursor.execute("PRAGMA analysis_limit=1000")
    cursor.execute("PRAGMA optimize=0x10002")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    if connection.get_execution_options().get(_READ_ONLY):
        # A deferred BEGIN reads a snapshot (WAL) while a writer holds the lock.
        connection.exec_driver_sql("BEGIN")
        return
    # IMMEDIATE takes the write lock up front: concurrent writers wait (busy_timeout)
    # instead of failing when a read lock can't be upgraded.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """The engine plus the one way to get a session."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # Shares the engine's pool; only how SQLite begins a transaction differs.
        self._reader = engine.execution_options(**{_READ_ONLY: True})

    @classmethod
    def from_url(cls, url: str) -> Database:
        return cls(make_engine(url))

    @contextmanager
    def session_scope(self, *, write: bool = True) -> Iterator[Session]:
        """A transaction: commits when the block ends, rolls back if it raises.

        ``write=False`` is for scopes that only read: on SQLite they don't queue behind a
        writer for the write lock (a write in such a scope fails, it does not wait).
        """
        with Session(self.engine if write else self._reader, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def write(self, work: Callable[[Session], T], *, attempts: int = 2) -> T:
        """Run ``work`` in one write transaction; if it lost a compare-and-set race, run it again.

        The second round reads the rows afresh, so a step that the winner already made is
        seen as done (no second change); a ``LostRace`` on the last attempt propagates.
        """
        for attempt in range(1, attempts + 1):
            try:
                with self.session_scope() as session:
                    return work(session)
            except LostRace:
                if attempt == attempts:
                    raise
        raise AssertionError("unreachable")

    def is_healthy(self) -> bool:
        try:
            with self._reader.connect() as connection:
                connection.execute(text("SELECT 1"))
            return True
        except Exception:
            return False
