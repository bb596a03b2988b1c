#!/usr/bin/env python3
"""Checks that a peer server speaks the relay protocol (README.md).

Usage: check.py PORT. Exits 0 and prints "relay ok", or fails with the first
difference. Loopback only; every wait is bounded.
"""

import sys
from contextlib import ExitStack

from websockets.sync.client import connect

ACK = '{"v":1,"type":"ack"}'
TIMEOUT = 5.0


def chat(n: int) -> str:
    text = f"iopb {n} m 0 " + "x" * 100
    return '{"v":1,"type":"chat.send","id":"c%d","text":"%s"}' % (n, text)


def expect(socket, wanted: str, who: str) -> None:
    got = socket.recv(timeout=TIMEOUT)
    if got != wanted:
        sys.exit(f"{who}: expected {wanted[:60]!r}, got {got[:60]!r}")


def expect_nothing(socket, who: str) -> None:
    try:
        got = socket.recv(timeout=0.3)
    except TimeoutError:
        return
    sys.exit(f"{who}: expected nothing, got {got[:60]!r}")


def main() -> None:
    with ExitStack() as stack:
        check(stack, f"ws://127.0.0.1:{int(sys.argv[1])}/peer/")
    print("relay ok")


def check(stack: ExitStack, base: str) -> None:
    def member(room: str):
        return stack.enter_context(connect(base + room, compression=None, open_timeout=TIMEOUT))

    a = [member("room-a") for _ in range(3)]
    b = member("room-b")

    a[0].send(chat(1))
    expect(a[1], chat(1), "a1")
    expect(a[2], chat(1), "a2")
    expect(a[0], ACK, "a0 (the sender)")
    expect_nothing(b, "b (another room)")
    expect_nothing(a[0], "a0 (its own message)")

    a[1].close()
    a[2].send(chat(2))
    expect(a[0], chat(2), "a0 after a1 left")
    expect(a[2], ACK, "a2 (the sender)")

    burst = 500
    for n in range(burst):
        a[0].send(chat(100 + n))
    for n in range(burst):
        expect(a[2], chat(100 + n), f"a2, burst message {n}")
    for n in range(burst):
        expect(a[0], ACK, f"a0, burst ack {n}")


if __name__ == "__main__":
    main()
