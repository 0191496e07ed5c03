"""The app as users get it: `zwk demo --no-serve`, then `zwk serve` (gunicorn) as subprocesses.

Every test here is marked `served` and put in one pytest-xdist group (run with `--dist
loadgroup`, as `make test` does), so the demo is prepared and served once per run, by one test
process. The database is the test run's own: on SQLite a file in a temporary data folder; with
DATABASE_URL set (PostgreSQL), a separate database `<name>_served`, created here and dropped at
the end.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests

BIN = Path(sys.executable).parent
HERE = Path(__file__).parent
REPO = HERE.parent.parent
# The worker time-out of every server started here; each request must finish well within it.
WORKER_TIMEOUT = 60
REQUEST_TIMEOUT = 30


def pytest_collection_modifyitems(config, items):
    for item in items:
        if Path(str(item.fspath)).is_relative_to(HERE):
            item.add_marker(pytest.mark.served)
            item.add_marker(pytest.mark.xdist_group("served"))


def no_control_socket() -> list[str]:
    """gunicorn >= 24 opens a control socket per user by default; a raw gunicorn here does not."""
    from gunicorn.config import KNOWN_SETTINGS

    known = {setting.name for setting in KNOWN_SETTINGS}
    return ["--no-control-socket"] if "control_socket_disable" in known else []


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def clean_environment(**extra: str) -> dict[str, str]:
    """The machine's environment without this test run's ZWK/Django/database settings."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("ZWK_", "DJANGO_", "DATABASE_URL", "GUNICORN_"))}
    env.update(extra)
    return env


@dataclass
class Server:
    """A server process on a free port; its output goes to a log file, shown when a test fails.

    `{port}` in the arguments is replaced by the port.
    """

    args: list[str]
    env: dict[str, str]
    log_path: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, *, ready_within: float = 240) -> Server:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [arg.format(port=self.port) for arg in self.args], env=self.env, stdout=log,
            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=REPO,
            start_new_session=True)
        deadline = time.monotonic() + ready_within
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"server ended early:\n{self.log()}")
            try:
                if requests.get(f"{self.url}/health/", timeout=5).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.5)
        self.stop()
        raise AssertionError(f"server not ready within {ready_within} s:\n{self.log()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()  # gunicorn's master stops its workers on SIGTERM
        try:
            self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, 9)  # its own session: the master and its workers
            self.process.wait()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-6000:]


@dataclass
class Database:
    env: dict[str, str]  # DATABASE_URL for the served processes, or nothing for SQLite
    drop: object = None


def _postgres_database(url: str) -> Database:
    """A fresh database beside the test run's own, e.g. test -> test_served_<pid>: one per test
    process, so two pytest workers that both serve never drop each other's database."""
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'zwk'}_served_{os.getpid()}"
    admin_url = urlunsplit(parts._replace(path="/postgres"))

    def run(sql: str) -> None:
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(sql)

    run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    run(f'CREATE DATABASE "{name}"')
    return Database(env={"DATABASE_URL": urlunsplit(parts._replace(path=f"/{name}"))},
                    drop=lambda: run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def served_database(tmp_path_factory):
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        database = _postgres_database(url)
    else:
        sqlite = tmp_path_factory.mktemp("served-db") / "zwk.sqlite3"
        database = Database(env={"DATABASE_URL": f"sqlite:///{sqlite}"})
    yield database
    if database.drop:
        database.drop()


@dataclass
class Demo:
    data_dir: Path
    env: dict[str, str]
    logins: dict[str, tuple[str, str]]  # role -> (username, password), as `zwk demo` printed


@pytest.fixture(scope="session")
def prepared_demo(served_database, tmp_path_factory) -> Demo:
    """`zwk demo --no-serve` on a fresh data folder, exactly as a newcomer runs it."""
    data_dir = tmp_path_factory.mktemp("served-data")
    env = clean_environment(ZWK_DATA_DIR=str(data_dir), **served_database.env)
    done = subprocess.run([str(BIN / "zwk"), "demo", "--no-serve"], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=600,
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stdout + done.stderr
    logins = {}
    for line in done.stdout.splitlines():
        if line.startswith("Login "):
            role, credentials = line.removeprefix("Login ").split(": ", 1)
            username, password = credentials.split(" / ")
            logins[role] = (username, password)
    return Demo(data_dir=data_dir, env={**env, "ZWK_DEMO": "1"}, logins=logins)


@pytest.fixture(scope="session")
def served_demo(prepared_demo, tmp_path_factory):
    """`zwk serve` with two gunicorn workers on the prepared demo.

    The chart bundle that `zwk demo` generated is removed first, so the server's master process
    generates it again before it forks its workers: the set-up in which every chart rendering
    of the workers used to hang.
    """
    shutil.rmtree(prepared_demo.data_dir / "generated-static", ignore_errors=True)
    log = tmp_path_factory.mktemp("served-log") / "serve.log"
    server = Server([str(BIN / "zwk"), "serve", "--port", "{port}", "--workers", "2",
                     "--timeout", str(WORKER_TIMEOUT)], prepared_demo.env, log).start()
    yield server
    server.stop()
