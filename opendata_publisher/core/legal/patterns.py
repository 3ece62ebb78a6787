"""Value shapes of the legal check (pure Python, no Qt); their word lists are in :mod:`.vocabulary`.

Everything here is a heuristic: it says what *looks like* personal or sensitive
data; a person confirms. Regexes and word lists follow the proposal of
``shared/guides/licences-legal-metadata.md`` §2.3.
"""

from __future__ import annotations

import re
from typing import List, Optional, Set, Tuple

from ..text import fold  # also the detectors' p.fold
from .vocabulary import CIVIL_TITLES, FIRST_NAMES, GENERIC_LOCAL_PARTS, LEGAL_PERSON_WORDS, NOT_PERSON_WORDS

# --------------------------------------------------------------------------- text


_CAMEL_RE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NON_ALNUM_RE = re.compile(r"[^a-z0-9]+")


def name_tokens(name: str) -> List[str]:
    """Tokens of a field or layer name: « nomBeneficiaire » -> [nom, beneficiaire], « DATE_NAISS » -> [date, naiss]."""
    spaced = _CAMEL_RE.sub("_", str(name or ""))
    return [t for t in _NON_ALNUM_RE.split(fold(spaced)) if t]


# --------------------------------------------------------------------------- masking


def mask_word(word: str) -> str:
    return word[:1] + "***" if word else word


def mask_email(email: str) -> str:
    """« jean.exemple@orleans.fr » -> « j***@o***.fr »"""
    local, _, domain = email.partition("@")
    host, dot, tld = domain.rpartition(".")
    if not dot:
        return f"{mask_word(local)}@{mask_word(domain)}"
    return f"{mask_word(local)}@{mask_word(host)}.{tld}"


def mask_phone(digits: str) -> str:
    """« 0600000012 » -> « 06 ** ** ** 12 »"""
    if len(digits) != 10:
        return digits[:2] + "*" * max(len(digits) - 4, 0) + digits[-2:]
    return f"{digits[:2]} ** ** ** {digits[-2:]}"


def mask_digits(text: str, keep_start: int = 1, keep_end: int = 2) -> str:
    """« 185057800608436 » -> « 1************36 »"""
    if len(text) <= keep_start + keep_end:
        return "*" * len(text)
    return text[:keep_start] + "*" * (len(text) - keep_start - keep_end) + text[-keep_end:]


def mask_name(value: str) -> str:
    """« Jean Exemple » -> « J*** E*** »"""
    return " ".join(mask_word(w) for w in str(value).split())


def mask_text(value: str, limit: int = 12) -> str:
    """The beginning of a long text, the rest hidden."""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[:limit] + "…"


# --------------------------------------------------------------------------- e-mail

EMAIL_RE = re.compile(r"[A-Za-z0-9._%+'\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")


def email_is_generic(email: str) -> bool:
    local = fold(email.partition("@")[0])
    if local in GENERIC_LOCAL_PARTS:
        return True
    # mairie.orleans@, contact-parking@, info_tourisme@ …
    parts = [p for p in re.split(r"[._\-+]", local) if p]
    return bool(parts) and parts[0] in GENERIC_LOCAL_PARTS


# --------------------------------------------------------------------------- phone

PHONE_RE = re.compile(r"^(?:\+33\s?(?:\(0\)\s?)?|0033\s?|0)([1-9])(?:[\s.\-]?\d{2}){4}$")


def phone_digits(text: str) -> Optional[str]:
    """The ten national digits of a French phone number (``0600000001``), or None."""
    candidate = text.strip()
    if not PHONE_RE.match(candidate):
        return None
    digits = re.sub(r"\D", "", candidate.replace("(0)", ""))
    if digits.startswith("0033"):
        digits = "0" + digits[4:]
    elif digits.startswith("33") and candidate.lstrip().startswith("+"):
        digits = "0" + digits[2:]
    return digits if len(digits) == 10 else None


#: separators of several phone numbers in one value
PHONE_SPLIT_RE = re.compile(r"[|;,/]")


def phone_numbers(value: str) -> List[str]:
    """The ten-digit numbers of the French phone numbers in ``value`` (a stripped text), as detect_phones
    reads them: texts of 80 characters at most, with 9 digits at least."""
    if len(value) > 80 or sum(ch.isdigit() for ch in value) < 9:
        return []
    return [digits for digits in map(phone_digits, PHONE_SPLIT_RE.split(value)) if digits]


def is_mobile(digits: str) -> bool:
    return digits[:2] in ("06", "07")


# --------------------------------------------------------------------------- NIR

NIR_RE = re.compile(r"^([12378])(\d{2})(0[1-9]|1[0-2]|[2-9]\d)(\d{2}|2[AB])(\d{3})(\d{3})(\d{2})?$")


def compact(text: str) -> str:
    return re.sub(r"[\s.\-]", "", str(text)).upper()


def nir_shape(text: str) -> Optional[str]:
    """The compact NIR (13 or 15 characters) when ``text`` has the NIR structure, else None."""
    value = compact(text)
    if len(value) not in (13, 15):
        return None
    return value if NIR_RE.match(value) else None


def nir_key_ok(nir: str) -> bool:
    """True when a 15-character NIR has the right key: 97 - (n mod 97), Corsica 2A -> 19, 2B -> 18."""
    if len(nir) != 15 or not nir[13:].isdigit():
        return False
    body = nir[:13].replace("2A", "19").replace("2B", "18")
    if not body.isdigit():
        return False
    return 97 - int(body) % 97 == int(nir[13:])


def nir_key(body13: str) -> int:
    """The key of a 13-character NIR body (used by tests to build synthetic NIRs)."""
    return 97 - int(body13.upper().replace("2A", "19").replace("2B", "18")) % 97


# --------------------------------------------------------------------------- IBAN

IBAN_RE = re.compile(r"^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$")


def iban_ok(text: str) -> bool:
    """True when ``text`` (spaces allowed) is an IBAN with a right mod-97 checksum."""
    value = compact(text)
    if not IBAN_RE.match(value):
        return False
    rearranged = value[4:] + value[:4]
    number = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(number) % 97 == 1


# --------------------------------------------------------------------------- every-row screen

# A field with more distinct values than the cap is read through a sample, and a rare e-mail, phone number,
# NIR or IBAN may not be in it. So every value of such a field goes through this cheap screen, which can only
# over-select what the value-shape detectors (:func:`.detectors.value_shapes`) find; the same rules are
# written three times, for the three readings: here (QGIS reading), in NumPy on the UTF-8 bytes of a batch
# (collect._screen_mask, Arrow reading) and in SQL (postgis.shape_candidates, PostgreSQL). A « stretch » is a
# longest run of ASCII digits and separators (ASCII spaces and controls 9-13 and 28-32, « . », « - » and every
# non-ASCII character, which may be a Unicode space):
#
# ``"@"``      the text contains « @ »                        -> detect_emails (EMAIL_RE needs an « @ »)
# ``"digits"`` a stretch holds 9, 10, 11 or 13 digits          -> detect_phones (PHONE_RE: 0 + 9 digits,
#              +33 + 9 digits, +33 (0) then 9 digits, 0033 + 9 digits, in one part between | ; , /)
#              or the whole text is digits, A, B and separators with 13 or 15 digits and letters
#              -> detect_nir (13 or 15 characters once spaces, dots and dashes are removed; 2A/2B)
#              or an integer of 13 to 15 digits                -> detect_nir (NIR written as a number)
# ``"iban"``   the first four ASCII letters or digits of the text are two letters then two digits, every
#              other character skipped                         -> detect_iban (IBAN_RE on the compact value)
#
# A SIRET (14 digits) or an address with its postcode (digits apart) passes none of them. Digits and letters
# of other scripts are not screened (phone numbers, NIR and IBAN are written in ASCII).

SCREEN_CLASSES = ("@", "digits", "iban")
#: which detectors (value shapes) each screen serves
SCREEN_KINDS = {"@": ("email",), "digits": ("phone", "nir"), "iban": ("iban",)}
#: ASCII characters that end a stretch (the others are digits or separators); also written in SQL
STRETCH_END = r"\x00-\x08\x0e-\x1b\x21-\x2c\x2f\x3a-\x7f"
#: a separator inside a stretch (neither a digit nor a stretch end)
STRETCH_SEP = rf"[^0-9{STRETCH_END}]"
#: phone screen: a stretch of 9 to 11, or 13, digits (``$`` and ``^`` as in PostgreSQL: the text's ends)
PHONE_SCREEN = (
    rf"(^|[{STRETCH_END}]){STRETCH_SEP}*([0-9]{STRETCH_SEP}*){{9,11}}($|[{STRETCH_END}])"
    rf"|(^|[{STRETCH_END}]){STRETCH_SEP}*([0-9]{STRETCH_SEP}*){{13}}($|[{STRETCH_END}])"
)
#: NIR screen: only digits, A, B and separators, 13 or 15 digits and letters
NIR_SCREEN = rf"^{STRETCH_SEP}*([0-9ABab]{STRETCH_SEP}*){{13}}(([0-9ABab]{STRETCH_SEP}*){{2}})?$"
#: IBAN screen
IBAN_SCREEN = "^[^A-Za-z0-9]*[A-Za-z][^A-Za-z0-9]*[A-Za-z][^A-Za-z0-9]*[0-9][^A-Za-z0-9]*[0-9]"
_PHONE_SCREEN_RE = re.compile(PHONE_SCREEN.replace("$", r"\Z"))
_NIR_SCREEN_RE = re.compile(NIR_SCREEN.replace("$", r"\Z"))
_IBAN_SCREEN_RE = re.compile(IBAN_SCREEN)
_NO_ASCII_DIGITS = str.maketrans("", "", "0123456789")


def screen_classes(value: object) -> Tuple[str, ...]:
    """The screens of :data:`SCREEN_CLASSES` ``value`` passes (empty: no value shape can match it)."""
    if isinstance(value, str):
        found = []
        if "@" in value:
            found.append("@")
        nine = len(value) - len(value.translate(_NO_ASCII_DIGITS)) >= 9  # both need 9 digits or more
        if nine and (_PHONE_SCREEN_RE.search(value) or _NIR_SCREEN_RE.match(value)):
            found.append("digits")
        if _IBAN_SCREEN_RE.match(value):
            found.append("iban")
        return tuple(found)
    if isinstance(value, int) and not isinstance(value, bool) and 10**12 <= abs(value) < 10**15:
        return ("digits",)
    return ()


# --------------------------------------------------------------------------- cadastre

#: 14-character parcel id (IDU): INSEE code (2A/2B for Corsica), prefix, section, number — 45234000AB0012.
PARCEL_RE = re.compile(r"^(?:\d{2}|2A|2B)\d{3}[0-9]{3}[A-Z0-9]{2}\d{4}$")


def is_parcel_id(text: str) -> bool:
    return bool(PARCEL_RE.match(compact(text)))


# --------------------------------------------------------------------------- persons


_PERSON_TOKEN_RE = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ'’\-]*\.?$")


def _first_name_token(token: str) -> bool:
    parts = [p for p in fold(token).replace("’", "'").split("-") if p]
    return bool(parts) and all(p in FIRST_NAMES for p in parts)


def is_legal_person(value: str) -> bool:
    tokens = name_tokens(value)
    return any(t in LEGAL_PERSON_WORDS for t in tokens)


def looks_like_person(value: object) -> bool:
    """« Jean Exemple », « EXEMPLE Jean », « Mme Marie-Anne Test », « EXEMPLE/JEAN » look like a person.

    Two to four words, no digit, no place or organisation word, and a common
    first name first or last (or a civil title first).
    """
    if not isinstance(value, str):
        return False
    text = value.strip().replace("/", " ")
    if not text or len(text) > 60 or any(ch.isdigit() for ch in text):
        return False
    words = text.replace(",", " ").split()
    if not 2 <= len(words) <= 5:
        return False
    if not all(_PERSON_TOKEN_RE.match(w) for w in words):
        return False
    folded = [fold(w).strip(".") for w in words]
    if any(w in NOT_PERSON_WORDS or w in LEGAL_PERSON_WORDS for w in folded):
        return False
    if folded[0] in CIVIL_TITLES:
        return len(words) >= 2
    if len(words) > 4:
        return False
    return _first_name_token(words[0]) or _first_name_token(words[-1])


def place_name_tails(texts) -> Set[str]:
    """The names carried by place values: « Place Victor Hugo », « Bd Maréchal Joffre » → « victor hugo »,
    « marechal joffre » (folded). A « nom » equal to one of them names the place, not a person."""
    tails: Set[str] = set()
    for text in texts:
        words = fold(text).replace("’", "'").replace(",", " ").split()
        for i, word in enumerate(words[:-1]):
            if word.strip(".") in NOT_PERSON_WORDS:
                rest = words[i + 1 :]
                while rest and rest[0] in ("de", "du", "des", "la", "le", "les", "l'", "d'"):
                    rest = rest[1:]
                if len(rest) >= 2:
                    tails.add(" ".join(rest))
                break
    return tails


def looks_like_first_name(value: object) -> bool:
    return isinstance(value, str) and len(value.split()) == 1 and _first_name_token(value.strip())
