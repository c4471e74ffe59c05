"""Engine and unit of work: one session per user action, committed or rolled back whole."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from contextvars import ContextVar
from typing import Any, TypeVar

from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, create_engine

T = TypeVar("T")

# Set on the engine that read-only scopes use; SQLite's BEGIN then takes no write lock.
_READ_ONLY = "handoff_read_only"
# How long a write waits for a lock another writer holds, when nothing bounds it.
LOCK_WAIT = 30.0
# The moment (time.monotonic) by which writes in this context must have their locks, if any.
_LOCKS_BY: ContextVar[float | None] = ContextVar("handoff_locks_by", default=None)


class LostRace(Exception):
    """A compare-and-set found the row changed since it was read: another request won."""


class Busy(Exception):
    """A write could not get its locks within the wait it was given; nothing was written."""


@contextmanager
def bounded_lock_wait(seconds: float) -> Iterator[Callable[[], None]]:
    """Within the block, writes wait at most ``seconds`` in all for locks held by others.

    For work that must answer someone soon (Slack waits 3 s for an ack): a write that
    would wait longer raises ``Busy`` instead. Yields a function that lifts the bound
    before the block ends (once the answer is given, the work may wait as usual).
    """
    token = _LOCKS_BY.set(time.monotonic() + seconds)

    def lift() -> None:
        _LOCKS_BY.set(None)

    try:
        yield lift
    finally:
        _LOCKS_BY.reset(token)


def _lock_wait() -> float | None:
    """Seconds left to wait for locks here, or None when nothing bounds it."""
    deadline = _LOCKS_BY.get()
    return None if deadline is None else max(0.0, deadline - time.monotonic())


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
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": LOCK_WAIT}, **kwargs)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    engine = create_engine(url, pool_pre_ping=True, **kwargs)
    event.listen(engine, "begin", _postgres_begin)
    return engine


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Take transaction control away from the sqlite3 module, which would otherwise start
    # transactions late and break SAVEPOINTs.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={int(LOCK_WAIT * 1000)}")
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
    # A bounded wait, or back to the usual one, for this transaction's lock.
    wait = _lock_wait()
    busy_ms = max(1, int((LOCK_WAIT if wait is None else wait) * 1000))
    if connection.info.get("busy_ms", int(LOCK_WAIT * 1000)) != busy_ms:
        connection.exec_driver_sql(f"PRAGMA busy_timeout={busy_ms}")
        connection.info["busy_ms"] = busy_ms
    # IMMEDIATE takes the write lock up front: concurrent writers wait (busy_timeout)
    # instead of failing when a read lock can't be upgraded.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _postgres_begin(connection: Any) -> None:
    wait = _lock_wait()
    if wait is not None and not connection.get_execution_options().get(_READ_ONLY):
        # Row locks (a task, the workspace's counter) waited for no longer than the bound.
        connection.exec_driver_sql(f"SET LOCAL lock_timeout = {max(1, int(wait * 1000))}")


def is_lock_timeout(error: OperationalError) -> bool:
    """SQLite's "database is locked", PostgreSQL's lock_not_available (55P03)."""
    sqlstate = getattr(error.orig, "sqlstate", None)
    return sqlstate == "55P03" or "database is locked" in str(error.orig)


class Database:
    """The engine plus the one way to get a session."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # Shares the engine's pool; only how SQLite begins a transaction differs.
        self._reader = engine.execution_options(**{_READ_ONLY: True})
        # SQLite lets one transaction write at a time. Left to SQLite, the writers that find
        # the file locked poll it with growing sleeps (up to 100 ms each), so the lock sits
        # idle while they sleep and some wait for seconds; this process's writers queue
        # here instead and each starts as the one before commits. (Other processes' writers
        # still meet them at SQLite's lock.)
        self._writer: threading.RLock | None = threading.RLock() if engine.dialect.name == "sqlite" else None

    @classmethod
    def from_url(cls, url: str) -> Database:
        return cls(make_engine(url))

    @contextmanager
    def session_scope(self, *, write: bool = True) -> Iterator[Session]:
        """A transaction: commits when the block ends, rolls back if it raises.

        ``write=False`` is for scopes that only read: on SQLite they don't queue behind a
        writer for the write lock (a write in such a scope fails, it does not wait). A write
        that can't get its locks within a bound set by ``bounded_lock_wait`` raises ``Busy``.
        """
        engine = self.engine if write else self._reader
        with (
            self._one_writer() if write else nullcontext(),
            Session(engine, expire_on_commit=False) as session,
        ):
            try:
                yield session
                session.commit()
            except OperationalError as error:
                session.rollback()
                if is_lock_timeout(error):
                    raise Busy("the database is busy with other writes") from error
                raise
            except BaseException:
                session.rollback()
                raise

    def _one_writer(self) -> AbstractContextManager[object]:
        if self._writer is None:
            return nullcontext()
        return _held(self._writer, _lock_wait())

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


@contextmanager
def _held(lock: threading.RLock, wait: float | None) -> Iterator[None]:
    if not lock.acquire(timeout=LOCK_WAIT if wait is None else wait):
        raise Busy("the database is busy with other writes")
    try:
        yield
    finally:
        lock.release()
