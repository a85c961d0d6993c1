"""`csu-console`: the command line.

    csu-console [--site FILE | --demo] [--screenshot PNG --quit-after SECONDS] [--lang fr|en]
    csu-console check-config FILE [--probe]
    csu-console adapters

`check-config` and `adapters` never load Qt, so an installer can run them anywhere.
"""

from __future__ import annotations

import argparse
import logging
import sys
from importlib.resources import files
from pathlib import Path

from app.core.adapter import AdapterConfig
from app.core.registry import AdapterEntry, discover
from app.core.site import Site, SiteError, load_site


def demo_site_path() -> Path:
    return Path(str(files("resources") / "demo" / "site.toml"))


def _print(text: str = "", err: bool = False) -> None:
    (sys.stderr if err else sys.stdout).write(text + "\n")


PROBE_TIMEOUT_S = 20.0  # per adapter: an installer waits, but not forever


def cmd_check_config(path: str, probe: bool = False) -> int:
    registry = discover()
    try:
        site = load_site(path, registry)
    except SiteError as exc:
        _print(f"{path}: {len(exc.problems)} problem(s):", err=True)
        for p in exc.problems:
            _print(f"  - {p}", err=True)
        return 1
    _print(f"{path}: OK — site {site.site.name!r}: {len(site.adapters)} adapter(s), "
           f"{len(site.cameras)} camera(s), {len(site.officers)} officer(s), "
           f"{len(site.alarm_types)} alarm type(s) configured")
    if probe:
        return _probe_adapters(site, registry)
    return 0


def _probe_adapters(site: Site, registry: dict[str, AdapterEntry]) -> int:
    """Connect once to each enabled adapter's systems and say what works (exit 0: all)."""
    import asyncio

    from app.core.adapter import ProbeResult

    async def one(cfg: AdapterConfig) -> list[ProbeResult]:
        cls = registry[cfg.kind].cls
        assert cls is not None  # load_site refused broken adapters
        try:
            return await asyncio.wait_for(cls(cfg).probe(), PROBE_TIMEOUT_S)
        except TimeoutError:
            return [ProbeResult(cfg.name, "probe", False,
                                f"no answer within {PROBE_TIMEOUT_S:.0f} s")]
        except Exception as exc:  # a probe must report, never crash the command
            return [ProbeResult(cfg.name, "probe", False, f"the check failed: {exc}")]

    async def run() -> list[list[ProbeResult]]:
        return list(await asyncio.gather(*(one(c) for c in site.adapters if c.enabled)))

    results = [r for rs in asyncio.run(run()) for r in rs]
    for r in results:
        _print(f"  {'ok  ' if r.ok else 'FAIL'} {r.adapter}: {r.check} — {r.detail}")
    failed = sum(not r.ok for r in results)
    _print(f"probe: {len(results) - failed} check(s) ok, {failed} failed",
           err=bool(failed))
    return 1 if failed else 0


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
    p = argparse.ArgumentParser(prog="csu-console", description=(
        "Console of a Centre de Supervision Urbaine. Sub-commands: "
        "'check-config FILE [--probe]' validates a site file (--probe: and connects to "
        "each system); 'adapters' lists installed adapters."))
    src = p.add_mutually_exclusive_group()
    src.add_argument("--site", metavar="FILE", help="the site file (TOML) of this installation")
    src.add_argument("--demo", action="store_true", help="open the demo site (the default)")
    p.add_argument("--screenshot", metavar="PNG",
                   help="grab the whole screen into PNG just before quitting")
    p.add_argument("--quit-after", metavar="SECONDS", type=float,
                   help="quit after this many seconds (with --screenshot: grab first)")
    p.add_argument("--lang", choices=["fr", "en", "system"], help="UI language for this run")
    p.add_argument("--journal", metavar="FILE", help="journal file (default: per site, per user)")
    p.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    return p


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--csu-camera-server"]:  # a frozen build re-runs itself as the child
        from app.adapters.demo import camera_server

        return camera_server.main(argv[1:]) or 0
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if argv[:1] == ["check-config"]:
        rest = [a for a in argv[1:] if a != "--probe"]
        if len(rest) != 1:
            _print("usage: csu-console check-config FILE [--probe]", err=True)
            return 2
        return cmd_check_config(rest[0], probe="--probe" in argv[1:])
    if argv[:1] == ["adapters"]:
        return cmd_adapters()
    args = parser().parse_args(argv)
    if args.verbose:
        logging.getLogger().setLevel(logging.DEBUG)
    if args.screenshot and args.quit_after is None:
        parser().error("--screenshot needs --quit-after SECONDS")
    site_path = args.site or str(demo_site_path())
    try:
        site: Site = load_site(site_path, discover())
    except SiteError as exc:
        _print(f"cannot open the site file {site_path}:", err=True)
        for p in exc.problems:
            _print(f"  - {p}", err=True)
        return 1
    from app.launch import run  # Qt only from here on

    return run(site, args)


if __name__ == "__main__":
    sys.exit(main())
