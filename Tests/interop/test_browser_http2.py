"""A real browser over HTTP/2: Debian's `chromium`, headless, against an iopd that
offers h2 on TLS (dev certificates from Scripts/dev-cert; Chromium trusts the
server's key through --ignore-certificate-errors-spki-list, nothing else). Driven
through its DevTools protocol with the Python `websockets` client: the page goes to
https://127.0.0.1:PORT/livez (an https origin on iopd, served over h2: no test page
is needed), then runs `new WebSocket("wss://127.0.0.1:PORT/echo")`, sends a message
and reads its echo. Chromium carries a WebSocket over an existing HTTP/2 connection
whose server sent SETTINGS_ENABLE_CONNECT_PROTOCOL=1 (RFC 8441); iopd's /metrics
prove it did: one more HTTP/2 WebSocket stream, and no HTTP/1.1 upgrade (every
upgrade counted was that stream). The whole test is bounded to 30 s.
"""

import asyncio
import base64
import hashlib
import json
import shutil
import signal
import ssl
import subprocess
import time
import urllib.request

import pytest
import websockets

from conftest import ROOT
from test_tls_interop import TLSServer

CHROMIUM = shutil.which("chromium")
DEADLINE = 30  # seconds for the whole test
MESSAGE = "hello over h2 from chromium ☃"

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (Scripts/test installs it)")


@pytest.fixture(scope="module")
def certs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dev-cert-browser")
    subprocess.run([str(ROOT / "Scripts" / "dev-cert"), str(folder)], check=True, timeout=60,
                   stdout=subprocess.DEVNULL)
    return folder


def spki_hash(certificate) -> str:
    """base64(SHA-256(SubjectPublicKeyInfo)) of the leaf, as Chromium's SPKI list wants it."""
    public = subprocess.run(["openssl", "x509", "-in", str(certificate), "-pubkey", "-noout"],
                            capture_output=True, check=True, timeout=10).stdout
    der = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "der"], input=public,
                         capture_output=True, check=True, timeout=10).stdout
    return base64.b64encode(hashlib.sha256(der).digest()).decode()


def metrics(port: int, context: ssl.SSLContext) -> dict[str, float]:
    """iopd's /metrics over HTTPS (HTTP/1.1: Python's client), as {name: value}."""
    with urllib.request.urlopen(f"https://localhost:{port}/metrics", context=context, timeout=5) as answer:
        lines = answer.read().decode().splitlines()
    return {name: float(value) for name, _, value in (line.rpartition(" ") for line in lines)
            if name and not name.startswith("#")}


class Chromium:
    """Headless Chromium with its DevTools endpoint on a port of its choosing."""

    def __init__(self, profile, spki: str):
        self.profile = profile
        self.process = subprocess.Popen(
            [CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
             f"--user-data-dir={profile}", "--remote-debugging-port=0",
             f"--ignore-certificate-errors-spki-list={spki}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def page_socket(self, deadline: float) -> str:
        """The DevTools websocket URL of the page (the port file appears once Chromium listens)."""
        port_file = self.profile / "DevToolsActivePort"
        while time.monotonic() < deadline:
            if port_file.exists() and (lines := port_file.read_text().splitlines()):
                with urllib.request.urlopen(f"http://127.0.0.1:{lines[0]}/json/list", timeout=5) as answer:
                    pages = [t for t in json.load(answer) if t["type"] == "page"]
                if pages:
                    return pages[0]["webSocketDebuggerUrl"]
            assert self.process.poll() is None, f"chromium exited ({self.process.returncode})"
            time.sleep(0.05)  # polling for a file Chromium writes: no event to wait on
        raise AssertionError("chromium did not open its DevTools port in time")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)


async def devtools(url: str, port: int) -> tuple[str, str]:
    """Navigates the page to /livez, then echoes MESSAGE over wss://…/echo: (page text, echo)."""
    async with websockets.connect(url, max_size=2**22, open_timeout=5) as ws:
        ids = iter(range(1, 100))

        async def call(method: str, **params) -> dict:
            number = next(ids)
            await ws.send(json.dumps({"id": number, "method": method, "params": params}))
            async for raw in ws:
                message = json.loads(raw)
                if message.get("id") == number:
                    assert "error" not in message, f"{method}: {message['error']}"
                    return message["result"]
                if message.get("method") == "Page.loadEventFired":
                    loaded.set()
            raise AssertionError(f"DevTools closed during {method}")

        loaded = asyncio.Event()
        await call("Page.enable")
        await call("Page.navigate", url=f"https://127.0.0.1:{port}/livez")
        while not loaded.is_set():  # the page's load event (bounded by the caller's wait_for)
            if json.loads(await ws.recv()).get("method") == "Page.loadEventFired":
                loaded.set()
        text = await call("Runtime.evaluate", expression="document.body.innerText", returnByValue=True)
        script = f"""new Promise((resolve) => {{
            const ws = new WebSocket("wss://127.0.0.1:{port}/echo");
            ws.onopen = () => ws.send({json.dumps(MESSAGE)});
            ws.onmessage = (event) => {{ resolve(event.data); ws.close(1000); }};
            ws.onclose = (event) => resolve("closed " + event.code);
            setTimeout(() => resolve("no echo within 10 s"), 10000);
        }})"""
        echo = await call("Runtime.evaluate", expression=script, awaitPromise=True, returnByValue=True)
        return text["result"].get("value", ""), echo["result"].get("value", "")


def test_chromium_websocket_runs_over_an_http2_stream(certs, tmp_path):
    deadline = time.monotonic() + DEADLINE
    server = TLSServer(str(certs / "server.pem"), str(certs / "server.key"))
    browser = Chromium(tmp_path / "profile", spki_hash(certs / "server.pem"))
    try:
        trusting = ssl.create_default_context(cafile=str(certs / "ca.pem"))
        before = metrics(server.port, trusting)
        url = browser.page_socket(deadline)
        text, echo = asyncio.run(asyncio.wait_for(devtools(url, server.port), deadline - time.monotonic()))
        after = metrics(server.port, trusting)
    finally:
        browser.stop()
        status = server.stop()
    assert text.strip() == "ok", f"the page at /livez: {text!r}"
    assert echo == MESSAGE
    grew = {name: after.get(name, 0) - before.get(name, 0) for name in (
        "iop_http2_connections_total", "iop_http2_websocket_streams_total", "iop_websocket_upgrades_total")}
    assert grew["iop_http2_connections_total"] >= 1, grew
    assert grew["iop_http2_websocket_streams_total"] == 1, grew
    assert grew["iop_websocket_upgrades_total"] == 1, f"an HTTP/1.1 upgrade happened too: {grew}"
    assert status == 0
