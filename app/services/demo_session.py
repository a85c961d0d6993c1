"""The packaged demo opens signed in, so that a newcomer's first command shows the town at
work; a real site never does.

Only the demo site file the console ships counts (its resolved path is compared with the
package's own): no key of a site file can ask for it, and a copy of the demo file elsewhere
is a real site like any other, asking who signs in.
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import replace
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

# a shift chief: the newcomer sees everything the console does, replay and the access log
# included (an operator's window is the same less those two entries)
DEMO_USER = User("demo", "Chef de salle démo", Role.CHIEF, (ALL_COMMUNES,), source="demo")
# a demo room's seats sign in at its service with this account, which only the service of
# the packaged demo makes: a published password, for a town that does not exist
DEMO_PASSWORD = "demo-operateur"


def ensure_demo_account(journal: JournalStore) -> None:
    """The demo user's account in a demo room's journal (made once; an account made by an
    earlier version, as an operator, is made a chief)."""
    known = journal.account(DEMO_USER.login)
    if known is None:
        Accounts(journal, "demo", "demo").add(DEMO_USER.login, DEMO_USER.name,
                                              DEMO_USER.role, DEMO_USER.communes,
                                              DEMO_PASSWORD)
    elif known.user.role is not DEMO_USER.role or known.user.name != DEMO_USER.name:
        journal.put_account(replace(known, user=replace(known.user, role=DEMO_USER.role,
                                                        name=DEMO_USER.name)))


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
    is an act of the demo's user, in the journal and its history like any other."""
    started = runtime.started_at
    return [runtime.submit(Close(a.id, DEMO_USER.login, AlarmOutcome.HANDLED,
                                 "closed when the demo started again", handled_state(a)))
            for a in runtime.current_alarms() if a.is_open and a.raised_at < started]
