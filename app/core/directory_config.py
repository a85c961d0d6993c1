"""`[auth.ldap]`: signing users in against the town's directory (LDAP / Active Directory),
and the one rule that turns a person's directory groups into a role and communes.

Two ways to find the person, exactly one per site:
- `user_dn`, a template such as "uid={login},ou=people,dc=ville,dc=fr": the console binds
  as that DN with the typed password (OpenLDAP directories where the DN follows the login);
- `base_dn` + `user_filter`, searched with a service account (`bind_dn`, its password in
  the keyring under `bind_password_secret`), then a bind as the DN found (Active Directory,
  where a DN is "CN=Alice Martin,OU=..." and people sign in with their sAMAccountName).

Their groups come from the person's `memberOf` (Active Directory, OpenLDAP's memberof
overlay) or from a search of the groups whose `member` is the person (`groups_from`).

Why a role is the HIGHEST among the groups and communes the UNION: a chief is also in the
operators' group in most directories, and an intercommunal CSU puts people in one group
per commune they cover. A person in no mapped group gets no role, and may not sign in.

No password ever goes in the site file (DESIGN.md, Configuration and secrets): a key that
holds one is refused with the way to store it in the keyring instead.

    [auth.ldap]                      # Active Directory
    url = "ldaps://ad.ville.fr"
    base_dn = "DC=ville,DC=fr"
    bind_dn = "CN=svc-csu,OU=Services,DC=ville,DC=fr"
    bind_password_secret = "annuaire-csu"   # csu-console secret set annuaire-csu
    groups = [
      { group = "GG-CSU-Operateurs", role = "operator" },
      { group = "GG-CSU-Chefs", role = "chief" },
      { group = "GG-Commune-Vence", communes = ["Vence"] },
    ]

AD's nested groups: groups_from = "search" with group_filter =
"(member:1.2.840.113556.1.4.1941:={dn})" (LDAP_MATCHING_RULE_IN_CHAIN) finds every group
the person is in through other groups too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from app.core.access import ALL_COMMUNES, Role

DEFAULT_USER_FILTER = "(&(objectClass=person)(|(uid={login})(sAMAccountName={login})))"
DEFAULT_GROUP_FILTER = "(member={dn})"  # groupOfNames (OpenLDAP) and AD's groups alike
_UNESCAPED = r"(?<!\\)"  # a separator not escaped by a backslash (RFC 4514)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GroupRole(_Strict):
    """One directory group: the role it gives, the communes it opens, or both (a site may
    keep roles and territories in separate groups). `group`: its DN or its bare cn."""

    group: str = Field(min_length=1)
    role: Role | None = None
    communes: tuple[str, ...] = ()  # ["*"]: every commune of the site

    @field_validator("communes")
    @classmethod
    def _communes(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        if any(not c.strip() for c in v):
            raise ValueError("a commune's name cannot be empty")
        return tuple(c.strip() for c in v)

    @model_validator(mode="after")
    def _gives_something(self) -> GroupRole:
        if self.role is None and not self.communes:
            raise ValueError(f"group {self.group!r} gives neither a role nor communes: "
                             "give role = \"operator\" (or chief, admin, viewer), "
                             "communes = [...], or both")
        return self


class DirectoryConfig(_Strict):
    """`[auth.ldap]` of the site file (see the module's docstring for the two ways)."""

    url: str  # ldap://host[:port] or ldaps://host[:port]
    start_tls: bool = False  # upgrade ldap:// to TLS before any password is sent
    ca_file: str | None = None  # the CA (PEM) that signed the server's certificate; default:
    #                             the workstation's trusted CAs
    user_dn: str | None = None
    base_dn: str | None = None
    user_filter: str = DEFAULT_USER_FILTER
    bind_dn: str | None = None
    bind_password_secret: str | None = None  # `csu-console secret set <bind_password_secret>`
    name_attribute: str = Field("displayName", min_length=1)  # else cn, else the login
    groups_from: Literal["memberOf", "search"] = "memberOf"
    group_attribute: str = Field("memberOf", min_length=1)  # isMemberOf on 389-DS / Oracle
    group_filter: str = DEFAULT_GROUP_FILTER  # groups_from = "search": under base_dn
    groups: tuple[GroupRole, ...] = Field(min_length=1)
    timeout_s: float = Field(5, gt=0, le=60)  # for each exchange with the server

    @model_validator(mode="before")
    @classmethod
    def _no_password_in_the_file(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key in data:
                if isinstance(key, str) and _looks_like_a_password(key):
                    raise ValueError(
                        f"{key}: a password never goes in the site file. Store it in the "
                        "keyring (`csu-console secret set NAME`, NAME of your choice) and "
                        "give NAME as bind_password_secret")
        return data

    @field_validator("url")
    @classmethod
    def _url(cls, v: str) -> str:
        try:
            parts = urlsplit(v)
            port = parts.port
        except ValueError as exc:
            raise ValueError(f"{v!r} is not a directory URL ({exc})") from None
        if parts.scheme not in ("ldap", "ldaps"):
            raise ValueError(f"{v!r}: a directory URL starts with ldap:// or ldaps:// "
                             "(e.g. ldaps://annuaire.ville.fr)")
        if "@" in parts.netloc:
            raise ValueError("the URL holds a login or a password: give the service account "
                             "as bind_dn and its password's keyring name as "
                             "bind_password_secret")
        if not parts.hostname:
            raise ValueError(f"{v!r}: no server name after {parts.scheme}://")
        if parts.path not in ("", "/") or parts.query or parts.fragment:
            raise ValueError(f"{v!r}: only the server and its port, e.g. "
                             f"{parts.scheme}://{parts.hostname}{f':{port}' if port else ''}; "
                             "the base DN goes in base_dn")
        return v

    @field_validator("user_dn")
    @classmethod
    def _user_dn(cls, v: str | None) -> str | None:
        if v is not None and "{login}" not in v:
            raise ValueError("user_dn needs {login} where the typed login goes, e.g. "
                             "\"uid={login},ou=people,dc=ville,dc=fr\"")
        return v

    @field_validator("user_filter")
    @classmethod
    def _user_filter(cls, v: str) -> str:
        if "{login}" not in v or not (v.startswith("(") and v.endswith(")")):
            raise ValueError("user_filter is an LDAP filter in parentheses with {login} where "
                             f"the typed login goes, e.g. {DEFAULT_USER_FILTER}")
        return v

    @field_validator("group_filter")
    @classmethod
    def _group_filter(cls, v: str) -> str:
        if "{dn}" not in v or not (v.startswith("(") and v.endswith(")")):
            raise ValueError("group_filter is an LDAP filter in parentheses with {dn} where "
                             f"the person's DN goes, e.g. {DEFAULT_GROUP_FILTER}")
        return v

    @model_validator(mode="after")
    def _one_way(self) -> DirectoryConfig:
        if self.start_tls and self.tls_from_start:
            raise ValueError("start_tls is for ldap:// URLs: ldaps:// is TLS from the start; "
                             "remove start_tls or use ldap://")
        if self.ca_file and not (self.start_tls or self.tls_from_start):
            raise ValueError("ca_file is only used with TLS: use an ldaps:// URL or "
                             "start_tls = true")
        if self.user_dn and self.bind_dn:
            raise ValueError("give either user_dn (the console binds as each person's DN) or "
                             "bind_dn with base_dn (it searches for them with a service "
                             "account), not both")
        if not self.user_dn and not self.bind_dn:
            raise ValueError("say how to find a person: user_dn = \"uid={login},ou=people,"
                             "dc=...\", or bind_dn + bind_password_secret + base_dn to "
                             "search with a service account")
        if self.bind_dn and not self.bind_password_secret:
            raise ValueError("bind_dn needs bind_password_secret: the keyring name of the "
                             "service account's password (`csu-console secret set NAME`)")
        if self.bind_password_secret and not self.bind_dn:
            raise ValueError("bind_password_secret without bind_dn: name the service account "
                             "too, or remove both and use user_dn")
        if self.bind_dn and not self.base_dn:
            raise ValueError("bind_dn needs base_dn: where to search for people, e.g. "
                             "\"ou=people,dc=ville,dc=fr\"")
        if not any(m.communes for m in self.groups):
            raise ValueError("no group gives communes, so no one could sign in: on a "
                             "one-town site write communes = [\"*\"] on the role groups")
        if not any(m.role for m in self.groups):
            raise ValueError("no group gives a role, so no one could sign in: give role = "
                             "\"operator\" (or chief, admin, viewer) to some groups")
        if self.groups_from == "search" and not self.base_dn:
            raise ValueError("groups_from = \"search\" needs base_dn: where to search for "
                             "the groups")
        return self

    @property
    def tls_from_start(self) -> bool:
        return urlsplit(self.url).scheme == "ldaps"

    @property
    def searches(self) -> bool:
        """True: the person is searched with the service account; False: direct bind."""
        return self.bind_dn is not None


def _looks_like_a_password(key: str) -> bool:
    """`password`, `bind_password`, `passwd`, `pwd`... but not a keyring name (`*_secret`)."""
    low = key.lower()
    return not low.endswith("_secret") and any(w in low for w in ("password", "passwd", "pwd"))


def normalise_dn(dn: str) -> str:
    """A DN in one spelling: attribute names and values in lower case, no spaces around
    the separators ("CN=CSU-Chefs, OU=Groupes" -> "cn=csu-chefs,ou=groupes"). Escaped
    separators (\\, and \\+) stay inside their value."""
    rdns = re.split(_UNESCAPED + ",", dn.strip())
    out = []
    for rdn in rdns:
        pairs = re.split(_UNESCAPED + r"\+", rdn)
        norm = []
        for pair in pairs:
            attr, sep, value = pair.partition("=")
            norm.append(f"{attr.strip().lower()}{sep}{value.strip().lower()}")
        out.append("+".join(norm))
    return ",".join(out)


def group_matches(wanted: str, dn: str) -> bool:
    """Does the directory's group `dn` match `wanted` from the site file (a DN, or a bare
    cn matched against the first part of the group's DN)?"""
    if "=" not in wanted:
        first = re.split(_UNESCAPED + ",", dn.strip(), maxsplit=1)[0]
        attr, _, value = first.partition("=")
        return attr.strip().lower() == "cn" and value.strip().lower() == wanted.strip().lower()
    return normalise_dn(wanted) == normalise_dn(dn)


def role_of(config: DirectoryConfig,
            group_dns: Iterable[str]) -> tuple[Role, tuple[str, ...]] | None:
    """The role and communes the person's groups give: the highest role, the union of the
    communes (ALL_COMMUNES alone when one group opens them all). None: no mapped group
    gives a role, or none gives a commune: the person may not sign in."""
    dns = list(group_dns)
    matched = [m for m in config.groups if any(group_matches(m.group, dn) for dn in dns)]
    roles = [m.role for m in matched if m.role is not None]
    communes = {c for m in matched for c in m.communes}
    if not roles or not communes:
        return None
    role = max(roles, key=lambda r: r.rank)
    if ALL_COMMUNES in communes:
        return role, (ALL_COMMUNES,)
    return role, tuple(sorted(communes))
