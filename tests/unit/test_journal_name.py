"""The journal's file is named after the site with its accents transliterated
("demo-centre-..."), not dropped ("d-mo-centre-..."); a journal kept under the earlier name
stays in use."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.user_paths import file_slug, journal_path

DEMO = "Démo — Centre de Supervision Urbaine"


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    return tmp_path / "csu-console" / "journals"


def test_accents_are_transliterated_not_dropped() -> None:
    assert file_slug(DEMO) == "demo-centre-de-supervision-urbaine"
    assert file_slug("Saint-Étienne — Hôtel de Ville, Cœur") == "saint-etienne-hotel-de-ville-coeur"
    assert file_slug("Ça") == "ca"
    assert file_slug("???") == "site"


def test_a_new_site_gets_the_new_name(data_home: Path) -> None:
    assert journal_path(DEMO) == data_home / "demo-centre-de-supervision-urbaine.sqlite"


def test_a_journal_under_the_earlier_name_stays_in_use(
        data_home: Path, caplog: pytest.LogCaptureFixture) -> None:
    old = data_home / "d-mo-centre-de-supervision-urbaine.sqlite"
    old.parent.mkdir(parents=True)
    old.write_bytes(b"alarms of a running site")
    caplog.set_level("INFO", logger="app.core.user_paths")
    assert journal_path(DEMO) == old
    assert "kept under its earlier name" in caplog.text
    assert old.read_bytes() == b"alarms of a running site"  # not moved, not copied
    new = data_home / "demo-centre-de-supervision-urbaine.sqlite"
    assert not new.exists()
    new.write_bytes(b"")  # both there (the old one restored from a backup): the new wins
    assert journal_path(DEMO) == new


def test_names_without_accents_are_unchanged(data_home: Path) -> None:
    assert journal_path("Ville de Test 2") == data_home / "ville-de-test-2.sqlite"
