"""wss: independent peers against iopd's TLS.

The Python `websockets` library verifying iopd's certificate against the dev CA
(made by Scripts/dev-cert in a temporary folder), `openssl s_client` showing
TLS 1.3 and ALPN and being refused TLS 1.1, certificate reload on SIGHUP, and
iopd refusing to serve plain ws:// on a non-loopback address. Every wait is bounded.
"""

import asyncio
import os
import re
import shutil
import signal
import ssl
import subprocess
import time

import pytest
import websockets

from conftest import ECHO_SETTINGS, ROOT, iopd_binary

TIMEOUT = 20
LISTENING = re.compile(r"iopd listening on (\S+):(\d+)( \(tls\))?$")


def run(coroutine):
    return asyncio.run(asyncio.wait_for(coroutine, TIMEOUT))


class TLSServer:
    """A running iopd serving wss:// on 127.0.0.1 (the conftest `Server` pattern)."""

    def __init__(self, certificate: str, key: str, *args: str):
        self.output = ROOT / ".build" / f"iopd-tls-{os.getpid()}-{time.monotonic_ns()}.log"
        self.log = open(self.output, "wb")
        self.process = subprocess.Popen(
            [iopd_binary(), "--port", "0", "--set", "server.drainGraceSeconds=0", "--set", f"tls.certificateFile={certificate}",
             "--set", f"tls.privateKeyFile={key}", *ECHO_SETTINGS, *args],
            stdout=subprocess.PIPE,
            stderr=self.log,
            cwd=ROOT,
        )
        line = self.process.stdout.readline().decode().strip()  # "iopd listening on 127.0.0.1:PORT (tls)"
        match = LISTENING.match(line)
        assert match and match.group(3), f"iopd did not start with TLS: {line!r}"
        self.port = int(match.group(2))

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=15)
        finally:
            self.log.close()


@pytest.fixture(scope="module")
def certs(tmp_path_factory):
    """A dev CA, server, expired and wrong-host certificates, from Scripts/dev-cert."""
    folder = tmp_path_factory.mktemp("dev-cert")
    subprocess.run([str(ROOT / "Scripts" / "dev-cert"), str(folder)], check=True, timeout=60,
                   stdout=subprocess.DEVNULL)
    return folder


@pytest.fixture
def tls_server(certs):
    server = TLSServer(str(certs / "server.pem"), str(certs / "server.key"))
    yield server
    assert server.stop() == 0


def trusting(certs) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(certs / "ca.pem"))


async def echo_once(url: str, context: ssl.SSLContext, text: str = "héllo ☃ over wss"):
    async with websockets.connect(url, ssl=context, compression=None, open_timeout=10, close_timeout=5) as ws:
        await ws.send(text)
        assert await ws.recv() == text
        data = os.urandom(200_000)
        await ws.send(data)
        assert await ws.recv() == data


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"])
def test_websockets_verifies_against_dev_ca(tls_server, certs, host):
    run(echo_once(f"wss://{host}:{tls_server.port}/echo", trusting(certs)))


def test_websockets_refuses_unknown_ca(tls_server):
    async def scenario():
        with pytest.raises(ssl.SSLCertVerificationError):
            await websockets.connect(f"wss://localhost:{tls_server.port}/echo", ssl=ssl.create_default_context(),
                                     open_timeout=10)

    run(scenario())


def test_alpn_and_close_notify(tls_server, certs):
    import socket

    context = trusting(certs)
    context.set_alpn_protocols(["http/1.1"])
    with socket.create_connection(("127.0.0.1", tls_server.port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname="localhost") as tls:
            assert tls.selected_alpn_protocol() == "http/1.1"
            assert tls.version() == "TLSv1.3"
            tls.sendall(b"GET /livez HTTP/1.1\r\nHost: localhost\r\n\r\n")
            response = b""
            while True:  # the server answers and closes with close_notify: a clean EOF, no error
                chunk = tls.recv(4096)
                if not chunk:
                    break
                response += chunk
            assert response.startswith(b"HTTP/1.1 200")


def s_client(port: int, certs, *flags: str) -> subprocess.CompletedProcess:
    """`openssl s_client` with the system's policy out of the way (OPENSSL_CONF=/dev/null,
    SECLEVEL 0), so that a refusal comes from iopd and not from the client."""
    environment = dict(os.environ, OPENSSL_CONF="/dev/null")
    return subprocess.run(
        ["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-servername", "localhost",
         "-CAfile", str(certs / "ca.pem"), *flags],
        input=b"", capture_output=True, timeout=TIMEOUT, env=environment,
    )


def test_openssl_s_client_speaks_tls13(tls_server, certs):
    result = s_client(tls_server.port, certs, "-tls1_3", "-alpn", "http/1.1", "-verify_return_error")
    output = result.stdout.decode(errors="replace")
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    assert "Protocol  : TLSv1.3" in output or "New, TLSv1.3" in output
    assert "ALPN protocol: http/1.1" in output
    assert "Verify return code: 0 (ok)" in output


def test_openssl_s_client_tls12_gets_modern_cipher(tls_server, certs):
    result = s_client(tls_server.port, certs, "-tls1_2")
    output = result.stdout.decode(errors="replace")
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    cipher = re.search(r"Cipher is (\S+)", output).group(1)
    assert cipher.startswith("ECDHE-") and ("GCM" in cipher or "CHACHA20" in cipher), cipher


@pytest.mark.parametrize("version", ["-tls1_1", "-tls1"])
def test_openssl_s_client_old_versions_refused(tls_server, certs, version):
    result = s_client(tls_server.port, certs, version, "-cipher", "DEFAULT@SECLEVEL=0")
    everything = (result.stdout + result.stderr).decode(errors="replace")
    assert result.returncode != 0
    assert "alert protocol version" in everything, everything  # iopd's alert, not a client-side refusal


def test_tls12_weak_cipher_refused(tls_server, certs):
    result = s_client(tls_server.port, certs, "-tls1_2", "-cipher", "AES128-SHA:@SECLEVEL=0")
    assert result.returncode != 0


def test_sighup_reloads_certificate_without_dropping_connections(certs, tmp_path):
    chain, key = tmp_path / "chain.pem", tmp_path / "key.pem"
    shutil.copy(certs / "server.pem", chain)
    shutil.copy(certs / "server.key", key)
    server = TLSServer(str(chain), str(key))
    try:
        url = f"wss://127.0.0.1:{server.port}/echo"

        async def scenario():
            async with websockets.connect(url, ssl=trusting(certs), open_timeout=10, close_timeout=5) as old:
                shutil.copy(certs / "wronghost.pem", chain)
                shutil.copy(certs / "wronghost.key", key)
                server.process.send_signal(signal.SIGHUP)
                for _ in range(100):  # the reload is asynchronous: wait (bounded) until new handshakes see it
                    try:
                        await echo_once(url, trusting(certs))
                    except ssl.SSLCertVerificationError as error:
                        assert "match" in str(error) or "mismatch" in str(error), error
                        break
                    await asyncio.sleep(0.05)
                else:
                    pytest.fail("new connections still got the old certificate")
                await old.send("still here")
                assert await old.recv() == "still here"

        run(scenario())
    finally:
        assert server.stop() == 0


@pytest.mark.parametrize("host", ["0.0.0.0", "::"])
def test_plain_ws_refused_on_non_loopback(host):
    result = subprocess.run([iopd_binary(), "--host", host, "--port", "0"], capture_output=True,
                            timeout=TIMEOUT, cwd=ROOT)
    assert result.returncode != 0
    message = result.stderr.decode(errors="replace")
    assert "refusing to serve plain ws://" in message and "server.allowInsecure" in message, message


def test_iop_checks_the_server_name_and_insecure_is_loud(certs, tmp_path):
    """`iop` refuses a certificate for another name with a clear message; `--insecure`
    connects anyway, but only when asked, and says so loudly."""
    from roomkit import issue_token
    from test_iop_kit import run_iop

    server = TLSServer(str(certs / "wronghost.pem"), str(certs / "wronghost.key"),
                       "--set", f"server.dataDirectory={tmp_path}")
    try:
        token = issue_token(tmp_path, room="evening-process", role="facilitator", alias="Dana", member="dana")
        url = f"wss://127.0.0.1:{server.port}"
        args = ("join", url, "evening-process", "--line", "--attempts", "1", "--ca-file", str(certs / "ca.pem"))
        refused = run_iop(*args, token=token, stdin="/quit\n")
        assert refused.returncode == 6, refused.stderr
        assert "could not be verified" in refused.stderr.decode() or "name" in refused.stderr.decode()
        assert "Welcome" not in refused.stdout.decode()

        allowed = run_iop(*args, "--insecure", token=token, stdin="/quit\n")
        assert allowed.returncode == 0, allowed.stderr
        assert "WARNING: --insecure" in allowed.stderr.decode()
        assert "Welcome, Dana." in allowed.stdout.decode()

        plain = run_iop("join", f"ws://127.0.0.1:{server.port}", "evening-process", "--line", "--insecure",
                        token=token)
        assert plain.returncode == 2 and "wss:// only" in plain.stderr.decode()
    finally:
        assert server.stop() == 0
