"""`csu-console`: the command line.

    csu-console [--site FILE | --demo] [--screenshot PNG --quit-after SECONDS] [--lang fr|en]
        (no --site: this installation's site, else the set-up assistant's, else a welcome
        that offers the demo, the set-up assistant or a site file)
    csu-console serve [--site FILE | --demo] [--journal PATH] [--log-file PATH]
    csu-console check-config FILE [--probe]
    csu-console install-config --site FILE --role seat|service [--config PATH]
    csu-console adapters
    csu-console db upgrade [--site FILE] [--journal URL]
    csu-console secret set NAME | secret list FILE | secret delete NAME
    csu-console hold add|lift|list ... | register [--out FILE.csv]
    csu-console export-key init|import FILE|show --site FILE
    csu-console verify EXPORT [--certificate CERT]

The sub-commands never load Qt, so an installer can run them anywhere.
"""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path
from typing import Any

from app.core.access import Role
from app.core.bundled import use_bundled_tools
from app.core.registry import discover
from app.core.site import Site, SiteError, load_site

log = logging.getLogger(__name__)


def demo_site_path() -> Path:
    return Path(str(files("resources") / "demo" / "site.toml"))


def _print(text: str = "", err: bool = False) -> None:
    (sys.stderr if err else sys.stdout).write(text + "\n")


def cmd_adapters() -> int:
    found = discover()
    if not found:
        _print("no adapters installed")
        return 1
    for kind, entry in sorted(found.items()):
        if entry.cls is None:
            _print(f"{kind:<12} BROKEN  {entry.target}: {entry.error}")
            continue
        caps = ", ".join(sorted(c.value for c in entry.cls.capabilities)) or "-"
        _print(f"{kind:<12} {caps:<40} {entry.cls.description}")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="csu-console",
        description="Console of a Centre de Supervision Urbaine. Without a command it opens "
                    "the console on the site file: --site, else this installation's site, "
                    "else the one the set-up assistant saved; with none, it offers the "
                    "demo or the set-up assistant (an unattended run opens the demo).")
    src = p.add_mutually_exclusive_group()
    src.add_argument("--site", metavar="FILE", help="the site file (TOML) of this installation")
    src.add_argument("--demo", action="store_true", help="open the demo site")
    p.add_argument("--screenshot", metavar="PNG",
                   help="grab the whole screen into PNG just before quitting")
    p.add_argument("--quit-after", metavar="SECONDS", type=float,
                   help="quit after this many seconds (with --screenshot: grab first)")
    p.add_argument("--lang", choices=["fr", "en", "system"], help="UI language for this run")
    p.add_argument("--journal", metavar="FILE", help="journal file (default: per site, per user)")
    p.add_argument("--log-file", metavar="PATH",
                   help="log file, rotated at 10 MB, 5 kept (default: console.log in this "
                        "user's log folder)")
    p.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    commands = p.add_subparsers(dest="command", title="commands", metavar="COMMAND")
    serve = commands.add_parser(
        "serve", help="run the site's adapters, alarm service and journal, without a window",
        description="The headless service of a room of several workstations: runs the "
                    "adapters, the alarm service and the journal writer of the site file, "
                    "with no display. Logs to standard error and to a rotating file. Stops "
                    "cleanly on SIGTERM, SIGINT or Ctrl+Break (exit 0); exit 1 when it "
                    "cannot start (a wrong site file, a journal that cannot be opened).")
    served = serve.add_mutually_exclusive_group(required=True)
    served.add_argument("--site", metavar="FILE", help="the site file (TOML) to serve")
    served.add_argument("--demo", action="store_true", help="serve the demo site")
    serve.add_argument("--journal", metavar="PATH",
                       help="journal file (default: per site, in this user's data folder)")
    serve.add_argument("--log-file", metavar="PATH",
                       help="log file, rotated at 10 MB, 5 kept (default: service.log in "
                            "this user's log folder)")
    serve.add_argument("--quit-after", metavar="SECONDS", type=float,
                       help="stop cleanly after this many seconds (tests, smoke starts)")
    check = commands.add_parser(
        "check-config", help="validate a site file (--probe: and connect to each system)",
        description="Validate a site file: every problem is named with the file, the key "
                    "path and what was expected, references between tables are followed, "
                    "and the keyring secrets it names are looked up. Exit 0 when the console "
                    "can run it (warnings do not stop it), 1 when something must be fixed.")
    check.add_argument("file", metavar="FILE", help="the site file (TOML)")
    check.add_argument("--probe", action="store_true",
                       help="also connect once to each enabled adapter's systems; a system "
                            "that does not answer or a missing secret fails (exit 1)")
    _install_config_args(commands)
    db = commands.add_parser(
        "db", help="the journal's database: `db upgrade` brings its schema up to date",
        description="Manage the journal's schema. `upgrade` applies the migrations the "
                    "journal lacks (back a room's database up first); the console service "
                    "and the seats refuse an older schema and name this command.")
    db_actions = db.add_subparsers(dest="action", title="actions", metavar="ACTION",
                                   required=True)
    up = db_actions.add_parser("upgrade", help="apply the missing migrations",
                               description="Apply the migrations the journal lacks, each in "
                                           "one transaction. Exit 0 when up to date.")
    up.add_argument("--site", metavar="FILE", help="the site file whose [journal] to upgrade")
    up.add_argument("--journal", metavar="URL",
                    help="the journal (file path or postgresql://user@host/db); the password "
                         "comes from the site file's keyring secret, else libpq's PGPASSWORD "
                         "or ~/.pgpass")
    grant = db_actions.add_parser(
        "grant-seat", help="let a seat's own database role do what a seat does, no more",
        description="Give ROLE (made by the database's administrator) what a seat needs: "
                    "read the alarms, events, seats and commands, write its commands and "
                    "its presence. The access log, accounts, sessions, holds and register "
                    "stay out of its reach. Run it as the owner of the journal's tables.")
    grant.add_argument("role", metavar="ROLE")
    grant.add_argument("--site", metavar="FILE", help="the site file whose [journal] it is")
    grant.add_argument("--journal", metavar="URL", help="the room's postgresql:// journal")
    commands.add_parser("adapters", help="list the installed adapters and their capabilities",
                        description="List the installed adapters (broken ones with why).")
    secret = commands.add_parser(
        "secret", help="store, list or delete the passwords the site file names",
        description="The site file names its passwords and keys (keys called `secret` or "
                    "ending in `_secret`); their values live in the OS keyring under the "
                    "service 'csu-console'. Exit codes: 0 done, 1 nothing done, 2 wrong "
                    "usage, 3 no usable keyring (the message says how to choose one).")
    actions = secret.add_subparsers(dest="action", title="actions", metavar="ACTION",
                                    required=True)
    put = actions.add_parser(
        "set", help="store a secret, its value read from standard input",
        description="Store the secret NAME. The value is read from standard input: typed "
                    "twice, not shown, on a terminal; otherwise everything piped in (one "
                    "trailing newline dropped). Never give it on the command line.")
    put.add_argument("name", metavar="NAME", help="the keyring name the site file uses")
    # whatever follows NAME (even "-x…") is taken, to be refused without being repeated
    put.add_argument("value", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    show = actions.add_parser(
        "list", help="the secrets a site file names and whether the keyring holds each",
        description="List the secrets FILE names, where, and whether the keyring holds "
                    "each (never their values). Exit 1 when one an enabled part needs is "
                    "missing.")
    show.add_argument("file", metavar="FILE", help="the site file (TOML)")
    drop = actions.add_parser("delete", help="remove a secret from the keyring",
                              description="Remove the secret NAME from the keyring.")
    drop.add_argument("name", metavar="NAME")
    _user_and_audit_parsers(commands)
    _hold_and_register_parsers(commands)
    _evidence_parsers(commands)
    return p


def _evidence_parsers(commands: Any) -> None:
    key = commands.add_parser(
        "export-key", help="make, import or show the site's key that signs evidence exports",
        description="The site's export key signs every evidence package. Its private part "
                    "stays in the OS keyring (or in the site's [export] key_file, readable "
                    "by its owner only); its certificate is printed for the parquet.")
    acts = key.add_subparsers(dest="action", title="actions", metavar="ACTION", required=True)
    init = acts.add_parser("init", help="make a new key and its self-signed certificate")
    init.add_argument("--force", action="store_true",
                      help="replace an existing key (packages already signed stay "
                           "verifiable with the old certificate)")
    imp = acts.add_parser("import", help="take the town's key: PEM (key and certificate) or "
                                         "PKCS#12 (.p12/.pfx); a password is read from "
                                         "standard input when needed")
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--certificate", metavar="CERT",
                     help="the key's certificate (PEM), when FILE holds only the key")
    imp.add_argument("--force", action="store_true", help="replace an existing key")
    acts.add_parser("show", help="print the certificate: its summary and its PEM")
    for one in (init, imp, acts.choices["show"]):
        one.add_argument("--site", metavar="FILE", required=True,
                         help="the site file (its name goes in the certificate; its "
                              "[export] table says where the key and certificate go)")
    verify = commands.add_parser(
        "verify", help="check an evidence package: every file, the signature, the timestamp",
        description="Check an evidence package (its folder or its .zip): every file's "
                    "SHA-256 and size against the manifest, SHA256SUMS, the signature over "
                    "the manifest and the timestamp. One line per check; exit 0 when it "
                    "verifies, 1 when it does not.")
    verify.add_argument("export", metavar="EXPORT")
    verify.add_argument("--certificate", metavar="CERT",
                        help="the export certificate you were given (e.g. the printed "
                             "copy): the signer must be this one")


def _journal_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--site", metavar="FILE",
                   help="the site file: its [journal], else this OS user's own journal for "
                        "that site (the one the console opens when this user runs it)")
    p.add_argument("--journal", metavar="URL",
                   help="the journal (file path or postgresql://user@host/db)")


def _user_and_audit_parsers(commands: Any) -> None:
    user = commands.add_parser(
        "user", help="add, change, disable or list the local accounts",
        description="The local accounts kept in the journal (a site may also sign people in "
                    "through the town's directory). Passwords are read from standard input "
                    "(typed twice, not shown, on a terminal), never from the command line, "
                    "and only their argon2id hash is kept. Every change is in the access log.")
    acts = user.add_subparsers(dest="action", title="actions", metavar="ACTION", required=True)
    add = acts.add_parser("add", help="create an account (asks for its password)")
    add.add_argument("login")
    add.add_argument("--name", required=True, help="the person's full name")
    add.add_argument("--role", choices=[r.value for r in Role], default="operator")
    add.add_argument("--commune", dest="communes", action="append", default=[],
                     metavar="NAME", help="a commune the user may see (repeat it); "
                                         "'*' for all (the default)")
    _journal_args(add)
    for name, what in (("passwd", "change an account's password (asks for it)"),
                       ("disable", "stop an account from signing in (kept for the log)"),
                       ("enable", "let a disabled account sign in again")):
        one = acts.add_parser(name, help=what)
        one.add_argument("login")
        _journal_args(one)
    _journal_args(acts.add_parser("list", help="the local accounts, their roles and communes"))
    audit = commands.add_parser(
        "audit", help="check the access log's hash chain, or export it",
        description="The access log the law asks for (CSI R241-14, R241-5): `verify` checks "
                    "its hash chain and names the first row that does not hold (exit 1); "
                    "`export` writes it as CSV (the export is logged).")
    aacts = audit.add_subparsers(dest="action", title="actions", metavar="ACTION",
                                 required=True)
    _journal_args(aacts.add_parser("verify", help="check the chain, row by row"))
    exp = aacts.add_parser("export", help="write the log as CSV (UTF-8)")
    exp.add_argument("--out", metavar="FILE", help="the CSV file (default: standard output)")
    exp.add_argument("--from", dest="start", metavar="TIME", type=_utc_time,
                     help="from this time (ISO 8601; UTC unless it says its offset)")
    exp.add_argument("--to", dest="end", metavar="TIME", type=_utc_time,
                     help="up to this time (ISO 8601)")
    _journal_args(exp)


def _hold_and_register_parsers(commands: Any) -> None:
    hold = commands.add_parser(
        "hold", help="place, lift or list judicial holds (réquisitions)",
        description="A judicial hold keeps what it covers past retention until it is "
                    "lifted: a time range (and the cameras of the réquisition), or an "
                    "incident (an alarm and the events of its span). Placing and lifting "
                    "are written to the access log with the reference.")
    acts = hold.add_subparsers(dest="action", title="actions", metavar="ACTION", required=True)
    add = acts.add_parser("add", help="place a hold (--from and --to, or --incident)")
    add.add_argument("reference", help="the réquisition's reference (e.g. its PV number)")
    add.add_argument("--from", dest="start", metavar="TIME", type=_utc_time,
                     help="start of the range (ISO 8601; UTC unless it says its offset)")
    add.add_argument("--to", dest="end", metavar="TIME", type=_utc_time,
                     help="end of the range (ISO 8601)")
    add.add_argument("--camera", dest="cameras", action="append", default=[], metavar="ID",
                     help="a camera the réquisition names (repeat it)")
    add.add_argument("--incident", default="", metavar="ALARM",
                     help="the number of the alarm whose incident is held")
    add.add_argument("--note", default="", help="a note (who asked, why)")
    _journal_args(add)
    lift = acts.add_parser("lift", help="lift an active hold (its data is purged at the "
                                        "next run if its retention has passed)")
    lift.add_argument("hold_id", metavar="ID", type=int, help="the hold's number (hold list)")
    _journal_args(lift)
    listing = acts.add_parser("list", help="the active holds (--all: lifted ones too)")
    listing.add_argument("--all", dest="all_holds", action="store_true")
    _journal_args(listing)
    register = commands.add_parser(
        "register", help="the register of purges: what was destroyed, when, under which rule",
        description="Every purge writes to the register what it destroyed, how many rows, "
                    "the range they lay in and the rule (the article or the site's "
                    "setting). Written as CSV (UTF-8).")
    register.add_argument("--out", metavar="FILE",
                          help="the CSV file (default: standard output)")
    _journal_args(register)


def _install_config_args(commands: Any) -> None:
    from app.core.install import ROLES

    inst = commands.add_parser(
        "install-config", help="set this machine's site file and role (the installer runs it)",
        description="What the Windows installer runs: checks the site file as check-config "
                    "does (a wrong one: exit 1 and nothing written), copies it into the "
                    "machine's folder (a file on a share too, so the machine starts when the "
                    "share is down) and writes the installation's file naming the copy and "
                    "the role.")
    inst.add_argument("--site", metavar="FILE", required=True,
                      help="the site file (TOML), e.g. \\\\server\\share\\site.toml")
    inst.add_argument("--role", choices=ROLES, required=True,
                      help="seat: an operator's console; service: this machine runs "
                           "`csu-console serve`")
    inst.add_argument("--config", metavar="PATH",
                      help="the installation's file to write (default: console.toml in the "
                           "machine's folder; the site file is copied beside it)")


def _utc_time(text: str) -> datetime:
    try:
        t = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a time: write it like 2026-12-01T08:30 (ISO 8601)") from None
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def _command(args: argparse.Namespace) -> int:
    from app.cli.terminal import backend_prompts_fail_without_terminal

    with backend_prompts_fail_without_terminal():
        return _run_command(args)


def _run_command(args: argparse.Namespace) -> int:
    if args.command == "serve":
        return _serve(args)
    if args.command == "check-config":
        from app.cli.check_config import cmd_check_config

        return cmd_check_config(args.file, probe=args.probe)
    if args.command == "install-config":
        from app.cli.install_config import cmd_install_config

        return cmd_install_config(args.site, args.role, args.config)
    if args.command == "adapters":
        return cmd_adapters()
    if args.command == "db":
        from app.cli.db import cmd_grant_seat, cmd_upgrade

        lines: list[str] = []
        code = cmd_grant_seat(args.site, args.journal, args.role, lines) \
            if args.action == "grant-seat" else cmd_upgrade(args.site, args.journal, lines)
        for line in lines:
            _print(line, err=code != 0)
        return code
    if args.command == "user":
        from app.cli.users import cmd_user

        return cmd_user(args.action, args.site, args.journal, getattr(args, "login", None),
                        getattr(args, "name", None), getattr(args, "role", None),
                        getattr(args, "communes", ()))
    if args.command in ("hold", "register"):
        return _holds_command(args)
    if args.command in ("export-key", "verify"):
        from app.cli import evidence

        if args.command == "verify":
            return evidence.cmd_verify(args.export, args.certificate)
        return evidence.cmd_export_key(args.action, args.site, force=getattr(args, "force", False),
                                       file=getattr(args, "file", None),
                                       certificate=getattr(args, "certificate", None))
    if args.command == "audit":
        from app.cli import audit

        if args.action == "verify":
            return audit.cmd_verify(args.site, args.journal)
        return audit.cmd_export(args.site, args.journal, args.out, args.start, args.end)
    from app.cli import secret

    if args.action == "set":
        return secret.cmd_set(args.name, args.value)
    if args.action == "list":
        return secret.cmd_list(args.file)
    return secret.cmd_delete(args.name)


def _holds_command(args: argparse.Namespace) -> int:
    from app.cli import holds

    if args.command == "register":
        return holds.cmd_register(args.site, args.journal, args.out)
    return holds.cmd_hold(
        args.action, args.site, args.journal, reference=getattr(args, "reference", ""),
        hold_id=getattr(args, "hold_id", 0), start=getattr(args, "start", None),
        end=getattr(args, "end", None), cameras=getattr(args, "cameras", ()),
        incident=getattr(args, "incident", ""), note=getattr(args, "note", ""),
        all_holds=getattr(args, "all_holds", False))


def _say_site_error(site_path: str, exc: SiteError) -> None:
    _print(f"cannot open the site file {site_path}:", err=True)
    for p in exc.problems:
        _print(f"  - {p}", err=True)


def _serve(args: argparse.Namespace) -> int:
    """`csu-console serve`: its log (file included) is set up before the site file is read,
    so that a site file the service cannot use is in the log file too."""
    from app.cli.serve import cmd_serve
    from app.cli.service_log import FILE_ONLY, start_logging
    from app.core.user_paths import service_log_path

    log_file = start_logging(Path(args.log_file) if args.log_file else service_log_path())
    site_path = args.site or str(demo_site_path())
    try:
        site = load_site(site_path, discover())
    except SiteError as exc:
        _say_site_error(site_path, exc)
        log.error("csu-console serve not started: the site file %s cannot be used: %s",
                  site_path, "; ".join(exc.problems), extra=FILE_ONLY)
        return 1
    _log_site_checks(site)
    return cmd_serve(site, site_path, args, log_file)


def _console_logging(args: argparse.Namespace) -> None:
    """The console logs to standard error and to a rotating file in the user's log folder
    (a windowed build has no terminal: the file is what support reads). `args.log_in_use`:
    the file, for the About / diagnostics dialog (None when it cannot be written)."""
    from app.cli.service_log import start_logging
    from app.core.user_paths import console_log_path

    args.log_in_use = start_logging(Path(args.log_file) if args.log_file
                                    else console_log_path(), "csu-console", service=False)
    if args.verbose:
        logging.getLogger().setLevel(logging.DEBUG)


def _log_site_checks(site: Site) -> None:
    """A dangling reference does not stop the console (the rest works): it is logged."""
    from app.core.site_check import check_references

    errors, warnings = check_references(site)
    for line in errors + warnings:
        log.warning("site file: %s (run `csu-console check-config` on it)", line)


def site_to_open(args: argparse.Namespace) -> str | int:
    """The site file the console opens: `--site`, else `--demo`, else this machine's
    installed site (the installation's file, else the one the set-up assistant saved for
    this user), else, unattended (`--screenshot`/`--quit-after`), the demo; else the
    welcome asks (demo, set-up assistant, a file). An int: exit with it (1: the
    installation's file is wrong, said in words; 0: the welcome was closed)."""
    from app.core.install import InstallError, installed_site

    if args.site:
        return str(args.site)
    if args.demo:
        return str(demo_site_path())
    unattended = args.screenshot is not None or args.quit_after is not None
    try:
        found = installed_site()
    except InstallError as exc:
        _print(f"csu-console cannot start: {exc}", err=True)
        if not unattended:
            from app.first_run import say_install_error

            say_install_error(str(exc), args)
        return 1
    if found is not None:
        log.info("the site of this installation: %s", found)
        return str(found)
    if unattended:
        return str(demo_site_path())
    from app.first_run import choose_site  # Qt from here on: a window must ask

    chosen = choose_site(args, demo_site_path())
    return 0 if chosen is None else str(chosen)


def main(argv: list[str] | None = None) -> int:
    use_bundled_tools()  # before anything imports python-vlc or imageio-ffmpeg
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--csu-camera-server"]:  # a frozen build re-runs itself as the child
        from app.adapters.demo import camera_server

        return camera_server.main(argv[1:]) or 0
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    args = parser().parse_args(argv)
    if args.verbose:
        logging.getLogger().setLevel(logging.DEBUG)
    if args.command is not None:
        return _command(args)
    if args.screenshot and args.quit_after is None:
        parser().error("--screenshot needs --quit-after SECONDS")
    _console_logging(args)
    chosen = site_to_open(args)
    if not isinstance(chosen, str):
        return chosen
    site_path = chosen
    try:
        site: Site = load_site(site_path, discover())
    except SiteError as exc:
        _say_site_error(site_path, exc)
        return 1
    _log_site_checks(site)
    from app.core.version import console_version

    log.info("csu-console %s starting on the site file %s (log file: %s)", console_version(),
             site_path, args.log_in_use or "none: standard error only")
    from app.launch import run  # Qt only from here on

    return run(site, args)


if __name__ == "__main__":
    sys.exit(main())
