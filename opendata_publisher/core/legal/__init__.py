"""The legal pre-publication check: personal and sensitive data, third-party sources, licence.

* :mod:`.patterns` — value shapes (NIR and IBAN checksums, e-mails, phones, person names) and masking;
* :mod:`.vocabulary` — the word lists they recognise (field-name words, first names, legal-person words,
  generic mailboxes, third-party providers, closed formats);
* :mod:`.detectors` — pure detectors over a :class:`~.detectors.LegalContext` (distinct values per field and
  layer-level texts), each returning findings with a level (BLOQUANT / À VÉRIFIER / INFO) and a legal basis;
* :mod:`.collect` — QGIS side: :class:`~.collect.LegalInput` snapshot (main thread) and
  :func:`~.collect.legal_check` (background task or Processing);
* :mod:`.checklist` — the CNIL–CADA decision path, recorded in the layer's metadata history;
* :mod:`.gate` — :func:`~.gate.legal_gate` for the publishing flow (BLOQUANT blocks, À VÉRIFIER needs an
  acknowledgement);
* :mod:`.report` — :class:`~.report.LegalReport` and its JSON shape.

Only :mod:`.collect` imports QGIS at import time.
"""
