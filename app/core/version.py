"""The console's version, as installed (the service's log, an export's manifest)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version


def console_version() -> str:
    try:
        return version("csu-console")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"
