"""The conform fixes as one registry (issue 16, item 4): every fix the dialog can offer has its steps in
:data:`steps.STEPS` (when it applies and its repair), the pipeline and the dialog's list read that registry,
and every registered repair is exercised on real layers."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter

import pytest
from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsVectorLayer

from opendata_publisher.compat import make_field
from opendata_publisher.core.conform import fixes as fx
from opendata_publisher.core.conform import steps
from opendata_publisher.core.conform.model import ConformOptions
from opendata_publisher.core.conform.suggestions import analyse
from opendata_publisher.core.reader import LayerInput
from opendata_publisher.core.schema.model import parse_schema
from tests.qgis.test_conform_engine import SCHEMA, SIRET, _messy_points


def test_every_fix_the_dialog_offers_is_in_the_registry():
    registered = {step.fix_id for step in steps.STEPS}
    assert registered == set(fx.FIX_IDS)  # the dialog lists fixes.FIXES: each one has its steps, nothing else
    for step in steps.STEPS:
        assert step.stage in steps.STAGES
        assert step.label == fx.fix_info(step.fix_id).title and step.label[0].isupper()
    # within a stage the registry's order is the pipeline's: cleaning before repairs, coordinates before swaps
    order = [(step.stage, step.fix_id) for step in steps.STEPS]
    assert order.index((steps.CLEAN, fx.TRIM)) < order.index((steps.CLEAN, fx.FORMULAS))
    assert order.index((steps.ROW, fx.COORDINATES)) < order.index((steps.ROW, fx.SWAP))
    assert order.index((steps.GEOMETRY, fx.MAKE_VALID)) < order.index((steps.GEOMETRY, fx.REPROJECT))


def test_the_fixes_offered_follow_the_layer_and_the_schema():
    schema = parse_schema(SCHEMA, "test")
    offered = steps.offered_fixes(LayerInput.from_layer(_messy_points()), schema)  # Lambert-93 points
    assert fx.REPROJECT in offered and fx.COORDINATES in offered and fx.IDENTIFIERS in offered
    assert fx.MAKE_VALID not in offered  # points are never invalid
    plain = parse_schema({"name": "t", "fields": [{"name": "nom", "type": "string"}]}, "test")
    table = QgsVectorLayer("None", "table", "memory")
    table.dataProvider().addAttributes([make_field("nom", "string")])
    table.updateFields()
    offered = steps.offered_fixes(LayerInput.from_layer(table), plain)
    # a table without geometry: the value fixes only, in the dialog's order
    assert offered == [
        fx.FIELDS,
        fx.TRIM,
        fx.DATES,
        fx.NUMBERS,
        fx.BOOLEANS,
        fx.ENUMS,
        fx.FORMATS,
        fx.CONSTANTS,
        fx.FORMULAS,
    ]


def _table_with_reversed_coordinates_formulas_and_datetimes() -> QgsVectorLayer:
    layer = QgsVectorLayer("None", "table", "memory")
    layer.dataProvider().addAttributes(
        [make_field(name, "string") for name in ("nom", "quand", "longitude", "latitude")]
    )
    layer.updateFields()
    feature = QgsFeature(layer.fields())
    feature.setAttributes(["=SOMME(A1:A3)", "24/06/2019 14h30", "47.9027", "1.9086"])
    layer.dataProvider().addFeatures([feature])
    return layer


def _polygon_with_a_bowtie() -> QgsVectorLayer:
    layer = QgsVectorLayer("Polygon?crs=EPSG:2154", "zones", "memory")
    layer.dataProvider().addAttributes([make_field("nom", "string")])
    layer.updateFields()
    feature = QgsFeature(layer.fields())
    feature.setAttributes(["noeud papillon"])
    feature.setGeometry(
        QgsGeometry.fromWkt("POLYGON((619000 6753000, 619100 6753100, 619100 6753000, 619000 6753100, 619000 6753000))")
    )
    layer.dataProvider().addFeatures([feature])
    return layer


def _reversed_wgs84_point() -> QgsVectorLayer:
    layer = QgsVectorLayer("Point?crs=EPSG:4326", "points", "memory")
    layer.dataProvider().addAttributes([make_field("nom", "string")])
    layer.updateFields()
    feature = QgsFeature(layer.fields())
    feature.setAttributes(["Orléans"])
    feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(47.9027, 1.9086)))
    layer.dataProvider().addFeatures([feature])
    return layer


@pytest.fixture
def counted(monkeypatch):
    """The registry with each step's repair counted (for a ``value`` step: each call of the repair it makes)."""
    calls: Counter = Counter()

    def counting(index, step):
        if step.stage == steps.VALUE:

            def make(descriptor, _make=step.repair):
                function = _make(descriptor)

                def repair(value):
                    calls[index] += 1
                    return function(value)

                return repair

            return make

        def repair(*args, _repair=step.repair):
            calls[index] += 1
            return _repair(*args)

        return repair

    wrapped = tuple(dataclasses.replace(step, repair=counting(i, step)) for i, step in enumerate(steps.STEPS))
    monkeypatch.setattr(steps, "STEPS", wrapped)
    return calls


def test_every_registered_repair_is_exercised(counted):
    everything = list(fx.FIX_IDS)
    messy_schema = parse_schema(SCHEMA, "test")
    coordinates_schema = parse_schema(
        {
            "name": "t",
            "fields": [
                {"name": "nom", "type": "string"},
                {"name": "quand", "type": "datetime"},
                {"name": "longitude", "type": "number"},
                {"name": "latitude", "type": "number"},
            ],
        },
        "test",
    )
    plain = parse_schema({"name": "zones", "fields": [{"name": "nom", "type": "string"}]}, "test")
    runs = [
        (_messy_points(), messy_schema, {"siret_gestionnaire": SIRET}),
        (_table_with_reversed_coordinates_formulas_and_datetimes(), coordinates_schema, {}),
        (_polygon_with_a_bowtie(), plain, {}),
        (_reversed_wgs84_point(), plain, {}),
    ]
    changed: Counter = Counter()
    analyses = []
    for layer, schema, constants in runs:
        options = ConformOptions(fixes=everything, constants=constants)
        analysis = analyse(LayerInput.from_layer(layer), schema, options)
        analyses.append(analysis)
        for fix_id in fx.FIX_IDS:
            changed[fix_id] += analysis.count(fix_id)

    never_called = [(i, s.stage, s.fix_id) for i, s in enumerate(steps.STEPS) if not counted[i]]
    assert never_called == []
    # and each fix changed something (the field renaming is the mapping, not a value)
    assert [fix_id for fix_id in fx.FIX_IDS if fix_id != fx.FIELDS and not changed[fix_id]] == []
    assert analyses[0].suggested["nom_equipement"] == "nom_equipe"
    table = analyses[1]
    assert ("quand", "24/06/2019 14h30", "2019-06-24T14:30:00") in table.stats[fx.DATES].examples
    assert ("nom", "=SOMME(A1:A3)", "'=SOMME(A1:A3)") in table.stats[fx.FORMULAS].examples
    assert table.count(fx.SWAP) == 1 and table.count(fx.COORDINATES) == 0  # no geometry: swapped, not computed
    assert analyses[3].count(fx.SWAP) == 1  # the point itself


def test_a_repair_that_is_not_enabled_is_not_run(counted):
    layer = _table_with_reversed_coordinates_formulas_and_datetimes()
    schema = parse_schema({"name": "t", "fields": [{"name": "quand", "type": "datetime"}]}, "test")
    analysis = analyse(LayerInput.from_layer(layer), schema, ConformOptions())
    assert analysis.count(fx.DATES) == 1  # the preview counts every available fix
    counted.clear()
    from opendata_publisher.core.conform.pipeline import Conformer

    conformer = Conformer(LayerInput.from_layer(layer), schema, ConformOptions(fixes=[fx.TRIM]))
    plan = conformer.plan_by_name["quand"]
    assert plan.repair(" 24/06/2019 14h30", conformer.enabled) == (
        "24/06/2019 14h30",
        [(fx.TRIM, " 24/06/2019 14h30", "24/06/2019 14h30")],
    )
    assert {steps.STEPS[i].fix_id for i in counted} == {fx.TRIM}  # the date repair was not even tried
    conformer = Conformer(LayerInput.from_layer(layer), schema, ConformOptions(fixes=[fx.DATES]))
    assert conformer.plan_by_name["quand"].repair("24/06/2019 14h30", conformer.enabled)[0] == dt.datetime(
        2019, 6, 24, 14, 30
    )
