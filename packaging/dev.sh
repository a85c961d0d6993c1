#!/usr/bin/env bash
# One entry point for a fresh Debian/Ubuntu machine (root or sudo): installs what is missing,
# then runs the console on the demo site (`demo`) or the whole test suite (`test`).
# Idempotent: a second run installs nothing and starts at once.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$HERE"
ACTION="${1:-demo}"; shift || true

SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi

# System packages: libvlc + its X11 output, Xvfb, the xcb libraries Qt's xcb plugin needs,
# the libraries QtWebEngine (Chromium) loads, and python3-venv for a Debian python.
APT_PACKAGES=(
  libvlc5 vlc-plugin-base vlc-plugin-video-output
  xvfb xauth x11-utils
  libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 libxcb-xinerama0
  libxcb-xkb1 libxkbcommon-x11-0 libxcb-shape0 libxcb-cursor0
  libnss3 libxcomposite1 libxdamage1 libxrandr2 libxtst6 libasound2 libxkbfile1
  libgbm1 libegl1 libgl1 libfontconfig1 libdbus-1-3 fonts-dejavu-core
  python3 python3-venv python3-pip xdotool git
  # real peers for the adapter and video tests
  mosquitto mosquitto-clients
  python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-rtsp gstreamer1.0-tools
  gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly
  gstreamer1.0-x
  # ipycam, a virtual ONVIF camera written by others: FFmpeg serves its RTSP; it runs in a
  # private network namespace (unshare from util-linux, ip from iproute2)
  ffmpeg util-linux iproute2
  # a private sound server whose output appears mid-test (tests/gui/test_alarm_sound.py)
  pulseaudio pulseaudio-utils
  # the shared journal of a room (issue 10): a private PostgreSQL server per test session
  # (tests/servers/postgres.py runs its initdb and postgres, off PATH in
  # /usr/lib/postgresql/<version>/bin); the metapackage names Debian's supported version
  postgresql
  # the town's directory (issue 11): the directory tests run a private OpenLDAP server
  # (tests/servers/slapd.py runs slapd and slapadd from /usr/sbin, and loads its entries
  # with ldapadd); its debconf makes a default system directory, which the tests never use
  slapd ldap-utils
  # evidence packages (issue 13): the tests check signatures and timestamps with OpenSSL's
  # own `cms -verify` and `ts -verify`, and run a real RFC 3161 authority (`ts -reply`)
  openssl
  # the Windows installer (issue 14): Debian's NSIS compiles packaging/windows/installer.nsi
  # on Linux in the tests, as the Windows build does
  nsis
  # the Linux bundle (issue 14): PyInstaller reads every binary it collects with objdump
  binutils
)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "== installing system packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Python >= 3.11: prefer the one on PATH, else Debian's.
PY="${PYTHON:-python3}"
"$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || {
  echo "CSU Console needs Python 3.11 or newer; found $("$PY" --version)" >&2; exit 1; }

STAMP=".venv/.installed-$(cat pyproject.toml packaging/dev.sh | sha1sum | cut -c1-12)"
if [ ! -f "$STAMP" ]; then
  echo "== creating .venv and installing the console with its dev tools"
  [ -x .venv/bin/python ] || "$PY" -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[dev]"
  # dc09-spt (a real SIA DC-09 sender for the receiver's tests) declares the dead `pycrypto`;
  # it runs on pycryptodome, installed above.
  .venv/bin/python -m pip install -q --no-deps "dc09-spt==0.0.4"
  # ipycam (a virtual ONVIF camera for the ONVIF adapter's tests) declares opencv-python,
  # the GUI build of OpenCV with its own Qt, which would overwrite the headless cv2 and fight
  # PySide6; it runs on opencv-python-headless and numpy, installed above.
  .venv/bin/python -m pip install -q --no-deps "ipycam==1.3.0"
  rm -f .venv/.installed-*; touch "$STAMP"
fi

# QtWebEngine's sandbox refuses to run as root.
if [ "$(id -u)" = "0" ]; then export QTWEBENGINE_CHROMIUM_FLAGS="${QTWEBENGINE_CHROMIUM_FLAGS:---no-sandbox}"; fi

case "$ACTION" in
  demo)
    if [ "${1:-}" = "--seats" ]; then
      # a room: a private PostgreSQL, the console service, N seats (packaging/demo_room.py)
      PYTHONPATH="$HERE" exec .venv/bin/python packaging/demo_room.py "$@"
    fi
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
      echo "== no display: running the demo under Xvfb, screenshot in demo-screenshot.png"
      exec xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/csu-console --demo \
        --screenshot demo-screenshot.png --quit-after 20 "$@"
    fi
    exec .venv/bin/csu-console --demo "$@" ;;
  test)
    # pytest-xvfb starts its own Xvfb: video tiles need real native windows.
    .venv/bin/ruff check app widgets maps tests bench packaging
    .venv/bin/lint-imports
    .venv/bin/mypy
    # Every runtime import is a runtime dependency (pyproject.toml's [tool.deptry])...
    .venv/bin/deptry .
    # ...and every import of the tests, benches and tools is declared (the dev extra counts:
    # DEP004 is for what ships). gi is Debian's python3-gi (tests/servers run it under
    # /usr/bin/python3), dc09_spt is installed above with --no-deps, pyrosm is the demo-town
    # builder's own one-off install (packaging/tools/build_demo_town.py).
    .venv/bin/deptry tests bench packaging --exclude '(^|/)\.venv' --extend-exclude resources \
      --ignore DEP002,DEP004 --per-rule-ignores 'DEP001=gi|pyrosm,DEP003=dc09_spt'
    exec .venv/bin/python -m pytest "$@" ;;
  *) echo "usage: packaging/dev.sh demo|test [args]" >&2; exit 2 ;;
esac
