"""The set-up assistant: a site file, its connections tested, its journal and its first
administrator, for a machine nobody installed. Cancel leaves nothing behind: no file, no
account (both are made on the last page only), and the secrets this run stored are taken
back (deleted, or their earlier values restored)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QWidget, QWizard

from app.core.adapter import AdapterConfig
from app.core.install import user_site_path
from app.core.registry import AdapterEntry
from app.core.site import Site
from app.core.site_check import secrets_named
from app.ui.site_setup import AdminDraft, ProbeRunner, SecretStash, SiteDraft
from widgets.setup.pages import (
    AdaptersPage,
    AdminPage,
    JournalPage,
    ProbePage,
    SavePage,
    SitePage,
)


class SetupAssistant(QWizard):
    """`saved_path` is the site file written once the assistant is accepted."""

    def __init__(self, registry: dict[str, AdapterEntry], default_path: Path | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("setup-assistant")
        self.setWindowTitle(self.tr("CSU Console — set up this site"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, False)
        self.registry = registry
        self.default_path = default_path or user_site_path()
        self.site_dir = self.default_path.parent
        self.draft = SiteDraft()
        self.admin = AdminDraft()
        self.configs: list[AdapterConfig] = []
        self.journal_password: str | None = None
        self.stash = SecretStash()
        self.runner = ProbeRunner(registry, self)
        self.saved_path: Path | None = None
        self.saved_site: Site | None = None
        self.site_page = SitePage(self)
        self.adapters_page = AdaptersPage(self)
        self.journal_page = JournalPage(self)
        self.probe_page = ProbePage(self)
        self.admin_page = AdminPage(self)
        self.save_page = SavePage(self)
        for page in (self.site_page, self.adapters_page, self.journal_page, self.probe_page,
                     self.admin_page, self.save_page):
            self.addPage(page)
        self.resize(900, 640)  # fits a 1366x768 screen with its task bar

    def done(self, result: int) -> None:
        """Accepted: QWizard validates the save page first (the file, the account), and
        what the run stored stays. Cancelled or closed: its secrets are taken back (the
        file and the account are only made by an accepted run)."""
        if result == QDialog.DialogCode.Accepted:
            super().done(result)
            if self.saved_path is None:  # the save page refused: the assistant stays open
                return
            named = {name for name, _ in secrets_named(self.saved_site)} \
                if self.saved_site is not None else set()
            self.stash.keep(named)  # one typed, then renamed on a page gone back to: dropped
        else:
            self.stash.rollback()
            super().done(result)
        self.runner.shutdown()
