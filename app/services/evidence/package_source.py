"""Reading a package for verification: its folder, or its ZIP in place (never extracted).

Both give the same view: relative '/' paths of the files, bounded reads and streamed
hashes. A path from the manifest is refused when it could leave the package ("..",
absolute, a drive letter), so a forged manifest cannot make `verify` read /etc/shadow; a
read stops one byte past what the manifest declared, so a forged ZIP cannot make it read
forever.
"""

from __future__ import annotations

import hashlib
import zipfile
import zlib
from pathlib import Path, PurePosixPath
from typing import IO, Protocol

from app.core.evidence import MANIFEST, EvidenceError, package_path

CHUNK = 1 << 20
# what a damaged file or ZIP raises while it is read (zlib: a damaged deflate stream;
# RuntimeError: an encrypted entry; NotImplementedError: an unknown compression)
_READ_ERRORS = (OSError, zipfile.BadZipFile, zlib.error, EOFError, RuntimeError,
                NotImplementedError, ValueError)


class Unreadable(EvidenceError):
    """A file of the package that cannot be read to its end (damaged, or the ZIP is)."""


class PackageSource(Protocol):
    where: str

    def names(self) -> set[str]: ...

    def has(self, name: str) -> bool: ...

    def open(self, name: str) -> IO[bytes]: ...

    def close(self) -> None: ...


def safe_name(name: str) -> str:
    """`name` if it stays inside the package, else EvidenceError in plain words."""
    parts = PurePosixPath(name).parts
    if (not name or name.startswith(("/", "\\")) or "\\" in name or ".." in parts
            or (parts and ":" in parts[0])):
        raise EvidenceError(f"the manifest names a file outside the package: {name}")
    return name


def read_bounded(source: PackageSource, name: str, limit: int) -> bytes:
    safe_name(name)
    try:
        with source.open(name) as f:
            data = f.read(limit + 1)
    except _READ_ERRORS as exc:
        raise Unreadable(f"{name} cannot be read: {exc}") from None
    if len(data) > limit:
        raise EvidenceError(f"{name} is larger than {limit} bytes: not a file of a package")
    return data


def hash_bounded(source: PackageSource, name: str, limit: int) -> tuple[str, int]:
    """SHA-256 and size of `name`, reading at most limit + 1 bytes."""
    digest, size = hashlib.sha256(), 0
    safe_name(name)
    try:
        with source.open(name) as f:
            while size <= limit:
                chunk = f.read(min(CHUNK, limit + 1 - size))
                if not chunk:
                    break
                digest.update(chunk)
                size += len(chunk)
    except _READ_ERRORS as exc:
        raise Unreadable(f"cannot be read to its end: {exc}") from None
    return digest.hexdigest(), size


class FolderSource:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.where = str(root)

    def names(self) -> set[str]:
        return {p.relative_to(self.root).as_posix() for p in self.root.rglob("*")
                if p.is_file()}

    def has(self, name: str) -> bool:
        return package_path(self.root, safe_name(name)).is_file()

    def open(self, name: str) -> IO[bytes]:
        return package_path(self.root, name).open("rb")

    def close(self) -> None:
        pass


class ZipSource:
    """A ZIP of the package: the files at its root, or in one folder at its root. Entry
    names written with backslashes (Windows PowerShell 5's Compress-Archive does) are read
    as '/' paths."""

    def __init__(self, path: Path) -> None:
        self.where = str(path)
        try:
            self.zip = zipfile.ZipFile(path)
            infos = self.zip.infolist()
        except _READ_ERRORS as exc:
            raise EvidenceError(f"{path} cannot be opened as a ZIP: {exc}") from None
        entries = {i.filename.replace("\\", "/"): i for i in infos if not i.is_dir()}
        tops = {n.split("/", 1)[0] for n in entries if n.endswith("/" + MANIFEST)
                and n.count("/") == 1}
        prefix = "" if MANIFEST in entries or len(tops) != 1 else tops.pop() + "/"
        self._entries = {n[len(prefix):]: i for n, i in entries.items()
                         if n.startswith(prefix)}

    def names(self) -> set[str]:
        return set(self._entries)

    def has(self, name: str) -> bool:
        return safe_name(name) in self._entries

    def open(self, name: str) -> IO[bytes]:
        if name not in self._entries:
            raise FileNotFoundError(name)
        return self.zip.open(self._entries[name])

    def close(self) -> None:
        self.zip.close()


def open_package(path: Path) -> PackageSource:
    if path.is_dir():
        return FolderSource(path)
    if path.is_file():
        return ZipSource(path)
    raise EvidenceError(f"there is no package at {path} (give its folder or its .zip)")
