"""Real SPARQL servers for the tests, on 127.0.0.1 only, started and stopped by fixtures.

- Oxigraph: the ``oxigraph`` server from PyPI (``oxigraph serve --location DIR --bind
  127.0.0.1:PORT``), a fresh directory and a free port each.
- Virtuoso 7: Debian's ``virtuoso-opensource``, started by ``tests/virtuoso/virtuoso.sh`` (the
  recipe of the README, shared with CI) with a throwaway database directory, loopback ports,
  a random dba password, and SPARQL Update granted to the anonymous user.
- ``HttpFront``: a small HTTP(S) server in front of a real Oxigraph that demands Basic or
  Bearer credentials, can answer the next requests with a given status (429, 503) and records
  what came over the wire (method, headers, body length): Oxigraph itself has no
  authentication, and these are the only ways to exercise Basic/Bearer, TLS and 5xx retries
  against a real store.

Servers are per pytest-xdist worker (session fixtures run once per worker; ports are free
ports, directories come from tmp_path_factory). With ``CI=true`` a server that cannot start
fails the test; elsewhere the test is skipped with the reason (``require``).

Loaded as a plugin by tests/test_remote.py (``pytest_plugins``).
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import os
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, NoReturn, Protocol

import pytest
import requests

HERE = Path(__file__).resolve().parent
VIRTUOSO_SH = HERE / "virtuoso" / "virtuoso.sh"
LOOPBACK = "127.0.0.1"

# Test traffic goes to 127.0.0.1 only: never through a proxy from the environment.
os.environ["NO_PROXY"] = os.environ["no_proxy"] = ",".join(
    filter(None, [os.environ.get("NO_PROXY"), LOOPBACK, "localhost"]))


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def unavailable(reason: str) -> NoReturn:
    """In CI a missing or broken server is a failure; elsewhere a skip that says why."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: servers must run)", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def wait_http(url: str, timeout: float, alive: Callable[[], bool] = lambda: True) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive():
            raise ServerError(f"the server exited before answering {url}")
        try:
            if requests.get(url, timeout=1).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.05)
    raise ServerError(f"no answer from {url} within {timeout:g} s")


class ServerError(Exception):
    """A test server could not be started."""


class Server(Protocol):
    name: str

    def start(self) -> None: ...

    def stop(self) -> None: ...

    def load_args(self) -> dict[str, Any]: ...

    @property
    def query_url(self) -> str: ...

    def query_auth(self) -> Any: ...


# ---------------------------------------------------------------------------------------------
# Oxigraph


class OxigraphServer:
    name = "oxigraph"

    def __init__(self, location: Path, port: int | None = None, *, read_only: bool = False
                 ) -> None:
        self.location = location
        self.port = port or free_port()
        self.read_only = read_only
        self.process: subprocess.Popen[bytes] | None = None
        self.log = location.parent / f"{location.name}.log"

    @property
    def base(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.base}/query"

    def load_args(self) -> dict[str, Any]:
        return {"endpoint": self.query_url}

    def query_auth(self) -> Any:
        return None

    def start(self, timeout: float = 20) -> None:
        binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
        if not Path(binary).exists():
            raise ServerError("the oxigraph server is not installed (pip install oxigraph)")
        self.location.mkdir(parents=True, exist_ok=True)
        command = "serve-read-only" if self.read_only else "serve"
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [binary, command, "--location", str(self.location), "--bind",
                 f"{LOOPBACK}:{self.port}"], stdout=log, stderr=subprocess.STDOUT)
        process = self.process
        try:
            wait_http(f"{self.query_url}?query=ASK%7B%7D", timeout,
                      alive=lambda: process.poll() is None)
        except ServerError as exc:
            self.stop()
            tail = self.log.read_text(errors="replace")[-2000:]
            raise ServerError(f"oxigraph did not start: {exc}\n{tail}") from exc

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
        self.process = None


# ---------------------------------------------------------------------------------------------
# Virtuoso


class VirtuosoServer:
    name = "virtuoso"
    user = "dba"

    def __init__(self, directory: Path, *, password: str | None = None,
                 anon_update: bool = True) -> None:
        self.directory = directory
        self.http_port = free_port()
        self.sql_port = free_port()
        self.password = password or f"pw-{secrets.token_hex(8)}"
        self.anon_update = anon_update

    @property
    def base(self) -> str:
        return f"http://{LOOPBACK}:{self.http_port}"

    @property
    def query_url(self) -> str:
        return f"{self.base}/sparql-auth"

    def load_args(self) -> dict[str, Any]:
        """The authenticated endpoints (Digest, dba): what a production load uses."""
        from kg.remote import Auth, Secret

        return {"endpoint": f"{self.base}/sparql-auth",
                "auth": Auth("auto", user=self.user, password=Secret(self.password))}

    def query_auth(self) -> Any:
        return requests.auth.HTTPDigestAuth(self.user, self.password)

    def _script(self, command: str, timeout: float = 90) -> None:
        if shutil.which("virtuoso-t") is None or shutil.which("isql-vt") is None:
            raise ServerError("Virtuoso is not installed (tests/virtuoso/virtuoso.sh install, "
                              "or apt-get install virtuoso-opensource; .ci/run does it)")
        env = {**os.environ, "VIRT_DIR": str(self.directory),
               "VIRT_HTTP_PORT": str(self.http_port), "VIRT_SQL_PORT": str(self.sql_port),
               "VIRT_DBA_PASSWORD": self.password,
               "VIRT_ANON_UPDATE": "1" if self.anon_update else "0"}
        try:
            done = subprocess.run(["bash", str(VIRTUOSO_SH), command], env=env, timeout=timeout,
                                  capture_output=True, text=True, check=False)
        except subprocess.TimeoutExpired as exc:
            raise ServerError(f"virtuoso.sh {command} took more than {timeout:g} s") from exc
        if done.returncode != 0:
            output = (done.stdout + done.stderr).replace(self.password, "***")
            raise ServerError(f"virtuoso.sh {command} failed:\n{output.strip()}")

    def start(self) -> None:
        self._script("start")

    def stop(self) -> None:
        self._script("stop")

    def kill(self) -> None:
        self._script("kill")


# ---------------------------------------------------------------------------------------------
# An authenticating, fault-injecting HTTP(S) front for a real server


@dataclass
class Seen:
    """One request as it came over the wire (no credential values kept)."""

    method: str
    path: str
    headers: dict[str, str]
    body_length: int
    authorized: bool


@dataclass
class FrontConfig:
    upstream: tuple[str, int]
    basic: tuple[str, str] | None = None
    token: str | None = None
    faults: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    # (substring of the request path, status): every matching request gets that status
    path_faults: list[tuple[str, int]] = field(default_factory=list)
    delay: float = 0.0  # seconds to wait before forwarding each request (a slow server)
    seen: list[Seen] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class _FrontHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _FrontServer

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: pytest captures nothing useful from it

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    def do_HEAD(self) -> None:
        self._handle()

    upstream_server: str | None = None

    def version_string(self) -> str:
        # The Server header is the upstream's, as through most proxies (kg's bulk path reads it).
        return self.upstream_server or super().version_string()

    def _authorized(self) -> bool:
        config = self.server.config
        given = self.headers.get("Authorization", "")
        expected = []
        if config.basic:
            raw = f"{config.basic[0]}:{config.basic[1]}".encode()
            expected.append("Basic " + base64.b64encode(raw).decode())
        if config.token:
            expected.append(f"Bearer {config.token}")
        return not expected or given in expected

    def _reply(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _handle(self) -> None:
        config = self.server.config
        chunked = "chunked" in self.headers.get("Transfer-Encoding", "").lower()
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        authorized = self._authorized()
        headers = {k: v for k, v in self.headers.items() if k.lower() != "authorization"}
        with config.lock:
            config.seen.append(Seen(self.command, self.path, headers, len(body), authorized))
            fault = config.faults.pop(0) if config.faults else None
            fault = fault or next(((status, {}) for part, status in config.path_faults
                                   if part in self.path), None)
        if chunked:
            self._reply(411, b"chunked bodies are refused by this test front")
            return
        if fault:
            self._reply(fault[0], b"injected by the test front", fault[1])
            return
        if not authorized:
            scheme = "Bearer" if config.token and not config.basic else "Basic"
            self._reply(401, b"bad credentials", {"WWW-Authenticate": f'{scheme} realm="newskg"'})
            return
        if config.delay:
            time.sleep(config.delay)
        forward = {k: v for k, v in self.headers.items()
                   if k.lower() in ("content-type", "accept")}
        conn = http.client.HTTPConnection(*config.upstream, timeout=60)
        try:
            conn.request(self.command, self.path, body=body or None, headers=forward)
            answer = conn.getresponse()
            data = answer.read()
            keep = {k: v for k, v in answer.getheaders() if k.lower() == "content-type"}
            self.upstream_server = answer.getheader("Server")
            self._reply(answer.status, data, keep)
        finally:
            conn.close()


class _FrontServer(ThreadingHTTPServer):
    daemon_threads = True
    config: FrontConfig


class HttpFront:
    """``https`` when ``tls`` is a (certfile, keyfile) pair."""

    def __init__(self, config: FrontConfig, tls: tuple[Path, Path] | None = None) -> None:
        self.config = config
        self.server = _FrontServer((LOOPBACK, 0), _FrontHandler)
        self.server.config = config
        self.scheme = "http"
        if tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(str(tls[0]), str(tls[1]))
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
            self.scheme = "https"
        self.port = int(self.server.server_address[1])
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"{self.scheme}://{LOOPBACK}:{self.port}"

    def __enter__(self) -> HttpFront:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def self_signed_cert(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 made with the openssl command line."""
    if shutil.which("openssl") is None:
        unavailable("the openssl command is not installed (needed for the TLS test)")
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    return cert, key


# ---------------------------------------------------------------------------------------------
# Fixtures


def require(start: Callable[[], None], what: str) -> None:
    try:
        start()
    except ServerError as exc:
        unavailable(f"{what} could not start: {exc}")


@pytest.fixture(scope="session")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    """One Oxigraph server per xdist worker; tests use their own graph IRIs."""
    server = OxigraphServer(tmp_path_factory.mktemp("oxigraph") / "store")
    require(server.start, "the Oxigraph server")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtuosoServer]:
    """One Virtuoso per xdist worker; tests use their own graph IRIs."""
    server = VirtuosoServer(tmp_path_factory.mktemp("virtuoso"))
    require(server.start, "Virtuoso")
    yield server
    server.kill()  # a throwaway database: no checkpoint needed


@pytest.fixture
def fresh_server(tmp_path: Path) -> Iterator[Callable[[str], Server]]:
    """A factory for servers of the test's own (to stop, restart, start late), torn down after."""
    made: list[Server] = []

    def make(kind: str) -> Server:
        server: Server
        if kind == "oxigraph":
            server = OxigraphServer(tmp_path / f"oxigraph-{len(made)}")
        else:
            server = VirtuosoServer(tmp_path / f"virtuoso-{len(made)}")
        made.append(server)
        return server

    yield make
    for server in made:
        if isinstance(server, VirtuosoServer):
            with contextlib.suppress(ServerError):  # already gone is fine
                server.kill()
        else:
            server.stop()
