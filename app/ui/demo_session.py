"""The packaged demo opens signed in, so that a newcomer's first command shows the town at
work; a real site never does.

Only the demo site file the console ships counts (its resolved path is compared with the
package's own): no key of a site file can ask for it, and a copy of the demo file elsewhere
is a real site like any other, asking who signs in.
"""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path

from app.core.access import ALL_COMMUNES, Role, User
from app.core.site import Site

DEMO_OPERATOR = User("demo", "Opérateur démo", Role.OPERATOR, (ALL_COMMUNES,), source="demo")


def is_packaged_demo(site: Site) -> bool:
    if not site.source_path:
        return False
    with as_file(files("resources") / "demo" / "site.toml") as packaged:
        try:
            return Path(site.source_path).resolve() == Path(packaged).resolve()
        except OSError:
            return False
