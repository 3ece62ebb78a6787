"""Is a dataset up to date? Its last update against the frequency it declares.

The declared frequency comes in many spellings (udata id ``monthly``, EU code ``MONTHLY`` or its URI, CKAN
free text « mensuelle »): :func:`frequency_code` brings them to the EU code of ``metadata/frequencies.json``.
A dataset is late when ``last update + period`` is past; punctual, irregular or unknown frequencies have no
deadline.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Optional, Tuple

from ..text import fold
from .model import FRESH, LATE, NO_DATE, NO_DEADLINE

#: EU frequency code -> days allowed between two updates
PERIOD_DAYS = {
    "UPDATE_CONT": 1,
    "1MIN": 1,
    "5MIN": 1,
    "10MIN": 1,
    "15MIN": 1,
    "30MIN": 1,
    "HOURLY": 1,
    "BIHOURLY": 1,
    "TRIHOURLY": 1,
    "12HRS": 1,
    "CONT": 1,
    "DAILY_3": 1,
    "DAILY_2": 1,
    "DAILY": 1,
    "WEEKLY_5": 2,
    "WEEKLY_3": 3,
    "WEEKLY_2": 4,
    "WEEKLY": 7,
    "BIWEEKLY": 14,
    "MONTHLY_3": 11,
    "MONTHLY_2": 16,
    "MONTHLY": 31,
    "BIMONTHLY": 62,
    "QUARTERLY": 92,
    "ANNUAL_3": 122,
    "ANNUAL_2": 183,
    "ANNUAL": 366,
    "BIENNIAL": 731,
    "TRIENNIAL": 1096,
    "QUADRENNIAL": 1461,
    "QUINQUENNIAL": 1827,
    "DECENNIAL": 3653,
    "BIDECENNIAL": 7305,
    "TRIDECENNIAL": 10958,
}

#: free-text spellings met on CKAN and Opendatasoft portals (folded) -> EU code
_FREE_TEXT = {
    "quotidienne": "DAILY",
    "quotidien": "DAILY",
    "journaliere": "DAILY",
    "hebdomadaire": "WEEKLY",
    "mensuelle": "MONTHLY",
    "mensuel": "MONTHLY",
    "trimestrielle": "QUARTERLY",
    "trimestriel": "QUARTERLY",
    "semestrielle": "ANNUAL_2",
    "semestriel": "ANNUAL_2",
    "annuelle": "ANNUAL",
    "annuel": "ANNUAL",
    "annually": "ANNUAL",
    "yearly": "ANNUAL",
    "temps reel": "UPDATE_CONT",
    "ponctuelle": "AS_NEEDED",
    "irreguliere": "IRREG",
}


def frequency_code(value: str) -> str:
    """The EU frequency code of a declared frequency, or "" when it is not recognised."""
    text = str(value or "").strip()
    if not text:
        return ""
    from ..metadata import vocabulary

    wanted = fold(text)
    tail = text.rstrip("/").rsplit("/", 1)[-1]
    for item in vocabulary.frequencies():
        candidates = (item.get("code"), item.get("udata_id"), item.get("uri"), item.get("label_fr"))
        if any(c and fold(c) in (wanted, fold(tail)) for c in candidates):
            return str(item["code"])
    return _FREE_TEXT.get(wanted, "")


def frequency_label(value: str) -> str:
    from ..metadata import vocabulary

    code = frequency_code(value)
    entry = vocabulary.by_code(vocabulary.frequencies(), code) if code else None
    return str(entry.get("label_fr") or code) if entry else (str(value or "") or "non déclarée")


def late_text(days: int) -> str:
    """« en retard de 12 jours », « en retard de 3 mois », « en retard de 2 ans »."""
    if days < 31:
        return f"en retard de {days} jour{'s' if days > 1 else ''}"
    months = max(1, round(days / 30.44))
    if months < 24:
        return f"en retard de {months} mois"
    years = round(days / 365.25)
    return f"en retard de {years} ans"


def assess(last_update: Optional[datetime], frequency: str, now: Optional[datetime] = None) -> Tuple[str, str, int]:
    """``(state, French text, days late)`` of a dataset updated at ``last_update`` declaring ``frequency``."""
    now = now or datetime.now(timezone.utc)
    code = frequency_code(frequency)
    period = PERIOD_DAYS.get(code)
    if last_update is None:
        return NO_DATE, "date de mise à jour inconnue", 0
    if last_update.tzinfo is None:
        last_update = last_update.replace(tzinfo=timezone.utc)
    if period is None:
        label = frequency_label(frequency)
        return NO_DEADLINE, f"sans échéance (fréquence : {label})", 0
    overdue = (now - last_update).days - period
    if overdue > 0:
        return LATE, late_text(overdue), overdue
    return FRESH, "à jour", 0


def parse_date(value) -> Optional[datetime]:
    """An aware UTC datetime from an ISO 8601 text (date only, naive or with an offset), else None."""
    text = str(value or "").strip()
    if not text:
        return None
    text = text.replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        try:
            moment = datetime.fromisoformat(text[:10])
        except ValueError:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)
