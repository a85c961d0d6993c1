"""The bundle's size and what dominates it, by part: `python packaging/bundle_size.py
dist/csu-console [--markdown]`. The README's table comes from here; so does the line the
Linux bundle's test prints."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path

# (part, patterns on the path relative to the bundle, "/" separated); the first match wins
PARTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("libvlc and its plugins", ("*libvlc*", "*/vlc/*")),
    ("QtWebEngine (Chromium, the map)", ("*WebEngine*", "*qtwebengine*", "*webengine*")),
    ("Qt, PySide6 (other)", ("*/PySide6/*", "*/shiboken6/*", "*libQt6*", "*Qt6*")),
    ("FFmpeg of the recorder (imageio-ffmpeg)", ("*/imageio_ffmpeg/*",)),
    ("PyAV and its FFmpeg libraries (replay)", ("*/av/*", "*/av.libs/*")),
    ("OpenCV (demo footage, offline tiles)", ("*/cv2/*", "*/opencv_python*")),
    ("numpy", ("*/numpy/*", "*/numpy.libs/*")),
    ("Python and its standard library", ("*libpython*", "*python3*.dll", "*/base_library.zip",
                                         "*/lib-dynload/*", "*/csu-console", "*.exe")),
    ("the console (app, widgets, maps, resources)",
     ("*/app/*", "*/widgets/*", "*/maps/*", "*/resources/*")),
    ("other Python packages", ("*/*/*",)),  # anything in a package's folder
    ("system libraries (mostly what VLC's plugins link)", ("*",)),
)


@dataclass
class Part:
    name: str
    size: int = 0
    files: int = 0


def part_of(relative: str) -> str:
    """`relative`: a file's path in the bundle, "/" separated."""
    path = "/" + relative.removeprefix("_internal/")  # PyInstaller 6 keeps all but the exe there
    for name, patterns in PARTS:
        if any(fnmatch(path, p) for p in patterns):
            return name
    return PARTS[-1][0]


def measure(bundle: Path) -> list[Part]:
    """The bundle's parts, largest first (symbolic links are not counted twice)."""
    parts = {name: Part(name) for name, _ in PARTS}
    for file in bundle.rglob("*"):
        if file.is_symlink() or not file.is_file():
            continue
        part = parts[part_of(file.relative_to(bundle).as_posix())]
        part.size += file.stat().st_size
        part.files += 1
    return sorted((p for p in parts.values() if p.files), key=lambda p: -p.size)


def report(bundle: Path, markdown: bool = False) -> str:
    parts = measure(bundle)
    total, files = sum(p.size for p in parts), sum(p.files for p in parts)
    mb = 1024 * 1024
    if markdown:
        rows = ["| part | MB | files | share |", "|---|---:|---:|---:|"]
        rows += [f"| {p.name} | {p.size / mb:.0f} | {p.files} | {p.size / total:.0%} |"
                 for p in parts]
        rows.append(f"| **total** | **{total / mb:.0f}** | **{files}** | |")
        return "\n".join(rows)
    lines = [f"bundle {bundle}: {total / mb:.0f} MB in {files} files"]
    lines += [f"  {p.name:<52} {p.size / mb:7.0f} MB {p.files:6} files {p.size / total:5.0%}"
              for p in parts]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("bundle", type=Path, help="the bundle's folder (dist/csu-console)")
    p.add_argument("--markdown", action="store_true", help="a table for the README")
    args = p.parse_args(argv)
    if not args.bundle.is_dir():
        sys.stderr.write(f"no bundle at {args.bundle}: build it first "
                         "(packaging/build_bundle.sh)\n")
        return 1
    sys.stdout.write(report(args.bundle, args.markdown) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
