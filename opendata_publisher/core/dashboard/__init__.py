"""Territory dashboard: which member (commune) of the territory publishes which common-core (SCDL) data on
the shared portal, how fresh and how conforming.

- :mod:`.members` — the members (the 22 communes of ``metadata/territory.json``) and which portal
  organisation belongs to which member (mapping file, else name matching);
- :mod:`.catalogues` — read-only catalogue readers for udata, CKAN, Opendatasoft and the local publication
  folder, all giving the same :class:`~.model.PortalDataset` records;
- :mod:`.recognise` — which catalogue schema a dataset follows: declared first, heuristics marked as such;
- :mod:`.freshness` — last update against the declared frequency;
- :mod:`.conformity` — optional download of a resource (size limit) checked with the plugin's validator;
- :mod:`.measure` — the whole measure: per-dataset, per-member and territory indicators, matrix;
- :mod:`.layers`, :mod:`.report` — QGIS layers (styled), HTML report and PDF print layout.
"""
