"""The console's core with real ingresses (the signed webhook and the DC-09 receiver), run
until it is killed. Run by test_sigkill_ingress.py: argv = journal, webhook port, DC-09
port, keyring name of the webhook's secret. Prints READY once both listen."""

from __future__ import annotations

import sys
import threading
import tomllib

from app.core import registry
from app.core.site import parse_site
from app.services.runtime import Runtime
from tests.waiting import port_open


def main(journal: str, web_port: int, dc09_port: int, secret: str) -> None:
    site = parse_site(tomllib.loads(f'''
[site]
name = "SIGKILL"
[map]
center = [48.85, 2.35]
[[adapters]]
kind = "webhook"
name = "sensors"
listen = "127.0.0.1"
port = {web_port}
hmac_secret = "{secret}"
[[adapters]]
kind = "sia_dc09"
name = "panels"
listen = "127.0.0.1"
port = {dc09_port}
[[adapters.accounts]]
account = "1234"
building = "Mairie"
'''), "site.toml", registry.discover())
    runtime = Runtime(site, registry.discover(), journal)  # type: ignore[arg-type]
    runtime.start()
    while not (port_open(web_port) and port_open(dc09_port)):
        threading.Event().wait(0.02)
    print("READY", flush=True)  # noqa: T201 - the test reads it
    threading.Event().wait()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
