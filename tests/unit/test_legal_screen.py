"""The every-row screen of a sampled field: it can only over-select what the value-shape detectors find, and
its NumPy form (Arrow batches) selects exactly the rows of its Python form (QGIS reading)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from opendata_publisher.core.legal import patterns as p
from opendata_publisher.core.legal.collect import _screen_mask
from opendata_publisher.core.legal.detectors import value_shapes

BODY = "1850578006084"
NIR = BODY + f"{p.nir_key(BODY):02d}"

SHAPED = [
    ("jean.exemple@exemple.fr", {"email"}),
    ("  Contact : j.dupont@mairie-exemple.fr ", {"email"}),
    ("06 12 34 56 78", {"phone"}),
    ("+33 (0)6 12 34 56 78", {"phone"}),
    ("02.38.00.00.00 / 06-00-00-00-01", {"phone"}),
    (NIR, {"nir"}),
    (" ".join([NIR[:1], NIR[1:3], NIR[3:5], NIR[5:7], NIR[7:10], NIR[10:13], NIR[13:]]), {"nir"}),
    (int(NIR), {"nir"}),
    (-int(NIR), {"nir"}),
    ("FR76 3000 6000 0112 3456 7890 189", {"iban"}),
    ("fr76-3000-6000-0112-3456-7890-189", {"iban"}),
    ("FR76\u00a03000\u00a06000\u00a00112\u00a03456\u00a07890\u00a0189", {"iban"}),
]
PLAIN = [
    "REF-00012",
    "Rue du 8 mai 1945",
    "Élodie Exemple",
    "",
    "12345678",
    12345678,
    3.5,
    None,
    "AB1",
    "42315893097503",  # a SIRET
    "70 quai de la Loire, 01100, Commune 01001",
    423158930,
    "https://exemple.fr/parking/2024/01/15/123",
]


@pytest.mark.parametrize("value, kinds", SHAPED)
def test_shaped_values_pass_the_screen_that_serves_their_detector(value, kinds):
    assert set(value_shapes(value)) == kinds
    served = {kind for screen in p.screen_classes(value) for kind in p.SCREEN_KINDS[screen]}
    assert kinds <= served


@pytest.mark.parametrize("value", PLAIN)
def test_plain_values_do_not_pass(value):
    assert p.screen_classes(value) == () and value_shapes(value) == ()


def _random_texts(count: int):
    rng = random.Random(20261204)
    alphabet = "abAB FRXZ0123456789012345678901234567890123456789 .-@/|;,+()'éà\u00a0\t\x1c"
    texts = [text for text, _kinds in SHAPED if isinstance(text, str)] + [t for t in PLAIN if isinstance(t, str)]
    for _ in range(count):
        texts.append("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))))
    return texts


@pytest.mark.parametrize("screens", [p.SCREEN_CLASSES, ("@",), ("digits",), ("iban",), ("@", "iban")])
def test_numpy_screen_selects_the_rows_of_the_python_screen(screens):
    texts = _random_texts(5000)
    data = np.array([t.encode("utf-8") for t in texts], dtype=bytes)
    mask = _screen_mask(np, data, screens)
    expected = [any(c in screens for c in p.screen_classes(t)) for t in texts]
    assert mask.tolist() == expected
    assert 0 < sum(expected) < len(texts)
    for text, kept in zip(texts, expected):  # nothing a detector finds is screened out
        if not kept:
            assert not {k for k in value_shapes(text) for s in screens if k in p.SCREEN_KINDS[s]}, text
