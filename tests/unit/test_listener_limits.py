"""A listener's bounds: idle connections past the per-peer or total cap are closed at once
(counted and reported), and a slot freed by a closed connection can be used again."""

from __future__ import annotations

import asyncio

from app.adapters.limits import ConnectionCounter, Limits, start_stream_server


async def _echo_once(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    line = await reader.readline()
    writer.write(line.upper())
    await writer.drain()
    await reader.read()  # hold the connection until the peer closes it


async def _closed_by_server(reader: asyncio.StreamReader) -> bool:
    try:
        data = await asyncio.wait_for(reader.read(1), 5)
    except ConnectionError:
        return True
    return data == b""


def test_connections_past_the_caps_are_closed_and_reported() -> None:
    async def scenario() -> None:
        refused: list[tuple[str, str]] = []
        counter = ConnectionCounter(Limits(max_connections=6, max_per_peer=4))
        server = await start_stream_server(_echo_once, "127.0.0.1", 0, counter,
                                           lambda peer, why: refused.append((peer, why)))
        port = server.sockets[0].getsockname()[1]
        try:
            held = [await asyncio.open_connection("127.0.0.1", port) for _ in range(4)]
            # the fifth from the same peer is closed before anything is read
            r5, w5 = await asyncio.open_connection("127.0.0.1", port)
            assert await _closed_by_server(r5)
            assert counter.refused == 1
            assert refused[0][0] == "127.0.0.1"
            assert "limit 4" in refused[0][1]
            # the admitted ones still work
            r, w = held[0]
            w.write(b"ping\n")
            assert await asyncio.wait_for(r.readline(), 5) == b"PING\n"
            # a slot freed is a slot reusable
            w.close()
            await w.wait_closed()
            for _ in range(100):
                if counter.total == 3:
                    break
                await asyncio.sleep(0.01)
            assert counter.total == 3
            r6, w6 = await asyncio.open_connection("127.0.0.1", port)
            w6.write(b"again\n")
            assert await asyncio.wait_for(r6.readline(), 5) == b"AGAIN\n"
            for _r, w in [*held[1:], (r6, w6), (r5, w5)]:
                w.close()
        finally:
            server.close()
            await server.wait_closed()

    asyncio.run(scenario())


def test_the_total_cap_holds_across_peers() -> None:
    counter = ConnectionCounter(Limits(max_connections=2, max_per_peer=2))
    assert counter.admit("10.0.0.1") is None
    assert counter.admit("10.0.0.2") is None
    why = counter.admit("10.0.0.3")
    assert why is not None
    assert "limit 2" in why
    counter.release("10.0.0.1")
    assert counter.admit("10.0.0.3") is None
    assert counter.by_peer == {"10.0.0.2": 1, "10.0.0.3": 1}
