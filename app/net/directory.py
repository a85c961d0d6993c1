"""Signing a person in against the town's directory (LDAP / Active Directory) with `ldap3`:
`authenticate()` for the sign-in, `check_directory()` for `check-config --probe`.

Blocking (one exchange at a time, each bounded by `timeout_s`): call it off the GUI thread.

What it refuses, and why it refuses it here:
- an EMPTY password before any bind: a bind with a DN and no password is an
  "unauthenticated bind" (RFC 4513 5.1.2) that Active Directory and many servers answer
  with SUCCESS, as an anonymous session;
- a login that would change the DN or the filter: it is escaped (RFC 4514 for a DN,
  RFC 4515 for a filter), so `*` or `)(uid=*` or `x,ou=other` are only characters of a
  login nobody has;
- a wrong password and an unknown login with THE SAME words (no account enumeration); the
  log (never shown to the person) says which;
- a person in no mapped group (`role_of` is None).

Errors are two kinds: `DirectoryRefused` (this person may not sign in) and
`DirectoryUnreachable` (the directory could not answer: down, slow, TLS, or the console's
own service account refused; not the person's fault, and worth telling the installer).
No password ever appears in a message, an exception or the log.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from app.core.access import User
from app.core.directory_config import DirectoryConfig, role_of

log = logging.getLogger(__name__)

# What the person reads, by reason (English; the sign-in screen translates them by reason).
REFUSALS: dict[str, str] = {
    "wrong": "Wrong login or password.",  # the same words for an unknown login
    "empty": "Type your password.",
    "not_mapped": ("Your directory account does not give access to this console (it is in no "
                   "group mapped to a role and a commune): ask the CSU's administrator."),
    "expired": ("Your directory password has expired or must be changed: change it on a "
                "town workstation, then sign in here again."),
}
_INVALID_CREDENTIALS = 49
_CONFIDENTIALITY_REQUIRED = 13
# Active Directory's reason in a bind refusal ("80090308: LdapErr: DSID-0C09044E, comment:
# AcceptSecurityContext error, data 532, v4563"). Only an expired password is said to the
# person: AD gives 532 and 773 only after the right password, so they tell no stranger
# whether an account exists.
_AD_REASONS = {"525": "unknown user", "52e": "wrong password", "530": "not allowed now",
               "531": "not allowed on this workstation", "532": "password expired",
               "533": "account disabled", "701": "account expired",
               "773": "password must be changed", "775": "account locked"}
_AD_EXPIRED = ("532", "773")


def bind_refusal(code: object, message: str) -> tuple[str, str]:
    """A refused bind of a person: (the reason they read, a key of REFUSALS; what the log
    says)."""
    found = re.search(r"\bdata ([0-9a-f]{3,4})\b", message, re.I)
    data = found.group(1).lower() if found else ""
    logged = _AD_REASONS.get(data, "") or ("wrong password or unknown login"
                                           if code == _INVALID_CREDENTIALS else str(code))
    if code == _INVALID_CREDENTIALS and data in _AD_EXPIRED:
        return "expired", logged
    return "wrong", logged


class DirectoryError(Exception):
    """Plain words for the person at the sign-in (or the installer)."""


class DirectoryRefused(DirectoryError):
    """This person may not sign in; `reason` is a key of REFUSALS (its words: str())."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(REFUSALS[reason])


class DirectoryUnreachable(DirectoryError):
    """The directory could not answer the question; the person may be right."""


@dataclass(frozen=True)
class _Person:
    dn: str
    attributes: dict[str, list[str]]  # attribute names in lower case

    def first(self, name: str) -> str:
        values = self.attributes.get(name.lower()) or [""]
        return values[0]


def authenticate(config: DirectoryConfig, login: str, password: str,
                 bind_password: str | None) -> User:
    """The person behind `login` if `password` is theirs and their groups map to a role and
    communes. `bind_password`: the service account's (from the keyring), when the config
    searches for people."""
    login = login.strip()
    if not login:
        raise DirectoryRefused("wrong")
    if not password:  # never bind without one: an unauthenticated bind succeeds (RFC 4513)
        raise DirectoryRefused("empty")
    if len(login) > 256 or any(ord(c) < 32 or c == "\x7f" for c in login):
        log.warning("directory: refused a login with control characters or over 256 long")
        raise DirectoryRefused("wrong")
    from ldap3.utils.conv import escape_filter_chars
    from ldap3.utils.dn import escape_rdn

    wanted = _wanted_attributes(config)
    if config.searches:
        if not bind_password:
            raise DirectoryUnreachable(
                f"The console's directory account ({config.bind_dn}) has no password in this "
                f"workstation's keyring: store it with `csu-console secret set "
                f"{config.bind_password_secret}`.")
        with _session(config, config.bind_dn, bind_password, service=True) as service:
            found = _search(service, config, config.base_dn or "",
                            config.user_filter.replace("{login}", escape_filter_chars(login)),
                            wanted, what="the person", limit=1)
            if len(found) != 1:
                log.warning("directory: refused %r: %s", login,
                            "unknown login" if not found else "the login matches several people")
                raise DirectoryRefused("wrong")
            person = found[0]
            with _session(config, person.dn, password, login=login):
                pass  # the bind is the password check
            groups = _groups(service, config, person)
    else:
        dn = (config.user_dn or "").replace("{login}", escape_rdn(login))
        with _session(config, dn, password, login=login) as own:
            read = _search(own, config, dn, "(objectClass=*)", wanted, what="your entry",
                           scope_base=True, missing_ok=True)  # an ACL may hide it
            person = read[0] if read else _Person(dn, {})
            groups = _groups(own, config, person)
    mapped = role_of(config, groups)
    if mapped is None:
        log.warning("directory: refused %r (%s): in no mapped group giving a role and a "
                    "commune (groups: %s)", login, person.dn, "; ".join(groups) or "none")
        raise DirectoryRefused("not_mapped")
    role, communes = mapped
    name = person.first(config.name_attribute) or person.first("cn") or login
    login = _as_the_directory_spells_it(login, person)
    log.info("directory: %r signed in (%s) as %s for %s", login, person.dn, role.value,
             ", ".join(communes))
    return User(login=login, name=name, role=role, communes=communes, source="ldap")


def check_directory(config: DirectoryConfig, bind_password: str | None) -> str:
    """"" when the server answers (over TLS when configured) and, when the config searches
    for people, the service account binds and base_dn exists; else plain words for the
    installer (`check-config --probe`)."""
    try:
        if not config.searches:
            with _session(config, None, None, service=True):
                return ""
        if not bind_password:
            return (f"No password for the directory account {config.bind_dn} in this "
                    f"workstation's keyring: `csu-console secret set "
                    f"{config.bind_password_secret}`.")
        with _session(config, config.bind_dn, bind_password, service=True) as service:
            _search(service, config, config.base_dn or "", "(objectClass=*)", [],
                    what="base_dn", scope_base=True)
            return ""
    except DirectoryError as exc:
        return str(exc)


# -- inside -------------------------------------------------------------------------------

_LOGIN_ATTRIBUTES = ("uid", "sAMAccountName")


def _as_the_directory_spells_it(login: str, person: _Person) -> str:
    """Logins compare without case in a directory ("AMartin" binds as amartin): the access
    log must name one user one way, the directory's."""
    for attribute in _LOGIN_ATTRIBUTES:
        for value in person.attributes.get(attribute.lower(), []):
            if value.casefold() == login.casefold():
                return value
    return login


def _wanted_attributes(config: DirectoryConfig) -> list[str]:
    names = [config.name_attribute, "cn", *_LOGIN_ATTRIBUTES]
    if config.groups_from == "memberOf":
        names.append(config.group_attribute)
    return list(dict.fromkeys(names))


def _where(config: DirectoryConfig) -> str:
    return urlsplit(config.url).netloc


def _server(config: DirectoryConfig) -> Any:
    from ldap3 import NONE, Server
    from ldap3.core.exceptions import LDAPException

    from app.net.directory_tls import CheckedTls

    parts = urlsplit(config.url)
    tls = None
    if config.start_tls or config.tls_from_start:
        try:
            tls = CheckedTls(parts.hostname or "", config.ca_file)
        except (LDAPException, OSError):  # ssl.SSLError is an OSError: not a PEM file
            raise DirectoryUnreachable(
                f"The directory's CA file {config.ca_file} cannot be read: check ca_file in "
                "[auth.ldap] (a PEM file on this workstation).") from None
    return Server(parts.hostname, port=parts.port, use_ssl=config.tls_from_start, tls=tls,
                  get_info=NONE, connect_timeout=config.timeout_s)


@contextmanager
def _session(config: DirectoryConfig, dn: str | None, password: str | None, *,
             service: bool = False, login: str = "") -> Iterator[Any]:
    """An open, bound connection (anonymous when `dn` is None, for the probe only). A
    refused bind is the person's `DirectoryRefused`, or for the service account
    `DirectoryUnreachable`."""
    from ldap3 import ANONYMOUS, SIMPLE, Connection
    from ldap3.core.exceptions import LDAPException

    conn = Connection(_server(config), user=dn, password=password,
                      authentication=SIMPLE if dn else ANONYMOUS,
                      # whole seconds: ldap3 packs it into SO_RCVTIMEO as integers
                      receive_timeout=math.ceil(config.timeout_s), raise_exceptions=False,
                      auto_referrals=False, read_only=True)
    try:
        try:
            conn.open()
            if config.start_tls:
                conn.start_tls()
            bound = conn.bind()
        except LDAPException as exc:
            raise _unreachable(config, exc) from None
        # anonymous (the probe of a site without a service account): any answer, even a
        # refusal of anonymous binds, is the directory answering
        if not bound and dn is not None:
            _refused_bind(config, conn.result, dn, service=service, login=login)
        yield conn
    finally:
        try:
            conn.unbind()
        except LDAPException:
            log.debug("directory: the connection was already closed")
        if conn.socket is not None:  # ldap3 leaves the socket of a failed connect open
            conn.socket.close()


def _refused_bind(config: DirectoryConfig, result: dict[str, Any], dn: str | None, *,
                  service: bool, login: str) -> None:
    code, message = result.get("result"), str(result.get("message") or "")
    why = result.get("description") or code
    if code == _CONFIDENTIALITY_REQUIRED:
        raise DirectoryUnreachable(
            f"The directory at {_where(config)} accepts passwords only over TLS: use an "
            "ldaps:// URL or start_tls = true in [auth.ldap].")
    if service:
        log.error("directory: the service account %s was refused (%s: %s)", dn, why, message)
        raise DirectoryUnreachable(
            f"The directory refused the console's own account {dn} ({why}): check bind_dn "
            f"and the password stored as {config.bind_password_secret} in the keyring.")
    reason, logged = bind_refusal(code, message)
    log.warning("directory: refused %r (%s): %s", login, dn, logged)
    raise DirectoryRefused(reason)


def _unreachable(config: DirectoryConfig, exc: Exception) -> DirectoryUnreachable:
    """What went wrong on the way to the server, and what to check."""
    from ldap3.core import exceptions as ex

    where, detail = _where(config), _detail(exc)
    low = detail.lower()
    tls_error = ex.LDAPCertificateError | ex.LDAPStartTLSError | ex.LDAPSSLConfigurationError
    if isinstance(exc, tls_error) or "certificate" in low or "ssl" in low:
        text = (f"TLS with the directory at {where} failed ({detail}): check that its "
                "certificate is signed by the CA in ca_file (or one this workstation "
                "trusts) and carries the server's name as written in the URL.")
    elif "timed out" in low or isinstance(
            exc, ex.LDAPResponseTimeoutError | ex.LDAPSocketReceiveError):
        text = (f"The directory at {where} did not answer within {config.timeout_s:g} s: "
                "check that the server is up and that the network lets this workstation "
                "reach it.")
    elif "invalid server address" in low:
        text = (f"The directory's server name {urlsplit(config.url).hostname} is not known to "
                "this workstation (DNS): check the server name in the URL.")
    elif "refused" in low:
        text = (f"The directory at {where} refused the connection: check the server name "
                "and port in the URL and that the directory service runs there.")
    else:
        text = (f"The directory at {where} cannot be reached ({detail}): check the server "
                "name, the port and the network.")
    log.error("directory: %s", text)
    return DirectoryUnreachable(text)


def _detail(exc: Exception) -> str:
    """ldap3's text of the cause, without the tuples and prefixes it wraps it in:
    "certificate verify failed: self-signed certificate in certificate chain"."""
    text = re.sub(r"\s*\(_ssl\.c:\d+\)|\[SSL[^\]]*\]\s*", "", str(exc))
    text = text.strip("()'\", ")
    return re.sub(r"^(socket ssl wrapping error|wrap socket error|socket connection error "
                  r"while opening|start_tls failed): ", "", text).strip()


def _search(conn: Any, config: DirectoryConfig, base: str, query: str,
            attributes: Sequence[str], *, what: str, scope_base: bool = False,
            limit: int = 0, missing_ok: bool = False) -> list[_Person]:
    """The entries found; `limit` > 0: at most that many, and one more stands for "more"
    (the server's sizeLimitExceeded). `missing_ok`: no `base` is no entry, not an error."""
    from ldap3 import BASE, SUBTREE
    from ldap3.core.exceptions import LDAPException

    try:
        conn.search(base, query, search_scope=BASE if scope_base else SUBTREE,
                    attributes=list(attributes), size_limit=limit)
    except LDAPException as exc:
        raise _unreachable(config, exc) from None
    code = conn.result.get("result")
    if code == 32 and missing_ok:
        return []
    if code == 32:  # noSuchObject
        raise DirectoryUnreachable(f"The directory has no {base!r} ({what} is searched "
                                   "there): check base_dn in [auth.ldap].")
    if code not in (0, 4):  # 4: sizeLimitExceeded
        why = conn.result.get("description") or code
        log.error("directory: searching %s under %s failed: %s %s", what, base, why,
                  conn.result.get("message") or "")
        raise DirectoryUnreachable(f"The directory refused to search for {what} ({why}): "
                                   "check the account's rights and base_dn in [auth.ldap].")
    people = [_Person(r["dn"], _decoded(r.get("raw_attributes") or {}))
              for r in conn.response or [] if r.get("type") == "searchResEntry"]
    if code == 4 and limit:
        people = people[:limit] + [_Person("", {})] * (limit + 1 - len(people[:limit]))
    return people


def _decoded(raw: dict[str, list[bytes]]) -> dict[str, list[str]]:
    return {name.lower(): [v.decode("utf-8", errors="replace") for v in values]
            for name, values in raw.items()}


def _groups(conn: Any, config: DirectoryConfig, person: _Person) -> list[str]:
    """The DNs of the person's groups: their memberOf, or a search of the groups naming
    them as member."""
    if config.groups_from == "memberOf":
        return person.attributes.get(config.group_attribute.lower(), [])
    from ldap3.utils.conv import escape_filter_chars

    query = config.group_filter.replace("{dn}", escape_filter_chars(person.dn))
    return [g.dn for g in _search(conn, config, config.base_dn or "", query, [],
                                  what="the person's groups")]
