"""A real RTSP server for tests and benchmarks: GStreamer's GstRtspServer, H.264 over RTP.

Run with Debian's ``/usr/bin/python3`` (python3-gi, gir1.2-gst-rtsp-server-1.0,
gstreamer1.0-plugins-{good,bad,ugly}); a pip venv cannot import ``gi``. Not imported by
the console: `tests.servers.rtsp.RtspServer` starts it as a child process.

Each mount serves a live synthetic picture (colour bars, a moving square, GStreamer's
``timeoverlay`` for people) encoded by ``x264enc tune=zerolatency``. A strip of 32 black
or white cells across the top carries the sender's wall clock for latency measurements:
24 bits of milliseconds (``time.time()`` modulo 2**24) then an 8-bit checksum, most
significant bit first (see `tests.servers.clock.decode_clock`). Frames are made in pure
Python (no numpy in Debian's Python here): bytearray slices, cheap at these sizes.

Prints ``RTSP-SERVER PORT <n>`` once listening; exits when stdin reaches EOF (the parent
went away) or on SIGTERM.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtsp", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtsp, GstRtspServer  # noqa: E402

PORT_LINE = "RTSP-SERVER PORT"
CLIENT_LINE = "RTSP-SERVER CLIENT"
CELLS = 32
BARS_Y = (235, 210, 170, 145, 106, 81, 41, 16)
BARS_UV = ((128, 128), (16, 146), (166, 16), (54, 34), (202, 222), (90, 240), (240, 110),
           (128, 128))


def clock_bits(ms: int) -> list[int]:
    value = ms & 0xFFFFFF
    check = (value ^ (value >> 8) ^ (value >> 16) ^ 0x5A) & 0xFF
    word = (value << 8) | check
    return [(word >> (CELLS - 1 - i)) & 1 for i in range(CELLS)]


class Painter:
    """I420 frames: a fixed background, a moving square and the clock strip."""

    def __init__(self, width: int, height: int, seed: int) -> None:
        self.w, self.h = width, height
        self.strip_h = max(8, height // 15)
        y = bytearray(width * height)
        cw, ch = width // 2, height // 2
        u, v = bytearray(cw * ch), bytearray(cw * ch)
        n = len(BARS_Y)
        row_y = bytearray(BARS_Y[((x * n) // width + seed) % n] for x in range(width))
        row_u = bytearray(BARS_UV[((x * 2 * n) // width + seed) % n][0] for x in range(cw))
        row_v = bytearray(BARS_UV[((x * 2 * n) // width + seed) % n][1] for x in range(cw))
        for r in range(height):
            y[r * width:(r + 1) * width] = row_y
        for r in range(ch):
            u[r * cw:(r + 1) * cw] = row_u
            v[r * cw:(r + 1) * cw] = row_v
        self.base = bytes(y + u + v)
        self.n = 0

    def frame(self, ms: int) -> bytes:
        w, h = self.w, self.h
        buf = bytearray(self.base)
        cell = w // CELLS
        row = bytearray()
        for bit in clock_bits(ms):
            row += (b"\xeb" if bit else b"\x10") * cell
        row += b"\x10" * (w - len(row))
        for r in range(self.strip_h):
            buf[r * w:(r + 1) * w] = row
        grey = b"\x80" * (w // 2)
        for plane in (w * h, w * h + (w // 2) * (h // 2)):
            for r in range((self.strip_h + 1) // 2):
                buf[plane + r * (w // 2):plane + (r + 1) * (w // 2)] = grey
        size = max(16, h // 8)
        x0 = (self.n * 4) % (w - size)
        y0 = self.strip_h + 4 + (self.n * 2) % (h - size - self.strip_h - 8)
        square = b"\xeb" * size
        for r in range(y0, y0 + size):
            buf[r * w + x0:r * w + x0 + size] = square
        self.n += 1
        return bytes(buf)


class Feeder:
    """Pushes frames into one media's appsrc at the stream's rate while it is playing."""

    def __init__(self, appsrc: Gst.Element, width: int, height: int, fps: int, seed: int) -> None:
        self.src, self.fps = appsrc, fps
        self.painter = Painter(width, height, seed)
        self.duration = Gst.SECOND // fps
        self.alive = True
        self.source_id = GLib.timeout_add(max(1, 1000 // fps), self.push)

    def push(self) -> bool:
        if not self.alive:
            return False
        data = self.painter.frame(int(time.time() * 1000))
        buf = Gst.Buffer.new_wrapped(data)
        buf.duration = self.duration
        ret = self.src.emit("push-buffer", buf)
        if ret != Gst.FlowReturn.OK:
            self.alive = False
            return False
        return True


class Factory(GstRtspServer.RTSPMediaFactory):
    def __init__(self, width: int, height: int, fps: int, seed: int) -> None:
        super().__init__()
        self.width, self.height, self.fps, self.seed = width, height, fps, seed
        self.feeders: list[Feeder] = []
        caps = (f"video/x-raw,format=I420,width={width},height={height},"
                f"framerate={fps}/1")
        self.set_launch(
            f"( appsrc name=src is-live=true do-timestamp=true format=time caps={caps} "
            f"! timeoverlay valignment=bottom halignment=right font-desc=\"Sans 14\" "
            f"! x264enc tune=zerolatency speed-preset=ultrafast key-int-max={fps} "
            f"bitrate=1500 ! rtph264pay name=pay0 pt=96 config-interval=1 )")
        self.set_shared(True)
        self.connect("media-configure", self.on_configure)

    def on_configure(self, _factory: object, media: GstRtspServer.RTSPMedia) -> None:
        appsrc = media.get_element().get_by_name_recurse_up("src")
        feeder = Feeder(appsrc, self.width, self.height, self.fps, self.seed)
        self.feeders.append(feeder)

        def unprepared(_media: object) -> None:
            feeder.alive = False

        media.connect("unprepared", unprepared)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--mount", action="append", default=[], help="e.g. cam1 (repeatable)")
    ap.add_argument("--width", type=int, default=640)
    ap.add_argument("--height", type=int, default=360)
    ap.add_argument("--fps", type=int, default=25)
    ap.add_argument("--user", default="")
    ap.add_argument("--password", default="")
    ap.add_argument("--auth", choices=("basic", "digest"), default="basic",
                    help="the authentication method asked for (RTSPAuth.set_supported_methods;"
                         " PyGObject cannot pass both flags at once)")
    ap.add_argument("--log-clients", action="store_true",
                    help="print a CLIENT line on stdout for every connection accepted")
    args = ap.parse_args(argv)
    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(args.port))
    mounts = server.get_mount_points()
    if args.user:
        auth = GstRtspServer.RTSPAuth()
        token = GstRtspServer.RTSPToken()
        token.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, "viewer")
        if args.auth == "digest":
            auth.add_digest(args.user, args.password, token)
            auth.set_supported_methods(GstRtsp.RTSPAuthMethod.DIGEST)
        else:
            auth.add_basic(GstRtspServer.RTSPAuth.make_basic(args.user, args.password), token)
            auth.set_supported_methods(GstRtsp.RTSPAuthMethod.BASIC)
        server.set_auth(auth)
    if args.log_clients:
        def connected(_server: object, _client: object) -> None:
            sys.stdout.write(f"{CLIENT_LINE}\n")
            sys.stdout.flush()

        server.connect("client-connected", connected)
    for seed, name in enumerate(args.mount or ["cam1"]):
        factory = Factory(args.width, args.height, args.fps, seed)
        if args.user:
            factory.add_role_from_structure(Gst.Structure.from_string(
                "viewer, media.factory.access=(boolean)true, "
                "media.factory.construct=(boolean)true")[0])
        mounts.add_factory("/" + name.strip("/"), factory)
    if server.attach(None) == 0:
        sys.stderr.write(f"cannot listen on port {args.port}\n")
        return 2
    sys.stdout.write(f"{PORT_LINE} {server.get_bound_port()}\n")
    sys.stdout.flush()
    loop = GLib.MainLoop()

    def watch_stdin() -> None:
        sys.stdin.read()
        GLib.idle_add(loop.quit)

    threading.Thread(target=watch_stdin, daemon=True).start()
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, loop.quit)
    loop.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
