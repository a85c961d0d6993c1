"""`csu-console secret set|list|delete`: installers store the site's passwords in the OS
keyring without a traceback on a headless machine (`keyring set` once died there with an
EOFError), the value read from standard input and never shown or echoed."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import keyring
import pytest
from keyring.backends.fail import Keyring as FailKeyring

from app.core.secrets import SecretMissing, get_secret, set_secret
from tests.conftest import REPO
from tests.unit.cli_run import CODE, csu, site_file

VALUE = "Tr0ub4dor&3-not-shown"
FAIL_BACKEND = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


def test_set_reads_the_value_from_stdin_and_never_prints_it() -> None:
    out = csu("secret", "set", "cli-set-secret", stdin=VALUE + "\n")
    assert out.returncode == 0, out.stderr
    assert VALUE not in out.stdout + out.stderr
    assert "cli-set-secret" in out.stdout
    assert "keyrings.alt.file.PlaintextKeyring" in out.stdout  # says where it went
    assert get_secret("cli-set-secret") == VALUE  # one trailing newline dropped, no more


def test_set_refuses_an_empty_value_and_stores_nothing() -> None:
    out = csu("secret", "set", "cli-empty-secret", stdin="\n")
    assert out.returncode == 1
    assert "empty" in out.stderr
    with pytest.raises(SecretMissing):
        get_secret("cli-empty-secret")


@pytest.mark.parametrize("given", [VALUE, "-" + VALUE])
def test_set_refuses_a_value_on_the_command_line_without_repeating_it(given: str) -> None:
    out = csu("secret", "set", "cli-argv-secret", given)
    assert out.returncode == 2
    assert "standard input" in out.stderr
    assert VALUE not in out.stdout + out.stderr
    with pytest.raises(SecretMissing):
        get_secret("cli-argv-secret")


def test_no_usable_keyring_is_said_plainly_with_how_to_choose_one() -> None:
    out = csu("secret", "set", "cli-fail-secret", stdin=VALUE, env=FAIL_BACKEND)
    assert out.returncode == 3
    text = out.stdout + out.stderr
    assert "Traceback" not in text
    assert VALUE not in text
    assert "no usable keyring" in out.stderr
    assert "keyring.backends.fail.Keyring" in out.stderr
    assert "PYTHON_KEYRING_BACKEND" in out.stderr
    assert "keyrings.alt" in out.stderr
    assert "Credential Manager" in out.stderr
    assert "nothing was stored" in out.stderr.lower()


def test_a_backend_that_asks_for_its_own_password_without_a_terminal() -> None:
    """keyrings.alt's EncryptedKeyring, the default once keyrings.alt is installed, asks
    for a keyring password; on a server over a pipe there is nowhere to type it."""
    out = csu("secret", "set", "cli-encrypted-secret", stdin=VALUE,
              env={"PYTHON_KEYRING_BACKEND": "keyrings.alt.file.EncryptedKeyring"})
    assert out.returncode == 3
    text = out.stdout + out.stderr
    assert "Traceback" not in text
    assert "EOFError" not in text
    assert VALUE not in text
    assert "asks for its own password" in out.stderr
    assert "terminal" in out.stderr
    assert "GetPassWarning" not in out.stderr  # the backend's own prompt never ran
    assert "Please set a password" not in out.stderr


def read_all(fd: int, until: float) -> bytes:
    data = b""
    while time.monotonic() < until:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        data += chunk
    return data


def wait_for(fd: int, text: bytes, deadline: float) -> bytes:
    seen = b""
    while text not in seen.lower():
        assert time.monotonic() < deadline, f"no {text!r} in {seen!r}"
        seen += read_all(fd, min(deadline, time.monotonic() + 0.5))
    return seen


def test_on_a_terminal_typing_is_not_echoed_and_asked_twice() -> None:
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-c", CODE, "secret", "set", "cli-tty-secret"],
                            cwd=REPO, stdin=slave, stdout=slave, stderr=slave,
                            env={**os.environ, "PYTHONPATH": str(REPO)},
                            start_new_session=True)
    os.close(slave)
    try:
        deadline = time.monotonic() + 60
        seen = wait_for(master, b"not shown", deadline)
        os.write(master, VALUE.encode() + b"\n")
        seen += wait_for(master, b"again", deadline)
        os.write(master, VALUE.encode() + b"\n")
        seen += read_all(master, deadline)
        assert proc.wait(30) == 0, seen
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    assert VALUE.encode() not in seen  # the terminal did not echo the typing
    assert get_secret("cli-tty-secret") == VALUE


def test_list_names_each_secret_of_the_site_and_whether_it_is_present(tmp_path: Path
                                                                       ) -> None:
    set_secret("list-present", VALUE)
    path = site_file(tmp_path, """
[[cameras]]
id = "cam-1"
name = "Parvis"
main = "rtsp://10.0.0.1/a"
password_secret = "list-present"

[[adapters]]
kind = "sia_dc09"
name = "dc09"
key_secret = "list-absent"
""")
    out = csu("secret", "list", str(path))
    assert out.returncode == 1  # one is missing
    assert VALUE not in out.stdout + out.stderr
    lines = out.stdout.splitlines()
    assert any("list-present" in x and "present" in x.replace("list-present", "")
               and "cameras[0].password_secret" in x for x in lines), lines
    assert any("list-absent" in x and "MISSING" in x and 'adapters "dc09".key_secret' in x
               for x in lines), lines


def test_list_says_when_the_keyring_cannot_be_read(tmp_path: Path) -> None:
    path = site_file(tmp_path, '[[adapters]]\nkind = "sia_dc09"\nname = "d"\nkey_secret = "k"\n')
    out = csu("secret", "list", str(path), env=FAIL_BACKEND)
    assert out.returncode == 3
    assert "no usable keyring" in out.stderr
    assert "Traceback" not in out.stdout + out.stderr


def test_delete_removes_a_secret_and_says_when_there_was_none() -> None:
    set_secret("cli-delete-secret", VALUE)
    out = csu("secret", "delete", "cli-delete-secret")
    assert out.returncode == 0, out.stderr
    with pytest.raises(SecretMissing):
        get_secret("cli-delete-secret")
    again = csu("secret", "delete", "cli-delete-secret")
    assert again.returncode == 1
    assert "holds no secret 'cli-delete-secret'" in again.stderr
    assert "Traceback" not in again.stderr


def test_the_console_s_own_message_names_the_new_command() -> None:
    with pytest.raises(SecretMissing, match="csu-console secret set never-stored"):
        get_secret("never-stored")


def test_the_console_s_own_message_without_a_keyring_says_how_to_choose_one() -> None:
    before = keyring.get_keyring()
    keyring.set_keyring(FailKeyring())
    try:
        with pytest.raises(SecretMissing) as info:
            get_secret("anything")
    finally:
        keyring.set_keyring(before)
    assert "no usable keyring" in str(info.value)
    assert "PYTHON_KEYRING_BACKEND" in str(info.value)
