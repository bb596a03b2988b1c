"""permessage-deflate (RFC 7692): the Python `websockets` library as client against iopd's /echo."""

import asyncio
import os

import pytest
import websockets
from websockets.extensions.permessage_deflate import ClientPerMessageDeflateFactory

from conftest import Server

TIMEOUT = 30


def run(coroutine):
    return asyncio.run(asyncio.wait_for(coroutine, TIMEOUT))


@pytest.fixture
def compressing_server():
    running = Server("--set", "server.compression=true")
    yield running
    assert running.stop() == 0


@pytest.fixture
def small_limit_server():
    one_mib = str(1 << 20)
    running = Server(
        "--set", "server.compression=true",
        "--set", f"limits.maxFrameBytes={one_mib}",
        "--set", f"limits.maxMessageBytes={one_mib}",
    )
    yield running
    assert running.stop() == 0


FACTORIES = {
    "context takeover": dict(),
    "no context takeover": dict(server_no_context_takeover=True, client_no_context_takeover=True),
    "small windows": dict(server_max_window_bits=10, client_max_window_bits=9),
    "server window 8 (zlib uses 9, distances stay under 256)": dict(server_max_window_bits=8),
}


async def connect(server, **factory):
    return await websockets.connect(
        f"{server.url}/echo",
        extensions=[ClientPerMessageDeflateFactory(**factory)],
        compression=None,
        max_size=None,
        open_timeout=10,
        close_timeout=5,
    )


@pytest.mark.parametrize("name", list(FACTORIES))
def test_echo_with_negotiated_parameters(compressing_server, name):
    async def scenario():
        async with await connect(compressing_server, **FACTORIES[name]) as ws:
            answer = ws.response.headers["Sec-WebSocket-Extensions"]
            assert answer.startswith("permessage-deflate")
            if "server_no_context_takeover" in FACTORIES[name]:
                assert "server_no_context_takeover" in answer
            texts = ["Hello", "", "héllo ☃ 🌊", "group check-in " * 5000, "Hello"]
            for text in texts:
                await ws.send(text)
                assert await ws.recv() == text
            for data in [b"\x00" * 100_000, os.urandom(70_000), bytes(range(256)) * 300]:
                await ws.send(data)
                assert await ws.recv() == data

    run(scenario())


def test_fragmented_compressed_messages(compressing_server):
    async def scenario():
        async with await connect(compressing_server) as ws:
            parts = ["frag", "men", "ted ☃ " * 100]
            await ws.send(parts)
            assert await ws.recv() == "".join(parts)
            chunks = [b"\x01" * 1000, os.urandom(5000), b""]
            await ws.send(chunks)
            assert await ws.recv() == b"".join(chunks)

    run(scenario())


def test_big_messages(compressing_server):
    async def scenario():
        async with await connect(compressing_server) as ws:
            big_text = ("session notes stay in memory only; " * 400_000)[: 15 * 1024 * 1024]
            await ws.send(big_text)
            assert await ws.recv() == big_text
            big_random = os.urandom(8 * 1024 * 1024)
            await ws.send(big_random)
            assert await ws.recv() == big_random

    run(scenario())


def test_compression_bomb_gets_1009(small_limit_server):
    async def scenario():
        async with await connect(small_limit_server) as ws:
            await ws.send(b"\x00" * (64 * 1024 * 1024))  # about 64 KiB on the wire
            with pytest.raises(websockets.ConnectionClosedError) as closed:
                await ws.recv()
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009
        # The server is unharmed.
        async with await connect(small_limit_server) as ws:
            await ws.send("still here")
            assert await ws.recv() == "still here"

    run(scenario())


def test_compression_is_off_by_default(server):
    async def scenario():
        async with await connect(server) as ws:
            assert "Sec-WebSocket-Extensions" not in ws.response.headers
            await ws.send("x" * 1000)
            assert await ws.recv() == "x" * 1000

    run(scenario())
