"""Validator for the OpenStreetMap ``opening_hours`` syntax.

Pure Python, written from the specification
https://wiki.openstreetmap.org/wiki/Key:opening_hours/specification.
It answers one question: is this text well formed? It does not compute
whether a place is open at a given time.

Grammar covered (a recursive-descent parser over tokens)::

    time_domain     = rule_sequence { separator rule_sequence }      separator: ";" | "," | "||"
    rule_sequence   = selector_sequence [ rule_modifier ]
    selector_sequence = "24/7" | wide_range_selectors small_range_selectors
    wide_range      = [ years ] [ monthdays ] [ weeks ] [ ":" ]  |  comment ":"
    small_range     = [ weekdays ] [ times ]
    rule_modifier   = ( "open" | "closed" | "off" | "unknown" ) [ comment ]  |  comment

    years           = 2024 | 2023-2025 | 2020-2030/2 | 2024+            (comma-separated)
    monthdays       = Jan | Jan-Mar | Dec 25 | Dec 24-26 | Dec 24-Jan 02 | 2024 Dec 25 | Dec 25+ | easter
                      with optional offsets « Dec 25 +Mo », « easter -2 days »  (comma-separated)
    weeks           = week 01-53/2 | week 1,5,10-12
    weekdays        = Mo | Mo-Fr | Mo,We | Su[1] | Su[-1] | Sa[1,3] | Sa[1-2] -1 day | PH | SH | PH +1 day
    times           = 08:00-12:00 | 22:00-02:00 | 08:00-26:00 | 10:00+ | 10:00-16:00/01:30 | 10:00-16:00/90
                      | sunrise-sunset | (sunrise+01:00)-(sunset-00:30) | 10:00  (comma-separated)

Keywords are case-sensitive as in the specification (« Mo », « Jan », « PH »,
« off »). Hours are written with two digits (« 08:00 », not « 8:00 » nor
« 8h00 »); « 24:00 » is allowed and end times may run past midnight up to
« 48:00 ».
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Optional

WEEKDAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
HOLIDAYS = ("PH", "SH")
EVENTS = ("dawn", "sunrise", "sunset", "dusk")
STATES = ("open", "closed", "off", "unknown")
MONTH_DAYS = dict(zip(MONTHS, (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)))

_FRENCH_DAYS = {
    "lu",
    "ma",
    "me",
    "je",
    "ve",
    "di",
    "lun",
    "mar",
    "mer",
    "jeu",
    "ven",
    "sam",
    "dim",
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
}


@dataclass
class OpeningHoursError:
    """Where and why a text is not valid opening_hours (French explanation)."""

    position: int  # 0-based character offset in the text
    message: str

    def __str__(self) -> str:
        return f"{self.message} (caractère {self.position + 1})"


@dataclass
class _Token:
    kind: str  # "time", "num", "word", "comment", "sym", "247"
    text: str
    pos: int
    space_before: bool


class _Invalid(Exception):
    def __init__(self, position: int, message: str):
        super().__init__(message)
        self.position = position
        self.message = message


_TOKEN_RE = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<t247>24/7(?!\d))
  | (?P<time>\d{2}:\d{2})
  | (?P<badtime>\d{1,2}\s*[hH]\s*\d{0,2}|\d:\d{2}|\d{1,2}:\d(?!\d))
  | (?P<num>\d+)
  | (?P<word>[^\W\d_]+)
  | (?P<comment>"[^"]*")
  | (?P<sym>\|\||[;,\-+/:\[\]()])
    """,
    re.VERBOSE,
)


def _tokenize(text: str) -> List[_Token]:
    tokens: List[_Token] = []
    pos = 0
    space = False
    while pos < len(text):
        match = _TOKEN_RE.match(text, pos)
        if match is None:
            char = text[pos]
            if char == '"':
                raise _Invalid(pos, "Un commentaire ouvert par « \" » n'est pas refermé")
            if char in "–—":
                raise _Invalid(pos, f"Le tiret « {char} » n'est pas accepté : utilisez le tiret simple « - »")
            raise _Invalid(pos, f"Caractère « {char} » inattendu")
        kind = match.lastgroup or ""
        value = match.group()
        if kind == "space":
            space = True
        elif kind == "badtime":
            raise _Invalid(
                pos,
                f"L'heure « {value.strip()} » est mal écrite : "
                "notez les heures sur deux chiffres avec « : » (08:00, 14:30)",
            )
        else:
            tokens.append(_Token("247" if kind == "t247" else kind, value, pos, space))
            space = False
        pos = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = _tokenize(text)
        self.i = 0

    # -- token helpers -------------------------------------------------
    def peek(self, offset: int = 0) -> Optional[_Token]:
        index = self.i + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def at(self, kind: str, text: Optional[str] = None, offset: int = 0) -> bool:
        token = self.peek(offset)
        return token is not None and token.kind == kind and (text is None or token.text == text)

    def at_sym(self, *symbols: str, offset: int = 0) -> bool:
        token = self.peek(offset)
        return token is not None and token.kind == "sym" and token.text in symbols

    def at_word(self, words, offset: int = 0) -> bool:
        token = self.peek(offset)
        return token is not None and token.kind == "word" and token.text in words

    def take(self) -> _Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def where(self) -> int:
        token = self.peek()
        return token.pos if token is not None else len(self.text)

    def fail(self, message: str) -> None:
        raise _Invalid(self.where(), message)

    def describe_current(self) -> str:
        token = self.peek()
        return "la fin du texte" if token is None else f"« {token.text} »"

    # -- top level -----------------------------------------------------
    def parse(self) -> None:
        if not self.tokens:
            raise _Invalid(0, "Le texte est vide")
        self.rule_sequence()
        while self.peek() is not None:
            if self.at_sym(";", "||", ","):
                sep = self.take()
                if self.peek() is None or self.at_sym(";", "||"):
                    raise _Invalid(sep.pos, f"Règle vide après « {sep.text} »")
                self.rule_sequence()
            else:
                self.unexpected()

    def unexpected(self) -> None:
        token = self.peek()
        if token is not None and token.kind == "word":
            low = token.text.lower()
            if low in _FRENCH_DAYS:
                self.fail(
                    f"« {token.text} » n'est pas un jour OSM : utilisez les abréviations anglaises "
                    "Mo, Tu, We, Th, Fr, Sa, Su (lundi à dimanche)"
                )
            for group in (WEEKDAYS, MONTHS, HOLIDAYS, EVENTS, STATES):
                for word in group:
                    if low == word.lower() and token.text != word:
                        self.fail(f"Écrivez « {word} » et non « {token.text} » (majuscules et minuscules comptent)")
            if low in ("h24", "24h") or (low == "h" and self.at("num", "24", offset=1)):
                self.fail("Pour une ouverture permanente, écrivez « 24/7 »")
            if low in ("et", "and", "à", "a", "de", "du", "au", "le", "les", "sauf", "ferme", "fermé"):
                self.fail(f"Le mot « {token.text} » n'est pas accepté : mettez le texte libre entre guillemets droits")
        if token is not None and token.kind == "time" and self.i > 0 and self.tokens[self.i - 1].kind == "time":
            self.fail("Deux heures se suivent : séparez les plages horaires par une virgule (08:00-12:00,14:00-18:00)")
        self.fail(f"{self.describe_current().capitalize()} est inattendu ici")

    def rule_sequence(self) -> None:
        start = self.i
        if self.at("247"):
            self.take()
        else:
            self.wide_range_selectors()
            self.small_range_selectors()
        has_selector = self.i > start
        if self.at_word(STATES):
            self.take()
            if self.at("comment"):
                self.take()
        elif self.at("comment"):
            self.take()
        elif not has_selector:
            self.unexpected()

    # -- wide range selectors -----------------------------------------
    def wide_range_selectors(self) -> None:
        start = self.i
        if self.at("comment") and self.at_sym(":", offset=1):
            self.take()
            self.take()
            return
        # a year followed by a month (« 2024 Dec 25 ») starts a monthday, else it is a year selector
        if (
            self.at("num")
            and len(self.peek().text) == 4
            and not self.at_word(MONTHS, offset=1)
            and not self.at_word(("easter",), offset=1)
        ):
            self.year_selector()
        if self.at_word(MONTHS) or self.at_word(("easter",)) or (self.at("num") and len(self.peek().text) == 4):
            self.monthday_selector()
        if self.at("word", "week"):
            self.week_selector()
        if self.i > start and self.at_sym(":"):
            self.take()

    def year(self) -> int:
        if not (self.at("num") and len(self.peek().text) == 4):
            self.fail(f"Année attendue (4 chiffres) au lieu de {self.describe_current()}")
        value = int(self.take().text)
        if value < 1900:
            raise _Invalid(self.tokens[self.i - 1].pos, f"L'année {value} n'est pas plausible (1900 au plus tôt)")
        return value

    def year_selector(self) -> None:
        while True:
            first = self.year()
            if self.at_sym("-") and self.at("num", offset=1) and len(self.peek(1).text) == 4:
                self.take()
                last_token = self.peek()
                last = self.year()
                if last < first:
                    raise _Invalid(last_token.pos, f"L'intervalle d'années {first}-{last} est à l'envers")
                if self.at_sym("/"):
                    self.take()
                    self.positive_number("le pas de l'intervalle d'années")
            elif self.at_sym("+"):
                self.take()
            if self.at_sym(",") and self.at("num", offset=1) and len(self.peek(1).text) == 4:
                self.take()
                continue
            return

    def positive_number(self, what: str) -> int:
        if not self.at("num"):
            self.fail(f"Nombre attendu pour {what} au lieu de {self.describe_current()}")
        token = self.take()
        if int(token.text) < 1:
            raise _Invalid(token.pos, f"{what.capitalize()} doit être au moins 1")
        return int(token.text)

    def month(self) -> str:
        if not self.at_word(MONTHS):
            self.fail(f"Mois attendu (Jan, Feb… Dec) au lieu de {self.describe_current()}")
        return self.take().text

    def daynum(self, month: Optional[str]) -> None:
        token = self.peek()
        if token is None or token.kind != "num" or len(token.text) > 2:
            self.fail(f"Jour du mois attendu au lieu de {self.describe_current()}")
        self.take()
        day = int(token.text)
        limit = MONTH_DAYS.get(month or "", 31)
        if not 1 <= day <= limit:
            raise _Invalid(token.pos, f"Le jour {token.text} n'existe pas" + (f" en {month}" if month else ""))

    def at_daynum(self, offset: int = 0) -> bool:
        token = self.peek(offset)
        return (
            token is not None
            and token.kind == "num"
            and len(token.text) <= 2
            and not self.at_sym(":", offset=offset + 1)  # not the start of a time
        )

    def date_offset(self) -> None:
        # « +Mo », « -Su », « +2 days », « -1 day »
        while self.at_sym("+", "-"):
            if self.at_word(WEEKDAYS, offset=1):
                self.take()
                self.take()
            elif self.at("num", offset=1) and self.at_word(("day", "days"), offset=2):
                self.take()
                self.take()
                self.take()
            else:
                return

    def date_from(self) -> Optional[str]:
        """[year] month daynum | [year] easter ; returns the month (or None for easter)."""
        if self.at("num") and len(self.peek().text) == 4:
            self.year()
        if self.at_word(("easter",)):
            self.take()
            return None
        month = self.month()
        self.daynum(month)
        return month

    def monthday_range(self) -> None:
        has_year = self.at("num") and len(self.peek().text) == 4
        if has_year:
            self.year()
        if self.at_word(("easter",)):
            self.take()
            self.date_offset()
            self._monthday_tail()
            return
        month = self.month()
        if self.at_daynum():
            self.daynum(month)
            self.date_offset()
            self._monthday_tail(month)
            return
        # month only: « Jan », « Jan-Mar »
        if self.at_sym("-") and self.at_word(MONTHS, offset=1):
            self.take()
            self.take()
        elif self.at_sym("-") and self.at("num", offset=1) and self.at_word(MONTHS, offset=2):
            self.take()
            self.year()
            self.take()

    def _monthday_tail(self, month: Optional[str] = None) -> None:
        if self.at_sym("+") and not (self.at("num", offset=1) or self.at_word(WEEKDAYS, offset=1)):
            self.take()  # « Dec 25+ »: from that date on
            return
        if not self.at_sym("-"):
            return
        nxt = self.peek(1)
        if nxt is None:
            return
        if nxt.kind == "num" and len(nxt.text) <= 2 and not self.at_sym(":", offset=2) and month:
            self.take()
            self.daynum(month)  # « Dec 24-26 »
        elif (nxt.kind == "word" and (nxt.text in MONTHS or nxt.text == "easter")) or (
            nxt.kind == "num" and len(nxt.text) == 4
        ):
            self.take()
            self.date_from()
        else:
            return
        self.date_offset()

    def monthday_selector(self) -> None:
        while True:
            self.monthday_range()
            if self.at_sym(",") and (
                self.at_word(MONTHS, offset=1)
                or self.at_word(("easter",), offset=1)
                or (self.at("num", offset=1) and len(self.peek(1).text) == 4)
            ):
                self.take()
                continue
            return

    def weeknum(self) -> int:
        token = self.peek()
        if token is None or token.kind != "num":
            self.fail(f"Numéro de semaine attendu (01 à 53) au lieu de {self.describe_current()}")
        self.take()
        value = int(token.text)
        if not 1 <= value <= 53:
            raise _Invalid(token.pos, f"La semaine {token.text} n'existe pas (01 à 53)")
        return value

    def week_selector(self) -> None:
        self.take()  # "week"
        while True:
            first = self.weeknum()
            if self.at_sym("-"):
                self.take()
                self.weeknum()
                if self.at_sym("/"):
                    self.take()
                    self.positive_number("le pas des semaines")
            del first
            if self.at_sym(",") and self.at("num", offset=1):
                self.take()
                continue
            return

    # -- small range selectors ----------------------------------------
    def small_range_selectors(self) -> None:
        if self.at_word(WEEKDAYS) or self.at_word(HOLIDAYS):
            self.weekday_selector()
        if self.at_time_start():
            self.time_selector()

    def weekday_selector(self) -> None:
        while True:
            if self.at_word(HOLIDAYS):
                self.take()
                self.day_offset()
            elif self.at_word(WEEKDAYS):
                self.weekday_range()
            else:
                self.fail(f"Jour attendu (Mo… Su, PH, SH) au lieu de {self.describe_current()}")
            if self.at_sym(",") and (self.at_word(WEEKDAYS, offset=1) or self.at_word(HOLIDAYS, offset=1)):
                self.take()
                continue
            # « PH Mo-Fr »: holidays then weekdays separated by a space
            if (
                self.at_word(WEEKDAYS)
                and self.tokens[self.i - 1].kind == "word"
                and self.tokens[self.i - 1].text in HOLIDAYS
            ):
                continue
            return

    def weekday_range(self) -> None:
        self.take()
        if self.at_sym("-"):
            self.take()
            if not self.at_word(WEEKDAYS):
                self.fail(f"Jour de fin attendu (Mo… Su) après « - » au lieu de {self.describe_current()}")
            self.take()
            return
        if self.at_sym("["):
            self.take()
            while True:
                self.nth_entry()
                if self.at_sym(","):
                    self.take()
                    continue
                break
            if not self.at_sym("]"):
                self.fail(f"« ] » attendu pour fermer la liste d'occurrences au lieu de {self.describe_current()}")
            self.take()
            self.day_offset()

    def nth(self) -> None:
        token = self.peek()
        if token is None or token.kind != "num" or not 1 <= int(token.text) <= 5 or len(token.text) > 1:
            self.fail(f"Occurrence du jour dans le mois attendue (1 à 5) au lieu de {self.describe_current()}")
        self.take()

    def nth_entry(self) -> None:
        if self.at_sym("-"):
            self.take()
            self.nth()
            return
        self.nth()
        if self.at_sym("-"):
            self.take()
            self.nth()

    def day_offset(self) -> None:
        if self.at_sym("+", "-") and self.at("num", offset=1) and self.at_word(("day", "days"), offset=2):
            self.take()
            self.take()
            self.take()

    # -- times ---------------------------------------------------------
    def at_time_start(self, offset: int = 0) -> bool:
        return (
            self.at("time", offset=offset)
            or self.at_word(EVENTS, offset=offset)
            or (self.at_sym("(", offset=offset) and self.at_word(EVENTS, offset=offset + 1))
        )

    def hour_minutes(self, extended: bool) -> int:
        token = self.peek()
        if token is None or token.kind != "time":
            self.fail(f"Heure attendue (hh:mm) au lieu de {self.describe_current()}")
        self.take()
        hours, minutes = int(token.text[:2]), int(token.text[3:])
        limit = 48 if extended else 24
        if minutes > 59 or hours > limit or (hours == limit and minutes > 0):
            raise _Invalid(token.pos, f"L'heure « {token.text} » n'existe pas")
        return hours * 60 + minutes

    def variable_time(self) -> None:
        if self.at_word(EVENTS):
            self.take()
            return
        self.take()  # "("
        self.take()  # event
        if not self.at_sym("+", "-"):
            self.fail(f"« + » ou « - » attendu après l'événement au lieu de {self.describe_current()}")
        self.take()
        self.hour_minutes(extended=False)
        if not self.at_sym(")"):
            self.fail(f"« ) » attendu au lieu de {self.describe_current()}")
        self.take()

    def time(self, extended: bool) -> None:
        if self.at("time"):
            self.hour_minutes(extended)
        elif self.at_time_start():
            self.variable_time()
        else:
            self.fail(f"Heure attendue (hh:mm, sunrise, sunset…) au lieu de {self.describe_current()}")

    def timespan(self) -> None:
        self.time(extended=False)
        if self.at_sym("+"):
            self.take()
            return
        if not self.at_sym("-"):
            return  # a point in time
        self.take()
        if not self.at_time_start():
            if self.at("num") or self.at_word(("h",)):
                self.fail("Heure de fin mal écrite : notez-la sur deux chiffres avec « : » (18:00)")
            self.fail(f"Heure de fin attendue au lieu de {self.describe_current()}")
        self.time(extended=True)
        if self.at_sym("+"):
            self.take()
        elif self.at_sym("/"):
            self.take()
            if self.at("time"):
                self.hour_minutes(extended=False)
            else:
                self.positive_number("la période en minutes")

    def time_selector(self) -> None:
        while True:
            self.timespan()
            if self.at_sym(",") and self.at_time_start(offset=1):
                self.take()
                continue
            return


def check_opening_hours(text: str) -> Optional[OpeningHoursError]:
    """None when ``text`` follows the opening_hours syntax, else where and why not."""
    if not isinstance(text, str):
        return OpeningHoursError(0, "La valeur n'est pas un texte")
    if not text.strip():
        return OpeningHoursError(0, "Le texte est vide")
    try:
        _Parser(text).parse()
    except _Invalid as exc:
        return OpeningHoursError(exc.position, exc.message)
    return None


def is_valid_opening_hours(text: str) -> bool:
    """True when ``text`` follows the OSM opening_hours syntax."""
    return check_opening_hours(text) is None
