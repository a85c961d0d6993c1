"""Video wall benchmark, in one go, side by side, per engine:

* CPU of the console (a `VideoWall` of N tiles in a shown window) against the same N
  streams played by the bare engine with no UI, N = 4, 9, 16 (the ratio is the figure);
* frames dropped (decoded but never painted, or lost by libvlc);
* time until every tile of a 16-tile wall shows video;
* signal lost and back: the source stops (→ *no signal* shown) and restarts (→ picture);
* glass-to-glass latency: the RTSP test source burns its clock into each frame
  (`tests.servers.clock`); a grab of the X screen is decoded and compared with the time
  of the grab. Beside it, the bare engine's own decode latency (no display), and `ffplay
  -fflags nobuffer` when ffplay is installed.

Each run is a child process (its CPU is its own: `os.times()`); the sources run in their
own processes. Engines: the OpenCV/FFmpeg engine on RTSP (GStreamer server, H.264), libvlc
on MJPEG over HTTP (the demo camera server) - Debian's libvlc cannot open RTSP. Sources
are 4 cameras shared by the N tiles (both servers encode once per stream).

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python -m bench.video_wall \\
        [--seconds 5] [--sizes 4,9,16] [--engines opencv,libvlc] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from typing import Any

RTSP_SIZE = (480, 270)
RTSP_FPS = 15
HTTP_FPS = 10
SOURCES = 4


def _cpu() -> float:
    t = os.times()
    return t.user + t.system


def _xserver_pid() -> int | None:
    """The X server of $DISPLAY when it is a local Xvfb/Xorg (its CPU is part of the cost:
    it receives and may scale every picture)."""
    display = os.environ.get("DISPLAY", "")
    if not display.startswith(":"):
        return None
    num = display[1:].split(".")[0]
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    argv = f.read().split(b"\0")
            except OSError:
                continue
            if argv and argv[0].endswith((b"Xvfb", b"Xorg")) and f":{num}".encode() in argv:
                return int(entry)
    return None


_XPID = _xserver_pid()


def _gui_cpu() -> float:
    """CPU seconds of this process's main (GUI) thread: the console's own per-frame cost;
    the engines decode and draw in their own threads."""
    try:
        with open(f"/proc/self/task/{os.getpid()}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _xcpu() -> float:
    """CPU seconds used so far by the X server (0 when unknown)."""
    if _XPID is None:
        return 0.0
    try:
        with open(f"/proc/{_XPID}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# --- children -------------------------------------------------------------------------------


def child_wall(engine_name: str, urls: list[str], seconds: float) -> dict[str, Any]:
    """The console's wall: N tiles, measure time to video, CPU, drops."""
    os.environ["CSU_VIDEO_ENGINE"] = engine_name
    from PySide6.QtWidgets import QApplication

    from app.core.model import Camera, CameraKind, Streams
    from tests.gui.screen import grab_screen, shows_picture
    from widgets.video import VideoWall
    from widgets.video.tile import TileState

    app = QApplication(sys.argv[:1])
    wall = VideoWall()
    wall.move(0, 0)
    wall.resize(1280, 720)
    wall.show()
    n = len(urls)
    wall.set_grid(math.ceil(math.sqrt(n)))
    cams: list[Camera | None] = [Camera(f"c{i}", f"C{i}", CameraKind.FIXED, Streams(main=u))
                                 for i, u in enumerate(urls)]
    for _ in range(20):
        app.processEvents()
    t0 = time.monotonic()
    wall.show_cameras(cams)
    tiles = wall.tiles()[:n]
    playing_at = shown_at = None
    deadline = t0 + 40
    while time.monotonic() < deadline:  # the screen is checked from the start
        _run_loop(0.05)
        now = time.monotonic()
        if playing_at is None and all(t.state is TileState.PLAYING for t in tiles):
            playing_at = now - t0
        if shown_at is None:
            screen = grab_screen()
            if all(shows_picture(screen, t) for t in tiles):
                shown_at = now - t0
        if shown_at is not None and playing_at is not None:
            break
    _run_loop(1.0)  # settle, then measure with the console's own event loop
    frames0 = [_frames(t) for t in tiles]
    c0, x0, g0, w0 = _cpu(), _xcpu(), _gui_cpu(), time.monotonic()
    _run_loop(seconds)
    c1, x1, g1, w1 = _cpu(), _xcpu(), _gui_cpu(), time.monotonic()
    frames1 = [_frames(t) for t in tiles]
    decoded = sum(b[0] - a[0] for a, b in zip(frames0, frames1, strict=True))
    dropped = sum(b[1] - a[1] for a, b in zip(frames0, frames1, strict=True))
    engines = sorted({t._engine_name for t in tiles})
    wall.shutdown()
    return {"cpu": (c1 - c0) / (w1 - w0), "xcpu": (x1 - x0) / (w1 - w0),
            "gui": (g1 - g0) / (w1 - w0), "playing_s": playing_at, "shown_s": shown_at,
            "decoded": decoded, "dropped": dropped, "window_s": w1 - w0, "engines": engines}


def _run_loop(seconds: float) -> None:
    """Let Qt run its event loop for `seconds` (as the console does: no polling)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def _frames(tile: Any) -> tuple[int, int]:
    """(pictures decoded, pictures dropped) of one tile's current player."""
    player = tile._player.current
    if player is None:
        return (0, 0)
    if hasattr(player, "_view") and hasattr(player._view, "sink"):  # OpenCV
        sink = player._view.sink
        with sink.lock:
            return (sink.frames, sink.frames - sink.painted)
    lost = 0
    if player.media is not None and player.media.get_stats(player.stats):
        lost = int(player.stats.lost_pictures)
    return (player.frames(), lost)


def child_bare(engine_name: str, urls: list[str], seconds: float,
               scale: bool = False) -> dict[str, Any]:
    """The same streams, the bare engine with no console UI: OpenCV decoding threads (no
    display); libvlc players drawing into plain native windows of the tiles' size."""
    if engine_name == "opencv":
        os.environ["OPENCV_FFMPEG_CAPTURE_OPTIONS"] = (
            "rtsp_transport;tcp|analyzeduration;0|probesize;32|fflags;nobuffer")
        import cv2

        counts = [0] * len(urls)
        stop = threading.Event()
        side = math.ceil(math.sqrt(len(urls)))
        tile = (1280 // side - 4, 720 // side - 26)  # about a tile's picture in the wall

        def read(i: int, url: str) -> None:
            cap = cv2.VideoCapture(url, cv2.CAP_FFMPEG)
            while not stop.is_set():
                ok, frame = cap.read()
                if ok:
                    if scale:  # the engine's worker work, without Qt: scale, to BGRA
                        h, w = frame.shape[:2]
                        k = min(tile[0] / w, tile[1] / h)
                        small = cv2.resize(frame, (int(w * k), int(h * k)))
                        cv2.cvtColor(small, cv2.COLOR_BGR2BGRA)
                    counts[i] += 1
            cap.release()

        threads = [threading.Thread(target=read, args=(i, u), daemon=True)
                   for i, u in enumerate(urls)]
        for th in threads:
            th.start()
        deadline = time.monotonic() + 40
        while not all(counts) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1.0)
        f0, c0, x0, w0 = sum(counts), _cpu(), _xcpu(), time.monotonic()
        time.sleep(seconds)
        f1, c1, x1, w1 = sum(counts), _cpu(), _xcpu(), time.monotonic()
        stop.set()
        return {"cpu": (c1 - c0) / (w1 - w0), "xcpu": (x1 - x0) / (w1 - w0),
                "decoded": f1 - f0}
    import vlc
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QGridLayout, QWidget

    app = QApplication(sys.argv[:1])
    top = QWidget()
    grid = QGridLayout(top)
    grid.setContentsMargins(0, 0, 0, 0)
    grid.setSpacing(2)
    side = math.ceil(math.sqrt(len(urls)))
    top.move(0, 0)
    top.resize(1280, 720)
    inst = vlc.Instance(["--quiet", "--no-audio", "--no-xlib", "--no-video-title-show",
                         "--no-osd"])
    players, medias, views = [], [], []
    for i in range(len(urls)):
        view = QWidget(top)
        view.setAttribute(Qt.WidgetAttribute.WA_NativeWindow, True)
        grid.addWidget(view, i // side, i % side)
        views.append(view)
    top.show()
    app.processEvents()
    for view, url in zip(views, urls, strict=True):
        p = inst.media_player_new()
        p.set_xwindow(int(view.winId()))
        m = inst.media_new(url, ":network-caching=300")
        p.set_media(m)
        p.play()
        players.append(p)
        medias.append(m)
    st = vlc.MediaStats()

    def shown() -> list[int]:
        app.processEvents()
        out = []
        for m in medias:
            out.append(st.displayed_pictures if m.get_stats(st) else 0)
        return out

    deadline = time.monotonic() + 40
    while not all(shown()) and time.monotonic() < deadline:
        _run_loop(0.05)
    _run_loop(1.0)  # the windows must be mapped and kept up, as in the console
    f0, c0, x0, w0 = sum(shown()), _cpu(), _xcpu(), time.monotonic()
    _run_loop(seconds)
    f1, c1, x1, w1 = sum(shown()), _cpu(), _xcpu(), time.monotonic()
    for p in players:
        p.stop()
    return {"cpu": (c1 - c0) / (w1 - w0), "xcpu": (x1 - x0) / (w1 - w0),
            "decoded": (f1 - f0) // 2}


def child_latency(mode: str, url: str, samples: int) -> dict[str, Any]:
    """Glass-to-glass: one maximised tile (mode "wall"), or the bare engine's decoded
    frames without display (mode "bare")."""
    from tests.servers.clock import decode_clock, latency_ms

    values: list[int] = []
    if mode == "bare":
        os.environ["OPENCV_FFMPEG_CAPTURE_OPTIONS"] = (
            "rtsp_transport;tcp|analyzeduration;0|probesize;32|fflags;nobuffer")
        import cv2

        cap = cv2.VideoCapture(url, cv2.CAP_FFMPEG)
        for _ in range(samples * 3):
            ok, frame = cap.read()
            if ok:
                sent = decode_clock(frame[:, :, ::-1])
                if sent is not None:
                    values.append(latency_ms(sent))
        cap.release()
        return {"median_ms": statistics.median(values) if values else None, "n": len(values)}
    if mode == "ffplay":
        return _ffplay_latency(url, samples)
    os.environ["CSU_VIDEO_ENGINE"] = "opencv"
    import numpy as np
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QGuiApplication, QImage
    from PySide6.QtWidgets import QApplication

    from app.core.model import Camera, CameraKind, Streams
    from widgets.video import VideoWall
    from widgets.video.tile import TileState

    app = QApplication(sys.argv[:1])
    wall = VideoWall()
    wall.move(0, 0)
    wall.resize(960, 600)
    wall.show()
    wall.set_grid(1)
    wall.show_camera(Camera("l", "L", CameraKind.FIXED, Streams(main=url)), 0)
    tile = wall.tile(0)
    deadline = time.monotonic() + 20
    while tile.state is not TileState.PLAYING and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    screen = QGuiApplication.primaryScreen()
    tries = 0
    while len(values) < samples and tries < samples * 10:
        tries += 1
        app.processEvents()
        s = tile.surface()
        p = s.mapToGlobal(QPoint(0, 0))
        img = screen.grabWindow(0, p.x(), p.y(), s.width(), s.height()).toImage()
        grabbed = time.time()
        img = img.convertToFormat(QImage.Format.Format_RGB888)
        w, h, bpl = img.width(), img.height(), img.bytesPerLine()
        rows = np.frombuffer(img.constBits(), np.uint8, count=h * bpl).reshape(h, bpl)
        px = rows[:, : w * 3].reshape(h, w, 3)
        # the picture is centred, letterboxed: keep the 16:9 part
        pw = min(w, int(h * 16 / 9))
        ph = int(pw * 9 / 16)
        x0, y0 = (w - pw) // 2, (h - ph) // 2
        sent = decode_clock(px[y0:y0 + ph, x0:x0 + pw])
        if sent is not None:
            values.append(latency_ms(sent, grabbed))
        time.sleep(0.037)
    wall.shutdown()
    return {"median_ms": statistics.median(values) if values else None, "n": len(values)}


def _ffplay_latency(url: str, samples: int) -> dict[str, Any]:
    """The reference: `ffplay -fflags nobuffer -flags low_delay` showing the same stream at
    the top left of the same X screen, read back from screen grabs like the console's tile."""
    import numpy as np
    from PySide6.QtGui import QGuiApplication, QImage

    from tests.servers.clock import decode_clock, latency_ms

    values: list[int] = []
    app = QGuiApplication(sys.argv[:1])
    player = subprocess.Popen(
        ["ffplay", "-loglevel", "quiet", "-fflags", "nobuffer", "-flags", "low_delay",
         "-rtsp_transport", "tcp", "-an", "-noborder", "-left", "0", "-top", "0",
         "-x", "640", "-y", "360", url],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        screen = app.primaryScreen()
        tries, deadline = 0, time.monotonic() + 30
        while len(values) < samples and tries < samples * 20 and time.monotonic() < deadline:
            tries += 1
            img = screen.grabWindow(0, 0, 0, 640, 360).toImage()
            grabbed = time.time()
            img = img.convertToFormat(QImage.Format.Format_RGB888)
            w, h, bpl = img.width(), img.height(), img.bytesPerLine()
            rows = np.frombuffer(img.constBits(), np.uint8, count=h * bpl).reshape(h, bpl)
            sent = decode_clock(rows[:, : w * 3].reshape(h, w, 3))
            if sent is not None:
                values.append(latency_ms(sent, grabbed))
            time.sleep(0.037)
    finally:
        player.terminate()
        player.wait(5)
    return {"median_ms": statistics.median(values) if values else None, "n": len(values)}


def child_reconnect(engine_name: str, rounds: int) -> dict[str, Any]:
    """Signal lost and back: server stopped → "no signal" shown; server restarted on the
    same port (after the backoff has reached its cap) → picture back. Seconds, per round."""
    os.environ["CSU_VIDEO_ENGINE"] = engine_name
    from PySide6.QtWidgets import QApplication

    from app.adapters.demo.camera_server import CameraServerProcess, SyntheticCamera
    from app.core.model import Camera, CameraKind, Streams
    from tests.servers import RtspServer
    from widgets.video import VideoWall
    from widgets.video.tile import TileState

    _app = QApplication(sys.argv[:1])
    server: Any
    if engine_name == "opencv":
        server = RtspServer(["r"], width=320, height=180, fps=15)
        server.start()
        url = server.url("r")
    else:
        server = CameraServerProcess([SyntheticCamera("r", "R", "fixed")], fps=10)
        server.start()
        port = server.port
        server.stop()
        server = CameraServerProcess([SyntheticCamera("r", "R", "fixed")], fps=10, port=port)
        server.start()
        url = server.url("r", "sub")
    wall = VideoWall()  # the console's default watchdog period
    wall.resize(640, 400)
    wall.show()
    wall.set_grid(1)
    wall.show_camera(Camera("r", "R", CameraKind.FIXED, Streams(main=url)), 0)
    tile = wall.tile(0)

    def wait(state: TileState, limit: float) -> float:
        t0 = time.monotonic()
        while tile.state is not state and time.monotonic() - t0 < limit:
            _run_loop(0.02)
        return time.monotonic() - t0

    wait(TileState.PLAYING, 20)
    lost, back = [], []
    for _ in range(rounds):
        _run_loop(1.0)
        server.stop()
        lost.append(wait(TileState.NO_SIGNAL, 15))
        _run_loop(6.0)  # long enough for the backoff to reach its cap
        server.start()
        back.append(wait(TileState.PLAYING, 20))
    wall.shutdown()
    server.stop()
    return {"lost_s": lost, "back_s": back}


# --- the orchestrator -----------------------------------------------------------------------


def run_child(*args: str) -> dict[str, Any]:
    out = subprocess.run([sys.executable, "-m", "bench.video_wall", "--child", *args],
                         capture_output=True, text=True, timeout=180)
    for line in reversed(out.stdout.splitlines()):
        if line.startswith("{"):
            result: dict[str, Any] = json.loads(line)
            return result
    raise RuntimeError(f"child {args} failed: {out.stderr[-1500:]}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--sizes", default="4,9,16")
    ap.add_argument("--engines", default="opencv,libvlc")
    ap.add_argument("--samples", type=int, default=40)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--child", nargs="*")
    args = ap.parse_args()
    if args.child:
        kind, engine_name, *rest = args.child
        if kind == "wall":
            res = child_wall(engine_name, rest, args.seconds)
        elif kind == "bare":
            res = child_bare(engine_name, rest, args.seconds)
        elif kind == "bare-scale":
            res = child_bare(engine_name, rest, args.seconds, scale=True)
        elif kind == "reconnect":
            res = child_reconnect(engine_name, args.rounds)
        else:
            res = child_latency(engine_name, rest[0], args.samples)
        print(json.dumps(res), flush=True)
        return 0

    from app.adapters.demo.camera_server import CameraServerProcess, SyntheticCamera
    from tests.servers import RtspServer

    sizes = [int(x) for x in args.sizes.split(",")]
    engines = args.engines.split(",")
    rtsp = RtspServer([f"s{i}" for i in range(SOURCES)], width=RTSP_SIZE[0],
                      height=RTSP_SIZE[1], fps=RTSP_FPS).start()
    clock = RtspServer(["clock"], width=640, height=360, fps=25).start()
    http = CameraServerProcess([SyntheticCamera(f"h{i}", f"H{i}", "fixed", seed=i)
                                for i in range(SOURCES)], fps=HTTP_FPS)
    http.start()
    rows: list[dict[str, Any]] = []
    try:
        for eng in engines:
            for n in sizes:
                if eng == "opencv":
                    urls = [rtsp.url(f"s{i % SOURCES}") for i in range(n)]
                else:
                    urls = [http.url(f"h{i % SOURCES}", "sub") for i in range(n)]
                wall = run_child("wall", eng, *urls, "--seconds", str(args.seconds))
                bare = run_child("bare", eng, *urls, "--seconds", str(args.seconds))
                row = {"engine": eng, "n": n, "wall": wall, "bare": bare}
                if eng == "opencv":
                    row["scaled"] = run_child("bare-scale", eng, *urls, "--seconds",
                                              str(args.seconds))
                rows.append(row)
                print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
        recon = {eng: run_child("reconnect", eng, "--rounds", str(args.rounds))
                 for eng in engines}
        lat_wall = run_child("latency", "wall", clock.url("clock"), "--samples",
                             str(args.samples))
        lat_bare = run_child("latency", "bare", clock.url("clock"), "--samples",
                             str(args.samples))
        lat_ffplay = (run_child("latency", "ffplay", clock.url("clock"), "--samples",
                                str(args.samples)) if shutil.which("ffplay") else None)
    finally:
        rtsp.stop()
        clock.stop()
        http.stop()
    print("| engine | source stopped → *no signal* shown (s) | source back → picture (s) |")
    print("|---|---|---|")
    for eng, r in recon.items():
        print(f"| {eng} | {' / '.join(f'{x:.1f}' for x in r['lost_s'])} "
              f"| {' / '.join(f'{x:.1f}' for x in r['back_s'])} |")
    print()
    print("| engine (source) | tiles | console CPU (GUI thread) | bare engine CPU | ratio "
          "| X server: console / bare | decoded/s | dropped "
          "| all tiles: video on screen / state Playing |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        w, b = r["wall"], r["bare"]
        src = "OpenCV/FFmpeg (RTSP H.264 480×270@15)" if r["engine"] == "opencv" \
            else "libvlc (HTTP MJPEG 480×270@10)"
        ratio = f"{w['cpu'] / b['cpu']:.2f}" if b["cpu"] > 0 else "—"
        bare_cpu = f"{b['cpu'] * 100:.1f}%"
        if "scaled" in r:  # decode only; decode + scale + BGRA (the worker's work, no Qt)
            sc = r["scaled"]["cpu"]
            bare_cpu += f" / {sc * 100:.1f}%"
            ratio += f" / {w['cpu'] / sc:.2f}" if sc > 0 else " / —"
        shown = (f"{w['shown_s']:.2f} s / {w['playing_s']:.2f} s"
                 if w["shown_s"] is not None and w["playing_s"] is not None else "—")
        xs = f"{w.get('xcpu', 0) * 100:.1f}% / {b.get('xcpu', 0) * 100:.1f}%"
        cons = f"{w['cpu'] * 100:.1f}% ({w.get('gui', 0) * 100:.1f}%)"
        print(f"| {src} | {r['n']} | {cons} | {bare_cpu} | {ratio} | {xs} | "
              f"{w['decoded'] / w['window_s']:.0f} | {w['dropped']} | {shown} |")
    print()
    print(f"Glass-to-glass (640×360@25 H.264 RTSP, loopback, median of {lat_wall['n']}): "
          f"console tile {lat_wall['median_ms']} ms; bare OpenCV decode, no display "
          f"{lat_bare['median_ms']} ms; `ffplay -fflags nobuffer -flags low_delay` "
          f"{lat_ffplay['median_ms'] if lat_ffplay else 'not installed here'} ms.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
