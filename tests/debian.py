"""What a fresh Debian machine gets from `packaging/dev.sh`, and who owns a file here.

`bash packaging/dev.sh test` installs APT_PACKAGES with `--no-install-recommends`, so a
fresh machine has exactly: the base system (Essential and Priority: required packages, what
debootstrap's minbase installs), the listed packages, and what their Depends/Pre-Depends
pull in. A file the tests need that some other package owns is there only by chance on the
machine that ran CI (the `timeoverlay` / gstreamer1.0-x failure of issue 8). `Coverage`
answers "would a fresh machine have the package that owns this file?" from dpkg's own
database, and says why (which listed package pulls it in).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

DEV_SH = Path(__file__).resolve().parents[1] / "packaging" / "dev.sh"
_ARRAY = re.compile(r"\bAPT_PACKAGES\+?=\(([^)]*)\)")


def apt_packages(dev_sh: Path = DEV_SH) -> list[str]:
    """The APT_PACKAGES list as dev.sh spells it (comments dropped, `+=` appends kept)."""
    text = "\n".join(line.split("#", 1)[0] for line in dev_sh.read_text().splitlines())
    names = [name for body in _ARRAY.findall(text) for name in body.split()]
    if not names:
        raise AssertionError(f"no APT_PACKAGES=( ... ) list found in {dev_sh}")
    return names


def has_dpkg() -> bool:
    return shutil.which("dpkg-query") is not None


def _path_variants(path: str) -> list[str]:
    """The spellings dpkg may have recorded for `path`: as given, its real path, and both
    sides of merged /usr (dpkg knows /lib/x86_64-linux-gnu/libc.so.6, ldd may say /usr/lib)."""
    out: list[str] = []
    for p in (path, os.path.realpath(path)):
        out.append(p)
        for short in ("/lib", "/lib64", "/bin", "/sbin"):
            if p.startswith(short + "/"):
                out.append("/usr" + p)
            elif p.startswith("/usr" + short + "/"):
                out.append(p[len("/usr"):])
    return list(dict.fromkeys(out))


def owners(paths: Iterable[str]) -> dict[str, set[str]]:
    """{path: packages that own it (empty when no package does)}, one `dpkg -S` call."""
    wanted = {p: _path_variants(p) for p in paths}
    every = sorted({v for vs in wanted.values() for v in vs})
    found: dict[str, set[str]] = {}
    if every:
        out = subprocess.run(["dpkg-query", "-S", *every], capture_output=True, text=True,
                             check=False).stdout
        for line in out.splitlines():
            if line.startswith(("diversion by", "local diversion")) or ": " not in line:
                continue
            pkgs, _, owned = line.partition(": ")
            found.setdefault(owned.strip(), set()).update(
                p.strip().split(":")[0] for p in pkgs.split(","))
    return {p: set().union(*(found.get(v, set()) for v in vs)) for p, vs in wanted.items()}


@dataclass
class _Pkg:
    name: str
    base: bool = False
    deps: list[str] = field(default_factory=list)      # the first alternative of each group
    provides: list[str] = field(default_factory=list)


def _installed() -> dict[str, _Pkg]:
    fmt = "${Package}\t${Priority}\t${Essential}\t${Pre-Depends}\t${Depends}\t${Provides}\n"
    out = subprocess.run(["dpkg-query", "-W", "-f", fmt], capture_output=True, text=True,
                         check=True).stdout
    pkgs: dict[str, _Pkg] = {}
    for line in out.splitlines():
        name, prio, essential, pre, deps, provides = (line.split("\t") + [""] * 6)[:6]
        pkg = pkgs.setdefault(name, _Pkg(name))
        pkg.base = pkg.base or prio == "required" or essential == "yes"
        for group in ", ".join(g for g in (pre, deps) if g).split(","):
            # apt installs the FIRST alternative on a fresh machine, not the one this
            # machine happens to have
            first = group.split("|")[0].strip().split(" ")[0].split(":")[0]
            if first:
                pkg.deps.append(first)
        pkg.provides += [p.strip().split(" ")[0] for p in provides.split(",") if p.strip()]
    return pkgs


class Coverage:
    """Which installed packages a fresh machine would have after dev.sh, and why."""

    def __init__(self, listed: Iterable[str]) -> None:
        self.listed = list(listed)
        pkgs = _installed()
        providers: dict[str, list[str]] = {}
        for pkg in pkgs.values():
            for virtual in pkg.provides:
                providers.setdefault(virtual, []).append(pkg.name)
        self.why: dict[str, str] = {}
        todo: deque[str] = deque()
        for name in self.listed:
            self.why.setdefault(name, "in APT_PACKAGES")
            todo.append(name)
        for pkg in pkgs.values():
            if pkg.base and pkg.name not in self.why:
                self.why[pkg.name] = "base system (Essential or Priority: required)"
                todo.append(pkg.name)
        while todo:
            name = todo.popleft()
            pkg = pkgs.get(name)
            for dep in pkg.deps if pkg else ():
                for real in [dep] if dep in pkgs else providers.get(dep, []):
                    if real not in self.why:
                        self.why[real] = f"Depends of {name} ({self.why[name]})"
                        todo.append(real)

    def reason(self, package: str) -> str | None:
        """Why a fresh machine has `package`, or None when it would not."""
        return self.why.get(package)

    def covers(self, packages: set[str]) -> bool:
        return any(p in self.why for p in packages)


def gstreamer_element_packages() -> dict[str, set[str]]:
    """{element: Debian packages whose metadata says they ship it}, from apt's own lists
    (Debian's GStreamer plugin packages carry a `Gstreamer-Elements:` field), so an element
    missing from this machine can still be named with its package. Empty without apt."""
    if shutil.which("apt-cache") is None:
        return {}
    names = subprocess.run(["apt-cache", "pkgnames", "gstreamer1.0-"], capture_output=True,
                           text=True, check=False).stdout.split()
    if not names:
        return {}
    out = subprocess.run(["apt-cache", "show", *sorted(set(names))], capture_output=True,
                         text=True, check=False).stdout
    found: dict[str, set[str]] = {}
    for record in out.split("\n\n"):
        package = re.search(r"^Package: (\S+)", record, re.M)
        elements = re.search(r"^Gstreamer-Elements: (.*)$", record, re.M)
        if package and elements:
            for element in elements.group(1).split(","):
                found.setdefault(element.strip(), set()).add(package.group(1))
    return found


def uncovered(items: dict[str, str], coverage: Coverage) -> list[str]:
    """Lines naming each {what: path} whose owning package a fresh machine would lack."""
    owned = owners(items.values())
    problems = []
    for what, path in sorted(items.items()):
        pkgs = owned[path]
        if not pkgs:
            problems.append(f"{what}: {path} belongs to no Debian package (dpkg -S): "
                            "install it from a package and add that package to APT_PACKAGES")
        elif not coverage.covers(pkgs):
            problems.append(f"{what}: {path} is in Debian package {' or '.join(sorted(pkgs))}, "
                            f"which packaging/dev.sh's APT_PACKAGES neither lists nor pulls in "
                            f"(add {sorted(pkgs)[0]} to the list)")
    return problems
