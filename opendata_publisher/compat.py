"""The one place for differences between QGIS / Qt versions.

We test on QGIS 3.22 (Debian 12, Qt5) and ship for QGIS 3.22 → 4.x (Qt6). Several enums moved over
time (``QgsProcessing.TypeVectorAnyGeometry`` → ``Qgis.ProcessingSourceType.VectorAnyGeometry`` in 3.36,
``QgsWkbTypes.PointGeometry`` → ``Qgis.GeometryType.Point`` in 3.30, ``QVariant.Type`` → ``QMetaType.Type``
for ``QgsField`` in 3.38 / Qt6…). Other modules import the constants and helpers below instead of
spelling version-dependent names themselves.

Each constant is resolved once, at import, by looking for the new name first and falling back to the
old one, so the code keeps working on both sides of every move.
"""

from __future__ import annotations

from typing import Any, Optional

from qgis.core import (
    NULL,
    Qgis,
    QgsField,
    QgsMapLayerProxyModel,
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterNumber,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QT_VERSION_STR, QMetaType, QVariant

try:  # Qt6: QAction lives in QtGui
    from qgis.PyQt.QtGui import QAction
except ImportError:  # Qt5
    from qgis.PyQt.QtWidgets import QAction

QGIS_VERSION_INT: int = Qgis.QGIS_VERSION_INT
QT_MAJOR_VERSION: int = int(QT_VERSION_STR.split(".")[0])
IS_QT6: bool = QT_MAJOR_VERSION >= 6


__all__ = ["QAction"]  # re-exported: ``from opendata_publisher.compat import QAction``


def qgis_version_at_least(version_int: int) -> bool:
    """``qgis_version_at_least(33600)`` is True on QGIS 3.36 and later."""
    return version_int <= QGIS_VERSION_INT


def _pick(new_owner: Any, new_path: str, old_owner: Any, old_name: str) -> Any:
    """``new_owner.<new_path>`` when it exists (dotted path), else ``old_owner.<old_name>``."""
    obj = new_owner
    try:
        for part in new_path.split("."):
            obj = getattr(obj, part)
        return obj
    except AttributeError:
        return getattr(old_owner, old_name)


# --- Processing source types (Qgis.ProcessingSourceType since 3.36) -----------------------------------
SOURCE_VECTOR_ANY_GEOMETRY = _pick(
    Qgis, "ProcessingSourceType.VectorAnyGeometry", QgsProcessing, "TypeVectorAnyGeometry"
)
SOURCE_VECTOR_POINT = _pick(Qgis, "ProcessingSourceType.VectorPoint", QgsProcessing, "TypeVectorPoint")
SOURCE_VECTOR_LINE = _pick(Qgis, "ProcessingSourceType.VectorLine", QgsProcessing, "TypeVectorLine")
SOURCE_VECTOR_POLYGON = _pick(Qgis, "ProcessingSourceType.VectorPolygon", QgsProcessing, "TypeVectorPolygon")
#: Any vector layer, including tables without geometry (what the schema checks accept).
SOURCE_VECTOR = _pick(Qgis, "ProcessingSourceType.Vector", QgsProcessing, "TypeVector")

# --- Processing parameter sub-types (Qgis.* since 3.36) ------------------------------------------------
NUMBER_INTEGER = _pick(Qgis, "ProcessingNumberParameterType.Integer", QgsProcessingParameterNumber, "Integer")
NUMBER_DOUBLE = _pick(Qgis, "ProcessingNumberParameterType.Double", QgsProcessingParameterNumber, "Double")
FIELD_ANY = _pick(Qgis, "ProcessingFieldParameterDataType.Any", QgsProcessingParameterField, "Any")
FIELD_NUMERIC = _pick(Qgis, "ProcessingFieldParameterDataType.Numeric", QgsProcessingParameterField, "Numeric")
FIELD_STRING = _pick(Qgis, "ProcessingFieldParameterDataType.String", QgsProcessingParameterField, "String")
FILE_BEHAVIOR_FILE = _pick(Qgis, "ProcessingFileParameterBehavior.File", QgsProcessingParameterFile, "File")
FILE_BEHAVIOR_FOLDER = _pick(Qgis, "ProcessingFileParameterBehavior.Folder", QgsProcessingParameterFile, "Folder")

# --- Processing algorithm flags (Qgis.ProcessingAlgorithmFlag since 3.36) ------------------------------
ALG_FLAG_NO_THREADING = _pick(Qgis, "ProcessingAlgorithmFlag.NoThreading", QgsProcessingAlgorithm, "FlagNoThreading")

# --- Geometry types (Qgis.GeometryType since 3.30) ---------------------------------------------------
GEOMETRY_POINT = _pick(Qgis, "GeometryType.Point", QgsWkbTypes, "PointGeometry")
GEOMETRY_LINE = _pick(Qgis, "GeometryType.Line", QgsWkbTypes, "LineGeometry")
GEOMETRY_POLYGON = _pick(Qgis, "GeometryType.Polygon", QgsWkbTypes, "PolygonGeometry")
GEOMETRY_UNKNOWN = _pick(Qgis, "GeometryType.Unknown", QgsWkbTypes, "UnknownGeometry")
GEOMETRY_NULL = _pick(Qgis, "GeometryType.Null", QgsWkbTypes, "NullGeometry")

# --- WKB types (Qgis.WkbType since 3.30; QgsWkbTypes keeps the helper functions) ------------------------
WKB_NO_GEOMETRY = _pick(Qgis, "WkbType.NoGeometry", QgsWkbTypes, "NoGeometry")
WKB_UNKNOWN = _pick(Qgis, "WkbType.Unknown", QgsWkbTypes, "Unknown")
WKB_POINT = _pick(Qgis, "WkbType.Point", QgsWkbTypes, "Point")
WKB_MULTIPOINT = _pick(Qgis, "WkbType.MultiPoint", QgsWkbTypes, "MultiPoint")
WKB_LINESTRING = _pick(Qgis, "WkbType.LineString", QgsWkbTypes, "LineString")
WKB_MULTILINESTRING = _pick(Qgis, "WkbType.MultiLineString", QgsWkbTypes, "MultiLineString")
WKB_POLYGON = _pick(Qgis, "WkbType.Polygon", QgsWkbTypes, "Polygon")
WKB_MULTIPOLYGON = _pick(Qgis, "WkbType.MultiPolygon", QgsWkbTypes, "MultiPolygon")


def wkb_display_string(wkb_type: Any) -> str:
    """Human name of a WKB type ("MultiPolygon"), whatever enum flavour the layer returned."""
    return QgsWkbTypes.displayString(wkb_type)


def geometry_type_of_wkb(wkb_type: Any) -> Any:
    """Point / line / polygon / null family of a WKB type (compare with the ``GEOMETRY_*`` constants)."""
    return QgsWkbTypes.geometryType(wkb_type)


# --- Layer filters for QgsMapLayerComboBox (Qgis.LayerFilter since 3.34) ------------------------------
LAYER_FILTER_VECTOR = _pick(Qgis, "LayerFilter.VectorLayer", QgsMapLayerProxyModel, "VectorLayer")
LAYER_FILTER_HAS_GEOMETRY = _pick(Qgis, "LayerFilter.HasGeometry", QgsMapLayerProxyModel, "HasGeometry")
LAYER_FILTER_NO_GEOMETRY = _pick(Qgis, "LayerFilter.NoGeometry", QgsMapLayerProxyModel, "NoGeometry")

# --- Field types: QVariant.Type (Qt5, QGIS < 3.38) vs QMetaType.Type (QGIS ≥ 3.38 / Qt6) -------------


def _qgsfield_takes_metatype() -> bool:
    try:
        QgsField("probe", QMetaType.Type.Int)
    except TypeError:
        return False
    return True


FIELD_TYPE_USES_METATYPE: bool = _qgsfield_takes_metatype()

_METATYPE_BY_NAME = {
    "string": QMetaType.Type.QString,
    "int": QMetaType.Type.Int,
    "integer": QMetaType.Type.Int,
    "longlong": QMetaType.Type.LongLong,
    "int64": QMetaType.Type.LongLong,
    "double": QMetaType.Type.Double,
    "number": QMetaType.Type.Double,
    "bool": QMetaType.Type.Bool,
    "boolean": QMetaType.Type.Bool,
    "date": QMetaType.Type.QDate,
    "datetime": QMetaType.Type.QDateTime,
    "time": QMetaType.Type.QTime,
    "bytearray": QMetaType.Type.QByteArray,
    "stringlist": QMetaType.Type.QStringList,
    "map": QMetaType.Type.QVariantMap,
    "list": QMetaType.Type.QVariantList,
}


def field_type(name: str) -> Any:
    """The type object to give ``QgsField(name, field_type("int"))`` on this QGIS.

    ``name`` is one of string, int/integer, longlong/int64, double/number, bool/boolean, date, datetime,
    time, bytearray, stringlist, map, list. Raises ``KeyError`` for anything else.
    """
    metatype = _METATYPE_BY_NAME[name.lower()]
    if FIELD_TYPE_USES_METATYPE:
        return metatype
    return QVariant.Type(int(metatype))  # noqa: QGS402 - the Qt5 / QGIS < 3.38 branch of this shim


def make_field(name: str, type_name: str, length: int = 0, precision: int = 0) -> QgsField:
    """A ``QgsField`` built the same way on every version (``make_field("nom", "string")``)."""
    return QgsField(name, field_type(type_name), len=length, prec=precision)


_NAME_BY_TYPE_INT = {
    int(QMetaType.Type.QString): "string",
    int(QMetaType.Type.Int): "int",
    int(QMetaType.Type.UInt): "int",
    int(QMetaType.Type.LongLong): "longlong",
    int(QMetaType.Type.ULongLong): "longlong",
    int(QMetaType.Type.Double): "double",
    int(QMetaType.Type.Bool): "bool",
    int(QMetaType.Type.QDate): "date",
    int(QMetaType.Type.QDateTime): "datetime",
    int(QMetaType.Type.QTime): "time",
    int(QMetaType.Type.QByteArray): "bytearray",
    int(QMetaType.Type.QStringList): "stringlist",
    int(QMetaType.Type.QVariantMap): "map",
    int(QMetaType.Type.QVariantList): "list",
}


def field_type_name(field: QgsField) -> str:
    """Normalised name of a field's type ("string", "int", "longlong", "double", "bool", "date",
    "datetime", "time", "bytearray", "stringlist", "map", "list" or "other")."""
    return _NAME_BY_TYPE_INT.get(int(field.type()), "other")


# --- NULL values ------------------------------------------------------------------------------------


def is_null(value: Any) -> bool:
    """True for Python ``None``, QGIS ``NULL`` and a null ``QVariant`` (attribute values differ by version)."""
    if value is None:
        return True
    if isinstance(value, QVariant):
        return value.isNull()
    try:
        return value == NULL and type(value) is type(NULL)
    except Exception:  # noqa: BLE001 - exotic types comparing badly are simply not NULL
        return False


# --- QgsSettings values -----------------------------------------------------------------------------

_TRUE_STRINGS = {"1", "true", "yes", "on", "oui", "vrai"}
_FALSE_STRINGS = {"0", "false", "no", "off", "non", "faux", ""}


def to_bool(value: Any, default: bool = False) -> bool:
    """Coerce what QgsSettings / an environment variable gives back ("true", 1, QVariant…) to a bool."""
    if isinstance(value, QVariant):
        value = None if value.isNull() else value.value()
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE_STRINGS:
        return True
    if text in _FALSE_STRINGS:
        return False
    return default


def to_int(value: Any, default: int = 0) -> int:
    """Coerce a settings value to int, falling back to ``default`` when it is not a number."""
    if isinstance(value, QVariant):
        value = None if value.isNull() else value.value()
    if value is None or isinstance(value, bool):
        return default
    try:
        return int(float(str(value).strip()))
    except ValueError:
        return default


def to_str(value: Any, default: str = "") -> str:
    """Coerce a settings value to str (``None`` / NULL → ``default``)."""
    if isinstance(value, QVariant):
        value = None if value.isNull() else value.value()
    if value is None:
        return default
    return str(value)


def optional_int(value: Any) -> Optional[int]:
    """``int(value)`` or None (for HTTP status attributes that may be NULL)."""
    if isinstance(value, QVariant):
        value = None if value.isNull() else value.value()
    if value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def provider_can(layer, capability: str) -> bool:
    """Whether the layer's data provider can do ``capability`` (« ChangeAttributeValues », « DeleteFeatures »…):
    ``Qgis.VectorProviderCapability`` in QGIS ≥ 3.40, ``QgsVectorDataProvider.<name>`` before."""
    from qgis.core import Qgis, QgsVectorDataProvider

    provider = layer.dataProvider() if layer is not None else None
    if provider is None:
        return False
    flag = getattr(getattr(Qgis, "VectorProviderCapability", None), capability, None)
    if flag is None:
        flag = getattr(QgsVectorDataProvider, capability, None)
    if flag is None:
        return False
    try:
        return bool(provider.capabilities() & flag)
    except TypeError:
        return False
