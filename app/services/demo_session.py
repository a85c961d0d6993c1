"""The packaged demo opens signed in, so that a newcomer's first command shows the town at
work; a real site never does.

Only the demo site file the console ships counts (its resolved path is compared with the
package's own): no key of a site file can ask for it, and a copy of the demo file elsewhere
is a real site like any other, asking who signs in.
"""

from __future__ import annotations

from concurrent.futures import Future
from importlib.resources import as_file, files
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.access import ALL_COMMUNES, Role, User
from app.core.journal import JournalStore
from app.core.model import Alarm, AlarmOutcome
from app.core.site import Site
from app.services.accounts import Accounts
from app.services.alarm_book import Close, handled_state

if TYPE_CHECKING:
    from app.services.runtime import Runtime

DEMO_OPERATOR = User("demo", "Opérateur démo", Role.OPERATOR, (ALL_COMMUNES,), source="demo")
# a demo room's seats sign in at its service with this account, which only the service of
# the packaged demo makes: a published password, for a town that does not exist
DEMO_PASSWORD = "demo-operateur"


def ensure_demo_account(journal: JournalStore) -> None:
    """The demo operator's account in a demo room's journal (made once)."""
    if journal.account(DEMO_OPERATOR.login) is None:
        Accounts(journal, "demo", "demo").add(DEMO_OPERATOR.login, DEMO_OPERATOR.name,
                                              DEMO_OPERATOR.role, DEMO_OPERATOR.communes,
                                              DEMO_PASSWORD)


def is_packaged_demo(site: Site) -> bool:
    if not site.source_path:
        return False
    with as_file(files("resources") / "demo" / "site.toml") as packaged:
        try:
            return Path(site.source_path).resolve() == Path(packaged).resolve()
        except OSError:
            return False


def close_earlier_runs(runtime: Runtime) -> list[Future[Alarm]]:
    """The demo town's alarms left open by an earlier run of the demo are closed when it
    starts again (a newcomer would otherwise meet alarms waiting for hours); each closure
    is an act of the demo's operator, in the journal and its history like any other."""
    started = runtime.started_at
    return [runtime.submit(Close(a.id, DEMO_OPERATOR.login, AlarmOutcome.HANDLED,
                                 "closed when the demo started again", handled_state(a)))
            for a in runtime.current_alarms() if a.is_open and a.raised_at < started]
