"""The set-up assistant's pages. Each checks what it holds before Next (the reasons said
in a red line under the fields) and writes it into the assistant's draft; nothing reaches
a file or an account before the last page."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QBrush, QColor, QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWizardPage,
)

from app.ui.site_setup import (
    MIN_PASSWORD,
    AdminDraft,
    DraftError,
    FieldError,
    JournalDraft,
    adapter_config,
    finish,
    site_problems,
)
from widgets.setup.adapter_form import AdapterForm

if TYPE_CHECKING:
    from widgets.setup.assistant import SetupAssistant


def _problems_label() -> QLabel:
    label = QLabel()
    label.setObjectName("problems")
    label.setWordWrap(True)
    label.setStyleSheet("color: #c62828;")
    return label


class _Page(QWizardPage):
    def __init__(self, assistant: SetupAssistant) -> None:
        super().__init__()
        self.assistant = assistant
        self.problems = _problems_label()

    def refuse(self, problems: list[str]) -> bool:
        """Say why Next cannot go on; False (so validatePage's caller stays here)."""
        self.problems.setText("\n".join(f"• {p}" for p in problems))
        return not problems


class SitePage(_Page):
    def __init__(self, assistant: SetupAssistant) -> None:
        super().__init__(assistant)
        self.setTitle(self.tr("The site"))
        self.setSubTitle(self.tr("Its name, the communes it watches and where the map "
                                 "opens."))
        form = QFormLayout(self)
        self.name = QLineEdit()
        self.name.setObjectName("site-name")
        self.name.setPlaceholderText(self.tr("e.g. Ville de Saint-Exemple — CSU"))
        self.communes = QLineEdit()
        self.communes.setObjectName("communes")
        self.communes.setPlaceholderText(self.tr("one town: leave empty; several: "
                                                 "Commune A, Commune B"))
        self.lat = QDoubleSpinBox()
        self.lat.setObjectName("latitude")
        self.lat.setRange(-90, 90)
        self.lat.setDecimals(6)
        self.lon = QDoubleSpinBox()
        self.lon.setObjectName("longitude")
        self.lon.setRange(-180, 180)
        self.lon.setDecimals(6)
        self.zoom = QSpinBox()
        self.zoom.setObjectName("zoom")
        self.zoom.setRange(1, 20)
        self.tiles = QLineEdit()
        self.tiles.setObjectName("tile-url")
        self.tiles.setPlaceholderText("http://tiles.csu.local/{z}/{x}/{y}.png")
        draft = assistant.draft
        self.lat.setValue(draft.center[0])
        self.lon.setValue(draft.center[1])
        self.zoom.setValue(draft.zoom)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Communes"), self.communes)
        form.addRow(self.tr("Map centre: latitude"), self.lat)
        form.addRow(self.tr("Map centre: longitude"), self.lon)
        form.addRow(self.tr("Map zoom"), self.zoom)
        form.addRow(self.tr("Tile server (optional)"), self.tiles)
        form.addRow(self.problems)

    def validatePage(self) -> bool:
        d = self.assistant.draft
        d.name = self.name.text().strip()
        d.communes = [c.strip() for c in self.communes.text().split(",") if c.strip()]
        d.center = (self.lat.value(), self.lon.value())
        d.zoom = self.zoom.value()
        d.tile_url = self.tiles.text().strip()
        return self.refuse(site_problems(d))


class AdaptersPage(_Page):
    """Pick adapters from the installed list, name each, fill its form."""

    def __init__(self, assistant: SetupAssistant) -> None:
        super().__init__(assistant)
        self.setTitle(self.tr("Connections"))
        self.setSubTitle(self.tr("The systems the town already runs: add an adapter for "
                                 "each and fill its settings (* required; grey: the "
                                 "default)."))
        self.installed = QComboBox()
        self.installed.setObjectName("installed-adapters")
        # the descriptions are long: the box stays narrow and the list opens wide
        self.installed.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.installed.setMinimumContentsLength(40)
        for kind, entry in sorted(assistant.registry.items()):
            if entry.cls is None:
                self.installed.addItem(self.tr("{0} (broken: {1})").format(kind, entry.error),
                                       kind)
                continue
            caps = ", ".join(sorted(c.value for c in entry.cls.capabilities))
            self.installed.addItem(f"{kind} — {entry.cls.description} [{caps}]", kind)
        add = QPushButton(self.tr("Add"))
        add.setObjectName("add-adapter")
        add.clicked.connect(lambda: self.add(self.installed.currentData()))
        remove = QPushButton(self.tr("Remove"))
        remove.setObjectName("remove-adapter")
        remove.clicked.connect(self.remove_current)
        self.chosen = QListWidget()
        self.chosen.setObjectName("chosen-adapters")
        self.chosen.setMaximumWidth(220)
        self.forms = QStackedWidget()
        self.chosen.currentRowChanged.connect(self.forms.setCurrentIndex)
        top = QHBoxLayout()
        top.addWidget(self.installed, 1)
        top.addWidget(add)
        top.addWidget(remove)
        middle = QHBoxLayout()
        middle.addWidget(self.chosen)
        middle.addWidget(self.forms, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(middle, 1)
        layout.addWidget(self.problems)

    def form(self, row: int) -> AdapterForm:
        scroll = self.forms.widget(row)
        assert isinstance(scroll, QScrollArea)
        form = scroll.widget()
        assert isinstance(form, AdapterForm)
        return form

    def add(self, kind: str) -> AdapterForm | None:
        entry = self.assistant.registry.get(kind)
        if entry is None or entry.cls is None:
            self.refuse([self.tr("this adapter cannot be used: {0}").format(
                entry.error if entry else kind)])
            return None
        taken = {self.form(i).name_box.text() for i in range(self.forms.count())}
        name = next(n for n in (kind if i == 1 else f"{kind}-{i}" for i in range(1, 999))
                    if n not in taken)
        form = AdapterForm(kind, entry.cls.Config, entry.cls.description, name)
        form.name_box.textChanged.connect(self._rename)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(form)
        self.forms.addWidget(scroll)
        self.chosen.addItem(name)
        self.chosen.setCurrentRow(self.chosen.count() - 1)
        return form

    def _rename(self, text: str) -> None:
        item = self.chosen.currentItem()
        if item is not None:
            item.setText(text)

    def remove_current(self) -> None:
        row = self.chosen.currentRow()
        if row < 0:
            return
        self.chosen.takeItem(row)
        scroll = self.forms.widget(row)
        if scroll is not None:
            self.forms.removeWidget(scroll)
            scroll.deleteLater()

    def validatePage(self) -> bool:
        problems: list[str] = []
        drafts, configs, secrets = [], [], {}
        site_dir = self.assistant.site_dir
        for i in range(self.forms.count()):
            form = self.form(i)
            try:
                draft, typed = form.draft()
                configs.append(adapter_config(draft, self.assistant.registry, site_dir))
            except FieldError as exc:
                problems += [f"{form.name_box.text()}: {p}" for p in str(exc).splitlines()]
                continue
            except DraftError as exc:
                problems += [f"{form.name_box.text()}: {p}" for p in exc.problems]
                continue
            drafts.append(draft)
            secrets.update(typed)
        names = [d.name for d in drafts]
        problems += [self.tr("two connections are named {0!r}").format(n)
                     for n in sorted({n for n in names if names.count(n) > 1})]
        if problems:
            return self.refuse(problems)
        try:
            for name, value in secrets.items():
                self.assistant.stash.put(name, value)
        except Exception as exc:  # KeyringUnusable: its words say how to choose one
            return self.refuse([str(exc)])
        self.assistant.draft.adapters = drafts
        self.assistant.configs = configs
        return self.refuse([])


class JournalPage(_Page):
    def __init__(self, assistant: SetupAssistant) -> None:
        super().__init__(assistant)
        self.setTitle(self.tr("The journal"))
        self.setSubTitle(self.tr("Where alarms, events and the access log are kept."))
        self.embedded = QRadioButton(self.tr("On this workstation (one console: the "
                                             "default)"))
        self.embedded.setObjectName("journal-embedded")
        self.room = QRadioButton(self.tr("The room's PostgreSQL database (several "
                                         "workstations and the console service)"))
        self.room.setObjectName("journal-room")
        self.embedded.setChecked(True)
        self.url = QLineEdit()
        self.url.setObjectName("journal-url")
        self.url.setPlaceholderText("postgresql://csu@db.csu.local/csu")
        self.secret_name = QLineEdit("journal-password")
        self.secret_name.setObjectName("journal-secret")
        self.password = QLineEdit()
        self.password.setObjectName("journal-password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout(self)
        form.addRow(self.embedded)
        form.addRow(self.room)
        form.addRow(self.tr("Database URL"), self.url)
        form.addRow(self.tr("Password's keyring name"), self.secret_name)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.problems)
        self.room.toggled.connect(self._enable)
        self._enable(False)

    def _enable(self, room: bool) -> None:
        for box in (self.url, self.secret_name, self.password):
            box.setEnabled(room)

    def validatePage(self) -> bool:
        a = self.assistant
        if self.embedded.isChecked():
            a.draft.journal = JournalDraft()
            a.journal_password = None
            return self.refuse([])
        url = self.url.text().strip()
        secret = self.secret_name.text().strip()
        if not url.startswith(("postgresql://", "postgres://")):
            return self.refuse([self.tr("give the room's database as postgresql://user@host"
                                        "/database")])
        draft = JournalDraft(url, secret if self.password.text() or secret else "")
        try:
            draft.config()
        except Exception as exc:  # pydantic's ValidationError: the URL's own words
            return self.refuse([str(exc).splitlines()[-1].strip()])
        if self.password.text():
            if not secret:
                return self.refuse([self.tr("give the password a keyring name")])
            try:
                a.stash.put(secret, self.password.text())
            except Exception as exc:  # KeyringUnusable
                return self.refuse([str(exc)])
        a.draft.journal = draft
        a.journal_password = self.password.text() or None
        return self.refuse([])


class ProbePage(_Page):
    """Each connection tested on a worker thread, each answer shown as it comes. A failure
    does not stop the assistant: a camera may be down during the set-up."""

    def __init__(self, assistant: SetupAssistant) -> None:
        super().__init__(assistant)
        self.setTitle(self.tr("Test the connections"))
        self.setSubTitle(self.tr("Each system is contacted once. A failed test does not "
                                 "stop you from saving: the console retries."))
        self.results = QTreeWidget()
        self.results.setObjectName("probe-results")
        self.results.setHeaderLabels([self.tr("Connection"), self.tr("Result")])
        self.results.setColumnWidth(0, 200)
        self.results.setWordWrap(True)
        self.results.setRootIsDecorated(False)
        again = QPushButton(self.tr("Test again"))
        again.setObjectName("probe-again")
        again.clicked.connect(self.start)
        self.summary = QLabel()
        self.summary.setObjectName("probe-summary")
        layout = QVBoxLayout(self)
        layout.addWidget(self.results, 1)
        row = QHBoxLayout()
        row.addWidget(self.summary, 1)
        row.addWidget(again)
        layout.addLayout(row)
        self.rows: dict[str, QTreeWidgetItem] = {}
        self.outcome: dict[str, bool] = {}
        self.round = 0
        assistant.runner.answered.connect(self._answered)

    def initializePage(self) -> None:
        self.start()

    def start(self) -> None:
        """A new round: the answers of an earlier one (Back, then Next) are not shown."""
        a = self.assistant
        self.round += 1
        self.results.clear()
        self.rows.clear()
        self.outcome.clear()
        for cfg in a.configs:
            if cfg.enabled:
                a.runner.probe_adapter(self._row(cfg.name), cfg)
        journal = a.draft.journal.config()
        if journal is not None:
            a.runner.probe_journal(self._row("journal"), journal, a.journal_password)
        self._summarise()

    def _row(self, name: str) -> str:
        item = QTreeWidgetItem([name, self.tr("testing…")])
        self.results.addTopLevelItem(item)
        self.rows[name] = item
        return f"{self.round}|{name}"

    def _answered(self, key: str, results: object, error: object) -> None:
        round_, _, name = key.partition("|")
        item = self.rows.get(name)
        if item is None or round_ != str(self.round):  # an answer to an earlier round
            return
        if error is not None or not isinstance(results, list):
            lines, ok = [self.tr("the test failed: {0}").format(error)], False
        elif not results:
            lines, ok = [self.tr("nothing to test")], True
        else:
            ok = all(r.ok for r in results)
            lines = [f"{'OK' if r.ok else self.tr('FAILED')} — {r.check}: {r.detail}"
                     for r in results]
        item.setText(1, "\n".join(lines))
        item.setToolTip(1, "\n".join(lines))
        item.setForeground(1, self.palette().text() if ok else QBrush(QColor("#c62828")))
        self.outcome[name] = ok
        self._summarise()

    def _summarise(self) -> None:
        waiting = len(self.rows) - len(self.outcome)
        failed = sum(not ok for ok in self.outcome.values())
        if not self.rows:
            self.summary.setText(self.tr("No connection to test."))
        elif waiting:
            self.summary.setText(self.tr("{0} test(s) running…").format(waiting))
        else:
            self.summary.setText(self.tr("{0} connection(s) answer, {1} failed.").format(
                len(self.outcome) - failed, failed))


class AdminPage(_Page):
    def __init__(self, assistant: SetupAssistant) -> None:
        super().__init__(assistant)
        self.setTitle(self.tr("The first administrator"))
        self.setSubTitle(self.tr("The account that signs in first and adds the others. "
                                 "The password is kept only as an argon2id hash."))
        self.login = QLineEdit()
        self.login.setObjectName("admin-login")
        self.full_name = QLineEdit()
        self.full_name.setObjectName("admin-name")
        self.password = QLineEdit()
        self.password.setObjectName("admin-password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("at least {0} characters").format(
            MIN_PASSWORD))
        self.again = QLineEdit()
        self.again.setObjectName("admin-password-again")
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout(self)
        form.addRow(self.tr("Login"), self.login)
        form.addRow(self.tr("Full name"), self.full_name)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("Password again"), self.again)
        form.addRow(self.problems)

    def validatePage(self) -> bool:
        admin = AdminDraft(self.login.text().strip(), self.full_name.text().strip(),
                           self.password.text())
        self.assistant.admin = admin
        return self.refuse(admin.problems(self.again.text()))


class SavePage(_Page):
    """Where the site file goes; checked by check-config's checks, written whole, then the
    administrator created in the journal it names."""

    def __init__(self, assistant: SetupAssistant) -> None:
        super().__init__(assistant)
        self.setTitle(self.tr("Save the site file"))
        self.setSubTitle(self.tr("`csu-console check-config FILE` checks it again for a "
                                 "scripted roll-out."))
        self.path = QLineEdit(str(assistant.default_path))
        self.path.setObjectName("site-path")
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        self.preview = QPlainTextEdit()
        self.preview.setObjectName("site-preview")
        self.preview.setReadOnly(True)
        self.preview.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.admin_note = QLabel()
        self.admin_note.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(QLabel(self.tr("The site file (no password in it: they are in the "
                                        "keyring):")))
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.admin_note)
        layout.addWidget(self.problems)
        self.setFinalPage(True)

    def initializePage(self) -> None:
        a = self.assistant
        self.preview.setPlainText(a.draft.toml())
        journal = a.draft.journal.url or self.tr("this workstation's journal")
        self.admin_note.setText(self.tr(
            "Finish writes this file, then creates the administrator {0} in {1}.").format(
                a.admin.login, journal))

    def _browse(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(self, self.tr("Save the site file"),
                                                self.path.text(), self.tr("Site file (*.toml)"))
        if chosen:
            self.path.setText(chosen)

    def validatePage(self) -> bool:
        text = self.path.text().strip()
        if not text:
            return self.refuse([self.tr("say where to save the site file")])
        path = Path(text).expanduser()
        if path.exists() and QMessageBox.question(
                self, self.tr("Replace the site file?"),
                self.tr("{0} exists. Replace it?").format(path)) \
                != QMessageBox.StandardButton.Yes:
            return False
        a = self.assistant
        try:
            a.saved_site = finish(a.draft, a.admin, path, a.registry)
        except DraftError as exc:
            return self.refuse(exc.problems)
        except OSError as exc:
            return self.refuse([self.tr("cannot write {0}: {1}").format(path, exc)])
        a.saved_path = path
        return self.refuse([])

