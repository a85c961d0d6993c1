"""`SlapdServer`: a private OpenLDAP server on loopback for the directory tests (issue 11),
run from Debian's `slapd` package: a town's directory with people, groups and a service
account, which `app/net/directory.py` signs users in against.

Why it looks like this:
- Like tests/servers/postgres.py: a folder from `tempfile.mkdtemp()` (pytest's tmp_path is
  under a 0700 folder the server's user cannot reach), our own child process (`-d none`
  keeps slapd in the foreground, so no daemon outlives a crashed session, and logs only
  start-up and errors such as a port in use), a free port, a bounded wait until it
  answers, the end of its log in the error when it does not start.
- The tests run as root: slapd binds its port, then drops to the `openldap` user Debian's
  package makes (`-u`/`-g`), else to nobody; its files are given to that user first.
- Its configuration is a cn=config LDIF loaded with `slapadd -n0` (no slapd.conf): the mdb
  backend, the schemas a town's directory uses (core, cosine, inetOrgPerson), and the
  memberof overlay, which gives each person the operational `memberOf` attribute that Active
  Directory gives (so both ways of finding a person's groups are tested against a server).
- The entries are added through the running server (`ldapadd` as the root DN), not with
  `slapadd -n1`: the memberof overlay only sees writes made through slapd.
- Anonymous users may only bind; people may read the directory once signed in (as in most
  town halls). `olcAllows: bind_anon_dn` makes a bind with a DN and an empty password an
  anonymous success, as Active Directory and many servers do: the console must refuse an
  empty password itself.
- Every password is random per session; `userPassword` holds its salted SHA-1 ({SSHA}),
  never the password.
- It also speaks TLS: StartTLS on the ldap:// port and ldaps:// on a second port, with a
  certificate for 127.0.0.1 signed by a test CA (tests/tls.py, `ca_file`).
"""

from __future__ import annotations

import base64
import contextlib
import grp
import hashlib
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from tests.waiting import poll_until

if TYPE_CHECKING:
    from tests.tls import TlsFiles

SLAPD_PROGRAMS = ("slapd", "slapadd")  # what this harness runs (tests/unit/test_fresh_machine.py)
SUFFIX = "dc=ville-exemple,dc=fr"
ROOT_DN = f"cn=admin,{SUFFIX}"
PEOPLE = f"ou=people,{SUFFIX}"
GROUPS = f"ou=groups,{SUFFIX}"
SERVICES = f"ou=services,{SUFFIX}"
SERVICE_ACCOUNT = f"cn=svc-csu,{SERVICES}"  # what the console binds as to search
SCHEMAS = ("core", "cosine", "inetorgperson")
_BIND_FAILED = re.compile(r"bind\(\) failed|Address already in use|daemon: bind", re.I)


class SlapdStartError(RuntimeError):
    """The server did not start; the message carries the end of its log."""


def slapd_bin_dir() -> Path:
    """Where slapd and slapadd are: `CSU_SLAPD_BIN`, else Debian's /usr/sbin (off a
    non-root user's PATH)."""
    return Path(os.environ.get("CSU_SLAPD_BIN", "/usr/sbin"))


def slapd_missing() -> str:
    """"" when the server programs are here, else what is missing, in plain words."""
    folder = slapd_bin_dir()
    absent = [p for p in SLAPD_PROGRAMS if not (folder / p).exists()]
    if not shutil.which("ldapadd"):
        absent.append("ldapadd")
    if not absent:
        return ""
    return (f"OpenLDAP's {', '.join(absent)} not found (slapd in {folder}, ldapadd on PATH): "
            "install Debian's `slapd` and `ldap-utils` packages (packaging/dev.sh lists them) "
            "or set CSU_SLAPD_BIN")


@dataclass(frozen=True)
class Person:
    """Someone in the directory. `name` "" leaves out displayName (the console falls back
    to cn); `under` is the folder below ou=people ("" = ou=people itself)."""

    login: str
    name: str
    cn: str
    groups: tuple[str, ...]  # cn of the groups they are a member of
    under: str = ""


# The town's directory: who is in which group. Mapped by the tests' DirectoryConfig:
# csu-operateurs -> operator, csu-chefs -> chief, csu-admins -> admin, csu-liaison ->
# viewer; commune-* -> that commune; comptabilite is a group the console does not map.
PEOPLE_OF_THE_TOWN: tuple[Person, ...] = (
    Person("amartin", "Alice Martin", "Alice MARTIN", ("csu-operateurs", "commune-vence")),
    Person("bdurand", "Bruno Durand", "Bruno DURAND",
           ("csu-operateurs", "csu-chefs", "commune-vence", "commune-cagnes")),
    Person("cpetit", "Chloé Petit", "Chloé PETIT", ("csu-admins",)),
    Person("dleroy", "Denis Leroy", "Denis LEROY", ("csu-liaison", "commune-cagnes")),
    Person("ebernard", "Emma Bernard", "Emma BERNARD", ("comptabilite",)),
    Person("fmoreau", "", "Fabien MOREAU", ("csu-operateurs", "commune-vence")),
    # a kiosk's machine account below ou=people: what a DN injection would reach
    Person("kiosque", "Borne d'accueil", "Borne", ("csu-operateurs", "commune-vence"),
           under="ou=machines"),
)
GROUP_NAMES = ("csu-operateurs", "csu-chefs", "csu-admins", "csu-liaison", "commune-vence",
               "commune-cagnes", "comptabilite")


def ssha(password: str) -> str:
    """RFC 2307's salted SHA-1, as slappasswd writes it (OpenLDAP checks it natively)."""
    salt = secrets.token_bytes(8)
    digest = hashlib.sha1(password.encode() + salt).digest()  # slapd's own scheme
    return "{SSHA}" + base64.b64encode(digest + salt).decode()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _server_account() -> tuple[list[str], int, int] | None:
    """(slapd's -u/-g arguments, uid, gid) when we are root; None: it runs as we are."""
    if os.geteuid() != 0:
        return None
    try:
        user = pwd.getpwnam("openldap")
        group = grp.getgrgid(user.pw_gid)
        return ["-u", user.pw_name, "-g", group.gr_name], user.pw_uid, user.pw_gid
    except KeyError:
        nobody, nogroup = pwd.getpwnam("nobody"), grp.getgrnam("nogroup")
        return ["-u", "nobody", "-g", "nogroup"], nobody.pw_uid, nogroup.gr_gid


def _ldif_value(attr: str, value: str) -> str:
    """One LDIF line; base64 (`attr::`) when the value is not plain ASCII (RFC 2849)."""
    if value.isascii() and not value.startswith((" ", ":", "<")) and "\n" not in value:
        return f"{attr}: {value}"
    return f"{attr}:: {base64.b64encode(value.encode()).decode()}"


class SlapdServer:
    """`SlapdServer(Path(tempfile.mkdtemp())).start()`, then `url` ("ldap://127.0.0.1:PORT"),
    `user_dn(login)`, `password(login)`, `group_dn(cn)`, `service_password`; `stop()`,
    `kill()`, `restart()` (same port, same entries)."""

    host = "127.0.0.1"
    suffix = SUFFIX
    root_dn = ROOT_DN
    service_dn = SERVICE_ACCOUNT

    def __init__(self, root: Path, *, start_timeout_s: float = 30.0) -> None:
        self.root = Path(root).resolve()
        self.start_timeout_s = start_timeout_s
        self.root_password = secrets.token_urlsafe(18)
        self.service_password = secrets.token_urlsafe(18)
        # a space and an accented letter: passwords are UTF-8 on the wire
        self._passwords = {p.login: f"Mot de passe é {secrets.token_urlsafe(9)}"
                           for p in PEOPLE_OF_THE_TOWN}
        self.port = 0  # picked at the first start, kept afterwards (ldap://, StartTLS)
        self.tls_port = 0  # ldaps://
        self.ca_file: Path | None = None  # the CA that signed the server's certificate
        self._tls: TlsFiles | None = None
        self.config = self.root / "slapd.d"
        self.data = self.root / "data"
        self.log_file = self.root / "slapd.log"
        self._account = _server_account()
        self._proc: subprocess.Popen[bytes] | None = None
        self._initialised = False
        self._loaded = False

    # -- what the tests use ----------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"ldap://{self.host}:{self.port}"

    @property
    def ldaps_url(self) -> str:
        return f"ldaps://{self.host}:{self.tls_port}"

    @staticmethod
    def user_dn(login: str) -> str:
        person = next(p for p in PEOPLE_OF_THE_TOWN if p.login == login)
        return ",".join(x for x in (f"uid={login}", person.under, PEOPLE) if x)

    @staticmethod
    def group_dn(cn: str) -> str:
        return f"cn={cn},{GROUPS}"

    def password(self, login: str) -> str:
        return self._passwords[login]

    # -- context manager -------------------------------------------------------------------

    def __enter__(self) -> SlapdServer:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    # -- lifecycle -------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self) -> None:
        """Configure the first time, run the server and return once it answers; the first
        start also adds the town's entries. Later starts reuse the data and the port."""
        if self.running:
            return
        missing = slapd_missing()
        if missing:
            raise SlapdStartError(missing)
        if not self._initialised:
            self._initialise()
        fixed_port = self.port != 0
        for _attempt in range(5):
            if not fixed_port:
                self.port, self.tls_port = _free_port(), _free_port()
            try:
                self._launch()
                break
            except SlapdStartError as error:
                # another process took the port between our pick and the server's bind
                if fixed_port or not _BIND_FAILED.search(str(error)):
                    raise
        else:
            raise SlapdStartError(f"no free port after 5 tries:\n{self.log_tail()}")
        if not self._loaded:
            self._load_entries()
            self._loaded = True

    def stop(self) -> None:
        """SIGTERM: slapd closes its database cleanly and exits."""
        proc = self._proc
        if proc is None:
            return
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=self.start_timeout_s)
        except subprocess.TimeoutExpired:
            self.kill()
            raise SlapdStartError(f"slapd did not stop within {self.start_timeout_s:g} s; "
                                  f"killed it:\n{self.log_tail()}") from None
        self._proc = None

    def kill(self) -> None:
        proc = self._proc
        if proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            proc.kill()
        proc.wait(timeout=30)
        self._proc = None

    def restart(self) -> None:
        if self.running:
            self.stop()
        self.start()

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_file.read_text(errors="replace")
        except OSError:
            return f"(no server log at {self.log_file})"
        return "\n".join(text.splitlines()[-lines:]) or "(the log is empty)"

    # -- inside ----------------------------------------------------------------------------

    def _own(self, path: Path) -> None:
        if self._account:
            os.chown(path, self._account[1], self._account[2])

    def _config_ldif(self) -> str:
        tls = self._tls
        assert tls is not None, "_make_certificate() first"
        schemas = "\n".join(f"include: file:///etc/ldap/schema/{s}.ldif\n" for s in SCHEMAS)
        return f"""\
dn: cn=config
objectClass: olcGlobal
cn: config
olcAllows: bind_anon_dn
olcTLSCACertificateFile: {tls.ca}
olcTLSCertificateFile: {tls.cert}
olcTLSCertificateKeyFile: {tls.key}

dn: cn=module{{0}},cn=config
objectClass: olcModuleList
cn: module{{0}}
olcModulePath: /usr/lib/ldap
olcModuleLoad: back_mdb
olcModuleLoad: memberof

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

{schemas}
dn: olcDatabase={{-1}}frontend,cn=config
objectClass: olcDatabaseConfig
objectClass: olcFrontendConfig
olcDatabase: {{-1}}frontend

dn: olcDatabase={{0}}config,cn=config
objectClass: olcDatabaseConfig
olcDatabase: {{0}}config
olcAccess: {{0}}to * by * none

dn: olcDatabase={{1}}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {{1}}mdb
olcSuffix: {SUFFIX}
olcRootDN: {ROOT_DN}
olcRootPW: {ssha(self.root_password)}
olcDbDirectory: {self.data}
olcDbMaxSize: 16777216
olcDbIndex: objectClass eq
olcDbIndex: uid eq
olcDbIndex: member eq
olcAccess: {{0}}to attrs=userPassword by anonymous auth by * none
olcAccess: {{1}}to * by users read by * none

dn: olcOverlay={{0}}memberof,olcDatabase={{1}}mdb,cn=config
objectClass: olcOverlayConfig
objectClass: olcMemberOf
olcOverlay: {{0}}memberof
olcMemberOfRefInt: TRUE
olcMemberOfGroupOC: groupOfNames
olcMemberOfMemberAD: member
olcMemberOfMemberOfAD: memberOf
"""

    def _entries_ldif(self) -> str:
        blocks = [f"dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\n"
                  "dc: ville-exemple\no: Ville exemple"]
        for ou in ("people", "groups", "services", "machines,ou=people"):
            name = ou.split(",")[0]
            blocks.append(f"dn: ou={ou},{SUFFIX}\nobjectClass: organizationalUnit\nou: {name}")
        blocks.append(f"dn: {SERVICE_ACCOUNT}\nobjectClass: inetOrgPerson\ncn: svc-csu\n"
                      f"sn: svc-csu\nuserPassword: {ssha(self.service_password)}")
        for p in PEOPLE_OF_THE_TOWN:
            lines = [f"dn: {self.user_dn(p.login)}", "objectClass: inetOrgPerson",
                     f"uid: {p.login}", _ldif_value("cn", p.cn),
                     _ldif_value("sn", p.cn.split()[-1]),
                     f"userPassword: {ssha(self._passwords[p.login])}"]
            if p.name:
                lines.append(_ldif_value("displayName", p.name))
            blocks.append("\n".join(lines))
        for group in GROUP_NAMES:
            members = [self.user_dn(p.login) for p in PEOPLE_OF_THE_TOWN if group in p.groups]
            blocks.append("\n".join([f"dn: {self.group_dn(group)}", "objectClass: groupOfNames",
                                     f"cn: {group}", *(f"member: {m}" for m in members)]))
        return "\n\n".join(blocks) + "\n"

    def _initialise(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.root.chmod(0o700)
        for folder in (self.config, self.data):
            folder.mkdir(mode=0o700, exist_ok=True)
        self._make_certificate()
        config_ldif = self.root / "config.ldif"
        config_ldif.write_text(self._config_ldif())
        result = subprocess.run(
            [str(slapd_bin_dir() / "slapadd"), "-n0", "-F", str(self.config), "-l",
             str(config_ldif)], capture_output=True, text=True, check=False,
            timeout=self.start_timeout_s)
        config_ldif.unlink()  # it holds the root DN's hash
        if result.returncode != 0:
            output = (result.stdout + result.stderr)[-2000:]
            raise SlapdStartError(f"slapadd -n0 (the configuration) failed (exit "
                                  f"{result.returncode}):\n{output}")
        for path in (self.root, *self.root.rglob("*")):
            self._own(path)
        self._initialised = True

    def _make_certificate(self) -> None:
        from tests.tls import make_tls_files

        folder = self.root / "tls"
        folder.mkdir(exist_ok=True)
        self._tls = make_tls_files(folder)
        self._tls.key.chmod(0o600)
        self.ca_file = self._tls.ca

    def _launch(self) -> None:
        listen = f"ldap://{self.host}:{self.port}/ ldaps://{self.host}:{self.tls_port}/"
        argv = [str(slapd_bin_dir() / "slapd"), "-d", "none", "-h", listen, "-F", str(self.config),
                *(self._account[0] if self._account else [])]
        with self.log_file.open("ab") as log:
            start_at = log.tell()
            proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log,
                                    stderr=subprocess.STDOUT, start_new_session=True)
        self._proc = proc
        poll_until(lambda: self._answers() or proc.poll() is not None, self.start_timeout_s)
        if proc.poll() is not None or not self._answers():
            why = (f"exited with {proc.returncode}" if proc.poll() is not None
                   else f"did not answer within {self.start_timeout_s:g} s")
            self.kill()
            text = self.log_file.read_bytes()[start_at:].decode(errors="replace")
            tail = "\n".join(text.splitlines()[-30:]) or "(the log is empty)"
            raise SlapdStartError(f"slapd {why} (port {self.port}, folder {self.root}); end "
                                  f"of {self.log_file}:\n{tail}")

    def _answers(self) -> bool:
        """An LDAP exchange, not just an open port: an anonymous bind answered with
        success (BindResponse, resultCode 0)."""
        bind_request = bytes.fromhex("300c020101600702010304008000")
        try:
            with socket.create_connection((self.host, self.port), timeout=2) as s:
                s.sendall(bind_request)
                answer = s.recv(64)
        except OSError:
            return False
        return answer.startswith(b"\x30") and b"\x61" in answer and b"\x0a\x01\x00" in answer

    def _load_entries(self) -> None:
        entries = self.root / "entries.ldif"
        secret = self.root / "root.pw"
        entries.write_text(self._entries_ldif())
        secret.write_text(self.root_password)  # -y: the password never on a command line
        secret.chmod(0o600)
        try:
            result = subprocess.run(
                ["ldapadd", "-x", "-H", self.url, "-D", ROOT_DN, "-y", str(secret), "-f",
                 str(entries)], capture_output=True, text=True, check=False,
                timeout=self.start_timeout_s)
        finally:
            entries.unlink()
            secret.unlink()
        if result.returncode != 0:
            output = (result.stdout + result.stderr)[-2000:]
            raise SlapdStartError(f"ldapadd of the town's entries failed (exit "
                                  f"{result.returncode}):\n{output}\nend of the server's "
                                  f"log:\n{self.log_tail()}")


if __name__ == "__main__":  # a manual check: python -m tests.servers.slapd
    import tempfile

    with SlapdServer(Path(tempfile.mkdtemp(prefix="csu-slapd-"))) as srv:
        sys.stdout.write(f"{srv.url}\n{srv.root_dn} {srv.root_password}\n")
        for person in PEOPLE_OF_THE_TOWN:
            sys.stdout.write(f"{srv.user_dn(person.login)}  {srv.password(person.login)}\n")
        input("Enter to stop\n")
