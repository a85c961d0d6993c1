#!/usr/bin/env bash
# Builds the one-folder bundle from packaging/csu-console.spec and reports its size.
#   packaging/build_bundle.sh [DIST_FOLDER [WORK_FOLDER]]   (default: dist/ and build/)
# Linux takes the system's libvlc (packaging/dev.sh installs it) or VLC_DIR=; on Windows the
# same spec runs from PowerShell (packaging/windows/BUILD.md).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$HERE"
DIST="${1:-dist}"; WORK="${2:-build}"
PY="${PYTHON:-$HERE/.venv/bin/python}"
"$PY" -m PyInstaller --noconfirm --log-level WARN --distpath "$DIST" --workpath "$WORK" \
  packaging/csu-console.spec
"$PY" packaging/bundle_size.py "$DIST/csu-console"
