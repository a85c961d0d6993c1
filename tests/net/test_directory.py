"""Signing in against the town's directory (app/net/directory.py, issue 11), against a REAL
OpenLDAP server (tests/servers/slapd.py, the session's `slapd`): both ways of finding a
person (a DN from the login; a search with a service account), both ways of finding their
groups (memberOf from slapd's memberof overlay, as Active Directory gives it; a search of
groupOfNames), and every refusal, with the same words where telling them apart would tell
who has an account."""

from __future__ import annotations

import contextlib
import logging
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from app.core.access import ALL_COMMUNES, Role, User
from app.core.directory_config import DirectoryConfig
from app.net import directory
from app.net.directory import (
    DirectoryRefused,
    DirectoryUnreachable,
    authenticate,
    check_directory,
)
from tests.servers.slapd import GROUPS, PEOPLE, SERVICE_ACCOUNT, SUFFIX, SlapdServer

MAPPING = [
    {"group": f"cn=csu-operateurs,{GROUPS}", "role": "operator"},
    {"group": "CN=CSU-Chefs, OU=Groups, DC=Ville-Exemple, DC=FR", "role": "chief"},
    {"group": "csu-admins", "role": "admin", "communes": ["*"]},
    {"group": "csu-liaison", "role": "viewer"},
    {"group": "commune-vence", "communes": ["Vence"]},
    {"group": f"cn=commune-cagnes,{GROUPS}", "communes": ["Cagnes-sur-Mer"]},
]
WAYS = ["direct+memberOf", "direct+search", "service+memberOf", "service+search"]


def config_for(slapd: SlapdServer, way: str, **changes: Any) -> DirectoryConfig:
    """`way`: how the person is found (a DN from the login, or a service account's
    search) + where their groups come from."""
    find, groups = way.split("+")
    data: dict[str, Any] = {"url": slapd.url, "groups": MAPPING, "groups_from": groups,
                            "timeout_s": 5}
    if find == "direct":
        data["user_dn"] = f"uid={{login}},{PEOPLE}"
        if groups == "search":
            data["base_dn"] = f"ou=groups,{SUFFIX}"
    else:
        data.update(base_dn=SUFFIX, bind_dn=SERVICE_ACCOUNT,
                    bind_password_secret="annuaire-csu")
    data.update(changes)
    return DirectoryConfig.model_validate(data)


def sign_in(slapd: SlapdServer, way: str, login: str, password: str | None = None,
            **changes: Any) -> User:
    return authenticate(config_for(slapd, way, **changes), login,
                        slapd.password(login) if password is None else password,
                        slapd.service_password)


@pytest.fixture(params=WAYS)
def way(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_a_person_signs_in_with_their_role_communes_and_name(slapd: SlapdServer,
                                                              way: str) -> None:
    user = sign_in(slapd, way, "amartin")
    assert user == User(login="amartin", name="Alice Martin", role=Role.OPERATOR,
                        communes=("Vence",), source="ldap")


def test_the_highest_role_and_every_commune_of_their_groups(slapd: SlapdServer,
                                                             way: str) -> None:
    """Bruno is in the operators' and the chiefs' groups, and in two communes' groups."""
    user = sign_in(slapd, way, "bdurand")
    assert user.role is Role.CHIEF
    assert user.communes == ("Cagnes-sur-Mer", "Vence")
    admin = sign_in(slapd, way, "cpetit")
    assert (admin.role, admin.communes, admin.name) == (Role.ADMIN, (ALL_COMMUNES,),
                                                        "Chloé Petit")
    liaison = sign_in(slapd, way, "dleroy")
    assert (liaison.role, liaison.communes) == (Role.VIEWER, ("Cagnes-sur-Mer",))


def test_the_login_is_the_directorys_whatever_its_case(slapd: SlapdServer,
                                                        way: str) -> None:
    """The access log names one user one way: "AMartin" signs in as amartin."""
    user = sign_in(slapd, way, "AMartin ", slapd.password("amartin"))
    assert (user.login, user.name) == ("amartin", "Alice Martin")


def test_the_name_falls_back_to_cn(slapd: SlapdServer) -> None:
    assert sign_in(slapd, "service+memberOf", "fmoreau").name == "Fabien MOREAU"
    assert sign_in(slapd, "direct+memberOf", "amartin", name_attribute="cn").name == \
        "Alice MARTIN"


def test_wrong_password_and_unknown_login_read_the_same(
        slapd: SlapdServer, way: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(DirectoryRefused) as wrong:
        sign_in(slapd, way, "amartin", slapd.password("bdurand"))
    with pytest.raises(DirectoryRefused) as unknown:
        sign_in(slapd, way, "zorro", "Mot de passe é quelconque")
    assert str(wrong.value) == str(unknown.value) == directory.REFUSALS["wrong"]
    assert wrong.value.reason == unknown.value.reason == "wrong"
    if way.startswith("service"):  # the log (not the person) may say which
        assert "'zorro': unknown login" in caplog.text
    assert slapd.password("bdurand") not in caplog.text


def test_an_empty_password_is_refused_before_any_bind(slapd: SlapdServer, way: str) -> None:
    """This slapd, like Active Directory, answers a bind with a DN and no password with
    success (an unauthenticated bind): only the console's own check stops it."""
    with pytest.raises(DirectoryRefused, match="Type your password"):
        sign_in(slapd, way, "amartin", "")
    with pytest.raises(DirectoryRefused, match="Wrong login or password"):
        sign_in(slapd, way, "   ", "x")


@pytest.mark.parametrize("login", ["amar*", "*", "*)(uid=*", "amartin)(uid=*",
                                   "*)(|(uid=*", "amartin\x00"])
def test_a_filter_injection_finds_no_one(slapd: SlapdServer, login: str) -> None:
    """Unescaped, "amar*" would find Alice and her password would open her account."""
    with pytest.raises(DirectoryRefused, match="Wrong login or password"):
        sign_in(slapd, "service+memberOf", login, slapd.password("amartin"))


@pytest.mark.parametrize("login", ["kiosque,ou=machines", "amartin,ou=x", "amartin+cn=x",
                                   "=amartin", "#amartin"])
def test_a_dn_injection_binds_as_no_one(slapd: SlapdServer, login: str) -> None:
    """Unescaped, "kiosque,ou=machines" would make uid=kiosque,ou=machines,ou=people,...:
    the kiosk's machine account, an operator."""
    password = slapd.password("kiosque" if login.startswith("kiosque") else "amartin")
    with pytest.raises(DirectoryRefused, match="Wrong login or password"):
        sign_in(slapd, "direct+memberOf", login, password)


def test_a_person_in_no_mapped_group_may_not_sign_in(slapd: SlapdServer, way: str) -> None:
    with pytest.raises(DirectoryRefused, match="does not give access to this console"):
        sign_in(slapd, way, "ebernard")


def test_a_role_without_a_commune_may_not_sign_in(slapd: SlapdServer) -> None:
    """Commune groups unmapped: Alice's operator role opens no territory."""
    mapping = [MAPPING[0], {"group": "csu-admins", "role": "admin", "communes": ["*"]}]
    with pytest.raises(DirectoryRefused, match="does not give access"):
        sign_in(slapd, "direct+memberOf", "amartin", groups=mapping)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_server_that_is_down_is_unreachable_not_refused(slapd: SlapdServer,
                                                          way: str) -> None:
    url = f"ldap://127.0.0.1:{_free_port()}"  # nothing listens there
    with pytest.raises(DirectoryUnreachable, match="refused the connection") as info:
        sign_in(slapd, way, "amartin", url=url)
    assert f"127.0.0.1:{url.rsplit(':', 1)[1]}" in str(info.value)
    assert "refused the connection" in check_directory(config_for(slapd, way, url=url),
                                                       slapd.service_password)


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A port that takes the connection and never answers (a hung server, a firewall
    that lets the handshake through)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield f"ldap://127.0.0.1:{listener.getsockname()[1]}"


def test_a_server_that_never_answers_fails_within_the_timeout(slapd: SlapdServer,
                                                              silent_server: str) -> None:
    started = time.monotonic()
    with pytest.raises(DirectoryUnreachable, match=r"did not answer within 1 s"):
        sign_in(slapd, "service+memberOf", "amartin", url=silent_server, timeout_s=1)
    assert time.monotonic() - started < 15  # a bound, not a timing: without it, for ever


def test_the_service_account_refused_is_the_installers_problem(
        slapd: SlapdServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    config = config_for(slapd, "service+memberOf")
    with pytest.raises(DirectoryUnreachable, match="refused the console's own account") as info:
        authenticate(config, "amartin", slapd.password("amartin"), "not its password")
    assert "annuaire-csu" in str(info.value)  # which keyring entry to fix
    with pytest.raises(DirectoryUnreachable, match="csu-console secret set annuaire-csu"):
        authenticate(config, "amartin", slapd.password("amartin"), None)
    assert "refused the console's own account" in check_directory(config, "not its password")
    assert slapd.password("amartin") not in caplog.text


def test_a_wrong_base_dn_says_so(slapd: SlapdServer) -> None:
    config = config_for(slapd, "service+memberOf", base_dn=f"ou=personnes,{SUFFIX}")
    with pytest.raises(DirectoryUnreachable, match="check base_dn"):
        authenticate(config, "amartin", slapd.password("amartin"), slapd.service_password)
    assert "check base_dn" in check_directory(config, slapd.service_password)


def test_check_directory_says_nothing_when_all_is_well(slapd: SlapdServer, way: str) -> None:
    assert check_directory(config_for(slapd, way), slapd.service_password) == ""


def test_no_password_in_any_message_or_log(slapd: SlapdServer,
                                           caplog: pytest.LogCaptureFixture,
                                           silent_server: str) -> None:
    caplog.set_level(logging.DEBUG)
    secrets = [slapd.password("amartin"), slapd.password("ebernard"), slapd.service_password,
               "Mauvais mot de passe é"]
    messages = [str(sign_in(slapd, "service+search", "amartin"))]
    for login, password, changes in (
            ("amartin", "Mauvais mot de passe é", {}),
            ("ebernard", slapd.password("ebernard"), {}),
            ("amartin", slapd.password("amartin"), {"url": silent_server, "timeout_s": 1})):
        with pytest.raises((DirectoryRefused, DirectoryUnreachable)) as info:
            sign_in(slapd, "service+search", login, password, **changes)
        messages += [str(info.value), repr(info.value)]
    for secret in secrets:
        assert secret not in caplog.text
        assert not [m for m in messages if secret in m]


@pytest.mark.parametrize("how", ["ldaps", "start_tls"])
def test_a_person_signs_in_over_tls(slapd: SlapdServer, how: str) -> None:
    """The town's CA named in ca_file; the certificate checked (ldap3 checks none unless
    told to)."""
    assert slapd.ca_file is not None
    tls: dict[str, Any] = {"ca_file": str(slapd.ca_file)}
    if how == "ldaps":
        tls["url"] = slapd.ldaps_url
    else:
        tls["start_tls"] = True
    assert sign_in(slapd, "service+memberOf", "amartin", **tls).role is Role.OPERATOR
    assert check_directory(config_for(slapd, "service+memberOf", **tls),
                           slapd.service_password) == ""


@pytest.mark.parametrize("how", ["ldaps", "start_tls"])
def test_a_certificate_from_an_unknown_ca_is_unreachable(slapd: SlapdServer, tmp_path: Any,
                                                         how: str) -> None:
    """Another CA than the server's (or the workstation's CAs, which do not know the
    test CA): no password is sent, and the installer is told to check the certificate."""
    from tests.tls import make_tls_files

    other = make_tls_files(tmp_path).ca
    for ca_file in (str(other), None):
        tls: dict[str, Any] = {"ca_file": ca_file}
        if how == "ldaps":
            tls["url"] = slapd.ldaps_url
        else:
            tls["start_tls"] = True
        with pytest.raises(DirectoryUnreachable, match="TLS with the directory") as info:
            sign_in(slapd, "direct+memberOf", "amartin", **tls)
        assert "certificate" in str(info.value)


def test_a_missing_or_broken_ca_file_is_said(slapd: SlapdServer, tmp_path: Any) -> None:
    missing = tmp_path / "ca-de-la-ville.pem"
    with pytest.raises(DirectoryUnreachable, match=r"ca-de-la-ville\.pem cannot be read"):
        sign_in(slapd, "direct+memberOf", "amartin", url=slapd.ldaps_url,
                ca_file=str(missing))
    missing.write_text("not a certificate\n")
    with pytest.raises(DirectoryUnreachable, match=r"ca-de-la-ville\.pem cannot be read"):
        sign_in(slapd, "direct+memberOf", "amartin", url=slapd.ldaps_url,
                ca_file=str(missing))


@pytest.mark.parametrize(("code", "message", "reason", "logged"), [
    (49, "80090308: LdapErr: DSID-0C09044E, comment: AcceptSecurityContext error, data 52e, "
         "v4563", "wrong", "wrong password"),
    (49, "80090308: LdapErr: DSID-0C09044E, comment: AcceptSecurityContext error, data 525, "
         "v4563", "wrong", "unknown user"),
    (49, "... AcceptSecurityContext error, data 532, v4563", "expired", "password expired"),
    (49, "... AcceptSecurityContext error, data 773, v4563", "expired",
     "password must be changed"),
    (49, "... AcceptSecurityContext error, data 775, v4563", "wrong", "account locked"),
    (49, "", "wrong", "wrong password or unknown login"),  # OpenLDAP says no more
    (53, "unauthenticated bind (DN with no password) disallowed", "wrong", "53"),
])
def test_active_directorys_reasons_are_read(code: int, message: str, reason: str,
                                            logged: str) -> None:
    """What AD says in a bind refusal: only an expired password (known only to whoever
    typed the right one) is told to the person; the rest goes to the log."""
    assert directory.bind_refusal(code, message) == (reason, logged)


@pytest.fixture
def server_of_another_name(tmp_path: Any) -> Iterator[tuple[str, str]]:
    """A TLS server on 127.0.0.1 whose certificate, signed by a CA we trust, names another
    server: (its ldaps:// URL, the CA file)."""
    import trustme

    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("annuaire.autre-ville.fr").configure_cert(context)
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(30)

    def serve() -> None:
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        # ssl.SSLError (an OSError): the client hung up in the handshake, as it should
        with conn, contextlib.suppress(OSError), context.wrap_socket(
                conn, server_side=True) as tls:
            tls.recv(1)

    thread = threading.Thread(target=serve, name="tls-of-another-name", daemon=True)
    thread.start()
    try:
        yield f"ldaps://127.0.0.1:{listener.getsockname()[1]}", str(ca_file)
    finally:
        listener.close()
        thread.join(30)


def test_a_certificate_for_another_name_is_unreachable(
        slapd: SlapdServer, server_of_another_name: tuple[str, str]) -> None:
    """Signed by the right CA but for another server: what a man in the middle with a
    certificate of his own from the town's CA would show."""
    url, ca_file = server_of_another_name
    with pytest.raises(DirectoryUnreachable, match="TLS with the directory") as info:
        sign_in(slapd, "direct+memberOf", "amartin", url=url, ca_file=ca_file)
    assert "mismatch" in str(info.value)


def test_the_console_signs_a_directory_person_in_and_logs_it(slapd: SlapdServer,
                                                              tmp_path: Any) -> None:
    """Through the console's own sign-in (app/services/sign_in): the directory answers for
    a login with no local account; a refusal reads as the directory says; both are in the
    access log; the service account's password comes from the keyring."""
    from app.core.journal import Journal
    from app.core.secrets import set_secret
    from app.services.sign_in import SignIn, SignInRefused, directory_of

    set_secret("annuaire-csu", slapd.service_password)
    journal = Journal(tmp_path / "journal.sqlite")
    try:
        sign_ins = SignIn(journal, directory_of(config_for(slapd, "service+memberOf")))
        user = sign_ins.sign_in("amartin", slapd.password("amartin"), "poste-1")
        assert (user.login, user.source, user.communes) == ("amartin", "ldap", ("Vence",))
        with pytest.raises(SignInRefused, match="Wrong login or password"):
            sign_ins.sign_in("amartin", "not hers", "poste-1")
        logged = [(r.action.action, r.action.detail) for r in journal.audit_rows()]
        assert logged == [("signed_in", ""), ("sign_in_refused", "directory: wrong")]
    finally:
        journal.close()
