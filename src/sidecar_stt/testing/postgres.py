"""``TemporaryPostgres``: a throwaway PostgreSQL server for tests and benchmarks of the call store and the queue.

A cluster is made with ``initdb`` in a temporary folder and started with ``pg_ctl`` on a free loopback port
(unix socket in the same folder, ``fsync`` off, trust authentication for the user ``sidecar``). PostgreSQL
refuses to run as root, so when the process is root the server runs as the ``postgres`` user (``runuser``),
which Debian's ``postgresql`` package creates; ``scripts/install-system-deps.sh`` installs it when missing::

    with TemporaryPostgres() as pg:
        store = CallStore(pg.create_database(), root=tmp)
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

from ..errors import ConfigurationError

__all__ = ["TemporaryPostgres"]


def _bin_dir() -> Path | None:
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists():
            return candidate
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class TemporaryPostgres:
    """A PostgreSQL server in a temporary folder on 127.0.0.1; :meth:`stop` removes it all."""

    def __init__(self) -> None:
        bin_dir = _bin_dir()
        if bin_dir is None:
            raise ConfigurationError("PostgreSQL is not installed; run scripts/install-system-deps.sh")
        self.bin = bin_dir
        self.port = _free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="sidecar-pg-"))
        self._as_user: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.folder, user="postgres", group="postgres")
            self._as_user = ["runuser", "-u", "postgres", "--"]
        self._started = False

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def _run(self, *args: str) -> None:
        subprocess.run([*self._as_user, *args], check=True, capture_output=True, timeout=120)

    def start(self) -> TemporaryPostgres:
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "sidecar", "-E", "UTF8")
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = str(self.folder / "server.log")
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", log, "-w", "start")
        self._started = True
        return self

    def stop(self) -> None:
        if self._started:
            subprocess.run(
                [*self._as_user, str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"],
                capture_output=True,
                timeout=60,
            )
            self._started = False
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> TemporaryPostgres:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    def url(self, database: str = "postgres") -> str:
        """The SQLAlchemy URL of ``database`` (psycopg 3 driver)."""
        return f"postgresql+psycopg://sidecar@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        """A new empty database; returns its URL."""
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        conninfo = f"host=127.0.0.1 port={self.port} user=sidecar dbname=postgres"
        with psycopg.connect(conninfo, autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {name}")  # a generated name, not input
        return self.url(name)
