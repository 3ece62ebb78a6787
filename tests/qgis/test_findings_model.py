"""FindingsModel (grouped, filterable, capped tree) and FindingsView (filter bar, help, activation)."""

from __future__ import annotations

import pytest
from qgis.PyQt.QtCore import QModelIndex, Qt

from opendata_publisher.core.checks.finding import ERROR, INFO, WARNING, Finding
from opendata_publisher.core.checks.registry import describe
from opendata_publisher.gui.findings_model import FindingsModel
from opendata_publisher.gui.findings_view import FindingsView

try:  # Qt >= 5.11 ships a consistency checker for item models
    from qgis.PyQt.QtTest import QAbstractItemModelTester
except ImportError:  # pragma: no cover
    QAbstractItemModelTester = None


def _findings():
    enum = {"code": "constraint-error", "constraint": "enum", "severity": ERROR, "field": "type_usager"}
    return [
        Finding(message="« voitures » n'est pas autorisé", hint="Choisissez tous, abonnés", feature_id=1, row=2,
                value="voitures", **enum),
        Finding(message="« camions » n'est pas autorisé", hint="Choisissez tous, abonnés", feature_id=2, row=3,
                value="camions", **enum),
        Finding(message="« vélos » n'est pas autorisé", hint="Choisissez tous, abonnés", feature_id=3, row=4,
                value="vélos", **enum),
        Finding(code="constraint-error", constraint="required", severity=ERROR, field="id",
                message="Valeur obligatoire manquante", hint="Donnez un identifiant", feature_id=2, row=3),
        Finding(code="constraint-error", constraint="required", severity=ERROR, field="id",
                message="Valeur obligatoire manquante", hint="Donnez un identifiant", feature_id=4, row=5),
        Finding(code="extra-label", severity=WARNING, field="interne", message="Le champ « interne » est en trop"),
        Finding(code="schema-warning", severity=INFO, message="Le schéma a une imperfection"),
    ]  # fmt: skip


@pytest.fixture
def model(qgis_app):
    model = FindingsModel()
    if QAbstractItemModelTester is not None:
        model._tester = QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.set_findings(_findings())
    return model


def _group_rows(model):
    return [
        (model.data(model.index(r, FindingsModel.COL_PROBLEM)), model.data(model.index(r, FindingsModel.COL_FIELD)),
         model.data(model.index(r, FindingsModel.COL_COUNT)))
        for r in range(model.rowCount())
    ]  # fmt: skip


def test_groups_by_code_and_field_errors_first_with_registry_titles(model):
    rows = _group_rows(model)
    assert rows == [
        ("Valeur hors de la liste autorisée — type_usager (3)", "type_usager", 3),
        ("Valeur obligatoire manquante — id (2)", "id", 2),
        ("Champ en trop — interne (1)", "interne", 1),
        (f"{describe('schema-warning').title} (1)", "", 1),
    ]
    assert [g.title for g in model.groups()][:2] == [
        "Valeur hors de la liste autorisée",
        "Valeur obligatoire manquante",
    ]
    assert [g.code for g in model.groups()] == [
        "constraint-error/enum",
        "constraint-error/required",
        "extra-label",
        "schema-warning",
    ]
    assert [g.severity for g in model.groups()] == [ERROR, ERROR, WARNING, INFO]
    # the group's tooltip carries the registry's help (how to fix)
    tooltip = model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    assert "constraint-error/enum" in tooltip and "règle du schéma" in tooltip
    assert model.data(model.index(0, 0), FindingsModel.KindRole) == FindingsModel.KIND_GROUP
    assert not model.data(model.index(0, 0), Qt.ItemDataRole.DecorationRole).isNull()


def test_children_show_feature_row_value_and_hint_tooltip(model):
    group = model.index(0, 0)
    assert model.rowCount(group) == 3
    child = model.index(1, FindingsModel.COL_PROBLEM, group)
    assert model.parent(child) == group.siblingAtColumn(0)
    assert model.data(child) == "« camions » n'est pas autorisé"
    assert model.data(model.index(1, FindingsModel.COL_FEATURE, group)) == "2"
    assert model.data(model.index(1, FindingsModel.COL_ROW, group)) == "3"
    assert model.data(model.index(1, FindingsModel.COL_VALUE, group)) == "camions"
    assert "Choisissez tous, abonnés" in model.data(child, Qt.ItemDataRole.ToolTipRole)
    finding = model.finding_at(child)
    assert finding.feature_id == 2 and finding.value == "camions"
    assert model.data(child, FindingsModel.FindingRole) is finding
    assert model.group_at(child).code == "constraint-error/enum"
    # findings are leaves
    assert model.rowCount(child) == 0
    assert not model.index(0, 0, child).isValid()


def test_text_filter_is_case_and_value_aware(model):
    model.set_text_filter("CAMIONS")
    assert _group_rows(model) == [("Valeur hors de la liste autorisée — type_usager (1)", "type_usager", 1)]
    assert [f.feature_id for f in model.visible_findings()] == [2]
    model.set_text_filter("id")  # the field name
    assert ("Valeur obligatoire manquante — id (2)", "id", 2) in _group_rows(model)
    model.set_text_filter("nothing matches this")
    assert model.rowCount() == 0
    model.set_text_filter("")
    assert model.rowCount() == 4


def test_severity_filter(model):
    model.set_severity_filter([WARNING])
    assert [g.code for g in model.groups()] == ["extra-label"]
    model.set_severity_filter([ERROR, INFO])
    assert [g.code for g in model.groups()] == [
        "constraint-error/enum",
        "constraint-error/required",
        "schema-warning",
    ]
    assert model.counts(visible_only=True) == {ERROR: 5, WARNING: 0, INFO: 1}
    assert model.counts() == {ERROR: 5, WARNING: 1, INFO: 1}
    model.set_severity_filter(None)
    assert model.rowCount() == 4


def test_error_feature_ids_are_distinct_and_ignore_filters(model):
    model.set_severity_filter([WARNING])
    assert model.error_feature_ids() == [1, 2, 3, 4]
    assert model.feature_ids((ERROR,), visible_only=True) == []


def test_groups_are_capped_with_and_n_more_row(qgis_app):
    model = FindingsModel(max_children=2)
    many = [
        Finding(code="type-error", severity=ERROR, field="nb_places", message=f"valeur {i}", feature_id=i)
        for i in range(10)
    ]
    model.set_findings(many)
    group = model.index(0, 0)
    assert model.data(model.index(0, FindingsModel.COL_COUNT)) == 10
    assert model.rowCount(group) == 3
    more = model.index(2, 0, group)
    assert model.kind(more) == FindingsModel.KIND_MORE
    assert "8" in model.data(more)
    assert model.finding_at(more) is None
    assert model.kind(model.index(1, 0, group)) == FindingsModel.KIND_FINDING
    # nothing is lost: the hidden findings still count for selection
    assert model.error_feature_ids() == list(range(10))


def test_large_number_of_findings_is_fast(qgis_app):
    import time

    findings = [
        Finding(code="type-error", severity=ERROR, field=f"f{i % 20}", message="m", feature_id=i, value=i)
        for i in range(100_000)
    ]
    model = FindingsModel()
    start = time.perf_counter()
    model.set_findings(findings)
    model.set_text_filter("f3")
    elapsed = time.perf_counter() - start
    assert model.rowCount() == 1  # only the group of field « f3 »
    assert model.groups()[0].count == 5000
    assert elapsed < 3.0


def test_view_severity_buttons_counts_and_help(qgis_app):
    view = FindingsView()
    view.set_findings(_findings())
    assert view.severity_buttons[ERROR].text() == "5"
    assert view.severity_buttons[WARNING].text() == "1"
    view.severity_buttons[ERROR].setChecked(False)
    assert [g.severity for g in view.model.groups()] == [WARNING, INFO]
    view.severity_buttons[ERROR].setChecked(True)
    view.set_text_filter("camions")
    assert view.severity_buttons[ERROR].text() == "1/5"
    view.set_text_filter("")

    view.tree.setCurrentIndex(view.model.index(0, 0))
    assert view.current_group().code == "constraint-error/enum"
    assert "règle du schéma" in view.help_text()
    child = view.model.index(0, 0, view.model.index(0, 0))
    view.tree.setCurrentIndex(child)
    assert "Choisissez tous, abonnés" in view.help_text()
    assert view.current_finding().feature_id == 1


def test_view_activation_emits_finding_only_for_finding_rows(qgis_app):
    view = FindingsView()
    view.set_findings(_findings())
    received = []
    view.findingActivated.connect(received.append)
    group = view.model.index(1, 0)
    view.tree.doubleClicked.emit(group)  # a group row: toggles expansion, no finding
    assert received == []
    assert view.tree.isExpanded(group)
    view.tree.doubleClicked.emit(view.model.index(1, 0, group))
    assert len(received) == 1 and received[0].feature_id == 4
    view.tree.doubleClicked.emit(QModelIndex())
    assert len(received) == 1
