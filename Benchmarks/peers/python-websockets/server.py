#!/usr/bin/env python3
"""Peer for `iop-bench --peer`: the relay protocol (../README.md) on the
`websockets` library (asyncio API) running on uvloop.

Usage: server.py PORT. Listens on 127.0.0.1:PORT, accepts /peer/<room>.
A text message goes to every other member of the room via
websockets.broadcast(), then the sender gets a fixed ack. Nothing is logged
per message.
"""

import re
import sys
from http import HTTPStatus

import uvloop
from websockets import ConnectionClosed, broadcast
from websockets.asyncio.server import serve

ACK = '{"v":1,"type":"ack"}'
PATH = re.compile(r"/peer/([A-Za-z0-9-]{1,64})")

rooms: dict[str, set] = {}


def process_request(connection, request):
    if PATH.fullmatch(request.path) is None:
        return connection.respond(HTTPStatus.NOT_FOUND, "not found\n")
    return None


async def handler(ws):
    room = PATH.fullmatch(ws.request.path).group(1)
    members = rooms.setdefault(room, set())
    members.add(ws)
    try:
        async for message in ws:
            # Broadcast is synchronous and never waits on a slow member: data
            # queues in that member's write buffer until ping timeout drops it.
            broadcast([m for m in members if m is not ws], message)
            await ws.send(ACK)
    except ConnectionClosed:
        pass
    finally:
        members.discard(ws)
        if not members:
            rooms.pop(room, None)


async def main(port: int) -> None:
    async with serve(
        handler,
        "127.0.0.1",
        port,
        compression=None,
        process_request=process_request,
    ) as server:
        await server.serve_forever()


if __name__ == "__main__":
    uvloop.run(main(int(sys.argv[1])))
