"""The set-up assistant driven as an installer would: every page refuses what is wrong in
words, the connections are tested against a real MQTT broker (mosquitto, password in the
keyring) and a port nobody listens on, each answer shown; Finish writes a site file that
`check-config` passes, with no secret in it, and an administrator who signs in. Cancel
leaves nothing behind."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QWizard
from pytestqt.qtbot import QtBot

from app.core.access import Role
from app.core.registry import discover
from app.core.secrets import get_secret, has_secret
from app.core.site import load_site
from app.main import main
from app.services.sign_in import SignIn
from app.services.site_draft import journal_where
from tests.integration.adapters.conftest import (  # noqa: F401 - the session's broker
    MosquittoBroker,
    free_port,
    mosquitto_broker,
)
from widgets.setup.adapter_form import AdapterForm
from widgets.setup.assistant import SetupAssistant

PROBE_WAIT_MS = 40_000  # a refused connection answers at once; the bound is for a slow box


@pytest.fixture
def assistant(qtbot: QtBot, tmp_path: Path,
              monkeypatch: pytest.MonkeyPatch) -> Iterator[SetupAssistant]:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # its own journal
    wizard = SetupAssistant(discover(), default_path=tmp_path / "conf" / "site.toml")
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    yield wizard
    wizard.runner.shutdown(wait=True)


def problems(wizard: SetupAssistant) -> str:
    label = wizard.currentPage().findChild(QLabel, "problems")
    assert label is not None
    return label.text()


def type_in(form: AdapterForm, key: str, text: str) -> None:
    box = form.findChild(QLineEdit, key)
    assert box is not None, key
    box.setText(text)


def fill_site(wizard: SetupAssistant, name: str = "Ville d'Essai") -> None:
    page = wizard.site_page
    page.name.setText(name)
    page.lat.setValue(45.764)
    page.lon.setValue(4.8357)
    page.zoom.setValue(15)


def test_the_assistant_sets_a_site_up(qtbot: QtBot, assistant: SetupAssistant,
                                      mosquitto_broker: MosquittoBroker) -> None:  # noqa: F811
    wizard = assistant
    broker = mosquitto_broker
    wizard.next()  # nothing typed
    assert wizard.currentPage() is wizard.site_page
    assert "name" in problems(wizard)
    fill_site(wizard)
    wizard.next()
    assert wizard.currentPage() is wizard.adapters_page

    page = wizard.adapters_page
    phones = page.add("owntracks")
    assert phones is not None
    phones.name_box.setText("telephones")
    type_in(phones, "port", str(broker.auth_port))
    type_in(phones, "username", broker.auth_user)
    type_in(phones, "password_secret-value", broker.auth_password)  # its name is made up
    down = page.add("owntracks")
    assert down is not None
    down.name_box.setText("broker-eteint")
    type_in(down, "port", str(free_port()))  # nobody listens there
    hook = page.add("webhook")
    assert hook is not None
    type_in(hook, "port", "huit")
    wizard.next()
    assert wizard.currentPage() is page
    said = problems(wizard)
    assert "webhook: port: expected a whole number" in said
    type_in(hook, "port", str(free_port()))
    wizard.next()
    assert "hmac_secret: required" in problems(wizard)
    type_in(hook, "hmac_secret", "hook-essai")
    type_in(hook, "hmac_secret-value", "une clé partagée")
    wizard.next()
    assert wizard.currentPage() is wizard.journal_page, problems(wizard)
    assert get_secret("telephones-password") == broker.auth_password  # stored before testing
    assert get_secret("hook-essai") == "une clé partagée"

    wizard.next()  # the embedded journal
    probe = wizard.probe_page
    assert wizard.currentPage() is probe
    qtbot.waitUntil(lambda: len(probe.outcome) == 3, timeout=PROBE_WAIT_MS)
    assert probe.outcome == {"telephones": True, "broker-eteint": False, "webhook": True}
    assert "connected to MQTT broker" in probe.rows["telephones"].text(1)
    assert "as 'csu'" in probe.rows["telephones"].text(1)
    assert probe.rows["broker-eteint"].text(1).startswith("FAILED")
    assert "2 connection(s) answer, 1 failed" in probe.summary.text()

    wizard.next()  # a failed test does not stop the assistant
    admin = wizard.admin_page
    assert wizard.currentPage() is admin
    admin.login.setText("chef.admin")
    admin.full_name.setText("Claire Admin")
    admin.password.setText("un-long-mot-de-passe")
    admin.again.setText("un-autre-mot-de-passe")
    wizard.next()
    assert "differ" in problems(wizard)
    admin.again.setText("un-long-mot-de-passe")
    wizard.next()
    assert wizard.currentPage() is wizard.save_page
    assert "telephones" in wizard.save_page.preview.toPlainText()

    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.result() == QWizard.DialogCode.Accepted
    saved = wizard.saved_path
    assert saved == wizard.default_path
    assert saved.is_file()
    text = saved.read_text(encoding="utf-8")
    assert broker.auth_password not in text
    assert "une clé partagée" not in text
    assert tomllib.loads(text)["adapters"][0]["password_secret"] == "telephones-password"
    assert has_secret("telephones-password")  # kept: the run finished
    assert main(["check-config", str(saved)]) == 0
    site = load_site(saved, discover())
    assert [a.name for a in site.adapters] == ["telephones", "broker-eteint", "webhook"]
    from app.store.opening import open_store

    store, _ = open_store(journal_where(site))
    try:
        user = SignIn(store).sign_in("chef.admin", "un-long-mot-de-passe", "poste-1")
        assert user.role is Role.ADMIN
    finally:
        store.close()


def test_cancel_leaves_nothing_behind(assistant: SetupAssistant) -> None:
    wizard = assistant
    fill_site(wizard, "Ville annulée")
    wizard.next()
    form = wizard.adapters_page.add("webhook")
    assert form is not None
    type_in(form, "hmac_secret-value", "à oublier")
    wizard.next()
    assert wizard.currentPage() is wizard.journal_page, problems(wizard)
    assert has_secret("webhook-hmac")
    wizard.reject()
    assert wizard.result() == QWizard.DialogCode.Rejected
    assert not has_secret("webhook-hmac")
    assert wizard.saved_path is None
    assert not wizard.default_path.exists()


def test_a_rooms_journal_is_checked_and_tested(qtbot: QtBot,
                                               assistant: SetupAssistant) -> None:
    wizard = assistant
    fill_site(wizard)
    wizard.next()
    wizard.next()  # no adapter: a site may start with none
    page = wizard.journal_page
    assert wizard.currentPage() is page
    assert not page.url.isEnabled()
    page.room.setChecked(True)
    page.url.setText("mysql://db/csu")
    wizard.next()
    assert "postgresql://" in problems(wizard)
    page.url.setText(f"postgresql://csu@127.0.0.1:{free_port()}/csu")  # nobody there
    page.password.setText("mot de passe de la base")
    wizard.next()
    probe = wizard.probe_page
    assert wizard.currentPage() is probe
    assert get_secret("journal-password") == "mot de passe de la base"
    qtbot.waitUntil(lambda: "journal" in probe.outcome, timeout=PROBE_WAIT_MS)
    assert probe.outcome == {"journal": False}
    assert probe.rows["journal"].text(1).startswith("FAILED")
    wizard.reject()
    assert not has_secret("journal-password")


def test_it_fits_a_1366x768_screen_with_the_longest_form(assistant: SetupAssistant) -> None:
    wizard = assistant
    fill_site(wizard)
    wizard.next()
    for kind in sorted(wizard.registry):
        wizard.adapters_page.add(kind)  # the body-cam form is the longest: it scrolls
    QApplication.processEvents()
    assert wizard.width() <= 1366
    assert wizard.height() <= 768 - 48  # a task bar
    assert wizard.minimumSizeHint().width() <= 1366


def test_a_secret_renamed_before_finishing_is_not_left_behind(
        assistant: SetupAssistant) -> None:
    wizard = assistant
    fill_site(wizard, "Ville renommée")
    wizard.next()
    hook = wizard.adapters_page.add("webhook")
    assert hook is not None
    type_in(hook, "hmac_secret", "premier-nom")
    type_in(hook, "hmac_secret-value", "la clé")
    wizard.next()
    assert has_secret("premier-nom")
    wizard.back()
    type_in(hook, "hmac_secret", "second-nom")
    wizard.next()
    wizard.next()  # embedded journal
    wizard.next()  # tests: not waited for
    admin = wizard.admin_page
    admin.login.setText("chef")
    admin.full_name.setText("Chef de salle")
    admin.password.setText("un-long-mot-de-passe")
    admin.again.setText("un-long-mot-de-passe")
    wizard.next()
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.saved_path is not None
    assert get_secret("second-nom") == "la clé"
    assert not has_secret("premier-nom")
