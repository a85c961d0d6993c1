"""`packaging/dev.sh demo --seats N`: the demo town as a room: a private PostgreSQL, the
console service (`csu-console serve --demo`) on it, and N seats attached to it.

Everything runs as on a real room's machines, only on this one: the database in a folder of
its own (PostgreSQL refuses to run as root: the harness of tests/servers/postgres.py runs it
as an unprivileged user), the service's log beside it, each seat a normal console with its
own settings folder. With a display the seats open as windows; without one, each seat runs
on its own virtual screen and leaves a screenshot `demo-seat-N.png`. Ctrl+C (or the last
seat closed) stops the seats, the service and the database, in that order.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.servers.postgres import PostgresServer

HERE = Path(__file__).resolve().parent.parent
CSU = [sys.executable, "-m", "app.main"]


def seat_command(url: str, n: int, headless: bool, args: list[str]) -> list[str]:
    cmd = [*CSU, "--demo", "--journal", url, *args]
    if headless:
        cmd = ["xvfb-run", "-a", "-s", "-screen 0 1920x1080x24", *cmd, "--screenshot",
               str(HERE / f"demo-seat-{n}.png"), "--quit-after", "25"]
    return cmd


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="dev.sh demo --seats N", description=__doc__)
    p.add_argument("--seats", type=int, default=2, help="how many seats (default 2)")
    args, seat_args = p.parse_known_args(argv)
    headless = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    root = Path(tempfile.mkdtemp(prefix="csu-demo-room-"))
    root.chmod(0o755)  # the database's unprivileged user must reach db/ inside it
    server = PostgresServer(root / "db")
    procs: list[subprocess.Popen[bytes]] = []
    try:
        server.start()
        url = server.create_database("demo_room")
        env = {**os.environ, **server.env(), "PYTHONPATH": str(HERE)}
        print(f"== the room's journal: {url} (data in {root})", flush=True)  # noqa: T201
        service = subprocess.Popen(
            [*CSU, "serve", "--demo", "--journal", url, "--log-file",
             str(root / "service.log")], cwd=HERE, env=env)
        procs.append(service)
        log = root / "service.log"
        deadline = time.monotonic() + 60
        while "serving;" not in (log.read_text() if log.exists() else ""):
            if service.poll() is not None or time.monotonic() > deadline:
                print("the demo service did not start; see", log, file=sys.stderr)  # noqa: T201
                return 1
            time.sleep(0.2)
        print(f"== the service runs (log {log}); opening {args.seats} seat(s)", flush=True)  # noqa: T201
        seats = []
        for n in range(1, args.seats + 1):
            home = root / f"seat-{n}"
            seat_env = {**env, "XDG_CONFIG_HOME": str(home / "config"),
                        "XDG_DATA_HOME": str(home / "data")}
            seats.append(subprocess.Popen(seat_command(url, n, headless, seat_args), cwd=HERE,
                                          env=seat_env))
        procs += seats
        for seat in seats:
            seat.wait()
        if headless:
            print("== screenshots: " + ", ".join(  # noqa: T201
                f"demo-seat-{n}.png" for n in range(1, args.seats + 1)))
        return 0
    except KeyboardInterrupt:
        return 130
    finally:
        for proc in reversed(procs):
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(30)
                except subprocess.TimeoutExpired:
                    proc.kill()
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
