"""A throw-away PostgreSQL cluster for the tests: Debian's PostgreSQL 15 binaries, a temporary data folder,
a free loopback port, password authentication (scram-sha-256), stopped at the end of the session.

Root cannot run ``postgres`` itself, so as root the cluster runs as the ``postgres`` system user
(``runuser -u postgres``). Without the binaries the PostgreSQL half is skipped, except in CI (``CI`` set),
where it fails: CI installs the ``postgresql`` package.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

BIN_DIRS = [Path("/usr/lib/postgresql/15/bin"), *sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)]
USER = "netcourse"
PASSWORD = "Geheim-pw-7Qz"  # the tests check that no message ever shows it


@dataclass(frozen=True)
class PgCluster:
    port: int
    admin_url: str  # SQLAlchemy URL of the maintenance database

    def url(self, database: str, password: str = PASSWORD) -> str:
        return f"postgresql+psycopg://{USER}:{password}@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        name = f"t_{uuid.uuid4().hex[:12]}"
        _admin(self, f'CREATE DATABASE "{name}" OWNER {USER}')
        return name


def _admin(cluster: PgCluster, sql: str) -> None:
    import psycopg

    with psycopg.connect(cluster.admin_url, autocommit=True) as conn:
        conn.execute(sql)


def _bin(name: str) -> Path | None:
    for folder in BIN_DIRS:
        if (folder / name).exists():
            return folder / name
    found = shutil.which(name)
    return Path(found) if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres(argv: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


class ClusterUnavailable(RuntimeError):
    """The PostgreSQL binaries are missing, or the cluster did not start."""


@contextlib.contextmanager
def running_cluster(max_connections: int = 200) -> Iterator[PgCluster]:
    """A throw-away cluster, stopped and removed when the block ends (the benchmarks use it as well)."""
    initdb, pg_ctl = _bin("initdb"), _bin("pg_ctl")
    if initdb is None or pg_ctl is None:
        raise ClusterUnavailable("PostgreSQL binaries (initdb, pg_ctl) not found; apt-get install -y postgresql")
    root = Path(tempfile.mkdtemp(prefix="netcourse-pg-"))
    data, sockets, pwfile = root / "data", root / "sock", root / "pw"
    sockets.mkdir()
    pwfile.write_text(PASSWORD + "\n", encoding="utf-8")
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
        shutil.chown(sockets, "postgres", "postgres")
        shutil.chown(pwfile, "postgres", "postgres")
    root.chmod(0o700)
    port = _free_port()
    try:
        subprocess.run(_as_postgres([str(initdb), "-D", str(data), "-U", USER, "--auth=scram-sha-256",
                                     f"--pwfile={pwfile}", "-E", "UTF8", "--no-sync"]),
                       check=True, capture_output=True, timeout=120)
        subprocess.run(_as_postgres([str(pg_ctl), "-D", str(data), "-l", str(root / "server.log"), "-w", "-o",
                                     f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={sockets}"
                                     f" -c max_connections={max_connections}", "start"]),
                       check=True, capture_output=True, timeout=120)
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(root, ignore_errors=True)
        raise ClusterUnavailable(f"cannot start a PostgreSQL test cluster: "
                                 f"{exc.stderr.decode(errors='replace')[-400:]}") from None
    try:
        yield PgCluster(port, f"postgresql://{USER}:{PASSWORD}@127.0.0.1:{port}/postgres")
    finally:
        subprocess.run(_as_postgres([str(pg_ctl), "-D", str(data), "-m", "immediate", "stop"]),
                       capture_output=True, timeout=60, check=False)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    try:
        with running_cluster() as cluster:
            yield cluster
    except ClusterUnavailable as exc:
        if "not found" in str(exc) and not os.environ.get("CI"):
            pytest.skip(str(exc))
        pytest.fail(str(exc))


@pytest.fixture
def pg_url(pg_cluster: PgCluster) -> Iterator[str]:
    """The URL of a new, empty database in the test cluster; dropped afterwards (with its connections)."""
    name = pg_cluster.create_database()
    yield pg_cluster.url(name)
    _admin(pg_cluster, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
