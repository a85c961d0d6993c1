"""The set-up assistant's draft without a window: typed values -> TOML -> load_site gives the
site typed (several adapters, a secret's keyring name, a room's PostgreSQL journal); what
check-config refuses is refused before anything is written; the file is whole or absent;
the first administrator can sign in; a cancelled run takes its secrets back."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from app.core.access import Role
from app.core.registry import discover
from app.core.secrets import get_secret, has_secret, set_secret
from app.core.site import load_site
from app.main import main
from app.services.sign_in import SignIn, SignInRefused
from app.services.site_draft import (
    AdapterDraft,
    AdminDraft,
    DraftError,
    JournalDraft,
    SecretStash,
    SiteDraft,
    adapter_config,
    check_draft,
    finish,
    journal_where,
    site_problems,
)
from app.services.site_form import UNSET, FieldError, form_fields, parse_value

REGISTRY = discover()
ADMIN = AdminDraft("chef.admin", "Claire Admin", "un-long-mot-de-passe")


@pytest.fixture(autouse=True)
def own_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """This test's own data folder: the embedded journal the assistant opens is its own."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def draft(**changes: object) -> SiteDraft:
    d = SiteDraft(name="Ville d'Essai — CSU", communes=["Essai", "Voisine"],
                  center=(45.75, 4.85), zoom=14)
    d.adapters = [
        AdapterDraft("owntracks", "téléphones", {
            "host": "10.0.0.5", "port": 8883, "username": "csu",
            "password_secret": "mqtt-essai", "accept_unknown": True}),
        AdapterDraft("webhook", "alarmes-web", {"port": 18089, "hmac_secret": "hook-essai"}),
        AdapterDraft("demo", "simulateur", {"commune": "Essai", "video": False}),
    ]
    for key, value in changes.items():
        setattr(d, key, value)
    return d


def test_draft_round_trips_through_toml_and_load_site(tmp_path: Path) -> None:
    d = draft(journal=JournalDraft("postgresql://csu@db.essai.local:5433/csu",
                                   "journal-essai"))
    path = tmp_path / "site.toml"
    path.write_text(d.toml(), encoding="utf-8")
    site = load_site(path, REGISTRY)
    assert site.site.name == "Ville d'Essai — CSU"
    assert site.site.communes == ["Essai", "Voisine"]
    assert site.map.center == (45.75, 4.85)
    assert site.map.zoom == 14
    assert [(a.kind, a.name) for a in site.adapters] == [
        ("owntracks", "téléphones"), ("webhook", "alarmes-web"), ("demo", "simulateur")]
    mqtt = site.adapters[0]
    assert (mqtt.host, mqtt.port, mqtt.password_secret, mqtt.accept_unknown) == (  # type: ignore[attr-defined]
        "10.0.0.5", 8883, "mqtt-essai", True)
    assert site.adapters[1].hmac_secret == "hook-essai"  # type: ignore[attr-defined]
    assert site.adapters[2].commune == "Essai"
    assert site.journal is not None
    assert site.journal.url == "postgresql://csu@db.essai.local:5433/csu"
    assert site.journal.password_secret == "journal-essai"
    assert journal_where(site).shared
    # only what was typed: the adapters' defaults are not copied into the file
    table = tomllib.loads(path.read_text(encoding="utf-8"))["adapters"][1]
    assert table == {"kind": "webhook", "name": "alarmes-web", "port": 18089,
                     "hmac_secret": "hook-essai"}


def test_embedded_journal_writes_no_journal_table(tmp_path: Path) -> None:
    data = tomllib.loads(draft().toml())
    assert "journal" not in data
    site = check_draft(draft(), tmp_path / "site.toml", REGISTRY)
    assert site.journal is None
    assert journal_where(site).path is not None


def test_tile_server_becomes_the_base_layer(tmp_path: Path) -> None:
    site = check_draft(draft(tile_url="http://tiles.essai/{z}/{x}/{y}.png"),
                       tmp_path / "s.toml", REGISTRY)
    assert site.map.base == site.map.tiles[0].name
    assert site.map.tiles[0].url == "http://tiles.essai/{z}/{x}/{y}.png"


def test_what_check_config_refuses_is_refused_before_writing(tmp_path: Path) -> None:
    d = draft()
    d.adapters[0].values["devices"] = {"alice/phone": "pm99"}  # no officer pm99 anywhere
    d.adapters[2].values["commune"] = "Ailleurs"  # not one of [site] communes
    path = tmp_path / "site.toml"
    with pytest.raises(DraftError) as caught:
        finish(d, ADMIN, path, REGISTRY)
    text = "\n".join(caught.value.problems)
    assert "pm99" in text
    assert "téléphones" in text
    assert "Ailleurs" in text
    assert not path.exists()


def test_site_page_checks() -> None:
    assert site_problems(draft()) == []
    bad = site_problems(draft(name=" ", communes=["A", "A"], tile_url="http://t/x.png"))
    assert len(bad) == 3
    assert any("name" in p for p in bad)
    assert any("twice" in p for p in bad)
    assert any("{z}" in p for p in bad)


def test_adapter_config_says_which_key_is_wrong(tmp_path: Path) -> None:
    with pytest.raises(DraftError) as caught:
        adapter_config(AdapterDraft("owntracks", "t", {"port": 70000}), REGISTRY, tmp_path)
    assert caught.value.problems[0].startswith("port:")
    with pytest.raises(DraftError, match="name"):
        adapter_config(AdapterDraft("owntracks", " "), REGISTRY, tmp_path)
    with pytest.raises(DraftError, match="not installed"):
        adapter_config(AdapterDraft("nope", "x"), REGISTRY, tmp_path)


def test_form_fields_come_from_the_config_model() -> None:
    entry = REGISTRY["webhook"]
    assert entry.cls is not None
    fields = {f.key: f for f in form_fields(entry.cls.Config)}
    assert "kind" not in fields
    assert "name" not in fields
    assert fields["hmac_secret"].kind == "secret"
    assert fields["hmac_secret"].required
    assert fields["port"].kind == "int"
    assert fields["port"].default_text == "8089"
    assert fields["devices"].kind == "toml"
    owntracks = REGISTRY["owntracks"].cls
    assert owntracks is not None
    ot = {f.key: f for f in form_fields(owntracks.Config)}
    assert ot["tls"].kind == "bool"
    assert ot["username"].optional
    assert parse_value(ot["port"], "") is UNSET
    assert parse_value(ot["port"], "1884") == 1884
    assert parse_value(ot["tls"], False) is UNSET  # the default: not written
    assert parse_value(ot["tls"], True) is True
    assert parse_value(ot["devices"], '{ "a/b" = "pm1" }') == {"a/b": "pm1"}
    with pytest.raises(FieldError, match="whole number"):
        parse_value(ot["port"], "huit")
    with pytest.raises(FieldError, match="TOML"):
        parse_value(ot["devices"], "{ oops")
    with pytest.raises(FieldError, match="required"):
        parse_value(fields["hmac_secret"], "")


def test_finish_writes_the_file_and_the_administrator_signs_in(tmp_path: Path) -> None:
    path = tmp_path / "conf" / "site.toml"
    site = finish(draft(), ADMIN, path, REGISTRY)
    assert path.is_file()
    assert not path.with_name("site.toml.tmp").exists()
    assert main(["check-config", str(path)]) == 0
    from app.store.opening import open_store

    store, _ = open_store(journal_where(site))
    try:
        user = SignIn(store).sign_in("chef.admin", "un-long-mot-de-passe", "poste-1")
        assert user.role is Role.ADMIN
        assert user.name == "Claire Admin"
        with pytest.raises(SignInRefused):
            SignIn(store).sign_in("chef.admin", "pas-le-bon-mot-de-passe", "poste-1")
        added = [a for a in store.actions() if a.action == "user_added"]
        assert len(added) == 1
        assert added[0].actor.startswith("os:")
    finally:
        store.close()


def test_an_administrator_that_cannot_be_made_leaves_no_file(tmp_path: Path) -> None:
    path = tmp_path / "site.toml"
    finish(draft(), ADMIN, path, REGISTRY)
    before = path.read_text(encoding="utf-8")
    changed = draft(zoom=9)
    with pytest.raises(DraftError, match="already an account"):  # same journal, same login
        finish(changed, ADMIN, path, REGISTRY)
    assert path.read_text(encoding="utf-8") == before  # the earlier file, as it was
    other = tmp_path / "other.toml"
    with pytest.raises(DraftError, match="already an account"):
        finish(draft(), ADMIN, other, REGISTRY)
    assert not other.exists()


def test_finish_on_a_rooms_new_postgresql_database(tmp_path: Path, pg_url: str,
                                                   pg_server: object) -> None:
    set_secret("journal-room-test", pg_server.password)  # type: ignore[attr-defined]
    d = draft(journal=JournalDraft(pg_url, "journal-room-test"))
    site = finish(d, ADMIN, tmp_path / "site.toml", REGISTRY)
    from app.store.opening import journal_password, open_store

    store, _ = open_store(journal_where(site), journal_password(site))
    try:
        assert SignIn(store).sign_in("chef.admin", ADMIN.password, "poste-2").role is Role.ADMIN
    finally:
        store.close()


def test_a_cancelled_run_takes_its_secrets_back() -> None:
    set_secret("stash-old", "ancienne valeur")
    stash = SecretStash()
    stash.put("stash-new", "nouvelle")
    stash.put("stash-old", "remplacée")
    stash.put("stash-old", "remplacée deux fois")
    assert get_secret("stash-old") == "remplacée deux fois"
    stash.rollback()
    assert not has_secret("stash-new")
    assert get_secret("stash-old") == "ancienne valeur"


def test_a_finished_run_keeps_its_secrets() -> None:
    stash = SecretStash()
    stash.put("stash-kept", "gardée")
    stash.keep()
    stash.rollback()
    assert get_secret("stash-kept") == "gardée"
