"""A tree model of findings, grouped by check code and field.

Used by every page that shows :class:`~opendata_publisher.core.checks.finding.Finding`
objects (schema check now, legal and metadata checks later). Two levels:

* group rows: one per (full code, field), with the number of findings and the
  check's French title from the registry;
* finding rows: one per finding (feature id, row, value, message; the hint is
  the tooltip). A group shows at most ``max_children`` findings, followed by a
  « … et N autres » row, so that hundreds of thousands of findings stay fluid.

Filtering (text and severities) happens inside the model: groups and counts
are recomputed from the matching findings, never one widget per row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Set, Tuple

from qgis.PyQt.QtCore import QAbstractItemModel, QCoreApplication, QModelIndex, Qt
from qgis.PyQt.QtGui import QFont, QIcon

from opendata_publisher.core.checks.finding import ERROR, INFO, SEVERITIES, WARNING, Finding, severity_rank

# internalId() of a group index; a finding index stores its group's row + 1.
_GROUP_ID = 0

_SEVERITY_ICON_NAMES = {
    ERROR: "/mIconCritical.svg",
    WARNING: "/mIconWarning.svg",
    INFO: "/mIconInfo.svg",
}


def severity_icon(severity: str) -> QIcon:
    """The QGIS theme icon for a severity (critical, warning, info)."""
    from qgis.core import QgsApplication

    name = _SEVERITY_ICON_NAMES.get(severity, "/mIconInfo.svg")
    return QgsApplication.getThemeIcon(name)


def _registry_describe(code: str):
    """registry.describe(code) (else that of its base code), or None when the registry does not know it
    (with the registry's UnknownCodeWarning: tests fail on it)."""
    try:
        from opendata_publisher.core.checks.registry import describe, warn_unknown
    except ImportError:  # registry not available: show raw codes
        return None
    for candidate in (code, code.split("/", 1)[0]):
        try:
            info = describe(candidate)
        except (KeyError, ValueError, LookupError):
            if candidate == code:
                warn_unknown(code)
            continue
        if info is not None:
            return info
    return None


@dataclass
class FindingGroup:
    """One group row: the findings sharing a full code and a field."""

    code: str
    field: Optional[str]
    severity: str
    findings: List[Finding] = field(default_factory=list)
    title: str = ""
    help: str = ""

    @property
    def count(self) -> int:
        return len(self.findings)

    @property
    def key(self) -> Tuple[str, str]:
        return (self.code, self.field or "")


class FindingsModel(QAbstractItemModel):
    """Grouped, filterable tree of findings (see module docstring)."""

    COL_PROBLEM = 0
    COL_FIELD = 1
    COL_COUNT = 2
    COL_FEATURE = 3
    COL_ROW = 4
    COL_VALUE = 5
    COLUMN_COUNT = 6

    FindingRole = Qt.ItemDataRole.UserRole + 1
    GroupRole = Qt.ItemDataRole.UserRole + 2
    SeverityRole = Qt.ItemDataRole.UserRole + 3
    CodeRole = Qt.ItemDataRole.UserRole + 4
    KindRole = Qt.ItemDataRole.UserRole + 5  # "group", "finding" or "more"

    KIND_GROUP = "group"
    KIND_FINDING = "finding"
    KIND_MORE = "more"

    DEFAULT_MAX_CHILDREN = 500

    def __init__(
        self,
        parent=None,
        max_children: int = DEFAULT_MAX_CHILDREN,
        describe: Optional[Callable[[str], Any]] = None,
    ):
        super().__init__(parent)
        self._all: List[Finding] = []
        self._groups: List[FindingGroup] = []
        self._max_children = max(1, int(max_children))
        self._describe = describe or _registry_describe
        self._describe_cache: Dict[str, Any] = {}
        self._text_filter = ""
        self._severities: Set[str] = set(SEVERITIES)
        self._icons: Dict[str, QIcon] = {}

    # ------------------------------------------------------------------ API
    @staticmethod
    def tr(text: str) -> str:
        return QCoreApplication.translate("FindingsModel", text)

    def set_findings(self, findings: Iterable[Finding]) -> None:
        """Replace every finding (filters are kept)."""
        self._all = list(findings)
        self._rebuild()

    def clear(self) -> None:
        self.set_findings([])

    def all_findings(self) -> List[Finding]:
        """Every finding, whatever the filters."""
        return list(self._all)

    def visible_findings(self) -> List[Finding]:
        """Findings matching the current filters (including those hidden behind « … et N autres »)."""
        return [f for g in self._groups for f in g.findings]

    def groups(self) -> List[FindingGroup]:
        return list(self._groups)

    @property
    def max_children(self) -> int:
        return self._max_children

    def set_max_children(self, value: int) -> None:
        self._max_children = max(1, int(value))
        self._rebuild()

    def text_filter(self) -> str:
        return self._text_filter

    def set_text_filter(self, text: str) -> None:
        """Keep findings whose code, field, message, hint, value or feature id contain ``text`` (case-insensitive)."""
        text = (text or "").strip()
        if text == self._text_filter:
            return
        self._text_filter = text
        self._rebuild()

    def severity_filter(self) -> Set[str]:
        return set(self._severities)

    def set_severity_filter(self, severities: Optional[Iterable[str]]) -> None:
        """Keep only these severities (None or empty: all of them)."""
        wanted = set(severities or SEVERITIES)
        if wanted == self._severities:
            return
        self._severities = wanted
        self._rebuild()

    def counts(self, visible_only: bool = False) -> Dict[str, int]:
        """Number of findings per severity."""
        source = self.visible_findings() if visible_only else self._all
        result = {ERROR: 0, WARNING: 0, INFO: 0}
        for finding in source:
            result[finding.severity] = result.get(finding.severity, 0) + 1
        return result

    def feature_ids(self, severities: Sequence[str] = (ERROR,), visible_only: bool = False) -> List[int]:
        """Distinct feature ids of findings of these severities, in order of first appearance."""
        wanted = set(severities)
        source = self.visible_findings() if visible_only else self._all
        seen: Dict[int, None] = {}
        for finding in source:
            if finding.severity in wanted and finding.feature_id is not None:
                seen.setdefault(int(finding.feature_id), None)
        return list(seen)

    def error_feature_ids(self) -> List[int]:
        """Every feature with at least one error (filters ignored)."""
        return self.feature_ids((ERROR,))

    def kind(self, index: QModelIndex) -> Optional[str]:
        if not index.isValid():
            return None
        if index.internalId() == _GROUP_ID:
            return self.KIND_GROUP
        group = self._groups[index.internalId() - 1]
        return self.KIND_MORE if index.row() >= self._shown(group) else self.KIND_FINDING

    def group_at(self, index: QModelIndex) -> Optional[FindingGroup]:
        """The group of a group row or of one of its child rows."""
        if not index.isValid():
            return None
        if index.internalId() == _GROUP_ID:
            row = index.row()
        else:
            row = index.internalId() - 1
        return self._groups[row] if 0 <= row < len(self._groups) else None

    def finding_at(self, index: QModelIndex) -> Optional[Finding]:
        """The finding of a finding row (None for group and « … et N autres » rows)."""
        if not index.isValid() or index.internalId() == _GROUP_ID:
            return None
        group = self._groups[index.internalId() - 1]
        if index.row() < self._shown(group):
            return group.findings[index.row()]
        return None

    def group_index(self, code: str, field_name: Optional[str] = None) -> QModelIndex:
        """Index of the group (code, field), or an invalid index."""
        for row, group in enumerate(self._groups):
            if group.code == code and (group.field or "") == (field_name or ""):
                return self.index(row, 0)
        return QModelIndex()

    @staticmethod
    def group_label(group: FindingGroup) -> str:
        """« Valeur hors de la liste autorisée — type_usager (3) »"""
        if group.field:
            return f"{group.title} — {group.field} ({group.count})"
        return f"{group.title} ({group.count})"

    def check_info(self, code: str):
        """The registry's CheckInfo for a code (cached), or None."""
        if code not in self._describe_cache:
            try:
                self._describe_cache[code] = self._describe(code)
            except Exception:  # a registry bug must not break the view
                self._describe_cache[code] = None
        return self._describe_cache[code]

    # ------------------------------------------------------------ internals
    def _shown(self, group: FindingGroup) -> int:
        return min(group.count, self._max_children)

    def _matches(self, finding: Finding, needle: str) -> bool:
        if not needle:
            return True
        haystack = " ".join(
            str(part)
            for part in (
                finding.full_code,
                finding.field or "",
                finding.message,
                finding.hint,
                "" if finding.value is None else finding.value,
                "" if finding.feature_id is None else finding.feature_id,
                self._group_title(finding.full_code),
            )
        )
        return needle in haystack.casefold()

    def _group_title(self, code: str) -> str:
        info = self.check_info(code)
        title = getattr(info, "title", "") if info is not None else ""
        return title or code

    def _rebuild(self) -> None:
        self.beginResetModel()
        needle = self._text_filter.casefold()
        by_key: Dict[Tuple[str, str], FindingGroup] = {}
        for finding in self._all:
            if finding.severity not in self._severities and finding.severity in SEVERITIES:
                continue
            if not self._matches(finding, needle):
                continue
            key = (finding.full_code, finding.field or "")
            group = by_key.get(key)
            if group is None:
                info = self.check_info(finding.full_code)
                group = FindingGroup(
                    code=finding.full_code,
                    field=finding.field,
                    severity=finding.severity,
                    title=(getattr(info, "title", "") if info is not None else "") or finding.full_code,
                    help=getattr(info, "help", "") if info is not None else "",
                )
                by_key[key] = group
            elif severity_rank(finding.severity) < severity_rank(group.severity):
                group.severity = finding.severity
            group.findings.append(finding)
        self._groups = sorted(
            by_key.values(), key=lambda g: (severity_rank(g.severity), -g.count, g.code, g.field or "")
        )
        self.endResetModel()

    def _icon(self, severity: str) -> QIcon:
        if severity not in self._icons:
            self._icons[severity] = severity_icon(severity)
        return self._icons[severity]

    # ------------------------------------------------------ Qt model API
    def index(self, row: int, column: int, parent: QModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column < 0 or column >= self.COLUMN_COUNT or row < 0:
            return QModelIndex()
        if not parent.isValid():
            if row < len(self._groups):
                return self.createIndex(row, column, _GROUP_ID)
            return QModelIndex()
        if parent.internalId() != _GROUP_ID:
            return QModelIndex()
        group_row = parent.row()
        if group_row >= len(self._groups) or row >= self.rowCount(parent):
            return QModelIndex()
        return self.createIndex(row, column, group_row + 1)

    def parent(self, index: QModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not index.isValid() or index.internalId() == _GROUP_ID:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, _GROUP_ID)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        if not parent.isValid():
            return len(self._groups)
        if parent.column() != 0 or parent.internalId() != _GROUP_ID:
            return 0
        group = self._groups[parent.row()]
        shown = self._shown(group)
        return shown + (1 if group.count > shown else 0)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return self.COLUMN_COUNT

    def hasChildren(self, parent: QModelIndex = QModelIndex()) -> bool:  # noqa: N802, B008
        return self.rowCount(parent) > 0

    def flags(self, index: QModelIndex):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            self.COL_PROBLEM: self.tr("Problem"),
            self.COL_FIELD: self.tr("Field"),
            self.COL_COUNT: self.tr("Count"),
            self.COL_FEATURE: self.tr("Feature"),
            self.COL_ROW: self.tr("Row"),
            self.COL_VALUE: self.tr("Value"),
        }.get(section)

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if index.internalId() == _GROUP_ID:
            return self._group_data(self._groups[index.row()], index.column(), role)
        group = self._groups[index.internalId() - 1]
        if index.row() >= self._shown(group):
            return self._more_data(group, index.column(), role)
        return self._finding_data(group.findings[index.row()], index.column(), role)

    def _group_data(self, group: FindingGroup, column: int, role):
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.COL_PROBLEM:
                return self.group_label(group)
            if column == self.COL_FIELD:
                return group.field or ""
            if column == self.COL_COUNT:
                return group.count
            return None
        if role == Qt.ItemDataRole.DecorationRole and column == self.COL_PROBLEM:
            return self._icon(group.severity)
        if role == Qt.ItemDataRole.ToolTipRole:
            parts = [f"<b>{_html(group.title)}</b> <code>{_html(group.code)}</code>"]
            if group.help:
                parts.append(_html(group.help))
            return "<br>".join(parts)
        if role == Qt.ItemDataRole.FontRole and column == self.COL_PROBLEM:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.COL_COUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return self._common_roles(role, self.KIND_GROUP, group.severity, group.code, group=group)

    def _finding_data(self, finding: Finding, column: int, role):
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.COL_PROBLEM:
                return finding.message
            if column == self.COL_FIELD:
                return finding.field or ""
            if column == self.COL_FEATURE:
                return "" if finding.feature_id is None else str(finding.feature_id)
            if column == self.COL_ROW:
                return "" if finding.row is None else str(finding.row)
            if column == self.COL_VALUE:
                return "" if finding.value is None else _short(str(finding.value))
            return None
        if role == Qt.ItemDataRole.DecorationRole and column == self.COL_PROBLEM:
            return self._icon(finding.severity)
        if role == Qt.ItemDataRole.ToolTipRole:
            what_to_do = _html(self.tr("What to do:"))
            text = f"<p>{_html(finding.message)}</p>"
            if getattr(finding, "level", None) or getattr(finding, "basis", None):  # legal findings
                text += f"<p><b>{_html(finding.level or '')}</b> {_html(finding.basis or '')}</p>"
            if finding.hint:
                text += f"<p><b>{what_to_do}</b> {_html(finding.hint)}</p>"
            if finding.value is not None and column == self.COL_VALUE:
                text += f"<p><code>{_html(str(finding.value))}</code></p>"
            return text
        return self._common_roles(role, self.KIND_FINDING, finding.severity, finding.full_code, finding=finding)

    def _more_data(self, group: FindingGroup, column: int, role):
        hidden = group.count - self._shown(group)
        if role == Qt.ItemDataRole.DisplayRole and column == self.COL_PROBLEM:
            return self.tr("… and {n} more").format(n=hidden)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tr(
                "Only the first {shown} problems of this group are listed. Use the filter to narrow the list, "
                "or export the report to see them all."
            ).format(shown=self._shown(group))
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setItalic(True)
            return font
        return self._common_roles(role, self.KIND_MORE, group.severity, group.code, group=group)

    def _common_roles(self, role, kind, severity, code, finding=None, group=None):
        if role == self.KindRole:
            return kind
        if role == self.SeverityRole:
            return severity
        if role == self.CodeRole:
            return code
        if role == self.FindingRole:
            return finding
        if role == self.GroupRole:
            return group
        return None


def _short(text: str, limit: int = 80) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _html(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
