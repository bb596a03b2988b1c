"""The Python `websockets` library, an independent RFC 6455 peer, against iopd's /echo."""

import asyncio
import os
import socket
import struct

import pytest
import websockets
from websockets.frames import Close, Frame, Opcode
from websockets.protocol import Protocol, Side, State

TIMEOUT = 20


def run(coroutine):
    return asyncio.run(asyncio.wait_for(coroutine, TIMEOUT))


async def connect(server):
    return await websockets.connect(
        f"{server.url}/echo", max_size=None, compression=None, open_timeout=10, close_timeout=5
    )


def test_text_binary_and_unicode(server):
    async def scenario():
        async with await connect(server) as ws:
            for text in ["hello", "", "héllo ☃ 🌊 ∑", "x" * 70_000]:
                await ws.send(text)
                assert await ws.recv() == text
            for data in [b"", b"\x00\xff" * 10, os.urandom(65_536)]:
                await ws.send(data)
                assert await ws.recv() == data

    run(scenario())


def test_sixteen_mebibytes_each_way(server):
    async def scenario():
        async with await connect(server) as ws:
            big = os.urandom(16 * 1024 * 1024)
            await ws.send(big)
            assert await ws.recv() == big

    run(scenario())


def test_fragmented_messages_are_reassembled(server):
    async def scenario():
        async with await connect(server) as ws:
            await ws.send(["frag", "men", "ted ☃"])
            assert await ws.recv() == "fragmented ☃"
            await ws.send([b"\x01", b"\x02\x03", b""])
            assert await ws.recv() == b"\x01\x02\x03"

    run(scenario())


def test_ping_is_answered_with_same_payload(server):
    async def scenario():
        async with await connect(server) as ws:
            for payload in [b"", b"abc", os.urandom(125)]:
                latency = await asyncio.wait_for(await ws.ping(payload), 5)
                assert latency >= 0

    run(scenario())


@pytest.mark.parametrize(
    "code", [1000, 1001, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999]
)
def test_close_code_is_echoed(server, code):
    async def scenario():
        ws = await connect(server)
        await ws.close(code, "bye")
        assert ws.close_code == code
        assert ws.protocol.close_rcvd is not None and ws.protocol.close_rcvd.code == code

    run(scenario())


# --- The server rejects what the library rejects --------------------------------

MASK = b"\x37\xfa\x21\x3d"


def masked(first_byte: int, payload: bytes, length_byte: int | None = None) -> bytes:
    body = bytes(b ^ MASK[i % 4] for i, b in enumerate(payload))
    if length_byte is None:
        if len(payload) < 126:
            header = bytes([first_byte, 0x80 | len(payload)])
        else:
            header = bytes([first_byte, 0x80 | 126]) + struct.pack("!H", len(payload))
    else:
        header = bytes([first_byte, 0x80 | length_byte])
    return header + MASK + body


BAD_FRAMES = {
    "rsv1 without extension": masked(0xC1, b"a"),
    "rsv2": masked(0xA1, b"a"),
    "rsv3": masked(0x91, b"a"),
    "reserved opcode 3": masked(0x83, b""),
    "reserved opcode 0xB": masked(0x8B, b""),
    "fragmented ping": masked(0x09, b""),
    "ping over 125 bytes": masked(0x89, b"x" * 126),
    "unmasked frame": b"\x81\x01a",
    "close with one byte": masked(0x88, b"\x03"),
    "close code 1005": masked(0x88, b"\x03\xed"),
    "close code 999": masked(0x88, b"\x03\xe7"),
    "close code 5000": masked(0x88, b"\x13\x88"),
    "close reason not utf-8": masked(0x88, b"\x03\xe8\xff"),
    "continuation without start": masked(0x80, b"a"),
    "new message inside fragmented one": masked(0x01, b"a") + masked(0x81, b"b"),
}


def library_close_code(data: bytes) -> int | None:
    """The close code the websockets library itself sends for these bytes, as a server."""
    protocol = Protocol(Side.SERVER, state=State.OPEN, max_size=2**24)
    protocol.receive_data(data)
    for chunk in protocol.data_to_send():
        if chunk and chunk[0] & 0x0F == 0x08:
            return Close.parse(chunk[2:]).code if len(chunk) > 2 else 1005
    return None


def raw_session(server, data: bytes) -> tuple[int | None, bool]:
    """Sends a valid upgrade then `data`; returns (close code sent by iopd, TCP closed)."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(
            b"GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        received = b""
        while b"\r\n\r\n" not in received:
            received += sock.recv(4096)
        head, _, rest = received.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 101")
        sock.sendall(data)
        closed = False
        try:
            for _ in range(100):
                chunk = sock.recv(4096)
                if not chunk:
                    closed = True
                    break
                rest += chunk
        except (ConnectionResetError, socket.timeout):
            pass
    code = None
    if len(rest) >= 2 and rest[0] & 0x0F == 0x08:
        length = rest[1] & 0x7F
        code = struct.unpack("!H", rest[2:4])[0] if length >= 2 else 1005
    return code, closed


@pytest.mark.parametrize("name", sorted(BAD_FRAMES))
def test_server_rejects_what_the_library_rejects(server, name):
    data = BAD_FRAMES[name]
    expected = 1002
    if name == "unmasked frame":
        assert library_close_code(data) == 1002
    elif name == "close reason not utf-8":
        assert library_close_code(data) == 1007
        expected = 1007
    else:
        assert library_close_code(data) == 1002, name
    code, closed = raw_session(server, data)
    assert code == expected
    assert closed


def test_invalid_utf8_text_is_1007_like_the_library(server):
    async def scenario():
        async with await connect(server) as ws:
            await ws.send("still fine")
            assert await ws.recv() == "still fine"

    code, closed = raw_session(server, masked(0x81, b"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xed\xa0\x80"))
    assert (code, closed) == (1007, True)
    run(scenario())  # and the server still serves others


def test_plain_http_to_echo_is_426(server):
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(b"GET /echo HTTP/1.1\r\nHost: x\r\n\r\n")
        response = sock.recv(4096)
    assert response.startswith(b"HTTP/1.1 426")
    assert b"Sec-WebSocket-Version: 13" in response


def test_sigterm_closes_open_sockets_with_1001(server):
    async def scenario():
        ws = await connect(server)
        await ws.send("x")
        assert await ws.recv() == "x"
        server.process.terminate()
        with pytest.raises(websockets.ConnectionClosed):
            await ws.recv()
        assert ws.close_code == 1001

    run(scenario())
    assert server.process.wait(timeout=15) == 0
