"""`csu-console verify EXPORT [--certificate CERT]`, run as a recipient runs it: one line
per check (✓/✗, the part, plain words), the conclusion last, exit 0 or 1, and never a
traceback, whatever is handed to it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.core.evidence import CERTIFICATE
from app.services.evidence.keys import ExportKey, init_export_key, load_export_key
from tests.integration.evidence_rig import VIDEO, flip_byte, make_package, signing_site
from tests.unit.cli_run import csu


@pytest.fixture(scope="module")
def key(tmp_path_factory: pytest.TempPathFactory) -> ExportKey:
    site = signing_site(tmp_path_factory.mktemp("site"))
    init_export_key(site)
    return load_export_key(site)


@pytest.fixture
def package(tmp_path: Path, key: ExportKey) -> Path:
    (tmp_path / "package").mkdir()
    return make_package(tmp_path / "package", key)


def test_a_good_package_and_its_zip_verify(package: Path, tmp_path: Path) -> None:
    out = csu("verify", str(package), "--certificate", str(package / CERTIFICATE))
    assert out.returncode == 0, out.stdout + out.stderr
    lines = out.stdout.splitlines()
    assert f"✓ {VIDEO}: SHA-256 and size (16384 bytes) as in the manifest" in lines
    assert any(line.startswith("✓ signature: valid over manifest.json") for line in lines)
    assert lines[-1].startswith("The package is intact and signed by Ville-Témoin — CSU "
                                "export on 20")
    archive = shutil.make_archive(str(tmp_path / "export"), "zip", package.parent,
                                  package.name)
    zipped = csu("verify", archive)
    assert zipped.returncode == 0, zipped.stdout + zipped.stderr
    assert "compare the signer's SHA-256 fingerprint" in zipped.stdout


def test_a_changed_file_is_named_and_exits_1(package: Path) -> None:
    flip_byte(package / VIDEO)
    out = csu("verify", str(package))
    assert out.returncode == 1
    assert f"✗ {VIDEO}: its SHA-256 differs from the manifest's: the file was changed" \
        in out.stdout.splitlines()
    assert out.stdout.splitlines()[-1] == \
        f"The package does NOT verify: 1 problem ({VIDEO})."
    assert "Traceback" not in out.stdout + out.stderr


@pytest.mark.parametrize("given", ["missing", "garbage.zip", "empty-folder"])
def test_what_is_not_a_package_is_said_without_a_traceback(tmp_path: Path, given: str
                                                           ) -> None:
    path = tmp_path / given
    if given == "garbage.zip":
        path.write_bytes(b"PK\x03\x04 not really a zip")
    elif given == "empty-folder":
        path.mkdir()
    out = csu("verify", str(path))
    assert out.returncode == 1
    assert "Traceback" not in out.stdout + out.stderr
    assert "does NOT verify" in out.stdout
