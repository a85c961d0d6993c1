"""Settings the webhook adapters' configs share."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationInfo


def tls_pair_problem(cert: str | None, key: str | None) -> str | None:
    """Both TLS files or neither, in words."""
    if (cert is None) != (key is None):
        return "TLS needs both a certificate and its key file (or neither, for plain HTTP)"
    return None


def site_relative(value: str | None, info: ValidationInfo) -> str | None:
    """A file named in the site file. When the site loader says where the site file is
    (validation context `site_dir`), a relative path is taken from there, like the site's
    other paths; otherwise it is used as given (absolute, or from the working directory)."""
    if value is None:
        return None
    folder = (info.context or {}).get("site_dir") if isinstance(info.context, dict) else None
    if folder and not Path(value).is_absolute():
        return str(Path(folder) / value)
    return value
