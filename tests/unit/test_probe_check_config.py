"""`csu-console check-config FILE --probe`: each enabled adapter is built and probed; the
installer reads one line per check; exit 0 only when every check passed; Qt never loaded."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

from app.core.secrets import set_secret
from tests.conftest import REPO

SITE = """
[site]
name = "Probe test"
[map]
center = [48.85, 2.35]
{adapters}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run(tmp_path: Path, adapters: str) -> subprocess.CompletedProcess[str]:
    site = tmp_path / "site.toml"
    site.write_text(SITE.format(adapters=adapters), encoding="utf-8")
    code = ("import sys; from app.main import main; rc = main(['check-config', sys.argv[1], "
            "'--probe']); assert 'PySide6' not in sys.modules, 'Qt was loaded'; sys.exit(rc)")
    return subprocess.run([sys.executable, "-c", code, str(site)], cwd=REPO,
                          capture_output=True, text=True, timeout=60)


def test_all_probes_ok_exits_0(tmp_path: Path) -> None:
    set_secret("probe-hook-secret", "abc")
    out = run(tmp_path, f"""
[[adapters]]
kind = "webhook"
name = "capteurs"
listen = "127.0.0.1"
port = {free_port()}
secret = "probe-hook-secret"

[[adapters]]
kind = "demo"
name = "off"
enabled = false
""")
    assert out.returncode == 0, out.stderr
    assert "ok   capteurs: listen on http://127.0.0.1:" in out.stdout
    assert "ok   capteurs: shared secret 'probe-hook-secret' in the keyring — found" in out.stdout
    assert "probe: 2 check(s) ok, 0 failed" in out.stdout + out.stderr


def test_failures_are_said_in_plain_words_and_exit_1(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        out = run(tmp_path, f"""
[[adapters]]
kind = "sia_dc09"
name = "alarmes"
listen = "127.0.0.1"
port = {port}
key_secret = "no-such-key"
[[adapters.accounts]]
account = "1234"
building = "Mairie"

[[adapters]]
kind = "milestone"
name = "xprotect"
url = "http://127.0.0.1:{free_port()}"
username = "csu"
password_secret = "no-such-password"

[[adapters]]
kind = "rtsp"
name = "cams"
[[adapters.cameras]]
id = "cam-1"
name = "Parvis"
main = "rtsp://127.0.0.1:{free_port()}/s1"
""")
    assert out.returncode == 1
    lines = out.stdout
    assert f"FAIL alarmes: listen on 127.0.0.1:{port} (TCP) — cannot listen there:" in lines
    assert "FAIL alarmes: encryption key 'no-such-key' in the keyring — the keyring holds no " \
           "secret 'no-such-key'" in lines
    assert "FAIL xprotect: log in to XProtect" in lines
    assert "no-such-password" in lines
    assert "FAIL cams: camera cam-1 main stream" in lines
    assert "cannot connect to" in lines
    assert "probe: 0 check(s) ok, 4 failed" in out.stderr
