"""The recorder alone on a SQLite journal, run until it is killed (or SIGTERMed: then it
stops cleanly). Run by test_recorder*.py:
argv = journal, storage folder, camera URL (no password), segment_s, stall_s, io_timeout_s,
       [username password_secret]
Logs at INFO on standard error (the test checks no password is in it); prints READY."""

from __future__ import annotations

import logging
import signal
import sys
import threading
from types import FrameType

from app.core.events import CameraAnnounced
from app.core.hub import Hub
from app.core.journal import Journal
from app.core.model import Camera, CameraKind, Streams
from app.core.recording_config import RecordingConfig, StorageConfig
from app.services.recorder.recorder import Recorder


def main(argv: list[str]) -> None:
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(name)s %(message)s")
    journal_path, storage, url, segment_s, stall_s, io_timeout_s = argv[:6]
    username, secret = (argv[6], argv[7]) if len(argv) > 7 else (None, None)
    journal = Journal(journal_path)
    hub = Hub()
    config = RecordingConfig(cameras=["cam1"], segment_s=int(segment_s), stall_s=float(stall_s),
                             io_timeout_s=float(io_timeout_s),
                             storage=[StorageConfig(path=storage, budget_gb=1)])
    recorder = Recorder(hub, journal, config)
    recorder.start()
    hub.post(CameraAnnounced(Camera("cam1", "Cam 1", CameraKind.FIXED, Streams(main=url),
                                    username=username, password_secret=secret)))
    done = threading.Event()

    def stop(_sig: int, _frame: FrameType | None) -> None:
        done.set()

    signal.signal(signal.SIGTERM, stop)
    print("READY", flush=True)  # noqa: T201 - the test reads it
    done.wait()
    recorder.stop()
    journal.close()


if __name__ == "__main__":
    main(sys.argv[1:])
