"""Find the database and broker when the environment does not name them.

Order (docs/decisions/0003-local-services.md): an explicit DATABASE_URL / REDIS_URL wins;
otherwise PostgreSQL / Redis on 127.0.0.1 when they answer; otherwise embedded
fallbacks (a SQLite file, Celery's filesystem transport) with a printed notice.
"""

import socket
import sys
from pathlib import Path


def port_answers(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def notice(text: str) -> None:
    print(f"[vanke_crm] {text}", file=sys.stderr)


def ensure_postgres_database(name: str, host: str = "127.0.0.1", port: int = 5432) -> bool:
    """Create database `name` on the local server if missing. True when it exists."""
    try:
        import psycopg2
    except ImportError:  # pragma: no cover - psycopg2 is pinned
        return False
    try:
        conn = psycopg2.connect(
            dbname="postgres", user="postgres", host=host, port=port, connect_timeout=2
        )
    except psycopg2.Error:
        return False
    try:
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cur.fetchone() is None:
                cur.execute(f'CREATE DATABASE "{name}"')
                notice(f"created PostgreSQL database {name}")
    finally:
        conn.close()
    return True


def default_database_url(base_dir: Path, name: str = "vanke_crm") -> str:
    if port_answers("127.0.0.1", 5432) and ensure_postgres_database(name):
        return f"postgres://postgres@127.0.0.1:5432/{name}"
    path = base_dir / "var" / "db.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    notice(f"PostgreSQL is not answering on 127.0.0.1:5432; using embedded SQLite at {path}")
    return f"sqlite:///{path}"


def default_redis_url() -> str | None:
    if port_answers("127.0.0.1", 6379):
        return "redis://127.0.0.1:6379/0"
    notice("Redis is not answering on 127.0.0.1:6379; using Celery's filesystem transport")
    return None
