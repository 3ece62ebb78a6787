"""Every algorithm of the provider loads and describes itself (in French when QGIS is in French)."""

import re

from opendata_publisher.processing.provider import ALGORITHMS, OpenDataProvider


def test_every_listed_algorithm_loads_with_its_help():
    provider = OpenDataProvider()
    provider.loadAlgorithms()
    names = sorted(algorithm.name() for algorithm in provider.algorithms())
    assert len(names) == len(ALGORITHMS), "an algorithm module failed to import (see the QGIS log)"
    assert names == [
        "check_profile",
        "conform_layer",
        "export_metadata",
        "legal_check",
        "publish_layer",
        "publish_project",
        "territory_dashboard",
        "validate_layer",
    ]
    for algorithm in provider.algorithms():
        algorithm.initAlgorithm()
        assert algorithm.displayName()
        help_text = algorithm.shortHelpString()
        assert len(help_text) > 80, algorithm.name()
        assert not re.search(r"\{[a-z_]+\}", help_text), f"unfilled placeholder in the help of {algorithm.name()}"
        assert algorithm.parameterDefinitions(), algorithm.name()
