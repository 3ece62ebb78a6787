"""What the dashboard measures: portal-neutral records and the indicators built from them (no Qt here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Dict, List, Optional

#: how a dataset was recognised as following a catalogue schema
DECLARED = "declared"  # the portal says so (resource schema, conformsTo, schema extra)
HEURISTIC = "heuristic"  # guessed from the title, tags or column names: to be confirmed by the agent

#: freshness states
FRESH = "fresh"
LATE = "late"
NO_DEADLINE = "no-deadline"  # punctual, irregular, unknown frequency: nothing to be late against
NO_DATE = "no-date"

#: conformity states
NOT_CHECKED = "not-checked"
VALID = "valid"
INVALID = "invalid"
UNAVAILABLE = "unavailable"  # download refused, too big, unreadable, schema unreachable

#: matrix cell states, best first
CELL_CONFORMING = "conforming"  # published, up to date, data checked and valid
CELL_PUBLISHED = "published"  # published and up to date, data not checked
CELL_LATE = "late"
CELL_ERRORS = "errors"  # published, data checked: errors
CELL_PROBABLE = "probable"  # only heuristically recognised datasets
CELL_ABSENT = "absent"
CELL_ORDER = (CELL_CONFORMING, CELL_PUBLISHED, CELL_LATE, CELL_ERRORS, CELL_PROBABLE, CELL_ABSENT)
CELL_LABELS = {
    CELL_CONFORMING: "publié et conforme",
    CELL_PUBLISHED: "publié (données non vérifiées)",
    CELL_LATE: "publié, en retard",
    CELL_ERRORS: "publié, avec erreurs",
    CELL_PROBABLE: "probable (heuristique)",
    CELL_ABSENT: "absent",
}
CELL_COLOURS = {
    CELL_CONFORMING: "#1a9641",
    CELL_PUBLISHED: "#a6d96a",
    CELL_LATE: "#fdae61",
    CELL_ERRORS: "#d7191c",
    CELL_PROBABLE: "#cfd8e3",
    CELL_ABSENT: "#f4f4f4",
}


@dataclass
class Member:
    """A member of the territory (a commune): INSEE code and name."""

    code: str
    name: str


@dataclass
class PortalOrganisation:
    id: str
    name: str
    slug: str = ""
    url: str = ""


@dataclass
class PortalResource:
    title: str
    url: str
    format: str = ""
    schema_ref: str = ""  # declared schema: catalogue name, or a URL
    schema_version: str = ""
    size: Optional[int] = None


@dataclass
class PortalDataset:
    """One dataset as a catalogue reader gives it, whatever the portal."""

    id: str
    title: str
    organisation_id: str
    url: str = ""  # page of the dataset for a person (opened on double-click)
    last_update: Optional[datetime] = None  # aware UTC
    frequency: str = ""  # as the portal says it (udata id, EU code or URI, free text)
    licence: str = ""
    tags: List[str] = field(default_factory=list)
    schema_ref: str = ""  # dataset-level declared schema (CKAN extra, ODS conformsTo, folder manifest)
    schema_version: str = ""
    resources: List[PortalResource] = field(default_factory=list)


@dataclass
class SchemaMatch:
    name: str  # catalogue name, e.g. atlasante/schema-dae
    title: str
    version: str = ""
    latest_version: str = ""
    is_scdl: bool = False
    how: str = DECLARED
    reason: str = ""  # for a heuristic: what matched, in French

    @property
    def outdated(self) -> bool:
        from ..schema.catalogue import version_key

        return bool(self.version and self.latest_version) and version_key(self.version) < version_key(
            self.latest_version
        )


@dataclass
class DatasetMeasure:
    """A dataset with everything measured about it."""

    dataset: PortalDataset
    member_code: str
    organisation_name: str
    schema: Optional[SchemaMatch] = None
    freshness: str = NO_DATE
    freshness_text: str = ""
    late_days: int = 0
    conformity: str = NOT_CHECKED
    conformity_text: str = ""
    error_count: int = 0
    errors_by_code: Dict[str, int] = field(default_factory=dict)

    @property
    def is_scdl(self) -> bool:
        return self.schema is not None and self.schema.is_scdl and self.schema.how == DECLARED

    @property
    def cell_state(self) -> str:
        if self.schema is None:
            return CELL_ABSENT
        if self.schema.how != DECLARED:
            return CELL_PROBABLE
        if self.conformity == INVALID:
            return CELL_ERRORS
        if self.freshness == LATE:
            return CELL_LATE
        if self.conformity == VALID:
            return CELL_CONFORMING
        return CELL_PUBLISHED


@dataclass
class MemberSummary:
    member: Member
    organisations: List[PortalOrganisation] = field(default_factory=list)
    datasets: List[DatasetMeasure] = field(default_factory=list)

    @property
    def dataset_count(self) -> int:
        return len(self.datasets)

    @property
    def scdl_datasets(self) -> List[DatasetMeasure]:
        return [d for d in self.datasets if d.is_scdl]

    @property
    def scdl_count(self) -> int:
        return len(self.scdl_datasets)

    @property
    def probable_count(self) -> int:
        return len([d for d in self.datasets if d.schema is not None and d.schema.how == HEURISTIC])

    @property
    def schemas(self) -> List[str]:
        return sorted({d.schema.name for d in self.scdl_datasets})

    @property
    def late_count(self) -> int:
        return len([d for d in self.datasets if d.freshness == LATE])

    @property
    def fresh_count(self) -> int:
        return len([d for d in self.datasets if d.freshness == FRESH])

    @property
    def checked_count(self) -> int:
        return len([d for d in self.datasets if d.conformity in (VALID, INVALID)])

    @property
    def valid_count(self) -> int:
        return len([d for d in self.datasets if d.conformity == VALID])

    @property
    def error_count(self) -> int:
        return sum(d.error_count for d in self.datasets)

    @property
    def last_update(self) -> Optional[datetime]:
        dates = [d.dataset.last_update for d in self.datasets if d.dataset.last_update]
        return max(dates) if dates else None

    @property
    def publishes(self) -> bool:
        return self.dataset_count > 0

    @property
    def publishes_scdl(self) -> bool:
        return self.scdl_count > 0

    @property
    def level(self) -> int:
        """0 nothing published, 1 open data without common core, 2 common core with problems (late or
        errors), 3 common core up to date and without known errors. Drives the map's colours."""
        if not self.publishes:
            return 0
        if not self.publishes_scdl:
            return 1
        if any(d.cell_state in (CELL_LATE, CELL_ERRORS) for d in self.scdl_datasets):
            return 2
        return 3


LEVEL_LABELS = {
    0: "aucune donnée publiée",
    1: "données ouvertes hors socle commun",
    2: "socle commun, en retard ou avec erreurs",
    3: "socle commun à jour",
}
LEVEL_COLOURS = {0: "#f0f0f0", 1: "#c6dbef", 2: "#fdae61", 3: "#1a9641"}


@dataclass
class TerritoryDashboard:
    """The whole measure: members, datasets, matrix and the roadmap's indicators."""

    territory: str
    source: str  # connection name / portal URL
    measured_at: datetime
    members: List[MemberSummary]
    validated: bool = False
    unmatched_organisations: List[PortalOrganisation] = field(default_factory=list)
    messages: List[str] = field(default_factory=list)  # French notes (read failures, limits…)
    schema_titles: Dict[str, str] = field(default_factory=dict)

    @property
    def member_count(self) -> int:
        return len(self.members)

    @property
    def publishing_count(self) -> int:
        return len([m for m in self.members if m.publishes])

    @property
    def scdl_publishing_count(self) -> int:
        return len([m for m in self.members if m.publishes_scdl])

    def share(self, count: int) -> float:
        return round(100.0 * count / self.member_count, 1) if self.member_count else 0.0

    @property
    def datasets(self) -> List[DatasetMeasure]:
        return [d for m in self.members for d in m.datasets]

    @property
    def schemas(self) -> List[str]:
        """Common-core schemas published by at least one member (matrix columns), sorted by title."""
        names = {d.schema.name for d in self.datasets if d.is_scdl}
        names |= {d.schema.name for d in self.datasets if d.schema is not None and d.schema.how == HEURISTIC}
        return sorted(names, key=lambda n: (self.schema_titles.get(n) or n).casefold())

    def cell(self, member_code: str, schema_name: str) -> str:
        summary = next((m for m in self.members if m.member.code == member_code), None)
        if summary is None:
            return CELL_ABSENT
        states = [d.cell_state for d in summary.datasets if d.schema is not None and d.schema.name == schema_name]
        return min(states, key=CELL_ORDER.index) if states else CELL_ABSENT

    def matrix(self) -> Dict[str, Dict[str, str]]:
        """member code -> schema name -> cell state."""
        return {m.member.code: {s: self.cell(m.member.code, s) for s in self.schemas} for m in self.members}

    def indicators(self) -> Dict[str, Any]:
        datasets = self.datasets
        scdl = [d for d in datasets if d.is_scdl]
        return {
            "member_count": self.member_count,
            "publishing_count": self.publishing_count,
            "publishing_share": self.share(self.publishing_count),
            "scdl_publishing_count": self.scdl_publishing_count,
            "scdl_publishing_share": self.share(self.scdl_publishing_count),
            "dataset_count": len(datasets),
            "scdl_dataset_count": len(scdl),
            "probable_dataset_count": len([d for d in datasets if d.schema is not None and d.schema.how == HEURISTIC]),
            "scdl_late_count": len([d for d in scdl if d.freshness == LATE]),
            "scdl_fresh_count": len([d for d in scdl if d.freshness == FRESH]),
            "scdl_checked_count": len([d for d in scdl if d.conformity in (VALID, INVALID)]),
            "scdl_valid_count": len([d for d in scdl if d.conformity == VALID]),
            "scdl_invalid_count": len([d for d in scdl if d.conformity == INVALID]),
            "schema_count": len({d.schema.name for d in scdl}),
        }
