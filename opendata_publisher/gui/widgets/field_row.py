"""One form row: label, « ? » button, editor, a short help line and an inline problem message.

The help comes from :data:`opendata_publisher.core.metadata.model.FIELD_HELP`: its first sentence is
always shown under the editor (grey, small), the whole text is the tooltip of the label and of the
editor, and the « ? » button shows or hides the whole text. :meth:`FieldRow.set_problem` draws a red
(blocking) or orange (warning) frame around the editor with the message under it.
"""

from __future__ import annotations

import re
from typing import Optional

from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QToolButton, QVBoxLayout, QWidget

ERROR_COLOR = "#b00020"
WARNING_COLOR = "#a05a00"
HELP_COLOR = "#5f6368"


_ABBREVIATIONS = {"ex.", "cf.", "etc.", "env.", "p.", "e.g.", "i.e."}


def first_sentence(text: str) -> str:
    """The first sentence of a help text: up to the first « . ! ? » followed by a space, not after an
    abbreviation (« ex. », « etc. ») and not inside brackets or « … » quotes."""
    text = text.strip()
    for match in re.finditer(r"[.!?](?=\s|$)", text):
        head = text[: match.end()]
        last_word = head.split()[-1].lstrip("(«").lower()
        if last_word in _ABBREVIATIONS and match.end() < len(text):
            continue
        if head.count("(") > head.count(")") or head.count("«") > head.count("»"):
            continue
        return head
    return text


class FieldRow(QWidget):
    """A labelled editor with its help and its problem line (see module docstring)."""

    def __init__(self, name: str, label: str, help_text: str, editor: QWidget, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.name = name
        self.editor = editor
        self.help_text = help_text
        self.setObjectName(f"row_{name}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 4)
        layout.setSpacing(2)

        head = QHBoxLayout()
        head.setSpacing(4)
        self.label = QLabel(f"<b>{label}</b>", self)
        self.label.setToolTip(help_text)
        self.label.setBuddy(editor)
        head.addWidget(self.label, 1)
        self.help_button = QToolButton(self)
        self.help_button.setObjectName(f"help_{name}")
        self.help_button.setText("?")
        self.help_button.setAutoRaise(True)
        self.help_button.setCheckable(True)
        self.help_button.setToolTip(help_text)
        self.help_button.setFixedSize(18, 18)
        self.help_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        head.addWidget(self.help_button, 0)
        layout.addLayout(head)

        self.frame = QFrame(self)
        self.frame.setObjectName(f"frame_{name}")
        frame_layout = QVBoxLayout(self.frame)
        frame_layout.setContentsMargins(1, 1, 1, 1)
        frame_layout.addWidget(editor)
        editor.setToolTip(help_text)
        layout.addWidget(self.frame)

        self.short_help = first_sentence(help_text)
        self.help_label = QLabel(self.short_help, self)
        self.help_label.setObjectName(f"helpline_{name}")
        self.help_label.setWordWrap(True)
        self.help_label.setStyleSheet(f"color: {HELP_COLOR}; font-size: 90%;")
        self.help_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.help_label.setVisible(bool(self.short_help))
        layout.addWidget(self.help_label)

        self.note_label = QLabel(self)  # e.g. « défini par le profil de la métropole » (locked field)
        self.note_label.setObjectName(f"note_{name}")
        self.note_label.setWordWrap(True)
        self.note_label.setStyleSheet(f"color: {HELP_COLOR}; font-style: italic;")
        self.note_label.setVisible(False)
        layout.addWidget(self.note_label)

        self.problem_label = QLabel(self)
        self.problem_label.setObjectName(f"problem_{name}")
        self.problem_label.setWordWrap(True)
        self.problem_label.setVisible(False)
        layout.addWidget(self.problem_label)
        self.severity = ""
        self.help_button.toggled.connect(self.show_full_help)

    def show_full_help(self, full: bool) -> None:
        self.help_label.setText(self.help_text if full else self.short_help)
        self.help_label.setVisible(bool(self.help_label.text()))

    def set_note(self, text: str = "") -> None:
        """A permanent note under the editor (empty: none)."""
        self.note_label.setText(text)
        self.note_label.setVisible(bool(text))

    def set_problem(self, severity: str = "", message: str = "") -> None:
        """``severity`` "error" (red frame), "warning" (orange text) or "" (clear)."""
        self.severity = severity if message else ""
        if not self.severity:
            self.frame.setStyleSheet("")
            self.problem_label.clear()
            self.problem_label.setVisible(False)
            return
        color = ERROR_COLOR if severity == "error" else WARNING_COLOR
        if severity == "error":
            self.frame.setStyleSheet(
                f"QFrame#{self.frame.objectName()} {{ border: 2px solid {color}; border-radius: 3px; }}"
            )
        else:
            self.frame.setStyleSheet("")
        self.problem_label.setStyleSheet(f"color: {color};")
        self.problem_label.setText(message)
        self.problem_label.setVisible(True)

    def problem(self) -> str:
        return self.problem_label.text() if self.severity else ""
