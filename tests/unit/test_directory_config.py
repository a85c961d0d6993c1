"""`[auth.ldap]` (app/core/directory_config.py): an installer's mistakes are refused with
words that say what to write instead, and a person's groups give the role and communes the
site file says (the highest role, the union of the communes)."""

from __future__ import annotations

import tomllib
from typing import Any

import pytest
from pydantic import ValidationError

from app.core.access import ALL_COMMUNES, Role
from app.core.directory_config import (
    DirectoryConfig,
    group_matches,
    normalise_dn,
    role_of,
)
from app.core.plain_errors import plain_problems

GROUPS = [
    {"group": "cn=csu-operateurs,ou=groups,dc=ville,dc=fr", "role": "operator"},
    {"group": "CN=CSU-Chefs, OU=Groups, DC=ville, DC=fr", "role": "chief"},
    {"group": "csu-admins", "role": "admin", "communes": ["*"]},
    {"group": "csu-liaison", "role": "viewer"},
    {"group": "commune-vence", "communes": ["Vence"]},
    {"group": "commune-cagnes", "communes": ["Cagnes-sur-Mer"]},
]
DIRECT = {"url": "ldap://annuaire.ville.fr", "user_dn": "uid={login},ou=people,dc=ville,dc=fr",
          "groups": GROUPS}
SEARCH = {"url": "ldaps://ad.ville.fr:636", "base_dn": "dc=ville,dc=fr",
          "bind_dn": "CN=svc-csu,OU=Services,DC=ville,DC=fr",
          "bind_password_secret": "annuaire-csu", "groups": GROUPS}


def problems(**data: Any) -> str:
    with pytest.raises(ValidationError) as info:
        DirectoryConfig.model_validate(data)
    return "\n".join(f"{'.'.join(map(str, loc))}: {text}"
                     for loc, text in plain_problems(info.value, DirectoryConfig))


def test_both_ways_are_accepted_from_toml() -> None:
    text = """
url = "ldaps://ad.ville.fr"
base_dn = "dc=ville,dc=fr"
bind_dn = "CN=svc-csu,OU=Services,DC=ville,DC=fr"
bind_password_secret = "annuaire-csu"
groups = [
  { group = "csu-operateurs", role = "operator", communes = ["Vence"] },
  { group = "csu-chefs", role = "chief", communes = ["*"] },
]
"""
    config = DirectoryConfig.model_validate(tomllib.loads(text))
    assert config.searches
    assert config.tls_from_start
    assert config.groups_from == "memberOf"
    assert config.groups[1].role is Role.CHIEF
    assert config.timeout_s == 5
    direct = DirectoryConfig.model_validate(DIRECT)
    assert not direct.searches
    assert not direct.tls_from_start


def test_both_ways_at_once_is_refused_clearly() -> None:
    text = problems(**{**DIRECT, **SEARCH, "user_dn": DIRECT["user_dn"]})
    assert "either user_dn" in text
    assert "not both" in text


def test_neither_way_is_refused_with_both_ways_named() -> None:
    text = problems(url="ldap://a", groups=GROUPS)
    assert "user_dn" in text
    assert "bind_dn" in text


@pytest.mark.parametrize(("change", "words"), [
    ({"bind_password_secret": None}, "bind_dn needs bind_password_secret"),
    ({"base_dn": None}, "bind_dn needs base_dn"),
])
def test_the_search_way_needs_all_its_keys(change: dict[str, Any], words: str) -> None:
    assert words in problems(**{**SEARCH, **change})


@pytest.mark.parametrize("key", ["password", "bind_password", "Bind_Passwd", "pwd"])
def test_a_password_in_the_file_is_refused_with_the_keyring_way(key: str) -> None:
    text = problems(**{**SEARCH, key: "Azerty123!"})
    assert "a password never goes in the site file" in text
    assert "csu-console secret set" in text
    assert "bind_password_secret" in text
    assert "Azerty123!" not in text  # the refusal does not repeat it either


@pytest.mark.parametrize(("url", "words"), [
    ("http://annuaire.ville.fr", "starts with ldap:// or ldaps://"),
    ("annuaire.ville.fr", "starts with ldap:// or ldaps://"),
    ("ldap://", "no server name"),
    ("ldap://svc:Azerty@annuaire.ville.fr", "holds a login or a password"),
    ("ldap://annuaire.ville.fr/dc=ville,dc=fr", "the base DN goes in base_dn"),
    ("ldap://annuaire.ville.fr:99999", "is not a directory URL"),
])
def test_a_bad_url_is_refused(url: str, words: str) -> None:
    text = problems(**{**DIRECT, "url": url})
    assert text.startswith("url: "), text
    assert words in text, text
    assert "Azerty" not in text


def test_tls_options_that_cannot_work_are_refused() -> None:
    assert "start_tls is for ldap://" in problems(**{**SEARCH, "start_tls": True})
    assert "ca_file is only used with TLS" in problems(**{**DIRECT, "ca_file": "ca.pem"})
    DirectoryConfig.model_validate({**DIRECT, "start_tls": True, "ca_file": "ca.pem"})


def test_templates_need_their_placeholder() -> None:
    assert "needs {login}" in problems(**{**DIRECT, "user_dn": "uid=x,dc=ville,dc=fr"})
    assert "{login}" in problems(**{**SEARCH, "user_filter": "(uid=*)"})
    assert "{dn}" in problems(**{**SEARCH, "group_filter": "(member=x)"})


def test_groups_must_give_something() -> None:
    assert "neither a role nor communes" in problems(
        **{**DIRECT, "groups": [*GROUPS, {"group": "x"}]})
    assert "no group gives communes" in problems(
        **{**DIRECT, "groups": [{"group": "x", "role": "operator"}]})
    assert "no group gives a role" in problems(
        **{**DIRECT, "groups": [{"group": "x", "communes": ["*"]}]})
    assert "one of" in problems(**{**DIRECT, "groups": [{"group": "x", "role": "boss"}]})
    assert "groups_from = \"search\" needs base_dn" in problems(
        **{**DIRECT, "groups_from": "search"})


def test_timeout_is_bounded() -> None:
    assert "timeout_s" in problems(**{**DIRECT, "timeout_s": 0})
    assert "at most 60" in problems(**{**DIRECT, "timeout_s": 600})


def test_dns_compare_whatever_the_case_and_spaces() -> None:
    assert normalise_dn(" CN=CSU-Chefs , OU=Groups,DC=ville, DC=fr") == \
        "cn=csu-chefs,ou=groups,dc=ville,dc=fr"
    assert normalise_dn(r"CN=Martin\, Alice,OU=X") == r"cn=martin\, alice,ou=x"
    assert group_matches("csu-chefs", "CN=CSU-Chefs,OU=Groups,DC=ville,DC=fr")
    assert not group_matches("csu-chefs", "OU=csu-chefs,DC=ville,DC=fr")  # a cn, not an ou
    assert not group_matches("csu", "cn=csu-chefs,ou=groups,dc=ville,dc=fr")
    assert not group_matches("cn=csu-chefs,ou=groups,dc=ville,dc=fr",
                             "cn=csu-chefs,ou=old,dc=ville,dc=fr")


def test_the_highest_role_and_the_union_of_communes() -> None:
    config = DirectoryConfig.model_validate(DIRECT)
    op = "cn=csu-operateurs,ou=groups,dc=ville,dc=fr"
    chef = "cn=csu-chefs,ou=groups,dc=ville,dc=fr"
    vence, cagnes = "cn=commune-vence,ou=groups,dc=ville,dc=fr", "cn=commune-cagnes,ou=g"
    assert role_of(config, [op, vence]) == (Role.OPERATOR, ("Vence",))
    assert role_of(config, [vence, chef.upper(), op, cagnes]) == (
        Role.CHIEF, ("Cagnes-sur-Mer", "Vence"))
    assert role_of(config, ["cn=csu-admins,ou=g", vence]) == (Role.ADMIN, (ALL_COMMUNES,))
    assert role_of(config, ["cn=csu-liaison,ou=g", cagnes]) == (Role.VIEWER, ("Cagnes-sur-Mer",))


def test_no_mapped_role_or_no_commune_may_not_sign_in() -> None:
    config = DirectoryConfig.model_validate(DIRECT)
    assert role_of(config, []) is None
    assert role_of(config, ["cn=comptabilite,ou=groups,dc=ville,dc=fr"]) is None
    assert role_of(config, ["cn=commune-vence,ou=g"]) is None  # a commune, no role
    assert role_of(config, ["cn=csu-operateurs,ou=groups,dc=ville,dc=fr"]) is None  # no commune


def test_the_service_accounts_secret_is_found_by_the_house_rule() -> None:
    """`check-config` and `secret list` find keyring names by their key (app/core/secrets.py):
    the service account's is one of them."""
    from app.core.secrets import SecretRef, secret_names

    config = DirectoryConfig.model_validate(SEARCH)
    assert secret_names(config) == [SecretRef(("bind_password_secret",), "annuaire-csu")]
    assert secret_names(DirectoryConfig.model_validate(DIRECT)) == []
