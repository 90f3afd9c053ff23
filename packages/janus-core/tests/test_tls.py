"""TLS: wss:// and https:// to the real Janus (API and Admin API) through a TLS proxy.

Janus's own TLS is not configured by the test fixtures, so a small TLS-terminating TCP proxy
on 127.0.0.1 sits in front of each of its four plain ports, with a self-signed certificate
made at test time by the ``openssl`` command. Verification is on by default: the connection
is refused with :class:`~janus_webrtc.CertificateError`; a context that trusts the
certificate (``ssl=``) is accepted.
"""

from __future__ import annotations

import asyncio
import shutil
import ssl
import subprocess
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

import janus_webrtc
from janus_webrtc import CertificateError, admin
from janus_webrtc.testing import JanusEndpoints

pytestmark = pytest.mark.janus

ENDPOINTS = ("ws", "http", "admin_ws", "admin_http")


@dataclass(frozen=True)
class Certificate:
    """A self-signed certificate for 127.0.0.1 and its key, as PEM files."""

    cert: Path
    key: Path


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.fail("the TLS tests need the openssl command (apt-get install openssl)")
    folder = tmp_path_factory.mktemp("tls")
    made = Certificate(folder / "cert.pem", folder / "key.pem")
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=janus-webrtc test",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(made.key),
            "-out",
            str(made.cert),
        ],
        check=True,
        capture_output=True,
    )
    return made


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, ssl.SSLError):
        pass
    finally:
        with suppress(Exception):
            writer.close()


@asynccontextmanager
async def tls_proxy(target_port: int, certificate: Certificate) -> AsyncIterator[int]:
    """Accept TLS on a free loopback port and forward the plain bytes to ``target_port``."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificate.cert, certificate.key)
    pipes: set[asyncio.Task[None]] = set()

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(
                "127.0.0.1", target_port
            )
        except OSError:
            writer.close()
            return
        both = [
            asyncio.create_task(_pipe(reader, upstream_writer)),
            asyncio.create_task(_pipe(upstream_reader, writer)),
        ]
        pipes.update(both)
        await asyncio.gather(*both)
        pipes.difference_update(both)

    server = await asyncio.start_server(serve, "127.0.0.1", 0, ssl=context)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()
        for task in pipes:
            task.cancel()
        await asyncio.gather(*pipes, return_exceptions=True)
        await server.wait_closed()


def _plain_url(janus_server: JanusEndpoints, endpoint: str) -> str:
    return {
        "ws": janus_server.ws_url,
        "http": janus_server.http_url,
        "admin_ws": janus_server.admin_ws_url,
        "admin_http": janus_server.admin_http_url,
    }[endpoint]


@pytest.fixture(params=ENDPOINTS)
def endpoint(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture
async def tls_url(
    janus_server: JanusEndpoints, endpoint: str, certificate: Certificate
) -> AsyncIterator[str]:
    """The endpoint's URL as wss:// or https://, through a TLS proxy in front of Janus."""
    plain = urlsplit(_plain_url(janus_server, endpoint))
    assert plain.port is not None
    async with tls_proxy(plain.port, certificate) as port:
        scheme = {"ws": "wss", "http": "https"}[plain.scheme]
        yield urlunsplit((scheme, f"127.0.0.1:{port}", plain.path, "", ""))


def _connect(
    url: str, endpoint: str, janus_server: JanusEndpoints, context: ssl.SSLContext | None
) -> Awaitable[object]:
    """Open the API or Admin API at ``url`` (awaiting it opens the connection)."""
    if endpoint.startswith("admin"):
        return admin.connect(url, admin_secret=janus_server.admin_secret, ssl=context, timeout=5)
    return janus_webrtc.connect(url, ssl=context, timeout=5)


async def test_a_self_signed_certificate_is_refused_by_default(
    tls_url: str, endpoint: str, janus_server: JanusEndpoints
) -> None:
    with pytest.raises(CertificateError, match=r"self.signed certificate") as refused:
        await _connect(tls_url, endpoint, janus_server, None)
    assert isinstance(refused.value, janus_webrtc.ConnectError)
    assert "127.0.0.1" in str(refused.value)


async def test_a_certificate_for_another_name_is_refused(
    tls_url: str, endpoint: str, janus_server: JanusEndpoints, certificate: Certificate
) -> None:
    trusting = ssl.create_default_context(cafile=str(certificate.cert))
    # The certificate is for 127.0.0.1 only; "localhost" resolves there but does not match.
    url = tls_url.replace("127.0.0.1", "localhost")
    with pytest.raises(CertificateError, match=r"[Hh]ostname mismatch|not valid for"):
        await _connect(url, endpoint, janus_server, trusting)


async def test_a_context_trusting_the_certificate_is_accepted(
    tls_url: str, endpoint: str, janus_server: JanusEndpoints, certificate: Certificate
) -> None:
    trusting = ssl.create_default_context(cafile=str(certificate.cert))
    if endpoint.startswith("admin"):
        async with admin.connect(
            tls_url, admin_secret=janus_server.admin_secret, ssl=trusting, timeout=5
        ) as api:
            await api.ping()
            assert (await api.info()).version_string == "1.1.2"
            assert isinstance(await api.list_sessions(), list)
        return
    async with (
        janus_webrtc.connect(tls_url, ssl=trusting, timeout=5) as conn,
        await conn.create_session() as session,
    ):
        handle = await session.attach("echotest")
        reply = await handle.send({"audio": True})
        assert reply.data == {"echotest": "event", "result": "ok"}
        await handle.detach()
