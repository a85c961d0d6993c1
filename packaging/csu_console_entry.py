"""The bundle's entry point (packaging/csu-console.spec): `csu-console` as pip installs it.

`app.main.main()` points python-vlc and imageio-ffmpeg at the bundle's own libvlc and FFmpeg
before anything imports them, and runs the demo's camera server when the bundle re-runs
itself as that child."""

import sys

from app.main import main

if __name__ == "__main__":
    sys.exit(main())
