"""One adapter's settings, as a form drawn from its config model (app.ui.site_setup's
`form_fields`): a box per key, its default shown grey, its description as a tooltip. A
secret key asks for the keyring name and the value (never shown); the value goes to the
keyring, the name to the site file."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from app.ui.site_setup import (
    UNSET,
    AdapterDraft,
    FieldError,
    FieldSpec,
    form_fields,
    parse_value,
)

Box = QLineEdit | QCheckBox | QComboBox


class AdapterForm(QWidget):
    """The form of one `[[adapters]]` table: its name, then the adapter's own keys."""

    def __init__(self, kind: str, config: Any, description: str, name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.setObjectName(f"adapter-form-{kind}")
        self.specs: list[FieldSpec] = form_fields(config)
        layout = QFormLayout(self)
        about = QLabel(description)
        about.setWordWrap(True)
        layout.addRow(about)
        self.name_box = QLineEdit(name)
        self.name_box.setObjectName("name")
        self.name_box.setToolTip(self.tr("The name of this connection: messages and the "
                                          "status panel show it."))
        layout.addRow(self.tr("Name"), self.name_box)
        self.boxes: dict[str, Box] = {}
        self.secret_values: dict[str, QLineEdit] = {}
        for spec in self.specs:
            label = spec.key + (" *" if spec.required else "")
            layout.addRow(label, self._box(spec))

    def _box(self, spec: FieldSpec) -> QWidget:
        box: Box
        if spec.kind == "bool":
            box = QCheckBox()
            box.setChecked(bool(spec.default))
        elif spec.kind == "choice":
            box = QComboBox()
            box.addItems(list(spec.choices))
            if spec.default_text in spec.choices:
                box.setCurrentText(spec.default_text)
        else:
            box = QLineEdit()
            box.setPlaceholderText(spec.default_text)
        box.setObjectName(spec.key)
        if spec.description:
            box.setToolTip(spec.description)
        self.boxes[spec.key] = box
        if spec.kind != "secret":
            return box
        assert isinstance(box, QLineEdit)
        box.setPlaceholderText(self.tr("keyring name"))
        value = QLineEdit()
        value.setObjectName(f"{spec.key}-value")
        value.setEchoMode(QLineEdit.EchoMode.Password)
        value.setPlaceholderText(self.tr("value (stored in the keyring, not in the file)"))
        self.secret_values[spec.key] = value
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(box, 1)
        line.addWidget(value, 1)
        return row

    def draft(self) -> tuple[AdapterDraft, dict[str, str]]:
        """(the table typed, {keyring name: value} to store). FieldError: every box that
        cannot be used, one line each."""
        name = self.name_box.text().strip()
        values: dict[str, Any] = {}
        secrets: dict[str, str] = {}
        problems: list[str] = []
        for spec in self.specs:
            box = self.boxes[spec.key]
            typed: str | bool
            if isinstance(box, QCheckBox):
                typed = box.isChecked()
            elif isinstance(box, QComboBox):
                typed = box.currentText()
            else:
                typed = box.text()
            secret = self.secret_values.get(spec.key)
            if secret is not None and secret.text() and not str(typed).strip():
                typed = f"{name or self.kind}-{spec.key.removesuffix('_secret')}"
                box.setText(typed)  # type: ignore[union-attr]
            try:
                value = parse_value(spec, typed)
            except FieldError as exc:
                problems.append(str(exc))
                continue
            if value is not UNSET:
                values[spec.key] = value
            if secret is not None and secret.text() and value is not UNSET:
                secrets[str(value)] = secret.text()
        if problems:
            raise FieldError("\n".join(problems))
        return AdapterDraft(self.kind, name, values), secrets
